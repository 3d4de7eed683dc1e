"""The positions grid gives each side column the width of its label and the issue labels the rest:
at 120×40 on the bundled briefing no issue label is cut while the side columns have room."""

from __future__ import annotations

from support.tui import env, make_app, shared_cache, wait_loaded  # noqa: F401 - fixtures


async def test_issue_labels_are_whole_at_120_columns(env):
    app = make_app(fake=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        for _ in range(200):
            if app.reader.ready:
                break
            await pilot.pause(0.05)
        grid = app.reader.positions_pane.grid
        assert grid.issues, "the bundled briefing has issues"
        shown = str(grid.render())
        for _issue_id, label in grid.issues:
            assert label in shown, f"cut: {label}"
        # with room for both, the side labels are whole too
        issue_w, cols = grid._layout_widths(100)
        assert all(c >= len(grid.sides.label(s)) + 1 for s, c in zip(grid.side_ids, cols))
        assert issue_w >= max(len(label) for _i, label in grid.issues) + 1


async def test_narrow_grid_shrinks_side_columns_to_their_counts_first(env):
    app = make_app(fake=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        grid = app.reader.positions_pane.grid
        for _ in range(200):
            if app.reader.ready:
                break
            await pilot.pause(0.05)
        issue_w, cols = grid._layout_widths(40)
        assert all(c >= 6 for c in cols)  # a count always fits
        wide_issue, wide_cols = grid._layout_widths(200)
        assert wide_cols == [len(grid.sides.label(s)) + 1 for s in grid.side_ids] or max(wide_cols) == 18
        assert wide_issue == 200 - sum(wide_cols)
