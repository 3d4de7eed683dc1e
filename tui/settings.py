"""The reader's settings: JSON at `briefing.index.locations.settings_path()`
(`$XDG_CONFIG_HOME/briefing/settings.json`).

| key | value | default |
| --- | --- | --- |
| `theme` | a Textual theme name (Ctrl+P → Theme sets it) | `textual-dark` |
| `sort` | how the sources are listed: `date` (oldest first, then outlet), `date-newest`, `outlet`, `number` (`s` in the sources list cycles it) | `date` |
| `max_width` | the widest line of article text, in columns (20–400; 0 for the whole width) | 80 |

Written atomically (temp file in the same directory, fsync, os.replace), so a crash never leaves
half a file; read forgivingly: a file that cannot be read or parsed, an unknown key or a value of
the wrong kind is reported (`problems`) and ignored, never fatal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

# json and the atomic writer load on first use: with no settings file, start-up reads no JSON.

SORTS = ("date", "date-newest", "outlet", "number")
DEFAULTS: dict[str, Any] = {"sort": "date", "max_width": 80}


def _path() -> Path:
    from briefing.index.locations import settings_path

    return settings_path()


def _check(key: str, value: Any) -> str | None:
    """Why `value` is no good for `key`, or None."""
    if key == "theme":
        return None if isinstance(value, str) else "should be a theme name"
    if key == "sort":
        return None if value in SORTS else f"should be one of {', '.join(SORTS)}"
    if key == "max_width":
        ok = isinstance(value, int) and not isinstance(value, bool) and (value == 0 or 20 <= value <= 400)
        return None if ok else "should be a number of columns from 20 to 400, or 0"
    return "is not a setting"


def read(path: Path | None = None) -> tuple[dict[str, Any], list[str]]:
    """The valid settings in the file, and a line for each problem found (the file is not changed)."""
    path = path or _path()
    raw: Any = None
    source = path
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        legacy = _legacy(path)
        if legacy is None:
            return {}, []
        source = legacy
        try:
            raw = legacy.read_text(encoding="utf-8")
        except OSError:
            return {}, []
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [f"{path}: cannot be read ({getattr(exc, 'strerror', None) or exc}); defaults used"]
    import json

    try:
        data = json.loads(raw)
    except ValueError as exc:
        return {}, [f"{source}: not valid JSON ({exc}); defaults used"]
    if not isinstance(data, dict):
        return {}, [f"{source}: should hold a JSON object; defaults used"]
    good: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in data.items():
        why = _check(key, value)
        if why is None:
            good[key] = value
        else:
            problems.append(f"{source}: {key} = {json.dumps(value, ensure_ascii=False)} {why}; ignored")
    return good, problems


def _legacy(path: Path) -> Path | None:
    """Settings written by an older version (in the data dir), read until the first save."""
    from briefing.index.locations import legacy_settings_path, settings_path

    if path != settings_path():
        return None
    legacy = legacy_settings_path()
    return legacy if legacy.exists() else None


def load(path: Path | None = None) -> dict[str, Any]:
    """The valid settings (problems dropped)."""
    return read(path)[0]


def get(settings: dict[str, Any], key: str) -> Any:
    return settings.get(key, DEFAULTS.get(key))


def save(updates: dict[str, Any], path: Path | None = None) -> None:
    """Merge `updates` into the file (keeping valid settings already there). Raises OSError when
    it cannot be written."""
    import json

    from briefing.index.atomic import write_atomically

    path = path or _path()
    data, problems = read(path)
    if any(str(path) in p and "not valid JSON" in p for p in problems):
        # A file the user broke is kept beside the new one, not overwritten.
        import time

        path.replace(path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}"))
    data.update(updates)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_atomically(path, text.encode("utf-8"))
