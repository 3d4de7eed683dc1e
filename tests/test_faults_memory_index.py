"""Issue 18, item 7: the in-memory index (cache dir full or unwritable) survives an update large
enough that Whoosh sorts its postings in temporary runs (it raised NameError: the runs were
written to memory files that were never kept)."""

from __future__ import annotations

from briefing.index.model import Article, Paragraph
from briefing.index.search import passages
from briefing.index.search.passages import PassageIndex


def articles(n: int) -> list[tuple[Article, dict]]:
    out = []
    for i in range(n):
        paragraphs = [Paragraph(j + 1, f"word{i} part{j} talks in geneva {i * 7 + j} " * 12) for j in range(5)]
        out.append((Article(id=f"a{i:04d}", outlet="Wire", title=f"Story {i}", byline=None, date=None, dateline=None,
                            captions=[], paragraphs=paragraphs, sha256=f"{i:064x}"), {}))
    return out


def test_large_update_in_memory_spills_runs_in_memory(monkeypatch):
    monkeypatch.setattr(passages, "WRITER_LIMIT_MB", 1)  # a large update, made small
    index = PassageIndex(None)
    index.open()
    assert index.update(articles(400)) is None
    assert index.passage_count() == 2000
    assert [h.source for h in index.search("word123").hits[:1]] == ["a0123"]


def test_update_that_falls_back_to_memory_is_complete(tmp_path, monkeypatch):
    import errno

    monkeypatch.setattr(passages, "WRITER_LIMIT_MB", 1)
    index = PassageIndex(tmp_path / "whoosh")
    index.open()
    real_write = PassageIndex._write

    def disk_full(self, *args, **kwargs):
        if not self.in_memory:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(PassageIndex, "_write", disk_full)
    message = index.update(articles(400))
    assert message and "kept in memory" in message
    assert index.passage_count() == 2000
