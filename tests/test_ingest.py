"""Bringing articles in (issue 13): saved pages, feeds, Markdown, misnamed files, datelines.

Every corpus is built here from made-up pages (tests/support/ingest_pages.py); nothing touches the network.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.index.corpus.scan import date_in_name, load_corpus
from briefing.index.engine import Briefing
from briefing.tui.cli import main
from support import ingest_pages as pages


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def corpus_of(root: Path, files: dict[str, str | bytes]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (root / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return root


def by_id(root: Path):
    corpus = load_corpus(root)
    return {a.id: a for a in corpus.articles}, corpus


# ---- saved web pages -----------------------------------------------------------------------

def test_news_page_comes_out_clean_with_its_metadata(tmp_path):
    articles, corpus = by_id(corpus_of(tmp_path / "c", {"ledger.html": pages.news_page()}))
    a = articles["ledger"]
    assert (a.outlet, a.title, a.byline, a.date) == (
        "The Coastal Ledger", "Harbour council votes to rebuild the old pier", "Mara Ellison", "2023-04-05")
    texts = [p.text for p in a.paragraphs]
    assert texts[0] == pages.P1 and texts[-1] == pages.P4
    assert pages.P2 in texts and pages.P3 in texts
    assert [p.kind for p in a.paragraphs if p.text == "What happens next"] == ["subhead"]
    body = a.body
    for furniture in (pages.SHARE, pages.COMMENT, pages.RELATED, "Home", "tracking pixel", "display: flex", "Post comment",
                      "All rights reserved", "By Mara Ellison"):
        assert furniture not in body, furniture
    assert a.title not in texts  # the headline is not repeated as a paragraph
    assert a.captions == ["The old pier at low tide on Tuesday."]
    assert not corpus.skipped


def test_jsonld_only_page_and_htm_extension(tmp_path):
    articles, _ = by_id(corpus_of(tmp_path / "c", {"ferry.htm": pages.jsonld_only_page()}))
    a = articles["ferry"]
    assert (a.outlet, a.byline, a.date) == ("Island Evening Post", "Ilse Varga", "2023-05-02")
    assert a.title == "Ferry service to resume after repairs"
    assert a.paragraphs[0].text.startswith("The ferry between Porthaven")
    assert "May 2, 2023" not in a.body


def test_blog_page_with_microformats_and_a_reply_form(tmp_path):
    articles, _ = by_id(corpus_of(tmp_path / "c", {"quay.html": pages.blog_page()}))
    a = articles["quay"]
    assert (a.outlet, a.title, a.byline, a.date) == ("Porthaven Weekly", "Quay traders fear pier works will hurt trade", "Ben Okafor", "2023-04-07")
    assert [p.text for p in a.paragraphs] == [pages.P1, pages.P3]


def test_misnamed_html_txt_is_read_as_a_page(tmp_path):
    page = pages.news_page(title="Pier vote heard in a misnamed file", site="Harbour Daily", author="Tam Reed")
    articles, _ = by_id(corpus_of(tmp_path / "c", {"saved-page.txt": page}))
    a = articles["saved-page"]
    assert (a.outlet, a.title, a.byline, a.date) == ("Harbour Daily", "Pier vote heard in a misnamed file", "Tam Reed", "2023-04-05")
    assert "<" not in a.body and "script" not in a.body and pages.COMMENT not in a.body


def test_manifest_wins_over_page_metadata(tmp_path):
    root = corpus_of(tmp_path / "c", {
        "ledger.html": pages.news_page(),
        "briefing.toml": '[[articles]]\nid = "ledger"\noutlet = "Ledger (print edition)"\ndate = "2023-04-06"\n',
    })
    a = by_id(root)[0]["ledger"]
    assert (a.outlet, a.date) == ("Ledger (print edition)", "2023-04-06")
    assert (a.title, a.byline) == ("Harbour council votes to rebuild the old pier", "Mara Ellison")  # the rest is inferred


def test_page_markup_and_escapes_are_text_never_markup(tmp_path, capsys):
    page = pages.news_page(title="[bold red]Loud[/] &lt;b&gt;pier&lt;/b&gt; \x1b[2J vote", site="[link=file:///etc/passwd]Ledger[/link]")
    root = corpus_of(tmp_path / "c", {"hostile.html": page})
    code, out, _ = run(capsys, "sources", "--corpus", str(root), "--json")
    row = json.loads(out)[0]
    assert "\x1b" not in row["title"] and row["title"].startswith("[bold red]Loud[/] <b>pier</b>")
    assert row["outlet"].lower() == "[link=file:///etc/passwd]ledger[/link]"  # trafilatura capitalises site names
    code, out, _ = run(capsys, "show", "hostile", "--corpus", str(root))
    assert "[bold red]Loud[/]" in out and "[link=file:///etc/passwd]" in out.lower()  # shown literally


# ---- feeds -----------------------------------------------------------------------------------

def test_rss_feed_gives_one_article_per_entry(tmp_path):
    root = corpus_of(tmp_path / "c", {"herald.rss": pages.rss_feed([pages.ENTRY_A, pages.ENTRY_B])})
    articles, corpus = by_id(root)
    assert len(articles) == 2 and not corpus.skipped
    assert all(i.startswith("herald-") for i in articles)
    vote = next(a for a in articles.values() if a.title == "Council backs pier rebuild")
    assert (vote.outlet, vote.byline, vote.date) == ("Porthaven Herald", "Mara Ellison", "2023-04-04")
    assert [p.text for p in vote.paragraphs] == [pages.P1, pages.P2]
    assert [p.n for p in vote.paragraphs] == [1, 2]
    assert "never run" not in vote.body and "short summary" not in vote.body


def test_atom_feed_and_xml_that_is_no_feed(tmp_path):
    root = corpus_of(tmp_path / "c", {"notes.atom": pages.atom_feed(), "data.xml": "<?xml version='1.0'?><catalog><item>x</item></catalog>"})
    articles, corpus = by_id(root)
    (entry,) = articles.values()
    assert (entry.outlet, entry.title, entry.byline, entry.date) == ("Harbour Notes", "Sea wall inspection finds cracks", "Oona Pike", "2023-05-31")
    assert [s.path for s in corpus.skipped] == ["data.xml"] and "not an RSS or Atom feed" in corpus.skipped[0].reason


def test_feed_entry_ids_are_stable_and_a_changed_feed_is_reindexed(tmp_path):
    root = corpus_of(tmp_path / "c", {"herald.rss": pages.rss_feed([pages.ENTRY_A, pages.ENTRY_B])})
    b = Briefing(root)
    b.open()
    first = {a.title: a.id for a in b.articles}
    vote_id = first["Council backs pier rebuild"]
    assert b.search("twelve million").total == 1
    # A bookmark on the vote's second paragraph, keyed by the entry's article id.
    code = main(["bookmarks", "add", vote_id, "-p", "2", "--corpus", str(root), "--json"])
    assert code == 0

    # The feed is saved again: a new entry on top, one entry gone.
    (root / "herald.rss").write_text(pages.rss_feed([pages.ENTRY_C, pages.ENTRY_A]), encoding="utf-8")
    b2 = Briefing(root)
    report = b2.open()
    second = {a.title: a.id for a in b2.articles}
    assert second["Council backs pier rebuild"] == vote_id  # same entry, same id
    assert set(second) == {"Council backs pier rebuild", "Ferry to resume on Monday"}
    assert report.removed == 1
    assert b2.search("twelve million").total == 0  # the dropped entry left the index
    assert b2.search("islanders").total >= 1
    assert b2.article(vote_id).paragraph(2).text == pages.P2

    # Unchanged now: nothing parsed, every entry reused, bodies read from the cache on use.
    b3 = Briefing(root)
    again = b3.open()
    assert (again.parsed, again.reused) == (0, 2)
    assert b3.article(vote_id).paragraphs[0].text == pages.P1


def test_feed_bookmark_survives_a_resaved_feed(tmp_path, capsys):
    root = corpus_of(tmp_path / "c", {"herald.rss": pages.rss_feed([pages.ENTRY_A, pages.ENTRY_B])})
    vote_id = next(a.id for a in load_corpus(root).articles if a.title == "Council backs pier rebuild")
    assert run(capsys, "bookmarks", "add", vote_id, "-p", "2", "--corpus", str(root))[0] == 0
    (root / "herald.rss").write_text(pages.rss_feed([pages.ENTRY_C, pages.ENTRY_B, pages.ENTRY_A]), encoding="utf-8")
    code, out, _ = run(capsys, "bookmarks", "list", "--corpus", str(root), "--json")
    (mark,) = json.loads(out)
    assert code == 0 and mark["source"] == vote_id and "waited long enough" in json.dumps(mark, ensure_ascii=False)


# ---- Markdown --------------------------------------------------------------------------------

def test_markdown_article(tmp_path):
    articles, _ = by_id(corpus_of(tmp_path / "c", {"gull.md": pages.markdown_article()}))
    a = articles["gull"]
    assert (a.outlet, a.title, a.byline, a.date) == ("The Coastal Ledger", "Lighthouse keepers return to Gull Point", "Petra Lund", "2023-07-14")
    assert a.paragraphs[0].text.startswith("The lighthouse at Gull Point will have resident keepers again for the first time in thirty years")
    assert "**" not in a.body and "*lonely*" not in a.body and "](" not in a.body
    assert "keep the light burning" in a.body
    assert "alert" not in a.body and "code blocks" not in a.body
    assert a.captions == ["Keepers at the Gull Point lighthouse on Friday"]
    assert [p.kind for p in a.paragraphs if p.text == "A long absence"] == ["subhead"]


def test_plain_text_header_lines_fill_title_outlet_byline_and_date(tmp_path):
    text = ("Title: Ferry crews vote to strike\nOutlet: Sound Courier\nByline: Ada Moss\n"
            "Load-Date: March 3, 2024\nSection: Business\n\n"
            "Ferry crews on the northern routes voted on Friday to strike from next week.\n\n"
            "The operator said the routes would run a reduced timetable.\n")
    articles, _ = by_id(corpus_of(tmp_path / "c", {"ferry.txt": text}))
    a = articles["ferry"]
    assert (a.title, a.outlet, a.byline, a.date) == ("Ferry crews vote to strike", "Sound Courier", "Ada Moss", "2024-03-03")
    assert a.paragraphs[0].text.startswith("Ferry crews on the northern routes")
    assert "Section" not in a.body and "Outlet" not in a.body


@pytest.mark.parametrize("first", [
    "WASHINGTON: The ferry operator said on Friday it would cut routes.",  # a dateline, not a header
    "SMITH: We will run the boats.\nJONES: You will not.",  # a transcript
    "Title: Ferry crews vote\nThe crews voted on Friday to strike.",  # no blank line ends a header
])
def test_text_that_only_looks_like_a_header_stays_text(tmp_path, first):
    text = first + "\n\nThe operator said the routes would run a reduced timetable on the weekend.\n"
    articles, _ = by_id(corpus_of(tmp_path / "c", {"ferry.txt": text}))
    a = articles["ferry"]
    assert a.title != "Ferry crews vote" and a.outlet is None


# ---- outlet and date where a text says them --------------------------------------------------

@pytest.mark.parametrize("dateline, signoff, outlet", [
    ("NEW YORK (AFP) —", "", "Agence France-Presse"),
    ("PORTHAVEN, April 4 (Reuters) -", "", "Reuters"),
    ("(Reuters) -", "", "Reuters"),
    ("", "— The Associated Press", "The Associated Press"),
    ("", "Copyright 2023 The Harbour Gazette. All rights reserved.", "The Harbour Gazette"),
    ("", "© 2023 Island Evening Post", "Island Evening Post"),
])
def test_outlet_from_dateline_sign_off_or_copyright(tmp_path, dateline, signoff, outlet):
    articles, _ = by_id(corpus_of(tmp_path / "c", {"wire.txt": pages.wire_text(dateline, signoff)}))
    a = articles["wire"]
    assert a.outlet == outlet
    assert signoff not in a.body if signoff else True
    assert a.paragraphs[-1].text == pages.P3


def test_a_dash_before_a_person_is_no_outlet(tmp_path):
    articles, _ = by_id(corpus_of(tmp_path / "c", {"q.txt": pages.wire_text("", "— Tomas Reyes")}))
    assert articles["q"].outlet is None


def test_date_from_the_file_name_only_when_nothing_else_says_one(tmp_path):
    root = corpus_of(tmp_path / "c", {
        "2023-04-04_pier.txt": pages.wire_text("(AP) —"),
        "2023-01-01-ledger.html": pages.news_page(),  # the page's own date wins
    })
    articles, _ = by_id(root)
    assert articles["2023-04-04_pier"].date == "2023-04-04"
    assert articles["2023-01-01-ledger"].date == "2023-04-05"
    assert date_in_name("report-2022-13-40.txt") is None and date_in_name("x20220110y.txt") is None


def test_sources_shows_found_outlets_dates_and_bylines(tmp_path, capsys):
    root = corpus_of(tmp_path / "c", {
        "ledger.html": pages.news_page(), "herald.rss": pages.rss_feed([pages.ENTRY_A]),
        "gull.md": pages.markdown_article(), "afp.txt": pages.wire_text("NEW YORK (AFP) —"),
    })
    code, out, _ = run(capsys, "sources", "--corpus", str(root), "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert code == 0 and len(rows) == 4
    assert rows["ledger"]["outlet"] == "The Coastal Ledger" and rows["ledger"]["byline"] == "Mara Ellison"
    assert rows["afp"]["outlet"] == "Agence France-Presse"
    assert all(r["outlet"] and r["title"] for r in rows.values())
    assert all(r["date"] for i, r in rows.items() if i != "afp")


# ---- what is not read, and an empty corpus ----------------------------------------------------

def test_other_files_and_same_name_are_skipped_with_a_reason(tmp_path):
    root = corpus_of(tmp_path / "c", {
        "pier.txt": pages.wire_text("(AP) —"), "pier.html": pages.news_page(),
        "photo.jpg": b"\xff\xd8\xff\xe0 not an article", "notes.docx": b"PK\x03\x04",
        ".hidden.html": pages.news_page(),
    })
    (root / "images").mkdir()
    articles, corpus = by_id(root)
    assert list(articles) == ["pier"] and articles["pier"].outlet == "The Associated Press"  # the .txt keeps its id
    reasons = {s.path: s.reason for s in corpus.skipped}
    assert set(reasons) == {"pier.html", "photo.jpg", "notes.docx"}
    assert "rename one" in reasons["pier.html"] and "pier.txt" in reasons["pier.html"]
    assert "not an article file" in reasons["photo.jpg"]


def test_page_without_article_text_is_skipped(tmp_path):
    root = corpus_of(tmp_path / "c", {"empty.html": "<html><head><title>Nothing</title></head><body><nav><a href='/'>Home</a></nav></body></html>"})
    articles, corpus = by_id(root)
    assert not articles and corpus.skipped[0].path == "empty.html" and "no article text" in corpus.skipped[0].reason


def test_empty_corpus_says_how_to_add_articles(tmp_path, capsys):
    root = tmp_path / "empty"
    root.mkdir()
    code, out, err = run(capsys, "sources", "--corpus", str(root))
    assert code == 0
    assert "no articles in" in err and "briefing add" in err
    report = Briefing(root).open()
    assert any("briefing add" in m for m in report.messages)


def test_help_and_an_unprepared_text_corpus_never_import_trafilatura(tmp_path):
    root = corpus_of(tmp_path / "c", {"a.txt": pages.wire_text("(AP) —")})
    code = (
        "import sys\n"
        "from briefing.tui.cli import main\n"
        f"main(['sources', '--corpus', {str(root)!r}])\n"
        "bad = [m for m in ('trafilatura', 'feedparser', 'markdown_it', 'htmldate', 'lxml') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120, capture_output=True)
    help_code = "import sys\nfrom briefing.tui.cli import build_parser\nbuild_parser()\nassert 'trafilatura' not in sys.modules\n"
    subprocess.run([sys.executable, "-c", help_code], check=True, timeout=60)


def test_hostile_feed_entities_are_neither_expanded_nor_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRETWORD", encoding="utf-8")
    levels = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">\n' for i in range(1, 10))
    feed = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY l0 "lol">\n' + levels
        + f'<!ENTITY xxe SYSTEM "file://{secret}">\n]>\n'
        '<rss version="2.0"><channel><title>Laughs</title><item><guid>1</guid><title>Entry &xxe;</title>'
        f"<description>&l9; {pages.P1}</description></item></channel></rss>\n"
    )
    root = corpus_of(tmp_path / "c", {"lol.rss": feed})
    articles, _ = by_id(root)
    (a,) = articles.values()
    assert "SECRETWORD" not in a.title + a.body
    assert len(a.body) < 2 * len(pages.P1) and "lollol" not in a.body


def test_page_in_its_declared_encoding(tmp_path):
    page = pages.news_page(title="Порт голосует за новый причал", site="Вестник гавани", author="Мария Эллисон",
                           lead="Совет гавани во вторник проголосовал за восстановление старого причала, положив конец спору, "
                                "который разделял город почти десять лет.")
    page = page.replace('<meta charset="utf-8">', '<meta charset="windows-1251">')
    root = corpus_of(tmp_path / "c", {"vestnik.html": page.encode("cp1251", errors="replace")})
    a = by_id(root)[0]["vestnik"]
    assert (a.title, a.outlet, a.byline) == ("Порт голосует за новый причал", "Вестник гавани", "Мария Эллисон")
    assert a.paragraphs[0].text.startswith("Совет гавани во вторник")


def test_feed_entry_body_is_read_again_from_its_file_when_the_cache_is_damaged(tmp_path):
    import sqlite3

    from briefing.index import locations

    root = corpus_of(tmp_path / "c", {"herald.rss": pages.rss_feed([pages.ENTRY_A, pages.ENTRY_B])})
    Briefing(root).open()
    b = Briefing(root)
    b.open()  # lazy articles: bodies come from the cache on first use
    db = sqlite3.connect(locations.index_dir(root) / "articles.sqlite3")
    db.execute("update files set article='{not json'")
    db.commit()
    db.close()
    fresh = {a.id: a for a in load_corpus(root).articles}
    assert len(b.articles) == 2
    for a in b.articles:
        assert a.paragraphs == fresh[a.id].paragraphs


def test_a_sentence_about_copyright_is_report_text(tmp_path):
    line = "Copyright law was changed by the council on Tuesday."
    articles, _ = by_id(corpus_of(tmp_path / "c", {"c.txt": pages.wire_text("", line)}))
    assert articles["c"].outlet is None and articles["c"].paragraphs[-1].text == line


def test_a_page_of_too_many_elements_is_skipped_quickly(tmp_path):
    import time

    from briefing.index.corpus.webpage import MAX_ELEMENTS

    page = "<html><body><article>" + "<p>The council met again.</p>" * (MAX_ELEMENTS + 10) + "</article></body></html>"
    root = corpus_of(tmp_path / "c", {"huge.html": page, "ok.html": pages.news_page()})
    started = time.perf_counter()
    articles, corpus = by_id(root)
    assert time.perf_counter() - started < 10
    assert list(articles) == ["ok"] and "HTML elements" in corpus.skipped[0].reason


def test_a_feed_entry_of_many_elements_is_read_by_its_blocks(tmp_path):
    many = [f"Paragraph {i} of a very long entry about the harbour works." for i in range(6000)]
    feed = pages.rss_feed([("long", "A very long entry", "Jonas Hart", "Wed, 05 Apr 2023 08:15:00 GMT", many)])
    articles, _ = by_id(corpus_of(tmp_path / "c", {"long.rss": feed}))
    (a,) = articles.values()
    assert len(a.paragraphs) == 6000 and a.paragraphs[0].text == many[0] and "never run" not in a.body


def test_a_feed_entry_without_text_is_listed_as_skipped(tmp_path):
    feed = pages.rss_feed([pages.ENTRY_A]).replace(
        "</channel>", "<item><title>Photo gallery: storm</title><guid>gallery</guid></item></channel>")
    root = corpus_of(tmp_path / "c", {"herald.rss": feed})
    articles, corpus = by_id(root)
    assert len(articles) == 1
    assert [(s.path, s.reason) for s in corpus.skipped] == [
        ("herald.rss (entry 2, 'Photo gallery: storm')", "the feed entry has no text (neither content nor summary)")]
    report = Briefing(root).open()
    assert [s.path for s in report.skipped] == ["herald.rss (entry 2, 'Photo gallery: storm')"]
