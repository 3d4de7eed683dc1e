"""Issue 18, item 12: `briefing index` of one article of very many short paragraphs stays within
a fixed memory budget (the child's address space is limited), needs little more memory for four
times the paragraphs, says before and after that this article is the slow one, and prints no
traceback.

200,000 paragraphs: the first reading held every paragraph's tokens and cues until the article's
end (about 2 KB a paragraph) and let Whoosh's postings pool grow to 256 MB; read in stretches of
2,000 paragraphs with the pool capped at 32 MB, the child stays well under 480 MB of address space.

The peak (resident) for 200,000 paragraphs against 50,000, of a few dozen words in all (so that
it is the paragraphs that grow, not the vocabulary): the article's JSON cached as one value was
built whole in SQLite's memory, twice over, and every passage had a `pid` term of its own in the
term table of the segment being written. 83 MB -> 120 MB, +37.6 MB (~260 bytes a paragraph); in
pieces, and `pid` stored only, 77 MB -> 91 MB, +13.6 MB (~95). Then every passage still had a
`paragraph` term of its own, and the article's paragraphs were strings (two bytes a character
once a curly quote is in one): with `paragraph` a column only, the paragraphs compressed pieces
and the quote record compressed until it is cached, 76 MB -> 80 MB, +4 MB (~28).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

PARAGRAPHS = 200_000
FEWER = 50_000
ADDRESS_SPACE_MB = 480
GROWTH_MB = 8  # of the peak from FEWER to PARAGRAPHS: 37.6 MB, then 13.6 MB, now 4 MB
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


def _few_words(root: Path, paragraphs: int) -> int:
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
    path = root / "log.txt"
    path.write_text("Harbour log\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
    return path.stat().st_size


def test_long_article_is_indexed_within_a_memory_budget(tmp_path):
    size = _few_words(tmp_path / "c", PARAGRAPHS)
    proc, peak = _index(tmp_path / "c", tmp_path / "home")
    assert f"1 articles, {PARAGRAPHS} passages indexed" in proc.stdout
    notes = " ".join(proc.stderr.split())
    # named with its size before the wait and after it, with what took the time
    named = f"log.txt ({size / 1_048_576:.1f} MB, {PARAGRAPHS:,} paragraphs)"
    assert f"{named} is a very long article" in notes and f"{named} took" in notes
    assert "finding its quotations" in notes and "writing the index" in notes and "split it" in notes
    assert "2,000 paragraphs at a time" in notes
    # and a quarter of it needs little less: the peak stops growing with the paragraphs
    _few_words(tmp_path / "fewer", FEWER)
    proc, fewer_peak = _index(tmp_path / "fewer", tmp_path / "home-fewer")
    assert f"1 articles, {FEWER} passages indexed" in proc.stdout
    growth_mb = (peak - fewer_peak) / 1024
    assert growth_mb < GROWTH_MB, f"{FEWER:,} paragraphs: {fewer_peak >> 10} MB at most; {PARAGRAPHS:,}: {peak >> 10} MB"
