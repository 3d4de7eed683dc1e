"""Issue 18, item 11: Ctrl-C ends any command cleanly: no traceback (from the command or from
Whoosh's writer processes), exit status 130, no process left behind."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support.processes import MP_CLI, alive, make_corpus, writer_workers

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


def test_ctrl_c_during_index_with_writer_processes(tmp_path):
    corpus = make_corpus(tmp_path / "c", 300)
    # Each progress report of the reading waits a while, so the index is still being written when
    # Ctrl-C comes, however fast the machine (300 articles alone took less than the test's wait
    # on a loaded one).
    slow_reading = (
        "import time; from briefing.index import engine; real = engine.Briefing.open\n"
        "def open(self, *a, progress=None, **k):\n"
        "    def slow(stage, done, total):\n"
        "        if stage == 'parse': time.sleep(0.3)\n"
        "        progress(stage, done, total)\n"
        "    return real(self, *a, progress=slow if progress else None, **k)\n"
        "engine.Briefing.open = open\n"
    )
    # a new process group, as a terminal gives a command: Ctrl-C reaches the workers too
    proc = subprocess.Popen([sys.executable, "-c", slow_reading + MP_CLI, "index", "--corpus", str(corpus)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    workers: list[int] = []
    try:
        workers = writer_workers(proc)
        assert workers, "the writer processes never started"
        time.sleep(0.2)
        import os

        os.killpg(proc.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
        _out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130, err[-3000:]
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "interrupted" in err
    deadline = time.monotonic() + 5
    while any(alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(p) for p in workers)


def test_ctrl_c_during_the_analysis(tmp_path):
    script = (
        "import sys, time, signal, os, threading\n"
        "from briefing.index import engine\n"
        "real = engine.Briefing.analysis\n"
        "def slow(self):\n"
        "    print('analysing', flush=True); time.sleep(60)\n"
        "engine.Briefing.analysis = slow\n"
        "from briefing.tui.cli import main\n"
        "sys.exit(main(['quotes']))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        assert proc.stdout.readline().strip() == "analysing"
        import os

        os.killpg(proc.pid, signal.SIGINT)
        _out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 130 and "Traceback" not in err and "interrupted" in err
