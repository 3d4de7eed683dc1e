"""Issue 16, the reading loop: where you were, read state, sort, focus mode, line width, search
walking across articles, query history, did-you-mean, `source:` references, settings and keymap
in the user config dir."""

from __future__ import annotations

import json

from support.tui import BUNDLED, env, make_app, screen_text, shared_cache, wait_loaded  # noqa: F401 - fixtures

from textual.widgets import Input

from briefing.tui import messages
from briefing.tui.widgets.sources import SourceList


def _config(env, name: str, text: str) -> None:
    path = env / "config" / "briefing" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


async def _settle(pilot, app) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_restart_returns_to_the_article_and_paragraph(env):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        await pilot.press("j", "j", "enter")  # the third source, in the article pane
        await pilot.pause()
        for _ in range(6):
            await pilot.press("j")
        await pilot.pause()
        chosen, paragraph = reader.article_view.article.id, reader.article_view.cursor + 1
        assert paragraph > 1
    # the state is written on the way out (atomically, in the data dir)
    from briefing.index.locations import corpus_dir, reading_path

    saved = json.loads(reading_path(corpus_dir(BUNDLED)).read_text())
    assert saved["last"] == chosen and saved["articles"][chosen]["paragraph"] == paragraph
    app = make_app()
    posted: list = []
    async with app.run_test(size=(80, 24), message_hook=posted.append) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        assert any(isinstance(m, messages.ReadingLoaded) for m in posted)
        assert reader.article_view.article.id == chosen
        assert reader.article_view.cursor + 1 == paragraph
        assert reader.sources.current_id == chosen
        assert reader.active == "article"
        assert any("Back where you were" in str(n.message) for n in app._notifications)


