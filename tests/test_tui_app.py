"""The reader as a whole: loading, panes, help, quitting, sizes, settings."""

from __future__ import annotations

import json

import pytest
from textual.content import Content

from support.tui import env, make_app, shared_cache, wait_loaded  # noqa: F401 - fixtures

from briefing.tui import messages
from briefing.tui.screens.help import HelpScreen
from briefing.tui.widgets.article import ArticleView


async def test_shell_paints_before_the_briefing_is_open(env):
    """First paint shows the frame and says it is opening; the worker fills it in."""
    import threading

    gate = threading.Event()
    base = make_app()._factory

    def slow_factory(corpus):
        gate.wait(5)
        return base(corpus)

    from briefing.tui.app import BriefingApp

    app = BriefingApp(corpus=None, briefing_factory=slow_factory)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.reader.query_one("#title").detail == "opening…"
        assert app.reader.sources.count == 0
        gate.set()
        await wait_loaded(pilot, app)
        assert app.reader.sources.count == 5


async def test_loads_title_sources_and_first_article(env):
    app = make_app()
    posted = []
    async with app.run_test(size=(120, 40), message_hook=posted.append) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        assert any(isinstance(m, messages.BriefingOpened) for m in posted)
        assert any(isinstance(m, messages.AnalysisReady) for m in posted)
        assert reader.query_one("#title").title_text.startswith("US–Russia security talks")
        assert reader.sources.count == 5
        assert reader.article_view.article.id == reader.sources.current_id
        assert "quotes" in reader.query_one("#title").detail
        assert reader.has_class("-wide")


async def test_pane_switching_with_tab_and_numbers(env):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        assert reader.active == "sources"
        await pilot.press("tab")
        assert reader.active == "article"
        await pilot.pause()
        assert isinstance(app.focused, ArticleView)
        await pilot.press("tab", "tab")
        assert reader.active == "positions"
        await pilot.press("tab")
        assert reader.active == "sources"
        await pilot.press("shift+tab")
        assert reader.active == "positions"
        for key, name in (("1", "sources"), ("2", "article"), ("3", "quotes"), ("4", "positions")):
            await pilot.press(key)
            await pilot.pause()
            assert reader.active == name
            # narrow: only the active pane is displayed
            shown = [n for n in ("sources", "article", "quotes", "positions") if reader.pane(n).display and reader.pane(n).region.height]
            assert shown == [name]
        assert reader.query_one("#tabs").active == "positions"


async def test_clicking_a_tab_switches_pane(env):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot, app)
        await pilot.click("#tabs", offset=(15, 0))  # " 1 Sources " is 11 cells, then " 2 Article "
        await pilot.pause()
        assert app.reader.active == "article"


