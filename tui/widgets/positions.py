"""The positions pane: an issue × side grid; a cell lists what that side said on that issue, and
Enter goes to the passage that says it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Iterable

from textual import events, on
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from briefing.tui.messages import Passage, PassageRequested
from briefing.tui.widgets import focus_now
from briefing.tui.widgets.styles import MUTED, SideNames


class PositionsGrid(Widget, can_focus=True):
    """Rows are issues, columns sides; a cell shows how many statements back it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1, 0)", "Down", show=False, id="grid.down", tooltip="Next issue"),
        Binding("j", "move(1, 0)", "Down", show=False, id="grid.down-vi", tooltip="Next issue"),
        Binding("up", "move(-1, 0)", "Up", show=False, id="grid.up", tooltip="Previous issue"),
        Binding("k", "move(-1, 0)", "Up", show=False, id="grid.up-vi", tooltip="Previous issue"),
        Binding("right", "move(0, 1)", "Right", show=False, id="grid.right", tooltip="Next side"),
        Binding("l", "move(0, 1)", "Right", show=False, id="grid.right-vi", tooltip="Next side"),
        Binding("left", "move(0, -1)", "Left", show=False, id="grid.left", tooltip="Previous side"),
        Binding("h", "move(0, -1)", "Left", show=False, id="grid.left-vi", tooltip="Previous side"),
        Binding("g,home", "edge(-1)", "First", show=False, id="grid.first", tooltip="First issue"),
        Binding("G,end", "edge(1)", "Last", show=False, id="grid.last", tooltip="Last issue"),
        Binding("enter", "open", "Statements", id="grid.open", tooltip="Open the statements of this cell"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"grid--cursor"}

    DEFAULT_CSS = """
    PositionsGrid { height: auto; padding: 0 1; }
    PositionsGrid > .grid--cursor { background: $block-cursor-blurred-background; text-style: bold; }
    PositionsGrid:focus > .grid--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    """

    row: reactive[int] = reactive(0, init=False)
    col: reactive[int] = reactive(0, init=False)

    @dataclass(eq=False, repr=False)
    class CellHighlighted(Message):
        grid: "PositionsGrid"
        cell: Any

        @property
        def control(self) -> "PositionsGrid":
            return self.grid

    @dataclass(eq=False, repr=False)
    class CellChosen(Message):
        grid: "PositionsGrid"
        cell: Any

        @property
        def control(self) -> "PositionsGrid":
            return self.grid

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.issues: list[tuple[str, str]] = []  # (id, label)
        self.side_ids: list[str | None] = []
        self.cells: dict[tuple[str, str | None], Any] = {}
        self.sides = SideNames()
        self.inferred: frozenset[str] = frozenset()  # side ids found from the text, marked "*"

    def set_cells(self, cells: Iterable[Any], sides: SideNames, inferred: Iterable[str] = ()) -> None:
        """`cells` as `Positions.cells()` gives them: issues in order, each with a cell per side.
        Sides in `inferred` were found from the text: their column heads are marked with "*"."""
        self.sides = sides
        self.inferred = frozenset(inferred)
        self.cells = {}
        issues: dict[str, str] = {}
        seen_sides: list[str | None] = []
        for cell in cells:
            issues.setdefault(cell.issue, cell.issue_label)
            self.cells[(cell.issue, cell.side)] = cell
            if cell.side not in seen_sides:
                seen_sides.append(cell.side)
        self.issues = list(issues.items())
        self.side_ids = seen_sides
        self.set_reactive(PositionsGrid.row, min(self.row, max(0, len(self.issues) - 1)))
        self.set_reactive(PositionsGrid.col, min(self.col, max(0, len(self.side_ids) - 1)))
        self.refresh(layout=True)
        self._announce()

    @property
    def cell(self) -> Any:
        if not self.issues or not self.side_ids:
            return None
        return self.cells.get((self.issues[self.row][0], self.side_ids[self.col]))

    def _announce(self) -> None:
        self.post_message(self.CellHighlighted(self, self.cell))

    def watch_row(self) -> None:
        self.refresh()
        self._announce()

    def watch_col(self) -> None:
        self.refresh()
        self._announce()

    def action_move(self, rows: int, cols: int) -> None:
        if self.issues:
            self.row = max(0, min(len(self.issues) - 1, self.row + rows))
        if self.side_ids:
            self.col = max(0, min(len(self.side_ids) - 1, self.col + cols))

    def action_edge(self, direction: int) -> None:
        self.row = 0 if direction < 0 else max(0, len(self.issues) - 1)

    def action_open(self) -> None:
        if self.cell is not None:
            self.post_message(self.CellChosen(self, self.cell))

    def _layout_widths(self, width: int) -> tuple[int, list[int]]:
        """(issue column, each side column): a side column is as wide as its label (and at least
        its counts); the issue labels get the rest. Only when the issue labels would be cut do the
        side columns give up room, down to what their counts need."""
        counts = 6  # "● 123 "
        names = [self.sides.label(side) + ("*" if side in self.inferred else "") for side in self.side_ids]
        cols = [min(18, max(counts, len(name) + 1)) for name in names]
        longest = max((len(label) for _id, label in self.issues), default=5) + 1
        while width - sum(cols) < longest and any(c > counts for c in cols):
            widest = max(range(len(cols)), key=lambda i: cols[i])
            cols[widest] -= 1
        return max(8, width - sum(cols)), cols

    def render(self) -> Content:
        width = max(20, self.size.width)
        if not self.issues:
            return Content("No statement in this briefing.")
        issue_w, widths = self._layout_widths(width)
        partial = lambda *names: self.get_visual_style(*names, partial=True)  # noqa: E731
        head = [Content.styled("Issue".ljust(issue_w), "bold")]
        for side, col_w in zip(self.side_ids, widths):
            name = self.sides.label(side) + ("*" if side in self.inferred else "")
            label = name[: col_w - 1].ljust(col_w)
            head.append(Content.styled(label, f"bold {self.sides.style(side)}"))
        lines = [Content("").join(head)]
        for r, (issue_id, label) in enumerate(self.issues):
            parts = [Content(label[: issue_w - 1].ljust(issue_w))]
            for c, (side, col_w) in enumerate(zip(self.side_ids, widths)):
                cell = self.cells.get((issue_id, side))
                n = len(cell.statements) if cell is not None else 0
                text = (f"● {n}" if n else "·").ljust(col_w - 1)[: col_w - 1] + " "
                style = self.sides.style(side) if n else MUTED
                piece = Content.styled(text, style)
                if r == self.row and c == self.col:
                    piece = piece.stylize(partial("grid--cursor"), 0, col_w - 1)
                parts.append(piece)
            lines.append(Content("").join(parts))
        return Content("\n").join(lines)

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(1, len(self.issues) + 1)

    async def _on_click(self, event: events.Click) -> None:
        if not self.issues:
            return
        issue_w, widths = self._layout_widths(max(20, self.size.width))
        r = event.y - 1
        x, c = event.x - 1 - issue_w, 0
        while c < len(widths) and x >= widths[c]:
            x, c = x - widths[c], c + 1
        if 0 <= r < len(self.issues) and 0 <= x and c < len(self.side_ids):
            if (r, c) == (self.row, self.col):
                self.action_open()
            self.row, self.col = r, c


