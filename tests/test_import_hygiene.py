"""The TUI asks the engine; the engine never knows about the TUI.

- importing any `tui` module loads no Whoosh (it loads in the open worker, after the first paint);
- importing any `index` module loads no Textual (the engine is usable headless).
Each check runs in a fresh interpreter, so what other tests imported does not count.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _modules(package: str) -> list[str]:
    path = ROOT / package.replace(".", "/")
    names = [package]
    for info in pkgutil.walk_packages([str(path)], prefix=f"{package}."):
        names.append(info.name)
    return sorted(names)


def _loaded_after_import(modules: list[str], watch: str) -> list[str]:
    code = textwrap.dedent(
        f"""
        import importlib, sys, json
        found = {{}}
        for name in {modules!r}:
            try:
                importlib.import_module(name)
            except ImportError as exc:  # a module whose optional sibling is not written yet
                found[name] = "import error: " + str(exc)
                continue
            if any(m == {watch!r} or m.startswith({watch!r} + ".") for m in sys.modules):
                found[name] = "loaded {watch}"
                break
        print(json.dumps(found))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    import json

    found = json.loads(out.stdout.strip().splitlines()[-1])
    return [f"{name}: {why}" for name, why in found.items() if why.startswith("loaded")]


def test_tui_modules_do_not_import_whoosh():
    modules = [m for m in _modules("tui") if m not in ("tui.cli", "tui.cli_analysis", "tui.cli_bookmarks")]
    assert "tui.app" in modules
    assert _loaded_after_import(modules, "whoosh") == []


def test_tui_app_import_does_not_load_the_engine():
    """The app shell paints before the engine (and its SQLite cache) is imported."""
    offenders = _loaded_after_import(["tui.app"], "index.engine")
    assert offenders == []


@pytest.mark.parametrize("watch", ["textual"])
def test_index_modules_never_import_textual(watch):
    modules = _modules("index")
    assert "index.engine" in modules
    assert _loaded_after_import(modules, watch) == []
