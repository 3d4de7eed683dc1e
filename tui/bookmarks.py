"""The reader's bookmarks: what the store holds, anchored in the open briefing, kept in memory.

The store (briefing.index.bookmarks.store.BookmarkStore) is opened and written by the app's worker threads; a
`Shelf` is what the UI thread shows and changes as their answers come. Nothing here imports the
engine or Textual: items are briefing.index.bookmarks.store.AnchoredBookmark objects made by the workers.

Texts, notes and tags are untrusted: the helpers return plain strings, which the widgets wrap in
`Content` (never markup). `display_safe` (briefing.index.text) drops control characters from what goes to the clipboard.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable, Iterator, Mapping

from briefing.index.text import display_safe


STATE_WORDS = {
    "anchored": "anchored",
    "moved": "moved",
    "changed": "changed",
    "orphaned": "orphaned",
}
OPENING_MARKS = "“\"‘'«„"
# What each state means, wherever a state is shown (the Bookmarks view, its detail, the palette).
STATE_HELP = {
    "anchored": "found where it was saved",
    "moved": "the same words, now in another paragraph (the article changed)",
    "changed": "the words changed a little: the closest passage now",
    "orphaned": "no longer in the article: the saved text is shown, and kept",
}
STATE_LEGEND = "anchored: where saved · moved: same words, another ¶ · changed: the closest passage · orphaned: gone from the article, kept"


class Shelf:
    """The briefing's bookmarks, oldest first, and what `u` can bring back."""

    def __init__(self, store: Any, items: Iterable[Any], articles: Mapping[str, Any]):
        self.store = store  # thread-safe; written only from workers
        self.articles = articles  # article id -> Article, for citations
        self.items: list[Any] = sorted(items, key=_order)
        self.deleted: list[Any] = []  # removed items, the latest last (undo)
        self.last_id: str | None = None  # the bookmark made (or found) last: `a` annotates it

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)

    @property
    def can_save(self) -> bool:
        return bool(getattr(self.store, "can_save", True))

    def get(self, bookmark_id: str | None) -> Any:
        return next((item for item in self.items if item.id == bookmark_id), None)

    def paragraphs(self, source: str) -> set[int]:
        """Passages (1-based n) of `source` that hold a bookmark now."""
        return {item.paragraph for item in self.items if item.source == source and item.paragraph is not None}

    def at(self, source: str, paragraph: int, span: tuple[int, int] | None = None) -> Any:
        """The bookmark on a passage: with `span`, one of exactly that span; otherwise the one made
        last, else the newest one in that paragraph."""
        found = [i for i in self.items if i.source == source and i.paragraph == paragraph]
        if span is not None:
            found = [i for i in found if (i.start, i.end) == tuple(span)]
        if not found:
            return None
        last = next((i for i in found if i.id == self.last_id), None)
        return last or found[-1]

    def same(self, source: str, paragraph: int, span: tuple[int, int] | None, length: int) -> Any:
        """A bookmark of exactly this passage (`span` None: the whole paragraph of `length`)."""
        start, end = span if span is not None else (0, length)
        return next(
            (i for i in self.items if i.source == source and i.paragraph == paragraph and (i.start, i.end) == (start, end)),
            None,
        )

    def put(self, item: Any) -> None:
        """Add an item, or replace the one with its id (in creation order)."""
        self.items = sorted([i for i in self.items if i.id != item.id] + [item], key=_order)

    def annotated(self, bookmark: Any) -> Any:
        """The item for a bookmark whose note or tags changed (its place is unchanged)."""
        item = self.get(bookmark.id)
        if item is None:
            return None
        item = replace(item, bookmark=bookmark)
        self.put(item)
        return item

    def drop(self, bookmark_id: str) -> Any:
        """Remove an item and keep it for undo; None if there is none with that id."""
        item = self.get(bookmark_id)
        if item is not None:
            self.items = [i for i in self.items if i.id != bookmark_id]
            self.deleted.append(item)
            del self.deleted[:-50]
        return item

    # ---- what is shown ----------------------------------------------------------------------
    def citation(self, item: Any, speaker: str | None = None) -> str:
        """`Reuters, “Title”, by A. Writer, 2022-01-10, ¶4` (the article's facts now; an orphan's
        as saved); `speaker` for a quote."""
        bm = item.bookmark
        outlet, title, date = self._facts(item)
        paragraph = item.paragraph if item.paragraph is not None else bm.paragraph
        article = self.articles.get(bm.source)
        orphaned = article is None or getattr(item, "state", None) == "orphaned"
        byline = None if orphaned or article is None else article.byline
        return citation(outlet or None, title or None, date or None, paragraph, bm.source, byline=byline, speaker=speaker)

    def _facts(self, item: Any) -> tuple[str | None, str | None, str | None]:
        """An orphan (its article gone, or now another text) is cited as it was saved."""
        bm = item.bookmark
        article = self.articles.get(bm.source)
        if article is None or getattr(item, "state", None) == "orphaned":
            return bm.outlet, bm.title, bm.date
        return article.outlet, article.title, article.date

    def outlet(self, item: Any) -> str:
        return self._facts(item)[0] or item.source

    def title(self, item: Any) -> str:
        return self._facts(item)[1] or item.source

    def matches(self, item: Any, words: list[str]) -> bool:
        """Every word (lower case) is in the outlet, title, note, tags, text, state or source."""
        if not words:
            return True
        bm = item.bookmark
        hay = " ".join(
            (self.outlet(item), self.title(item), bm.note, " ".join(bm.tags), bm.text, item.state, bm.source, where(item))
        ).lower()
        return all(w in hay for w in words)


