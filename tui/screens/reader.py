"""The reader: four panes (sources, article, quotes, positions), side by side on a big terminal,
one at a time behind tabs on a small one. One widget tree for both, so resizing keeps every place.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import events, on
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Input, Static

from briefing.tui import messages
from briefing.tui.messages import Passage
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

if TYPE_CHECKING:
    from briefing.index.bookmarks.store import AnchoredBookmark
    from briefing.tui.app import BriefingApp

# Not imported here: the Compare and Bookmarks screens, the filter picker, the annotation dialog
# and the clipboard's citation helpers. They load when first opened, after the first paint.
LAZY_SCREENS = {"compare": "CompareScreen", "bookmarks": "BookmarksScreen"}

WIDE = (110, 28)  # at least this many columns and rows: panes side by side
CRAMPED = (60, 15)  # under this: still works, and says so


@dataclass(frozen=True)
class Place:
    """Where the reader was, for Esc after a jump."""

    pane: str
    source: str | None
    paragraph: int


class IndexReloaded(Message):
    """The briefing was reopened after another process re-indexed it (posted by the app)."""

    def __init__(self, report: Any) -> None:
        super().__init__()
        self.report = report


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
        Binding("O", "match_order", "Match order", show=False, id="search.order", tooltip="n/N in reading order (source by source) or in ranking order (as the results list)"),
        Binding("left_square_bracket", "source(-1)", "Previous source", key_display="[", id="source.previous", tooltip="Previous source", group=SOURCE_GROUP),
        Binding("right_square_bracket", "source(1)", "Next source", key_display="]", id="source.next", tooltip="Next source", group=SOURCE_GROUP),
        Binding("escape", "back", "Back", show=False, id="back", tooltip="Clear the search, or go back to where you were before a jump"),
        Binding("B", "bookmarks", "Bookmarks", id="bookmarks.open", tooltip="Every bookmarked passage: filter, open, annotate, copy, delete"),
        Binding("z", "focus_mode", "Focus", id="view.focus", tooltip="The article alone on the whole screen (z again, Tab or 1-4 return)"),
        Binding("m", "toggle_read", "Read/unread", show=False, id="source.toggle-read", tooltip="Mark the shown source read, or unread again"),
        Binding("c", "compare", "Compare", show=False, id="compare.open", tooltip="Where the outlets disagree: facts, quote wording, echoes, names (≠ in the gutter)"),
    ]

    active: reactive[str] = reactive("sources", init=False)

    @property
    def app(self) -> "BriefingApp":  # type: ignore[override]
        """The app, typed: the reader runs only in BriefingApp."""
        return cast("BriefingApp", super().app)

    def __init__(self) -> None:
        super().__init__(id="reader")
        self.briefing: Any = None
        self.analysis: Any = None
        # The manifest the analysis used: briefing.toml with what was inferred where it is silent
        self.analysis_manifest: Any = None
        self.evidence_of: Any = None  # speaker name -> the words that placed them on their side
        self.comparison: Any = None  # briefing.index.compare.model.Comparison, once computed
        self._comparison_note = "Comparing the outlets…"  # why there is no comparison
        self.quotes_by_source: dict[str, list[Any]] = {}
        self.search_query = ""
        self.history: list[Place] = []
        self.ready = False  # the briefing is open and analysed, or it is known why it is not
        self.bookmarks: Any = None  # briefing.tui.bookmarks.Shelf, once the store is open
        self._bookmarks_note = "Bookmarks are not loaded yet."  # why there is no shelf
        self._selection_note = ""  # status note while sentences are selected
        self.reading: Any = None  # briefing.tui.state.ReadingState, once loaded
        self._every: list[Any] | None = None  # every hit of the search in the briefing, if known
        self._annotate_next: tuple[str, int, tuple[int, int] | None] | None = None  # a: note once saved
        self.match_order = "reading"  # n/N: "reading" (source by source, as listed) or "ranking"
        self._reading_timer: Any = None
        self._resumed = False  # shown once already (see _on_screen_resume)

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
        self.article_view.set_max_width(self.app.setting("max_width"))
        # Until the analysis answers: the note alone (not the empty grid's "no issue" beside it).
        self.positions_pane.show_unavailable("Finding positions…")
        for i, name in enumerate(PANE_NAMES, 1):
            self.pane(name).border_title = f"{i} {PANE_LABELS[name]}"
        self._apply_size(self.app.size.width, self.app.size.height)
        focus_now(self.sources)
        self._refresh_status()

    def on_resize(self, event) -> None:
        self._apply_size(event.size.width, event.size.height)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._resumed:
            # Textual styles every widget of a screen again when it is shown. The first time, each
            # was styled as it was mounted, a moment before, and every change since (layout
            # classes, focus, theme) restyled what it touched: a second pass over some 90 nodes
            # would only delay the first frame. Later resumes (back from another screen) restyle.
            self._resumed = True
            event.refresh_styles = False
        super()._on_screen_resume(event)

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
        if new != "article" and self.has_class("-focus"):
            self.set_focus_mode(False)
        if new == "article":
            self._record_position()
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
            self.sources.read_state = self.read_state
            restored = self._restorable()
            # Reopened where the reader was (if known): the first source is not shown first.
            self.sources.set_sources(b.articles, order=self.app.setting("sort"), announce=restored is None)
            if restored is not None:
                self._restore(*restored)
        else:
            self.sources.set_sources([])
            self.article_view.show_message("This corpus has no readable article.")
        self.quotes_pane.show_unavailable("Finding quotes…")
        report = event.report
        for message in report.messages:
            self.app.notify(message, markup=False, title="Note", severity="warning", timeout=8)
        skipped = report.skipped
        if skipped:
            lines = [f"{s.path}: {s.reason}" for s in skipped[:5]]
            if len(skipped) > 5:
                lines.append(f"… and {len(skipped) - 5} more")
            self.app.notify(
                "\n".join(lines), title=f"{len(skipped)} file{'s' if len(skipped) != 1 else ''} skipped", severity="warning", timeout=10,
                markup=False,
            )

    @on(IndexReloaded)
    def _index_reloaded(self, event: IndexReloaded) -> None:
        """Another process re-indexed: show the new articles, staying on the same source and
        paragraph number (issue 18, item 16)."""
        b = self.briefing
        if b is None:
            return
        source = self._current_id()
        paragraph = self.article_view.cursor + 1 if source is not None else None
        self.sources.set_sources(b.articles)
        self.query_one(TitleBar).detail = self._detail()
        if source is not None and self.sources.index_of(source) is not None:
            count = len(b.article(source).paragraphs)
            self._show_source(source, paragraph=max(1, min(paragraph or 1, count)) if count else None)
        self.app.notify("The index was updated by another briefing process: reloaded.", markup=False, timeout=5)

    @on(messages.BriefingFailed)
    def _failed(self, event: messages.BriefingFailed) -> None:
        self.query_one(TitleBar).detail = "not opened"
        self.sources.set_sources([])
        self.sources.set_empty_text("No sources.")
        self.article_view.show_message(f"Cannot open the briefing: {event.error}")
        self.quotes_pane.show_unavailable("No quotes: the briefing could not be opened.")
        self.positions_pane.show_unavailable("No positions: the briefing could not be opened.")
        self.app.notify(event.error, markup=False, title="Cannot open the briefing", severity="error", timeout=15)
        self.ready = True

    @on(messages.AnalysisProgress)
    def _analysing(self, event: messages.AnalysisProgress) -> None:
        """A determinate bar with counts in the panes that wait for the analysis."""
        if self.ready or event.total <= 0:
            return
        share = min(1.0, event.done / event.total)
        filled = round(share * 20)
        bar = "█" * filled + "░" * (20 - filled)
        if event.done >= event.total:  # every article read: the briefing-wide steps are running
            self.quotes_pane.show_unavailable(f"Finding quotes… {event.total:,} articles read; grouping them across outlets…")
            self.positions_pane.show_unavailable("Finding positions… after the quotes are grouped")
            return
        self.quotes_pane.show_unavailable(f"Finding quotes… {event.done:,} of {event.total:,} articles {bar}")
        self.positions_pane.show_unavailable(f"Finding positions… {round(share * 100)} % {bar}")

    @on(messages.AnalysisReady)
    def _analysed(self, event: messages.AnalysisReady) -> None:
        b = self.briefing
        analysis = event.analysis
        shown = list(analysis.notes)
        for note in shown:  # e.g. a stored analysis that was old or damaged
            self.app.notify(note, markup=False, title="Note", severity="information", timeout=8)
        follow = getattr(b, "follow_notes", None)  # notes that come later: its store could not be written
        if follow is not None:
            follow(analysis, len(shown), lambda note: self.post_message(messages.AnalysisNote(note)))
        qa: Any = analysis.quotes  # briefing.index.quotes.analysis.QuoteAnalysis (typed `object` there)
        self.analysis = qa
        articles = {a.id: a for a in b.articles}
        by_source: dict[str, list[Any]] = {}
        for q in qa.quotes:
            by_source.setdefault(q.source, []).append(q)
        self.quotes_by_source = by_source
        self.sources.set_quote_counts({k: len(v) for k, v in by_source.items()})
        self.article_view.set_quotes(by_source.get(self._current_id() or "", []))
        # the analysis' manifest: briefing.toml with the sides inferred where it names none
        self.analysis_manifest = getattr(analysis, "manifest", None) or b.manifest
        self.evidence_of = getattr(analysis, "evidence", None)
        sides = self.analysis_manifest.sides or b.manifest.sides
        self.article_view.set_sides(sides)  # inferred sides are labelled in the article too
        self.article_view.set_quotes(by_source.get(self._current_id() or "", []))
        self.quotes_pane.set_analysis(qa, articles, sides)
        self.quotes_pane.current_source = self._current_id()
        self.positions_pane.set_positions(analysis.positions, articles, sides, getattr(analysis, "evidence", None))
        self.query_one(TitleBar).detail = self._detail()
        self._refresh_quote_info()
        self.ready = True

    @on(messages.ComparisonReady)
    def _compared(self, event: messages.ComparisonReady) -> None:
        self.comparison = event.comparison
        self._mark_discrepancies()
        for screen in self._open_screens("compare"):
            screen.show(self.comparison)

    @on(messages.ComparisonFailed)
    def _compare_failed(self, event: messages.ComparisonFailed) -> None:
        self._comparison_note = f"The outlets could not be compared: {event.error}"
        for screen in self._open_screens("compare"):
            screen.show(None, self._comparison_note)

    def _open_screens(self, kind: str) -> list[Any]:
        """The Compare ("compare") or Bookmarks ("bookmarks") screens on the stack. A screen whose
        module was never imported cannot be open: asking imports nothing."""
        module = sys.modules.get(f"briefing.tui.screens.{kind}")
        if module is None:
            return []
        screen_type = getattr(module, LAZY_SCREENS[kind])
        return [screen for screen in self.app.screen_stack if isinstance(screen, screen_type)]

    def _mark_discrepancies(self) -> None:
        source = self._current_id()
        if self.comparison is not None and source is not None:
            self.article_view.set_discrepancies(self.comparison.discrepancies_in(source))

    def action_compare(self, item_id: str | None = None) -> None:
        """c: the Compare view (at one item, from the palette)."""
        if item_id is None and self.active == "article" and self._discrepancies_here():
            item_id = self._discrepancies_here()[0].id  # c on a ≠ passage: its discrepancy
        for screen in self._open_screens("compare"):
            if item_id is not None:
                screen.select(item_id)
            return
        from briefing.tui.screens.compare import CompareScreen

        self.app.push_screen(CompareScreen(self, self.comparison, "" if self.comparison is not None else self._comparison_note, item_id))

    @on(messages.AnalysisNote)
    def _analysis_note(self, event: messages.AnalysisNote) -> None:
        self.app.notify(event.note, markup=False, title="Note", severity="warning", timeout=8)

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
        if paragraph is None and self.reading is not None:
            paragraph = self.reading.position(article_id)  # where it was left
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
        if self.active == "article":
            self._record_position()
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

    # ---- reading position, read state, sort -----------------------------------------------
    @on(messages.ReadingLoaded)
    def _reading_loaded(self, event: messages.ReadingLoaded) -> None:
        self.reading = event.state
        panel = self.search_panel
        panel.history = [q for q in event.state.searches if q not in panel.history] + panel.history
        if event.warning:
            self.app.notify(event.warning, markup=False, title="Reading positions", severity="warning", timeout=10)

    def read_state(self, article_id: str) -> tuple[str, str]:
        """("new" | "started" | "read", "¶ 5/14" or "") for the sources list."""
        if self.reading is None:
            return "", ""
        state = self.reading.state(article_id)
        p = self.reading.progress(article_id)
        return state, (f"¶ {p.paragraph}/{p.count}" if state == "started" and p is not None else "")

    def _restorable(self) -> tuple[str, int] | None:
        """(article id, paragraph) the reader was at when it closed, if that article is here."""
        r = self.reading
        if r is None or r.last is None or self.briefing is None:
            return None
        try:
            self.briefing.article(r.last)
        except KeyError:
            return None
        return r.last, r.position(r.last) or 1

    def _restore(self, article_id: str, paragraph: int) -> None:
        index = self.sources.index_of(article_id)
        if index is None:
            return
        self.sources.move_cursor(index, announce=False)
        self._show_source(article_id, paragraph=paragraph)
        if self.reading.pane == "article":
            self.active = "article"
        article = self.briefing.article(article_id)
        self.app.notify(f"Back where you were: ¶ {paragraph} of {article.outlet or article.id}.", markup=False, timeout=4)

    def _record_position(self) -> None:
        """The article is being read: remember the passage under the cursor (and read it at the end)."""
        view = self.article_view
        if self.reading is None or view.article is None or not view.count:
            return
        article_id = view.article.id
        before = self.read_state(article_id)
        self.reading.record(article_id, view.cursor + 1, view.count)
        if self.read_state(article_id) != before:
            self.sources.refresh_source(article_id)
        self.save_reading()

    def save_reading(self, now: bool = False) -> None:
        """Write the reading state soon (a second after the last move), or now (on the way out)."""
        r = self.reading
        if r is None:
            return
        if now:
            if self._reading_timer is not None:
                self._reading_timer.stop()
            r.set_pane(self.active if not self.search_open else "sources")
            if r.dirty:
                r.dirty = False
                try:
                    r.save()
                except OSError:
                    pass  # on the way out: nothing to tell it to
            return
        if not r.dirty:
            return
        if self._reading_timer is None:
            self._reading_timer = self.set_timer(1.0, self._write_reading)
        else:
            self._reading_timer.reset()

    def _write_reading(self) -> None:
        r = self.reading
        if r is not None and r.dirty:
            r.dirty = False
            self.app.save_reading(r, r.to_bytes())

    def action_toggle_read(self) -> None:
        view = self.article_view
        if self.reading is None or view.article is None:
            return
        article_id = view.article.id
        read = self.reading.state(article_id) != "read"
        self.reading.set_read(article_id, read, view.count)
        self.sources.refresh_source(article_id)
        self.save_reading()
        what = view.article.outlet or article_id
        self.app.notify(f"{what}: marked {'read' if read else 'unread'} (m again undoes).", markup=False, timeout=3)

    @on(SourceList.Sorted)
    def _sorted(self, event: SourceList.Sorted) -> None:
        from briefing.tui.widgets.sources import SORTS

        self.app.save_settings({"sort": event.order})
        self.app.notify(f"Sources by {SORTS[event.order]} (s for another order).", markup=False, timeout=3)

    # ---- focus mode -------------------------------------------------------------------------
    def action_focus_mode(self) -> None:
        self.set_focus_mode(not self.has_class("-focus"))

    def set_focus_mode(self, on: bool) -> None:
        """The article alone on the whole screen (on), or the panes as before (off)."""
        if on == self.has_class("-focus"):
            return
        self.set_class(on, "-focus")
        if on and self.active != "article":
            self.active = "article"
        self.call_after_refresh(self.article_view.scroll_to_cursor, True)
        self._refresh_status()

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
            self.app.notify(f"Source {target.source} is not in this briefing.", markup=False, severity="error")
            return
        self.history.append(self._place())
        del self.history[:-50]
        index = self.sources.index_of(article.id)
        if index is not None:
            self.sources.move_cursor(index, announce=False)
        if article.id != self._current_id():
            self._show_source(article.id, paragraph=target.paragraph)
        self.article_view.show_passage(target.paragraph, target.spans)
        self.active = "article"

    # Search results, quotes, statements, the Compare view's versions: each posts its own subclass.
    @on(messages.PassageRequested)
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
        self.search_panel.remember(self.search_query)  # `/` then Up brings it back
        if self.reading is not None:
            self.reading.set_searches(self.search_panel.history)  # and after a restart
            self.save_reading()
        self.search_query = ""
        self._every = None
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
        self._every = None
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
            self._every = event.every
        if event.source is not None and event.source == self._current_id():
            self.article_view.set_matches(event.source_hits)
        self._refresh_status()

    @on(SearchResults.Previewed)
    def _preview(self, event: SearchResults.Previewed) -> None:
        if not self.has_class("-wide") or self.briefing is None:
            return  # the article is not on screen: jump only on Enter
        t = event.target
        index = self.sources.index_of(t.source)
        if index is not None:
            self.sources.move_cursor(index, announce=False)
        if t.source != self._current_id():
            self._show_source(t.source, paragraph=t.paragraph)
        self.article_view.show_passage(t.paragraph, t.spans)

    def _walk(self) -> list[Any]:
        """Every hit of the search, one per passage, in the order n walks them."""
        seen: set[tuple[str, int]] = set()
        hits = []
        for hit in self._every or []:
            if (hit.source, hit.paragraph) not in seen and self.sources.index_of(hit.source) is not None:
                seen.add((hit.source, hit.paragraph))
                hits.append(hit)
        if self.match_order == "reading":
            hits.sort(key=lambda h: (self.sources.index_of(h.source), h.paragraph))
        return hits

    def _walk_position(self, hits: list[Any]) -> int | None:
        """The index in `hits` of the passage under the cursor, or None."""
        here = (self._current_id(), self.article_view.cursor + 1)
        for i, hit in enumerate(hits):
            if (hit.source, hit.paragraph) == here:
                return i
        return None

    def action_match(self, direction: int) -> None:
        """n/N: the next (previous) hit of the briefing, crossing into the next source; only
        when every hit is not known (a huge result), the next in this source."""
        hits = self._walk()
        if hits:
            self._match_across(hits, direction)
            return
        view = self.article_view
        wrapped = view.next_match(direction)
        if wrapped is None:
            self.app.notify(f"No match for “{self.search_query}” in this source.", markup=False, timeout=3)
            return
        if self.active != "article":
            self.active = "article"
        if wrapped:
            where = "top" if direction > 0 else "bottom"
            self.app.notify(f"Search wrapped to the {where} of the article.", markup=False, timeout=2)
        self._refresh_status()

    def _match_across(self, hits: list[Any], direction: int) -> None:
        i = self._walk_position(hits)
        if i is None and self.match_order == "reading":
            here = (self.sources.index_of(self._current_id() or "") or 0, self.article_view.cursor + 1)
            keys = [(self.sources.index_of(h.source), h.paragraph) for h in hits]
            after = [j for j, k in enumerate(keys) if k > here]
            before = [j for j, k in enumerate(keys) if k < here]
            j = (after[0] if after else len(hits)) if direction > 0 else (before[-1] if before else -1)
        elif i is None:
            j = 0 if direction > 0 else len(hits) - 1
        else:
            j = i + direction
        wrapped = not 0 <= j < len(hits)
        hit = hits[j % len(hits)]
        crossed = hit.source != self._current_id()
        if crossed:
            index = self.sources.index_of(hit.source)
            if index is not None:
                self.sources.move_cursor(index, announce=False)
            self._show_source(hit.source, paragraph=hit.paragraph)
            self.article_view.set_matches([h for h in self._every or [] if h.source == hit.source])
        view = self.article_view
        view.cursor = view._clamp(hit.paragraph - 1)
        view.scroll_to_cursor(center=True)
        if self.active != "article":
            self.active = "article"
        if wrapped:
            end = "first" if direction > 0 else "last"
            self.app.notify(f"Search wrapped to the {end} match of the briefing.", markup=False, timeout=2)
        elif crossed:
            article = self.briefing.article(hit.source)
            self.app.notify(f"Next source with a match: {article.outlet or article.id}.", markup=False, timeout=2)
        self._refresh_status()

    def action_match_order(self) -> None:
        self.match_order = "ranking" if self.match_order == "reading" else "reading"
        how = "best match first, as the results list" if self.match_order == "ranking" else "source by source, top to bottom"
        self.app.notify(f"n/N go in {self.match_order} order: {how}.", markup=False, timeout=3)
        self._refresh_status()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("match", "match_order"):
            return bool(self.search_query)
        if action in ("pane", "search") and isinstance(self.focused, Input):
            return False  # typed into the field
        return True

    def help_sections(self) -> list[tuple[str, list[Any]]]:
        """Which bindings the help screen lists, by section (it reads them live)."""
        from briefing.tui.screens.bookmarks import BookmarksScreen

        return [
            ("Everywhere", [self.app, self]),
            ("Sources, search results and other lists", [self.sources]),
            ("Article", [self.article_view]),
            ("Search", [self.search_panel]),
            ("Quotes", [self.quotes_pane, self.quotes_pane.variants]),
            ("Positions", [self.positions_pane.grid, self.positions_pane, self.positions_pane.statements]),
            ("Bookmarks (B)", [BookmarksScreen()]),  # not shown: read for its bindings only
        ]

    def binding_classes(self) -> list[type]:
        """Every class whose bindings the reader uses (for the keymap file's ids)."""
        from briefing.tui.screens.bookmarks import BookmarksScreen
        from briefing.tui.screens.filters import FilterPicker
        from briefing.tui.widgets.bookmarks import BookmarkList
        from briefing.tui.widgets.positions import PositionsGrid, StatementList
        from briefing.tui.widgets.quotes import QuoteList, VariantList

        return [
            type(self), SourceList, ArticleView, SearchPanel, SearchResults, QuotesPane, QuoteList, VariantList,
            PositionsPane, PositionsGrid, StatementList, BookmarksScreen, BookmarkList, FilterPicker,
        ]

    # ---- commands (palette) ----------------------------------------------------------------
    def show_evidence(self, speaker: str) -> None:
        """A notice with the words that put `speaker` on their side (all text as plain Content)."""
        evidence = list(self.evidence_of(speaker)) if self.evidence_of is not None else []
        manifest = self.analysis_manifest
        sp = next((s for s in (self.analysis.speakers if self.analysis is not None else []) if s.name == speaker), None)
        side = manifest.side_label(sp.side) if sp is not None and sp.side and manifest is not None else None
        lines = [f"{speaker}: {side or 'no side'}"]
        lines += [f"“{e.words}” → {e.cue} ({e.how}{', ' + e.source if e.source else ''})" for e in evidence[:5]]
        if not evidence:
            lines.append("No words in the text place this speaker.")
        self.app.notify("\n".join(lines), markup=False, title="Evidence", timeout=12)

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
            self.app.notify(event.warning, markup=False, title="Bookmarks", severity="warning", timeout=15)
        self._bookmarks_changed()

    def _shelf(self) -> Any:
        """The shelf, or None after saying why there is none."""
        if self.bookmarks is None:
            self.app.notify(self._bookmarks_note, markup=False, severity="warning", timeout=4)
        return self.bookmarks

    def _bookmarks_changed(self) -> None:
        """The shelf changed: the gutter marks, the Bookmarks view, the palette follow."""
        shelf = self.bookmarks
        source = self._current_id()
        if shelf is not None and source is not None:
            self.article_view.set_bookmarked(shelf.paragraphs(source))
        for screen in self._open_screens("bookmarks"):
            if screen.is_mounted:
                screen.reload()

    def _saved_note(self) -> str:
        shelf = self.bookmarks
        return "" if shelf is None or shelf.can_save else " Not saved to disk: changes last for this session only."

    def _describe(self, item: Any) -> str:
        from briefing.tui.bookmarks import where

        return f"{where(item)} of {self.bookmarks.outlet(item)}"

    @on(messages.BookmarkRequested)
    def _bookmark_requested(self, event: messages.BookmarkRequested) -> None:
        event.stop()
        self._add_bookmark(event.target, event.kind)

    def _add_bookmark(self, t: Passage, kind: str, then_annotate: bool = False) -> None:
        """Bookmark a passage (a worker writes it); `then_annotate`: open its note once saved."""
        shelf = self._shelf()
        if shelf is None or self.briefing is None:
            return
        try:
            article = self.briefing.article(t.source)
        except KeyError:
            self.app.notify(f"Source {t.source} is not in this briefing.", markup=False, severity="error")
            return
        if not 1 <= t.paragraph <= len(article.paragraphs):
            return
        span: tuple[int, int] | None = (t.spans[0][0], t.spans[0][1]) if t.spans else None
        existing = shelf.same(t.source, t.paragraph, span, len(article.paragraphs[t.paragraph - 1].text))
        if existing is not None:
            shelf.last_id = existing.id
            if then_annotate:
                self.annotate(existing)
            else:
                self.app.notify(f"Already bookmarked: {self._describe(existing)}. a adds a note.", markup=False, timeout=4)
            return
        self._annotate_next = (t.source, t.paragraph, span) if then_annotate else None
        self.app.add_bookmark(shelf.store, article, t.paragraph, span, kind)

    @on(messages.BookmarkSaved)
    def _bookmark_saved(self, event: messages.BookmarkSaved) -> None:
        shelf = self.bookmarks
        if shelf is None:
            return
        if event.action == "annotated":
            item = shelf.annotated(event.item)
            if item is not None:
                self.app.notify(f"Note saved for the bookmark on {self._describe(item)}.{self._saved_note()}", markup=False, timeout=4)
        else:
            item = cast("AnchoredBookmark", event.item)  # added or restored: placed in an article
            shelf.put(item)
            if event.action == "added":
                shelf.last_id = item.id
                what = {"selection": "the selection", "quote": "the quote"}.get(item.bookmark.kind, "")
                place = f"{what} in {self._describe(item)}" if what else self._describe(item)
                wanted = self._annotate_next
                span = None if item.bookmark.kind == "paragraph" else (item.start, item.end)
                if wanted is not None and wanted == (item.source, item.paragraph, span):
                    # `a` on a passage with no bookmark: bookmarked, and its note open, in one step
                    self._annotate_next = None
                    self.app.notify(f"Bookmarked {place}.{self._saved_note()}", markup=False, timeout=3)
                    self._bookmarks_changed()
                    self.annotate(item)
                    return
                self.app.notify(f"Bookmarked {place}: a adds a note, B lists bookmarks.{self._saved_note()}", markup=False, timeout=5)
            else:
                self.app.notify(f"Restored the bookmark on {self._describe(item)}.{self._saved_note()}", markup=False, timeout=4)
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
        self.app.notify(event.error, markup=False, title="Bookmarks", severity="error", timeout=8)

    @on(messages.AnnotateRequested)
    def _annotate_requested(self, event: messages.AnnotateRequested) -> None:
        event.stop()
        shelf = self._shelf()
        if shelf is None:
            return
        item = shelf.get(event.bookmark_id) if event.bookmark_id else None
        t = event.target
        if item is None and t is not None:
            span: tuple[int, int] | None = (t.spans[0][0], t.spans[0][1]) if t.spans else None
            item = shelf.at(t.source, t.paragraph, span) if span else None
            item = item or shelf.at(t.source, t.paragraph)
            if item is None:
                # No bookmark here yet: make it and open its note, in one step.
                kind = "quote" if isinstance(event, QuotesPane.AnnotateRequested) else ("selection" if t.spans else "paragraph")
                self._add_bookmark(t, kind, then_annotate=True)
                return
        if item is None:
            item = shelf.get(shelf.last_id)  # no passage named: the one just made
        if item is None:
            self.app.notify("No bookmark here: b bookmarks the passage, a bookmarks it with a note.", markup=False, timeout=4)
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
        from briefing.tui.bookmarks import balanced, citation, quoted

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
        span: tuple[int, int] | None = (t.spans[0][0], t.spans[0][1]) if t.spans else None
        if span is not None:
            text = balanced(text, span[0], span[1])  # a cut quotation gets its marks back
        speaker = self._speaker_of(t.source, t.paragraph, span or (0, len(text)), whole=span is None)
        cite = citation(article.outlet, article.title, article.date, t.paragraph, article.id, byline=article.byline, speaker=speaker)
        self._copy(quoted(text, cite), f"¶{t.paragraph} of {article.outlet or article.id}")

    def _speaker_of(self, source: str, paragraph: int, span: tuple[int, int], whole: bool = False) -> str | None:
        """The one speaker quoted in a span (a quote, or a selection in or around one), or None.
        For a whole paragraph only when the paragraph is that one speaker's quote and attribution."""
        start, end = span
        quotes = [q for q in self.quotes_by_source.get(source, []) if q.paragraph == paragraph and q.start < end and start < q.end]
        names = {q.speaker for q in quotes}
        if len(names) != 1 or None in names:
            return None
        name = names.pop()
        if whole and len(quotes) < len([q for q in self.quotes_by_source.get(source, []) if q.paragraph == paragraph]):
            return None
        role = next((q.role for q in quotes if q.role), None)
        return f"{name} ({role})" if role else name

    def _copy(self, text: str, what: str) -> None:
        self.app.copy_to_clipboard(text)
        self.app.notify(f"Copied {what} with its citation.", markup=False, timeout=3)

    def copy_bookmark(self, bookmark_id: str) -> None:
        from briefing.tui.bookmarks import balanced, quoted

        shelf = self.bookmarks
        item = shelf.get(bookmark_id) if shelf is not None else None
        if item is not None:
            speaker = None
            if item.paragraph is not None and item.bookmark.kind != "paragraph" and item.start is not None:
                speaker = self._speaker_of(item.source, item.paragraph, (item.start, item.end))
            text = item.bookmark.text
            article = self.briefing.article(item.source) if self.briefing is not None and not item.orphaned else None
            if article is not None and item.start is not None and 1 <= item.paragraph <= len(article.paragraphs):
                paragraph = article.paragraphs[item.paragraph - 1].text
                if paragraph[item.start:item.end] == text:
                    text = balanced(paragraph, item.start, item.end)
            self._copy(quoted(text, shelf.citation(item, speaker=speaker)), self._describe(item))

    def action_bookmarks(self) -> None:
        """B: the Bookmarks view."""
        if not self._open_screens("bookmarks"):
            from briefing.tui.screens.bookmarks import BookmarksScreen

            self.app.push_screen(BookmarksScreen(self))

    def open_bookmark(self, bookmark_id: str) -> None:
        """Go to a bookmark's passage (from the Bookmarks view or the palette)."""
        shelf = self._shelf()
        item = shelf.get(bookmark_id) if shelf is not None else None
        if item is None:
            return
        if item.orphaned:
            self.app.notify(
                f"This passage is no longer in {shelf.outlet(item)} (orphaned): it cannot be opened. Its saved text is shown in the list.",
                markup=False,
                title="Cannot open",
                severity="warning",
                timeout=6,
            )
            return
        shelf.last_id = item.id
        from briefing.tui.screens.bookmarks import BookmarksScreen

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
        self.app.notify(f"Deleted the bookmark on {self._describe(item)} — u to undo.{self._saved_note()}", markup=False, timeout=6)

    def undo_delete(self) -> None:
        shelf = self._shelf()
        if shelf is None:
            return
        if not shelf.deleted:
            self.app.notify("Nothing to undo.", markup=False, timeout=2)
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
        elif self.search_open and self.active == "article" and self.search_query:
            hits = self._walk()
            at = self._walk_position(hits) if hits else None
            place = f"match {at + 1} of {len(hits)} in the briefing ({self.match_order} order) · " if at is not None else ""
            status.note = f"{place}1: back to the results · Esc clears the search"
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
