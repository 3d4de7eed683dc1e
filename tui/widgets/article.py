"""The article pane: cleaned text with paragraph numbers, quotes by side, a cursor on passages.

Drawn with the line API, and lazily, so an article of any size opens at once (the hostile corpus
has a 10 MB one: 3,400 paragraphs of up to 3,000 characters). A paragraph's height starts as an
estimate from its length; a paragraph is wrapped only when it comes on screen or near the cursor,
once per width (the strips are cached), and its real height then replaces the estimate.
Measuring never moves what is on screen: when a paragraph above the top of the screen turns out
taller or shorter than estimated, the scroll position moves by as much.

Every string from the corpus becomes `Content(text)` (never markup), and styles are added on
character spans, so `[bold]` in an article is shown as those seven characters.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING, Any, ClassVar, Iterable

from textual import events
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget
from textual.widgets import Static

from briefing.tui import messages
from briefing.tui.messages import Passage
from briefing.tui.widgets.styles import MUTED, SideNames
from briefing.tui.widgets.vlist import content_strip

if TYPE_CHECKING:
    from briefing.index.quotes.extract import Quote

TITLE = "bold"
META = MUTED
CAPTION = f"italic {MUTED}"
NUMBER = MUTED
MARKER = "bold $accent"
DIFFERS = "bold $text-error"
BOOKMARK = "★"  # in the gutter, after the paragraph number: a shape, not only a colour
DISCREPANCY = "≠"  # in the gutter, where ★ goes: the outlets disagree on something printed here
SUBHEAD = "bold"
LABEL = "italic"
UNMARKED = "italic"
EMPTY = f"italic {MUTED}"
SELECTION = "reverse"
CLOSING_MARKS = "”’\"'»,.;:!?"  # a side label goes after these when they close a quote
STRIP_CACHE = 600  # blocks of strips kept; more are wrapped again when they come back on screen
EXACT_CHARS = 50_000  # an article up to this long is wrapped whole at once (some 40 ms)

@dataclass(frozen=True)
class _Block:
    """A run of lines: the heading, or one paragraph (`para` is its index) and the blank after it."""

    start: int
    height: int
    para: int | None


class ArticleView(ScrollView, can_focus=True, inherit_bindings=False):
    """One article; the cursor is on a paragraph ("passage")."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Next ¶", show=False, id="article.down", tooltip="Next passage (extends a selection by a sentence)"),
        Binding("j", "cursor_down", "Next ¶", show=False, id="article.down-vi", tooltip="Next passage (scrolls a long one first; extends a selection by a sentence)"),
        Binding("up", "cursor_up", "Prev ¶", show=False, id="article.up", tooltip="Previous passage (shrinks a selection by a sentence)"),
        Binding("k", "cursor_up", "Prev ¶", show=False, id="article.up-vi", tooltip="Previous passage (shrinks a selection by a sentence)"),
        Binding("g", "first", "Top", show=False, id="article.top", tooltip="First passage"),
        Binding("home", "first", "Top", show=False, id="article.top-home", tooltip="First passage"),
        Binding("G", "last", "Bottom", show=False, id="article.bottom", tooltip="Last passage"),
        Binding("end", "last", "Bottom", show=False, id="article.bottom-end", tooltip="Last passage"),
        Binding("space", "page(1)", "Page down", show=False, id="article.page-down", tooltip="One screen down"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="article.page-down-key", tooltip="One screen down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="article.page-up-key", tooltip="One screen up (not b: in the article b bookmarks)"),
        Binding("ctrl+d", "half_page(1)", "Half page down", show=False, id="article.half-down", tooltip="Half a screen down"),
        Binding("ctrl+u", "half_page(-1)", "Half page up", show=False, id="article.half-up", tooltip="Half a screen up"),
        Binding("enter", "open_quote", "Quote", id="article.open-quote", tooltip="Show the quote of this passage in the quotes pane, with its variants"),
        Binding("b", "bookmark", "Bookmark", id="article.bookmark", tooltip="Bookmark this passage, or the selected sentences"),
        Binding("v", "select", "Select", show=False, id="article.select", tooltip="Select sentences of this passage: j/k extend or shrink, h/l move the start, b bookmarks, y copies"),
        Binding("h,left", "selection_start(-1)", "Selection starts earlier", show=False, id="article.select-back", tooltip="While selecting: start the selection a sentence earlier"),
        Binding("l,right", "selection_start(1)", "Selection starts later", show=False, id="article.select-on", tooltip="While selecting: start the selection a sentence later"),
        Binding("escape", "cancel_selection", "Cancel selection", show=False, id="article.select-cancel", tooltip="While selecting: drop the selection"),
        Binding("a", "annotate", "Annotate", show=False, id="article.annotate", tooltip="Note and tags for the bookmark on this passage"),
        Binding("y", "copy", "Copy", show=False, id="article.copy", tooltip="Copy this passage (or the selection) with its citation"),
    ]

    # Few component classes: each is a stylesheet pass whenever the widget is restyled (every
    # focus change). Fixed styles are Content style strings above; theme variables still apply.
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article--cursor",
        "article--cursor-blurred",
        "article--match",
        "article--focus",
    }

    DEFAULT_CSS = """
    ArticleView {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        & > .article--cursor { background: $primary 20%; }
        & > .article--cursor-blurred { background: $primary 8%; }
        & > .article--match { background: $warning 45%; text-style: bold; }
        & > .article--focus { text-style: bold underline reverse; }
    }
    """

    cursor: reactive[int] = reactive(0, init=False)

    @dataclass(eq=False, repr=False)
    class CursorMoved(Message):
        """The passage under the cursor changed (or the article did)."""

        view: "ArticleView"
        article_id: str | None
        paragraph: int  # 1-based n of the passage, 0 when there is no article
        count: int

        @property
        def control(self) -> "ArticleView":
            return self.view

    @dataclass(eq=False, repr=False)
    class QuoteOpened(Message):
        """Enter on a passage that holds a quote: show that quote in the quotes pane."""

        view: "ArticleView"
        quote: "Quote"

        @property
        def control(self) -> "ArticleView":
            return self.view

    @dataclass(eq=False, repr=False)
    class SelectionChanged(Message):
        """A selection of sentences started, changed or ended (`selection` is None)."""

        view: "ArticleView"
        selection: tuple[int, int, int] | None  # (paragraph n, start, end)
        sentences: tuple[int, int]  # (selected, in the paragraph)

        @property
        def control(self) -> "ArticleView":
            return self.view

    class BookmarkRequested(messages.BookmarkRequested):
        """b: bookmark the passage under the cursor, or the selected sentences."""

    class AnnotateRequested(messages.AnnotateRequested):
        """a: note and tags for the bookmark on the passage under the cursor."""

    class CopyRequested(messages.CopyRequested):
        """y: copy the passage under the cursor (or the selection) with its citation."""

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.article: Any = None
        self._message = Content("Opening the briefing…")
        self._quotes: dict[int, list[Any]] = {}  # paragraph n -> quotes in it, by start
        self.sides = SideNames()
        self._matches: dict[int, list[tuple[int, int]]] = {}  # paragraph n -> search match spans
        self._focus: tuple[int, tuple[tuple[int, int], ...]] | None = None  # (paragraph n, spans)
        self._bookmarked: set[int] = set()  # paragraph n with a bookmark
        self._discrepant: set[int] = set()  # paragraph n where a version of a discrepancy is printed
        self._selection: tuple[int, int, int] | None = None  # (paragraph index, first, last sentence)
        self._sentences: list[tuple[int, int]] = []  # of the paragraph being selected in
        # Blocks: 0 is the heading, b is paragraph b - 1 (with the blank line after it).
        self._heights: list[int] = []
        self._measured = bytearray()  # 1: the block's height is its real one, 0: an estimate
        self._starts: list[int] = []
        self._total = 0
        self._width = 0
        self._strips: dict[tuple[int | None, bool], list[Strip]] = {}
        self.max_width = 80  # the widest line of text (columns, 0: no limit); wider panes centre it

    # ---- what is shown ---------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        """No article: say why (loading, failed, empty corpus)."""
        self.article = None
        self._selection = None
        self._message = Content(text)
        self._relayout()
        self._announce()

    def set_max_width(self, columns: int) -> None:
        """Lines of text at most `columns` wide (0: as wide as the pane)."""
        if columns != self.max_width:
            self.max_width = max(0, columns)
            self._relayout(keep_top=True)

    def _columns(self) -> tuple[int, int]:
        """(left margin, text width) for the current width: the text is at most `max_width`
        wide, and centred when the pane is wider."""
        room = max(1, self._width - self._gutter_width())
        text = min(room, self.max_width) if self.max_width else room
        return (room - text) // 2, text

    def _place(self, strip: Strip, margin: int, base: Any) -> Strip:
        """A line of the text column put at `margin` and padded to the pane's width."""
        if margin > 0:
            strip = Strip.join([Strip.blank(margin, base.rich_style), strip])
        return strip.extend_cell_length(self._width, base.rich_style)

    def set_sides(self, sides: Iterable[Any]) -> None:
        self.sides = SideNames(sides)
        self._relayout(keep_top=True)  # side labels are part of the text: heights change

    def show_article(self, article: Any, quotes: Iterable[Any] = (), paragraph: int | None = None) -> None:
        """Show an article; the cursor goes to `paragraph` (1-based), or stays at the top."""
        same = self.article is not None and article is not None and self.article.id == article.id
        self.article = article
        self.set_quotes(quotes, refresh=False)
        if not same:
            self._heights = []  # the old article's: nothing may measure them against this one
            self._strips.clear()
            self._focus = None
            self._matches = {}
            self._bookmarked = set()
            self._discrepant = set()
            self._end_selection(announce=False)
            self.scroll_to(y=0, animate=False, immediate=True)
        self._relayout(keep_top=same)
        target = (paragraph - 1) if paragraph else (self.cursor if same else 0)
        self.set_reactive(ArticleView.cursor, self._clamp(target))
        self._after_cursor_move(center=paragraph is not None)

    def set_quotes(self, quotes: Iterable[Any], refresh: bool = True) -> None:
        by_par: dict[int, list[Any]] = {}
        for q in quotes:
            by_par.setdefault(q.paragraph, []).append(q)
        for qs in by_par.values():
            qs.sort(key=lambda q: (q.start, q.end))
        self._quotes = by_par
        if refresh:
            self._relayout(keep_top=True)  # side labels after quotes: heights change

    def quotes_at(self, paragraph: int | None = None) -> list[Any]:
        """Quotes in a passage (default: the one under the cursor)."""
        if self.article is None:
            return []
        n = paragraph if paragraph is not None else self.cursor + 1
        return list(self._quotes.get(n, []))

    def set_bookmarked(self, paragraphs: Iterable[int]) -> None:
        """Mark these passages (1-based n) as bookmarked in the gutter."""
        marked = set(paragraphs)
        if marked != self._bookmarked:
            self._bookmarked = marked
            self._invalidate()

    def is_bookmarked(self, paragraph: int) -> bool:
        return paragraph in self._bookmarked

    def set_discrepancies(self, paragraphs: Iterable[int]) -> None:
        """Mark these passages (1-based n) in the gutter: the outlets disagree on what they print
        (the Compare view, c, lists each discrepancy)."""
        marked = set(paragraphs)
        if marked != self._discrepant:
            self._discrepant = marked
            self._invalidate()

    def has_discrepancy(self, paragraph: int) -> bool:
        return paragraph in self._discrepant

    # ---- search matches and jump marks -----------------------------------------------------
    def set_matches(self, hits: Iterable[Any]) -> None:
        """Mark every search match (hits of the shown article); n/N go through them."""
        matches: dict[int, list[tuple[int, int]]] = {}
        if self.article is not None:
            for hit in hits:
                if hit.source == self.article.id and 1 <= hit.paragraph <= len(self.article.paragraphs):
                    matches.setdefault(hit.paragraph, []).extend(tuple(s) for s in hit.highlights)
        self._matches = matches
        self._invalidate()

    def clear_marks(self) -> None:
        self._matches = {}
        self._focus = None
        self._invalidate()

    @property
    def has_marks(self) -> bool:
        return bool(self._matches or self._focus)

    @property
    def _match_order(self) -> list[int]:
        """Paragraph indexes (0-based) with a search match, in reading order."""
        return sorted(n - 1 for n in self._matches)

    def match_position(self) -> tuple[int, int]:
        """(i, N): the cursor is on the i-th of N matching passages (i = 0 when not on one)."""
        order = self._match_order
        if self.cursor in order:
            return order.index(self.cursor) + 1, len(order)
        return 0, len(order)

    def next_match(self, direction: int = 1) -> bool | None:
        """Move to the next (or previous) matching passage. None: no match; True: wrapped around."""
        order = self._match_order
        if not order:
            return None
        if direction > 0:
            after = [i for i in order if i > self.cursor]
            target, wrapped = (after[0], False) if after else (order[0], True)
        else:
            before = [i for i in order if i < self.cursor]
            target, wrapped = (before[-1], False) if before else (order[-1], True)
        self.cursor = target
        self.scroll_to_cursor(center=True)
        return wrapped

    def show_passage(self, paragraph: int, spans: Iterable[tuple[int, int]] = ()) -> None:
        """Cursor to a passage (1-based) and mark spans in it (a quote, a search hit)."""
        marks = tuple((s[0], s[1]) for s in spans)
        self._focus = (paragraph, marks) if marks else None
        self._invalidate()
        self.cursor = self._clamp(paragraph - 1)
        self.scroll_to_cursor(center=True)

    # ---- selecting sentences ---------------------------------------------------------------
    @property
    def selecting(self) -> bool:
        return self._selection is not None

    @property
    def selection(self) -> tuple[int, int, int] | None:
        """(paragraph n, start, end) of the selected sentences, or None."""
        if self._selection is None or self.article is None:
            return None
        index, first, last = self._selection
        return index + 1, self._sentences[first][0], self._sentences[last][1]

    def action_select(self) -> None:
        """v: select the first sentence of the passage under the cursor (v again: stop)."""
        if self._selection is not None:
            self._end_selection()
            return
        if self.article is None or not self.count:
            return
        from briefing.index.text import sentence_spans  # the engine's sentence rule, loaded on first use

        self._sentences = sentence_spans(self.article.paragraphs[self.cursor].text)
        self._selection = (self.cursor, 0, 0)
        self._selection_changed()

    def _extend_selection(self, step: int) -> None:
        if self._selection is None:
            return
        index, first, last = self._selection
        last = max(first, min(len(self._sentences) - 1, last + step))
        if (index, first, last) == self._selection:
            where = "end" if step > 0 else "first sentence"
            self.notify(f"The selection is at the {where} of this passage.", timeout=2)
            return
        self._selection = (index, first, last)
        self._selection_changed()

    def action_selection_start(self, step: int) -> None:
        if self._selection is None:
            return
        index, first, last = self._selection
        first = max(0, min(len(self._sentences) - 1, first + step))
        last = max(last, first)
        self._selection = (index, first, last)
        self._selection_changed()

    def action_cancel_selection(self) -> None:
        self._end_selection()

    def _end_selection(self, announce: bool = True) -> None:
        if self._selection is None:
            return
        self._selection = None
        self._sentences = []
        if announce:
            self._selection_changed()

    def _selection_changed(self) -> None:
        self._invalidate()
        self.refresh_bindings()  # Esc, h and l work only while selecting
        count = (0, 0)
        if self._selection is not None:
            count = (self._selection[2] - self._selection[1] + 1, len(self._sentences))
        self.post_message(self.SelectionChanged(self, self.selection, count))

    # ---- bookmarks and copying -------------------------------------------------------------
    def _target(self) -> Passage | None:
        if self.article is None or not self.count:
            return None
        selection = self.selection
        if selection is not None:
            n, start, end = selection
            return Passage(self.article.id, n, ((start, end),))
        return Passage(self.article.id, self.cursor + 1)

    def action_bookmark(self) -> None:
        target = self._target()
        if target is None:
            return
        self.post_message(self.BookmarkRequested(target, "selection" if target.spans else "paragraph"))
        self._end_selection()

    def action_annotate(self) -> None:
        target = self._target()
        if target is not None:
            self.post_message(self.AnnotateRequested(target))

    def action_copy(self) -> None:
        target = self._target()
        if target is not None:
            self.post_message(self.CopyRequested(target))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("cancel_selection", "selection_start"):
            return self._selection is not None  # otherwise Esc is the reader's "back"
        return True

    # ---- layout ----------------------------------------------------------------------------
    @property
    def count(self) -> int:
        return len(self.article.paragraphs) if self.article is not None else 0

    def _clamp(self, value: int) -> int:
        return max(0, min(value, self.count - 1)) if self.count else 0

    def _invalidate(self) -> None:
        """Styles changed, not the text: draw again, heights stay."""
        self._strips.clear()
        self.refresh()

    def _relayout(self, keep_top: bool = False) -> None:
        """The text changed (another article, side labels): estimate the heights again.

        `keep_top`: the passage at the top of the screen stays there.
        """
        anchor = None
        if keep_top and self._heights:
            top = round(self.scroll_offset.y)
            b = self._block_at(top)
            anchor = (b, top - self._starts[b])
        self._width = 0  # recomputed at the next render with the real width
        self._heights = []
        self._strips.clear()
        self._layout()
        if anchor is not None and self._heights:
            b, offset = anchor
            if b < len(self._heights):
                self._measure(b)
                self._set_top(self._starts[b] + min(offset, self._heights[b] - 1))
        self.refresh()

    def _gutter_width(self) -> int:
        return len(str(max(1, self.count))) + 3  # marker, number, bookmark mark, space

    def _layout(self) -> None:
        """Estimated heights for the current width (nothing is wrapped but the heading)."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        if width == self._width and self._heights:
            return
        self._width = width
        self._strips.clear()
        heights = [len(self._render_block(None, False))]
        size = 0
        if self.article is not None:
            text_width = self._columns()[1]
            extra = {n: sum(len(self.sides.label(q.side)) + 3 for q in qs) for n, qs in self._quotes.items()}
            # Wrapping at word boundaries leaves about a tenth of each line empty.
            room = max(1, text_width * 9)
            for p in self.article.paragraphs:
                chars = len(p.text) + extra.get(p.n, 0)
                size += chars
                heights.append(max(1, -(-chars * 10 // room)) + 1)
        self._heights = heights
        self._measured = bytearray(len(heights))
        self._measured[0] = 1
        self._starts = []
        if size <= EXACT_CHARS:  # an ordinary article: real heights (and scrollbar) from the start
            for b in range(1, len(heights)):
                self._fit(b)
        self._restack(0)

    def _restack(self, first: int) -> None:
        """Block starts from block `first` on, after heights changed there."""
        starts = self._starts
        del starts[first:]
        base = starts[-1] + self._heights[first - 1] if first else 0
        starts.extend(accumulate(self._heights[first:-1], initial=base))
        self._total = base + sum(self._heights[first:])
        self.virtual_size = Size(self._width, self._total)

    def _block_at(self, y: int) -> int:
        return max(0, bisect_right(self._starts, y) - 1)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height)

    def _fit(self, b: int) -> int:
        """Wrap block `b` if its height is an estimate; the change in its height."""
        if self._measured[b]:
            return 0
        self._measured[b] = 1
        height = len(self._render_block(b - 1 if b else None, False))
        delta = height - self._heights[b]
        self._heights[b] = height
        return delta

    def _measure(self, first: int, down: int = 0, up: int = 0) -> None:
        """Real heights for block `first`, the blocks after it that fill `down` lines and the blocks
        before it that fill `up` lines. What is on screen stays where it is."""
        n = len(self._heights)
        if not n:
            return
        first = max(0, min(first, n - 1))
        top = round(self.scroll_offset.y)
        changed: int | None = None
        shift = 0

        def fit(b: int) -> None:
            nonlocal changed, shift
            old_end = self._starts[b] + self._heights[b]  # the starts are those before this call
            delta = self._fit(b)
            if delta:
                changed = b if changed is None else min(changed, b)
                if old_end <= top:
                    shift += delta

        fit(first)
        b, filled = first + 1, self._heights[first]
        while b < n and filled < down:
            fit(b)
            filled += self._heights[b]
            b += 1
        b, filled = first - 1, 0
        while b >= 0 and filled < up:
            fit(b)
            filled += self._heights[b]
            b -= 1
        if changed is not None:
            self._restack(changed)
            if shift:
                self._set_top(top + shift)

    def _set_top(self, y: int) -> None:
        """Scroll to `y` without the scroll watchers (used to keep the screen still)."""
        y = max(0, min(y, self._total - (self.container_size.height - self.scrollbar_size_horizontal)))
        self.set_reactive(Widget.scroll_y, y)
        self.set_reactive(Widget.scroll_target_y, y)
        if self.show_vertical_scrollbar:
            self.vertical_scrollbar.position = y
        self.refresh()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self._heights:
            # The screen and a page either side of it, so that scrolling on finds real heights.
            page = self._page()
            self._measure(self._block_at(round(new_value)), down=2 * page, up=page)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._layout()
        if self._heights:
            self._measure(self._block_at(round(self.scroll_offset.y)), down=self._page())
        return super().render_lines(crop)

    def on_resize(self, event: events.Resize) -> None:
        self._layout()
        self.call_after_refresh(self.scroll_to_cursor)

    def _para_block(self, index: int) -> _Block | None:
        b = index + 1
        if not 1 <= b < len(self._heights):
            return None
        self._measure(b)
        return _Block(self._starts[b], self._heights[b], index)

    # ---- rendering -------------------------------------------------------------------------
    def _render_block(self, para: int | None, is_cursor: bool) -> list[Strip]:
        key = (para, is_cursor)
        strips = self._strips.get(key)
        if strips is None:
            if len(self._strips) >= STRIP_CACHE:
                self._strips.clear()
            strips = self._heading_strips() if para is None else self._paragraph_strips(para, is_cursor)
            self._strips[key] = strips
        return strips

    def _wrap(self, content: Content, width: int, style) -> list[Strip]:
        return Visual.to_strips(self, content, width, None, style, pad=True)

    def _heading_strips(self) -> list[Strip]:
        margin, text = self._columns()
        width = self._gutter_width() + text
        base = self.visual_style
        if self.article is None:
            return self._wrap(self._message.stylize(EMPTY), self._width, base) + [Strip.blank(self._width, base.rich_style)]
        a = self.article
        strips = self._wrap(Content.styled(a.title or a.id, TITLE), width, base)
        meta = " · ".join(x for x in (a.outlet, a.byline and f"by {a.byline}", a.date, a.dateline) if x)
        meta = f"{meta} · {a.id}" if meta else a.id
        strips += self._wrap(Content.styled(meta, META), width, base)
        for caption in a.captions:
            strips += self._wrap(Content.styled(f"Photo: {caption}", CAPTION), width, base)
        strips.append(Strip.blank(width, base.rich_style))
        return [self._place(strip, margin, base) for strip in strips]

    def paragraph_content(self, index: int) -> Content:
        """A paragraph's text with quote, match and jump styles, and a side label after each quote."""
        p = self.article.paragraphs[index]
        content = Content(p.text)
        partial = lambda *names: self.get_visual_style(*names, partial=True)  # noqa: E731
        if p.kind == "subhead":
            content = content.stylize(SUBHEAD)
        quotes = self._quotes.get(p.n, [])
        for q in quotes:
            content = content.stylize(self.sides.style(q.side), q.start, q.end)
            if not q.marked:
                content = content.stylize(UNMARKED, q.start, q.end)
        for start, end in self._matches.get(p.n, []):
            content = content.stylize(partial("article--match"), start, end)
        if self._focus is not None and self._focus[0] == p.n:
            for start, end in self._focus[1]:
                content = content.stylize(partial("article--focus"), start, end)
        selection = self.selection
        if selection is not None and selection[0] == p.n:
            content = content.stylize(SELECTION, selection[1], selection[2])
        # A side label for each quote at the end of the sentence the quote ends in (after its
        # closing marks), so that no label splits a phrase; one label per side at each place.
        # Inserted from the end so earlier offsets stay right.
        places: dict[int, list[Any]] = {}
        if quotes:
            from briefing.index.text import sentence_spans

            ends = [end for _start, end in sentence_spans(p.text)]
            for q in quotes:
                at = next((end for end in ends if end >= q.end), len(p.text))
                while at < len(p.text) and p.text[at] in CLOSING_MARKS:
                    at += 1
                sides = places.setdefault(at, [])
                if q.side not in sides:
                    sides.append(q.side)
        for at in sorted(places, reverse=True):
            label = Content("").join(
                Content.styled(f" ‹{self.sides.label(side)}›", f"{self.sides.style(side)} {LABEL}") for side in places[at]
            )
            content = content[:at] + label + content[at:]
        return content

    def _paragraph_strips(self, index: int, is_cursor: bool) -> list[Strip]:
        width = self._width
        gutter = self._gutter_width()
        margin, text_width = self._columns()
        if is_cursor:
            base = self.get_visual_style("article--cursor" if self.has_focus else "article--cursor-blurred")
        else:
            base = self.visual_style
        p = self.article.paragraphs[index]
        lines = self._wrap(self.paragraph_content(index), text_width, base)
        digits = gutter - 3
        if p.n in self._bookmarked:
            mark: tuple[str, str] = (BOOKMARK, MARKER)
        else:  # the bookmark's column shows where the outlets disagree, when no bookmark is there
            mark = (DISCREPANCY, DIFFERS) if p.n in self._discrepant else (" ", MARKER)
        out = []
        for i, line in enumerate(lines):
            marker = Content.styled("▌" if is_cursor else " ", MARKER)
            if i == 0:
                number = Content.assemble((f"{p.n:>{digits}}", NUMBER), mark, " ")
            else:
                number = Content(" " * (digits + 2))
            head = content_strip(self, marker + number, gutter, base)
            out.append(self._place(Strip.join([head, line]), margin, base).apply_meta({"para": index}))
        out.append(Strip.blank(width, self.visual_style.rich_style).apply_meta({"para": index}))
        return out

    def render_line(self, y: int) -> Strip:
        self._layout()
        width = self.scrollable_content_region.width
        line = self.scroll_offset.y + y
        blank = Strip.blank(width, self.visual_style.rich_style)
        if not self._heights or line >= self._total:
            return blank
        b = self._block_at(line)
        para = b - 1 if b else None
        strips = self._render_block(para, para is not None and para == self.cursor)
        offset = line - self._starts[b]
        if offset >= len(strips):
            return blank
        return strips[offset].crop(0, width)

    # ---- the cursor ------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        self._strips.pop((old, True), None)
        self._strips.pop((new, True), None)
        if self._selection is not None and self._selection[0] != new:
            self._end_selection()
        self.refresh()
        self._announce()

    def _after_cursor_move(self, center: bool = False) -> None:
        self.refresh()
        self._announce()
        self.call_after_refresh(self.scroll_to_cursor, center)

    def _announce(self) -> None:
        self.post_message(
            self.CursorMoved(self, self.article.id if self.article else None, self.cursor + 1 if self.article else 0, self.count)
        )

    def scroll_to_cursor(self, center: bool = False) -> None:
        self._layout()
        b = self.cursor + 1
        if not 1 <= b < len(self._heights):
            return
        page = self._page()
        self._measure(b, down=page, up=page)
        start, height = self._starts[b], self._heights[b] - 1  # not the blank line after it
        if height >= page:  # a passage taller than the screen: show its start (if not on screen)
            top = round(self.scroll_offset.y)
            if not top <= start < top + page:
                self.scroll_to(y=start, animate=False, immediate=True)
            return
        region = Region(0, start, max(1, self._width), height)
        self.scroll_to_region(region, animate=False, center=center, force=True, immediate=True)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # strips hold resolved colours: a theme change redraws them

    def _on_focus(self, event: events.Focus) -> None:
        self._strips.pop((self.cursor, True), None)
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self._strips.pop((self.cursor, True), None)
        self.refresh()

    async def _on_click(self, event: events.Click) -> None:
        para = event.style.meta.get("para")
        if para is not None:
            self.cursor = para

    # ---- actions ---------------------------------------------------------------------------
    def _view(self) -> tuple[int, int]:
        top = round(self.scroll_offset.y)
        return top, top + self.scrollable_content_region.height

    def action_cursor_down(self) -> None:
        if self._selection is not None:
            self._extend_selection(1)
            return
        block = self._para_block(self.cursor)
        top, bottom = self._view()
        if block is not None and block.start + block.height - 1 > bottom:
            # Part of this passage is below the screen: read it before moving on.
            self.scroll_to(y=top + max(1, (bottom - top) // 2), animate=False, immediate=True)
            return
        if self.cursor < self.count - 1:
            self.cursor += 1
            self.scroll_to_cursor()

    def action_cursor_up(self) -> None:
        if self._selection is not None:
            self._extend_selection(-1)
            return
        block = self._para_block(self.cursor)
        top, bottom = self._view()
        if block is not None and block.start < top:
            # The start of this passage is above the screen: read back up to it first.
            self.scroll_to(y=max(block.start, top - max(1, (bottom - top) // 2)), animate=False, immediate=True)
            return
        if self.cursor > 0:
            self.cursor -= 1
            self.scroll_to_cursor()
        else:
            self.scroll_to(y=0, animate=False, immediate=True)

    def action_first(self) -> None:
        self.cursor = 0
        self.scroll_to(y=0, animate=False, immediate=True)

    def action_last(self) -> None:
        self.cursor = self._clamp(self.count - 1)
        if self._heights:
            self._measure(len(self._heights) - 1, up=self._page())
        self.scroll_end(animate=False, immediate=True)

    def _scroll_by(self, lines: int) -> None:
        """Scroll, then put the cursor on the first passage that starts on screen (or, inside a
        passage taller than the screen, on that passage)."""
        if not self._heights or not self.count:
            return
        top, bottom = self._view()
        page = bottom - top
        new_top = max(0, min(max(0, self._total - page), top + lines))
        if new_top == top:
            self.cursor = self.count - 1 if lines > 0 else 0
            return
        self.scroll_to(y=new_top, animate=False, immediate=True)  # measures around the new top
        new_top = round(self.scroll_offset.y)
        self._measure(self._block_at(new_top), down=page)
        first = self._block_at(new_top)
        target = None
        for b in range(max(1, first), len(self._heights)):
            start = self._starts[b]
            if start >= new_top + page:
                break
            if start >= new_top:
                target = b - 1
                break
        if target is None:
            target = max(1, first) - 1
        self.cursor = target

    def action_page(self, direction: int) -> None:
        self._scroll_by(direction * max(1, self.scrollable_content_region.height - 2))

    def action_half_page(self, direction: int) -> None:
        self._scroll_by(direction * max(1, self.scrollable_content_region.height // 2))

    def action_open_quote(self) -> None:
        quotes = self.quotes_at()
        if quotes:
            focus = self._focus[1] if self._focus and self._focus[0] == self.cursor + 1 else ()
            chosen = next((q for q in quotes if (q.start, q.end) in focus), quotes[0])
            self.post_message(self.QuoteOpened(self, chosen))
        elif self.article is not None:
            self.notify("No quote in this passage.", timeout=2)


class QuoteInfo(Static):
    """Under the article: who says the quotes in the passage under the cursor (a line each)."""

    DEFAULT_CSS = """
    QuoteInfo {
        height: auto;
        max-height: 4;
        padding: 0 1;
        background: $boost;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        &.-empty { display: none; }
    }
    """

    def __init__(self, **kwargs: Any):
        super().__init__(Content(""), **kwargs)
        self._lines = 1

    def show(self, view: ArticleView) -> None:
        self.set_class(view.article is None, "-empty")
        if view.article is None:
            return
        quotes = view.quotes_at()
        if not quotes:
            lines = [Content(f"¶ {view.cursor + 1}: no quote in this passage")]
        else:
            lines = []
            for q in quotes:
                given = q.speaker_as_given
                who = q.speaker or (f"{given} (not identified)" if given else "speaker unknown")
                role = q.role
                words = q.text if len(q.text) <= 40 else q.text[:39].rstrip() + "…"
                lines.append(
                    Content.assemble(
                        (view.sides.label(q.side), f"bold {view.sides.style(q.side)}"),
                        " · ",
                        (who, "bold $text"),
                        (f", {role}" if role else "", ""),
                        ("" if q.marked else " (no quotation marks)", "italic"),
                        f": “{words}”",
                    )
                )
        # One line per quote, never wrapped: the height changes only with the number of quotes,
        # so moving the cursor does not lay out the whole screen again.
        self.update(Content("\n").join(lines), layout=len(lines) != self._lines)
        self._lines = len(lines)


class ArticlePane(Vertical):
    """The article and, under it, who is quoted in the passage under the cursor."""

    def compose(self):
        yield ArticleView(id="article")
        yield QuoteInfo(id="quote-info")