class StatementList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="statements.down-vi", tooltip="Next statement"),
        Binding("k", "cursor_up", "Up", show=False, id="statements.up-vi", tooltip="Previous statement"),
        Binding("g", "first", "First", show=False, id="statements.first-vi", tooltip="First statement"),
        Binding("G", "last", "Last", show=False, id="statements.last-vi", tooltip="Last statement (or the entry listing more)"),
        Binding("enter", "select", "Go to passage", id="statements.open", tooltip="Open this statement's passage in the article pane"),
    ]

    DEFAULT_CSS = """
    StatementList { height: 1fr; max-height: 100%; border: none; padding: 0; }
    StatementList:focus { border: none; }
    """

    PAGE: ClassVar[int] = 100  # statements listed at a time; an OptionList measures every one it holds
    MORE_ID: ClassVar[str] = "more"

    def __init__(self, **kwargs: Any):
        super().__init__(markup=False, **kwargs)
        self.statements: list[Any] = []
        self.render_statement: Callable[[Any], Content] = lambda st: Content(str(st))

    @property
    def shown(self) -> int:
        """How many statements are listed (the rest wait behind the last, "more", entry)."""
        return self.option_count - (1 if self._has_more() else 0)

    def _has_more(self) -> bool:
        return bool(self.option_count) and self.get_option_at_index(self.option_count - 1).id == self.MORE_ID

    def show(self, statements: list[Any]) -> None:
        """List `statements`, the first PAGE of them: a cell of a 10,000-article briefing holds
        thousands, and measuring them all froze the reader for seconds."""
        self.statements = list(statements)
        self.clear_options()
        self.show_more()
        if self.option_count:
            self.highlighted = 0

    def show_more(self) -> None:
        start = self.shown
        if self._has_more():
            self.remove_option(self.MORE_ID)
        chunk = self.statements[start : start + self.PAGE]
        options = [Option(self.render_statement(st), id=f"s{start + i}") for i, st in enumerate(chunk)]
        left = len(self.statements) - start - len(chunk)
        if left > 0:
            more = min(left, self.PAGE)
            options.append(Option(Content.styled(f"▸ {more} more of {left} (Enter)", f"italic {MUTED}"), id=self.MORE_ID))
        self.add_options(options)


