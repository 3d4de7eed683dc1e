"""Writing files so that a crash leaves either the old file or the whole new one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(target: Path, data: bytes) -> None:
    """Write `data` to `target` so that it is either the old file or the whole new one: a temp
    file in the same directory, fsync, os.replace, then fsync of the directory."""
    directory = target.parent if str(target.parent) else Path(".")
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    fsync_dir(directory)


def fsync_dir(directory: Path) -> None:
    """Make a rename in `directory` durable (best effort: some filesystems refuse)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class OutputError(OSError):
    """An output path that cannot be written (a directory, ...): the message names it and why."""


def write_output(target: Path, data: bytes) -> Path:
    """Write an export to `target` without ever replacing what `target` is.

    A regular file or a new name is written atomically (`write_atomically`); a symlink is followed
    to its final target, which is written the same way (the link stays a link); a FIFO, a character
    device or a socket is opened and written directly (a temp file there would replace the device
    node); a directory is refused. Returns the path that was written.
    """
    import stat

    path = Path(target)
    # Follow links by hand: resolve(strict=False) also resolves a dangling link's target.
    resolved = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        st = os.stat(resolved)
    except FileNotFoundError:
        st = None
    except NotADirectoryError as exc:
        raise OutputError(exc.errno, f"{resolved.parent} is not a directory") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(21, f"{target} is a directory: give a file name inside it, e.g. {Path(target) / 'bookmarks.md'}")
    if st is not None and not stat.S_ISREG(st.st_mode):
        # A FIFO, a terminal, /dev/null, /dev/stdout: write into it as it is.
        fd = os.open(resolved, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
        finally:
            os.close(fd)
        return resolved
    write_atomically(resolved, data)
    return resolved


def move_aside(path: Path, label: str = "damaged", sidecars: tuple[str, ...] = ("-wal", "-shm", "-journal")) -> Path:
    """Rename `path` (and its SQLite sidecars) to `<name>.<label>-<UTC timestamp>[-N]`, never
    replacing anything: the new name is claimed with a hard link, which fails if it exists."""
    from datetime import datetime, timezone

    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    n = 0
    while True:
        target = path.with_name(f"{path.name}.{label}-{stamp}" + (f"-{n}" if n else ""))
        if not target.exists() and not any(target.with_name(target.name + s).exists() for s in sidecars):
            try:
                _rename_no_overwrite(path, target)
                break
            except FileExistsError:
                pass
        n += 1
    for suffix in sidecars:
        side = path.with_name(path.name + suffix)
        if side.exists():
            try:
                _rename_no_overwrite(side, target.with_name(target.name + suffix))
            except OSError:
                pass  # the file itself is safe; a stray sidecar is not worth failing over
    fsync_dir(path.parent)
    return target


def _rename_no_overwrite(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)  # FileExistsError rather than replacing
    except FileExistsError:
        raise
    except OSError:  # no hard links on this filesystem
        if dst.exists():
            raise FileExistsError(dst) from None
        os.rename(src, dst)
        return
    os.unlink(src)
