"""Index reuse, incremental update, damage recovery, corpora without a manifest."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from briefing.index.engine import Briefing
from briefing.index import locations


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


ARTICLE = (
    "Harbour reopens after storm\n\n"
    "The harbour reopened on Friday after a storm closed it for three days, the port authority said.\n\n"
    "“We are back to normal,” harbour master Ana Lima told reporters on the quay on Friday morning.\n"
)


def make_corpus(root: Path, n: int = 3) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        write(root / f"a{i}.txt", ARTICLE.replace("three", ["three", "four", "five", "six"][i % 4]))
    return root


def test_unchanged_corpus_is_not_reparsed(tmp_path):
    corpus = make_corpus(tmp_path / "c")
    first = Briefing(corpus).open()
    assert (first.parsed, first.reused) == (3, 0)
    second = Briefing(corpus).open()
    assert (second.parsed, second.reused, second.removed) == (0, 3, 0)
    assert second.passages == first.passages == 6


def test_changed_added_removed_files_update_only_themselves(tmp_path):
    corpus = make_corpus(tmp_path / "c")
    Briefing(corpus).open()
    write(corpus / "a1.txt", ARTICLE.replace("storm", "hurricane"))
    write(corpus / "new.txt", ARTICLE.replace("harbour", "airport"))
    (corpus / "a2.txt").unlink()
    b = Briefing(corpus)
    report = b.open()
    assert (report.parsed, report.reused, report.removed) == (2, 1, 1)
    assert {h.source for h in b.search("hurricane").hits} == {"a1"}
    assert b.search("airport").hits[0].source == "new"
    assert not any(h.source == "a2" for h in b.search("harbour").hits)


def test_touched_but_identical_file_is_not_reindexed(tmp_path):
    corpus = make_corpus(tmp_path / "c")
    Briefing(corpus).open()
    st = (corpus / "a0.txt").stat()
    os.utime(corpus / "a0.txt", ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000_000))
    report = Briefing(corpus).open()
    assert report.parsed == 0


def test_damaged_index_is_rebuilt_with_a_message(tmp_path):
    corpus = make_corpus(tmp_path / "c")
    Briefing(corpus).open()
    whoosh_dir = locations.index_dir(corpus) / "whoosh"
    for f in whoosh_dir.iterdir():
        if f.suffix in (".seg", ".toc"):
            f.write_bytes(b"\x00garbage")
    b = Briefing(corpus)
    report = b.open()
    assert any("rebuilt" in m for m in report.messages)
    assert b.search("harbour").total == 6


def test_deleted_index_is_rebuilt(tmp_path):
    corpus = make_corpus(tmp_path / "c")
    Briefing(corpus).open()
    shutil.rmtree(locations.index_dir(corpus) / "whoosh")
    b = Briefing(corpus)
    b.open()
    assert b.search("harbour").total == 6


def test_rebuild_flag(tmp_path):
    corpus = make_corpus(tmp_path / "c")
    Briefing(corpus).open()
    report = Briefing(corpus).open(rebuild=True)
    assert report.parsed == 3 and report.passages == 6


def test_corpus_without_manifest_uses_defaults(tmp_path):
    corpus = make_corpus(tmp_path / "c", n=1)
    b = Briefing(corpus)
    b.open()
    article = b.articles[0]
    assert article.title == "Harbour reopens after storm"
    assert article.outlet is None
    assert b.title == "c"


def test_manifest_change_reaches_the_index(tmp_path):
    corpus = make_corpus(tmp_path / "c", n=1)
    Briefing(corpus).open()
    write(corpus / "briefing.toml", 'title = "Ports"\n[[articles]]\nid = "a0"\noutlet = "Harbour Gazette"\n')
    b = Briefing(corpus)
    b.open()
    assert b.title == "Ports" and b.articles[0].outlet == "Harbour Gazette"
    assert b.search("outlet:gazette harbour").total == 2


def test_broken_manifest_is_reported_not_fatal(tmp_path):
    corpus = make_corpus(tmp_path / "c", n=1)
    write(corpus / "briefing.toml", "title = [unclosed\n")
    b = Briefing(corpus)
    report = b.open()
    assert any("briefing.toml ignored" in m for m in report.messages)
    assert len(b.articles) == 1


def test_unwritable_cache_still_opens(tmp_path, monkeypatch):
    corpus = make_corpus(tmp_path / "c", n=1)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache dir should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    b = Briefing(corpus)
    report = b.open()
    assert any("not writable" in m for m in report.messages)
    assert b.search("harbour").total == 2
