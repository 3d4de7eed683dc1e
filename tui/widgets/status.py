"""The chrome: title bar, pane tabs (narrow screens), status line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import events
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

PANES: tuple[tuple[str, str], ...] = (
    ("sources", "Sources"),
    ("article", "Article"),
    ("quotes", "Quotes"),
    ("positions", "Positions"),
)


class TitleBar(Widget):
    """`briefing — <title>` on the left, what is loaded on the right."""

    DEFAULT_CSS = """
    TitleBar { height: 1; background: $panel; color: $foreground; }
    """

    title_text: reactive[str] = reactive("briefing", layout=False)
    detail: reactive[str] = reactive("opening…", layout=False)

    def render(self) -> Content:
        width = self.size.width
        left = Content.assemble((" briefing ", "bold reverse"), " ", (self.title_text, "bold"))
        right = Content(f"{self.detail} ")
        if left.cell_length + right.cell_length + 1 > width:
            left = left.truncate(max(1, width - right.cell_length - 1), ellipsis=True)
        if left.cell_length + right.cell_length > width:
            return left.truncate(width, ellipsis=True)
        gap = width - left.cell_length - right.cell_length
        return left + Content(" " * gap) + right.stylize("dim")


class PaneTabs(Widget):
    """`1 Sources  2 Article  3 Quotes  4 Positions`, the active one marked (and clickable)."""

    DEFAULT_CSS = """
    PaneTabs { height: 1; background: $boost; }
    """

    active: reactive[str] = reactive("sources")
    search_active: reactive[bool] = reactive(False)

    @dataclass(eq=False, repr=False)
    class Clicked(Message):
        tabs: "PaneTabs"
        pane: str

        @property
        def control(self) -> "PaneTabs":
            return self.tabs

    def _labels(self) -> list[tuple[str, str]]:
        out = []
        for i, (pane, label) in enumerate(PANES, 1):
            if pane == "sources" and self.search_active:
                label = "Search"
            out.append((pane, f" {i} {label} "))
        return out

    def render(self) -> Content:
        parts: list[tuple[str, str] | str] = []
        for pane, label in self._labels():
            parts.append((label, "bold reverse" if pane == self.active else "dim"))
            parts.append(" ")
        return Content.assemble(*parts)

    def on_click(self, event: events.Click) -> None:
        x = 0
        for pane, label in self._labels():
            if x <= event.x < x + len(label):
                self.post_message(self.Clicked(self, pane))
                return
            x += len(label) + 1


class StatusLine(Widget):
    """Pane, source and `¶ 3/14`, search counter `2/7`, and a short hint."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text-muted; }
    StatusLine.-cramped { background: $warning 30%; color: $text; }
    """


    pane: reactive[str] = reactive("Sources")
    where: reactive[str] = reactive("")
    position: reactive[str] = reactive("")
    search: reactive[str] = reactive("")
    note: reactive[str] = reactive("")

    def render(self) -> Content:
        parts: list[Any] = [(f" {self.pane} ", "bold $text")]
        if self.where:
            parts.append(("│ " + self.where + " ", ""))
        if self.position:
            parts.append(("│ " + self.position + " ", "bold"))
        if self.search:
            parts.append(("│ ", ""))
            parts.append((self.search + " ", "bold $text-warning"))
        if self.note:
            parts.append(("│ " + self.note, "italic"))
        content = Content.assemble(*parts)
        return content.truncate(max(1, self.size.width), ellipsis=True)


@dataclass(frozen=True)
class _Key:
    keys: str
    description: str
    action: str
    namespace: Any
    enabled: bool
    tooltip: str


class KeyBar(Widget):
    """The main keys of what has the focus, on one line (like Textual's Footer).

    One widget drawing one line: the Footer recomposes a widget per key whenever the focus
    moves, which costs about a quarter of a second on each pane switch.
    """

    DEFAULT_CSS = """
    KeyBar { height: 1; background: $footer-background; color: $footer-description-foreground; }
    """

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self._spans: list[tuple[int, int, _Key]] = []  # where each key is drawn, for clicks

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen: Any) -> None:
        if screen is self.screen:
            self.refresh()

    def _items(self) -> tuple[list[tuple[list[_Key], str | None]], _Key | None]:
        """Keys to show, grouped as the bindings ask (`[ ]` Source), and the palette key."""
        active = self.screen.active_bindings
        by_action: dict[str, list[Any]] = {}
        for namespace, binding, enabled, tooltip in active.values():
            if binding.show:
                by_action.setdefault(binding.action, []).append((namespace, binding, enabled, tooltip))
        items: list[tuple[list[_Key], str | None]] = []
        for entries in by_action.values():
            namespace, binding, enabled, tooltip = entries[0]
            key = _Key(self.app.get_key_display(binding), binding.description, binding.action, namespace, enabled, tooltip or binding.description)
            group = binding.group
            if group is not None and items and items[-1][1] == group.description:
                items[-1][0].append(key)
            else:
                items.append(([key], group.description if group is not None else None))
        palette = None
        if self.app.ENABLE_COMMAND_PALETTE and self.app.COMMAND_PALETTE_BINDING in active:
            namespace, binding, enabled, tooltip = active[self.app.COMMAND_PALETTE_BINDING]
            palette = _Key(self.app.get_key_display(binding), "palette", binding.action, namespace, enabled, "Commands: sources, speakers, issues, themes")
        return items, palette

    def render(self) -> Content:
        items, palette = self._items()
        width = self.size.width
        room = width - (len(f" {palette.keys} {palette.description} ") if palette is not None else 0)
        if self._width_of(items) > room:
            # Too many keys for the width: leave out whole entries rather than cut one in the
            # middle; the reader's general keys go first, the focused widget's and the app's
            # (quit, help) stay.
            keep: list[Any] = list(items)
            droppable = [
                i for i, (keys, _g) in enumerate(items)
                if not any(k.namespace is self.app or k.namespace is self.screen.focused for k in keys)
            ]
            while droppable and self._width_of([k for k in keep if k is not None]) > room:
                keep[droppable.pop()] = None
            items = [k for k in keep if k is not None]
        return self._render_items(items, palette, width)

    @staticmethod
    def _piece(key: _Key, group: str | None) -> Content:
        key_style = "bold $footer-key-foreground"
        piece = Content.styled(f" {key.keys}", key_style if key.enabled else "dim")
        if group is None:
            piece += Content.styled(f" {key.description}", "" if key.enabled else "dim")
        return piece

    def _width_of(self, items: list[tuple[list[_Key], str | None]]) -> int:
        total = 0
        for keys, group in items:
            total += sum(self._piece(k, group).cell_length for k in keys) + 1
            if group is not None:
                total += len(group) + 1
        return total

    def _render_items(self, items, palette, width: int) -> Content:
        key_style = "bold $footer-key-foreground"
        parts: list[Content] = []
        spans: list[tuple[int, int, _Key]] = []
        x = 0
        for keys, group in items:
            for key in keys:
                piece = self._piece(key, group)
                spans.append((x, x + piece.cell_length, key))
                x += piece.cell_length
                parts.append(piece)
            if group is not None:
                label = Content(f" {group}")
                parts.append(label)
                x += label.cell_length
            parts.append(Content(" "))
            x += 1
        line = Content("").join(parts)
        if palette is not None:
            tail = Content.assemble((f" {palette.keys}", key_style), f" {palette.description} ")
            room = width - tail.cell_length
            if line.cell_length > room:
                line = line.truncate(max(0, room), ellipsis=True)
            spans.append((width - tail.cell_length, width, palette))
            line = line + Content(" " * max(0, room - line.cell_length)) + tail
        self._spans = spans
        return line

    def _key_at(self, x: int) -> _Key | None:
        for start, end, key in self._spans:
            if start <= x < end:
                return key
        return None

    async def on_click(self, event: events.Click) -> None:
        key = self._key_at(event.x)
        if key is not None and key.enabled:
            event.stop()
            await self.app.run_action(key.action, key.namespace)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self._key_at(event.x)
        self.tooltip = key.tooltip if key is not None else None
