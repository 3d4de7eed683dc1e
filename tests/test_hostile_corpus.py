"""Hostile and broken input (issue 8): the briefing keeps working, shows what it skipped and why,
and nothing it reads reaches the terminal as anything but text.

The corpus is built by tests/hostile.py into a tmp dir (no binaries committed): encodings, BOMs,
mojibake, a 10 MB article, a 200,000-character line, control characters, ANSI escapes, Textual /
Rich markup, odd file names, symlinks leaving the corpus, FIFOs, directories, unreadable files.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import unicodedata
from pathlib import Path
from unittest import mock

import pytest

from briefing.index import locations
from briefing.index.corpus.cleaning import MAX_PARAGRAPH_CHARS
from briefing.index.engine import Briefing
from briefing.index.search.passages import PassageIndex
from support import hostile
from briefing.tui.cli import main



def control_chars(text: str) -> list[str]:
    """Every character that must never reach a terminal (C0 but newline, DEL, C1, lone surrogates)."""
    return [
        repr(ch) for ch in text
        if (ch != "\n" and unicodedata.category(ch) == "Cc") or unicodedata.category(ch) == "Cs"
    ]


def article_strings(article) -> list[str]:
    return [
        article.id, article.title, article.outlet or "", article.byline or "", article.date or "",
        article.dateline or "", *article.captions, *article.credits, *(p.text for p in article.paragraphs),
    ]


def article_text(article) -> str:
    return "\n".join(article_strings(article))


# ---- the corpus, built once per module -------------------------------------------------------

@pytest.fixture(scope="module")
def hc(tmp_path_factory):
    built = hostile.build(tmp_path_factory.mktemp("hostile") / "corpus")
    yield built
    hostile.restore_permissions(built)


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory):
    """One cache for the module's CLI runs: the 10 MB article is indexed once, then reused."""
    return tmp_path_factory.mktemp("hostile-cache")


