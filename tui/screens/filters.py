"""`f` in the quotes pane: pick a speaker, a side or an outlet to filter by (type to narrow)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from briefing.tui.widgets import focus_now
from briefing.tui.widgets.styles import MUTED

KIND_LABELS = {"speaker": "Speaker", "side": "Side", "outlet": "Outlet", "clear": "Show every quote"}


@dataclass(frozen=True)
class Choice:
    kind: str  # "speaker" | "side" | "outlet" | "clear"
    value: str | None
    label: str  # what the reader sees (a name, a side label, an outlet)
    detail: str = ""  # e.g. "12 quotes"


class FilterPicker(ModalScreen[Choice | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="filters.cancel", tooltip="Close without changing the filters"),
        Binding("down", "move(1)", "Down", show=False, id="filters.down", tooltip="Next choice"),
        Binding("up", "move(-1)", "Up", show=False, id="filters.up", tooltip="Previous choice"),
    ]

    DEFAULT_CSS = """
    FilterPicker { align: center middle; }
    FilterPicker > #picker {
        width: 70%;
        max-width: 80;
        height: 70%;
        border: round $accent;
        background: $surface;
    }
    FilterPicker #picker-input { margin: 0; padding: 0 1; background: $boost; }
    FilterPicker #picker-list { height: 1fr; border: none; padding: 0; background: $surface; }
    """

    def __init__(self, choices: list[Choice]):
        super().__init__(id="filter-picker")
        self.choices = choices
        self.shown: list[Choice] = []

    def compose(self):
        with Vertical(id="picker") as box:
            box.border_title = "Filter quotes"
            box.border_subtitle = "Enter picks · Esc cancels"
            yield Input(placeholder="type a name, a side or an outlet", id="picker-input", compact=True)
            yield OptionList(markup=False, id="picker-list")

    def on_mount(self) -> None:
        self._fill("")
        focus_now(self.query_one(Input))

    def _fill(self, query: str) -> None:
        words = query.lower().split()
        self.shown = [c for c in self.choices if all(w in f"{KIND_LABELS[c.kind]} {c.label}".lower() for w in words)]
        options = []
        for i, c in enumerate(self.shown):
            kind = KIND_LABELS[c.kind]
            prompt = Content.assemble((f"{kind}: " if c.kind != "clear" else "", MUTED), (c.label, "bold"), (f"  {c.detail}" if c.detail else "", MUTED))
            options.append(Option(prompt, id=f"c{i}"))
        lst = self.query_one(OptionList)
        lst.set_options(options)
        if options:
            lst.highlighted = 0

    @on(Input.Changed, "#picker-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value)

    @on(Input.Submitted, "#picker-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        lst = self.query_one(OptionList)
        if lst.highlighted is not None and self.shown:
            self.dismiss(self.shown[lst.highlighted])

    @on(OptionList.OptionSelected, "#picker-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.shown[event.option_index])

    def action_move(self, step: int) -> None:
        lst = self.query_one(OptionList)
        if lst.option_count:
            current = lst.highlighted if lst.highlighted is not None else 0
            lst.highlighted = max(0, min(lst.option_count - 1, current + step))
