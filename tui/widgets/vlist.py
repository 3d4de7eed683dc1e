"""A list of any length that renders only the rows on screen.

`OptionList` measures every option when it is filled (about 45 µs an option: half a second for
10,000 sources). Here every row has the same height, so nothing is measured: filling the list is
setting a number, and a frame renders only the rows it shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from briefing.tui.widgets.styles import MUTED


def content_strip(widget, content: Content, width: int, base: Style) -> Strip:
    """One line of `content`, cut to `width` cells (with an ellipsis) and padded to it."""
    if content.cell_length > width:
        content = content.truncate(width, ellipsis=True)
    segments = [
        Segment(text, style.rich_style)
        for text, style in content.render(base, end="", parse_style=widget._get_style)
    ]
    return Strip(segments).extend_cell_length(width, base.rich_style)


class VirtualList(ScrollView, can_focus=True, inherit_bindings=False):
    """Rows `0..count-1`, each `ROW_HEIGHT` lines, drawn by `render_row`; a cursor on one row."""

    ROW_HEIGHT: ClassVar[int] = 1

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False, id="list.down", tooltip="Next row"),
        Binding("j", "cursor_down", "Down", show=False, id="list.down-vi", tooltip="Next row"),
        Binding("up", "cursor_up", "Up", show=False, id="list.up", tooltip="Previous row"),
        Binding("k", "cursor_up", "Up", show=False, id="list.up-vi", tooltip="Previous row"),
        Binding("home", "first", "First", show=False, id="list.first", tooltip="First row"),
        Binding("g", "first", "First", show=False, id="list.first-vi", tooltip="First row"),
        Binding("end", "last", "Last", show=False, id="list.last", tooltip="Last row"),
        Binding("G", "last", "Last", show=False, id="list.last-vi", tooltip="Last row"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="list.page-down", tooltip="One screen down"),
        Binding("space", "page(1)", "Page down", show=False, id="list.page-down-space", tooltip="One screen down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="list.page-up", tooltip="One screen up"),
        Binding("ctrl+d", "half_page(1)", "Half page down", show=False, id="list.half-down", tooltip="Half a screen down"),
        Binding("ctrl+u", "half_page(-1)", "Half page up", show=False, id="list.half-up", tooltip="Half a screen up"),
        Binding("enter", "select", "Open", id="list.open", tooltip="Open the row under the cursor"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"vlist--cursor", "vlist--cursor-blurred"}

    DEFAULT_CSS = """
    VirtualList {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        background: $surface;
        scrollbar-size-vertical: 1;
        & > .vlist--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        & > .vlist--cursor-blurred {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    cursor: reactive[int] = reactive(0, always_update=False, init=False)

    @dataclass(eq=False, repr=False)
    class Highlighted(Message):
        """The cursor moved to another row."""

        vlist: "VirtualList"
        index: int

        @property
        def control(self) -> "VirtualList":
            return self.vlist

    @dataclass(eq=False, repr=False)
    class Selected(Message):
        """Enter (or a click) on a row."""

        vlist: "VirtualList"
        index: int

        @property
        def control(self) -> "VirtualList":
            return self.vlist

    def __init__(self, *, empty: str = "nothing here", name: str | None = None, id: str | None = None, classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self._count = 0
        self._empty = Content(empty)
        self._cache: dict[tuple, list[Strip]] = {}
        self._quiet = False

    # ---- content ---------------------------------------------------------------------------
    @property
    def count(self) -> int:
        return self._count

    def set_count(self, count: int, cursor: int | None = None, announce: bool = True) -> None:
        """Show `count` rows; keep the cursor where it was unless told otherwise."""
        self._count = max(0, count)
        self._cache.clear()
        self._update_virtual_size()
        target = self.cursor if cursor is None else cursor
        target = max(0, min(target, self._count - 1)) if self._count else 0
        if target != self.cursor:
            self.set_reactive(VirtualList.cursor, target)
        if announce and self._count:
            self.announce_highlight(target)
        self.call_after_refresh(self.scroll_to_cursor)
        self.refresh()

    def set_empty_text(self, text: str) -> None:
        self._empty = Content(text)

    @property
    def empty_text(self) -> str:
        """What the list says when it has no row."""
        return self._empty.plain
        self.refresh()

    def refresh_rows(self) -> None:
        """Row contents changed (same number of rows): draw them again."""
        self._cache.clear()
        self.refresh()

    def render_row(self, index: int) -> Content:
        """The row's text; lines beyond ROW_HEIGHT are dropped. Override."""
        return Content(str(index))

    # ---- geometry --------------------------------------------------------------------------
    def _update_virtual_size(self) -> None:
        width = self.scrollable_content_region.width or self.size.width
        self.virtual_size = Size(width, self._count * self.ROW_HEIGHT)

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        self._update_virtual_size()
        self.call_after_refresh(self.scroll_to_cursor)

    @property
    def page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height // self.ROW_HEIGHT)

    def scroll_to_cursor(self, center: bool = False) -> None:
        if not self._count:
            return
        h = self.ROW_HEIGHT
        region = Region(0, self.cursor * h, max(1, self.scrollable_content_region.width), h)
        self.scroll_to_region(region, animate=False, center=center, force=True, immediate=True)

    # ---- rendering -------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = self.scroll_offset.y + y
        base = self.visual_style
        if not self._count:
            if y == 0:
                return content_strip(self, self._empty.stylize(f"italic {MUTED}"), width, base)
            return Strip.blank(width, base.rich_style)
        index, sub = divmod(line, self.ROW_HEIGHT)
        if index >= self._count:
            return Strip.blank(width, base.rich_style)
        state = ""
        if index == self.cursor:
            state = "vlist--cursor" if self.has_focus else "vlist--cursor-blurred"
        key = (index, width, state)
        strips = self._cache.get(key)
        if strips is None:
            style = self.get_visual_style(state) if state else base
            lines = self.render_row(index).split("\n", allow_blank=True)
            strips = [
                content_strip(self, lines[i] if i < len(lines) else Content(), width, style)
                for i in range(self.ROW_HEIGHT)
            ]
            strips = [s.apply_meta({"row": index}) for s in strips]
            if len(self._cache) > 2000:
                self._cache.clear()
            self._cache[key] = strips
        return strips[sub]

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self.scroll_to_cursor()
        if self._count and not self._quiet:
            self.announce_highlight(new)

    def move_cursor(self, index: int, announce: bool = True) -> None:
        """Move the cursor; with announce=False, without posting Highlighted (the caller acts)."""
        self._quiet = not announce
        try:
            self.cursor = index
        finally:
            self._quiet = False

    def validate_cursor(self, value: int) -> int:
        if not self._count:
            return 0
        return max(0, min(value, self._count - 1))

    def _refresh_row(self, index: int) -> None:
        for key in [k for k in self._cache if k[0] == index]:
            del self._cache[key]
        self.refresh_lines(index * self.ROW_HEIGHT, self.ROW_HEIGHT)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()  # rows hold resolved colours: a theme change redraws them

    def _on_focus(self, event: events.Focus) -> None:
        self._refresh_row(self.cursor)

    def _on_blur(self, event: events.Blur) -> None:
        self._refresh_row(self.cursor)

    # ---- input -----------------------------------------------------------------------------
    async def _on_click(self, event: events.Click) -> None:
        row = event.style.meta.get("row")
        if row is None:
            return
        event.stop()
        if row == self.cursor:
            self.announce_select(row)
        else:
            self.cursor = row

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self._count - 1

    def action_page(self, direction: int) -> None:
        self.cursor += direction * self.page_rows

    def action_half_page(self, direction: int) -> None:
        self.cursor += direction * max(1, self.page_rows // 2)

    def action_select(self) -> None:
        if self._count:
            self.announce_select(self.cursor)

    def announce_highlight(self, index: int) -> None:
        """The cursor is on row `index`: subclasses post their own message."""
        self.post_message(self.Highlighted(self, index))

    def announce_select(self, index: int) -> None:
        self.post_message(self.Selected(self, index))