def _order(item: Any) -> tuple[str, str]:
    return item.bookmark.created, item.id


def where(item: Any, mark: str = "¶") -> str:
    """`¶4`, `¶5 (was ¶4)`, or `¶4 (saved)` for an orphan."""
    saved = item.bookmark.paragraph
    if item.paragraph is None:
        return f"{mark}{saved} (saved)"
    if item.paragraph != saved:
        return f"{mark}{item.paragraph} (was {mark}{saved})"
    return f"{mark}{item.paragraph}"


def state_text(item: Any) -> str:
    """The state in words, with what it means (never only a colour)."""
    word = STATE_WORDS.get(item.state, item.state)
    meaning = STATE_HELP.get(item.state)
    return f"{word}: {meaning}" if meaning else word


def citation(
    outlet: str | None, title: str | None, date: str | None, paragraph: int, source: str,
    *, byline: str | None = None, speaker: str | None = None,
) -> str:
    """`Reuters, “Title”, by A. Writer, 2022-01-10, ¶4`; with a speaker, `Sergei Ryabkov, quoted in …`."""
    parts = [outlet or source, f"“{title}”" if title else "", f"by {byline}" if byline else "", date or "undated", f"¶{paragraph}"]
    cite = ", ".join(p for p in parts if p)
    return f"{speaker}, quoted in {cite}" if speaker else cite


OPEN_DOUBLE, CLOSE_DOUBLE = "“«„", "”»"


def _open_at(text: str, at: int) -> bool:
    """Whether offset `at` of `text` is inside a double quotation (curly or straight marks)."""
    depth = 0
    straight = False
    for ch in text[:at]:
        if ch in OPEN_DOUBLE:
            depth += 1
        elif ch in CLOSE_DOUBLE:
            depth = max(0, depth - 1)
        elif ch == '"':
            straight = not straight
    return depth > 0 or straight


def balanced(text: str, start: int, end: int) -> str:
    """`text[start:end]` with the quotation marks it cuts put back: a selection that starts inside
    a quote opens it (“…), one that ends inside a quote closes it (…”)."""
    part = text[start:end]
    stripped = part.strip()
    if not stripped:
        return part
    opens = _open_at(text, start) and stripped[0] not in OPEN_DOUBLE + '"'
    closes = _open_at(text, end) and stripped[-1] not in CLOSE_DOUBLE + '"'
    return ("“" if opens else "") + part + ("”" if closes else "")


def in_quotes(text: str) -> str:
    """`“text”`, unless the text opens with a quotation mark of its own (a quote's words)."""
    return text if text[:1] in OPENING_MARKS else f"“{text}”"


def quoted(text: str, cite: str) -> str:
    """What `y` copies: the passage in quotation marks, then its citation."""
    return f"{in_quotes(display_safe(text))}\n— {display_safe(cite)}"


def parse_tags(text: str) -> tuple[str, ...]:
    """Comma-separated tags: trimmed, empty ones dropped, each once."""
    return tuple(dict.fromkeys(t.strip() for t in text.split(",") if t.strip()))


def shorten(value: str, width: int) -> str:
    value = " ".join(value.split())
    return value if len(value) <= width else value[: max(1, width - 1)].rstrip() + "…"
