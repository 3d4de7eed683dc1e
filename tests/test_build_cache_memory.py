"""Issue 18 item 12: caching a very long article's JSON takes memory of a few thousand
paragraphs, not of the article. The child's address space is limited to what it holds before
the write plus a margin. The first write (the whole JSON as one string, copied three times over,
two bytes a character once a curly quote is in it) needed ~100 MB at this size; one value of
the row written piece by piece through a blob handle still ~32 MB (SQLite built the zeroblob
before the row's last columns whole, and again to cast it to text); rows of `pieces` ~17 MB."""

from __future__ import annotations

import os
import subprocess
import sys

PARAGRAPHS = 300_000
MARGIN_MB = 24
CHILD = """
import resource, sys
from pathlib import Path
from briefing.index import engine
from briefing.index.corpus.scan import CorpusFile
from briefing.index.model import Article, Paragraphs

count, margin, where = int(sys.argv[1]), int(sys.argv[2]) << 20, Path(sys.argv[3])
paragraphs = Paragraphs((f"“Vote {i},” said the délégué." if i % 10 == 5 else f"Vote {i}.", "text") for i in range(count))
article = Article(id="huge", outlet=None, title="Long talks", byline=None, date=None, dateline=None, captions=[],
                  paragraphs=paragraphs, sha256="ab" * 32)
state = engine._State(where / "articles.sqlite3")
state.put([(CorpusFile("short", where / "short.txt", 1, 2), Article(id="short", outlet=None, title="Short", byline=None,
           date=None, dateline=None, captions=[], paragraphs=Paragraphs([("One.", "text")]), sha256="cd" * 32), None)], 1)  # every import done
with open("/proc/self/statm") as statm:
    held = int(statm.read().split()[0]) * resource.getpagesize()
if margin:
    resource.setrlimit(resource.RLIMIT_AS, (held + margin, held + margin))
state.put([(CorpusFile("huge", where / "huge.txt", 1, 2), article, None)], 1)
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) << 10 for line in status if line.startswith("VmPeak"))
print("cached", *state._db().execute("select typeof(article), length(article) from files where id='huge'").fetchone(),
      "over", (peak - held) >> 20, "MB")
"""


def test_a_long_article_is_cached_within_a_memory_margin(tmp_path):
    env = {**os.environ, "MALLOC_ARENA_MAX": "1"}  # one arena: the margin is for the heap
    proc = subprocess.run([sys.executable, "-c", CHILD, str(PARAGRAPHS), str(MARGIN_MB), str(tmp_path)],
                          capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "cached" in proc.stdout
