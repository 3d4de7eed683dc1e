"""An RSS or Atom feed file as Documents, one per entry with content (feedparser).

feedparser reads every RSS and Atom dialect, repairs what it can, sanitises entry HTML and
never fetches anything when given bytes. Each entry's HTML content goes through trafilatura
as a page's does; its title, author and date come from the entry, the outlet from the feed's
own title. Each entry gets a key from its id (or link, or title) so that its article id
(`stem-key`) stays the same when the feed is saved again with newer entries on top.
"""

from __future__ import annotations

import calendar
import functools
import hashlib
import io
import re
import time
from typing import Any

from briefing.index.corpus.cleaning import Document
from briefing.index.corpus.reading import Unreadable


_PROLOGUE = re.compile(r"<\?.*?\?>|<!--.*?-->|<!doctype[^\[>]*(?:\[.*?\])?\s*>|\s+", re.I | re.S)
_ROOT = re.compile(r"<([A-Za-z][\w:.\-]*)")


MAX_ENTRY_ELEMENTS = 5000  # an entry's content is one article: past this, lxml's block texts


def looks_like_feed(text: str) -> bool:
    """True when the document's root element is a feed's (<rss>, <feed>, <rdf:RDF>)."""
    head = text[:65536].lstrip("\ufeff")
    pos = 0
    while m := _PROLOGUE.match(head, pos):  # XML declaration, stylesheets, comments, DOCTYPE
        if m.end() == pos:
            break
        pos = m.end()
    root = _ROOT.match(head, pos)
    return root is not None and root.group(1).lower() in ("rss", "feed", "rdf:rdf", "channel")


def extract_feed(raw: bytes) -> tuple[list[Document], list[str]]:
    """One Document per entry that has text, and a description of each entry that has none
    ("entry 3, 'Title'"). Raises Unreadable when no entry has text."""
    import feedparser  # deferred: only a corpus with feeds needs it

    parsed: Any = feedparser.parse(io.BytesIO(raw), sanitize_html=True, resolve_relative_uris=False)
    entries = list(parsed.get("entries") or [])
    if not entries:
        if parsed.get("bozo"):
            reason = type(parsed.get("bozo_exception")).__name__
            raise Unreadable(f"not a readable RSS or Atom feed ({reason}); no entries found")
        raise Unreadable("the feed has no entries")
    outlet = _plain(parsed.get("feed", {}).get("title"), parsed.get("feed", {}).get("title_detail"))
    documents: list[Document] = []
    empty: list[str] = []
    keys: set[str] = set()
    for n, entry in enumerate(entries, 1):  # as many as 16 MB hold (reading.MAX_BYTES)
        text = _entry_text(entry)
        if not text.strip():
            title = _plain(entry.get("title"), entry.get("title_detail"))
            empty.append(f"entry {n}" + (f", '{title[:60]}'" if title else ""))
            continue
        key = _entry_key(entry, n)
        while key in keys:  # two entries with the same id: the later one by its position
            key = f"{key}-{n}"
        keys.add(key)
        documents.append(Document(
            text=text,
            title=_plain(entry.get("title"), entry.get("title_detail")),
            byline=_author(entry),
            outlet=outlet,
            date=_date(entry),
            key=key,
        ))
    if not documents:
        raise Unreadable(f"none of the feed's {len(entries)} entries has any text")
    return documents, empty


def _entry_text(entry: Any) -> str:
    parts = entry.get("content") or []
    best = max(parts, key=lambda c: len(c.get("value") or ""), default=None)
    if best is None and entry.get("summary"):
        best = {"value": entry.get("summary"), "type": (entry.get("summary_detail") or {}).get("type", "text/html")}
    if best is None:
        return ""
    value = str(best.get("value") or "")
    if "html" not in str(best.get("type") or "text/html"):
        return value
    return fragment_text(value)


def fragment_text(html: str) -> str:
    """A feed entry's HTML content as paragraphs of text (blank-line separated)."""
    import trafilatura

    from briefing.index.corpus.webpage import element_count

    wrapped = f"<html><body><article>{html}</article></body></html>"
    if element_count(wrapped) > MAX_ENTRY_ELEMENTS:  # the extractor's time grows with elements
        return "\n\n".join(line for line in _block_texts(wrapped).split("\n") if line.strip())
    try:
        text = trafilatura.extract(
            wrapped, include_comments=False, include_tables=False, include_images=False,
            include_links=False, include_formatting=False, deduplicate=False, config=_fragment_config(),
        )
    except Exception:  # noqa: BLE001 - fall back to the block texts of the parse below
        text = None
    if not text:
        text = _block_texts(wrapped)
    return "\n\n".join(line for line in (text or "").split("\n") if line.strip())


@functools.cache
def _fragment_config() -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    # An entry's content is all article: short ones are not to be dropped as "too little text".
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    return config


def _block_texts(html: str) -> str:
    try:
        import lxml.html  # type: ignore[import-untyped]

        root = lxml.html.document_fromstring(html.encode("utf-8", "replace"))
    except Exception:  # noqa: BLE001
        return ""
    blocks = []
    for element in root.iter("p", "h1", "h2", "h3", "li", "blockquote"):
        text = " ".join(element.text_content().split())
        if text:
            blocks.append(text)
    return "\n".join(blocks) or " ".join(root.text_content().split())


def _plain(value: object, detail: object = None) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    kind = detail.get("type", "") if isinstance(detail, dict) else ""
    if "html" in str(kind) and "<" in value:
        value = _block_texts(value) or value
    return " ".join(value.split()) or None


def _author(entry: Any) -> str | None:
    names = [str(a["name"]) for a in entry.get("authors") or [] if isinstance(a, dict) and a.get("name")]
    if len(names) > 1:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return _plain(entry.get("author") or (names[0] if names else None))


def _date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return time.strftime("%Y-%m-%d", time.gmtime(calendar.timegm(value)))
    return None


def _entry_key(entry: Any, n: int) -> str:
    ident = entry.get("id") or entry.get("link") or entry.get("title")
    if not ident:
        return f"{n:03d}"
    return hashlib.sha1(str(ident).encode("utf-8", "surrogatepass")).hexdigest()[:8]
