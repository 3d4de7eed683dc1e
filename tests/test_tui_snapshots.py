"""What the reader looks like, at 80×24 (one pane at a time) and 120×40 (side by side).

Deterministic: cache and data in temporary directories, the fake quote analysis, the open worker
finished before the screenshot, no blinking cursor. Update with `--snapshot-update` only after
looking at the report (snapshot_report.html).
"""

from __future__ import annotations

from support.tui import BUNDLED, env, make_app, seed_bookmarks, shared_cache, wait_loaded  # noqa: F401 - fixtures


def _steps(*keys: str, query: str | None = None, after: tuple[str, ...] = ()):
    """run_before: wait for the briefing, press keys, search, press more, wait again."""

    async def run_before(pilot) -> None:
        app = pilot.app
        await wait_loaded(pilot, app)
        app.reader.search_panel.input.cursor_blink = False
        await pilot.press(*keys)
        if query is not None:
            app.reader.search_panel.set_query(query)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press(*after)
        await app.workers.wait_for_complete()
        await pilot.pause()

    return run_before


def test_wide_all_panes(env, snap_compare):
    assert snap_compare(make_app(BUNDLED), terminal_size=(120, 40), run_before=_steps("j", "2", "j", "j"))


def test_narrow_sources(env, snap_compare):
    assert snap_compare(make_app(BUNDLED), terminal_size=(80, 24), run_before=_steps())


def test_narrow_article_with_quotes(env, snap_compare):
    assert snap_compare(make_app(BUNDLED), terminal_size=(80, 24), run_before=_steps("2", "j", "j", "j", "j"))


def test_wide_search_jump_and_counter(env, snap_compare):
    assert snap_compare(
        make_app(BUNDLED), terminal_size=(120, 40), run_before=_steps("slash", query="ryabkov", after=("down", "enter", "n"))
    )


def test_narrow_search_results(env, snap_compare):
    assert snap_compare(make_app(BUNDLED), terminal_size=(80, 24), run_before=_steps("slash", query='"open door" OR ryabkv'))


def test_narrow_bad_query(env, snap_compare):
    assert snap_compare(make_app(BUNDLED), terminal_size=(80, 24), run_before=_steps("slash", query="speaker:(ryabkov"))


def test_narrow_quotes_by_speaker(env, snap_compare):
    assert snap_compare(make_app(BUNDLED), terminal_size=(80, 24), run_before=_steps("3", "s", "j"))


def test_narrow_positions_statements(env, snap_compare):
    assert snap_compare(make_app(BUNDLED), terminal_size=(80, 24), run_before=_steps("4", "l", "enter"))


def test_help_screen(env, snap_compare):
    assert snap_compare(make_app(BUNDLED), terminal_size=(120, 40), run_before=_steps("question_mark"))


def test_cramped(env, snap_compare):
    assert snap_compare(make_app(BUNDLED), terminal_size=(50, 12), run_before=_steps("2"))


def test_narrow_bookmarks_view(env, snap_compare):
    """Anchored (a note and tags with markup, shown as typed), moved and orphaned bookmarks; no
    dates that change (the view shows none but the articles')."""
    seed_bookmarks()
    assert snap_compare(make_app(BUNDLED), terminal_size=(80, 24), run_before=_steps("B", "j"))


def test_narrow_focus_mode(env, snap_compare):
    """z at 80×24: the article alone, every column for the text."""
    assert snap_compare(make_app(BUNDLED), terminal_size=(80, 24), run_before=_steps("2", "j", "j", "z"))


def test_wide_focus_mode_keeps_lines_readable(env, snap_compare):
    """z at 200×50: lines at most 80 columns, centred."""
    assert snap_compare(make_app(BUNDLED), terminal_size=(200, 50), run_before=_steps("2", "j", "z"))
