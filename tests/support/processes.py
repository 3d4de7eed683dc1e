"""Subprocess helpers for the kill, lock and interrupt tests: the CLI as a child, a corpus big
enough for the two-process writer, and what is alive under a process."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

CLI = "import sys; from briefing.tui.cli import main; sys.exit(main())"
# `briefing index` with Whoosh's writer processes from 20 articles on (2,000 normally)
MP_CLI = (
    "import sys; from briefing.index.search import passages; passages.MP_MIN_ARTICLES = 20;"
    " from briefing.tui.cli import main; sys.exit(main())"
)

PARAGRAPH = (
    "Delegation {i} met in Geneva on Monday for talks that lasted {j} hours, officials said, and"
    " the negotiators discussed missiles, exercises and the future of the alliance in detail."
)


def make_corpus(root: Path, n: int, paragraphs: int = 6) -> Path:
    root.mkdir(parents=True)
    for i in range(n):
        body = "\n\n".join(PARAGRAPH.format(i=i, j=j) + f" Word{i}x{j}." for j in range(paragraphs))
        (root / f"a{i:04d}.txt").write_text(f"Report number {i} from Geneva\n\n{body}\n", encoding="utf-8")
    return root


def children_of(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append(int(entry))
    return out


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def writer_workers(proc: subprocess.Popen, timeout: float = 60) -> list[int]:
    """The live worker processes of a `briefing index` child, once it has started them."""
    workers: list[int] = []
    deadline = time.monotonic() + timeout
    while not workers and time.monotonic() < deadline and proc.poll() is None:
        workers = [p for p in children_of(proc.pid) if alive(p)]
        time.sleep(0.01)
    return workers
