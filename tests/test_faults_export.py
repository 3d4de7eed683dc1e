"""Issue 18, item 1: `bookmarks export -o PATH` never replaces what PATH is with a new file.

A regular file or a new name is written atomically; a symlink is followed to its target (the link
stays a link); a FIFO is written directly (a reader at the other end gets the export); a directory
is refused with a message. No real device is touched: a FIFO in a temporary directory stands for one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from briefing.tui.cli import main

ROOT = Path(__file__).resolve().parent.parent
CLI = "import sys; from briefing.tui.cli import main; sys.exit(main())"


def _add(capsys) -> None:
    assert main(["bookmarks", "add", "001", "--paragraph", "2"]) == 0
    capsys.readouterr()


def test_export_to_symlink_writes_the_target_and_keeps_the_link(tmp_path, capsys):
    _add(capsys)
    target = tmp_path / "real.md"
    target.write_text("old\n")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert main(["bookmarks", "export", "-o", str(link)]) == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text().startswith("# Bookmarks")


def test_export_to_dangling_symlink_creates_its_target(tmp_path, capsys):
    _add(capsys)
    target = tmp_path / "made.md"
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert main(["bookmarks", "export", "-o", str(link)]) == 0
    assert link.is_symlink() and target.read_text().startswith("# Bookmarks")


def test_export_to_regular_file_is_replaced_atomically(tmp_path, capsys):
    _add(capsys)
    out = tmp_path / "out.md"
    out.write_text("old\n")
    os.chmod(out, 0o640)
    assert main(["bookmarks", "export", "-o", str(out)]) == 0
    assert out.read_text().startswith("# Bookmarks") and (out.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]  # no temp file left


def test_export_to_directory_is_refused(tmp_path, capsys):
    _add(capsys)
    code = main(["bookmarks", "export", "-o", str(tmp_path)])
    _out, err = capsys.readouterr()
    assert code == 1 and "is a directory" in err and str(tmp_path) in err
    assert "Traceback" not in err and list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_export_to_fifo_writes_into_it(tmp_path):
    """In a subprocess (time limit): the FIFO stays a FIFO and its reader gets the export."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as handle:
            got.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    proc = subprocess.run(
        [sys.executable, "-c", CLI, "bookmarks", "export", "-f", "json", "-o", str(fifo)],
        capture_output=True, text=True, timeout=60,
    )
    reader.join(10)
    assert proc.returncode == 0, proc.stderr
    assert fifo.is_fifo() and got and got[0].strip() == b"[]"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]
