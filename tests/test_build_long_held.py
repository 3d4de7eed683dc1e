"""Issue 18, item 12: what a very long article holds while it is indexed is smaller than its text,
and gives back exactly what was put in: its paragraphs (compressed pieces), its quote record
(compressed until the cache row is written), its passages (the paragraph number a column only).
"""

from __future__ import annotations

import pickle
import sqlite3
import threading
from pathlib import Path

from briefing.index.engine import Briefing
from briefing.index.model import Paragraph, Paragraphs, compacted
from briefing.index.quotes import records
from briefing.index.search import passages

_WORDS = ["harbour", "délégué", "naïve", "Zürich", "emoji 🚢", "“quoted”", "plain"]


def _paragraphs(count: int) -> list[Paragraph]:
    return [Paragraph(i, f"{_WORDS[i % 7]} {i} {'x' * (i % 13)}.", "subhead" if i % 101 == 0 else "text")
            for i in range(1, count + 1)]


def test_compressed_pieces_give_every_paragraph_back():
    given = _paragraphs(3 * 4096 + 17)
    held = compacted(given)
    assert isinstance(held, Paragraphs)
    assert held == given and list(held) == given and held[-1] == given[-1]
    # out of order, across pieces and back
    for i in (5000, 3, 12_300, 4095, 4096, 0, 8191, 8192):
        assert held[i] == given[i]
    assert held[4090:4100] == given[4090:4100]
    copy = pickle.loads(pickle.dumps(held))
    assert copy == held and list(copy) == given
    assert held != compacted(given[:-1] + [Paragraph(given[-1].n, given[-1].text + "!", "text")])
    # smaller than the text itself, not two bytes a character
    assert sum(len(c) for c in held._chunks) < sum(len(p.text.encode("utf-8")) for p in given) / 2


def test_threads_reading_different_pieces_read_their_own():
    given = _paragraphs(4 * 4096)
    held = compacted(given)
    wrong: list[int] = []

    def read(start: int) -> None:
        for _ in range(3):
            for i in range(start, len(given), 997):
                if held[i] != given[i]:
                    wrong.append(i)

    threads = [threading.Thread(target=read, args=(s,)) for s in (0, 1, 2, 3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []


def _ferry_log(root: Path, paragraphs: int) -> None:
    body = []
    for i in range(paragraphs):
        if i % 10 == 4:
            body.append(f"“The ferry keeps running until {i},” said harbour master Mara Quist.")
        else:
            body.append(f"Vote {i}.")
    root.mkdir(parents=True)
    (root / "huge.txt").write_text("Ferry log\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
    (root / "short.txt").write_text("A short one\n\nThe ferry ran on Monday.\n", encoding="utf-8")


def test_a_long_article_is_cached_and_searched_as_extracted(tmp_path, monkeypatch):
    monkeypatch.setattr(passages, "LONG_ARTICLE_PARAGRAPHS", 500)
    monkeypatch.setattr(records, "WINDOW_PARAGRAPHS", 2000)
    _ferry_log(tmp_path / "c", 6000)
    b = Briefing(tmp_path / "c")
    b.open()
    article = b.article("huge")
    assert isinstance(article.paragraphs, Paragraphs) and len(article.paragraphs) >= 6000
    pairs = records.read_pairs(article, b.manifest)
    db = sqlite3.connect(b.index_dir / "articles.sqlite3")
    cached = db.execute("select quotes from files where id='huge'").fetchone()[0]
    assert cached == records.to_record(pairs)  # unpacked as it was made
    quoted = {q.paragraph for q, _ in pairs if q.speaker == "Mara Quist"}
    assert len(quoted) > 500
    found = b.search('speaker:"mara quist" source:huge', limit=10_000)
    assert found.total == len(quoted) and {h.paragraph for h in found.hits} == quoted
    # the paragraph number is no term, yet every passage knows its own
    hits = b.search("vote 4321", limit=5).hits
    assert hits and hits[0].paragraph == next(p.n for p in article.paragraphs if p.text == "Vote 4321.")
    with b._index._ix.reader() as reader:
        assert "paragraph" not in reader.indexed_field_names() and not list(reader.lexicon("paragraph"))
    b.close()
