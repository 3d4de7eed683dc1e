"""Bookmarks in the reader: b (a passage, a selection of sentences, a quote), a (note and tags), the
gutter mark, y (copy with citation), the Bookmarks view (B: filter, open, delete, undo), the
palette, restarts, and a damaged store."""

from __future__ import annotations

from support.tui import (  # noqa: F401 - fixtures
    MARKUP_NOTE, bookmarks_file, env, find_on_screen, make_app, screen_text, seed_bookmarks, shared_cache, wait_loaded,
)

from briefing.tui.screens.annotate import AnnotateScreen
from briefing.tui.screens.bookmarks import BookmarksScreen
from briefing.index.text import sentence_spans as sentences


async def _settle(pilot, app) -> None:
    """Until the bookmark workers have written and their answers are on screen."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def _notes(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


def test_sentences_split_on_ends_not_on_abbreviations():
    text = "Mr. Ryabkov met the U.S. team on Monday. “No,” he said. It ended! more words follow. Last one"
    parts = [text[s:e] for s, e in sentences(text)]
    assert parts == [
        "Mr. Ryabkov met the U.S. team on Monday.",
        "“No,” he said.",
        "It ended! more words follow.",
        "Last one",
    ]
    assert sentences("no end at all") == [(0, 13)]


async def test_bookmark_annotate_delete_undo_and_restart(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        view = reader.article_view
        shelf = reader.bookmarks
        assert shelf is not None and len(shelf) == 0
        # b: the passage under the cursor, marked in the gutter (a shape, not only a colour)
        await pilot.press("2", "j", "b")
        await _settle(pilot, app)
        assert len(shelf) == 1
        first = shelf.items[0]
        assert (first.source, first.paragraph, first.bookmark.kind) == (view.article.id, 2, "paragraph")
        assert view.is_bookmarked(2) and not view.is_bookmarked(1)
        assert find_on_screen(app, " 2★ ") is not None
        assert "Bookmarked ¶2" in _notes(app)
        # b again on the same passage adds nothing
        await pilot.press("b")
        await _settle(pilot, app)
        assert len(shelf) == 1 and "Already bookmarked" in _notes(app)
        # a: note and tags, markup kept as typed
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AnnotateScreen)
        app.screen.query_one("#annotate-note").value = MARKUP_NOTE
        await pilot.press("tab", *"nato, talks ,nato", "enter")
        await _settle(pilot, app)
        assert not isinstance(app.screen, AnnotateScreen)
        assert shelf.items[0].bookmark.note == MARKUP_NOTE
        assert shelf.items[0].bookmark.tags == ("nato", "talks")
        # v, j: a selection of sentences; b bookmarks just those
        index = next(i for i, p in enumerate(view.article.paragraphs) if len(sentences(p.text)) >= 3)
        view.cursor = index
        await pilot.press("v", "j")
        assert view.selection is not None
        n, start, end = view.selection
        spans = sentences(view.article.paragraphs[index].text)
        assert (n, start, end) == (index + 1, spans[0][0], spans[1][1])
        assert "2 of" in reader.query_one("#status").note
        content = view.paragraph_content(index)  # the selection is marked (reverse video)
        selected = view.article.paragraphs[index].text[start:end]
        marked = [content.plain[sp.start:sp.end] for sp in content.spans if "reverse" in str(sp.style)]
        assert marked and marked[0].startswith(selected[:20]) and marked[-1].endswith(selected[-10:])
        await pilot.press("b")
        await _settle(pilot, app)
        assert view.selection is None
        selection = next(i for i in shelf if i.bookmark.kind == "selection")
        assert (selection.paragraph, selection.start, selection.end) == (index + 1, start, end)
        # Esc drops a selection (and only then is Esc the reader's "back")
        await pilot.press("v", "escape")
        assert view.selection is None and reader.active == "article"
        # b in the quotes pane: the selected quote, with its span
        await pilot.press("3", "b")
        await _settle(pilot, app)
        quote = next(i for i in shelf if i.bookmark.kind == "quote")
        q = reader.quotes_pane.selected_quote()
        assert (quote.source, quote.paragraph, quote.start, quote.end) == (q.source, q.paragraph, q.start, q.end)
        assert len(shelf) == 3
        # B: the view lists them; the note is shown as typed
        await pilot.press("B")
        await pilot.pause()
        assert isinstance(app.screen, BookmarksScreen)
        assert app.screen.bookmark_list.count == 3
        assert MARKUP_NOTE in screen_text(app)
        # d deletes (u to undo), u brings it back
        await pilot.press("d")
        await _settle(pilot, app)
        assert len(shelf) == 2 and app.screen.bookmark_list.count == 2
        assert "— u to undo" in _notes(app)
        await pilot.press("u")
        await _settle(pilot, app)
        assert len(shelf) == 3 and app.screen.bookmark_list.count == 3
        assert "Restored" in _notes(app)
        await pilot.press("d")  # deleted for good this time
        await _settle(pilot, app)
        kept = {(i.source, i.paragraph, i.start, i.end, i.bookmark.note) for i in shelf}
    assert len(kept) == 2
    # a new app on the same data directory finds them
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        await _settle(pilot, app)
        shelf = app.reader.bookmarks
        assert {(i.source, i.paragraph, i.start, i.end, i.bookmark.note) for i in shelf} == kept
        assert all(i.state == "anchored" for i in shelf)


async def test_view_states_filter_jump_and_orphans(env):
    ids = seed_bookmarks()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        await _settle(pilot, app)
        reader = app.reader
        shelf = reader.bookmarks
        assert {i.id: i.state for i in shelf} == {ids["anchored"]: "anchored", ids["moved"]: "moved", ids["orphaned"]: "orphaned"}
        await pilot.press("B")
        await pilot.pause()
        screen = app.screen
        text = screen_text(app)
        assert "Gone Daily" in text and "Words nobody can find any more." in text  # an orphan keeps its saved text
        assert "orphaned" in text and "moved" in text and "¶2 (was ¶3)" in text
        # typing filters (after f or /)
        await pilot.press("slash", *"gone")
        await pilot.pause()
        assert screen.bookmark_list.count == 1
        await pilot.press("enter")  # back to the list
        await pilot.press("enter")  # an orphan cannot be opened: it says so and stays
        await pilot.pause()
        assert isinstance(app.screen, BookmarksScreen)
        assert "cannot be opened" in _notes(app)
        await pilot.press("f")
        screen.filter_input.value = ""
        await pilot.pause()
        assert screen.bookmark_list.count == 3
        await pilot.press("escape")  # from the filter back to the list
        # Enter on the moved one: its passage where it is now
        screen.bookmark_list.cursor = [i.id for i in screen.bookmark_list.items].index(ids["moved"])
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, BookmarksScreen)
        moved = shelf.get(ids["moved"])
        view = reader.article_view
        assert reader.active == "article"
        assert (view.article.id, view.cursor + 1) == (moved.source, 2)
        assert reader.sources.current_id == moved.source
        assert view.is_bookmarked(2)
        # Esc goes back to where the reader was before the jump
        await pilot.press("escape")
        await pilot.pause()
        assert reader.active == "sources"


async def test_copy_with_citation_and_markup_stays_literal(env):
    ids = seed_bookmarks()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot, app)
        await _settle(pilot, app)
        reader = app.reader
        view = reader.article_view
        await pilot.press("2", "y")
        await pilot.pause()
        a = view.article
        # issue 16: an article's citation carries its byline
        assert app.clipboard == f"“{a.paragraphs[0].text}”\n— {a.outlet}, “{a.title}”, by {a.byline}, {a.date}, ¶1"
        assert "Copied ¶1" in _notes(app)
        # y in the quotes pane: the selected quote
        await pilot.press("3", "y")
        q = reader.quotes_pane.selected_quote()
        assert app.clipboard.startswith(f"“{q.text}”\n— ") and app.clipboard.endswith(f"¶{q.paragraph}")
        # the orphan's citation is the one saved with it
        await pilot.press("B")
        await pilot.pause()
        screen = app.screen
        screen.bookmark_list.cursor = [i.id for i in screen.bookmark_list.items].index(ids["orphaned"])
        await pilot.press("y")
        assert app.clipboard == "“Words nobody can find any more.”\n— Gone Daily, “An article no longer in the folder”, 2022-01-09, ¶1"
        # notes and tags with markup: literal on screen, and clicking them runs nothing
        screen.bookmark_list.cursor = [i.id for i in screen.bookmark_list.items].index(ids["anchored"])
        await pilot.pause()
        text = screen_text(app)
        assert MARKUP_NOTE in text and "[b]tag[/b]" in text
        where = find_on_screen(app, "[@click=app.quit]")
        await pilot.click(offset=(where[0] + 2, where[1]))
        await pilot.pause()
        assert app.is_running


async def test_palette_lists_bookmarks_and_opens_one(env):
    ids = seed_bookmarks()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        await _settle(pilot, app)
        from briefing.tui.commands import BriefingCommands

        provider = BriefingCommands(app.screen)
        prompts = [hit.text async for hit in provider.discover()]
        assert "Bookmarks" in prompts
        assert sum(p.startswith("Bookmark: ") for p in prompts) == 3
        await pilot.press("ctrl+p", *"bookmark moved since")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        moved = app.reader.bookmarks.get(ids["moved"])
        assert app.reader.active == "article"
        assert (app.reader.article_view.article.id, app.reader.article_view.cursor + 1) == (moved.source, moved.paragraph)


async def test_a_damaged_store_is_reported_and_the_reader_starts(env):
    path = bookmarks_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x00\xffnot a database at all\x1b[31m" * 50)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot, app)
        await _settle(pilot, app)
        assert app.reader.article_view.article is not None
        notes = [n for n in app._notifications if n.title == "Bookmarks"]
        assert notes and "could not be read" in str(notes[0].message) and "moved to" in str(notes[0].message)
        aside = list(path.parent.glob(path.name + ".damaged-*"))
        assert aside and str(aside[0]) in str(notes[0].message)
        # a fresh store works
        await pilot.press("2", "b")
        await _settle(pilot, app)
        assert len(app.reader.bookmarks) == 1 and app.reader.bookmarks.can_save


async def test_help_is_truthful_about_b_and_page_up(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        text = str(app.screen.query_one("#help-table").render())
        assert "Bookmark" in text and "Bookmarks (B)" in text and "Annotate" in text and "Select" in text
        for line in text.splitlines():
            keys = line.strip().split("  ")[0].split(", ")
            if "Page up" in line:
                assert "b" not in keys, line


def test_no_key_means_two_things_in_one_place():
    """Within each widget or screen, one key runs one action (the help lists each once)."""
    from briefing.tui.app import BriefingApp
    from briefing.tui.screens.annotate import AnnotateScreen
    from briefing.tui.screens.reader import ReaderScreen
    from briefing.tui.widgets.article import ArticleView
    from briefing.tui.widgets.bookmarks import BookmarkList
    from briefing.tui.widgets.quotes import QuoteList, QuotesPane
    from briefing.tui.widgets.sources import SourceList
    from briefing.tui.widgets.vlist import VirtualList

    for cls in (BriefingApp, ReaderScreen, ArticleView, VirtualList, SourceList, QuoteList, QuotesPane, BookmarkList, BookmarksScreen, AnnotateScreen):
        actions: dict[str, set[str]] = {}
        for binding in cls.BINDINGS:
            for key in binding.key.split(","):
                actions.setdefault(key.strip(), set()).add(binding.action)
            assert binding.id and binding.tooltip, (cls.__name__, binding.key)
        clashes = {k: a for k, a in actions.items() if len(a) > 1}
        assert not clashes, (cls.__name__, clashes)
    # b is "bookmark" where the reader reads, never "page up"
    article_b = [b.action for b in ArticleView.BINDINGS if "b" in b.key.split(",")]
    quotes_b = [b.action for b in QuotesPane.BINDINGS if "b" in b.key.split(",")]
    assert article_b == ["bookmark"] and quotes_b == ["bookmark"]
    assert not [b for b in VirtualList.BINDINGS if "b" in b.key.split(",")]


async def test_a_store_that_cannot_be_written_says_so_and_keeps_the_session(env, monkeypatch):
    blocker = env / "not-a-dir"
    blocker.write_text("a file where the data directory should be")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot, app)
        await _settle(pilot, app)
        notes = [str(n.message) for n in app._notifications if n.title == "Bookmarks"]
        assert notes and "cannot be saved" in notes[0]
        await pilot.press("2", "b")
        await _settle(pilot, app)
        assert len(app.reader.bookmarks) == 1  # kept for the session
        assert "Not saved to disk" in _notes(app)
        await pilot.press("B")
        await pilot.pause()
        assert "not saved: this session only" in screen_text(app)
