"""Issue 18, item 8: only an article cache that SQLite says is corrupt is moved aside; a busy one
is waited for; a full or failing disk is reported, and the file is kept."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from briefing.index.engine import Briefing

ARTICLE = (
    "Harbour reopens after storm\n\n"
    "The harbour reopened on Friday after a storm closed it for three days, the port authority said.\n\n"
    "“We are back to normal,” harbour master Ana Lima told reporters on the quay on Friday morning.\n"
)


def make_corpus(root: Path, n: int = 3) -> Path:
    root.mkdir(parents=True)
    for i in range(n):
        (root / f"a{i}.txt").write_text(ARTICLE.replace("three", f"{i + 3}"), encoding="utf-8")
    return root


def opened(corpus: Path) -> Briefing:
    b = Briefing(corpus)
    b.open()
    b.close()
    return b


def test_corrupt_cache_is_moved_aside_with_a_message(tmp_path):
    corpus = make_corpus(tmp_path / "c")
    cache = opened(corpus).index_dir / "articles.sqlite3"
    cache.write_bytes(b"SQLite format 3\x00" + b"\xde\xad" * 4000)
    b = Briefing(corpus)
    report = b.open()
    aside = list(cache.parent.glob("articles.sqlite3.damaged-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"SQLite format 3\x00\xde\xad")
    assert any("damaged" in m and str(aside[0]) in m for m in report.messages)
    assert report.articles == 3 and b.search("harbour").hits
    b.close()


def test_cache_held_by_another_writer_is_waited_for_not_deleted(tmp_path):
    corpus = make_corpus(tmp_path / "c")
    cache = opened(corpus).index_dir / "articles.sqlite3"
    inode = cache.stat().st_ino
    holding = threading.Event()

    def hold() -> None:
        other = sqlite3.connect(cache, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        holding.set()
        time.sleep(6)  # longer than SQLite's default 5 s busy timeout
        other.execute("COMMIT")
        other.close()

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(5)
    b = Briefing(corpus)
    report = b.open()
    holder.join()
    assert cache.stat().st_ino == inode  # the same file, not a new one
    assert report.reused == 3 and report.parsed == 0
    assert not list(cache.parent.glob("*.damaged-*"))
    b.close()


def test_disk_full_on_the_cache_is_reported_and_the_file_kept(tmp_path, monkeypatch):
    corpus = make_corpus(tmp_path / "c")
    cache = opened(corpus).index_dir / "articles.sqlite3"
    before = cache.read_bytes()
    real_connect = sqlite3.connect

    def full(target, *args, **kwargs):
        if str(target) == str(cache):
            exc = sqlite3.OperationalError("database or disk is full")
            exc.sqlite_errorcode = 13  # SQLITE_FULL
            exc.sqlite_errorname = "SQLITE_FULL"
            raise exc
        return real_connect(target, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", full)
    b = Briefing(corpus)
    report = b.open()  # no RecursionError
    monkeypatch.setattr(sqlite3, "connect", real_connect)
    assert cache.read_bytes() == before
    assert any("article cache" in m and "full" in m and str(cache) in m for m in report.messages)
    assert report.articles == 3 and b.search("harbour").hits
    b.close()
