"""Issue 17: a build reads and extracts articles in forked workers ahead of the index writer.
What is indexed and cached must be exactly what a build in one process gives."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from briefing.index import engine, workers
from briefing.index.engine import Briefing

OUTLETS = ["The Harbour Times", "Northern Ledger", "Valley Courier"]
PEOPLE = [("Marta Lindqvist", "the port authority's director"), ("Tomas Berenger", "a union negotiator"),
          ("Aisha Okonkwo", "the city's deputy mayor")]


def _article(i: int) -> str:
    outlet = OUTLETS[i % len(OUTLETS)]
    name, role = PEOPLE[i % len(PEOPLE)]
    other, other_role = PEOPLE[(i + 1) % len(PEOPLE)]
    return (
        f"{outlet}\n\nDock workers walk out for day {i} of the harbour dispute\n\nBy Reporter {i}\n\n"
        f"March {i % 28 + 1}, 2025\n\n"
        f"Cranes stood idle on Tuesday as the strike at the eastern terminal entered its {i}th day, "
        "with container ships anchored in the bay.\n\n"
        f"“We will not sign anything that cuts night pay,” said {name}, {role}.\n\n"
        f"{other}, {other_role}, said the offer on the table was fair and that talks would resume on Friday.\n\n"
        f"“The terminal loses money every hour it is shut,” {other.split()[-1]} told reporters. "
        f"“Both sides know that.”\n\n"
        f"Shipping agents said {i * 3} vessels had been diverted to other ports since the walkout began.\n"
    )


def _corpus(root: Path, count: int) -> None:
    root.mkdir()
    for i in range(count):
        (root / f"story-{i:02d}.txt").write_text(_article(i), encoding="utf-8")
    (root / "x-broken.txt").write_bytes(b"\xff\xfe\x00\x00" * 8 + b"\x00" * 64)
    (root / "y-blank.txt").write_text("\n\n   \n", encoding="utf-8")


def _stored(index_dir: Path) -> tuple[list[dict[str, object]], list[tuple[str, str, list[str]]]]:
    """Every passage's stored fields, and every indexed term with the passages it is in (the
    `speaker:` and `side:` fields are indexed, not stored)."""
    from whoosh.index import open_dir

    ix = open_dir(str(index_dir / "whoosh"))
    try:
        with ix.searcher() as searcher:
            reader = searcher.reader()
            pids = {n: str(fields["pid"]) for n, fields in reader.iter_docs()}
            terms = [
                (field, repr(text), sorted(pids[n] for n in reader.postings(field, text).all_ids()))
                for field, text in reader.all_terms()
            ]
            return sorted((dict(f) for _, f in reader.iter_docs()), key=lambda d: str(d["pid"])), sorted(terms)
    finally:
        ix.close()


def _cached(index_dir: Path) -> list[tuple[object, ...]]:
    db = sqlite3.connect(index_dir / "articles.sqlite3")
    try:
        return db.execute(
            "select id, name, sha256, outlet, title, byline, date, paragraphs, words, article, quotes from files order by id"
        ).fetchall()
    finally:
        db.close()


def _build(tmp_path: Path, corpus: Path, name: str, monkeypatch: pytest.MonkeyPatch, forked: bool):
    index_dir = tmp_path / name
    readers = tmp_path / f"{name}-pids"
    original = Briefing._extras

    def extras(self, article, progress=None):  # which process extracted each article's quotes
        with open(readers, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return original(self, article, progress)

    with monkeypatch.context() as m:
        m.setattr(Briefing, "_extras", extras)
        m.setattr(workers, "MIN_ITEMS", 2 if forked else 10**9)
        m.setattr(workers, "cores", lambda: 2)
        b = Briefing(corpus, index_dir)
        report = b.open()
        b.close()
    pids = [int(line) for line in readers.read_text().split()]
    return index_dir, report, pids


@pytest.mark.skipif("fork" not in workers._start_methods(), reason="workers need fork")
def test_a_build_in_workers_indexes_and_caches_exactly_what_one_process_does(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    _corpus(corpus, 24)
    alone, alone_report, alone_pids = _build(tmp_path, corpus, "alone", monkeypatch, forked=False)
    forked, forked_report, forked_pids = _build(tmp_path, corpus, "forked", monkeypatch, forked=True)

    assert set(alone_pids) == {os.getpid()}
    assert len(forked_pids) == len(alone_pids) == 24
    assert len(set(forked_pids) - {os.getpid()}) >= 1  # most articles were read by workers
    assert forked_pids.count(os.getpid()) == 1  # the first, which warms the tables the workers share

    stored, terms = _stored(alone)
    assert len(stored) >= 24 * 5 and any(field == "speaker" for field, _, _ in terms)
    assert _stored(forked) == (stored, terms)
    cached = _cached(alone)
    assert len(cached) == 24 and all(row[-1] for row in cached)  # every article has its quote record
    assert _cached(forked) == cached
    assert forked_report.skipped == alone_report.skipped and {s.path for s in alone_report.skipped} >= {"x-broken.txt", "y-blank.txt"}
    assert (forked_report.articles, forked_report.passages, forked_report.parsed) == (
        alone_report.articles, alone_report.passages, alone_report.parsed)


@pytest.mark.skipif("fork" not in workers._start_methods(), reason="workers need fork")
def test_edited_files_read_in_workers_reuse_what_is_unchanged(tmp_path, monkeypatch):
    """Touched but unchanged files are compared with the cache in the parent; edited ones are
    extracted in the workers; both ways leave the same index and cache."""
    corpus = tmp_path / "corpus"
    _corpus(corpus, 12)
    results = []
    for name, forked in (("alone", False), ("forked", True)):
        index_dir = tmp_path / name
        with monkeypatch.context() as m:
            m.setattr(workers, "MIN_ITEMS", 10**9)
            b = Briefing(corpus, index_dir)
            b.open()
            b.close()
        for i in range(12):
            path = corpus / f"story-{i:02d}.txt"
            st = path.stat()
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000 * (len(results) + 1)))
        edited = corpus / "story-05.txt"
        edited.write_text(_article(5).replace("Friday", "Saturday"), encoding="utf-8")
        _, report, pids = _build(tmp_path, corpus, name, monkeypatch, forked)
        assert report.parsed == 1 and len(pids) == 1
        assert (pids[0] != os.getpid()) is forked
        results.append((_stored(index_dir), _cached(index_dir)))
        edited.write_text(_article(5), encoding="utf-8")
    (alone_stored, alone_cached), (forked_stored, forked_cached) = results
    assert any("Saturday" in str(d["body"]) for d in alone_stored[0])
    assert forked_stored == alone_stored and forked_cached == alone_cached
