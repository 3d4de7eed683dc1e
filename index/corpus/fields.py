"""The `key: value` lines that say what an article is: Markdown front matter, and the header a
saved or exported plain-text article starts with ("Title: …", "Byline: …", "Load-Date: …").

One table of key names for both, mapped to the Document fields they fill. Keys that say nothing
we keep (section, length, word count) are still part of a header: they are not report text.
"""

from __future__ import annotations

import re

FIELD = re.compile(r"^(?P<key>[A-Za-z][\w-]*(?:[ -][A-Za-z][\w-]*){0,2})\s*:\s*(?P<value>.*?)\s*$")

KEYS = {
    "title": "title", "headline": "title",
    "author": "byline", "authors": "byline", "byline": "byline", "by": "byline", "writer": "byline",
    "outlet": "outlet", "publisher": "outlet", "source": "outlet", "site": "outlet", "site_name": "outlet",
    "publication": "outlet", "newspaper": "outlet", "site name": "outlet",
    "date": "date", "published": "date", "pubdate": "date", "publication date": "date",
    "published date": "date", "load-date": "date", "dateline date": "date",
}

# Header lines that carry nothing we show, kept out of the body all the same.
_OTHER_KEYS = frozenset({
    "section", "length", "word count", "words", "language", "type", "url", "link", "copyright",
    "highlight", "edition", "page", "publication-type", "subject", "keywords", "tags", "updated",
    "dateline", "caption", "id",
})

_MAX_HEADER_LINES = 16


def known_facts(lines: list[str]) -> dict[str, str]:
    """title/byline/outlet/date from `key: value` lines; the first value of each field wins."""
    facts: dict[str, str] = {}
    for line in lines:
        if f := FIELD.match(line):
            key = KEYS.get(f.group("key").lower())
            value = f.group("value").strip().strip("\"'")
            if key and value and key not in facts:
                facts[key] = value
    return facts


def split_header(text: str) -> tuple[dict[str, str], str]:
    """A plain-text article's header, when its first lines are one: (facts, the rest of the text).

    A header is a block of `key: value` lines ended by a blank line, every key a known one, and
    at least one of them naming a field we show. Anything else ("WASHINGTON: The president…", a
    transcript's "SHERMAN: …") is report text and is left alone."""
    body = text.lstrip("\ufeff")
    lines: list[str] = []
    rest_at = None
    pos = 0
    while pos <= len(body):
        end = body.find("\n", pos)
        line = body[pos:] if end < 0 else body[pos:end]
        if not line.strip():
            if lines:
                rest_at = pos
                break
            pos = len(body) + 1 if end < 0 else end + 1
            continue
        lines.append(line.strip())
        if len(lines) > _MAX_HEADER_LINES:
            return {}, text
        if end < 0:
            break
        pos = end + 1
    if rest_at is None or not lines:
        return {}, text
    for line in lines:
        f = FIELD.match(line)
        if not f or not f.group("value"):
            return {}, text
        key = f.group("key").lower()
        if key not in KEYS and key not in _OTHER_KEYS:
            return {}, text
    facts = known_facts(lines)
    if not facts:
        return {}, text
    return facts, body[rest_at:]
