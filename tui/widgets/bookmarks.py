"""The list of the Bookmarks view: outlet and title; paragraph, state, note and tags; the passage.

Drawn like every list here (only the rows on screen). Notes, tags and passages are the reader's
own or the corpus's text: `Content`, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual.content import Content
from textual.message import Message

from briefing.tui.bookmarks import Shelf, in_quotes, where
from briefing.tui.widgets.styles import MUTED
from briefing.tui.widgets.vlist import VirtualList

EMPTY = "No bookmarks yet: b in the article or the quotes pane bookmarks a passage."
STATE_STYLES = {
    "anchored": "$text-success",
    "moved": "$text-primary",
    "changed": "$text-warning",
    "orphaned": "bold $text-error",
}


class BookmarkList(VirtualList):
    """Bookmarks (those that pass the filter), oldest first."""

    ROW_HEIGHT: ClassVar[int] = 3

    @dataclass(eq=False, repr=False)
    class ItemHighlighted(Message):
        bookmark_list: "BookmarkList"
        item: Any

        @property
        def control(self) -> "BookmarkList":
            return self.bookmark_list

    @dataclass(eq=False, repr=False)
    class ItemChosen(Message):
        """Enter (or a click) on a bookmark: go to its passage."""

        bookmark_list: "BookmarkList"
        item: Any

        @property
        def control(self) -> "BookmarkList":
            return self.bookmark_list

    def __init__(self, **kwargs: Any):
        super().__init__(empty=EMPTY, **kwargs)
        self.items: list[Any] = []
        self.shelf: Shelf | None = None

    def set_items(self, shelf: Shelf | None, items: list[Any], empty: str, keep: str | None = None) -> None:
        """Show `items`; the cursor stays on the bookmark `keep` if it is still there."""
        self.shelf = shelf
        self.items = items
        cursor = next((i for i, item in enumerate(items) if item.id == keep), None)
        if cursor is None:
            cursor = min(self.cursor, max(0, len(items) - 1))
        self.set_empty_text(empty)
        self.set_count(len(items), cursor=cursor)
        self.refresh_rows()

    @property
    def current(self) -> Any:
        return self.items[self.cursor] if 0 <= self.cursor < len(self.items) else None

    def render_row(self, index: int) -> Content:
        item = self.items[index]
        shelf = self.shelf
        bm = item.bookmark
        outlet = shelf.outlet(item) if shelf is not None else item.source
        title = shelf.title(item) if shelf is not None else ""
        detail: list[Any] = [
            "\n   ",
            (where(item), "bold"),
            (" · ", MUTED),
            (item.state, STATE_STYLES.get(item.state, "")),
            (f" · {bm.kind}" if bm.kind != "paragraph" else "", MUTED),
        ]
        if bm.note:
            detail += [(" · note: ", MUTED), (" ".join(bm.note.split()), "italic")]
        if bm.tags:
            detail += [(" · tags: ", MUTED), (", ".join(bm.tags), "$text-accent")]
        return Content.assemble(
            (f"{index + 1:>2} ", MUTED),
            (outlet, "bold"),
            (" — ", MUTED),
            title,
            *detail,
            "\n   ",
            (in_quotes(" ".join(bm.text.split())), MUTED if not item.orphaned else f"italic {MUTED}"),
        )

    def announce_highlight(self, index: int) -> None:
        if 0 <= index < len(self.items):
            self.post_message(self.ItemHighlighted(self, self.items[index]))

    def announce_select(self, index: int) -> None:
        if 0 <= index < len(self.items):
            self.post_message(self.ItemChosen(self, self.items[index]))
