"""The quotes and positions panes, and their jumps to the passage."""

from __future__ import annotations

from support.tui import env, make_app, shared_cache, wait_loaded  # noqa: F401 - fixtures

from briefing.tui.widgets.positions import PositionsGrid, PositionsPane, StatementList
from briefing.tui.screens.filters import FilterPicker
from briefing.index.quotes.groups import differing_spans  # the engine's: the pane only draws its spans
from briefing.tui.widgets.quotes import FilterBar, QuoteList, QuotesPane, VariantList


def test_differing_spans_marks_changed_words():
    a = "We will not allow anyone to slam closed NATO's open door policy"
    b = "We will not allow anybody to slam shut NATO's open door policy"
    spans = differing_spans(a, b)
    assert [a[s:e] for s, e in spans] == ["anyone", "closed"]
    assert differing_spans(a, a) == []


async def test_grouping_toggle_and_filters(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        pane = app.reader.quotes_pane
        lst = pane.quote_list
        await pilot.press("3")
        assert app.reader.active == "quotes"
        assert all(r.kind == "group" for r in lst.rows)
        versions = max(lst.rows, key=lambda r: len(pane._variants_of(r)))
        assert len(pane._variants_of(versions)) > 1, "some utterance is reported by several outlets"
        assert "by utterance" in pane.border_subtitle
        await pilot.press("s")
        await pilot.pause()
        assert "by speaker" in pane.border_subtitle
        kinds = [r.kind for r in lst.rows]
        assert kinds[0] == "speaker" and "group" in kinds
        speakers = [r.speaker.name for r in lst.rows if r.kind == "speaker"]
        assert "Sergei Ryabkov" in speakers
        # filter by speaker with the picker (f, type, Enter), then by side, then clear with x
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FilterPicker)
        await pilot.press(*"ryabkov", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, FilterPicker)
        assert pane.filters["speaker"] == "Sergei Ryabkov"
        quotes = [q for r in lst.rows if r.kind == "group" for q in r.quotes]
        assert quotes and {q.speaker for q in quotes} == {"Sergei Ryabkov"}
        assert "Sergei Ryabkov" in str(pane.query_one(FilterBar).render())
        pane.set_filter(speaker=None, side="us")
        await pilot.pause()
        quotes = [q for r in lst.rows if r.kind == "group" for q in r.quotes]
        assert quotes and {q.side for q in quotes} == {"us"}
        pane.set_filter(outlet="Reuters")
        await pilot.pause()
        assert lst.count == 0 and "filters" in lst._empty.plain  # the fake finds no Reuters quote
        await pilot.press("x")
        await pilot.pause()
        assert pane.filters == {"speaker": None, "side": None, "outlet": None}
        assert lst.count > 0
        # Esc in the picker changes nothing
        await pilot.press("f", "escape")
        await pilot.pause()
        assert pane.filters == {"speaker": None, "side": None, "outlet": None}


