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

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from briefing.tui import messages

from briefing.tui import settings
from briefing.tui.screens.reader import ReaderScreen

RESULTS_LIMIT = 50
EVERY_LIMIT = 5000  # n/N cross articles through at most this many hits (more: within the article)
BOOKMARK_WAIT_S = 30.0  # quitting waits this long at most for bookmark writes already asked for


class _Writes:
    """Bookmark writes in flight (worker threads): the process never ends in the middle of one."""

    def __init__(self) -> None:
        import threading

        self._count = 0
        self._idle = threading.Condition()

    def __enter__(self) -> None:
        with self._idle:
            self._count += 1

    def __exit__(self, *exc: object) -> None:
        with self._idle:
            self._count -= 1
            self._idle.notify_all()

    def wait(self, timeout: float) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self._count == 0, timeout)


def run_reader(app: "BriefingApp", **run_kwargs: Any) -> int:
    """Run the reader; when it quits, leave at once.

    The analysis or a search may still be running in a worker thread, and the interpreter would
    wait for it at exit (a minute of blank terminal at 10,000 articles, and a traceback if Ctrl-C
    is pressed meanwhile). Bookmark writes already asked for are finished first, and an analysis
    being stored (seconds at most; Ctrl-C gives it up, keeping the old store); nothing else is
    worth keeping: the index and the article cache commit atomically.
    """
    import asyncio
    import os
    import sys
    import threading

    # Our own loop: asyncio.run() would join the default executor's threads (the workers) on
    # the way out, which is the wait this avoids.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    app.run(loop=loop, **run_kwargs)
    code = app.return_code or 0
    app.writes.wait(BOOKMARK_WAIT_S)
    engine = sys.modules.get("briefing.index.engine")  # not imported: nothing was analysed
    if engine is not None:
        engine.finish_stores(lambda: print("Saving the analysis…", file=sys.stderr, flush=True))
    busy = [t for t in threading.enumerate() if t is not threading.current_thread() and t.is_alive() and not t.daemon]
    if busy:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)
    loop.close()
    return code


class QuitRequested(Message):
    """q (or the palette's Quit): posted from the focused widget, so it reaches the app only after
    every message that widget posted before it (a BookmarkRequested from `b` typed just before)."""


def describe(exc: BaseException) -> str:
    """An exception as one line for a person."""
    text = str(exc).strip()
    return text if text else type(exc).__name__


_frozen = False


def _freeze_startup_objects() -> None:
    """Leave the modules and classes loaded so far out of the collector's full passes.

    They live as long as the process, yet every full collection walks them all again, and the
    first one falls right in the building of the first frame (some 40,000 objects by then).
    Frozen once, at the first app: later garbage is collected as usual."""
    global _frozen
    if not _frozen:
        import gc

        gc.freeze()
        _frozen = True


def _briefing_commands() -> Any:
    """The palette's provider, loaded when the palette first opens (Textual takes a callable)."""
    from briefing.tui.commands import BriefingCommands

    return BriefingCommands


