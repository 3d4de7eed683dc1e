"""Issue 18, item 10: a range query is bounded like a prefix (at most MAX_PREFIX_TERMS terms, the
commonest), so `[a TO z]` cannot take a minute and hundreds of MB."""

from __future__ import annotations

import time

from whoosh import query as wq

from briefing.index.model import Article, Paragraph
from briefing.index.search import passages
from briefing.index.search.passages import MAX_PREFIX_TERMS, PassageIndex


def index_of(n: int) -> PassageIndex:
    index = PassageIndex(None)
    index.open()
    batch = []
    for i in range(n):
        words = " ".join(f"w{i}x{j} common" for j in range(12))
        batch.append((Article(id=f"a{i:03d}", outlet="Wire", title="t", byline=None, date=None, dateline=None, captions=[],
                              paragraphs=[Paragraph(1, f"Talks in Geneva {words}."), Paragraph(2, "Russia and NATO.")],
                              sha256=f"{i:064x}"), {}))
    index.update(batch)
    return index


def test_range_is_bounded_like_a_prefix(monkeypatch):
    index = index_of(200)  # 2,400 distinct w-terms between a and z
    seen = []
    real = PassageIndex._bound_expansions

    def spy(self, q, reader):
        out = real(self, q, reader)
        seen.append(out)
        return out

    monkeypatch.setattr(PassageIndex, "_bound_expansions", spy)
    started = time.monotonic()
    result = index.search("[a TO z]")
    assert time.monotonic() - started < 5
    assert result.error is None and result.total > 0
    bounded = seen[0]
    assert not any(isinstance(node, wq.TermRange) for node in bounded.leaves()) and not isinstance(bounded, wq.TermRange)
    assert len(list(bounded.leaves())) <= MAX_PREFIX_TERMS
    assert b"common" in {t.text for t in bounded.leaves()}  # the commonest terms are kept


def test_open_ended_and_exclusive_ranges(monkeypatch):
    index = index_of(20)
    assert index.search("{russia TO talks]").error is None
    assert index.search("[geneva TO]").total > 0
    assert index.search("[TO b]").error is None


def test_range_scan_stops_on_a_huge_lexicon(monkeypatch):
    monkeypatch.setattr(passages, "MAX_RANGE_SCAN", 100)
    index = index_of(50)
    result = index.search("[a TO z]")
    assert result.error is None