async def test_variants_show_word_differences(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        pane = app.reader.quotes_pane
        lst = pane.quote_list
        index = next(i for i, r in enumerate(lst.rows) if len({q.text for q in pane._variants_of(r)}) > 1)
        lst.cursor = index
        await pilot.pause()
        variants = pane.query_one(VariantList)
        assert variants.option_count == len(pane._variants_of(lst.rows[index]))
        prompts = [variants.get_option_at_index(i).prompt for i in range(variants.option_count)]
        assert any(any("underline" in str(span.style) for span in p.spans) for p in prompts)
        head = str(pane.query_one("#variant-head").render())
        assert "versions in" in head and "differ" in head


async def test_enter_on_a_quote_jumps_to_its_passage(env):
    app = make_app()
    posted = []
    async with app.run_test(size=(120, 40), message_hook=posted.append) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        await pilot.press("3", "j", "j")
        row = reader.quotes_pane.quote_list.rows[reader.quotes_pane.quote_list.cursor]
        await pilot.press("enter")
        await pilot.pause()
        chosen = [m for m in posted if isinstance(m, QuotesPane.QuoteChosen)]
        assert chosen
        target = chosen[-1].target
        view = reader.article_view
        assert reader.active == "article"
        assert view.article.id == target.source and view.cursor == target.paragraph - 1
        q = next(q for q in reader.quotes_pane._variants_of(row) if q.source == target.source)
        assert view._focus == (q.paragraph, ((q.start, q.end),))
        assert "reverse" in str(
            [s.style for s in view.paragraph_content(view.cursor).spans if s.start == q.start][-1]
        ) or view._focus
        # Esc goes back to the quotes
        await pilot.press("escape")
        await pilot.pause()
        assert reader.active == "quotes"


async def test_a_version_jumps_to_its_own_outlet(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        pane = reader.quotes_pane
        lst = pane.quote_list
        index = next(i for i, r in enumerate(lst.rows) if len({q.source for q in pane._variants_of(r)}) > 1)
        await pilot.press("3")
        lst.cursor = index
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.focused, VariantList)
        await pilot.press("j", "enter")
        await pilot.pause()
        second = pane._variants_of(lst.rows[index])[1]
        assert reader.article_view.article.id == second.source
        assert reader.article_view.cursor == second.paragraph - 1


async def test_positions_grid_statements_and_jump(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        pane = reader.positions_pane
        grid = pane.grid
        assert [label for _id, label in grid.issues] == ["NATO expansion", "Missile deployments"]
        assert grid.side_ids == ["russia", "us", "ukraine"]
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.focused, PositionsGrid)
        await pilot.press("l")  # the United States column
        assert grid.cell.side == "us"
        statements = pane.query_one(StatementList)
        assert statements.option_count == len(grid.cell.statements) > 0
        assert "United States" in str(pane.query_one("#statements-head").render())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.focused, StatementList)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, PositionsGrid)
        await pilot.press("enter", "enter")
        await pilot.pause()
        st = grid.cell.statements[0]
        view = reader.article_view
        assert reader.active == "article"
        assert view.article.id == st.source and view.cursor == st.paragraph - 1
        paragraph = view.article.paragraph(st.paragraph).text
        (start, end), = view._focus[1]
        assert paragraph[start:end] == st.text


async def test_positions_not_available(env):
    app = make_app(with_positions=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        pane = app.reader.positions_pane
        assert not pane.grid.display
        assert "not available" in str(pane.query_one("#positions-note").render())
        await pilot.press("4", "j", "enter", "escape")
        await pilot.pause()
        assert app.is_running and app.reader.active == "positions"


async def test_palette_filters_quotes_by_speaker(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        app.reader.filter_quotes(speaker="Wendy Sherman")
        await pilot.pause()
        pane = app.reader.quotes_pane
        assert pane.filters["speaker"] == "Wendy Sherman"
        assert {q.speaker for r in pane.quote_list.rows for q in r.quotes} == {"Wendy Sherman"}
        assert isinstance(app.focused, QuoteList)


async def test_a_cell_of_thousands_lists_a_page_at_a_time():
    """A 10,000-article briefing puts thousands of statements in a cell: the list holds a page,
    and its last entry lists the next page."""
    from textual.app import App

    from support.tui import Cell, Issue, Positions, Statement

    many = [Statement(f"statement number {i}", "Speaker", "east", f"a{i}", 1, 0, 5, "reported") for i in range(250)]
    positions = Positions([Issue("all", "All statements")], [("east", "East")], {("all", "east"): Cell("all", "All statements", "east", "East", many)})
    chosen = []

    class Host(App):
        def compose(self):
            yield PositionsPane()

        def on_positions_pane_statement_chosen(self, event):
            chosen.append(event.target.source)

    app = Host()
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(PositionsPane)
        pane.set_positions(positions, {}, [])
        await pilot.pause()
        lst = pane.statements
        assert (lst.shown, lst.option_count) == (100, 101)
        assert "100 more of 150" in str(lst.get_option_at_index(100).prompt)
        pane.grid.focus()
        await pilot.press("enter", "G", "enter")  # open the cell, go to "more", list the next page
        await pilot.pause()
        assert (lst.shown, lst.option_count) == (200, 201) and lst.highlighted == 100
        await pilot.press("G", "enter")
        await pilot.pause()
        assert (lst.shown, lst.option_count) == (250, 250) and lst.highlighted == 200
        await pilot.press("enter", "G", "enter")  # the first of the new page, then the last
        await pilot.pause()
        assert chosen == ["a200", "a249"]
