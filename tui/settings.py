"""The reader's settings (the theme): JSON at `index.locations.settings_path()`.

Written atomically (temp file in the same directory, fsync, os.replace), so a crash never leaves
half a file; read forgivingly, so a damaged or unreadable file means defaults, never a traceback.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def _path() -> Path:
    from index.locations import settings_path

    return settings_path()


def load(path: Path | None = None) -> dict[str, Any]:
    try:
        data = json.loads((path or _path()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(updates: dict[str, Any], path: Path | None = None) -> None:
    """Merge `updates` into the file. Raises OSError when it cannot be written."""
    path = path or _path()
    data = load(path)
    data.update(updates)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=2, sort_keys=True)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass
