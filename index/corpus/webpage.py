"""A saved web page (HTML) as a Document: trafilatura finds the main text and the metadata.

trafilatura is the field's main-text extractor: it drops navigation, share bars, related links
and comment sections by the page's structure, and reads title, author, site name and date from
OpenGraph, JSON-LD, Dublin Core and <meta> tags (dates through htmldate). What it returns is
plain text, one paragraph a line, which then goes through the same cleaning as a text paste.
Photo captions (<figcaption>) are not part of its main text: they are read from the same parse.

Nothing in the page is run or rendered: lxml parses it as data (no scripts, no external
entities, no network), and only text comes out.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

from briefing.index.corpus.cleaning import Document
from briefing.index.corpus.reading import Unreadable
from briefing.index.text import sanitize

MAX_CAPTIONS = 20
MIN_WORDS = 8  # fewer words than a sentence, beside the headline: a page of links, not a report
# Extraction time grows with the number of elements (50,000 <p>: 15 s). A heavy news page has a
# few thousand outside its scripts; this bound keeps one hostile page from stalling every open.
MAX_ELEMENTS = 50_000
_START_TAG = re.compile(r"<[A-Za-z]")
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_TAG_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)
_ANY_TAG = re.compile(r"<(?:html|head|body|article|main|div|p|meta|title)\b", re.I)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]{1,40})""", re.I)


def page_text(raw: bytes, decoded: str) -> str:
    """The page's text in the encoding its <meta charset> declares, when its bytes are not UTF-8
    (a page saved from a site in windows-1251 or Shift JIS); `decoded` (reading.decode's) else."""
    import codecs

    try:
        raw.decode("utf-8")
        return decoded
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(raw[:8192])
    if not m:
        return decoded
    try:
        codec = codecs.lookup(m.group(1).decode("ascii"))
    except LookupError:
        return decoded
    if codec.name in ("utf-8", "utf-16", "utf-32"):  # declared UTF but not: keep the repair
        return decoded
    return raw.decode(codec.name, errors="replace")


def looks_like_html(text: str) -> bool:
    """True when the text is a saved page (also misnamed .txt): it begins with HTML markup."""
    return bool(_TAG_START.match(text[:4096]))


def has_markup(text: str) -> bool:
    return bool(_ANY_TAG.search(text[:65536]))


def extract_page(html: str) -> Document:
    """The page's main text and metadata. Raises Unreadable when there is no article in it."""
    import trafilatura  # deferred: the reader's first paint and `briefing --help` never need it
    from trafilatura.settings import set_date_params

    _quiet_extractor_logs()
    # htmldate (through trafilatura) reads the page's metadata and markup for its date; no
    # "extensive" search through the body text, which takes any date a report mentions.
    date_params = set_date_params(extensive=False)
    # Control characters and terminal escapes are no part of any HTML; lxml may give up on them.
    html = sanitize(html)
    elements = element_count(html)
    if elements > MAX_ELEMENTS:
        raise Unreadable(f"the page has {elements:,} HTML elements (the limit is {MAX_ELEMENTS:,}; a news page has a few thousand)")

    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            include_formatting=False,
            favor_precision=True,
            deduplicate=False,
            date_extraction_params=date_params,
        )
    except Exception as exc:  # noqa: BLE001 - a page the extractor chokes on is one skipped file
        raise Unreadable(f"the HTML page could not be read ({type(exc).__name__})") from None
    if doc is None:
        raise Unreadable("no article text found in the HTML page")
    data: dict[str, Any] = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = str(data.get("text") or "")
    title = _text(data.get("title"))
    words = len(text.split()) - len((title or "").split())
    if words < MIN_WORDS:
        raise Unreadable("no article text found in the HTML page (only navigation or headings)")
    return Document(
        # One paragraph a line: blank lines between them, so cleaning never joins two.
        text="\n\n".join(line for line in text.split("\n") if line.strip()),
        title=title,
        byline=_byline(data.get("author")),
        outlet=_text(data.get("sitename")),
        date=_date(data.get("date")),
        captions=captions(html),
    )


@functools.cache
def _quiet_extractor_logs() -> None:
    """trafilatura and htmldate log what they discard as warnings, which Python would print on
    the terminal of every command: a page without an article is already reported as skipped."""
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.ERROR)


def element_count(html: str) -> int:
    """How many elements (start tags) a page has outside its scripts and styles."""
    return len(_START_TAG.findall(_SCRIPT_OR_STYLE.sub("", html)))


def captions(html: str) -> list[str]:
    """The page's photo captions (<figcaption>), as text."""
    try:
        import lxml.html  # type: ignore[import-untyped]  # trafilatura's own parser

        root = lxml.html.document_fromstring(html.encode("utf-8", "replace"))
        found: list[str] = []
        for element in root.iter("figcaption"):
            caption = " ".join(element.text_content().split())
            if caption and caption not in found:
                found.append(caption)
            if len(found) >= MAX_CAPTIONS:
                break
        return found
    except Exception:  # noqa: BLE001 - captions are a bonus
        return []


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    cleaned = " ".join(value.split())
    return cleaned or None


def _byline(value: object) -> str | None:
    """trafilatura joins several authors with '; '."""
    text = _text(value)
    if text is None:
        return None
    names = [n.strip() for n in text.split(";") if n.strip()]
    if len(names) <= 1:
        return text
    return ", ".join(names[:-1]) + " and " + names[-1]


def _date(value: object) -> str | None:
    text = _text(value)
    return text[:10] if text and re.match(r"\d{4}-\d{2}-\d{2}", text) else text
