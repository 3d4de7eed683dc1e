"""The article pane: cleaned text with paragraph numbers, quotes by side, a cursor on passages.

Drawn with the line API: each paragraph is wrapped once per width into strips, and a frame draws
only the lines on screen. Every string from the corpus becomes `Content(text)` (never markup), and
styles are added on character spans, so `[bold]` in an article is shown as those seven characters.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, ClassVar, Iterable

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
from textual.widgets import Static

from tui.widgets.styles import MUTED, SideNames
from tui.widgets.vlist import content_strip

TITLE = "bold"
META = MUTED
CAPTION = f"italic {MUTED}"
NUMBER = MUTED
MARKER = "bold $accent"
SUBHEAD = "bold"
LABEL = "italic"
UNMARKED = "italic"
EMPTY = f"italic {MUTED}"
CLOSING_MARKS = "”’\"'»,.;:!?"  # a side label goes after these when they close a quote

@dataclass(frozen=True)
class _Block:
    """A run of lines: the heading, or one paragraph (`para` is its index) and the blank after it."""

    start: int
    height: int
    para: int | None


class ArticleView(ScrollView, can_focus=True, inherit_bindings=False):
    """One article; the cursor is on a paragraph ("passage")."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Next ¶", show=False, id="article.down", tooltip="Next passage"),
        Binding("j", "cursor_down", "Next ¶", show=False, id="article.down-vi", tooltip="Next passage (scrolls a long one first)"),
        Binding("up", "cursor_up", "Prev ¶", show=False, id="article.up", tooltip="Previous passage"),
        Binding("k", "cursor_up", "Prev ¶", show=False, id="article.up-vi", tooltip="Previous passage"),
        Binding("g", "first", "Top", show=False, id="article.top", tooltip="First passage"),
        Binding("home", "first", "Top", show=False, id="article.top-home", tooltip="First passage"),
        Binding("G", "last", "Bottom", show=False, id="article.bottom", tooltip="Last passage"),
        Binding("end", "last", "Bottom", show=False, id="article.bottom-end", tooltip="Last passage"),
        Binding("space", "page(1)", "Page down", show=False, id="article.page-down", tooltip="One screen down"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="article.page-down-key", tooltip="One screen down"),
        Binding("b", "page(-1)", "Page up", show=False, id="article.page-up", tooltip="One screen up"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="article.page-up-key", tooltip="One screen up"),
        Binding("ctrl+d", "half_page(1)", "Half page down", show=False, id="article.half-down", tooltip="Half a screen down"),
        Binding("ctrl+u", "half_page(-1)", "Half page up", show=False, id="article.half-up", tooltip="Half a screen up"),
        Binding("enter", "open_quote", "Quote", id="article.open-quote", tooltip="Show the quote of this passage in the quotes pane, with its variants"),
    ]

    # Few component classes: each is a stylesheet pass whenever the widget is restyled (every
    # focus change). Fixed styles are Content style strings below; theme variables still apply.
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

    @dataclass
    class CursorMoved(Message):
        """The passage under the cursor changed (or the article did)."""

        view: "ArticleView"
        article_id: str | None
        paragraph: int  # 1-based n of the passage, 0 when there is no article
        count: int

        @property
        def control(self) -> "ArticleView":
            return self.view

    @dataclass
    class QuoteOpened(Message):
        """Enter on a passage that holds a quote: show that quote in the quotes pane."""

        view: "ArticleView"
        quote: Any

        @property
        def control(self) -> "ArticleView":
            return self.view

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.article: Any = None
        self._message = Content("Opening the briefing…")
        self._quotes: dict[int, list[Any]] = {}  # paragraph n -> quotes in it, by start
        self.sides = SideNames()
        self._matches: dict[int, list[tuple[int, int]]] = {}  # paragraph n -> search match spans
        self._focus: tuple[int, tuple[tuple[int, int], ...]] | None = None  # (paragraph n, spans)
        self._blocks: list[_Block] = []
        self._starts: list[int] = []
        self._width = 0
        self._strips: dict[tuple[int | None, bool], list[Strip]] = {}

    # ---- what is shown ---------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        """No article: say why (loading, failed, empty corpus)."""
        self.article = None
        self._message = Content(text)
        self._relayout()
        self._announce()

    def set_sides(self, sides: Iterable[Any]) -> None:
        self.sides = SideNames(sides)
        self._invalidate()

    def show_article(self, article: Any, quotes: Iterable[Any] = (), paragraph: int | None = None) -> None:
        """Show an article; the cursor goes to `paragraph` (1-based), or stays at the top."""
        same = self.article is not None and article is not None and self.article.id == article.id
        self.article = article
        self.set_quotes(quotes, refresh=False)
        if not same:
            self._focus = None
            self._matches = {}
            self.scroll_to(y=0, animate=False, immediate=True)
        self._relayout()
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
            self._invalidate()

    def quotes_at(self, paragraph: int | None = None) -> list[Any]:
        """Quotes in a passage (default: the one under the cursor)."""
        if self.article is None:
            return []
        n = paragraph if paragraph is not None else self.cursor + 1
        return list(self._quotes.get(n, []))

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
        total = len(self._match_order)
        if self.cursor in self._match_order:
            return self._match_order.index(self.cursor) + 1, total
        return 0, total

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
        spans = tuple(tuple(s) for s in spans)
        self._focus = (paragraph, spans) if spans else None
        self._invalidate()
        self.cursor = self._clamp(paragraph - 1)
        self.scroll_to_cursor(center=True)

    # ---- layout ----------------------------------------------------------------------------
    @property
    def count(self) -> int:
        return len(self.article.paragraphs) if self.article is not None else 0

    def _clamp(self, value: int) -> int:
        return max(0, min(value, self.count - 1)) if self.count else 0

    def _invalidate(self) -> None:
        self._strips.clear()
        self.refresh()

    def _relayout(self) -> None:
        self._width = 0  # recomputed at the next render with the real width
        self._strips.clear()
        self._layout()
        self.refresh()

    def _gutter_width(self) -> int:
        return len(str(max(1, self.count))) + 3  # marker, number, two spaces

    def _layout(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        if width == self._width and self._blocks:
            return
        self._width = width
        self._strips.clear()
        blocks: list[_Block] = []
        y = 0
        head = self._render_block(None, False)
        blocks.append(_Block(0, len(head), None))
        y += len(head)
        if self.article is not None:
            for i in range(len(self.article.paragraphs)):
                h = len(self._render_block(i, False))
                blocks.append(_Block(y, h, i))
                y += h
        self._blocks = blocks
        self._starts = [b.start for b in blocks]
        self.virtual_size = Size(width, y)

    def on_resize(self, event: events.Resize) -> None:
        self._layout()
        self.call_after_refresh(self.scroll_to_cursor)

    def _para_block(self, index: int) -> _Block | None:
        b = index + 1
        return self._blocks[b] if 0 <= b < len(self._blocks) else None

    # ---- rendering -------------------------------------------------------------------------
    def _render_block(self, para: int | None, is_cursor: bool) -> list[Strip]:
        key = (para, is_cursor)
        strips = self._strips.get(key)
        if strips is None:
            strips = self._heading_strips() if para is None else self._paragraph_strips(para, is_cursor)
            self._strips[key] = strips
        return strips

    def _wrap(self, content: Content, width: int, style) -> list[Strip]:
        return Visual.to_strips(self, content, width, None, style, pad=True)

    def _heading_strips(self) -> list[Strip]:
        width = self._width
        base = self.visual_style
        if self.article is None:
            return self._wrap(self._message.stylize(EMPTY), width, base) + [Strip.blank(width, base.rich_style)]
        a = self.article
        strips = self._wrap(Content.styled(a.title or a.id, TITLE), width, base)
        meta = " · ".join(x for x in (a.outlet, a.byline and f"by {a.byline}", a.date, a.dateline) if x)
        meta = f"{meta} · {a.id}" if meta else a.id
        strips += self._wrap(Content.styled(meta, META), width, base)
        for caption in a.captions:
            strips += self._wrap(Content.styled(f"Photo: {caption}", CAPTION), width, base)
        strips.append(Strip.blank(width, base.rich_style))
        return strips

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
        # Labels after each quote (after its closing mark), inserted from the end so earlier
        # offsets stay right.
        for q in sorted(quotes, key=lambda q: q.end, reverse=True):
            label = Content.styled(f" ‹{self.sides.label(q.side)}›", f"{self.sides.style(q.side)} {LABEL}")
            at = q.end
            while at < len(p.text) and p.text[at] in CLOSING_MARKS:
                at += 1
            content = content[:at] + label + content[at:]
        return content

    def _paragraph_strips(self, index: int, is_cursor: bool) -> list[Strip]:
        width = self._width
        gutter = self._gutter_width()
        text_width = max(1, width - gutter)
        if is_cursor:
            base = self.get_visual_style("article--cursor" if self.has_focus else "article--cursor-blurred")
        else:
            base = self.visual_style
        p = self.article.paragraphs[index]
        lines = self._wrap(self.paragraph_content(index), text_width, base)
        digits = gutter - 3
        out = []
        for i, line in enumerate(lines):
            marker = Content.styled("▌" if is_cursor else " ", MARKER)
            number = Content.styled((f"{p.n:>{digits}}" if i == 0 else " " * digits) + "  ", NUMBER)
            head = content_strip(self, marker + number, gutter, base)
            out.append(Strip.join([head, line]).apply_meta({"para": index}))
        out.append(Strip.blank(width, self.visual_style.rich_style).apply_meta({"para": index}))
        return out

    def render_line(self, y: int) -> Strip:
        self._layout()
        width = self.scrollable_content_region.width
        line = self.scroll_offset.y + y
        blank = Strip.blank(width, self.visual_style.rich_style)
        if not self._blocks or line >= self.virtual_size.height:
            return blank
        b = bisect_right(self._starts, line) - 1
        block = self._blocks[b]
        strips = self._render_block(block.para, block.para is not None and block.para == self.cursor)
        offset = line - block.start
        if offset >= len(strips):
            return blank
        return strips[offset].crop(0, width)

    # ---- the cursor ------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        self._strips.pop((old, True), None)
        self._strips.pop((new, True), None)
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
        block = self._para_block(self.cursor)
        if block is None:
            return
        page = self.scrollable_content_region.height
        height = block.height - 1  # not the blank line after it
        if height >= page:  # a passage taller than the screen: show its start
            self.scroll_to(y=block.start, animate=False, immediate=True)
            return
        region = Region(0, block.start, max(1, self._width), height)
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
        self.scroll_end(animate=False, immediate=True)

    def _scroll_by(self, lines: int) -> None:
        """Scroll, then put the cursor on the first passage that starts on screen (or, inside a
        passage taller than the screen, on that passage)."""
        if not self._blocks or not self.count:
            return
        top, bottom = self._view()
        page = bottom - top
        new_top = max(0, min(max(0, self.virtual_size.height - page), top + lines))
        if new_top == top:
            self.cursor = self.count - 1 if lines > 0 else 0
            return
        self.scroll_to(y=new_top, animate=False, immediate=True)
        target = next((b.para for b in self._blocks[1:] if new_top <= b.start < new_top + page), None)
        if target is None:
            target = self._blocks[max(1, bisect_right(self._starts, new_top) - 1)].para
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
