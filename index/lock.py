"""One inter-process lock around writing a briefing's index and article cache.

`<index dir>/write.lock` is locked with flock(2) by the process that writes, which records its pid
and start time in it. A second process that has something to write waits for it (with a message
saying who holds it); one that only reads never takes it. The kernel drops a flock when the last
descriptor of it is closed, so a killed writer frees the lock by itself, unless children it forked
still hold the descriptor: the index's worker processes close it as they start and die with their
parent, and a lock whose recorded owner is gone while worker processes it recorded still hold it
is cleared by ending those workers (and only those).
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no inter-process lock, as before
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "write.lock"
POLL_S = 0.1

# Descriptors of locks this process holds: a forked worker closes them first thing, so that it
# never keeps a lock alive after its parent is gone.
_HELD: set[int] = set()


_LOCKS: list["WriteLock"] = []  # locks this process holds, told about its worker processes


def note_worker(pid: int) -> None:
    """Record a worker process forked while this process holds its locks: if this process dies
    and the worker somehow outlives it, the next writer knows the worker is a leftover."""
    for lock in list(_LOCKS):
        lock.add_worker(pid)


def held_descriptors() -> set[int]:
    return set(_HELD)


def register_descriptor(fd: int) -> None:
    _HELD.add(fd)


def forget_descriptor(fd: int) -> None:
    _HELD.discard(fd)


def start_worker(parent: int) -> None:
    """First thing in a forked worker (the index writer's, the analysis'): never outlive the
    parent, never hold its locks. Ctrl-C is the parent's to handle (it stops the workers); the
    lock descriptors inherited by fork are closed (else a killed parent's lock stays held by its
    children); on Linux the kernel kills the worker when the parent dies (SIGKILL included),
    elsewhere a watchdog notices."""
    import os
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for sig in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, sig):
            signal.signal(getattr(signal, sig), signal.SIG_DFL)
    close_inherited()
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)  # the parent died before this line

    def watch() -> None:
        import time

        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def close_inherited() -> None:
    """In a forked worker: close every lock descriptor inherited from the parent."""
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), to tell a reused pid apart."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    try:
        return stat.rsplit(")", 1)[1].split()[19]
    except IndexError:
        return None


def alive(pid: int, started: str | None = None) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    if started is not None:
        now = _start_time(pid)
        if now is not None and now != started:
            return False  # the pid was reused by another process
    return True


def holders(path: Path) -> list[int]:
    """Processes with a descriptor open on `path` (Linux /proc; [] elsewhere or if unreadable)."""
    try:
        target = os.stat(path)
    except OSError:
        return []
    out: list[int] = []
    me = os.getpid()
    try:
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return []
    for pid in pids:
        if pid == me:
            continue
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                st = os.stat(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if (st.st_dev, st.st_ino) == (target.st_dev, target.st_ino):
                out.append(pid)
                break
    return out


def command_of(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return " ".join(part.decode("utf-8", "replace") for part in raw.split(b"\0") if part)


class LockTimeout(Exception):
    """The lock stayed held by another live process for the whole wait; the message says who."""


class WriteLock:
    """flock on `<directory>/write.lock`; re-entrant within one object."""

    def __init__(self, directory: Path) -> None:
        self.path = Path(directory) / LOCK_NAME
        self._fd: int | None = None
        self._workers: list[int] = []

    @property
    def held(self) -> bool:
        return self._fd is not None

    def _record(self) -> dict[str, object]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def describe_holder(self) -> str:
        record = self._record()
        pid = record.get("pid")
        command = record.get("command") or ""
        if isinstance(pid, int):
            return f"process {pid}" + (f" ({command})" if command else "")
        return "another process"

    def try_acquire(self) -> bool:
        if self._fd is not None:
            return True
        if fcntl is None:  # pragma: no cover
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        register_descriptor(fd)
        _LOCKS.append(self)
        self._workers = []
        self._write_record()
        return True

    def _write_record(self) -> None:
        if self._fd is None:
            return
        record = {
            "pid": os.getpid(), "started": _start_time(os.getpid()), "command": _own_command(),
            "workers": self._workers,
        }
        try:
            os.ftruncate(self._fd, 0)
            os.pwrite(self._fd, json.dumps(record).encode("utf-8"), 0)
        except OSError:
            pass  # the lock holds without its note

    def add_worker(self, pid: int) -> None:
        self._workers.append(pid)
        self._write_record()

    def clear_stale(self) -> list[int]:
        """If the recorded owner is gone but processes still hold the lock (forks of the owner
        that outlived it), end them. Returns the pids that were ended."""
        record = self._record()
        pid = record.get("pid")
        started = record.get("started")
        if not isinstance(pid, int) or alive(pid, started if isinstance(started, str) else None):
            return []
        workers = record.get("workers")
        known = {w for w in workers if isinstance(w, int)} if isinstance(workers, list) else set()
        ended = []
        for holder in holders(self.path):
            if holder not in known:
                continue  # not one of the dead owner's workers: a live writer that just took the lock
            try:
                os.kill(holder, signal.SIGKILL)
                ended.append(holder)
            except OSError:
                pass
        deadline = time.monotonic() + 5
        while ended and time.monotonic() < deadline and any(alive(p) for p in ended):
            time.sleep(POLL_S)
        return ended

    def acquire(self, wait: float, on_wait: Callable[[str], None] | None = None) -> list[str]:
        """Take the lock, waiting up to `wait` seconds for another writer. Returns messages about
        what happened (a stale lock cleared); raises LockTimeout if it stayed held."""
        messages: list[str] = []
        if self.try_acquire():
            return messages
        ended = self.clear_stale()
        if ended:
            messages.append(
                f"the index lock {self.path} was held by processes left over from a briefing process that had"
                f" ended ({', '.join(map(str, ended))}): they were stopped and the lock cleared"
            )
            if self.try_acquire():
                return messages
        who = self.describe_holder()
        if on_wait is not None:
            on_wait(f"waiting for {who}, which is writing the index in {self.path.parent}")
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            time.sleep(POLL_S)
            if self.try_acquire():
                return messages
            if self.clear_stale() and self.try_acquire():
                return messages
        raise LockTimeout(
            f"the index in {self.path.parent} has been written by {who} for over {wait:.0f} s:"
            " run the command again when it has finished (or stop that process)"
        )

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if self in _LOCKS:
            _LOCKS.remove(self)
        forget_descriptor(fd)
        try:
            os.close(fd)  # drops the flock
        except OSError:
            pass


def _own_command() -> str:
    import sys

    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    return " ".join([name, *sys.argv[1:3]])[:120]