@pytest.fixture(scope="module")
def briefing(hc, shared_cache):
    """Opened in the cache the CLI tests use, so the corpus is parsed and indexed once."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(shared_cache))
        index_dir = locations.index_dir(hc.root)
    b = Briefing(hc.root, index_dir=index_dir)
    b.open()
    yield b
    b.close()


@pytest.fixture
def cli(capsys, monkeypatch, shared_cache, hc):
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared_cache))
    monkeypatch.setenv("COLUMNS", "400")  # one table row per article: markup can be checked whole

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


# ---- every file: read, or skipped with a reason ----------------------------------------------

def test_every_file_is_read_or_skipped_with_a_reason(hc, briefing):
    report = briefing.report
    skipped = {s.path: s.reason for s in report.skipped}
    ids = {a.id for a in briefing.articles}
    for entry in hc.entries.values():
        if entry.outcome == "read":
            assert entry.id in ids, f"{entry.name!r} was not read ({skipped.get(entry.name)})"
            text = article_text(briefing.article(entry.id))
            for wanted in entry.expect:
                assert wanted in text, f"{entry.name!r}: {wanted!r} missing"
            for unwanted in entry.forbid:
                assert unwanted not in text, f"{entry.name!r}: {unwanted!r} left in"
        else:
            shown = _shown_name(entry)
            assert shown in skipped, f"{entry.name!r} was not reported as skipped: {sorted(skipped)}"
            for word in entry.expect:
                assert word.lower() in skipped[shown].lower(), f"{entry.name!r}: reason {skipped[shown]!r}"
    # Nothing else: no article that is not in the plan, no hidden or non-.txt file.
    assert ids == {e.id for e in hc.read()}
    assert len(report.skipped) == len(hc.skipped())
    assert "hidden" not in " ".join(ids) and "notes" not in ids


def _shown_name(entry: hostile.Entry) -> str:
    """The name `briefing index` prints: control characters and undecodable bytes as \\xNN."""
    from briefing.index.text import display_name

    return display_name(entry.name)



def test_skipped_files_do_not_affect_the_others(hc, briefing, tmp_path):
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(hc.root / "plain.txt", alone / "plain.txt")
    b = Briefing(alone, index_dir=tmp_path / "ix")
    b.open()
    assert briefing.article("plain").paragraphs == b.articles[0].paragraphs
    assert briefing.article("plain").title == b.articles[0].title


def test_no_article_holds_a_control_character(briefing):
    for article in briefing.articles:
        for text in article_strings(article):
            assert "\n" not in text and not control_chars(text), (article.id, text[:80])
    assert not control_chars(briefing.title) and "\x1b" not in briefing.title


def test_manifest_strings_are_sanitised_but_markup_is_kept_as_text(briefing):
    assert briefing.title == "[bold red]Hostile[/] briefing"
    assert briefing.article("plain").outlet == "[link=file:///etc/passwd]Gazette[/link]"


def test_every_encoding_is_searchable(briefing):
    for word, source in [
        ("latin", "latin1"), ("cpwindows", "cp1252"), ("utfsixteen", "utf16"), ("bigendian", "utf16be"),
        ("thirtytwo", "utf32"), ("utfbom", "utf8bom"), ("mojibake", "mojibake"), ("bigfile", "big"),
        ("dashrf", "-rf"), ("unicodename", "ünïcödé 記事 🎉"), ("enormous", "oneline"),
    ]:
        result = briefing.search(word)
        assert result.error is None and {h.source for h in result.hits} == {source}, word
    assert {h.source for h in briefing.search("café").hits} >= {"latin1", "mojibake"}
    assert {h.source for h in briefing.search('"council’s final word"').hits} >= {"cp1252", "mojibake"}


def test_big_article_and_long_line_are_read_whole_in_readable_passages(hc, briefing):
    big = briefing.article("big")
    assert big.words > 1_500_000 and len(big.paragraphs) > 3000
    assert all(len(p.text) <= MAX_PARAGRAPH_CHARS for p in big.paragraphs)
    assert all(p.text.endswith(".") for p in big.paragraphs)  # cut at sentence ends
    line = briefing.article("oneline")
    raw = (hc.root / "oneline.txt").read_text(encoding="utf-8")
    assert " ".join(p.text for p in line.paragraphs) == " ".join(raw.split())  # nothing lost
    assert len(line.paragraphs) > 60 and all(len(p.text) <= MAX_PARAGRAPH_CHARS for p in line.paragraphs)
    assert len(line.title) <= 90
    hit = briefing.search("enormous").hits[0]
    assert len(hit.snippet) < 200 and (hit.source, hit.paragraph) == ("oneline", 1)


def test_links_leaving_the_corpus_are_never_read(briefing):
    assert briefing.search("secret").total == 0
    assert not any("root:" in article_text(a) for a in briefing.articles)


def test_unreadable_file_is_skipped_with_a_reason(hc, briefing):
    if hostile.running_as_root():
        pytest.skip("running as root: chmod 000 does not stop root from reading (the file is read instead)")
    reasons = {s.path: s.reason for s in briefing.report.skipped}
    assert "permission denied" in reasons["locked.txt"]


# ---- the command line on the hostile corpus --------------------------------------------------

def test_index_lists_every_skipped_file_and_why(hc, cli):
    code, out, err = cli("index", "--corpus", str(hc.root))
    assert code == 0, err
    assert f"{len(hc.read())} articles" in out
    assert f"{len(hc.skipped())} file(s) skipped" in out
    for entry in hc.skipped():
        line = next((ln for ln in out.splitlines() if ln.strip().startswith(_shown_name(entry) + ":")), None)
        assert line is not None, f"{entry.name!r} not listed"
        assert all(word.lower() in line.lower() for word in entry.expect), line
    assert not control_chars(out) and not control_chars(err)

    code, out, _ = cli("index", "--corpus", str(hc.root), "--json")
    data = json.loads(out)
    assert code == 0 and data["articles"] == len(hc.read())
    assert {s["path"] for s in data["skipped"]} == {_shown_name(e) for e in hc.skipped()}


def test_sources_prints_markup_literally(hc, cli):
    code, out, err = cli("sources", "--corpus", str(hc.root))
    assert code == 0, err
    assert hostile.MARKUP_TITLE in out
    assert "[bold red]Hostile[/] briefing" in out and "[link=file:///etc/passwd]Gazette[/link]" in out
    assert not control_chars(out) and not control_chars(err)


@pytest.mark.parametrize("ref", ["markup", "ansi", "controls", "mojibake", "utf16", "name with spaces", "ünïcödé 記事 🎉", "-rf", "--help"])
def test_show_prints_text_only(hc, cli, ref):
    code, out, err = cli("show", "--corpus", str(hc.root), "--", ref)
    assert code == 0, err
    assert not control_chars(out) and not control_chars(err)
    assert "pwned" not in out and "evil.example" not in out
    if ref == "markup":
        assert "[@click=app.quit]click here[/]" in out and "[link=file:///etc/passwd]this link[/link]" in out
        assert "\\[escaped]" in out


def test_ids_starting_with_dashes_are_reachable(hc, cli):
    _, out, _ = cli("show", "--corpus", str(hc.root), "--json", "--", "-rf")
    assert json.loads(out)["id"] == "-rf"
    _, out, _ = cli("show", "--corpus", str(hc.root), "--json", "--", "--help")
    assert json.loads(out)["id"] == "--help"


def test_search_prints_markup_literally(hc, cli):
    code, out, err = cli("search", "--corpus", str(hc.root), '"click here"')
    assert code == 0, err
    assert "[@click=app.quit]click here[/]" in out and "[link=file:///etc/passwd]this link[/link]" in out
    assert not control_chars(out)
    code, out, _ = cli("search", "--corpus", str(hc.root), "turns red")
    assert code == 0 and "turns red" in out and not control_chars(out) and "pwned" not in out


def test_bad_query_on_the_command_line_is_one_clean_line(hc, cli):
    code, out, err = cli("search", "--corpus", str(hc.root), "harbour \x1b[2J\x07")
    assert code == 1 and out == ""
    assert "control characters" in err and not control_chars(err)


def test_quotes_print_markup_literally(cli, tmp_path):
    # Without the 10 MB article: quoting the whole corpus is the slow part, and it is not the point.
    small = hostile.build(tmp_path / "corpus", big=False)
    try:
        code, out, err = cli("quotes", "--corpus", str(small.root))
    finally:
        hostile.restore_permissions(small)
    assert code == 0, err
    assert hostile.QUOTE_MARKUP in out
    assert not control_chars(out) and not control_chars(err) and "[31m" not in out


# ---- every shape of bad query: an explanation or a result, never an exception ----------------

BAD_QUERIES = [
    '"open door', 'open door"', '"a "b" c"', '"""', '""', '"', "'", "(harbour", "harbour)", "((a)", ")(", "()",
    "[a", "a]", "{a", "[a TO b]", "[a TO]", "{a TO b}", "text:[a TO b]", "[* TO *]", "[]",
    "AND", "OR", "NOT", "AND AND", "NOT NOT", "ANDNOT", "harbour AND AND council", "harbour NOT NOT council",
    "harbour AND", "AND harbour", "harbour NOT", "NOT harbour", "harbour OR OR", "(AND)",
    "nofield:x", "paragraph:>2", "a:b:c", "text:", "source:", "outlet: harbour", "(text:)", ":", "::", "text::x",
    "*", "**", "?", "*a", "a*", "text:*", "*:*", "NOT *", "harbour OR *", "h*r", "*our", "?arbour",
    "^", "harbour^", "harbour^2", "harbour^x", "^2", "~", "harbour~", "harbour~2", '"a b"~', '"a b"~x',
    "a" * 10_000, "x" * 1001, " " * 5000, "harbour\x00", "\x1b[31m", "a\nb", "\t", "\u2028", "\u200b", "\ufeff",
    "émoji 🎉", "🎉", "東京", "ｈａｒｂｏｕｒ", "\u202eharbour", "\\", '\\"', "+", "-", "!", "&&", "||", "=",
    "<", ">", "<=2", "%", "#", "@", "`", "[/]", "[@click=app.quit]", "(" * 400 + "a" + ")" * 400,
    '"' + "a " * 400 + '"', "a OR " * 150 + "a", "source:-rf", 'source:"name with spaces"', "“curly", "it's",
]


