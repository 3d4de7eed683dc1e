"""The reader's first frame costs what the first screen shows, nothing more.

- At the first frame (a fresh interpreter, the reader run headless as `make bench` runs it), none
  of the engine's heavy modules is loaded (Whoosh, numpy, trafilatura, SQLite, the quote analysis), nor
  the screens and helpers that only a key opens (Compare, Bookmarks, filters, help, the palette's
  provider, the clipboard's citations).
- The first time the reader is shown it is not styled a second time (see
  ReaderScreen._on_screen_resume): the styles it has then must be exactly what a full restyle
  gives, at both layouts; a later resume that asks for it still restyles.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from support.tui import BUNDLED, env, make_app, shared_cache, wait_loaded  # noqa: F401 - fixtures

NOT_BEFORE_FIRST_FRAME = (
    "whoosh", "numpy", "trafilatura", "sqlite3", "briefing.index.engine", "briefing.index.quotes", "briefing.index.analysis",
    "briefing.index.search", "briefing.index.text", "briefing.tui.screens.compare", "briefing.tui.screens.bookmarks",
    "briefing.tui.screens.filters", "briefing.tui.screens.help", "briefing.tui.screens.annotate",
    "briefing.tui.commands", "briefing.tui.bookmarks", "briefing.tui.widgets.bookmarks",
)

_CHILD = textwrap.dedent(
    """
    import json, os, sys
    from textual.app import App
    from briefing.tui.app import BriefingApp

    app = BriefingApp(corpus=sys.argv[1])
    shown = App._display

    def display(self, screen, renderable):
        shown(self, screen, renderable)
        if renderable is not None and self is app:
            print(json.dumps({"screen": type(screen).__name__, "modules": sorted(sys.modules)}), flush=True)
            os._exit(0)  # at the first frame: what the open worker loads next does not count

    App._display = display
    app.run(headless=True, size=(160, 48))
    """
)


def _loaded_at_first_frame(tmp_path, corpus) -> dict:
    child_env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_DATA_HOME": str(tmp_path / "data"),
                 "XDG_CONFIG_HOME": str(tmp_path / "config")}
    import os

    out = subprocess.run([sys.executable, "-c", _CHILD, str(corpus)], capture_output=True, text=True, timeout=120,
                         env={**os.environ, **child_env})
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _matches(modules: list[str], name: str) -> bool:
    return any(m == name or m.startswith(name + ".") for m in modules)


def test_first_frame_loads_only_what_the_first_screen_shows(tmp_path):
    seen = _loaded_at_first_frame(tmp_path, BUNDLED)
    assert seen["screen"] == "ReaderScreen"
    modules = seen["modules"]
    assert "briefing.tui.screens.reader" in modules and "briefing.tui.widgets.quotes" in modules
    assert [name for name in NOT_BEFORE_FIRST_FRAME if _matches(modules, name)] == []


def _styles(app) -> dict[str, str]:
    """Every node's computed style rules (the widget's path, then its rules as CSS)."""
    return {
        f"{i}:{node.css_identifier_styled}": node.styles.css
        for i, node in enumerate(app.screen.walk_children(with_self=True))
    }


async def _first_frame_is_fully_styled(size, monkeypatch) -> None:
    """At the first frame (nothing else has run yet): a full restyle changes nothing."""
    from textual.app import App

    app = make_app(BUNDLED)
    seen: list[tuple[dict, dict]] = []
    shown = App._display

    def display(self, screen, renderable):
        shown(self, screen, renderable)
        if renderable is not None and self is app and not seen and screen is app.reader:
            before = _styles(app)
            app.update_styles(app.reader)
            seen.append((before, _styles(app)))

    monkeypatch.setattr(App, "_display", display)
    async with app.run_test(size=size) as pilot:
        await wait_loaded(pilot, app)
    assert seen, "no frame of the reader was drawn"
    before, after = seen[0]
    assert len(before) > 20 and before == after


async def test_first_frame_needs_no_second_styling_wide(env, monkeypatch):
    await _first_frame_is_fully_styled((160, 48), monkeypatch)


async def test_first_frame_needs_no_second_styling_narrow(env, monkeypatch):
    await _first_frame_is_fully_styled((80, 24), monkeypatch)


async def test_a_later_resume_restyles(env):
    """Only the first resume skips the restyle: one asked for later (as Textual does when a
    screen is switched back to) still applies a rule that changed meanwhile."""
    from textual import events

    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        body = app.reader.query_one("#body")
        body.add_class("-probe", update=False)
        app.stylesheet.add_source("#body.-probe { background: red; }", read_from=("test", "probe"))
        app.stylesheet.parse()
        assert body.styles.background.rgb != (255, 0, 0)  # not restyled yet
        app.reader.post_message(events.ScreenResume())
        await pilot.pause()
        assert body.styles.background.rgb == (255, 0, 0)
