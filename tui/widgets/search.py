"""Search: a query field, a note (count, error, suggestion) and ranked passages across all sources.

The panel only asks: it posts `QueryChanged` as you type, and the app's search worker answers with
`show_result`. Nothing here waits for Whoosh.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from briefing.tui.messages import Passage, PassageRequested
from briefing.tui.widgets import focus_now
from briefing.tui.widgets.styles import MUTED
from briefing.tui.widgets.vlist import VirtualList

PLACEHOLDER = 'words, "a phrase", nego*, speaker:ryabkov, side:russia, outlet:reuters'


class SearchResults(VirtualList):
    """Ranked passages: outlet, paragraph, score; then the passage around its first match."""

    ROW_HEIGHT: ClassVar[int] = 3

    COMPONENT_CLASSES: ClassVar[set[str]] = VirtualList.COMPONENT_CLASSES | {"results--match"}

    DEFAULT_CSS = """
    SearchResults > .results--match { background: $warning 45%; text-style: bold; }
    """

    @dataclass(eq=False, repr=False)
    class Previewed(Message):
        """The cursor is on a hit: the article pane can show it."""

        results: "SearchResults"
        target: Passage

        @property
        def control(self) -> "SearchResults":
            return self.results

    class Chosen(PassageRequested):
        """Enter on a hit: go to the passage."""

    def __init__(self, **kwargs: Any):
        super().__init__(empty="Type to search every source.", **kwargs)
        self.hits: list[Any] = []

    def set_hits(self, hits: list[Any], empty: str) -> None:
        self.hits = list(hits)
        self.set_empty_text(empty)
        self.set_count(len(self.hits), cursor=0, announce=False)

    def target(self, index: int) -> Passage:
        hit = self.hits[index]
        return Passage(hit.source, hit.paragraph, tuple(tuple(s) for s in hit.highlights))

    def render_row(self, index: int) -> Content:
        hit = self.hits[index]
        width = max(20, self.scrollable_content_region.width)
        meta = MUTED
        mark = self.get_visual_style("results--match", partial=True)
        head = Content.assemble(
            (f"{index + 1:>2} ", meta),
            (hit.outlet or hit.source, "bold"),
            (f" ¶{hit.paragraph}", meta),
            (f" · {hit.title}" if hit.title else "", meta),
        )
        window, spans, start = hit.window(width * 2 - 6)
        body = Content(("…" if start else "") + window)
        shift = 1 if start else 0
        for s, e in spans:
            body = body.stylize(mark, s + shift, e + shift)
        lines = body.wrap(max(10, width - 3))[:2]
        return Content("\n").join([head, *[Content("   ") + line for line in lines]])

    def announce_highlight(self, index: int) -> None:
        if 0 <= index < len(self.hits):
            self.post_message(self.Previewed(self, self.target(index)))

    def announce_select(self, index: int) -> None:
        if 0 <= index < len(self.hits):
            self.post_message(self.Chosen(self.target(index)))


class SearchPanel(Vertical):
    """`/`: live search over the briefing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close search", id="search.close", tooltip="Clear the search and its highlights"),
        Binding("tab", "use_suggestion", "Use suggestion", show=False, id="search.suggestion", tooltip="Search for the suggested spelling"),
    ]

    DEFAULT_CSS = """
    SearchPanel { height: 1fr; }
    SearchPanel > Input { margin: 0 0 0 0; padding: 0 1; background: $boost; }
    SearchPanel > Input:focus { background: $primary 25%; }
    SearchPanel > #search-note { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    SearchPanel > #search-note.-error { color: $text-error; }
    SearchPanel > #search-note.-suggest { color: $text-warning; }
    """

    @dataclass(eq=False, repr=False)
    class QueryChanged(Message):
        """The query changed (every keystroke): search again."""

        panel: "SearchPanel"
        query: str

        @property
        def control(self) -> "SearchPanel":
            return self.panel

    @dataclass(eq=False, repr=False)
    class Closed(Message):
        """Esc: the search is over."""

        panel: "SearchPanel"

        @property
        def control(self) -> "SearchPanel":
            return self.panel

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.result: Any = None  # the answer to the query in the field, once it has come
        self.history: list[str] = []  # queries searched this session, oldest first
        self._recall: int | None = None  # index in history while Up/Down go through it

    def compose(self):
        yield Input(placeholder=PLACEHOLDER, id="search-input", select_on_focus=False, compact=True)
        yield Static(Content("Search passages in every source. Enter opens, Up: earlier searches, Esc closes."), id="search-note")
        yield SearchResults(id="search-results")

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    @property
    def results(self) -> SearchResults:
        return self.query_one(SearchResults)

    def open(self) -> None:
        focus_now(self.input)

    def set_query(self, query: str) -> None:
        """Put a query in the field (the change is announced like typing)."""
        self.input.value = query
        self.input.cursor_position = len(query)

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._recall is not None and (not 0 <= self._recall < len(self.history) or event.value != self.history[self._recall]):
            self._recall = None  # typed: no longer going through the history
        if not event.value.strip():
            self.result = None
            self.refresh_bindings()
            self.results.set_hits([], "Type to search every source.")
            self._note("Search passages in every source. Enter opens, Up: earlier searches, Esc closes.")
        self.post_message(self.QueryChanged(self, event.value))

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        results = self.results
        self.remember(self.input.value)
        if results.count:
            # Posted by the panel: a message posted by a child from the panel's handler would
            # stop bubbling at the panel (Textual stops at the sender).
            self.post_message(SearchResults.Chosen(results.target(results.cursor)))

    def remember(self, query: str) -> None:
        """Keep a query for Up in the field (the latest last, no repeats)."""
        query = query.strip()
        if query:
            if query in self.history:
                self.history.remove(query)
            self.history.append(query)
            del self.history[:-100]
        self._recall = None

    def on_key(self, event) -> None:
        if not self.input.has_focus:
            return
        if event.key == "up" and self.history:
            # Up: the previous query (as in a shell or vim's `/`); Down comes back.
            event.stop()
            if self._recall is None:
                self._recall = len(self.history)
                if self.input.value.strip():
                    self.remember(self.input.value)
                    self._recall = len(self.history) - 1
            self._recall = max(0, self._recall - 1)
            self._show_recalled()
        elif event.key == "down" and self._recall is not None:
            event.stop()
            self._recall += 1
            if self._recall >= len(self.history):
                self._recall = None
                self.set_query("")
            else:
                self._show_recalled()
        elif event.key == "down" and self.results.count:
            event.stop()
            focus_now(self.results)

    def _show_recalled(self) -> None:
        if self._recall is not None and 0 <= self._recall < len(self.history):
            recall = self._recall
            self.set_query(self.history[recall])
            self._recall = recall  # set_query's Changed must not end the recall

    def show_result(self, result: Any) -> None:
        """The worker's answer for the current query."""
        if result is None or result.query != self.input.value.strip():
            return  # an answer to a query that has since changed
        self.result = result
        if result.error:
            self.results.set_hits([], "No results: the query has a problem (above).")
            self._note(f"Cannot search: {result.error}", "-error")
            self.refresh_bindings()
            return
        n, shown = result.total, len(result.hits)
        note = f"{n} passage{'s' if n != 1 else ''} match" + (f" (best {shown} shown)" if shown < n else "")
        if result.suggestion:
            note += f". Did you mean “{result.suggestion}”? Tab searches for it."
        self._note(note, "-suggest" if result.suggestion else "")
        self.results.set_hits(result.hits, "No passage matches.")
        self.refresh_bindings()  # Tab uses the suggestion now (check_action changed)

    def _note(self, text: str, cls: str = "") -> None:
        note = self.query_one("#search-note", Static)
        if not note.has_class(cls) or (not cls and note.classes):
            note.set_classes(cls)
        content = Content(text)
        # Lay the screen out again only when the note's height changes (not on every keystroke).
        lines = min(3, len(content.wrap(max(1, note.size.width - 2)))) if note.size.width else 0
        note.update(content, layout=lines != note.size.height)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "use_suggestion":
            return bool(self.result is not None and self.result.suggestion)
        return True

    def action_use_suggestion(self) -> None:
        if self.result is not None and self.result.suggestion:
            self.set_query(self.result.suggestion)
            focus_now(self.input)

    def action_close(self) -> None:
        self.post_message(self.Closed(self))
