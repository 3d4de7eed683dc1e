"""Cleaning on the real seed files, and on constructed pages for each general rule."""

from __future__ import annotations

import re

import pytest

from briefing.index.corpus.cleaning import clean_article
from briefing.index.text import fold_for_search, sanitize
from briefing.index.corpus.scan import load_corpus
from support.paths import BUNDLED, SEEDS

FURNITURE = [
    "Get all your news in one place", "premium titles", "Start reading", "Sign up to read", "Already a member",
    "Related Stories", "Top stories on inkl", "Our Picks", "Fourteen days free", "Download the app",
    "trusted global sources", "Leave A Reply", "Your email address will not be published",
    "Newspapers in English", "Newspapers from United States", "One subscription",
]


def test_corpus_holds_the_seeds_byte_for_byte():
    if not SEEDS.exists():
        pytest.skip("shared seeds not beside the checkout")
    for seed in SEEDS.glob("*.txt"):
        assert (BUNDLED / seed.name).read_bytes() == seed.read_bytes()


@pytest.mark.parametrize("article_id", [p.stem for p in sorted(BUNDLED.glob("*.txt"))])
def test_no_furniture_and_every_report_sentence_kept(article_id, bundled_articles):
    article = bundled_articles[article_id]
    body = article.body
    kept = body + "\n".join(article.credits)
    for phrase in FURNITURE:
        assert phrase.lower() not in body.lower(), phrase
    assert not any(re.fullmatch(r"\d{1,4}", p.text) for p in article.paragraphs)
    # every sentence-like line of the raw file that is not furniture is in the body
    raw = (BUNDLED / f"{article_id}.txt").read_text(encoding="utf-8")
    for line in raw.splitlines():
        line = " ".join(line.split())
        if len(line.split()) >= 12 and line.endswith((".", "”", '"', "“")) and "(AP Photo" not in line and "via AP)" not in line \
                and not any(f.lower() in line.lower() for f in FURNITURE):
            fragment = line[:60]
            assert fragment in kept, f"lost: {fragment!r}"


def test_headers_found_by_rules(bundled_articles):
    post = bundled_articles["000_0799c8da7407ae88"]
    assert post.outlet == "New York Post"
    assert post.title == "US, Russia meet"
    assert post.byline == "MARK MOORE"
    ap = bundled_articles["002_c0eae7d557669681"]
    assert ap.outlet == "The Associated Press"
    assert ap.dateline == "MOSCOW (AP)"
    assert ap.date == "2022-01-11"
    assert ap.captions and ap.captions[0].startswith("United States Deputy Secretary of State Wendy Sherman, center")
    assert ap.credits and "contributed" in ap.credits[0]
    assert ap.paragraphs[0].text.startswith("MOSCOW (AP) — Moscow and Washington")
    tns = bundled_articles["003_aa93b08ccbd7b43d"]
    assert tns.outlet == "Tribune News Service"
    assert tns.byline == "Ilya Arkhipov and Nick Wadhams"
    assert tns.title == "US and Russia vow to keep talking as their differences persist"
    reuters = bundled_articles["001_9cdbc204e52fb821"]
    assert reuters.outlet == "Reuters"  # from the manifest: the text does not say
    assert reuters.title == "Russia, U.S. give no sign of narrowing security differences"
    assert reuters.paragraphs[0].text.startswith("Russia and the United States gave no sign")


def test_repeated_headline_and_counters_dropped(bundled_articles):
    reuters = bundled_articles["001_9cdbc204e52fb821"]
    assert all(p.text != reuters.title for p in reuters.paragraphs)
    assert len(reuters.paragraphs) == 21


def test_subheads_marked_and_page_remnant_removed(bundled_articles):
    post = bundled_articles["000_0799c8da7407ae88"]
    kinds = {p.text: p.kind for p in post.paragraphs}
    assert kinds["Requests denied"] == "subhead"
    assert kinds["‘Stark choice’"] == "subhead"
    assert post.paragraphs[-1].text.endswith("continue through the week.")


def test_hard_wrapped_line_joined(bundled_articles):
    article = bundled_articles["004_12fa4de552d0c0ef"]
    assert any("consultations in Brussels with the North Atlantic Treaty Organization" in p.text for p in article.paragraphs)


def test_paragraph_numbers_are_stable_and_dense(bundled_articles):
    for article in bundled_articles.values():
        assert [p.n for p in article.paragraphs] == list(range(1, len(article.paragraphs) + 1))
    again = {a.id: a for a in load_corpus(BUNDLED).articles}
    assert again["002_c0eae7d557669681"].paragraphs == bundled_articles["002_c0eae7d557669681"].paragraphs


def test_generic_page_without_manifest():
    raw = (
        "Sign in\nSubscribe\nCity council approves new budget\n\nBy Jane Doe\nPublished March 3, 2023\n\n"
        "The city council approved a new budget on Tuesday after a long debate about housing and transport.\n\n"
        "“This budget is a compromise,” the mayor said at a press conference after the vote on Tuesday.\n\n"
        "Share this article\nLeave a comment\nName *\n"
    )
    article = clean_article(raw, "x")
    assert article.title == "City council approves new budget"
    assert article.byline == "Jane Doe"
    assert article.date == "March 3, 2023"
    assert [p.text[:8] for p in article.paragraphs] == ["The city", "“This bu"]


def test_sanitize_strips_escapes_and_controls():
    assert sanitize("a\x1b[31mred\x1b[0m b\x00c\x07") == "ared bc"
    assert sanitize("x\r\ny") == "x\ny"


def test_fold_keeps_offsets():
    text = "NATO’s “open-door” policy — said"
    folded = fold_for_search(text)
    assert len(folded) == len(text)
    assert folded == "NATO's \"open-door\" policy - said"