@pytest.mark.parametrize("query", BAD_QUERIES, ids=lambda q: repr(q[:30]))
def test_bad_queries_explain_or_answer(briefing, query):
    result = briefing.search(query)
    assert result.error is None or (isinstance(result.error, str) and result.error)
    if result.error:
        assert result.hits == [] and not control_chars(result.error) and len(result.error) < 300
    else:
        assert all(h.source in {a.id for a in briefing.articles} for h in result.hits)


@pytest.mark.parametrize("query, words", [
    ('"open door', "quotation mark"), ("(harbour", "parentheses"), ("AND", "only an operator"),
    ("harbour AND AND council", "two operators"), ("harbour NOT", "NOT needs a term"),
    ("nofield:x", "unknown field"), ("source:", "needs something"), ("*", "every passage"),
    ("?", "too few letters"), ("a*", "too short"), ("a" * 10_000, "limit"), ("harbour\x00", "control"),
    ("harbour NOT NOT council", "two operators"),
])
def test_bad_queries_get_a_specific_explanation(briefing, query, words):
    assert words in (briefing.search(query).error or "")


def test_colon_inside_a_phrase_is_not_a_field(briefing):
    assert briefing.search('"note: harbour"').error is None


# ---- state on disk ---------------------------------------------------------------------------

