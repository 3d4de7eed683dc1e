"""Text from a corpus is shown, never run: markup in an article, a title, a quote, a file name,
a search snippet, a palette entry or a notification stays literal characters."""

from __future__ import annotations

import pytest

from support.tui import env, find_on_screen, make_app, screen_text, shared_cache, wait_loaded  # noqa: F401

CLICK = "[@click=app.quit]"
ARTICLE = f"""{CLICK}Quit now[/] and [bold]see[/bold] the headline

By [link=file:///etc/passwd]A Reporter[/link]

Russian Deputy Foreign Minister Sergei Ryabkov said: “{CLICK}we will not leave[/] and [bold]this is not bold[/bold] at all,” at a news conference in Geneva.

The talks ended with no agreement, and [link=file:///etc/passwd]a link that is no link[/link] was printed in the text of this paragraph.

A third paragraph with [red]colour markup[/red] and a closing [/] tag, about NATO and missiles, so that the article is long enough.
"""


@pytest.fixture
def hostile_corpus(tmp_path):
    corpus = tmp_path / "hostile"
    corpus.mkdir()
    (corpus / "000_hostile.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / f"{CLICK}named.txt").write_text("", encoding="utf-8")  # skipped: shows in a notification
    (corpus / "briefing.toml").write_text(
        f'''title = "{CLICK}Hostile[/] [bold]briefing[/bold]"
[[sides]]
id = "russia"
label = "[@click=app.quit]Russia[/]"
cues = ["Russian"]
[[articles]]
id = "000_hostile"
outlet = "[bold]Outlet[/bold]"
''',
        encoding="utf-8",
    )
    return corpus


async def test_markup_in_the_corpus_is_shown_literally(env, hostile_corpus):
    app = make_app(hostile_corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        text = screen_text(app)
        assert app.reader.article_view.article is not None
        assert f"{CLICK}Hostile[/] [bold]briefing[/bold]" in text  # title bar
        assert "[bold]Outlet[/bold]" in text  # sources and article heading
        assert "[bold]this is not bold[/bold]" in text  # article text and quote
        assert "[link=file:///etc/passwd]" in text
        assert "[red]colour markup[/red]" in text
        assert "‹[@click=app.quit]Russia[/]›" in text  # the side label after the quote
        # the skipped file's name is in a notification, literally
        messages = " ".join(str(n.message) for n in app._notifications)
        assert f"{CLICK}named.txt" in messages
        # clicking on the text runs nothing
        for needle in (CLICK + "we will", CLICK + "Hostile", "[link=file"):
            where = find_on_screen(app, needle)
            assert where, needle
            await pilot.click(offset=(where[0] + 2, where[1]))
            await pilot.pause()
            assert app.is_running, needle


async def test_markup_in_quotes_positions_search_and_palette(env, hostile_corpus):
    app = make_app(hostile_corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        # quotes pane, versions and the quote info line
        quotes = reader.quotes_pane
        assert quotes.quote_list.count >= 1
        await pilot.press("3")
        await pilot.pause()
        text = screen_text(app)
        assert f"“{CLICK}we will not leave[/]" in text
        # positions: statements of the Russia cell
        await pilot.press("4", "enter")
        await pilot.pause()
        assert CLICK + "we will not leave" in screen_text(app)
        # search snippets
        await pilot.press("slash")
        reader.search_panel.set_query("bold")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert reader.query_one("#search-results").count >= 1
        assert "[bold]" in screen_text(app)
        where = find_on_screen(app, "[bold]this")
        await pilot.click(offset=(where[0] + 1, where[1]))
        await pilot.pause()
        assert app.is_running
        await pilot.press("escape", "escape")
        # the command palette lists the source with its markup-looking title, as text
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"quit now")
        await pilot.pause(0.5)
        assert CLICK + "Quit now" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running


async def test_palette_highlight_keeps_markup_literal():
    from textual.fuzzy import Matcher

    from briefing.tui.commands import highlight

    content = highlight(Matcher("quit"), f"Source: x — {CLICK}Quit now[/]")
    assert content.plain == f"Source: x — {CLICK}Quit now[/]"
    assert content.spans  # the matched letters are marked