class PositionsPane(Vertical):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back to grid", id="positions.back", tooltip="From the statements back to the grid"),
        Binding("e", "evidence", "Evidence", show=False, id="positions.evidence",
                tooltip="Show (or hide) the words that put this statement's speaker on its side"),
    ]

    DEFAULT_CSS = """
    PositionsPane { height: 1fr; }
    PositionsPane > #positions-note { height: auto; padding: 0 1; color: $text-muted; }
    PositionsPane > #statements-head { height: auto; padding: 0 1; color: $text-muted; border-top: solid $border-blurred; }
    PositionsPane > #positions-inferred { height: auto; padding: 0 1; color: $text-muted; }
    PositionsPane > #evidence { height: auto; max-height: 8; padding: 0 1; border-top: solid $border-blurred; }
    """

    @dataclass(eq=False, repr=False)
    class EvidenceShown(Message):
        """`e`: the evidence of a statement's speaker is on screen (empty: none was found)."""

        pane: "PositionsPane"
        speaker: str | None
        side: str | None
        evidence: list[Any]

        @property
        def control(self) -> "PositionsPane":
            return self.pane

    class StatementChosen(PassageRequested):
        """Enter on a statement: go to its passage."""

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.positions: Any = None
        self.articles: dict[str, Any] = {}
        self.evidence_of: Callable[[str | None], list[Any]] = lambda _speaker: []

    def compose(self) -> Any:
        yield Static(Content("Finding positions…"), id="positions-note")
        yield Static(Content(""), id="positions-inferred")
        yield PositionsGrid(id="positions-grid")
        yield Static(Content(""), id="statements-head")
        yield StatementList(id="statements")
        yield Static(Content(""), id="evidence")

    def on_mount(self) -> None:
        self.query_one("#positions-inferred").display = False
        self.query_one("#evidence").display = False

    @property
    def grid(self) -> PositionsGrid:
        return self.query_one(PositionsGrid)

    @property
    def statements(self) -> StatementList:
        return self.query_one(StatementList)

    def show_unavailable(self, text: str = "Positions are not available for this briefing.") -> None:
        self.positions = None
        self.query_one("#positions-note", Static).update(Content(text))
        self.query_one("#positions-note").display = True
        self.grid.display = False
        self.query_one("#statements-head").display = False
        self.statements.display = False
        self.query_one("#positions-inferred").display = False
        self.query_one("#evidence").display = False

    def set_positions(self, positions: Any, articles: dict[str, Any], sides: Iterable[Any],
                      evidence: Callable[[str | None], list[Any]] | None = None) -> None:
        """`sides` as the analysis' manifest has them (inferred ones marked); `evidence(speaker)`
        gives the words that placed a speaker (briefing.index.analysis.Analysis.evidence)."""
        if positions is None:
            self.show_unavailable()
            return
        self.positions = positions
        self.articles = articles
        self.evidence_of = evidence or (lambda _speaker: [])
        sides = list(sides)
        inferred = set(getattr(positions, "inferred_sides", ()) or ()) | {s.id for s in sides if getattr(s, "inferred", False)}
        issues_inferred = bool(getattr(positions, "inferred_issues", False))
        cells = list(positions.cells())
        self.query_one("#positions-note").display = False
        self.grid.display = True
        self.query_one("#statements-head").display = True
        self.statements.display = True
        names = SideNames(sides)
        for side_id, label in positions.sides:
            names.labels.setdefault(side_id, label)
        self.grid.set_cells(cells, names, inferred)
        note = self.query_one("#positions-inferred", Static)
        found = [what for what, yes in (("sides", inferred), ("issues", issues_inferred)) if yes]
        if found:
            note.update(Content(f"{' and '.join(found).capitalize()} inferred from the text (no briefing.toml says them)"
                                + (": * marks a side" if inferred else "") + " · e: a speaker's evidence"))
        note.display = bool(found)
        if not cells:
            self.show_unavailable("No positions were found in this briefing.")

    @on(PositionsGrid.CellHighlighted)
    def _cell_highlighted(self, event: PositionsGrid.CellHighlighted) -> None:
        event.stop()
        self._show_cell(event.cell)

    @on(PositionsGrid.CellChosen)
    def _cell_chosen(self, event: PositionsGrid.CellChosen) -> None:
        """Open the cell: its statements take the grid's place until Esc."""
        event.stop()
        if self.statements.statements:
            self.grid.display = False
            self.query_one("#statements-head", Static).update(Content(self._head(event.cell, opened=True)))
            focus_now(self.statements)

    def _head(self, cell: Any, opened: bool) -> str:
        n = len(cell.statements)
        text = f"{cell.issue_label} — {self.grid.sides.label(cell.side)}: {n} statement{'s' if n != 1 else ''}"
        if n:
            text += " · Enter reads one, Esc returns to the grid" if opened else " · Enter opens them"
        return text

    def _show_cell(self, cell: Any) -> None:
        head = self.query_one("#statements-head", Static)
        lst = self.statements
        if cell is None:
            lst.statements = []
            lst.clear_options()
            head.update(Content("Nothing recorded for this side on this issue."))
            return
        head.update(Content(self._head(cell, opened=False)))
        lst.render_statement = self._render_statement
        lst.show(cell.statements)

    def _render_statement(self, st: Any) -> Content:
        article = self.articles.get(st.source)
        where = st.outlet or (article.outlet if article else None) or st.source
        also = [o for o in (st.outlets or []) if o != where]
        meta = Content.styled(
            f"{st.speaker or 'unattributed'} · {where} ¶{st.paragraph}" + (f" · also {', '.join(also)}" if also else ""),
            MUTED,
        )
        said = Content(f"“{st.text}”" if st.kind != "reported" else st.text)
        return Content("\n").join([said, meta])

    def on_descendant_focus(self, event) -> None:
        if event.widget is self.grid:
            self.grid.display = True

    @on(OptionList.OptionSelected, "#statements")
    def _statement_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        lst = self.statements
        if event.option.id == StatementList.MORE_ID:
            at = lst.shown
            lst.show_more()
            lst.highlighted = at
            return
        sts = lst.statements
        if 0 <= event.option_index < len(sts):
            st = sts[event.option_index]
            self.post_message(self.StatementChosen(Passage(st.source, st.paragraph, ((st.start, st.end),))))

    def action_back(self) -> None:
        self.grid.display = True
        if self.grid.cell is not None:
            self.query_one("#statements-head", Static).update(Content(self._head(self.grid.cell, opened=False)))
        focus_now(self.grid)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.statements.has_focus
        if action == "evidence":
            return self.positions is not None
        return True

    def _current_statement(self) -> Any:
        """The highlighted statement, in the list or (from the grid) the cell's headline."""
        lst = self.statements
        if lst.has_focus and lst.highlighted is not None and 0 <= lst.highlighted < len(lst.statements):
            option = lst.get_option_at_index(lst.highlighted)
            if option.id != StatementList.MORE_ID:
                return lst.statements[lst.highlighted]
        cell = self.grid.cell
        return cell.headline if cell is not None else None

    def action_evidence(self) -> None:
        """Show the words that put the current statement's speaker on its side; again: hide."""
        box = self.query_one("#evidence", Static)
        if box.display:
            box.display = False
            return
        st = self._current_statement()
        if st is None:
            box.update(Content("No statement here: move to a cell with statements."))
            box.display = True
            return
        evidence = list(self.evidence_of(st.speaker))
        box.update(self._evidence_content(st, evidence))
        box.display = True
        self.post_message(self.EvidenceShown(self, st.speaker, st.side, evidence))

    def _evidence_content(self, st: Any, evidence: list[Any]) -> Content:
        """Untrusted words (names, roles, labels) as plain Content, never parsed as markup."""
        side = self.grid.sides.label(st.side) if st.side and st.side != "unknown" else "no side"
        mark = " (inferred)" if st.side in self.grid.inferred else ""
        head = Content.styled(f"{st.speaker or 'Unattributed'} · {side}{mark}", "bold")
        lines = [head]
        if not st.speaker:
            lines.append(Content.styled("Nobody is named for this statement.", MUTED))
        elif not evidence:
            lines.append(Content.styled("No words in the text place this speaker" + (
                f"; the side comes from the cue words of {side}" if st.side and st.side != "unknown" else ""), MUTED))
        for e in evidence[:6]:
            how = {"world": "country or body", "party": "party", "organisation": "organisation",
                   "relation": "relation", "manifest": "briefing.toml", "cue": "cue word"}.get(e.how, e.how)
            where = f" · {e.source}" if getattr(e, "source", None) else ""
            lines.append(Content(f"“{e.words}” → {e.cue}").append(Content.styled(f"  ({how}{where})", MUTED)))
        return Content("\n").join(lines)
