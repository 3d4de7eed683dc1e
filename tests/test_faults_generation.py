"""Issue 18, item 13: the index and the article cache share one generation stamp, so they cannot
disagree for good: an update that could only be kept in memory, or an older index directory put
back, is re-indexed at the next start (only what differs)."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

from briefing.index.engine import Briefing
from briefing.index.search.passages import PassageIndex

ARTICLE = (
    "Harbour reopens after storm\n\n"
    "The harbour reopened on Friday after a storm closed it for three days, the port authority said.\n\n"
    "“We are back to normal,” harbour master Ana Lima told reporters on the quay on Friday morning.\n"
)


def make_corpus(root: Path, n: int = 4) -> Path:
    root.mkdir(parents=True)
    for i in range(n):
        (root / f"a{i}.txt").write_text(ARTICLE.replace("three", f"{i + 3}"), encoding="utf-8")
    return root


def sources(b: Briefing, query: str) -> set[str]:
    return {h.source for h in b.search(query).hits}


def test_update_kept_only_in_memory_is_indexed_at_the_next_start(tmp_path, monkeypatch):
    corpus = make_corpus(tmp_path / "c")
    b = Briefing(corpus)
    b.open()
    b.close()
    (corpus / "a1.txt").write_text(ARTICLE.replace("storm", "hurricane"), encoding="utf-8")
    real_write = PassageIndex._write

    def disk_full(self, *args, **kwargs):
        if not self.in_memory:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(PassageIndex, "_write", disk_full)
    b = Briefing(corpus)
    report = b.open()
    assert any("kept in memory" in m for m in report.messages)
    assert sources(b, "hurricane") == {"a1"}  # this session has it, in memory
    b.close()
    monkeypatch.setattr(PassageIndex, "_write", real_write)
    b = Briefing(corpus)
    report = b.open()
    assert sources(b, "hurricane") == {"a1"}
    assert report.parsed == 1  # only what differs
    b.close()


def test_older_index_directory_put_back_is_brought_up_to_date(tmp_path):
    corpus = make_corpus(tmp_path / "c")
    b = Briefing(corpus)
    b.open()
    whoosh = b.index_dir / "whoosh"
    b.close()
    saved = tmp_path / "whoosh-backup"
    shutil.copytree(whoosh, saved)
    (corpus / "a2.txt").write_text(ARTICLE.replace("storm", "cyclone"), encoding="utf-8")
    (corpus / "a3.txt").unlink()
    (corpus / "new.txt").write_text(ARTICLE.replace("harbour", "airport"), encoding="utf-8")
    b = Briefing(corpus)
    b.open()
    assert sources(b, "cyclone") == {"a2"}
    b.close()
    shutil.rmtree(whoosh)
    shutil.copytree(saved, whoosh)  # the older index is back
    b = Briefing(corpus)
    b.open()
    assert sources(b, "cyclone") == {"a2"}
    assert sources(b, "airport") == {"new"}
    assert "a3" not in sources(b, "harbour") and "a2" not in sources(b, "storm")
    b.close()