async def test_wide_shows_all_four_panes(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        for name in ("sources", "article", "quotes", "positions"):
            assert reader.pane(name).region.height > 3, name
        assert not reader.query_one("#tabs").display
        # Enter on a source opens it in the article pane
        await pilot.press("j", "enter")
        await pilot.pause()
        assert reader.active == "article"
        assert reader.article_view.article.id == reader.sources.current_id


async def test_source_keys_follow_the_list(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        ids = [a.id for a in reader.briefing.articles]
        await pilot.press("2")
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert reader.article_view.article.id == ids[1]
        assert reader.active == "article"  # [ and ] keep you where you are
        await pilot.press("right_square_bracket", "right_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert reader.article_view.article.id == ids[2]
        assert reader.sources.current_id == ids[2]
        await pilot.press("1", "G")
        await pilot.pause()
        assert reader.article_view.article.id == ids[-1]
        await pilot.press("g")
        await pilot.pause()
        assert reader.article_view.article.id == ids[0]


async def test_q_quits(env):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot, app)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running


async def test_help_screen_is_built_from_live_bindings(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-table").render())
        for expected in ("Pane", "Search", "Next match", "Next source", "Quit", "Group", "Statements", "Quote"):
            assert expected in text, expected
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        # a keymap change shows in the help: it reads the bindings, not a copy of them
        app.set_keymap({"search.open": "ctrl+f"})
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-table").render())
        assert "^f" in text or "ctrl+f" in text.lower()
        await pilot.press("q")  # closes the help, does not quit
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, HelpScreen)


async def test_bindings_have_ids_and_tooltips():
    from briefing.tui.app import BriefingApp
    from briefing.tui.screens.reader import ReaderScreen
    from briefing.tui.widgets.article import ArticleView
    from briefing.tui.widgets.positions import PositionsGrid, PositionsPane
    from briefing.tui.widgets.quotes import QuotesPane
    from briefing.tui.widgets.search import SearchPanel
    from briefing.tui.screens.filters import FilterPicker
    from briefing.tui.screens.help import HelpScreen
    from briefing.tui.widgets.positions import StatementList
    from briefing.tui.widgets.quotes import VariantList
    from briefing.tui.widgets.vlist import VirtualList

    classes = (
        BriefingApp, ReaderScreen, ArticleView, VirtualList, SearchPanel, QuotesPane, VariantList,
        PositionsGrid, PositionsPane, StatementList, HelpScreen, FilterPicker,
    )
    for cls in classes:
        for binding in cls.BINDINGS:
            assert binding.id, (cls.__name__, binding.key)
            assert binding.tooltip, (cls.__name__, binding.key)


@pytest.mark.parametrize("size", [(50, 12), (59, 24), (80, 14)])
async def test_cramped_still_runs_and_says_so(env, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        assert reader.has_class("-cramped")
        note = reader.query_one("#cramped")
        assert note.display and "Cramped" in str(note.render())
        await pilot.press("2", "j", "j", "3", "4", "slash")
        await pilot.pause()
        assert app.is_running


async def test_resizing_keeps_the_place(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        await pilot.press("right_square_bracket", "2", "j", "j", "j", "j")
        await pilot.pause()
        place = (reader.article_view.article.id, reader.article_view.cursor)
        for size in ((80, 24), (40, 10), (200, 60), (60, 15), (120, 40)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert (reader.article_view.article.id, reader.article_view.cursor) == place, size
            assert reader.active == "article"
            # the cursor's passage is on screen
            view = reader.article_view
            block = view._para_block(view.cursor)
            top = view.scroll_offset.y
            assert block.start < top + max(1, view.scrollable_content_region.height), size
        assert reader.has_class("-wide")


async def test_a_missing_corpus_is_reported_not_raised(env, tmp_path):
    app = make_app(tmp_path / "no-such-dir")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot, app)
        view = app.reader.article_view
        assert view.article is None
        assert "Cannot open the briefing" in view._message.plain
        assert app.is_running
        await pilot.press("2", "j", "slash")
        await pilot.type("nato") if hasattr(pilot, "type") else None
        await pilot.pause()
        assert app.is_running


async def test_analysis_failure_leaves_reading_and_search(env):
    app = make_app(fail_analysis="quote finder broke")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        assert reader.article_view.article is not None
        assert "quote finder broke" in reader.quotes_pane.quote_list._empty.plain
        assert not reader.positions_pane.grid.display


async def test_theme_is_remembered_and_written_atomically(env):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot, app)
        app.theme = "nord"
        await pilot.pause()
        await app.workers.wait_for_complete()
    path = env / "config" / "briefing" / "settings.json"
    assert json.loads(path.read_text())["theme"] == "nord"
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".settings-")]  # no temp left
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"


async def test_unwritable_settings_do_not_crash(env, monkeypatch):
    blocker = env / "blocked"
    blocker.write_text("a file where the data directory should be")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot, app)
        app.theme = "gruvbox"
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        assert any("Settings not saved" in str(n.message) for n in app._notifications)


async def test_damaged_settings_mean_defaults(env):
    path = env / "config" / "briefing" / "settings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"


async def test_report_messages_become_notifications(env, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("A title\n\nThe first paragraph of a small article, long enough to keep.\n\nA second one.\n")
    (corpus / "empty.txt").write_text("")
    (corpus / "briefing.toml").write_text("title = [broken")
    app = make_app(corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        notes = [n for n in app._notifications]
        texts = " ".join(str(n.message) for n in notes)
        assert "briefing.toml" in texts
        assert "skipped" in " ".join(n.title for n in notes)
        assert all(isinstance(n.message, (str, Content)) for n in notes)
