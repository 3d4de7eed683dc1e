"""The reader: four panes (sources, article, quotes, positions), side by side on a big terminal,
one at a time behind tabs on a small one. One widget tree for both, so resizing keeps every place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Input, Static

from briefing.tui import messages
from briefing.tui.bookmarks import citation, quoted, where
from briefing.tui.messages import Passage
from briefing.tui.screens.bookmarks import BookmarksScreen
from briefing.tui.screens.compare import CompareScreen
from briefing.tui.widgets import focus_now
from briefing.tui.widgets.article import ArticlePane, ArticleView, QuoteInfo
from briefing.tui.widgets.positions import PositionsPane
from briefing.tui.widgets.quotes import QuotesPane
from briefing.tui.widgets.search import SearchPanel, SearchResults
from briefing.tui.widgets.sources import SourceList
from briefing.tui.widgets.status import PANES, KeyBar, PaneTabs, StatusLine, TitleBar

MATCH_GROUP = Binding.Group("Match", compact=True)
SOURCE_GROUP = Binding.Group("Source", compact=True)
PANE_NAMES = [name for name, _ in PANES]
PANE_LABELS = dict(PANES)

WIDE = (110, 28)  # at least this many columns and rows: panes side by side
CRAMPED = (60, 15)  # under this: still works, and says so


@dataclass(frozen=True)
class Place:
    """Where the reader was, for Esc after a jump."""

    pane: str
    source: str | None
    paragraph: int


class ReaderScreen(Screen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "next_pane", "Pane", id="pane.next", tooltip="Move to the next pane (1-4 go straight to one)"),
        Binding("shift+tab", "previous_pane", "Previous pane", show=False, id="pane.previous", tooltip="Move to the previous pane"),
        # Priority: these move the focus, and keys typed right after them (`/` then the query, `2`
        # then `j`) must reach the new widget. A non-priority binding runs only after Textual has
        # already handed the following keys to the old one. Off while a text field has the focus.
        Binding("1", "pane('sources')", "Sources", show=False, priority=True, id="pane.sources", tooltip="Sources pane (or search results)"),
        Binding("2", "pane('article')", "Article", show=False, priority=True, id="pane.article", tooltip="Article pane"),
        Binding("3", "pane('quotes')", "Quotes", show=False, priority=True, id="pane.quotes", tooltip="Quotes pane"),
        Binding("4", "pane('positions')", "Positions", show=False, priority=True, id="pane.positions", tooltip="Positions pane"),
        Binding("slash", "search", "Search", priority=True, id="search.open", tooltip="Search every source (Whoosh syntax: \"phrase\", nego*, speaker:, side:, outlet:)"),
        Binding("n", "match(1)", "Next match", id="search.next", tooltip="Next passage that matches the search", group=MATCH_GROUP),
        Binding("N", "match(-1)", "Previous match", id="search.previous", tooltip="Previous passage that matches the search", group=MATCH_GROUP),
        Binding("left_square_bracket", "source(-1)", "Previous source", key_display="[", id="source.previous", tooltip="Previous source", group=SOURCE_GROUP),
        Binding("right_square_bracket", "source(1)", "Next source", key_display="]", id="source.next", tooltip="Next source", group=SOURCE_GROUP),
        Binding("escape", "back", "Back", show=False, id="back", tooltip="Clear the search, or go back to where you were before a jump"),
        Binding("B", "bookmarks", "Bookmarks", id="bookmarks.open", tooltip="Every bookmarked passage: filter, open, annotate, copy, delete"),
        Binding("c", "compare", "Compare", show=False, id="compare.open", tooltip="Where the outlets disagree: facts, quote wording, echoes, names (≠ in the gutter)"),
    ]

    active: reactive[str] = reactive("sources", init=False)

    def __init__(self) -> None:
        super().__init__(id="reader")
        self.briefing: Any = None
        self.analysis: Any = None
        self.comparison: Any = None  # briefing.index.compare.model.Comparison, once computed
        self._comparison_note = "Comparing the outlets…"  # why there is no comparison
        self.quotes_by_source: dict[str, list[Any]] = {}
        self.search_query = ""
        self.history: list[Place] = []
        self.ready = False  # the briefing is open and analysed, or it is known why it is not
        self.bookmarks: Any = None  # briefing.tui.bookmarks.Shelf, once the store is open
        self._bookmarks_note = "Bookmarks are not loaded yet."  # why there is no shelf
        self._selection_note = ""  # status note while sentences are selected

    # ---- layout ----------------------------------------------------------------------------
    def compose(self):
        # The layout classes before the children are styled, so they are styled once.
        for name, enabled in self._layout_classes(self.app.size.width, self.app.size.height).items():
            self.set_class(enabled, name, update=False)
        yield TitleBar(id="title")
        yield PaneTabs(id="tabs")
        yield Static(Content(""), id="cramped")
        with Container(id="body"):
            with Vertical(id="pane-sources", classes="pane -active"):
                with ContentSwitcher(initial="sources", id="left-switcher"):
                    yield SourceList(id="sources")
                    yield SearchPanel(id="search")
            yield ArticlePane(id="pane-article", classes="pane")
            yield QuotesPane(id="pane-quotes", classes="pane")
            yield PositionsPane(id="pane-positions", classes="pane")
        yield StatusLine(id="status")
        yield KeyBar(id="footer")

    def on_mount(self) -> None:
        for i, name in enumerate(PANE_NAMES, 1):
            self.pane(name).border_title = f"{i} {PANE_LABELS[name]}"
        self._apply_size(self.app.size.width, self.app.size.height)
        focus_now(self.sources)
        self._refresh_status()

    def on_resize(self, event) -> None:
        self._apply_size(event.size.width, event.size.height)

    def _layout_classes(self, width: int, height: int) -> dict[str, bool]:
        wide = width >= WIDE[0] and height >= WIDE[1]
        return {"-wide": wide, "-narrow": not wide, "-cramped": width < CRAMPED[0] or height < CRAMPED[1]}

    def _apply_size(self, width: int, height: int) -> None:
        classes = self._layout_classes(width, height)
        if any(self.has_class(name) != enabled for name, enabled in classes.items()):
            # One restyle for the three classes (each set_class alone restyles every widget).
            for name, enabled in classes.items():
                self.set_class(enabled, name, update=False)
            self.app.update_styles(self)
        cramped = classes["-cramped"]
        note = self.query_one("#cramped", Static)
        note.update(Content(f"Cramped ({width}×{height}): {CRAMPED[0]}×{CRAMPED[1]} or more reads better." if cramped else ""))
        self.query_one(StatusLine).set_class(cramped, "-cramped")
        # Whatever moved, the cursor's passage stays on screen.
        self.call_after_refresh(self.article_view.scroll_to_cursor)

    # ---- widgets ---------------------------------------------------------------------------
    @property
    def search_open(self) -> bool:
        return self.has_class("-searching")

    @property
    def loaded(self) -> bool:
        return self.briefing is not None

    def pane(self, name: str):
        return self.query_one(f"#pane-{name}")

    @property
    def sources(self) -> SourceList:
        return self.query_one(SourceList)

    @property
    def article_view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def quotes_pane(self) -> QuotesPane:
        return self.query_one(QuotesPane)

    @property
    def positions_pane(self) -> PositionsPane:
        return self.query_one(PositionsPane)

    @property
    def search_panel(self) -> SearchPanel:
        return self.query_one(SearchPanel)

    def _primary(self, name: str):
        """The widget that takes the focus when a pane is entered."""
        if name == "sources":
            if self.search_open:
                panel = self.search_panel
                return panel.results if panel.results.count and not panel.input.has_focus else panel.input
            return self.sources
        if name == "article":
            return self.article_view
        if name == "quotes":
            return self.quotes_pane.quote_list
        pane = self.positions_pane
        if pane.positions is None:
            return None
        return pane.grid if pane.grid.display else pane.statements

    # ---- panes -----------------------------------------------------------------------------
    def watch_active(self, old: str, new: str) -> None:
        for name in (old, new):
            self.pane(name).set_class(name == new, "-active")
        self.query_one(PaneTabs).active = new
        self._focus_pane(new)
        self.call_after_refresh(self._focus_pane, new)  # again once shown (narrow layout)
        self._refresh_status()

    def _focus_pane(self, name: str) -> None:
        """Focus the pane's main widget, unless the focus is in the pane already (or it moved on)."""
        if self.active != name:
            return
        focused = self.focused
        if focused is not None and self._in_pane(focused, name):
            return
        target = self._primary(name)
        if target is not None:
            focus_now(target)
        else:
            self.set_focus(None)

    def _in_pane(self, widget, name: str) -> bool:
        pane = self.pane(name)
        return widget is pane or pane in widget.ancestors

    def on_descendant_focus(self, event) -> None:
        """A click (or a widget) moved the focus into a pane: that pane is the active one."""
        if event.widget is not self.focused:
            return  # a late event: the focus has moved on since (keys typed quickly)
        for name in PANE_NAMES:
            if self._in_pane(event.widget, name):
                if self.active != name:
                    self.active = name
                return

    def action_pane(self, name: str) -> None:
        if self.active == name:
            target = self._primary(name)
            if target is not None:
                focus_now(target)
        else:
            self.active = name

    def action_next_pane(self) -> None:
        self.active = PANE_NAMES[(PANE_NAMES.index(self.active) + 1) % len(PANE_NAMES)]

    def action_previous_pane(self) -> None:
        self.active = PANE_NAMES[(PANE_NAMES.index(self.active) - 1) % len(PANE_NAMES)]

    @on(PaneTabs.Clicked)
    def _tab_clicked(self, event: PaneTabs.Clicked) -> None:
        self.active = event.pane

    # ---- loading ---------------------------------------------------------------------------
    @on(messages.BriefingOpened)
    def _opened(self, event: messages.BriefingOpened) -> None:
        b = self.briefing = event.briefing
        title = self.query_one(TitleBar)
        title.title_text = b.title
        title.detail = self._detail()
        self.article_view.set_sides(b.manifest.sides)
        if b.articles:
            self.sources.set_sources(b.articles)
        else:
            self.sources.set_sources([])
            self.article_view.show_message("This corpus has no readable article.")
        self.quotes_pane.show_unavailable("Finding quotes…")
        report = event.report
        for message in report.messages:
            self.app.notify(Content(message), title="Note", severity="warning", timeout=8)
        skipped = report.skipped
        if skipped:
            lines = [f"{s.path}: {s.reason}" for s in skipped[:5]]
            if len(skipped) > 5:
                lines.append(f"… and {len(skipped) - 5} more")
            self.app.notify(
                Content("\n".join(lines)), title=f"{len(skipped)} file{'s' if len(skipped) != 1 else ''} skipped", severity="warning", timeout=10
            )

    @on(messages.BriefingFailed)
    def _failed(self, event: messages.BriefingFailed) -> None:
        self.query_one(TitleBar).detail = "not opened"
        self.sources.set_sources([])
        self.sources.set_empty_text("No sources.")
        self.article_view.show_message(f"Cannot open the briefing: {event.error}")
        self.quotes_pane.show_unavailable("No quotes: the briefing could not be opened.")
        self.positions_pane.show_unavailable("No positions: the briefing could not be opened.")
        self.app.notify(Content(event.error), title="Cannot open the briefing", severity="error", timeout=15)
        self.ready = True

    @on(messages.AnalysisReady)
    def _analysed(self, event: messages.AnalysisReady) -> None:
        b = self.briefing
        analysis = event.analysis
        qa = self.analysis = analysis.quotes
        articles = {a.id: a for a in b.articles}
        by_source: dict[str, list[Any]] = {}
        for q in qa.quotes:
            by_source.setdefault(q.source, []).append(q)
        self.quotes_by_source = by_source
        self.sources.set_quote_counts({k: len(v) for k, v in by_source.items()})
        self.article_view.set_quotes(by_source.get(self._current_id() or "", []))
        self.quotes_pane.set_analysis(qa, articles, b.manifest.sides)
        self.quotes_pane.current_source = self._current_id()
        self.positions_pane.set_positions(analysis.positions, articles, b.manifest.sides)
        self.query_one(TitleBar).detail = self._detail()
        self._refresh_quote_info()
        self.ready = True

    @on(messages.ComparisonReady)
    def _compared(self, event: messages.ComparisonReady) -> None:
        self.comparison = event.comparison
        self._mark_discrepancies()
        for screen in self.app.screen_stack:
            if isinstance(screen, CompareScreen):
                screen.show(self.comparison)

    @on(messages.ComparisonFailed)
    def _compare_failed(self, event: messages.ComparisonFailed) -> None:
        self._comparison_note = f"The outlets could not be compared: {event.error}"
        for screen in self.app.screen_stack:
            if isinstance(screen, CompareScreen):
                screen.show(None, self._comparison_note)

    def _mark_discrepancies(self) -> None:
        source = self._current_id()
        if self.comparison is not None and source is not None:
            self.article_view.set_discrepancies(self.comparison.discrepancies_in(source))

    def action_compare(self, item_id: str | None = None) -> None:
        """c: the Compare view (at one item, from the palette)."""
        if item_id is None and self.active == "article" and self._discrepancies_here():
            item_id = self._discrepancies_here()[0].id  # c on a ≠ passage: its discrepancy
        for screen in self.app.screen_stack:
            if isinstance(screen, CompareScreen):
                if item_id is not None:
                    screen.select(item_id)
                return
        self.app.push_screen(CompareScreen(self, self.comparison, "" if self.comparison is not None else self._comparison_note, item_id))

    @on(messages.AnalysisFailed)
    def _analysis_failed(self, event: messages.AnalysisFailed) -> None:
        self.quotes_pane.show_unavailable(f"Quotes are not available: {event.error}")
        self.positions_pane.show_unavailable(f"Positions are not available: {event.error}")
        self.query_one(TitleBar).detail = self._detail()
        self.ready = True

    def _detail(self) -> str:
        b = self.briefing
        if b is None:
            return "opening…"
        n = len(b.articles)
        parts = [f"{n} source{'s' if n != 1 else ''}"]
        if b.report.passages:
            parts.append(f"{b.report.passages} passages")
        if self.analysis is not None:
            q = len(self.analysis.quotes)
            parts.append(f"{q} quote{'s' if q != 1 else ''}")
        return " · ".join(parts)

    # ---- sources and the article -----------------------------------------------------------
    def _current_id(self) -> str | None:
        return self.article_view.article.id if self.article_view.article is not None else None

    def _show_source(self, article_id: str, paragraph: int | None = None) -> None:
        article = self.briefing.article(article_id)
        self.article_view.show_article(article, self.quotes_by_source.get(article_id, []), paragraph=paragraph)
        if self.bookmarks is not None:
            self.article_view.set_bookmarked(self.bookmarks.paragraphs(article_id))
        self._mark_discrepancies()
        self.pane("article").border_subtitle = Content(article.outlet or article.id)
        self.quotes_pane.current_source = article_id
        if self.search_query:
            self.article_view.set_matches([])
            self.app.search_source(self.search_query, article_id)

    @on(SourceList.Highlighted)
    def _source_highlighted(self, event: SourceList.Highlighted) -> None:
        if self.briefing is not None and event.article_id != self._current_id():
            self._show_source(event.article_id)

    @on(SourceList.Chosen)
    def _source_chosen(self, event: SourceList.Chosen) -> None:
        self.active = "article"

    @on(ArticleView.CursorMoved)
    def _cursor_moved(self, event: ArticleView.CursorMoved) -> None:
        self._refresh_quote_info()
        self._refresh_status()

    @on(ArticleView.QuoteOpened)
    def _quote_opened(self, event: ArticleView.QuoteOpened) -> None:
        if self.analysis is None:
            return
        self.history.append(self._place())
        self.active = "quotes"
        self.quotes_pane.show_quote(event.quote)

    def _refresh_quote_info(self) -> None:
        self.query_one(QuoteInfo).show(self.article_view)

    def action_source(self, direction: int) -> None:
        if self.sources.count:
            self.sources.cursor = self.sources.cursor + direction

    # ---- jumps and back --------------------------------------------------------------------
    def _place(self) -> Place:
        return Place(self.active, self._current_id(), self.article_view.cursor + 1)

    def jump(self, target: Passage) -> None:
        """Go to a passage: its source in the sources list, the article at it, the spans marked."""
        if self.briefing is None:
            return
        try:
            article = self.briefing.article(target.source)
        except KeyError:
            self.app.notify(Content(f"Source {target.source} is not in this briefing."), severity="error")
            return
        self.history.append(self._place())
        del self.history[:-50]
        if self.sources.index_of(article.id) is not None:
            self.sources.move_cursor(self.sources.index_of(article.id), announce=False)
        if article.id != self._current_id():
            self._show_source(article.id, paragraph=target.paragraph)
        self.article_view.show_passage(target.paragraph, target.spans)
        self.active = "article"

    @on(SearchResults.Chosen)
    @on(QuotesPane.QuoteChosen)
    @on(PositionsPane.StatementChosen)
    @on(CompareScreen.VersionChosen)
    def _passage_requested(self, event: messages.PassageRequested) -> None:
        event.stop()
        self.jump(event.target)

    def action_back(self) -> None:
        if self.search_open or self.search_query:
            self.close_search()
            return
        if self.history:
            place = self.history.pop()
            if place.source and place.source != self._current_id() and self.briefing is not None:
                index = self.sources.index_of(place.source)
                if index is not None:
                    self.sources.move_cursor(index, announce=False)
                self._show_source(place.source, paragraph=place.paragraph)
            else:
                self.article_view.cursor = max(0, place.paragraph - 1)
                self.article_view.scroll_to_cursor(center=True)
            self.active = place.pane
            return
        if self.article_view.has_marks:
            self.article_view.clear_marks()

    # ---- search ----------------------------------------------------------------------------
    def action_search(self) -> None:
        self.query_one("#left-switcher", ContentSwitcher).current = "search"
        self.query_one(PaneTabs).search_active = True
        self.add_class("-searching")
        self.pane("sources").border_title = "1 Search"
        if self.active != "sources":
            self.active = "sources"
        self.search_panel.open()

    def close_search(self) -> None:
        was_open = self.search_open
        self.search_query = ""
        self.app.cancel_search()
        panel = self.search_panel
        if panel.input.value:
            panel.set_query("")
        self.article_view.set_matches([])
        self.query_one("#left-switcher", ContentSwitcher).current = "sources"
        self.query_one(PaneTabs).search_active = False
        self.remove_class("-searching")
        self.pane("sources").border_title = "1 Sources"
        if was_open and self.active == "sources":
            focus_now(self.sources)
        self._refresh_status()
        self.refresh_bindings()

    @on(SearchPanel.QueryChanged)
    def _query_changed(self, event: SearchPanel.QueryChanged) -> None:
        self.search_query = event.query.strip()
        if not self.search_query:
            self.app.cancel_search()
            self.article_view.set_matches([])
        elif self.briefing is not None:
            self.app.run_search(self.search_query, self._current_id())
        self._refresh_status()
        self.refresh_bindings()

    @on(SearchPanel.Closed)
    def _search_closed(self, event: SearchPanel.Closed) -> None:
        self.close_search()

    @on(messages.SearchFinished)
    def _search_finished(self, event: messages.SearchFinished) -> None:
        if event.query != self.search_query:
            return  # an answer to a query that has since changed
        if event.result is not None:
            self.search_panel.show_result(event.result)
        if event.source is not None and event.source == self._current_id():
            self.article_view.set_matches(event.source_hits)
        self._refresh_status()

    @on(SearchResults.Previewed)
    def _preview(self, event: SearchResults.Previewed) -> None:
        if not self.has_class("-wide") or self.briefing is None:
            return  # the article is not on screen: jump only on Enter
        t = event.target
        if self.sources.index_of(t.source) is not None:
            self.sources.move_cursor(self.sources.index_of(t.source), announce=False)
        if t.source != self._current_id():
            self._show_source(t.source, paragraph=t.paragraph)
        self.article_view.show_passage(t.paragraph, t.spans)

    def action_match(self, direction: int) -> None:
        view = self.article_view
        wrapped = view.next_match(direction)
        if wrapped is None:
            self.app.notify(Content(f"No match for “{self.search_query}” in this source."), timeout=3)
            return
        if self.active != "article":
            self.active = "article"
        if wrapped:
            where = "top" if direction > 0 else "bottom"
            self.app.notify(Content(f"Search wrapped to the {where} of the article."), timeout=2)
        self._refresh_status()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "match":
            return bool(self.search_query)
        if action in ("pane", "search") and isinstance(self.focused, Input):
            return False  # typed into the field
        return True

    def help_sections(self) -> list[tuple[str, list[Any]]]:
        """Which bindings the help screen lists, by section (it reads them live)."""
        return [
            ("Everywhere", [self.app, self]),
            ("Sources, search results and other lists", [self.sources]),
            ("Article", [self.article_view]),
            ("Search", [self.search_panel]),
            ("Quotes", [self.quotes_pane, self.quotes_pane.variants]),
            ("Positions", [self.positions_pane.grid, self.positions_pane, self.positions_pane.statements]),
            ("Bookmarks (B)", [BookmarksScreen()]),  # not shown: read for its bindings only
        ]

    # ---- commands (palette) ----------------------------------------------------------------
    def open_source(self, article_id: str) -> None:
        index = self.sources.index_of(article_id)
        if index is None:
            return
        self.history.append(self._place())
        self.sources.cursor = index
        self.active = "article"

    def filter_quotes(self, **filters: str | None) -> None:
        self.active = "quotes"
        self.quotes_pane.set_filter(**filters)

    def open_issue(self, issue_id: str) -> None:
        self.active = "positions"
        grid = self.positions_pane.grid
        for i, (iid, _label) in enumerate(grid.issues):
            if iid == issue_id:
                grid.row = i
                break

    # ---- bookmarks -------------------------------------------------------------------------
    @on(messages.BookmarksLoaded)
    def _bookmarks_loaded(self, event: messages.BookmarksLoaded) -> None:
        self.bookmarks = event.shelf
        if event.shelf is None:
            self._bookmarks_note = event.warning or "Bookmarks are not available."
        if event.warning:
            self.app.notify(Content(event.warning), title="Bookmarks", severity="warning", timeout=15)
        self._bookmarks_changed()

    def _shelf(self) -> Any:
        """The shelf, or None after saying why there is none."""
        if self.bookmarks is None:
            self.app.notify(Content(self._bookmarks_note), severity="warning", timeout=4)
        return self.bookmarks

    def _bookmarks_changed(self) -> None:
        """The shelf changed: the gutter marks, the Bookmarks view, the palette follow."""
        shelf = self.bookmarks
        source = self._current_id()
        if shelf is not None and source is not None:
            self.article_view.set_bookmarked(shelf.paragraphs(source))
        for screen in self.app.screen_stack:
            if isinstance(screen, BookmarksScreen) and screen.is_mounted:
                screen.reload()

    def _saved_note(self) -> str:
        shelf = self.bookmarks
        return "" if shelf is None or shelf.can_save else " Not saved to disk: changes last for this session only."

    def _describe(self, item: Any) -> str:
        return f"{where(item)} of {self.bookmarks.outlet(item)}"

    @on(messages.BookmarkRequested)
    def _bookmark_requested(self, event: messages.BookmarkRequested) -> None:
        event.stop()
        shelf = self._shelf()
        if shelf is None or self.briefing is None:
            return
        t = event.target
        try:
            article = self.briefing.article(t.source)
        except KeyError:
            self.app.notify(Content(f"Source {t.source} is not in this briefing."), severity="error")
            return
        if not 1 <= t.paragraph <= len(article.paragraphs):
            return
        span = tuple(t.spans[0]) if t.spans else None
        existing = shelf.same(t.source, t.paragraph, span, len(article.paragraphs[t.paragraph - 1].text))
        if existing is not None:
            shelf.last_id = existing.id
            self.app.notify(Content(f"Already bookmarked: {self._describe(existing)}. a adds a note."), timeout=4)
            return
        self.app.add_bookmark(shelf.store, article, t.paragraph, span, event.kind)

    @on(messages.BookmarkSaved)
    def _bookmark_saved(self, event: messages.BookmarkSaved) -> None:
        shelf = self.bookmarks
        if shelf is None:
            return
        if event.action == "annotated":
            item = shelf.annotated(event.item)
            if item is not None:
                self.app.notify(Content(f"Note saved for the bookmark on {self._describe(item)}.{self._saved_note()}"), timeout=4)
        else:
            item = event.item
            shelf.put(item)
            if event.action == "added":
                shelf.last_id = item.id
                what = {"selection": "the selection", "quote": "the quote"}.get(item.bookmark.kind, "")
                place = f"{what} in {self._describe(item)}" if what else self._describe(item)
                self.app.notify(Content(f"Bookmarked {place}: a adds a note, B lists bookmarks.{self._saved_note()}"), timeout=5)
            else:
                self.app.notify(Content(f"Restored the bookmark on {self._describe(item)}.{self._saved_note()}"), timeout=4)
        self._bookmarks_changed()

    @on(messages.BookmarkFailed)
    def _bookmark_failed(self, event: messages.BookmarkFailed) -> None:
        shelf = self.bookmarks
        if shelf is not None and event.undo is not None:
            how, item = event.undo
            if how == "put":  # a deletion that did not happen
                shelf.put(item)
                if item in shelf.deleted:
                    shelf.deleted.remove(item)
            else:  # an undo that did not happen
                shelf.items = [i for i in shelf.items if i.id != item.id]
                shelf.deleted.append(item)
            self._bookmarks_changed()
        self.app.notify(Content(event.error), title="Bookmarks", severity="error", timeout=8)

    @on(messages.AnnotateRequested)
    def _annotate_requested(self, event: messages.AnnotateRequested) -> None:
        event.stop()
        shelf = self._shelf()
        if shelf is None:
            return
        item = shelf.get(event.bookmark_id) if event.bookmark_id else None
        t = event.target
        if item is None and t is not None:
            span = tuple(t.spans[0]) if t.spans else None
            item = shelf.at(t.source, t.paragraph, span) if span else None
            item = item or shelf.at(t.source, t.paragraph)
        if item is None:
            item = shelf.get(shelf.last_id)  # none here: the one just made
        if item is None:
            self.app.notify(Content("No bookmark on this passage: b bookmarks it, then a adds a note."), timeout=4)
            return
        self.annotate(item)

    def annotate(self, item: Any) -> None:
        """The note and tags dialog for a bookmark; saved by a worker."""
        from briefing.tui.screens.annotate import AnnotateScreen

        shelf = self.bookmarks
        if shelf is None:
            return
        shelf.last_id = item.id
        bm = item.bookmark

        def done(result: tuple[str, tuple[str, ...]] | None) -> None:
            if result is None:
                return
            note, tags = result
            if (note, tuple(tags)) != (bm.note, tuple(bm.tags)):
                self.app.annotate_bookmark(shelf.store, item.id, note, tags)

        self.app.push_screen(AnnotateScreen(shelf.citation(item), bm.text, bm.note, tuple(bm.tags)), callback=done)

    @on(messages.CopyRequested)
    def _copy_requested(self, event: messages.CopyRequested) -> None:
        event.stop()
        t = event.target
        if self.briefing is None:
            return
        try:
            article = self.briefing.article(t.source)
        except KeyError:
            return
        if not 1 <= t.paragraph <= len(article.paragraphs):
            return
        text = article.paragraphs[t.paragraph - 1].text
        if t.spans:
            start, end = t.spans[0]
            text = text[start:end]
        cite = citation(article.outlet, article.title, article.date, t.paragraph, article.id)
        self._copy(quoted(text, cite), f"¶{t.paragraph} of {article.outlet or article.id}")

    def _copy(self, text: str, what: str) -> None:
        self.app.copy_to_clipboard(text)
        self.app.notify(Content(f"Copied {what} with its citation."), timeout=3)

    def copy_bookmark(self, bookmark_id: str) -> None:
        shelf = self.bookmarks
        item = shelf.get(bookmark_id) if shelf is not None else None
        if item is not None:
            self._copy(quoted(item.bookmark.text, shelf.citation(item)), self._describe(item))

    def action_bookmarks(self) -> None:
        """B: the Bookmarks view."""
        if not any(isinstance(screen, BookmarksScreen) for screen in self.app.screen_stack):
            self.app.push_screen(BookmarksScreen(self))

    def open_bookmark(self, bookmark_id: str) -> None:
        """Go to a bookmark's passage (from the Bookmarks view or the palette)."""
        shelf = self._shelf()
        item = shelf.get(bookmark_id) if shelf is not None else None
        if item is None:
            return
        if item.orphaned:
            self.app.notify(
                Content(f"This passage is no longer in {shelf.outlet(item)} (orphaned): it cannot be opened. Its saved text is shown in the list."),
                title="Cannot open",
                severity="warning",
                timeout=6,
            )
            return
        shelf.last_id = item.id
        while isinstance(self.app.screen, BookmarksScreen):
            self.app.pop_screen()
        spans = () if item.bookmark.kind == "paragraph" else ((item.start, item.end),)
        self.jump(Passage(item.source, item.paragraph, spans))

    def delete_bookmark(self, bookmark_id: str) -> None:
        """Delete now (u brings it back); the store is written by a worker."""
        shelf = self._shelf()
        item = shelf.drop(bookmark_id) if shelf is not None else None
        if item is None:
            return
        self.app.remove_bookmark(shelf.store, item)
        self._bookmarks_changed()
        self.app.notify(Content(f"Deleted the bookmark on {self._describe(item)} — u to undo.{self._saved_note()}"), timeout=6)

    def undo_delete(self) -> None:
        shelf = self._shelf()
        if shelf is None:
            return
        if not shelf.deleted:
            self.app.notify(Content("Nothing to undo."), timeout=2)
            return
        item = shelf.deleted.pop()
        shelf.put(item)
        self.app.restore_bookmark(shelf.store, item)
        self._bookmarks_changed()

    @on(ArticleView.SelectionChanged)
    def _selection_changed(self, event: ArticleView.SelectionChanged) -> None:
        n, total = event.sentences
        if event.selection is None:
            self._selection_note = ""
        else:
            self._selection_note = f"{n} of {total} sentence{'s' if total != 1 else ''} selected: j/k, b bookmarks, y copies, Esc cancels"
        self._refresh_status()

    # ---- status ----------------------------------------------------------------------------
    def _refresh_status(self) -> None:
        status = self.query_one(StatusLine)
        status.pane = ("Search" if self.search_open and self.active == "sources" else PANE_LABELS.get(self.active, self.active))
        view = self.article_view
        if view.article is not None:
            a = view.article
            status.where = a.outlet or a.id
            status.position = f"¶ {view.cursor + 1}/{view.count}"
        else:
            status.where = ""
            status.position = ""
        if self.search_query:
            result = self.search_panel.result
            if result is not None and result.query == self.search_query and result.error:
                counter = "bad query"
            else:
                i, n = view.match_position()
                counter = f"{i}/{n}" if i else (f"–/{n}" if n else "none here")
            status.search = f"/{self.search_query}  {counter}"
        else:
            status.search = ""
        if not self.loaded:
            status.note = "opening…"
        elif self._selection_note and self.active == "article":
            status.note = self._selection_note
        else:
            notes = []
            here = self._discrepancies_here() if self.active == "article" else []
            if here:
                notes.append(f"≠ {here[0].about} (c compares)")
            if self.history and self.active == "article" and self.history[-1].pane != "article":
                notes.append(f"Esc: back to {PANE_LABELS.get(self.history[-1].pane, '')}")
            status.note = " · ".join(notes)

    def _discrepancies_here(self) -> list[Any]:
        """The discrepancies with a version in the passage under the article cursor."""
        view = self.article_view
        if self.comparison is None or view.article is None:
            return []
        return self.comparison.discrepancies_in(view.article.id).get(view.cursor + 1, [])
