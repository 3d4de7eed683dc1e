"""Issue 18, item 12: `briefing index` of one article of very many short paragraphs stays within
a fixed memory budget (the child's address space is limited), needs little more memory for
four times the paragraphs, says before and after that this article is the slow one, and prints
no traceback.

200,000 paragraphs (2.6 MB): the old reading held every paragraph's tokens and cues until the
article's end (about 2 KB a paragraph) and let Whoosh's postings pool grow to 256 MB; read in
stretches of 2,000 paragraphs with the pool capped at 32 MB, the child stays near 300 MB of
address space, about what it needs for 100,000.

The peak (resident) for 200,000 paragraphs against 50,000: a long article's JSON written into
the cache as one value was built whole in SQLite's memory (twice over), and every passage had a
`pid` term of its own in the segment's term table; the peak grew ~120 bytes a paragraph, 18 MB
over these 150,000. In pieces, and `pid` stored only, it grows by what the article itself holds.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from support.long_article import write_corpus

PARAGRAPHS = 200_000
FEWER = 50_000
ADDRESS_SPACE_MB = 480
GROWTH_MB = 12  # of the peak from FEWER to PARAGRAPHS
CHILD = (
    "import resource, sys; limit = int(sys.argv.pop(1)) << 20;"
    " resource.setrlimit(resource.RLIMIT_AS, (limit, limit));"
    " from briefing.tui.cli import main; code = main();"
    " print(f'peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} KB', file=sys.stderr); sys.exit(code)"
)


def _index(corpus: Path, home: Path) -> tuple[subprocess.CompletedProcess[str], int]:
    """`briefing index` of `corpus` in a child of limited address space, with its own cache
    directories; its output and its peak resident memory in KB."""
    # One malloc arena: the budget is for the heap, not for address space glibc reserves per thread.
    env = {**os.environ, "MALLOC_ARENA_MAX": "1", "COLUMNS": "300",
           "XDG_CACHE_HOME": str(home / "cache"), "XDG_DATA_HOME": str(home / "data")}
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(ADDRESS_SPACE_MB), "index", "--corpus", str(corpus)],
        capture_output=True, text=True, timeout=1200, env=env,  # the hang guard only
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode == 0, proc.stderr[-3000:]
    found = re.search(r"^peak (\d+) KB$", proc.stderr, re.M)
    assert found, proc.stderr[-3000:]
    return proc, int(found.group(1))


def _few_words(root: Path, paragraphs: int) -> None:
    """A long log of a few dozen words in all, so that what grows with it is the paragraphs, not
    the vocabulary (Whoosh's term table, the stemmer's and the quote reader's word caches)."""
    things = ["ferry", "bridge", "school", "tram", "harbour", "clinic", "market"]
    moves = ["opened", "closed", "waited", "moved"]
    body = []
    for i in range(paragraphs):
        if i % 20 == 3:
            body.append("“Not today,” she said.")
        elif i % 50 == 0:
            body.append("Mara Quist spoke.")
        else:
            body.append(f"{things[i % 7].title()} {moves[i % 4]} {i % 31}.")
    root.mkdir(parents=True)
    (root / "log.txt").write_text("Harbour log\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")


def test_long_article_is_indexed_within_a_memory_budget(tmp_path):
    corpus = tmp_path / "c"
    size = write_corpus(corpus, PARAGRAPHS).stat().st_size
    proc, peak = _index(corpus, tmp_path / "home")
    assert f"3 articles, {PARAGRAPHS + 1 + 5} passages indexed" in proc.stdout
    notes = " ".join(proc.stderr.split())
    # named with its size before the wait and after it, with what took the time
    named = f"huge.txt ({size / 1_048_576:.1f} MB, {PARAGRAPHS + 1:,} paragraphs)"
    assert f"{named} is a very long article" in notes and f"{named} took" in notes
    assert "finding its quotations" in notes and "writing the index" in notes and "split it" in notes
    assert "2,000 paragraphs at a time" in notes


def test_the_peak_grows_little_with_the_paragraphs(tmp_path):
    peaks = []
    for count in (FEWER, PARAGRAPHS):
        _few_words(tmp_path / f"c{count}", count)
        proc, peak = _index(tmp_path / f"c{count}", tmp_path / f"home{count}")
        assert f"1 articles, {count} passages indexed" in proc.stdout
        peaks.append(peak)
    growth_mb = (peaks[1] - peaks[0]) / 1024
    assert growth_mb < GROWTH_MB, f"{FEWER:,} paragraphs: {peaks[0] >> 10} MB at most; {PARAGRAPHS:,}: {peaks[1] >> 10} MB"
