"""The article pane: the passage cursor and its keys, quotes by side, who says what."""

from __future__ import annotations

from support.tui import env, make_app, shared_cache, wait_loaded  # noqa: F401 - fixtures

from briefing.tui.widgets.article import ArticleView, QuoteInfo
from briefing.tui.widgets.quotes import QuoteList


async def test_passage_cursor_keys_and_status(env):
    app = make_app()
    posted = []
    async with app.run_test(size=(80, 24), message_hook=posted.append) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        view = reader.article_view
        await pilot.press("2")
        n = view.count
        assert n > 10
        status = reader.query_one("#status")
        assert status.position == f"¶ 1/{n}"
        posted.clear()
        await pilot.press("j", "j", "down")
        assert view.cursor == 3
        moved = list({id(m): m for m in posted if isinstance(m, ArticleView.CursorMoved)}.values())
        assert [m.paragraph for m in moved] == [2, 3, 4]
        assert status.position == f"¶ 4/{n}"
        await pilot.press("k", "up")
        assert view.cursor == 1
        await pilot.press("G")
        assert view.cursor == n - 1
        assert status.position == f"¶ {n}/{n}"
        await pilot.press("g")
        assert view.cursor == 0
        assert view.scroll_offset.y == 0
        await pilot.press("space")
        after_page = view.cursor
        assert after_page > 1
        assert view.scroll_offset.y > 0
        await pilot.press("pageup")  # b is "bookmark": PgUp and Ctrl+U page up
        assert view.cursor < after_page
        await pilot.press("ctrl+d")
        half = view.cursor
        assert 0 < half
        await pilot.press("ctrl+d", "ctrl+u")
        assert view.cursor <= half + 1
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown", "pagedown", "pagedown")
        assert view.cursor == n - 1  # paging past the end lands on the last passage
        await pilot.press("pageup", "pageup", "pageup", "pageup", "pageup", "pageup", "pageup")
        assert view.cursor == 0


async def test_cursor_passage_stays_on_screen(env):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot, app)
        view = app.reader.article_view
        await pilot.press("2")
        for _ in range(12):
            await pilot.press("j")
            block = view._para_block(view.cursor)
            top = view.scroll_offset.y
            height = view.scrollable_content_region.height
            assert top <= block.start < top + height


async def test_a_long_passage_is_read_before_moving_on(env, tmp_path):
    corpus = tmp_path / "long"
    corpus.mkdir()
    long = " ".join(f"word{i}" for i in range(400))
    (corpus / "a.txt").write_text(f"A long one\n\nA short first paragraph here.\n\n{long}.\n\nThe end of it all, a third paragraph.\n")
    app = make_app(corpus)
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_loaded(pilot, app)
        view = app.reader.article_view
        texts = [p.text for p in view.article.paragraphs]
        long_i = next(i for i, t in enumerate(texts) if t.startswith("word0"))
        assert long_i + 1 < len(texts)
        await pilot.press("2")
        view.cursor = long_i
        view.scroll_to_cursor()
        await pilot.pause()
        top = view.scroll_offset.y
        await pilot.press("j")
        assert view.cursor == long_i, "j first scrolls through the long passage"
        assert view.scroll_offset.y > top
        for _ in range(30):
            await pilot.press("j")
            if view.cursor == long_i + 1:
                break
        assert view.cursor == long_i + 1
        await pilot.press("k")
        assert view.cursor == long_i
        start = view._para_block(long_i).start
        assert view.scroll_offset.y <= start + view.scrollable_content_region.height


async def test_quotes_are_coloured_and_labelled_by_side(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        view = app.reader.article_view
        quotes = app.reader.quotes_by_source[view.article.id]
        q = next(q for q in quotes if q.side == "us")
        content = view.paragraph_content(q.paragraph - 1)
        plain = content.plain
        # the side is written, not only coloured
        assert "‹United States›" in plain
        label_at = plain.index("‹United States›")
        assert label_at > plain.index(q.text)
        # the quoted words carry the side's style
        styles = [span.style for span in content.spans if span.start <= plain.index(q.text) < span.end]
        assert any("$primary-lighten-2" in str(s) for s in styles)
        # the quote info under the article names the speaker of the quote under the cursor
        view.cursor = q.paragraph - 1
        await pilot.pause()
        info = str(app.reader.query_one(QuoteInfo).render())
        assert q.speaker in info and "United States" in info


async def test_enter_on_a_quoted_passage_shows_the_quote(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        view = reader.article_view
        q = reader.quotes_by_source[view.article.id][0]
        await pilot.press("2")
        view.cursor = q.paragraph - 1
        await pilot.press("enter")
        await pilot.pause()
        assert reader.active == "quotes"
        row = reader.quotes_pane.quote_list.rows[reader.quotes_pane.quote_list.cursor]
        assert any(v.id == q.id for v in row.quotes) or row.group is not None and q in row.group.quotes
        assert isinstance(app.focused, QuoteList)
        await pilot.press("escape")  # back to where we were
        await pilot.pause()
        assert reader.active == "article" and view.cursor == q.paragraph - 1


async def test_clicking_a_passage_moves_the_cursor(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        view = app.reader.article_view
        block = view._para_block(2)
        await pilot.click(ArticleView, offset=(10, block.start - view.scroll_offset.y))
        await pilot.pause()
        assert view.cursor == 2
