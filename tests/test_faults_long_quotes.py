"""Issue 18, item 12: a long article's quotations are found in stretches of paragraphs (memory
stays bounded); on ordinary articles, cut into stretches far smaller than any real one, the
stretches give exactly the quotations, speakers, roles and sides of one reading."""

from __future__ import annotations

import pytest

from briefing.index.corpus.cleaning import clean_article
from briefing.index.model import Manifest, Side
from briefing.index.quotes import extract
from briefing.index.quotes.records import from_record, read_pairs, to_record

FIELDS = ("id", "paragraph", "start", "end", "text", "kind", "speaker", "speaker_as_given", "role", "side",
          "cue", "marked", "via", "names")

# Full names once, surnames and pronouns after, a pronoun three paragraphs from its name, a
# quotation over two paragraphs, and a second speaker in between.
ARTICLE = """Talks resume in Geneva

GENEVA — Deputy Foreign Minister Ana M. Belmonte of Northland brought her delegation to meet envoys from Southland on Monday for talks that ran late into the night.

“We came to listen,” Belmonte told reporters before the session began.

The Southland delegation was led by Envoy Petro Danko, who arrived on Sunday.

Danko said the mood was “frank and direct” and that his side wanted guarantees.

The session ended after eight hours without a joint statement. Belmonte said she was tired.

“There is a long way to go,” she said afterwards. “But we will be back next week.

“Nobody should expect a breakthrough before the spring,” she added.

He was more hopeful. “Progress is possible,” Danko said.

Observers said the talks would continue in Vienna.

“I believe we can close the gap,” Belmonte said on Tuesday.
"""

MANIFEST = Manifest(
    sides=[Side("north", "Northland", ("northland",)), Side("south", "Southland", ("southland",))],
    people={"Ana M. Belmonte": "north"},
)


def _rows(pairs):
    return [tuple(getattr(q, f) for f in FIELDS) for q, _ in pairs]


@pytest.mark.parametrize("window, context", [(1, 12), (2, 4), (3, 12), (4, 12), (4, 3)])
def test_stretches_give_the_quotes_of_one_reading(window, context):
    article = clean_article(ARTICLE, "talks")
    one = extract.read_article(article, MANIFEST)[0]
    rows = _rows(one)
    assert len(article.paragraphs) > 2 * window  # really read in several stretches
    # what the comparison is about: speakers found across paragraphs, by surname and pronoun
    assert {"Ana M. Belmonte", "Petro Danko"} <= {r[6] for r in rows}
    assert sum(1 for q, _ in one if q.speaker == "Ana M. Belmonte" and "Belmonte" not in article.paragraph(q.paragraph).text) >= 2
    seen: list[tuple[int, int]] = []
    pairs = read_pairs(article, MANIFEST, lambda done, total: seen.append((done, total)), window=window, context=context)
    assert _rows(pairs) == rows
    assert seen[-1] == (len(article.paragraphs),) * 2 and len(seen) > 1
    # one entity per person across the stretches, as one reading gives: the record is the same
    assert _rows(from_record(to_record(pairs), "talks", None)) == _rows(from_record(to_record(one), "talks", None))


def test_stretches_of_the_bundled_briefing(bundled_articles):
    from support.paths import BUNDLED
    from briefing.index.corpus.manifest import load_manifest

    manifest = load_manifest(BUNDLED)
    compared = 0
    for article in bundled_articles.values():
        rows = _rows(extract.read_article(article, manifest)[0])
        for window in (3, 10):
            assert _rows(read_pairs(article, manifest, window=window)) == rows, (article.id, window)
            compared += len(rows)
    assert compared > 50


def test_an_ordinary_article_is_read_in_one_pass(monkeypatch):
    article = clean_article(ARTICLE, "talks")
    calls = []
    real = extract.read_article
    monkeypatch.setattr(extract, "read_article", lambda *a, **k: calls.append(len(a[0].paragraphs)) or real(*a, **k))
    read_pairs(article, MANIFEST)
    assert calls == [len(article.paragraphs)]


def test_the_analysis_reads_a_long_article_again_in_stretches_too(monkeypatch):
    """Quotations printed without marks send an article through extraction a second time, with
    their spans: that reading goes in stretches as well, and finds the same quotes."""
    from briefing.index.analysis import analyse
    from briefing.index.quotes import records

    filler = "\n\n".join(f"Delegates from both sides met again on day {n} of the talks." for n in range(1, 9))
    echo = clean_article(f"Envoys meet\n\n{filler}\n\nBelmonte said there is a long way to go before any deal.\n\n"
                         "She said nobody should expect a breakthrough before the spring.\n", "echo")
    talks = clean_article(ARTICLE, "talks")

    def dump(analysis):
        return [(q.source, q.paragraph, q.start, q.text, q.speaker, q.marked) for q in analysis.quotes.quotes]

    whole = dump(analyse([talks, echo], MANIFEST))
    assert any(not marked for *_rest, marked in whole)  # the echo's unmarked quotation is found
    stretches: list[int] = []
    real = extract.read_article
    monkeypatch.setattr(records, "WINDOW_PARAGRAPHS", 2)
    monkeypatch.setattr(records, "WINDOW_CONTEXT", 1)
    monkeypatch.setattr(extract, "read_article", lambda *a, **k: stretches.append(len(a[0].paragraphs)) or real(*a, **k))
    assert dump(analyse([talks, echo], MANIFEST)) == whole
    # the echo's second reading, with its unmarked spans, went in stretches as well
    first, second = stretches[:2], stretches[2:]  # each article read whole once, then the echo again
    assert first == [len(talks.paragraphs), len(echo.paragraphs)]
    assert len(second) > 1 and max(second) < len(echo.paragraphs)
