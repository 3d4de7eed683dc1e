"""The reader on the real engine: quotes, groups with word differences and positions, as the
engine gives them (the other TUI tests use a small stand-in analysis, for stable assertions)."""

from __future__ import annotations

from support.tui import env, make_app, shared_cache, wait_loaded  # noqa: F401 - fixtures


async def test_real_quotes_groups_and_positions(env):
    app = make_app(fake=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        assert reader.analysis is not None and reader.analysis.quotes, "the engine found no quote"
        pane = reader.quotes_pane
        lst = pane.quote_list
        assert lst.count > 0
        # an utterance several outlets printed, with the engine's word differences under the versions
        index = next(i for i, r in enumerate(lst.rows) if r.group is not None and r.group.diffs and len(r.group.quotes) > 1)
        await pilot.press("3")
        lst.cursor = index
        await pilot.pause()
        group = lst.rows[index].group
        assert pane.variants.option_count == len(group.quotes)
        assert pane._variants_of(lst.rows[index])[0].id == group.reference
        # Enter: the article at one version, its words marked
        await pilot.press("enter")
        await pilot.pause()
        view = reader.article_view
        (start, end), = view._focus[1]
        q = next(q for q in group.quotes if q.source == view.article.id and q.paragraph == view.cursor + 1)
        assert (start, end) == (q.start, q.end)
        assert view.article.paragraph(q.paragraph).text[start:end] == q.text
        # positions: the manifest's issues, a cell's statements, Enter to the passage
        grid = reader.positions_pane.grid
        assert [i for i, _ in grid.issues] == [i.id for i in reader.positions_pane.positions.issues]
        await pilot.press("4")
        for _ in range(len(grid.issues)):
            if grid.cell is not None and grid.cell.statements:
                break
            await pilot.press("j")
        st = grid.cell.statements[0]
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert (view.article.id, view.cursor + 1) == (st.source, st.paragraph)
        (start, end), = view._focus[1]
        assert (start, end) == (st.start, st.end)
