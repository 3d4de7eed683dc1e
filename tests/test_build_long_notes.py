"""Issue 18 item 12, "say what is slow": a very long article is named before its minutes, again when
its passages are in and the index is written (the one wait without a count), and after, with
what each part took and the memory the process needed. The threshold is lowered here so that an
article of a few hundred paragraphs stands for one of hundreds of thousands."""

from __future__ import annotations

import re

from briefing.index.engine import Briefing
from briefing.index.search import passages
from support.long_article import write_corpus


def test_a_long_article_is_named_before_while_writing_and_after(tmp_path, monkeypatch):
    monkeypatch.setattr(passages, "LONG_ARTICLE_PARAGRAPHS", 200)
    size = write_corpus(tmp_path / "c", 400).stat().st_size
    said: list[str] = []
    stages: list[str] = []
    b = Briefing(tmp_path / "c", index_dir=tmp_path / "ix")
    report = b.open(notify=said.append, progress=lambda stage, done, total: stages.append(stage))
    named = f"huge.txt ({size / 1_048_576:.1f} MB, 401 paragraphs)"
    assert [m.split(":")[0].split(" is ")[0] for m in said] == [named, named]
    assert re.search(r"is a very long article \(read in \d+ s\): finding its quotations", said[0])
    assert "every paragraph is in the index; writing the rest of the index" in said[1]
    after = next(m for m in report.messages if m.startswith(f"{named} took"))
    assert re.search(r"reading it \d+ s, finding its quotations \d+ s, indexing its passages \d+ s, writing the index \d+ s", after)
    assert re.search(r"this process needed [\d,]+ MB of memory at most\.", after)
    assert "passages" in stages and report.passages == 401 + 5
    # the ordinary articles are not named
    assert not any("short.txt" in m or "other.txt" in m for m in said + report.messages)
    b.close()
