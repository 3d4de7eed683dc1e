"""The sources pane: one row per article (outlet, date, quotes; title), drawn only when on screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual.content import Content
from textual.message import Message

from briefing.tui.widgets.styles import MUTED
from briefing.tui.widgets.vlist import VirtualList


class SourceList(VirtualList):
    """Every article of the briefing; the highlighted one is shown in the article pane."""

    ROW_HEIGHT: ClassVar[int] = 2

    @dataclass
    class Highlighted(Message):
        """The cursor is on a source (the article pane follows it)."""

        source_list: "SourceList"
        article_id: str
        index: int

        @property
        def control(self) -> "SourceList":
            return self.source_list

    @dataclass
    class Chosen(Message):
        """Enter on a source: read it."""

        source_list: "SourceList"
        article_id: str
        index: int

        @property
        def control(self) -> "SourceList":
            return self.source_list

    def __init__(self, **kwargs: Any):
        super().__init__(empty="Opening the briefing…", **kwargs)
        self._articles: list[Any] = []
        self._quotes: dict[str, int] | None = None
        self._index_of: dict[str, int] = {}

    def set_sources(self, articles: list[Any], quote_counts: dict[str, int] | None = None) -> None:
        current = self.current_id
        self._articles = articles
        self._quotes = quote_counts
        self._index_of = {a.id: i for i, a in enumerate(articles)}
        self.set_empty_text("No readable article in this corpus.")
        cursor = self._index_of.get(current, 0) if current else 0
        self.set_count(len(articles), cursor=cursor, announce=current is None or current not in self._index_of)

    def set_quote_counts(self, quote_counts: dict[str, int] | None) -> None:
        self._quotes = quote_counts
        self.refresh_rows()

    @property
    def current_id(self) -> str | None:
        if not self._articles or not 0 <= self.cursor < len(self._articles):
            return None
        return self._articles[self.cursor].id

    def index_of(self, article_id: str) -> int | None:
        return self._index_of.get(article_id)

    def select_id(self, article_id: str) -> bool:
        """Put the cursor on a source (posts Highlighted if it moved)."""
        index = self._index_of.get(article_id)
        if index is None:
            return False
        self.cursor = index
        return True

    def render_row(self, index: int) -> Content:
        a = self._articles[index]
        meta = [a.date or "undated"]
        if self._quotes is not None:
            n = self._quotes.get(a.id, 0)
            meta.append(f"{n} quote{'s' if n != 1 else ''}")
        outlet_style = "bold"
        meta_style = MUTED
        return Content.assemble(
            (f"{index + 1:>2} ", meta_style),
            (a.outlet or "unknown outlet", outlet_style),
            (" · " + " · ".join(meta), meta_style),
            "\n   ",
            a.title or a.id,
        )

    def announce_highlight(self, index: int) -> None:
        if 0 <= index < len(self._articles):
            self.post_message(self.Highlighted(self, self._articles[index].id, index))

    def announce_select(self, index: int) -> None:
        if 0 <= index < len(self._articles):
            self.post_message(self.Chosen(self, self._articles[index].id, index))
