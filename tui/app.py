"""`briefing` with no command: the reader.

Startup is a feature: the shell paints at once, and the briefing is opened in a worker thread (the
engine, its SQLite cache and Whoosh are imported there, not here). Workers talk to the reader
only by posting messages; searches run in an exclusive worker so typing never waits for Whoosh.

Bookmarks: the store is opened by the same worker, right after the briefing (before the slow
quote analysis), and every change is written by a worker too (SQLite with synchronous=FULL waits
for the disk). Those workers are not exclusive: every write must land and report.
"""

from __future__ import annotations

from typing import Any, Callable, ClassVar, Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.worker import get_current_worker

from briefing.tui import messages

from briefing.tui import settings
from briefing.tui.commands import BriefingCommands
from briefing.tui.screens.reader import ReaderScreen

RESULTS_LIMIT = 50


def describe(exc: BaseException) -> str:
    """An exception as one line for a person."""
    text = str(exc).strip()
    return text if text else type(exc).__name__


class BriefingApp(App[None]):
    """Sources, article, quotes and positions of one briefing."""

    CSS_PATH = "app.tcss"
    TITLE = "briefing"
    COMMANDS = App.COMMANDS | {BriefingCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit the reader"),
        Binding("question_mark", "help", "Help", key_display="?", id="app.help", tooltip="Every key, from the live bindings"),
        Binding("f1", "help", "Help", show=False, id="app.help-f1", tooltip="Every key, from the live bindings"),
    ]

    def __init__(self, corpus: str | None = None, *, briefing_factory: Callable[[str | None], Any] | None = None):
        """`briefing_factory(corpus)` returns an unopened Briefing-like object (tests use it)."""
        super().__init__()
        self.corpus = corpus
        self._factory = briefing_factory
        self.briefing: Any = None
        self.reader = ReaderScreen()
        self._saved_theme: str | None = None

    def get_default_screen(self) -> Screen:
        return self.reader

    def on_mount(self) -> None:
        self._restore_theme()
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        # After the first frame: the worker's imports (engine, SQLite, Whoosh) hold the GIL for a
        # while, and the shell should be on screen before they start.
        self.call_after_refresh(self.open_briefing)

    def on_unmount(self) -> None:
        shelf = self.reader.bookmarks
        writing = any(w.group == "bookmarks" and not w.is_finished for w in self.workers)
        if shelf is not None and not writing:
            # With a write still to run (b then q at once), the store stays open: its thread
            # finishes before the process exits, and the process closes the file.
            try:
                shelf.store.close()
            except Exception:  # noqa: BLE001 - closing on the way out must not mask the exit
                pass
        if self.briefing is not None:
            try:
                self.briefing.close()
            except Exception:  # noqa: BLE001 - closing on the way out must not mask the exit
                pass

    # ---- opening ---------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def open_briefing(self) -> None:
        """Open (parse what changed, update the index), then find quotes and positions, then compare
        the outlets."""
        try:
            if self._factory is not None:
                briefing = self._factory(self.corpus)
            else:
                from briefing.index.engine import Briefing  # deferred: parsing, SQLite and Whoosh load here

                briefing = Briefing(self.corpus)
            report = briefing.open()
        except Exception as exc:  # noqa: BLE001 - shown in the app; it keeps running
            self.reader.post_message(messages.BriefingFailed(describe(exc)))
            return
        self.briefing = briefing
        self.reader.post_message(messages.BriefingOpened(briefing, report))
        self.reader.post_message(self._load_bookmarks(briefing))
        try:
            analysis = briefing.analysis()
        except Exception as exc:  # noqa: BLE001 - the text and search work without quotes
            self.reader.post_message(messages.AnalysisFailed(describe(exc)))
            return
        self.reader.post_message(messages.AnalysisReady(analysis))
        try:
            comparison = briefing.compare()
        except Exception as exc:  # noqa: BLE001 - the reader works without the comparison
            self.reader.post_message(messages.ComparisonFailed(describe(exc)))
            return
        self.reader.post_message(messages.ComparisonReady(comparison))

    def _load_bookmarks(self, briefing: Any) -> messages.BookmarksLoaded:
        """Open the briefing's bookmark store and anchor its bookmarks in the articles (in the
        open worker). A damaged or read-only store comes back with a warning, never an error."""
        try:
            from briefing.index.bookmarks.store import BookmarkStore  # deferred: the shell paints first
            from briefing.index.locations import bookmarks_path

            from briefing.tui.bookmarks import Shelf

            root = getattr(briefing, "root", None)
            if root is None:  # a stand-in engine (tests): bookmarks for this session only
                store, warning = BookmarkStore.in_memory(), None
            else:
                store, warning = BookmarkStore.open(bookmarks_path(root))
            articles = {a.id: a for a in briefing.articles}
            shelf = Shelf(store, store.resolve(articles), articles)
        except Exception as exc:  # noqa: BLE001 - the reader works without bookmarks
            return messages.BookmarksLoaded(None, f"Bookmarks are not available: {describe(exc)}")
        return messages.BookmarksLoaded(shelf, str(warning) if warning is not None else None)

    # ---- bookmark writes (workers: the store waits for the disk) ----------------------------
    @work(thread=True, group="bookmarks", exit_on_error=False)
    def add_bookmark(self, store: Any, article: Any, paragraph: int, span: tuple[int, int] | None, kind: str) -> None:
        start, end = span if span is not None else (None, None)
        try:
            from briefing.index.bookmarks.store import ANCHORED, AnchoredBookmark

            bookmark = store.add(article.id, paragraph, article, start=start, end=end, kind=kind)
        except Exception as exc:  # noqa: BLE001 - shown, never raised
            self.reader.post_message(messages.BookmarkFailed(f"Not bookmarked: {describe(exc)}"))
            return
        item = AnchoredBookmark(bookmark, ANCHORED, bookmark.paragraph, bookmark.start, bookmark.end, 1.0)
        self.reader.post_message(messages.BookmarkSaved(item, "added"))

    @work(thread=True, group="bookmarks", exit_on_error=False)
    def annotate_bookmark(self, store: Any, bookmark_id: str, note: str, tags: tuple[str, ...]) -> None:
        try:
            bookmark = store.annotate(bookmark_id, note=note, tags=tags)
        except Exception as exc:  # noqa: BLE001
            self.reader.post_message(messages.BookmarkFailed(f"Note not saved: {describe(exc)}"))
            return
        self.reader.post_message(messages.BookmarkSaved(bookmark, "annotated"))

    @work(thread=True, group="bookmarks", exit_on_error=False)
    def remove_bookmark(self, store: Any, item: Any) -> None:
        """The shelf has dropped `item` already; put it back if the store could not."""
        try:
            store.remove(item.id)
        except Exception as exc:  # noqa: BLE001
            self.reader.post_message(messages.BookmarkFailed(f"Not deleted: {describe(exc)}", undo=("put", item)))

    @work(thread=True, group="bookmarks", exit_on_error=False)
    def restore_bookmark(self, store: Any, item: Any) -> None:
        """Undo a deletion: the shelf shows `item` again already; drop it if the store could not."""
        try:
            store.restore(item.bookmark)
        except Exception as exc:  # noqa: BLE001
            self.reader.post_message(messages.BookmarkFailed(f"Not restored: {describe(exc)}", undo=("drop", item)))
            return
        self.reader.post_message(messages.BookmarkSaved(item, "restored"))

    # ---- search ----------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, query: str, source: str | None) -> None:
        """Ranked passages of the whole briefing, and every match in the shown source."""
        worker = get_current_worker()
        try:
            result = self.briefing.search(query, limit=RESULTS_LIMIT)
        except Exception as exc:  # noqa: BLE001 - a failed search is shown, never raised
            result = _failed_result(query, exc)
        if worker.is_cancelled:
            return
        hits = self._source_hits(query, source) if source and not result.error else []
        if not worker.is_cancelled:
            self.reader.post_message(messages.SearchFinished(query, result, source, hits))

    @work(thread=True, exclusive=True, group="search-source", exit_on_error=False)
    def search_source(self, query: str, source: str) -> None:
        """Every match of the query in one source (after moving to another source)."""
        hits = self._source_hits(query, source)
        if not get_current_worker().is_cancelled:
            self.reader.post_message(messages.SearchFinished(query, None, source, hits))

    def _source_hits(self, query: str, source: str) -> list[Any]:
        try:
            limit = max(1, len(self.briefing.article(source).paragraphs))
            result = self.briefing.search(query, limit=limit, source=source)
        except Exception:  # noqa: BLE001
            return []
        return [] if result.error else list(result.hits)

    def cancel_search(self) -> None:
        self.workers.cancel_group(self, "search")
        self.workers.cancel_group(self, "search-source")

    # ---- theme and settings ----------------------------------------------------------------
    def _restore_theme(self) -> None:
        name = settings.load().get("theme")
        if isinstance(name, str) and name in self.available_themes:
            self.theme = name
        self._saved_theme = self.theme

    def _theme_changed(self, theme: Any) -> None:
        if theme.name != self._saved_theme:
            self._saved_theme = theme.name
            self.save_settings({"theme": theme.name})

    @work(thread=True, group="settings", exit_on_error=False)
    def save_settings(self, updates: dict[str, Any]) -> None:
        try:
            settings.save(updates)
        except OSError as exc:
            self.call_from_thread(
                self.notify, Content(f"Settings not saved: {exc.strerror or exc}"), title="Settings", severity="warning"
            )

    # ---- help and palette ------------------------------------------------------------------
    def action_help(self) -> None:
        from briefing.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.reader.help_sections()))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Theme", "Change the colours (remembered for next time)", self.action_change_theme)
        yield SystemCommand("Keys", "Every key, from the live bindings", self.action_help)
        yield SystemCommand("Screenshot", "Save an SVG screenshot of the screen", lambda: self.set_timer(0.1, self.deliver_screenshot))
        yield SystemCommand("Quit", "Quit the reader", self.action_quit)


def _failed_result(query: str, exc: BaseException):
    from briefing.index.model import SearchResult

    return SearchResult(query, [], 0, error=f"the search failed ({describe(exc)})")
