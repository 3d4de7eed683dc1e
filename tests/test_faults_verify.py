"""Issue 18, item 17: a truncated or bit-flipped index file is noticed when the index is opened
(sizes and a checksum per file of the segments), and the index is rebuilt; the article cache's
rows carry checksums too, so flipped bytes are read again from the article, never shown."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from briefing.index.engine import Briefing

ARTICLE = (
    "Harbour reopens after storm\n\n"
    "The harbour reopened on Friday after a storm closed it for three days, the port authority said.\n\n"
    "“We are back to normal,” harbour master Ana Lima told reporters on the quay on Friday morning.\n"
)


def make_corpus(root: Path, n: int = 40) -> Path:
    root.mkdir(parents=True)
    for i in range(n):
        (root / f"a{i:02d}.txt").write_text(ARTICLE.replace("three", f"{i + 3}") + f"\nWord{i} closes it.\n",
                                           encoding="utf-8")
    return root


def built(corpus: Path) -> Path:
    b = Briefing(corpus)
    b.open()
    b.close()
    return b.index_dir


def biggest(whoosh: Path, suffix: str) -> Path:
    return max((p for p in whoosh.iterdir() if p.name.endswith(suffix)), key=lambda p: p.stat().st_size)


@pytest.mark.parametrize("suffix", [".pst", "_stored.col", ".trm"])
def test_half_truncated_segment_file_is_rebuilt_at_open(tmp_path, suffix):
    corpus = make_corpus(tmp_path / "c")
    victim = biggest(built(corpus) / "whoosh", suffix)
    data = victim.read_bytes()
    victim.write_bytes(data[: len(data) // 2])
    b = Briefing(corpus)
    report = b.open()
    assert any("damaged" in m and "rebuilt" in m for m in report.messages), report.messages
    result = b.search("harbour")
    assert result.error is None and result.total == 80
    assert [h.source for h in b.search("word7").hits] == ["a07"]
    b.close()


def test_flipped_bytes_in_a_segment_file_are_caught(tmp_path):
    corpus = make_corpus(tmp_path / "c")
    victim = biggest(built(corpus) / "whoosh", "_stored.col")
    data = bytearray(victim.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8] = bytes(b ^ 0xFF for b in data[middle : middle + 8])
    victim.write_bytes(bytes(data))
    b = Briefing(corpus)
    report = b.open()
    assert any("damaged" in m and victim.name in m for m in report.messages), report.messages
    assert all(h.text == b.article(h.source).paragraphs[h.paragraph - 1].text for h in b.search("harbour", limit=80).hits)
    b.close()


def test_flipped_bytes_in_a_cache_row_are_not_shown(tmp_path):
    corpus = make_corpus(tmp_path / "c", 3)
    cache = built(corpus) / "articles.sqlite3"
    db = sqlite3.connect(cache)
    db.execute("update files set article = replace(article, 'harbour master', 'harbour mxster'),"
               " title = replace(title, 'Harbour', 'Hxrbour')")
    db.commit()
    db.close()
    b = Briefing(corpus)
    b.open()
    article = b.article("a01")
    assert article.title == "Harbour reopens after storm"
    assert "harbour master Ana Lima" in " ".join(p.text for p in article.paragraphs)
    b.close()