class BriefingApp(App[None]):
    """Sources, article, quotes and positions of one briefing."""

    CSS_PATH = "app.tcss"
    TITLE = "briefing"
    COMMANDS = App.COMMANDS | {_briefing_commands}

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
        self.settings: dict[str, Any] = {}  # the valid ones from the settings file
        self._config_loaded = False
        self.config_problems: list[str] = []  # what was wrong in the settings and keymap files
        self._quitting = False
        self.writes = _Writes()  # bookmark writes in flight (run_reader waits for them)
        import threading

        self._reload_lock = threading.Lock()
        _freeze_startup_objects()

    # ---- quitting: bookmarks already asked for are written; nothing else is waited for -------
    async def action_quit(self) -> None:
        if self._quitting:
            return
        self._quitting = True
        origin: Any = self.focused or self.screen
        origin.post_message(QuitRequested())

    @on(QuitRequested)
    async def _quit_requested(self, event: QuitRequested) -> None:
        event.stop()
        pending = [w for w in self.workers if w.group == "bookmarks" and not w.is_finished]
        if pending:
            import asyncio

            try:
                await asyncio.wait_for(self.workers.wait_for_complete(pending), BOOKMARK_WAIT_S)
            except (asyncio.TimeoutError, TimeoutError):
                pass  # the store's thread still finishes its write before the process exits
        self.exit()

    def get_default_screen(self) -> Screen:
        return self.reader

    def on_mount(self) -> None:
        self._load_config()
        self._report_config()
        self._restore_theme()
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        # After the first frame: the worker's imports (engine, SQLite, Whoosh) hold the GIL for a
        # while, and the shell should be on screen before they start.
        self.call_after_refresh(self.open_briefing)
        self.set_interval(self.INDEX_WATCH_S, self._watch_index)

    def on_unmount(self) -> None:
        self.reader.save_reading(now=True)
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
                self.briefing.close(wait=False)  # run_reader waits for the analysis' store, saying so
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
            report = briefing.open(**self._open_options(briefing))
        except Exception as exc:  # noqa: BLE001 - shown in the app; it keeps running
            self.reader.post_message(messages.BriefingFailed(describe(exc)))
            return
        self.briefing = briefing
        self.reader.post_message(self._load_reading(briefing))
        self.reader.post_message(messages.BriefingOpened(briefing, report))
        self.reader.post_message(self._load_bookmarks(briefing))
        try:
            analysis = briefing.analysis(**self._analysis_options(briefing))
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

    def _load_reading(self, briefing: Any) -> messages.ReadingLoaded:
        """Where the reader was in this briefing (in the open worker): positions and read marks."""
        from briefing.tui.state import ReadingState

        root = getattr(briefing, "root", None)
        if root is None:  # a stand-in engine (tests): positions for this session only
            return messages.ReadingLoaded(ReadingState(None))
        try:
            from briefing.index.locations import reading_path

            state, warning = ReadingState.load(reading_path(root))
        except Exception as exc:  # noqa: BLE001 - the reader works without remembered positions
            return messages.ReadingLoaded(ReadingState(None), f"Reading positions are not available: {describe(exc)}")
        return messages.ReadingLoaded(state, warning)

    @work(thread=True, exclusive=True, group="reading", exit_on_error=False)
    def save_reading(self, state: Any, data: bytes) -> None:
        """Write a snapshot of the reading positions (exclusive: a newer snapshot replaces an older
        one still waiting; each write is atomic)."""
        try:
            state.save(data)
        except OSError as exc:
            self.call_from_thread(
                self.notify, f"Reading positions not saved: {exc.strerror or exc}", title="Reading", severity="warning", markup=False
            )
    def _analysis_options(self, briefing: Any) -> dict[str, Any]:
        """`progress`, if the engine takes it: the panes count the articles read so far."""
        import inspect

        try:
            takes = "progress" in inspect.signature(briefing.analysis).parameters
        except (TypeError, ValueError):
            takes = False
        if not takes:
            return {}

        def progress(done: int, total: int) -> None:
            self.reader.post_message(messages.AnalysisProgress(done, total))  # thread-safe

        return {"progress": progress}

    def _open_options(self, briefing: Any) -> dict[str, Any]:
        """`notify`, if the engine takes it: another process writing the index is said at once
        (the open waits for it), not after a silent wait."""
        import inspect

        try:
            takes = "notify" in inspect.signature(briefing.open).parameters
        except (TypeError, ValueError):
            takes = False
        if not takes:
            return {}

        def waiting(message: str) -> None:
            self.call_from_thread(self.notify, Content(message), title="Waiting", timeout=30)

        return {"notify": waiting}

    def _load_bookmarks(self, briefing: Any) -> messages.BookmarksLoaded:
        """Open the briefing's bookmark store and anchor its bookmarks in the articles (in the
        open worker). A damaged or read-only store comes back with a warning, never an error."""
        try:
            from briefing.index.bookmarks.locate import open_store  # deferred: the shell paints first
            from briefing.index.bookmarks.store import BookmarkStore

            from briefing.tui.bookmarks import Shelf

            root = getattr(briefing, "root", None)
            articles = {a.id: a for a in briefing.articles}
            notes: list[str] = []
            if root is None:  # a stand-in engine (tests): bookmarks for this session only
                store = BookmarkStore.in_memory()
            else:  # found by the briefing's content: a moved or copied corpus keeps its bookmarks
                located = open_store(root, articles)
                store = located.store
                notes = ([located.warning] if located.warning else []) + located.messages
            shelf = Shelf(store, store.resolve(articles), articles)
        except Exception as exc:  # noqa: BLE001 - the reader works without bookmarks
            return messages.BookmarksLoaded(None, f"Bookmarks are not available: {describe(exc)}")
        return messages.BookmarksLoaded(shelf, " ".join(notes) if notes else None)

    # ---- bookmark writes (workers: the store waits for the disk) ----------------------------
    @work(thread=True, group="bookmarks", exit_on_error=False)
    def add_bookmark(self, store: Any, article: Any, paragraph: int, span: tuple[int, int] | None, kind: str) -> None:
        start, end = span if span is not None else (None, None)
        try:
            from briefing.index.bookmarks.store import ANCHORED, AnchoredBookmark

            with self.writes:
                bookmark = store.add(article.id, paragraph, article, start=start, end=end, kind=kind)
        except Exception as exc:  # noqa: BLE001 - shown, never raised
            self.reader.post_message(messages.BookmarkFailed(f"Not bookmarked: {describe(exc)}"))
            return
        item = AnchoredBookmark(bookmark, ANCHORED, bookmark.paragraph, bookmark.start, bookmark.end, 1.0)
        self.reader.post_message(messages.BookmarkSaved(item, "added"))

    @work(thread=True, group="bookmarks", exit_on_error=False)
    def annotate_bookmark(self, store: Any, bookmark_id: str, note: str, tags: tuple[str, ...]) -> None:
        try:
            with self.writes:
                bookmark = store.annotate(bookmark_id, note=note, tags=tags)
        except Exception as exc:  # noqa: BLE001
            self.reader.post_message(messages.BookmarkFailed(f"Note not saved: {describe(exc)}"))
            return
        self.reader.post_message(messages.BookmarkSaved(bookmark, "annotated"))

    @work(thread=True, group="bookmarks", exit_on_error=False)
    def remove_bookmark(self, store: Any, item: Any) -> None:
        """The shelf has dropped `item` already; put it back if the store could not."""
        try:
            with self.writes:
                store.remove(item.id)
        except Exception as exc:  # noqa: BLE001
            self.reader.post_message(messages.BookmarkFailed(f"Not deleted: {describe(exc)}", undo=("put", item)))

    @work(thread=True, group="bookmarks", exit_on_error=False)
    def restore_bookmark(self, store: Any, item: Any) -> None:
        """Undo a deletion: the shelf shows `item` again already; drop it if the store could not."""
        try:
            with self.writes:
                store.restore(item.bookmark)
        except Exception as exc:  # noqa: BLE001
            self.reader.post_message(messages.BookmarkFailed(f"Not restored: {describe(exc)}", undo=("drop", item)))
            return
        self.reader.post_message(messages.BookmarkSaved(item, "restored"))

    # ---- search ----------------------------------------------------------------------------
    # ---- another process re-indexed: reload, keeping the reader's place ----------------------
    INDEX_WATCH_S: ClassVar[float] = 2.0

    def _watch_index(self) -> None:
        """Every INDEX_WATCH_S: has another process committed to this briefing's index?"""
        if self.briefing is None or self._reload_lock.locked():
            return
        if self._index_moved():
            self.reload_index()

    def _index_moved(self) -> bool:
        moved = getattr(self.briefing, "index_moved", None)
        try:
            return bool(moved()) if moved is not None else False
        except Exception:  # noqa: BLE001 - a check that cannot be made is no reason to reload
            return False

    @work(thread=True, exclusive=True, group="reload", exit_on_error=False)
    def reload_index(self) -> None:
        self._reload_now()

    def _reload_now(self) -> None:
        """(In a worker thread.) Reopen the briefing, then tell the reader, the bookmarks and the
        analysis; a search about to run waits for this, so its hits match the text shown."""
        from briefing.tui.screens.reader import IndexReloaded

        with self._reload_lock:
            if not self._index_moved():
                return  # another worker reloaded it already
            try:
                report = self.briefing.reload()
            except Exception as exc:  # noqa: BLE001 - shown, the reader keeps the old view
                self.reader.post_message(messages.BriefingFailed(f"The index changed and could not be reloaded: {describe(exc)}"))
                return
            self.reader.post_message(IndexReloaded(report))
            shelf = self.reader.bookmarks
            if shelf is not None:
                try:
                    from briefing.tui.bookmarks import Shelf

                    articles = {a.id: a for a in self.briefing.articles}
                    self.reader.post_message(messages.BookmarksLoaded(Shelf(shelf.store, shelf.store.resolve(articles), articles), None))
                except Exception:  # noqa: BLE001 - the old shelf stays
                    pass
            self.call_from_thread(self.reanalyse)

    @work(thread=True, exclusive=True, group="analysis", exit_on_error=False)
    def reanalyse(self) -> None:
        try:
            analysis = self.briefing.analysis()
        except Exception as exc:  # noqa: BLE001
            self.reader.post_message(messages.AnalysisFailed(describe(exc)))
            return
        if not get_current_worker().is_cancelled:
            self.reader.post_message(messages.AnalysisReady(analysis))

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, query: str, source: str | None) -> None:
        """Ranked passages of the whole briefing, and every match in the shown source."""
        worker = get_current_worker()
        if self._index_moved():  # hits must be numbered as the text the reader shows
            self._reload_now()
        try:
            result = self.briefing.search(query, limit=RESULTS_LIMIT)
        except Exception as exc:  # noqa: BLE001 - a failed search is shown, never raised
            result = _failed_result(query, exc)
        if worker.is_cancelled:
            return
        every = list(result.hits) if not result.error and result.total <= len(result.hits) else None
        if every is None and not result.error and result.total <= EVERY_LIMIT:
            # n/N walk every hit of the briefing, not only the ranked ones listed
            try:
                more = self.briefing.search(query, limit=result.total)
                every = None if more.error else list(more.hits)
            except Exception:  # noqa: BLE001 - then n/N stay within the article
                every = None
            if worker.is_cancelled:
                return
        hits = self._source_hits(query, source) if source and not result.error else []
        if not worker.is_cancelled:
            self.reader.post_message(messages.SearchFinished(query, result, source, hits, every))

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

    # ---- theme, settings and keymap ---------------------------------------------------------
    def _load_config(self) -> None:
        """Settings and keymap from the user config dir; a bad file or entry is reported, never fatal."""
        if self._config_loaded:
            return
        self._config_loaded = True
        try:
            self.settings, problems = settings.read()
        except Exception as exc:  # noqa: BLE001 - defaults, and say so
            self.settings, problems = {}, [f"settings not read: {describe(exc)}"]
        try:
            from briefing.index.locations import keymap_path

            path = keymap_path()
            if path.exists():  # only then are the keymap module and tomllib imported
                from briefing.tui.keymap import read

                keys, more = read(path, known=set(self.binding_ids()))
                problems += more
                if keys:
                    self.set_keymap(keys)
        except Exception as exc:  # noqa: BLE001 - default keys, and say so
            problems.append(f"keymap not read: {describe(exc)}")
        self.config_problems = problems

    def _report_config(self) -> None:
        problems = self.config_problems
        if problems:
            lines = problems[:4] + ([f"… and {len(problems) - 4} more"] if len(problems) > 4 else [])
            self.notify("\n".join(lines), markup=False, title="Config", severity="warning", timeout=12)

    def binding_ids(self) -> dict[str, Any]:
        """Every binding of the reader by its id (what a keymap file can rebind)."""
        from briefing.tui.keymap import binding_ids
        from briefing.tui.screens.annotate import AnnotateScreen
        from briefing.tui.screens.help import HelpScreen

        return binding_ids([type(self), *self.reader.binding_classes(), HelpScreen, AnnotateScreen])

    def setting(self, key: str) -> Any:
        self._load_config()  # the reader may ask before the app's on_mount
        return settings.get(self.settings, key)

    def _restore_theme(self) -> None:
        name = self.settings.get("theme")
        if isinstance(name, str) and name in self.available_themes:
            self.theme = name
        self._saved_theme = self.theme

    def _theme_changed(self, theme: Any) -> None:
        if theme.name != self._saved_theme:
            self._saved_theme = theme.name
            self.save_settings({"theme": theme.name})

    @work(thread=True, group="settings", exit_on_error=False)
    def save_settings(self, updates: dict[str, Any]) -> None:
        self.settings.update(updates)
        try:
            settings.save(updates)
        except OSError as exc:
            self.call_from_thread(
                self.notify, f"Settings not saved: {exc.strerror or exc}", title="Settings", severity="warning", markup=False
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
