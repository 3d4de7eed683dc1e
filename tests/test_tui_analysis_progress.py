"""While the briefing-wide analysis runs, the panes that wait for it show a bar with counts."""

from __future__ import annotations

from support.tui import env, make_app, shared_cache, wait_loaded  # noqa: F401 - fixtures

from briefing.tui import messages


async def test_progress_shows_a_bar_with_counts_until_the_analysis_is_ready(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        reader.ready = False  # as while the analysis is still running
        reader.post_message(messages.AnalysisProgress(2_500, 10_000))
        await pilot.pause()
        text = reader.quotes_pane.quote_list.empty_text
        assert "2,500 of 10,000 articles" in text and "█████" in text and "░" in text
        note = str(reader.positions_pane.query_one("#positions-note").render())
        assert "25 %" in note
        reader.post_message(messages.AnalysisProgress(10_000, 10_000))  # read: now grouping
        await pilot.pause()
        assert "10,000 articles read" in reader.quotes_pane.quote_list.empty_text
        reader.ready = True
        reader.post_message(messages.AnalysisProgress(5_000, 10_000))  # too late: the panes are filled
        await pilot.pause()
        assert "5,000" not in reader.quotes_pane.quote_list.empty_text
