"""The reader's settings (the theme): JSON at `briefing.index.locations.settings_path()`.

Written atomically (temp file in the same directory, fsync, os.replace), so a crash never leaves
half a file; read forgivingly, so a damaged or unreadable file means defaults, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from briefing.index.atomic import write_atomically


def _path() -> Path:
    from briefing.index.locations import settings_path

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
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_atomically(path, text.encode("utf-8"))
