"""Issue 18, item 12: an article of very many short paragraphs is followed passage by passage
while it is indexed, and the report names it as the slow one and says what to do."""

from __future__ import annotations


from briefing.index.engine import Briefing
from briefing.index.quotes import records
from briefing.index.search import passages


def _huge_and_short(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    lines = "\n\n".join(f"Delegates met again in room {i} and talked about item {i}." for i in range(1500))
    (corpus / "huge.txt").write_text(f"A very long article\n\n{lines}\n", encoding="utf-8")
    (corpus / "short.txt").write_text("A short one\n\nThe talks in Geneva ended on Monday evening.\n", encoding="utf-8")
    return corpus


def test_long_article_is_followed_and_named(tmp_path, monkeypatch):
    monkeypatch.setattr(passages, "LONG_ARTICLE_PARAGRAPHS", 500)
    monkeypatch.setattr(passages, "PASSAGE_PROGRESS_EVERY", 200)
    monkeypatch.setattr(records, "WINDOW_PARAGRAPHS", 400)
    corpus = _huge_and_short(tmp_path)
    seen: list[tuple[str, int, int]] = []
    told: list[str] = []
    b = Briefing(corpus)
    report = b.open(progress=lambda stage, done, total: seen.append((stage, done, total)), notify=told.append)
    count = len(b.article("huge").paragraphs)
    for stage in ("quotes", "passages"):  # its quotations found stretch by stretch, then its passages
        steps = [(done, total) for name, done, total in seen if name == stage]
        assert count >= 1000 and steps[-1] == (count, count) and len(steps) >= 3
        assert [d for d, _ in steps] == sorted(d for d, _ in steps)
    size = (corpus / "huge.txt").stat().st_size / 1_048_576
    named = f"huge.txt ({size:.1f} MB, {count:,} paragraphs)"
    assert len(told) == 2 and told[0].startswith(f"{named} is a very long article")  # before the wait
    assert told[1].startswith(f"{named}: every paragraph is in the index")  # before the wait without a count
    message = next(m for m in report.messages if "huge.txt" in m)
    assert message.startswith(f"{named} took") and "split it" in message
    assert "400 paragraphs at a time" in message
    assert not any("short.txt" in m for m in report.messages)
    b.close()


def test_running_out_of_memory_names_the_long_article(tmp_path, monkeypatch, capsys):
    """Memory running out in the middle of the long article's passages: one line naming the file,
    its size and what to do, no traceback, and the index as it was."""
    from briefing.tui.cli import main

    monkeypatch.setattr(passages, "LONG_ARTICLE_PARAGRAPHS", 500)
    corpus = _huge_and_short(tmp_path)
    real = passages._documents

    def documents(article, extras, seen_words=None):
        for n, doc in enumerate(real(article, extras, seen_words), 1):
            if article.id == "huge" and n == 700:
                raise MemoryError
            yield doc

    monkeypatch.setattr(passages, "_documents", documents)
    assert main(["index", "--corpus", str(corpus)]) != 0
    err = " ".join(capsys.readouterr().err.split())
    assert "Traceback" not in err
    assert "briefing: ran out of memory while indexing huge.txt (0.1 MB, 1,500 paragraphs): nothing was written" in err
    assert "split it into several files" in err
    monkeypatch.setattr(passages, "_documents", real)
    b = Briefing(corpus)
    b.open()
    assert len(b.article("huge").paragraphs) == 1500 and b.search("room 700").hits
    b.close()
