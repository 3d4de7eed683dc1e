"""`c`: where the outlets disagree. Discrepancies first (facts, names, quote wording), then echoes
(the same words from different speakers), then agreements; the versions of the item under the
cursor below, Enter on one jumps to its passage.

The view draws what the engine compared (briefing.index.compare.model.Comparison); every text in
it comes from articles, so it is `Content`, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from briefing.tui.messages import Passage, PassageRequested
from briefing.tui.widgets import focus_now
from briefing.tui.widgets.status import KeyBar
from briefing.tui.widgets.styles import MUTED
from briefing.tui.widgets.vlist import VirtualList

GLYPHS = {"discrepancy": "≠", "echo": "↔", "agreement": "="}
STATUS_STYLES = {"discrepancy": "bold $text-error", "echo": "bold $text-warning", "agreement": "$text-success"}
HEADINGS = {"discrepancy": "discrepancies", "echo": "echoes", "agreement": "agreements"}
MAX_VERSIONS = 200  # listed under an item (an OptionList measures each); `briefing compare --json` has all


class CompareList(VirtualList):
    """One row per item: its status and kind, what it is about, and the gist."""

    ROW_HEIGHT: ClassVar[int] = 2

    @dataclass(eq=False, repr=False)
    class ItemHighlighted(Message):
        compare_list: "CompareList"
        item: Any

        @property
        def control(self) -> "CompareList":
            return self.compare_list

    @dataclass(eq=False, repr=False)
    class ItemChosen(Message):
        compare_list: "CompareList"
        item: Any

        @property
        def control(self) -> "CompareList":
            return self.compare_list

    def __init__(self, **kwargs: Any):
        super().__init__(empty="Comparing the outlets…", **kwargs)
        self.items: list[Any] = []

    def set_items(self, items: list[Any], empty: str) -> None:
        self.items = items
        self.set_empty_text(empty)
        self.set_count(len(items), cursor=0)
        self.refresh_rows()

    @property
    def current(self) -> Any:
        return self.items[self.cursor] if 0 <= self.cursor < len(self.items) else None

    def render_row(self, index: int) -> Content:
        item = self.items[index]
        style = STATUS_STYLES.get(item.status, "")
        n = len(item.sources)
        return Content.assemble(
            (f"{GLYPHS.get(item.status, '?')} ", style),
            (f"{item.kind} ", MUTED),
            (item.about, "bold"),
            (f" · {n} outlet{'s' if n != 1 else ''}", MUTED),
            "\n  ",
            (" ".join(item.summary.split()), ""),
        )

    def announce_highlight(self, index: int) -> None:
        if 0 <= index < len(self.items):
            self.post_message(self.ItemHighlighted(self, self.items[index]))

    def announce_select(self, index: int) -> None:
        if 0 <= index < len(self.items):
            self.post_message(self.ItemChosen(self, self.items[index]))


class VersionList(OptionList):
    """Every outlet's version of the item; Enter goes to its passage."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="compare.versions.down-vi", tooltip="Next version"),
        Binding("k", "cursor_up", "Up", show=False, id="compare.versions.up-vi", tooltip="Previous version"),
        Binding("enter", "select", "Go to passage", id="compare.versions.open", tooltip="Open this version's passage in the article pane"),
    ]

    def __init__(self, **kwargs: Any):
        super().__init__(markup=False, **kwargs)
        self.versions: list[Any] = []


class CompareScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="compare.close", tooltip="Back to the reader (from the versions: back to the list)"),
        Binding("q", "close", "Close", show=False, id="compare.close-q", tooltip="Back to the reader"),
        Binding("tab,v,right,l", "versions", "Versions", id="compare.versions", tooltip="Move to the versions of this item"),
        Binding("shift+tab,h,left", "items", "Items", show=False, id="compare.items", tooltip="Back to the list of items"),
        Binding("right_square_bracket", "section(1)", "Next kind", key_display="]", id="compare.next-section", tooltip="Next section: discrepancies, echoes, agreements"),
        Binding("left_square_bracket", "section(-1)", "Previous kind", key_display="[", show=False, id="compare.previous-section", tooltip="Previous section"),
    ]

    CSS_PATH = "compare.tcss"

    class VersionChosen(PassageRequested):
        """Enter on an item or one of its versions: the reader goes to that passage."""

    def __init__(self, reader: Any = None, comparison: Any = None, note: str = "", item_id: str | None = None):
        super().__init__(id="compare")
        self.reader = reader
        self.comparison = comparison
        self.note = note  # why there is no comparison (yet)
        self._start = item_id

    def compose(self):
        yield Static(Content(""), id="compare-head")
        yield CompareList(id="compare-list")
        with Vertical(id="compare-detail"):
            yield Static(Content(""), id="compare-summary")
            yield VersionList(id="compare-versions")
        yield KeyBar(id="compare-keys")

    @property
    def item_list(self) -> CompareList:
        return self.query_one(CompareList)

    @property
    def versions(self) -> VersionList:
        return self.query_one(VersionList)

    def on_mount(self) -> None:
        self.show(self.comparison, self.note)
        if self._start is not None:
            self.select(self._start)
        focus_now(self.item_list)

    # ---- contents --------------------------------------------------------------------------
    def show(self, comparison: Any, note: str = "") -> None:
        """The engine's Comparison (or None, with why not)."""
        self.comparison = comparison
        items = list(comparison.items) if comparison is not None else []
        empty = note or ("The outlets print nothing to compare." if comparison is not None else "Comparing the outlets…")
        self.item_list.set_items(items, empty)
        counts = comparison.counts() if comparison is not None else {}
        parts: list[Any] = [("Compare the outlets", "bold")]
        for status, label in HEADINGS.items():
            if comparison is not None:
                parts += [("  ", ""), (f"{GLYPHS[status]} {counts.get(status, 0)} {label}", STATUS_STYLES[status])]
        self.query_one("#compare-head", Static).update(Content.assemble(*parts))
        self._show_item(self.item_list.current)

    def select(self, item_id: str) -> None:
        for i, item in enumerate(self.item_list.items):
            if item.id == item_id:
                self.item_list.move_cursor(i)
                self._show_item(item)
                return

    def _show_item(self, item: Any) -> None:
        versions = self.versions
        summary = self.query_one("#compare-summary", Static)
        if item is None:
            versions.versions = []
            versions.clear_options()
            summary.update(Content(""))
            return
        shown = list(item.versions[:MAX_VERSIONS])
        more = len(item.versions) - len(shown)
        summary.update(Content.assemble(
            (f"{item.about}: ", "bold"), (item.summary, ""),
            (f" (the first {len(shown)} of {len(item.versions)} versions below)" if more else "", MUTED),
        ))
        versions.versions = shown
        options = []
        for i, v in enumerate(shown):
            head = Content.assemble(
                (v.outlet or v.source, "bold"),
                (f" ¶{v.paragraph} · ", MUTED),
                (v.value, STATUS_STYLES.get(item.status, "") if item.status == "discrepancy" else ""),
            )
            options.append(Option(Content("\n").join([head, Content.styled(f"  “{v.text}”", MUTED)]), id=f"v{i}"))
        versions.set_options(options)
        if options:
            versions.highlighted = 0

    @on(CompareList.ItemHighlighted)
    def _highlighted(self, event: CompareList.ItemHighlighted) -> None:
        event.stop()
        self._show_item(event.item)

    # ---- jumps -----------------------------------------------------------------------------
    def _go(self, version: Any) -> None:
        target = Passage(version.source, version.paragraph, ((version.start, version.end),))
        reader = self.reader
        self.dismiss()
        if reader is not None:
            reader.post_message(self.VersionChosen(target))

    @on(CompareList.ItemChosen)
    def _chosen(self, event: CompareList.ItemChosen) -> None:
        event.stop()
        if event.item.versions:
            self._go(event.item.versions[0])

    @on(OptionList.OptionSelected, "#compare-versions")
    def _version_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        versions = self.versions.versions
        if 0 <= event.option_index < len(versions):
            self._go(versions[event.option_index])

    # ---- actions ---------------------------------------------------------------------------
    def action_close(self) -> None:
        if self.versions.has_focus:
            focus_now(self.item_list)
            return
        self.dismiss()

    def action_versions(self) -> None:
        if self.versions.option_count:
            focus_now(self.versions)

    def action_items(self) -> None:
        focus_now(self.item_list)

    def action_section(self, direction: int) -> None:
        """The first item of the next (or previous) status: discrepancies, echoes, agreements."""
        items = self.item_list.items
        if not items:
            return
        order = list(HEADINGS)
        here = order.index(items[self.item_list.cursor].status) if items[self.item_list.cursor].status in order else 0
        for step in range(1, len(order) + 1):
            want = order[(here + direction * step) % len(order)]
            index = next((i for i, it in enumerate(items) if it.status == want), None)
            if index is not None:
                self.item_list.move_cursor(index)
                focus_now(self.item_list)
                return
