"""`?` / F1: every key, read from the live bindings (keymap applied), so the help never lies."""

from __future__ import annotations

from typing import Any, ClassVar, Iterable

from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static


# Bindings Textual gives every scrolling widget or screen that do nothing here: nothing scrolls
# sideways, Tab is the reader's own, and there is no text selection to copy.
IDLE_ACTIONS = {"scroll_left", "scroll_right", "page_left", "page_right", "focus_next", "focus_previous", "copy_text"}


def _idle(binding: Binding) -> bool:
    return not binding.id and binding.action.rsplit(".", 1)[-1].split("(", 1)[0] in IDLE_ACTIONS


def binding_rows(app: Any, nodes: Iterable[DOMNode]) -> list[tuple[str, str, str, str]]:
    """(keys, description, tooltip) for the bindings of `nodes`, one row per action; Textual's
    own bindings that do nothing in this app are left out."""
    rows: dict[tuple[str, str], list[Any]] = {}
    tips: dict[tuple[str, str], str] = {}
    keymap = app._keymap
    for node in nodes:
        bindings = node._bindings.copy()
        if keymap:
            bindings.apply_keymap(keymap)
        for _key, binding in bindings:
            if not binding.description or _idle(binding):
                continue
            name = (binding.action, binding.description)
            rows.setdefault(name, [])
            if binding.key not in [b.key for b in rows[name]]:
                rows[name].append(binding)
            tips.setdefault(name, binding.tooltip)
            if binding.tooltip and not tips[name]:
                tips[name] = binding.tooltip
    out = []
    for (action, description), group in rows.items():
        keys = ", ".join(dict.fromkeys(app.get_key_display(b) for b in group))
        ids = ", ".join(dict.fromkeys(b.id for b in group if b.id))
        out.append((keys, description, tips.get((action, description), ""), ids))
    return out


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="help.close", tooltip="Close the help"),
        Binding("q", "dismiss", "Close", show=False, id="help.close-q", tooltip="Close the help"),
        Binding("question_mark", "dismiss", "Close", show=False, id="help.close-question", tooltip="Close the help"),
        Binding("f1", "dismiss", "Close", show=False, id="help.close-f1", tooltip="Close the help"),
        Binding("j,down", "scroll(1)", "Scroll down", show=False, id="help.down", tooltip="Scroll the help down"),
        Binding("k,up", "scroll(-1)", "Scroll up", show=False, id="help.up", tooltip="Scroll the help up"),
        Binding("space,pagedown", "page(1)", "Page down", show=False, id="help.page-down", tooltip="One screen down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="help.page-up", tooltip="One screen up"),
        Binding("ctrl+d", "half_page(1)", "Half page down", show=False, id="help.half-down", tooltip="Half a screen down"),
        Binding("ctrl+u", "half_page(-1)", "Half page up", show=False, id="help.half-up", tooltip="Half a screen up"),
        Binding("g,home", "top", "Top", show=False, id="help.top", tooltip="The start of the help"),
        Binding("G,end", "bottom", "Bottom", show=False, id="help.bottom", tooltip="The end of the help"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > #help-box {
        width: 90%;
        max-width: 110;
        height: 90%;
        border: round $accent;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen #help-intro { color: $text-muted; height: auto; margin-bottom: 1; }
    HelpScreen #help-body { height: 1fr; }
    """

    def __init__(self, sections: list[tuple[str, list[DOMNode]]]):
        super().__init__(id="help")
        self.sections = sections

    def compose(self):
        with Vertical(id="help-box") as box:
            box.border_title = "Keys"
            box.border_subtitle = "Esc closes"
            yield Static(
                Content(
                    "Read like less or vim: j/k, space/PgUp, g/G, / searches, n/N go through matches. b bookmarks, "
                    "a adds a note, y copies with the citation, B lists bookmarks, Ctrl+P commands. "
                    "[ids] rebind keys in keymap.toml (README). Here: j/k, space, g/G scroll; Esc closes."
                ),
                id="help-intro",
            )
            with VerticalScroll(id="help-body"):
                yield Static(self._table(), id="help-table")

    def _table(self) -> Content:
        lines: list[Content] = []
        sections: list[tuple[str, list[DOMNode]]] = [*self.sections, ("This help", [self])]
        for title, nodes in sections:
            rows = binding_rows(self.app, nodes)
            if not rows:
                continue
            lines.append(Content.styled(title, "bold underline"))
            width = max(len(row[0]) for row in rows)
            for keys, description, tooltip, binding_id in rows:
                lines.append(
                    Content.assemble(
                        (f"  {keys:<{width}}  ", "bold $accent"),
                        (f"{description}", ""),
                        (f" — {tooltip}" if tooltip and tooltip != description else "", "dim"),
                        (f" [{binding_id}]" if binding_id else "", "dim italic"),
                    )
                )
            lines.append(Content(""))
        return Content("\n").join(lines)

    @property
    def body(self) -> VerticalScroll:
        return self.query_one("#help-body", VerticalScroll)

    def action_scroll(self, lines: int) -> None:
        self.body.scroll_relative(y=lines, animate=False)

    def action_page(self, direction: int) -> None:
        self.body.scroll_relative(y=direction * max(1, self.body.scrollable_content_region.height - 1), animate=False)

    def action_half_page(self, direction: int) -> None:
        self.body.scroll_relative(y=direction * max(1, self.body.scrollable_content_region.height // 2), animate=False)

    def action_top(self) -> None:
        self.body.scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.body.scroll_end(animate=False)
