"""Bookmarks survive what real processes do: being killed mid-write, and writing at the same time.

Each writer is a separate Python process using the real store. A bookmark id is printed only
after `add` has returned, i.e. after its transaction committed; so every printed id is a promise
that must hold after SIGKILL at any instant.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from briefing.index.bookmarks.store import BookmarkStore

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

WRITER = r"""
import sys
from briefing.index.bookmarks.store import BookmarkStore
from briefing.index.model import Article, Paragraph

path, tag, count, wait = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "wait"
paragraphs = [Paragraph(i + 1, f"Paragraph {i + 1} of the article, with enough words to quote. " * 3) for i in range(12)]
article = Article(id="story", outlet="Wire", title="Story", byline=None, date="2022-01-10", dateline=None,
                  captions=[], paragraphs=paragraphs, sha256="0" * 64)
store, warning = BookmarkStore.open(path)
if warning is not None:
    print("WARNING", warning, flush=True)
    sys.exit(3)
if wait:
    print("ready", flush=True)
    sys.stdin.readline()
i = 0
while count < 0 or i < count:
    bookmark = store.add("story", i % 12 + 1, article, note=f"{tag} note {i} " * 8, tags=[tag, str(i)])
    print(bookmark.id, flush=True)  # only after add() returned: committed
    i += 1
store.close()
"""


def start_writer(path: Path, tag: str, count: int = -1, wait: bool = False) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), tag, str(count), "wait" if wait else "go"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
        text=True,
    )


class Lines:
    """A writer's stdout, read on a thread, so that no read in the test can block forever."""

    def __init__(self, proc: subprocess.Popen):
        self.proc = proc
        self.queue: queue.Queue[str | None] = queue.Queue()
        self.thread = threading.Thread(target=self._pump, daemon=True)
        self.thread.start()

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.queue.put(line)
        self.queue.put(None)  # end of output

    def next(self, timeout: float = 20) -> str:
        try:
            line = self.queue.get(timeout=timeout)
        except queue.Empty:
            self.proc.kill()
            raise AssertionError(f"writer printed nothing for {timeout}s") from None
        if line is None:
            raise AssertionError(f"writer ended early: {self.proc.stderr.read()}")
        return line

    def rest(self, timeout: float = 20) -> list[str]:
        """Every line left once the process has ended."""
        self.proc.wait(timeout=timeout)
        self.thread.join(timeout=timeout)
        self.proc.stdout.close()
        lines = []
        while (line := self.queue.get_nowait()) is not None:
            lines.append(line)
        return lines


def stored_ids(path: Path) -> set[str]:
    store, warning = BookmarkStore.open(path)
    try:
        assert warning is None, f"the store did not open cleanly: {warning}"
        return {b.id for b in store.list()}
    finally:
        store.close()


def test_confirmed_bookmarks_survive_sigkill_at_random_moments(tmp_path):
    path = tmp_path / "data" / "bookmarks" / "kill.sqlite3"
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    confirmed: set[str] = set()
    started = time.monotonic()
    kills = 0
    while kills < 20 and time.monotonic() - started < 10:
        proc = start_writer(path, f"k{kills}")
        lines = Lines(proc)
        lines_before_kill = rng.randint(0, 6)
        for _ in range(lines_before_kill):
            line = lines.next()
            assert not line.startswith("WARNING"), f"seed {seed}: {line}"
            confirmed.add(line.strip())
        # land anywhere: during start-up / opening (0 lines), inside a transaction, mid-fsync...
        time.sleep(rng.uniform(0, 0.004) if lines_before_kill else rng.uniform(0, 0.12))
        proc.send_signal(signal.SIGKILL)
        rest = lines.rest()
        proc.stderr.close()
        proc.stdin.close()
        assert proc.returncode == -signal.SIGKILL
        # every complete line was printed after its commit, so it counts as confirmed too
        for line in rest:
            assert not line.startswith("WARNING"), f"seed {seed}: {line}"
            if line.endswith("\n"):
                confirmed.add(line.strip())
        kills += 1
        if path.exists():
            missing = confirmed - stored_ids(path)
            assert not missing, f"seed {seed}, kill {kills}: confirmed bookmarks lost: {sorted(missing)}"
    assert kills >= 10, "too few kills to mean anything"
    assert len(confirmed) >= 20, f"seed {seed}: the writers confirmed only {len(confirmed)} bookmarks"
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    assert not list(path.parent.glob("*.damaged-*")), "a killed writer left a store that looked damaged"
    # and the store is still writable after all that
    assert len(stored_ids(path)) >= len(confirmed)


def test_two_processes_adding_at_once_keep_all_rows(tmp_path):
    path = tmp_path / "data" / "bookmarks" / "race.sqlite3"
    writers = [start_writer(path, tag, count=50, wait=True) for tag in ("left", "right")]
    readers = [Lines(proc) for proc in writers]
    try:
        for lines in readers:  # both have opened the (new) store before either writes
            assert lines.next() == "ready\n"
        for proc in writers:
            proc.stdin.write("go\n")
            proc.stdin.flush()
        outputs = [lines.rest(timeout=60) for lines in readers]
    finally:
        for proc in writers:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    for proc in writers:
        err = proc.stderr.read()
        proc.stderr.close()
        proc.stdin.close()
        assert proc.returncode == 0, err
    ids = [{line.strip() for line in out} for out in outputs]
    assert len(ids[0]) == len(ids[1]) == 50
    store, warning = BookmarkStore.open(path)
    try:
        assert warning is None
        rows = store.list()
        assert len(rows) == 100
        assert {b.id for b in rows} == ids[0] | ids[1]
        assert {b.tags[0] for b in rows} == {"left", "right"}
    finally:
        store.close()
