"""The sources pane: one row per article (read mark, number, outlet, date, quotes; title), drawn
only when on screen, in the order chosen with `s` (date, newest first, outlet, number).

The number is the article's place in `briefing sources` (what `briefing show N` and `source:N`
take), whatever the order here, so a number read on screen names the same article everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Sequence

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message

from briefing.tui.widgets.styles import MUTED
from briefing.tui.widgets.vlist import VirtualList

if TYPE_CHECKING:
    from briefing.index.model import Article

SORTS: dict[str, str] = {
    "date": "date (oldest first), then outlet",
    "date-newest": "date (newest first), then outlet",
    "outlet": "outlet, then date",
    "number": "number (file name)",
}
MARKS = {"new": "•", "started": "◐", "read": "✓"}  # a shape as well as a style: never colour alone
MARK_HELP = "• new · ◐ started (at ¶ n/N) · ✓ read"


def in_order(articles: Sequence["Article"], order: str, number: dict[str, int]) -> list["Article"]:
    """The articles listed in `order` (undated ones last)."""
    if order == "date-newest":
        listed = sorted(articles, key=lambda a: ((a.outlet or "").casefold(), number[a.id]))
        dated = sorted((a for a in listed if a.date), key=lambda a: a.date or "", reverse=True)  # stable: outlets stay in order
        return dated + [a for a in listed if not a.date]
    return sorted(articles, key=sort_key(order, number))


def sort_key(order: str, number: dict[str, int]) -> Callable[["Article"], Any]:
    """The key that lists articles in `order`; undated articles go last, ties by number."""

    def by_date(a: "Article") -> tuple:
        return (a.date is None, a.date or "", (a.outlet or "").casefold(), number[a.id])

    if order == "outlet":
        return lambda a: ((a.outlet is None), (a.outlet or "").casefold(), a.date or "\uffff", number[a.id])
    if order == "number":
        return lambda a: number[a.id]
    return by_date


class SourceList(VirtualList):
    """Every article of the briefing; the highlighted one is shown in the article pane."""

    ROW_HEIGHT: ClassVar[int] = 2

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "sort", "Sort", id="sources.sort", tooltip="List the sources by date, newest first, outlet or number"),
    ]

    @dataclass(eq=False, repr=False)
    class Highlighted(Message):
        """The cursor is on a source (the article pane follows it)."""

        source_list: "SourceList"
        article_id: str
        index: int

        @property
        def control(self) -> "SourceList":
            return self.source_list

    @dataclass(eq=False, repr=False)
    class Chosen(Message):
        """Enter on a source: read it."""

        source_list: "SourceList"
        article_id: str
        index: int

        @property
        def control(self) -> "SourceList":
            return self.source_list

    @dataclass(eq=False, repr=False)
    class Sorted(Message):
        """`s`: the sources are listed in another order (the reader remembers it)."""

        source_list: "SourceList"
        order: str

        @property
        def control(self) -> "SourceList":
            return self.source_list

    def __init__(self, **kwargs: Any):
        super().__init__(empty="Opening the briefing…", **kwargs)
        self._articles: list[Article] = []
        self._quotes: dict[str, int] | None = None
        self._index_of: dict[str, int] = {}
        self._number: dict[str, int] = {}
        self.order = "date"
        # article id -> ("new" | "started" | "read", "¶ 5/14" or ""): set by the reader
        self.read_state: Callable[[str], tuple[str, str]] | None = None

    def set_sources(
        self, articles: Sequence["Article"], quote_counts: dict[str, int] | None = None, order: str | None = None, announce: bool = True
    ) -> None:
        """The briefing's articles in the engine's order (their numbers), listed in `order`.
        `announce=False`: the caller shows an article itself (no Highlighted for the first row)."""
        current = self.current_id
        self._number = {a.id: i for i, a in enumerate(articles, 1)}
        self._quotes = quote_counts
        if order in SORTS:
            self.order = order
        self._articles = in_order(articles, self.order, self._number)
        self._index_of = {a.id: i for i, a in enumerate(self._articles)}
        self.set_empty_text("No readable article in this corpus.")
        cursor = self._index_of.get(current, 0) if current else 0
        new = current is None or current not in self._index_of
        self.set_count(len(self._articles), cursor=cursor, announce=announce and new)

    def sort(self, order: str) -> None:
        """List in another order; the cursor stays on the same source."""
        if order not in SORTS:
            return
        self.order = order
        current = self.current_id
        self._articles = in_order(self._articles, order, self._number)
        self._index_of = {a.id: i for i, a in enumerate(self._articles)}
        self._cache.clear()
        if current is not None:
            self.move_cursor(self._index_of[current], announce=False)
        self.refresh_rows()
        self.call_after_refresh(self.scroll_to_cursor)

    def action_sort(self) -> None:
        names = list(SORTS)
        order = names[(names.index(self.order) + 1) % len(names)] if self.order in names else names[0]
        self.sort(order)
        self.post_message(self.Sorted(self, order))

    def set_quote_counts(self, quote_counts: dict[str, int] | None) -> None:
        self._quotes = quote_counts
        self.refresh_rows()

    def refresh_source(self, article_id: str) -> None:
        """Its read state changed: draw its row again."""
        index = self._index_of.get(article_id)
        if index is not None:
            self._refresh_row(index)

    @property
    def articles(self) -> list["Article"]:
        """The sources in the order listed."""
        return list(self._articles)

    @property
    def current_id(self) -> str | None:
        if not self._articles or not 0 <= self.cursor < len(self._articles):
            return None
        return self._articles[self.cursor].id

    def index_of(self, article_id: str) -> int | None:
        return self._index_of.get(article_id)

    def number(self, article_id: str) -> int | None:
        """The article's number (as in `briefing sources`)."""
        return self._number.get(article_id)

    def select_id(self, article_id: str) -> bool:
        """Put the cursor on a source (posts Highlighted if it moved)."""
        index = self._index_of.get(article_id)
        if index is None:
            return False
        self.cursor = index
        return True

    def render_row(self, index: int) -> Content:
        a = self._articles[index]
        state, progress = self.read_state(a.id) if self.read_state is not None else ("", "")
        meta = [a.date or "undated"]
        if self._quotes is not None:
            n = self._quotes.get(a.id, 0)
            meta.append(f"{n} quote{'s' if n != 1 else ''}")
        if progress:
            meta.append(progress)
        digits = len(str(max(1, len(self._number))))
        mark = MARKS.get(state, " ")
        outlet_style = "" if state == "read" else "bold"
        head = Content.assemble(
            (f"{mark} ", "bold $accent" if state == "new" else MUTED),
            (f"{self._number.get(a.id, index + 1):>{digits}} ", MUTED),
        )
        tail = Content.styled(" · " + " · ".join(meta), MUTED)
        outlet = Content.styled(a.outlet or "unknown outlet", outlet_style)
        room = self.scrollable_content_region.width - head.cell_length - tail.cell_length
        if room >= 8 and outlet.cell_length > room:  # the outlet gives way, the date and counts stay
            outlet = outlet.truncate(room, ellipsis=True)
        return Content.assemble(
            head,
            outlet,
            tail,
            "\n" + " " * (digits + 3),
            (a.title or a.id, "" if state == "read" else "$text"),
        )

    def announce_highlight(self, index: int) -> None:
        if 0 <= index < len(self._articles):
            self.post_message(self.Highlighted(self, self._articles[index].id, index))

    def announce_select(self, index: int) -> None:
        if 0 <= index < len(self._articles):
            self.post_message(self.Chosen(self, self._articles[index].id, index))
