"""Ctrl+P: commands built from the open briefing (sources, speakers, sides, issues) and themes."""

from __future__ import annotations

from support.tui import env, make_app, shared_cache, wait_loaded  # noqa: F401 - fixtures

from textual.command import CommandPalette, DiscoveryHit, Hit

from briefing.tui.commands import BriefingCommands


async def _hits(app, query: str | None):
    provider = BriefingCommands(app.screen)
    found = []
    source = provider.discover() if query is None else provider.search(query)
    async for hit in source:
        found.append(hit)
    return found


async def test_commands_come_from_the_open_briefing(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        discovered = [h.text for h in await _hits(app, None)]
        assert "Search the briefing" in discovered
        assert any(t.startswith("Source: Reuters — ") for t in discovered)
        assert "Quotes by Sergei Ryabkov" in discovered
        assert "Quotes from Russia" in discovered
        assert all(isinstance(h, DiscoveryHit) for h in await _hits(app, None))
        hits = await _hits(app, "ryabkov")
        assert hits and all(isinstance(h, Hit) for h in hits)
        assert hits[0].text == "Quotes by Sergei Ryabkov" or "Quotes by Sergei Ryabkov" in [h.text for h in hits]


async def test_choosing_a_speaker_filters_the_quotes(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"quotes by sergei")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)
        pane = app.reader.quotes_pane
        assert app.reader.active == "quotes"
        assert pane.filters["speaker"] == "Sergei Ryabkov"


async def test_choosing_a_source_opens_it(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.press(*"source: tribune")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.reader.active == "article"
        assert app.reader.article_view.article.outlet == "Tribune News Service"


async def test_theme_command_is_offered(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Theme" in titles and "Keys" in titles and "Quit" in titles