async def test_each_article_keeps_its_place_across_brackets(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        reader, view = app.reader, app.reader.article_view
        await pilot.press("2", "j", "j", "j")
        first = view.article.id
        at = view.cursor
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert view.article.id != first and view.cursor == 0
        await pilot.press("j")
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert view.article.id == first and view.cursor == at


async def test_read_state_is_shown_and_m_toggles_it(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        sources = reader.sources
        first = sources.current_id
        assert reader.read_state(first)[0] == "new"
        assert sources.render_row(0).plain.startswith("•")
        await pilot.press("2", "j")
        await pilot.pause()
        state, progress = reader.read_state(first)
        assert state == "started" and progress.startswith("¶ 2/")
        assert sources.render_row(0).plain.startswith("◐") and "¶ 2/" in sources.render_row(0).plain
        await pilot.press("G")  # the last passage: read
        await pilot.pause()
        assert reader.read_state(first)[0] == "read"
        assert sources.render_row(0).plain.startswith("✓")
        await pilot.press("m")
        assert reader.read_state(first)[0] == "started"
        await pilot.press("m")
        assert reader.read_state(first)[0] == "read"


async def test_sources_are_sorted_by_date_then_outlet_and_s_changes_it(env):
    _config(env, "settings.json", "{}")  # the default order
    app = make_app()
    posted: list = []
    async with app.run_test(size=(120, 40), message_hook=posted.append) as pilot:
        await wait_loaded(pilot, app)
        sources = app.reader.sources
        listed = sources.articles
        keys = [(a.date or "9999", (a.outlet or "").casefold()) for a in listed]
        assert keys == sorted(keys)
        assert sources.order == "date"
        # the number shown is the article's number in `briefing sources`, whatever the order
        numbers = {a.id: i for i, a in enumerate(app.reader.briefing.articles, 1)}
        assert sources.render_row(0).plain.split()[1] == str(numbers[listed[0].id])
        await pilot.press("s")
        await _settle(pilot, app)
        assert sources.order == "date-newest"
        assert any(isinstance(m, SourceList.Sorted) and m.order == "date-newest" for m in posted)
        newest = [a.date for a in sources.articles]
        assert newest == sorted(newest, reverse=True)
    saved = json.loads((env / "config" / "briefing" / "settings.json").read_text())
    assert saved["sort"] == "date-newest"


async def test_focus_mode_at_80x24(env):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        await pilot.press("z")
        await pilot.pause()
        assert reader.has_class("-focus") and reader.active == "article"
        article = reader.pane("article")
        assert article.region.width == 80
        assert not reader.query_one("#tabs").display or reader.query_one("#tabs").region.height == 0
        for name in ("sources", "quotes", "positions"):
            assert reader.pane(name).region.height == 0
        await pilot.press("z")
        await pilot.pause()
        assert not reader.has_class("-focus")
        await pilot.press("z", "1")  # a pane key leaves focus mode too
        await pilot.pause()
        assert not reader.has_class("-focus") and reader.active == "sources"


async def test_lines_are_at_most_max_width_on_a_wide_terminal(env):
    app = make_app()
    async with app.run_test(size=(200, 50)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        await pilot.press("z")
        await pilot.pause()
        view = reader.article_view
        margin, text = view._columns()
        assert text == 80 and margin > 0  # centred
        strips = view._paragraph_strips(0, False)
        for strip in strips:
            words = strip.text.strip()
            assert len(words) <= 80 + view._gutter_width()


async def test_n_crosses_from_the_last_hit_of_one_article_to_the_first_of_the_next(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        await pilot.press("slash")
        reader.search_panel.set_query("sherman")
        await _settle(pilot, app)
        await pilot.press("enter")
        await _settle(pilot, app)
        walk = reader._walk()
        order = [a.id for a in reader.sources.articles]
        sources_with_hits = [s for s in order if any(h.source == s for h in walk)]
        assert len(sources_with_hits) >= 2
        first_source = sources_with_hits[0]
        last_here = max(h.paragraph for h in walk if h.source == first_source)
        # go to the first source's last hit, then n
        reader.sources.move_cursor(order.index(first_source), announce=False)
        reader._show_source(first_source, paragraph=last_here)
        await _settle(pilot, app)
        await pilot.press("n")
        await _settle(pilot, app)
        second = sources_with_hits[1]
        assert reader.article_view.article.id == second
        assert reader.article_view.cursor + 1 == min(h.paragraph for h in walk if h.source == second)
        assert reader.sources.current_id == second
        assert any("Next source with a match" in str(n.message) for n in app._notifications)
        # N goes back across
        await pilot.press("N")
        await _settle(pilot, app)
        assert reader.article_view.article.id == first_source and reader.article_view.cursor + 1 == last_here
        # the status says where the match is and how to get back to the results
        note = reader.query_one("#status").note
        assert "in the briefing" in note and "back to the results" in note
        await pilot.press("1")  # as the status says: the results, where they were
        await pilot.pause()
        from briefing.tui.widgets.search import SearchResults

        assert isinstance(app.focused, SearchResults) and reader.search_open
        await pilot.press("2")
        await pilot.pause()
        # ranking order: the results list's order
        await pilot.press("O")
        assert reader.match_order == "ranking"
        assert [(h.source, h.paragraph) for h in reader._walk()][:3] == [
            (h.source, h.paragraph) for h in reader._every[:3]
        ]


async def test_esc_keeps_the_query_for_up(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        await pilot.press("slash")
        reader.search_panel.set_query("ryabkov")
        await _settle(pilot, app)
        await pilot.press("escape")
        await pilot.pause()
        assert not reader.search_open and reader.search_query == ""
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.value == ""
        await pilot.press("up")
        await _settle(pilot, app)
        assert reader.search_panel.input.value == "ryabkov"
        assert reader.search_query == "ryabkov"
        await pilot.press("down")
        assert reader.search_panel.input.value == ""
    # and after a restart
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        await pilot.press("slash", "up")
        await _settle(pilot, app)
        assert app.reader.search_panel.input.value == "ryabkov"


async def test_did_you_mean_corrects_the_word_as_typed(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        await pilot.press("slash")
        reader.search_panel.set_query("guarentees")
        await _settle(pilot, app)
        assert reader.search_panel.result.suggestion == "guarantees"
        assert "guarantees" in str(reader.query_one("#search-note").render())
        await pilot.press("tab")
        await _settle(pilot, app)
        assert reader.search_panel.input.value == "guarantees"
        assert reader.search_panel.result.total > 0


async def test_source_references_in_search(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        b = app.reader.briefing
        reuters = next(a for a in b.articles if a.outlet == "Reuters")
        number = b.articles.index(reuters) + 1
        for ref in (reuters.id, reuters.id[:5], str(number), "reuters", '"Reuters"'):
            result = b.search(f"source:{ref} nato")
            assert result.error is None, ref
            assert result.hits and {h.source for h in result.hits} == {reuters.id}, ref
            assert b.find_article(ref.strip('"')).id == reuters.id
        typo = b.search("source:reuters guarentees")
        assert typo.suggestion == "source:reuters guarantees"  # in the words as typed, not ids
        bad = b.search("source:mars nato")
        assert bad.error and "unknown source 'mars'" in bad.error and "Reuters" in bad.error


async def test_keymap_file_rebinds_by_id_and_bad_entries_are_reported(env):
    _config(env, "keymap.toml", '"view.focus" = "f2"\n"no.such-key" = "x"\n"article.bookmark" = 3\n')
    _config(env, "settings.json", '{"sort": "sideways", "max_width": 60, "[b]x[/b]": 1}')
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        problems = " ".join(app.config_problems)
        assert "no.such-key" in problems and "article.bookmark" in problems and "sideways" in problems
        assert "[b]x[/b]" in problems  # shown as typed (Content, never markup)
        assert reader.article_view.max_width == 60  # the good settings still apply
        shown = [n for n in app._notifications if n.title == "Config"]
        assert shown and not shown[0].markup  # the file's text is shown as typed, never as markup
        assert app.is_running
        await pilot.press("f2")
        await pilot.pause()
        assert reader.has_class("-focus")
        await pilot.press("z")  # rebound: z no longer toggles
        await pilot.pause()
        assert reader.has_class("-focus")


async def test_damaged_keymap_is_ignored(env):
    _config(env, "keymap.toml", "this is = = not toml [")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot, app)
        assert any("not valid TOML" in p for p in app.config_problems)
        await pilot.press("z")
        await pilot.pause()
        assert app.reader.has_class("-focus")


async def test_a_on_a_passage_without_a_bookmark_bookmarks_it_and_opens_the_note(env):
    from briefing.tui.screens.annotate import AnnotateScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        shelf = reader.bookmarks
        assert len(shelf) == 0
        await pilot.press("2", "j", "j", "a")
        await _settle(pilot, app)
        assert len(shelf) == 1
        item = shelf.items[0]
        assert (item.source, item.paragraph) == (reader.article_view.article.id, 3)
        assert isinstance(app.screen, AnnotateScreen)  # the note is open, no second key
        app.screen.query_one("#annotate-note").value = "[b]why[/b] it matters"
        await pilot.press("enter")
        await _settle(pilot, app)
        assert shelf.items[0].bookmark.note == "[b]why[/b] it matters"
        # a again on the same passage: the same bookmark's note, no second bookmark
        await pilot.press("a")
        await _settle(pilot, app)
        assert isinstance(app.screen, AnnotateScreen) and len(shelf) == 1


async def test_help_keys_work_inside_it_and_textual_internals_are_not_listed(env):
    from briefing.tui.screens.help import HelpScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one("#help-table").render().plain
        for idle in ("Scroll Left", "Page Right", "Focus Next", "Copy selected text"):
            assert idle not in text, idle
        assert "[view.focus]" in text and "This help" in text  # ids for the keymap file
        body = app.screen.body
        assert body.scroll_y == 0
        await pilot.press("space")
        await pilot.pause()
        assert body.scroll_y > 0
        await pilot.press("G")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y > 0
        await pilot.press("g")
        await pilot.pause()
        assert body.scroll_y == 0
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_side_labels_go_at_the_end_of_the_sentence(env):
    from briefing.index.text import sentence_spans
    from briefing.tui.widgets.article import CLOSING_MARKS

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        view = reader.article_view
        checked = 0
        for article in reader.briefing.articles:
            reader._show_source(article.id)
            await pilot.pause()
            for n in {q.paragraph for q in reader.quotes_by_source.get(article.id, [])}:
                text = article.paragraphs[n - 1].text
                plain = view.paragraph_content(n - 1).plain
                ends = {e for _s, e in sentence_spans(text)} | {len(text)}
                # remove the labels one by one: each stood at a sentence end (or after its marks)
                rest = plain
                while "‹" in rest:
                    i = rest.index(" ‹")
                    j = rest.index("›", i) + 1
                    before = text[:i]
                    k = len(before)
                    while k > 0 and text[k - 1] in CLOSING_MARKS:
                        k -= 1
                    assert any(k <= e <= len(before) for e in ends), (article.id, n, rest[max(0, i - 30): j])
                    rest = rest[:i] + rest[j:]
                    checked += 1
                assert rest == text
        assert checked > 10


async def test_positions_pane_never_says_finding_and_no_issue_at_once(env):
    import threading

    from briefing.tui.app import BriefingApp

    gate = threading.Event()
    base = make_app()._factory

    def slow(corpus):
        b = base(corpus)
        analysis = b.analysis

        def later():
            gate.wait(10)
            return analysis()

        b.analysis = later
        return b

    app = BriefingApp(corpus=str(BUNDLED), briefing_factory=slow)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            await pilot.pause(0.02)
            if app.reader.loaded:
                break
        await pilot.pause()
        text = screen_text(app)
        assert "Finding positions" in text
        assert "No issue in this briefing" not in text
        gate.set()
        await wait_loaded(pilot, app)
        text = screen_text(app)
        assert "Finding positions" not in text and "No issue in this briefing" not in text


def test_balanced_puts_back_the_marks_a_selection_cuts():
    from briefing.tui.bookmarks import balanced

    text = "He said “we will not budge. Not an inch,” and left. “Never,” she said."
    start = text.index("Not an inch")
    assert balanced(text, start, text.index(" and left")) == "“Not an inch,”"  # starts inside: opened
    assert balanced(text, 0, text.index(" Not an")) == "He said “we will not budge.”"  # ends inside: closed
    assert balanced(text, 0, text.index(" “Never")) == text[: text.index(" “Never")]  # whole: as is
    straight = 'He said "we will not budge. Not an inch," and left.'
    assert balanced(straight, straight.index("Not"), straight.index(" and")) == "“Not an inch,\""


async def test_copy_carries_the_byline_the_speaker_and_balanced_marks(env):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        view = reader.article_view
        # a quote with a known speaker: y in the quotes pane names them
        await pilot.press("3")
        await pilot.pause()
        q = reader.quotes_pane.selected_quote()
        await pilot.press("y")
        assert q.speaker and f"— {q.speaker}" in app.clipboard and ", quoted in " in app.clipboard
        article = reader.briefing.article(q.source)
        if article.byline:
            assert f"by {article.byline}" in app.clipboard
        # a selection that starts inside a quotation gets its opening mark back
        from briefing.index.text import sentence_spans

        found = next(
            (
                (a, a.paragraphs[qq.paragraph - 1], qq)
                for a in reader.briefing.articles
                for qq in reader.quotes_by_source.get(a.id, [])
                if qq.marked and len(sentence_spans(qq.text)) >= 2
            ),
            None,
        )
        assert found, "a quotation of two sentences or more"
        a, p, qq = found
        reader._show_source(a.id, paragraph=p.n)
        await pilot.press("2")
        await pilot.pause()
        view.cursor = p.n - 1
        spans = sentence_spans(p.text)
        # select the sentence that starts inside the quotation
        first = next(i for i, (s, e) in enumerate(spans) if s > qq.start and s < qq.end)
        await pilot.press("v")
        for _ in range(first):
            await pilot.press("l")
        await pilot.press("y")
        copied = app.clipboard.split("\n— ")[0]
        assert copied.startswith("“") and copied.count("“") >= 1
        assert qq.speaker is None or qq.speaker in app.clipboard


async def test_bookmark_states_are_explained_where_shown(env):
    from support.tui import seed_bookmarks
    ids = seed_bookmarks()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        await _settle(pilot, app)
        await pilot.press("B")
        await pilot.pause()
        text = screen_text(app)
        legend = str(app.screen.query_one("#bookmarks-legend").render())
        assert "moved: same words, another ¶" in legend and "orphaned: gone from the article, kept" in legend
        assert "moved: same words" in text
        screen = app.screen
        for key, words in (("moved", "now in another paragraph"), ("orphaned", "no longer in the article")):
            screen.bookmark_list.cursor = [i.id for i in screen.bookmark_list.items].index(ids[key])
            await pilot.pause()
            assert words in str(screen.query_one("#bookmarks-detail").render()), key


def test_a_damaged_settings_file_is_kept_aside_when_settings_are_saved(env):
    from briefing.tui import settings

    path = env / "config" / "briefing" / "settings.json"
    path.write_text("{broken", encoding="utf-8")
    good, problems = settings.read(path)
    assert good == {} and problems and "not valid JSON" in problems[0]
    settings.save({"theme": "nord"}, path)
    assert settings.load(path) == {"theme": "nord"}
    kept = [p for p in path.parent.iterdir() if p.name.startswith("settings.json.damaged-")]
    assert kept and kept[0].read_text() == "{broken"


def test_reading_state_survives_a_damaged_file(tmp_path):
    from briefing.tui.state import ReadingState

    path = tmp_path / "r.json"
    state, warning = ReadingState.load(path)
    assert warning is None and state.position("a") is None and state.state("a") == "new"
    state.record("a", 3, 10)
    assert state.state("a") == "started" and state.dirty
    state.record("a", 10, 10)
    assert state.state("a") == "read"
    state.save()
    again, warning = ReadingState.load(path)
    assert warning is None and again.position("a") == 10 and again.state("a") == "read" and again.last == "a"
    path.write_text('{"articles": {"a": {"paragraph": "x"}}}')
    broken, warning = ReadingState.load(path)
    assert warning and "damaged" in warning and broken.position("a") is None


async def test_a_in_the_quotes_pane_bookmarks_the_quote_and_opens_the_note(env):
    from briefing.tui.screens.annotate import AnnotateScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        shelf = app.reader.bookmarks
        await pilot.press("3", "a")
        await _settle(pilot, app)
        assert len(shelf) == 1 and shelf.items[0].bookmark.kind == "quote"
        assert isinstance(app.screen, AnnotateScreen)
