"""The quotes pane: who said what, grouped by utterance (one entry for every outlet's version of a
sentence) or by speaker; filters; the selected entry's variants with the words that differ marked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Iterable

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from briefing.tui import messages
from briefing.tui.messages import Passage, PassageRequested
from briefing.tui.widgets import focus_now
from briefing.tui.widgets.styles import MUTED, SideNames
from briefing.tui.widgets.vlist import VirtualList

if TYPE_CHECKING:
    from briefing.tui.screens.filters import Choice  # the picker's module loads with the analysis

META = MUTED
DIFF = "bold underline $text-warning"
DROPPED = "‸"  # where the reference has words this version lacks


@dataclass(frozen=True)
class Row:
    """A row of the quote list: a speaker heading, or an utterance (a group, with the quotes shown)."""

    kind: str  # "speaker" | "group"
    key: str
    quotes: tuple[Any, ...]  # the group's quotes that pass the filters (or the speaker's)
    speaker: Any = None
    group: Any = None


def version_content(text: str, diff: Any) -> Content:
    """A version's text in quotation marks with the engine's word differences drawn: changed,
    added and moved words underlined, a ‸ where the reference's words are missing. `diff` is the
    engine's WordDiff (briefing.index.quotes.groups), or None for the reference. Nothing here
    compares words: the engine did."""
    if diff is None:
        return Content(f"“{text}”")
    pieces: list[Content] = [Content("“")]
    at = 0
    for change in sorted(diff.changes, key=lambda c: (c.start, c.end)):
        start, end = max(at, change.start), max(at, change.end)
        pieces.append(Content(text[at:start]))
        if end > start:
            pieces.append(Content.styled(text[start:end], DIFF))
        else:
            pieces.append(Content.styled(DROPPED, DIFF))
        at = end
    pieces.append(Content(text[at:]))
    pieces.append(Content("”"))
    return Content("").join(pieces)


class QuoteList(VirtualList):
    ROW_HEIGHT: ClassVar[int] = 2


    @dataclass(eq=False, repr=False)
    class RowHighlighted(Message):
        quote_list: "QuoteList"
        row: Row

        @property
        def control(self) -> "QuoteList":
            return self.quote_list

    @dataclass(eq=False, repr=False)
    class RowChosen(Message):
        quote_list: "QuoteList"
        row: Row

        @property
        def control(self) -> "QuoteList":
            return self.quote_list

    def __init__(self, **kwargs: Any):
        super().__init__(empty="Finding quotes…", **kwargs)
        self.rows: list[Row] = []
        self.sides = SideNames()
        self.outlets: dict[str, str | None] = {}

    def set_rows(self, rows: list[Row], cursor: int = 0, empty: str = "No quote matches these filters.") -> None:
        self.rows = rows
        self.set_empty_text(empty)
        self.set_count(len(rows), cursor=cursor)

    def render_row(self, index: int) -> Content:
        row = self.rows[index]
        meta = META
        if row.kind == "speaker":
            s = row.speaker
            side_style = self.sides.style(s.side)
            n = len(row.quotes)
            described = getattr(s, "kind", None) == "description"
            return Content.assemble(
                ("■ ", side_style),
                (s.name, "italic" if described else "bold"),
                "\n  ",
                ("described, not named · " if described else "", meta),
                (f"{s.role} · " if s.role and not described else "", meta),
                (self.sides.label(s.side), side_style),
                (f" · {n} quote{'s' if n != 1 else ''}", meta),
            )
        first = row.quotes[0]
        outlets = sorted({self.outlets.get(q.source) or q.source for q in row.quotes})
        speakers = sorted({q.speaker or "speaker unknown" for q in row.quotes})
        side_style = self.sides.style(first.side)
        n = len(row.group.quotes) if row.group is not None else len(row.quotes)
        return Content.assemble(
            ("  " if self._indented else "", ""),
            (f"“{first.text}”", side_style),
            "\n  " + ("  " if self._indented else ""),
            (" / ".join(speakers), "bold"),
            (" · ", meta),
            (self.sides.label(first.side), side_style),
            (f" · {n} version{'s' if n != 1 else ''}" if n > 1 else f" · {outlets[0] if outlets else ''}", meta),
        )

    @property
    def _indented(self) -> bool:
        return any(r.kind == "speaker" for r in self.rows[:1])

    def announce_highlight(self, index: int) -> None:
        if 0 <= index < len(self.rows):
            self.post_message(self.RowHighlighted(self, self.rows[index]))

    def announce_select(self, index: int) -> None:
        if 0 <= index < len(self.rows):
            self.post_message(self.RowChosen(self, self.rows[index]))


class VariantList(OptionList):
    """Every outlet's version of the selected utterance; Enter goes to that outlet's passage."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="variants.down-vi", tooltip="Next version"),
        Binding("k", "cursor_up", "Up", show=False, id="variants.up-vi", tooltip="Previous version"),
        Binding("enter", "select", "Go to passage", id="variants.open", tooltip="Open this version's passage in the article pane"),
    ]

    DEFAULT_CSS = """
    VariantList { height: 1fr; max-height: 100%; border: none; padding: 0; background: $surface; }
    VariantList:focus { border: none; }
    """

    def __init__(self, **kwargs: Any):
        super().__init__(markup=False, **kwargs)
        self.quotes: list[Any] = []


