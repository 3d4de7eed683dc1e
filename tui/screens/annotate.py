"""`a`: a note and tags for one bookmark. Enter saves, Esc cancels; tags are comma-separated."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from briefing.tui.bookmarks import in_quotes, parse_tags, shorten
from briefing.tui.widgets import focus_now
from briefing.tui.widgets.styles import MUTED


class AnnotateScreen(ModalScreen[tuple[str, tuple[str, ...]] | None]):
    """Returns (note, tags), or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="annotate.cancel", tooltip="Close without changing the note"),
        # Priority, and the focus moved at once: what is typed right after Tab goes to the tags.
        Binding("tab,shift+tab", "other_field", "Next field", show=False, priority=True, id="annotate.next", tooltip="From the note to the tags and back"),
    ]

    DEFAULT_CSS = """
    AnnotateScreen { align: center middle; }
    AnnotateScreen > #annotate-box {
        width: 90%;
        max-width: 90;
        height: auto;
        border: round $accent;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    AnnotateScreen #annotate-passage { color: $text-muted; height: auto; max-height: 4; margin-bottom: 1; }
    AnnotateScreen .annotate-label { height: 1; }
    AnnotateScreen Input { margin: 0 0 1 0; padding: 0 1; background: $boost; }
    AnnotateScreen Input:focus { background: $primary 25%; }
    """

    def __init__(self, citation: str, text: str, note: str = "", tags: tuple[str, ...] = ()):
        super().__init__(id="annotate")
        self.citation = citation
        self.text = text
        self.note = note
        self.tags = tags

    def compose(self):
        with Vertical(id="annotate-box") as box:
            box.border_title = "Note and tags"
            box.border_subtitle = "Enter saves · Tab next field · Esc cancels"
            yield Static(
                Content.assemble((self.citation, "bold"), "\n", (in_quotes(shorten(self.text, 300)), MUTED)),
                id="annotate-passage",
            )
            yield Static(Content("Note"), classes="annotate-label")
            yield Input(self.note, placeholder="what this passage is for", id="annotate-note", compact=True, select_on_focus=False)
            yield Static(Content("Tags, separated by commas"), classes="annotate-label")
            yield Input(", ".join(self.tags), placeholder="e.g. nato, red lines", id="annotate-tags", compact=True, select_on_focus=False)

    def on_mount(self) -> None:
        focus_now(self.query_one("#annotate-note", Input))

    def action_other_field(self) -> None:
        note = self.query_one("#annotate-note", Input)
        focus_now(self.query_one("#annotate-tags", Input) if note.has_focus else note)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        note = self.query_one("#annotate-note", Input).value
        tags = parse_tags(self.query_one("#annotate-tags", Input).value)
        self.dismiss((note, tags))
