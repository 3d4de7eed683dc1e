"""Issue 18 item 12: cleaning a paste of very many short paragraphs takes memory of its text and
its paragraphs, not of a list of its blocks. The child's address space is limited to what it holds
before the read plus a margin: the old cleaning (every block of the file in a list, the text copied
into an io.StringIO at four bytes a character) needed ~55 MB more at this size, the streamed one ~25."""

from __future__ import annotations

import os
import subprocess
import sys

from support.long_article import write_corpus

PARAGRAPHS = 300_000
MARGIN_MB = 40
CHILD = """
import resource, sys
from pathlib import Path
from briefing.index.corpus.scan import CorpusFile, parse_articles
from briefing.index.model import Manifest

path, margin = Path(sys.argv[1]), int(sys.argv[2]) << 20
st = path.stat()
small = path.parent / "short.txt"
parse_articles(CorpusFile("short", small, 1, small.stat().st_size), Manifest())  # every import done
with open("/proc/self/statm") as statm:
    held = int(statm.read().split()[0]) * resource.getpagesize()
resource.setrlimit(resource.RLIMIT_AS, (held + margin, held + margin))
(article,), _, _ = parse_articles(CorpusFile("huge", path, st.st_mtime_ns, st.st_size), Manifest())
print("paragraphs", len(article.paragraphs), article.paragraphs[6].text, article.paragraphs[-1].text)
"""


def test_a_long_paste_is_cleaned_within_a_memory_margin(tmp_path):
    path = write_corpus(tmp_path / "c", PARAGRAPHS)
    env = {**os.environ, "MALLOC_ARENA_MAX": "1"}  # one arena: the margin is for the heap
    proc = subprocess.run([sys.executable, "-c", CHILD, str(path), str(MARGIN_MB)],
                          capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["paragraphs", str(PARAGRAPHS + 1), "“No,”", "she", "said.", "Vote", "99999."]
