"""`/` search: live results, jumping, n/N with the i/N counter, Esc, bad queries, suggestions."""

from __future__ import annotations

import threading

from support.tui import env, make_app, shared_cache, wait_loaded  # noqa: F401 - fixtures

from textual.widgets import Input

from briefing.tui import messages
from briefing.tui.widgets.search import SearchPanel, SearchResults


async def _type(pilot, app, text: str) -> None:
    """Key by key (the live path)."""
    await pilot.press(*text)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _query(pilot, app, text: str) -> None:
    """The whole query at once (as a paste would): faster where typing is not the point."""
    app.reader.search_panel.set_query(text)
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_live_search_jump_and_match_counter(env):
    app = make_app()
    posted = []
    async with app.run_test(size=(120, 40), message_hook=posted.append) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        assert reader.query_one("#left-switcher").current == "search"
        await _type(pilot, app, "ryabkov")
        queries = list(dict.fromkeys(m.query for m in posted if isinstance(m, SearchPanel.QueryChanged)))
        assert queries == ["r", "ry", "rya", "ryab", "ryabk", "ryabko", "ryabkov"]  # live, as you type
        finished = [m for m in posted if isinstance(m, messages.SearchFinished) and m.result is not None]
        assert finished and finished[-1].query == "ryabkov"
        results = reader.query_one(SearchResults)
        assert results.count > 5
        assert "passages match" in str(reader.query_one("#search-note").render())
        first = results.hits[0]
        assert first.highlights  # the snippet marks the match
        # Enter jumps to the best hit, with every match of the source highlighted
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        view = reader.article_view
        assert reader.active == "article"
        assert view.article.id == first.source and view.cursor == first.paragraph - 1
        assert reader.sources.current_id == first.source
        i, n = view.match_position()
        assert n >= 1 and i >= 1
        status = reader.query_one("#status")
        assert status.search == f"/ryabkov  {i}/{n}"
        assert "ryabkov" not in view.paragraph_content(view.cursor).plain.lower() or view._matches
        # n and N go through the matches, with the counter
        if n > 1:
            await pilot.press("n")
            i2, _ = view.match_position()
            assert i2 == (i % n) + 1
            assert status.search == f"/ryabkov  {i2}/{n}"
            await pilot.press("N")
            assert view.match_position() == (i, n)
        # Esc clears the search and its highlights
        await pilot.press("escape")
        await pilot.pause()
        assert status.search == ""
        assert not view._matches
        assert reader.query_one("#left-switcher").current == "sources"
        assert not reader.search_open


async def test_n_wraps_and_says_so(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        await pilot.press("slash")
        await _query(pilot, app, "nato")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        view = app.reader.article_view
        _, n = view.match_position()
        assert n >= 2
        # n crosses into the next sources (issue 16): it wraps after the briefing's last match
        walk = app.reader._walk()
        at = app.reader._walk_position(walk)
        for _ in range(len(walk) - (at or 0)):
            await pilot.press("n")
        await pilot.pause()
        assert any("wrapped" in str(note.message) for note in app._notifications)
        assert view.match_position()[0] >= 1


async def test_next_source_keeps_the_search_highlighted(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        await pilot.press("slash")
        await _query(pilot, app, "sherman")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        before = reader.article_view.article.id
        last = reader.sources.cursor == reader.sources.count - 1
        await pilot.press("left_square_bracket" if last else "right_square_bracket")
        await app.workers.wait_for_complete()
        await pilot.pause()
        view = reader.article_view
        assert view.article.id != before
        assert reader.query_one("#status").search.startswith("/sherman")
        hits = reader.briefing.search("sherman", limit=100, source=view.article.id).hits
        assert sorted(view._matches) == sorted({h.paragraph for h in hits})


async def test_bad_query_is_explained_inline(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        await pilot.press("slash")
        await _query(pilot, app, 'nato AND')
        note = app.reader.query_one("#search-note")
        assert "Cannot search" in str(note.render())
        assert note.has_class("-error")
        assert app.reader.query_one(SearchResults).count == 0
        await _query(pilot, app, "nato AND (")
        assert "Cannot search" in str(note.render())
        assert app.is_running


async def test_misspelling_suggests_and_tab_uses_it(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        await pilot.press("slash")
        await _query(pilot, app, "ryabkv")
        note = str(app.reader.query_one("#search-note").render())
        assert "Did you mean “ryabkov”" in note
        await pilot.press("tab")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.reader.search_panel.input.value == "ryabkov"
        assert app.reader.query_one(SearchResults).count > 0
        # with nothing to suggest, Tab moves to the next pane as everywhere else
        await pilot.press("tab")
        await pilot.pause()
        assert app.reader.active == "article"


async def test_field_queries(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        await pilot.press("slash")
        await _query(pilot, app, "outlet:reuters nato")
        results = app.reader.query_one(SearchResults)
        assert results.count > 0
        assert {h.outlet for h in results.hits} == {"Reuters"}


async def test_typing_never_waits_for_the_search(env):
    """A slow index: keys are handled at once, and only the last query's answer is shown."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        real = app.briefing.search

        gate = threading.Event()

        def held(query, limit=20, source=None):
            gate.wait(10)  # every search is held until the typing is done
            return real(query, limit=limit, source=source)

        app.briefing.search = held
        await pilot.press("slash")
        await pilot.press(*"sherman")
        # the keys landed while every search was still held: typing never waits for a search
        assert app.reader.search_panel.input.value == "sherman"
        assert not gate.is_set()
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        panel = app.reader.search_panel
        assert panel.result is not None and panel.result.query == "sherman"


async def test_result_cursor_previews_the_passage_when_wide(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        await pilot.press("slash")
        await _query(pilot, app, "ryabkov")
        await pilot.press("down", "down")
        await pilot.pause()
        results = app.reader.query_one(SearchResults)
        hit = results.hits[results.cursor]
        view = app.reader.article_view
        assert (view.article.id, view.cursor + 1) == (hit.source, hit.paragraph)
        assert app.reader.active == "sources"  # a preview, not a jump


async def test_keys_typed_right_after_slash_or_a_pane_key_are_not_lost(env):
    """A burst of keys (a fast typist, a paste): the ones after `/` or `2` reach the new widget."""
    from textual import events

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        source = app.reader.sources.current_id
        for key, char in [("2", "2"), ("j", "j")]:
            app._driver.send_message(events.Key(key, char))
        await pilot.pause(0.2)
        for key, char in [("slash", "/")] + [(c, c) for c in "nato"]:
            app._driver.send_message(events.Key(key, char))
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.reader.sources.current_id == source  # the j moved the passage cursor, not the source
        assert app.reader.article_view.cursor == 1
        assert app.reader.search_panel.input.value == "nato"
        # inside the field, digits and / are text
        await pilot.press("1", "slash")
        assert app.reader.search_panel.input.value == "nato1/"
        assert app.reader.active == "sources"


async def test_trailing_space_still_shows_results(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        await pilot.press("slash")
        await _type(pilot, app, "nato ")
        assert app.reader.query_one(SearchResults).count > 0
        assert "passages match" in str(app.reader.query_one("#search-note").render())
