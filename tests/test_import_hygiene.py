"""The TUI asks the engine; the engine never knows about the TUI.

- importing any reader module (everything in `briefing.tui` but the command line) loads no Whoosh:
  it loads in the open worker, after the first paint;
- importing any `briefing.index` module loads no Textual (the engine is usable headless);
- every module imports: an ImportError is a failure, never a skip.
Each check runs in a fresh interpreter, so what other tests imported does not count.
The import-linter contracts in pyproject.toml check the same rules statically, CLI included.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
import textwrap

import briefing


def _modules(package: str) -> list[str]:
    module = __import__(package, fromlist=["__path__"])
    names = [package]
    for info in pkgutil.walk_packages(module.__path__, prefix=f"{package}."):
        names.append(info.name)
    return sorted(names)


def _loaded_after_import(modules: list[str], watch: str) -> dict[str, str]:
    code = textwrap.dedent(
        f"""
        import importlib, sys, json
        found = {{}}
        for name in {modules!r}:
            importlib.import_module(name)
            if any(m == {watch!r} or m.startswith({watch!r} + ".") for m in sys.modules):
                found[name] = "loaded {watch}"
                break
        print(json.dumps(found))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr  # an ImportError in any module fails here
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_package_lists_its_rooms():
    modules = _modules("briefing")
    for room in ("briefing.index.corpus", "briefing.index.search", "briefing.index.quotes",
                 "briefing.index.bookmarks", "briefing.index.positions", "briefing.tui.cli", "briefing.tui.app"):
        assert room in modules
    assert briefing.__version__


def test_reader_modules_do_not_import_whoosh():
    modules = [m for m in _modules("briefing.tui") if not m.startswith("briefing.tui.cli")]
    assert "briefing.tui.app" in modules
    assert _loaded_after_import(modules, "whoosh") == {}


def test_tui_app_import_does_not_load_the_engine():
    """The app shell paints before the engine (and its SQLite cache) is imported."""
    assert _loaded_after_import(["briefing.tui.app"], "briefing.index.engine") == {}


def test_tui_app_import_does_not_read_package_metadata():
    """importlib.metadata (with zipfile and email behind it) is read only when the version is asked
    for: the reader's start-up does not pay for it."""
    assert _loaded_after_import(["briefing.tui.app"], "importlib.metadata") == {}


def test_cli_parser_does_not_load_whoosh_or_textual():
    """`briefing --help` and argument errors answer before any heavy import."""
    for watch in ("whoosh", "textual"):
        assert _loaded_after_import(["briefing.tui.cli"], watch) == {}


def test_index_modules_never_import_textual():
    modules = _modules("briefing.index")
    assert "briefing.index.engine" in modules
    assert _loaded_after_import(modules, "textual") == {}


def test_a_module_that_fails_to_import_fails_the_check():
    """The check itself can fail: a module that does not import is an error, not a skip."""
    import pytest

    with pytest.raises(AssertionError, match="ModuleNotFoundError"):
        _loaded_after_import(["briefing.index.no_such_room"], "textual")
