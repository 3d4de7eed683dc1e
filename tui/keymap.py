"""The keymap file: rebind any key of the reader by its binding id (posting's and harlequin's model).

`$XDG_CONFIG_HOME/briefing/keymap.toml`, one line per binding: the id (the help screen, `?`,
shows each key's id in brackets) and the keys, comma-separated::

    "article.bookmark" = "m"
    "search.next" = "n,ctrl+n"
    "view.focus" = "f"

The ids are dotted, so they are quoted; unquoted, TOML reads `article.bookmark = "m"` as a table
`[article] bookmark = "m"`, which is accepted too. A file that cannot be read or parsed, an
unknown id or a value that is not a string is reported and ignored, never fatal. Applied with
Textual's `App.set_keymap`, so the footer, the help screen and the palette show the new keys.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from textual.binding import Binding


def _path() -> Path:
    from briefing.index.locations import keymap_path

    return keymap_path()


def _flatten(data: dict[str, Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flatten(value, f"{name}.")
        else:
            yield name, value


def read(path: Path | None = None, known: set[str] | None = None) -> tuple[dict[str, str], list[str]]:
    """{binding id: keys} from the file, and a line for each problem. `known`: the binding ids
    that exist (an id not among them is reported)."""
    path = path or _path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, []
    except OSError as exc:
        return {}, [f"{path}: cannot be read ({exc.strerror or exc}); default keys used"]
    import tomllib  # deferred: only when there is a keymap file

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return {}, [f"{path}: not valid TOML ({exc}); default keys used"]
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in _flatten(data):
        if not isinstance(keys, str) or not keys.strip():
            problems.append(f"{path}: {binding_id} should be keys in a string, e.g. \"ctrl+n,n\"; ignored")
        elif known is not None and binding_id not in known:
            problems.append(f"{path}: no key has the id {binding_id} (? lists the ids); ignored")
        else:
            keymap[binding_id] = ",".join(k.strip() for k in keys.split(",") if k.strip())
    return keymap, problems


def binding_ids(classes: Iterable[type]) -> dict[str, Binding]:
    """Every binding with an id declared by these classes (and their bases), by id."""
    out: dict[str, Binding] = {}
    for cls in classes:
        for klass in cls.__mro__:
            for item in klass.__dict__.get("BINDINGS", ()):
                if isinstance(item, Binding) and item.id:
                    out.setdefault(item.id, item)
    return out