class FilterBar(Widget):
    """`Speaker: all · Side: Russia · Outlet: all` — one line; a click (or f) opens the picker."""

    DEFAULT_CSS = """
    FilterBar { height: 1; padding: 0 1; background: $boost; }
    """

    @dataclass(eq=False, repr=False)
    class Clicked(Message):
        bar: "FilterBar"

        @property
        def control(self) -> "FilterBar":
            return self.bar

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self._text = Content.assemble(("Filter: ", MUTED), "every quote", (" (f)", MUTED))

    def show(self, filters: dict[str, str | None], sides: SideNames) -> None:
        parts: list[Any] = [("Filter: ", MUTED)]
        on = [(name, value) for name, value in filters.items() if value]
        if not on:
            parts.append("every quote")
        for i, (name, value) in enumerate(on):
            shown = sides.label(value) if name == "side" else value
            parts += [(" · " if i else "", MUTED), (f"{name} ", MUTED), (shown, "bold $accent")]
        parts.append((" (f changes, x clears)" if on else " (f)", MUTED))
        self._text = Content.assemble(*parts)
        self.refresh()

    def render(self) -> Content:
        return self._text

    def on_click(self) -> None:
        self.post_message(self.Clicked(self))


class QuotesPane(Vertical):
    """Quotes: filters, the list, and the selected entry's versions."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "toggle_grouping", "Group", id="quotes.group", tooltip="Group quotes by utterance or by speaker"),
        Binding("f", "filter", "Filter", id="quotes.filter", tooltip="Filter by speaker, side or outlet"),
        Binding("x", "clear_filters", "Clear filters", show=False, id="quotes.clear", tooltip="Show every quote again"),
        Binding("v,right,l", "variants", "Versions", show=False, id="quotes.variants", tooltip="Move to the list of versions"),
        Binding("escape", "back", "Back to list", id="quotes.back", tooltip="From the versions back to the quote list"),
        Binding("b", "bookmark", "Bookmark", id="quotes.bookmark", tooltip="Bookmark the selected quote (the version under the cursor, or this source's)"),
        Binding("a", "annotate", "Annotate", show=False, id="quotes.annotate", tooltip="Note and tags for the bookmark of the selected quote"),
        Binding("y", "copy", "Copy", show=False, id="quotes.copy", tooltip="Copy the selected quote with its citation"),
    ]

    DEFAULT_CSS = """
    QuotesPane { height: 1fr; }
    QuotesPane > QuoteList { height: 3fr; }
    QuotesPane > #quote-detail { height: 2fr; border-top: solid $border-blurred; }
    QuotesPane > #quote-detail > #variant-head { height: auto; color: $text-muted; padding: 0 1; }
    """

    by_speaker: reactive[bool] = reactive(False, init=False)

    class QuoteChosen(PassageRequested):
        """Enter on a quote or one of its versions: go to its passage, quote marked."""

    class BookmarkRequested(messages.BookmarkRequested):
        """b: bookmark the selected quote (kind "quote", its span)."""

    class AnnotateRequested(messages.AnnotateRequested):
        """a: note and tags for the bookmark of the selected quote."""

    class CopyRequested(messages.CopyRequested):
        """y: copy the selected quote with its citation."""

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.analysis: Any = None
        self.articles: dict[str, Any] = {}
        self.sides = SideNames()
        self.current_source: str | None = None
        self._filters: dict[str, str | None] = {"speaker": None, "side": None, "outlet": None}
        self._row: Row | None = None
        self._groups: dict[str, Any] = {}
        self._versions: dict[str, tuple[Any, ...]] = {}
        self._choices: list[Choice] = []

    def compose(self):
        yield FilterBar(id="quote-filters")
        yield QuoteList(id="quote-list")
        with Vertical(id="quote-detail"):
            yield Static(Content(""), id="variant-head")
            yield VariantList(id="variants")

    @property
    def quote_list(self) -> QuoteList:
        return self.query_one(QuoteList)

    @property
    def variants(self) -> VariantList:
        return self.query_one(VariantList)

    # ---- data ------------------------------------------------------------------------------
    def show_unavailable(self, text: str) -> None:
        self.analysis = None
        self.quote_list.set_rows([], empty=text)
        self._show_detail(None)

    def set_analysis(self, analysis: Any, articles: dict[str, Any], sides: Iterable[Any]) -> None:
        """`analysis` is the engine's QuoteAnalysis (quotes, speakers, groups, filter())."""
        self.analysis = analysis
        self.articles = articles
        self.sides = SideNames(sides)
        self.quote_list.sides = self.sides
        self.quote_list.outlets = {a.id: a.outlet for a in articles.values()}
        self._groups = {g.id: g for g in analysis.groups}
        self._versions = {g.id: tuple(g.quotes) for g in analysis.groups}
        self._choices = self._filter_choices(analysis, articles)
        self._rebuild()

    def _filtered(self) -> list[Any]:
        f = self._filters
        if f["speaker"] or f["side"]:
            quotes = list(self.analysis.filter(speaker=f["speaker"], side=f["side"]))
        else:
            quotes = list(self.analysis.quotes)
        if f["outlet"]:
            sources = {a.id for a in self.articles.values() if a.outlet == f["outlet"]}
            quotes = [q for q in quotes if q.source in sources]
        return quotes

    def _rebuild(self) -> None:
        if self.analysis is None:
            return
        quotes = self._filtered()
        # With no filter every version of a group is shown: no set to test each against.
        wanted = {q.id for q in quotes} if any(self._filters.values()) else None
        rows: list[Row] = []
        if self.by_speaker:
            by_name: dict[str | None, list[Any]] = {}
            for q in quotes:
                by_name.setdefault(q.speaker, []).append(q)
            speakers = [s for s in self.analysis.speakers if s.name in by_name]
            for s in speakers:
                qs = by_name[s.name]
                row_key = f"speaker:{s.name}"
                if getattr(s, "kind", None) == "description":
                    # a description is one article's source: another article's "a senior
                    # official" is someone else, under a heading of its own
                    qs = [q for q in qs if q.speaker_kind == "description" and q.source in s.sources]
                    row_key = f"speaker:{s.name}:{','.join(s.sources)}"
                    if not qs:
                        continue
                rows.append(Row("speaker", row_key, tuple(qs), speaker=s))
                rows.extend(self._group_rows(qs, wanted))
            if None in by_name:
                unknown = _UnknownSpeaker()
                rows.append(Row("speaker", "speaker:?", tuple(by_name[None]), speaker=unknown))
                rows.extend(self._group_rows(by_name[None], wanted))
        else:
            rows = self._group_rows(quotes, wanted)
        cursor = 0
        key = self._row.key if self._row else None
        if key:
            cursor = next((i for i, r in enumerate(rows) if r.key == key), 0)
        total = len(self.analysis.quotes)
        filtered = any(self._filters.values())
        self.quote_list.set_rows(rows, cursor=cursor, empty="No quote matches these filters (x clears them)." if filtered else "No quote found in this briefing.")
        self.refresh_bindings()  # x (clear filters) is offered only when a filter is on
        mode = "by speaker" if self.by_speaker else "by utterance"
        self.border_subtitle = f"{mode} · {len(quotes)} of {total} (s)"
        if not rows:
            self._show_detail(None)

    def _group_rows(self, quotes: list[Any], wanted: set[str] | None) -> list[Row]:
        """One row per utterance among `quotes`, showing its versions that are `wanted` (None:
        all of them). A wire story's group comes up under each of its speakers: its versions
        are shared, not copied, each time."""
        seen: dict[str, list[Any]] = {}
        order: list[str] = []
        for q in quotes:
            gid = q.group or q.id
            if gid not in seen:
                seen[gid] = []
                order.append(gid)
            seen[gid].append(q)
        rows = []
        for gid in order:
            group = self._groups.get(gid)
            if group is None:
                shown = tuple(seen[gid])
            elif wanted is None:
                shown = self._versions[gid]
            else:
                shown = tuple(q for q in self._versions[gid] if q.id in wanted) or tuple(seen[gid])
            rows.append(Row("group", f"group:{gid}", shown, group=group))
        return rows

    # ---- detail ----------------------------------------------------------------------------
    @on(QuoteList.RowHighlighted)
    def _row_highlighted(self, event: QuoteList.RowHighlighted) -> None:
        event.stop()
        self._show_detail(event.row)

    def _variants_of(self, row: Row) -> list[Any]:
        """The versions of an utterance, the group's reference (its longest marked one) first."""
        if row.kind != "group":
            return list(row.quotes)
        quotes = list(row.group.quotes) if row.group is not None else list(row.quotes)
        reference = row.group.reference
        return sorted(quotes, key=lambda q: q.id != reference)

    def _show_detail(self, row: Row | None) -> None:
        self._row = row
        variants = self.variants
        head = self.query_one("#variant-head", Static)
        if row is None:
            variants.quotes = []
            variants.clear_options()
            head.update(Content(""))
            return
        quotes = self._variants_of(row)
        variants.quotes = quotes
        options = []
        group = row.group if row.kind == "group" else None
        for i, q in enumerate(quotes):
            outlet = self._outlet(q.source)
            diff = group.diff_of(q.id) if group is not None and i > 0 else None
            text = version_content(q.text, diff)
            who = q.speaker or q.speaker_as_given or "speaker unknown"
            line = Content.assemble(
                (outlet, "bold"),
                (" (reference)" if row.kind == "group" and i == 0 and len(quotes) > 1 else "", META),
                (f" ¶{q.paragraph} · ", META),
                (who, ""),
                (f" · {self.sides.label(q.side)}", META),
                ("" if q.marked else " · no quotation marks", META),
            )
            lines = [line, text]
            if diff is not None:
                lines.append(Content.styled(f"  {diff.describe()}", MUTED))
            options.append(Option(Content("\n").join(lines), id=f"v{i}"))
        variants.set_options(options)
        if options:
            variants.highlighted = 0
        if row.kind == "speaker":
            s = row.speaker
            head.update(Content(f"{s.name}: {len(quotes)} quote{'s' if len(quotes) != 1 else ''}. Enter goes to the first; v lists them."))
        else:
            outlets = {self._outlet(q.source) for q in quotes}
            extra = " Words that differ from the reference are underlined, ‸ where words are dropped." if len(quotes) > 1 else ""
            echoes = self._echo_speakers(row.group)
            also = f" Also said by {', '.join(echoes)} (an echo)." if echoes else ""
            head.update(Content(f"{len(quotes)} version{'s' if len(quotes) != 1 else ''} in {len(outlets)} outlet{'s' if len(outlets) != 1 else ''}.{extra}{also}"))

    def _echo_speakers(self, group: Any) -> list[str]:
        """The other speakers who said these words (the engine links their groups as echoes)."""
        names: list[str] = []
        for gid in group.echoes if group is not None else ():
            other = self._groups.get(gid)
            name = (other.speaker if other is not None else None) or "speaker unknown"
            if name not in names:
                names.append(name)
        return names

    def _outlet(self, source: str) -> str:
        article = self.articles.get(source)
        return (article.outlet if article is not None else None) or source

    # ---- choosing --------------------------------------------------------------------------
    def _target(self, quote: Any) -> Passage:
        return Passage(quote.source, quote.paragraph, ((quote.start, quote.end),))

    def selected_quote(self) -> Any:
        """The quote b, a and y act on: the version under the cursor when the versions have the
        focus; otherwise the entry's version in the source being read, or its first."""
        variants = self.variants
        if variants.has_focus and variants.highlighted is not None and 0 <= variants.highlighted < len(variants.quotes):
            return variants.quotes[variants.highlighted]
        if self._row is None:
            return None
        quotes = self._variants_of(self._row)
        here = [q for q in quotes if q.source == self.current_source]
        return (here or quotes or [None])[0]

    def _quote_target(self) -> Passage | None:
        quote = self.selected_quote()
        if quote is None:
            self.notify("No quote selected.", timeout=2)
            return None
        return self._target(quote)

    def action_bookmark(self) -> None:
        target = self._quote_target()
        if target is not None:
            self.post_message(self.BookmarkRequested(target, "quote"))

    def action_annotate(self) -> None:
        target = self._quote_target()
        if target is not None:
            self.post_message(self.AnnotateRequested(target))

    def action_copy(self) -> None:
        target = self._quote_target()
        if target is not None:
            self.post_message(self.CopyRequested(target))

    @on(QuoteList.RowChosen)
    def _row_chosen(self, event: QuoteList.RowChosen) -> None:
        event.stop()
        quotes = self._variants_of(event.row)
        if not quotes:
            return
        here = [q for q in quotes if q.source == self.current_source]
        self.post_message(self.QuoteChosen(self._target(here[0] if here else quotes[0])))

    @on(OptionList.OptionSelected, "#variants")
    def _variant_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        quotes = self.variants.quotes
        if 0 <= event.option_index < len(quotes):
            self.post_message(self.QuoteChosen(self._target(quotes[event.option_index])))

    def show_quote(self, quote: Any) -> None:
        """Select the entry holding `quote` (clearing filters that hide it) and its version."""
        key = f"group:{quote.group or quote.id}"
        if not any(r.key == key for r in self.quote_list.rows):
            self._set_filters(speaker=None, side=None, outlet=None)
        for i, r in enumerate(self.quote_list.rows):
            if r.key == key:
                self.quote_list.move_cursor(i)
                break
        for i, q in enumerate(self.variants.quotes):
            if q.id == quote.id:
                self.variants.highlighted = i
        focus_now(self.quote_list)

    # ---- filters and grouping --------------------------------------------------------------
    def _filter_choices(self, analysis: Any, articles: dict[str, Any]) -> list[Choice]:
        from briefing.tui.screens.filters import Choice

        counts: dict[str, int] = {}
        for q in analysis.quotes:
            counts[q.speaker or ""] = counts.get(q.speaker or "", 0) + 1
        choices = [Choice("clear", None, "Show every quote")]
        offered: set[str] = set()
        for s in sorted(analysis.speakers, key=lambda s: (-counts.get(s.name, 0), s.name)):
            if s.name in offered:
                continue  # "a senior official" of several articles: one choice finds them all
            offered.add(s.name)
            n = counts.get(s.name, 0)
            described = " · described, not named" if getattr(s, "kind", None) == "description" else ""
            choices.append(Choice("speaker", s.name, s.name, f"{n} quote{'s' if n != 1 else ''} · {self.sides.label(s.side)}{described}"))
        side_ids = list(self.sides.order) + sorted({q.side for q in analysis.quotes if q.side and q.side not in self.sides.index})
        choices += [Choice("side", sid, self.sides.label(sid)) for sid in side_ids]
        choices += [Choice("outlet", o, o) for o in sorted({a.outlet for a in articles.values() if a.outlet})]
        return choices

    def _set_filters(self, **values: str | None) -> None:
        for name, value in values.items():
            if name in self._filters:
                self._filters[name] = value
        self.query_one(FilterBar).show(self._filters, self.sides)
        self._rebuild()

    def set_filter(self, **values: str | None) -> None:
        """From the command palette: e.g. set_filter(speaker="Sergei Ryabkov")."""
        self._set_filters(**values)
        focus_now(self.quote_list)

    @property
    def filters(self) -> dict[str, str | None]:
        return dict(self._filters)

    def watch_by_speaker(self, value: bool) -> None:
        self._rebuild()

    def action_toggle_grouping(self) -> None:
        self.by_speaker = not self.by_speaker

    def action_filter(self) -> None:
        from briefing.tui.screens.filters import FilterPicker

        if self.analysis is not None:
            self.app.push_screen(FilterPicker(self._choices), callback=self._picked)

    def _picked(self, choice: Choice | None) -> None:
        if choice is None:
            return
        if choice.kind == "clear":
            self.set_filter(speaker=None, side=None, outlet=None)
        else:
            self.set_filter(**{choice.kind: choice.value})

    @on(FilterBar.Clicked)
    def _bar_clicked(self, event: FilterBar.Clicked) -> None:
        event.stop()
        self.action_filter()

    def action_clear_filters(self) -> None:
        self._set_filters(speaker=None, side=None, outlet=None)

    def action_variants(self) -> None:
        if self.variants.option_count:
            focus_now(self.variants)

    def action_back(self) -> None:
        focus_now(self.quote_list)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filters":
            return any(self._filters.values())
        if action == "back":
            # Only from the versions; in the list, Esc is the reader's "back".
            return not self.quote_list.has_focus
        return True


class _UnknownSpeaker:
    name = "Speaker unknown"
    role = None
    side = None
