"""Issue 18, item 12: `briefing index` of one article of very many short paragraphs stays within
a fixed memory budget (the child's address space is limited), says before and after that this
article is the slow one, and prints no traceback.

200,000 paragraphs (2.6 MB): the old reading held every paragraph's tokens and cues until the
article's end (about 2 KB a paragraph) and let Whoosh's postings pool grow to 256 MB; read in
stretches of 2,000 paragraphs with the pool capped at 32 MB, the child stays near 300 MB of
address space, about what it needs for 100,000.
"""

from __future__ import annotations

import os
import subprocess
import sys

from support.long_article import write_corpus

PARAGRAPHS = 200_000
ADDRESS_SPACE_MB = 480
CHILD = (
    "import resource, sys; limit = int(sys.argv.pop(1)) << 20;"
    " resource.setrlimit(resource.RLIMIT_AS, (limit, limit));"
    " from briefing.tui.cli import main; sys.exit(main())"
)


def test_long_article_is_indexed_within_a_memory_budget(tmp_path):
    corpus = tmp_path / "c"
    size = write_corpus(corpus, PARAGRAPHS).stat().st_size
    # One malloc arena: the budget is for the heap, not for address space glibc reserves per thread.
    env = {**os.environ, "MALLOC_ARENA_MAX": "1", "COLUMNS": "300"}
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(ADDRESS_SPACE_MB), "index", "--corpus", str(corpus)],
        capture_output=True, text=True, timeout=1200, env=env,  # the hang guard only
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"3 articles, {PARAGRAPHS + 1 + 5} passages indexed" in proc.stdout
    notes = " ".join(proc.stderr.split())
    # named with its size before the wait and after it, with what took the time
    named = f"huge.txt ({size / 1_048_576:.1f} MB, {PARAGRAPHS + 1:,} paragraphs)"
    assert f"{named} is a very long article" in notes and f"{named} took" in notes
    assert "finding its quotations" in notes and "writing the index" in notes and "split it" in notes
    assert "2,000 paragraphs at a time" in notes