ARTICLE = (
    "Harbour reopens after storm\n\n"
    "The harbour reopened on Friday after a storm closed it for three days, the port authority said.\n\n"
    "Ships queued outside the breakwater all morning while pilots waited for the swell to drop.\n"
)


@pytest.fixture
def small(tmp_path) -> Path:
    corpus = tmp_path / "small"
    corpus.mkdir()
    for i, word in enumerate(["three", "four"]):
        (corpus / f"a{i}.txt").write_text(ARTICLE.replace("three", word), encoding="utf-8")
    Briefing(corpus).open()
    return corpus


def reopen(corpus: Path):
    b = Briefing(corpus)
    report = b.open()
    assert b.search("harbour").total == 2 and len(b.articles) == 2
    return report


def test_truncated_index_files_are_rebuilt_with_a_message(small):
    for f in (locations.index_dir(small) / "whoosh").iterdir():
        if f.is_file() and f.name != "schema-version":
            data = f.read_bytes()
            f.write_bytes(data[: len(data) // 2])
    assert any("rebuilt" in m for m in reopen(small).messages)


def test_index_from_an_older_schema_version_is_rebuilt_with_a_message(small):
    (locations.index_dir(small) / "whoosh" / "schema-version").write_text("1")
    assert any("another version" in m and "rebuilt" in m for m in reopen(small).messages)


def test_index_path_taken_by_a_file_is_rebuilt(small):
    whoosh = locations.index_dir(small) / "whoosh"
    shutil.rmtree(whoosh)
    whoosh.write_text("not an index")
    assert any("rebuilt" in m for m in reopen(small).messages)


@pytest.mark.parametrize("damage", [b"", b"garbage" * 100, "truncate"], ids=["empty", "garbage", "truncated"])
def test_damaged_article_cache_is_rebuilt(small, damage):
    db = locations.index_dir(small) / "articles.sqlite3"
    db.write_bytes(db.read_bytes()[:100] if damage == "truncate" else damage)
    report = reopen(small)
    assert report.parsed == 2


def test_article_cache_from_an_older_version_is_rebuilt(small):
    db = sqlite3.connect(locations.index_dir(small) / "articles.sqlite3")
    db.execute("update meta set value='1' where key='version'")
    db.commit()
    db.close()
    assert reopen(small).parsed == 2


def test_corrupt_cached_article_row_is_read_from_the_file_again(small):
    db = sqlite3.connect(locations.index_dir(small) / "articles.sqlite3")
    db.execute("update files set article='{not json'")
    db.commit()
    db.close()
    b = Briefing(small)
    b.open()
    assert b.search("harbour").total == 2
    assert "three days" in b.article("a0").paragraphs[0].text


def _no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_full_disk_when_creating_the_index_keeps_it_in_memory(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with mock.patch("whoosh.filedb.filestore.FileStorage.create_file", side_effect=_no_space):
        b = Briefing(corpus)
        report = b.open()
    assert any("cannot be saved" in m and "No space left" in m for m in report.messages)
    assert b.search("harbour").total == 1 and b.article("a").title == "Harbour reopens after storm"


def test_full_disk_when_probing_the_cache_dir_says_so(tmp_path, monkeypatch):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ARTICLE, encoding="utf-8")
    real_write_text = Path.write_text

    def write_text(self, *args, **kwargs):
        if self.name == ".write-test":
            _no_space()
        return real_write_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", write_text)
    b = Briefing(corpus)
    report = b.open()
    assert any("not writable" in m and "No space left" in m for m in report.messages)
    assert b.search("harbour").total == 1


@pytest.mark.parametrize("in_memory", [False, True], ids=["on-disk", "in-memory"])
def test_search_after_an_update_that_leaves_deleted_passages(tmp_path, in_memory):
    """A segment with deleted documents (an article changed or removed) must not break search."""
    from briefing.index.corpus.scan import load_corpus

    corpus = tmp_path / "c"
    corpus.mkdir()
    for i, word in enumerate(["three", "four", "five"]):
        (corpus / f"a{i}.txt").write_text(ARTICLE.replace("three", word), encoding="utf-8")
    a0, a1, a2 = load_corpus(corpus).articles
    ix = PassageIndex(None if in_memory else tmp_path / "ix")
    ix.open()
    ix.update([(a0, {}), (a1, {})])
    ix.update([(a2, {})], removed=[a0.id])
    results = [ix.search(q) for q in ("three", "four", "five", "harbour", '"harbour reopened"', "harb*")]
    assert [r.error for r in results] == [None] * 6
    assert [r.total for r in results] == [0, 1, 1, 2, 2, 2]


def test_full_disk_during_an_update_moves_the_index_to_memory(tmp_path):
    from briefing.index.corpus.scan import load_corpus

    corpus = tmp_path / "c"
    corpus.mkdir()
    for i, word in enumerate(["three", "four", "five"]):
        (corpus / f"a{i}.txt").write_text(ARTICLE.replace("three", word), encoding="utf-8")
    a0, a1, a2 = load_corpus(corpus).articles
    ix = PassageIndex(tmp_path / "ix")
    ix.open()
    assert ix.update([(a0, {}), (a1, {})]) is None
    with mock.patch("whoosh.filedb.filestore.FileStorage.create_file", side_effect=_no_space):
        message = ix.update([(a2, {})], removed=[a0.id])
    assert message and "kept in memory" in message and "No space left" in message
    assert ix.in_memory
    assert (ix.search("three").total, ix.search("four").total, ix.search("five").total) == (0, 1, 1)
    assert ix.search('"harbour reopened"').total == 2 and ix.search("harb*").total == 2
    assert ix.update([(a0, {})]) is None and ix.search("three").total == 1


def test_full_disk_during_open_says_what_it_cannot_save(small):
    (small / "new.txt").write_text(ARTICLE.replace("harbour", "airport"), encoding="utf-8")
    with mock.patch("whoosh.filedb.filestore.FileStorage.create_file", side_effect=_no_space), \
         mock.patch("briefing.index.engine._State.put", side_effect=sqlite3.OperationalError("database or disk is full")):
        b = Briefing(small)
        report = b.open()
    assert b.search("airport").total == 1 and b.search("harbour").total == 2
    assert any("search index cannot be saved" in m and "memory" in m for m in report.messages)
    assert any("article cache cannot be saved" in m for m in report.messages)


def test_read_only_cache_dir_still_reads(tmp_path, monkeypatch):
    if hostile.running_as_root():
        pytest.skip("running as root: a read-only directory is still writable (covered by the 'file in the way' test)")
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ARTICLE, encoding="utf-8")
    cache = tmp_path / "ro-cache"
    cache.mkdir()
    cache.chmod(0o555)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    try:
        b = Briefing(corpus)
        report = b.open()
        assert any("not writable" in m for m in report.messages)
        assert b.search("harbour").total == 1
    finally:
        cache.chmod(0o755)


def test_unwritable_data_dir_does_not_stop_the_engine(tmp_path, monkeypatch):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ARTICLE, encoding="utf-8")
    blocked = tmp_path / "data-is-a-file"
    blocked.write_text("a file where the data dir should be")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocked))
    b = Briefing(corpus)
    b.open()
    assert b.search("harbour").total == 1 and b.find_article("a").title == "Harbour reopens after storm"
