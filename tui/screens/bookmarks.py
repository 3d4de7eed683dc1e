"""`B`: every bookmark of the briefing — filter by typing, open, annotate, copy, delete and undo.

The view reads the reader's shelf and asks the reader to act (it owns the store's workers); the
reader calls `reload` when the shelf changes, so the list is always what is stored.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Static

from briefing.tui.bookmarks import STATE_LEGEND, in_quotes, state_text
from briefing.tui.widgets import focus_now
from briefing.tui.widgets.bookmarks import EMPTY, BookmarkList
from briefing.tui.widgets.status import KeyBar
from briefing.tui.widgets.styles import MUTED

PLACEHOLDER = "f or / filters: words in the outlet, title, note, tags, passage or state"


class BookmarksScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="bookmarks.close", tooltip="Back to the reader (from the filter: back to the list)"),
        Binding("q", "close", "Close", show=False, id="bookmarks.close-q", tooltip="Back to the reader"),
        Binding("f,slash", "filter", "Filter", id="bookmarks.filter", tooltip="Type words to narrow the list"),
        Binding("d", "delete", "Delete", id="bookmarks.delete", tooltip="Delete this bookmark (u brings it back)"),
        Binding("u", "undo", "Undo", id="bookmarks.undo", tooltip="Bring back the bookmark deleted last"),
        Binding("a", "annotate", "Annotate", id="bookmarks.annotate", tooltip="Note and tags for this bookmark"),
        Binding("y", "copy", "Copy", id="bookmarks.copy", tooltip="Copy the passage with its citation"),
    ]

    DEFAULT_CSS = """
    BookmarksScreen { layout: vertical; }
    BookmarksScreen > #bookmarks-head { height: 1; background: $panel; color: $foreground; padding: 0 1; }
    BookmarksScreen > #bookmarks-filter { margin: 0; padding: 0 1; background: $boost; }
    BookmarksScreen > #bookmarks-filter:focus { background: $primary 25%; }
    BookmarksScreen > BookmarkList { height: 1fr; }
    BookmarksScreen > #bookmarks-detail {
        height: auto;
        max-height: 6;
        padding: 0 1;
        background: $boost;
        color: $text-muted;
    }
    BookmarksScreen > #bookmarks-detail.-empty { display: none; }
    BookmarksScreen > #bookmarks-legend { height: auto; max-height: 2; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, reader: Any = None):
        super().__init__(id="bookmarks")
        self.reader = reader

    def compose(self):
        yield Static(Content(""), id="bookmarks-head")
        yield Input(placeholder=PLACEHOLDER, id="bookmarks-filter", compact=True, select_on_focus=False)
        yield BookmarkList(id="bookmark-list")
        yield Static(Content(STATE_LEGEND), id="bookmarks-legend")
        yield Static(Content(""), id="bookmarks-detail", classes="-empty")
        yield KeyBar(id="bookmarks-keys")

    @property
    def shelf(self) -> Any:
        return self.reader.bookmarks if self.reader is not None else None

    @property
    def bookmark_list(self) -> BookmarkList:
        return self.query_one(BookmarkList)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#bookmarks-filter", Input)

    def on_mount(self) -> None:
        self.reload()
        focus_now(self.bookmark_list)

    # ---- contents --------------------------------------------------------------------------
    def reload(self) -> None:
        """The shelf changed (or the filter did): list what passes the filter."""
        shelf = self.shelf
        lst = self.bookmark_list
        current = lst.current
        words = self.filter_input.value.lower().split()
        if shelf is None:
            items: list[Any] = []
            empty = "Bookmarks are not loaded yet." if self.reader is None or self.reader.briefing is None else "Bookmarks are not available."
        else:
            items = [item for item in shelf if shelf.matches(item, words)]
            empty = "No bookmark matches the filter." if words and len(shelf) else EMPTY
        lst.set_items(shelf, items, empty, keep=current.id if current is not None else None)
        total = len(shelf) if shelf is not None else 0
        shown = f"{len(items)} of {total}" if words else f"{total}"
        orphans = sum(1 for item in items if item.orphaned)
        head = Content.assemble(
            ("Bookmarks", "bold"),
            (f"  {shown} bookmark{'s' if total != 1 else ''}", MUTED),
            (f" · {orphans} orphaned" if orphans else "", MUTED),
            (" · not saved: this session only" if shelf is not None and not shelf.can_save else "", "$text-warning"),
        )
        self.query_one("#bookmarks-head", Static).update(head)
        self._show_detail(lst.current)

    def _show_detail(self, item: Any) -> None:
        detail = self.query_one("#bookmarks-detail", Static)
        detail.set_class(item is None, "-empty")
        if item is None:
            return
        bm = item.bookmark
        shelf = self.shelf
        lines = [
            Content.assemble((shelf.citation(item) if shelf is not None else bm.source, "bold"), (f" · {state_text(item)}", "")),
        ]
        if bm.note:
            lines.append(Content.assemble(("Note: ", "bold"), bm.note))
        if bm.tags:
            lines.append(Content.assemble(("Tags: ", "bold"), ", ".join(bm.tags)))
        lines.append(Content(in_quotes(bm.text)))
        detail.update(Content("\n").join(lines))

    @on(BookmarkList.ItemHighlighted)
    def _highlighted(self, event: BookmarkList.ItemHighlighted) -> None:
        event.stop()
        self._show_detail(event.item)

    @on(BookmarkList.ItemChosen)
    def _chosen(self, event: BookmarkList.ItemChosen) -> None:
        event.stop()
        if self.reader is not None:
            self.reader.open_bookmark(event.item.id)

    # ---- filter ----------------------------------------------------------------------------
    @on(Input.Changed, "#bookmarks-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.reload()

    @on(Input.Submitted, "#bookmarks-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        focus_now(self.bookmark_list)

    def on_key(self, event) -> None:
        if event.key == "down" and self.filter_input.has_focus:
            event.stop()
            focus_now(self.bookmark_list)

    def action_filter(self) -> None:
        focus_now(self.filter_input)

    # ---- actions ---------------------------------------------------------------------------
    def action_close(self) -> None:
        if self.filter_input.has_focus:
            focus_now(self.bookmark_list)
            return
        self.dismiss()

    def _current(self) -> Any:
        item = self.bookmark_list.current
        if item is None:
            self.notify("No bookmark selected.", timeout=2)
        return item

    def action_delete(self) -> None:
        item = self._current()
        if item is not None and self.reader is not None:
            self.reader.delete_bookmark(item.id)

    def action_undo(self) -> None:
        if self.reader is not None:
            self.reader.undo_delete()

    def action_annotate(self) -> None:
        item = self._current()
        if item is not None and self.reader is not None:
            self.reader.annotate(item)

    def action_copy(self) -> None:
        item = self._current()
        if item is not None and self.reader is not None:
            self.reader.copy_bookmark(item.id)
