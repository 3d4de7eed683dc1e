"""A Markdown article as a Document (markdown-it-py, the CommonMark parser Textual already uses).

The parser's tokens give the structure: the first top-level heading is the title, paragraphs,
list items and quotes are paragraphs, other headings are subheads; inline markup (emphasis,
links, code) gives its text only. Raw HTML inside the Markdown and images are never rendered:
an image's alt text becomes a caption. A front-matter block (`---` lines around `key: value`)
gives title, author, outlet and date.
"""

from __future__ import annotations

import re
from typing import Any

from briefing.index.corpus.cleaning import Document
from briefing.index.corpus.fields import known_facts

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(?P<body>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def extract_markdown(text: str) -> Document:
    from markdown_it import MarkdownIt  # deferred: only a corpus with Markdown needs it

    facts: dict[str, str] = {}
    if m := _FRONT_MATTER.match(text):
        facts = known_facts(m.group("body").splitlines())
        text = text[m.end() :]

    tokens = MarkdownIt("commonmark").parse(text)
    blocks: list[str] = []
    captions: list[str] = []
    title: str | None = None
    heading_level = 0
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            heading_level = int(token.tag[1:]) if token.tag[1:].isdigit() else 2
        elif token.type == "heading_close":
            heading_level = 0
        elif token.type == "inline":
            plain, alts = _inline_text(token.children or [])
            captions.extend(alts)
            if not plain:
                continue
            if heading_level == 1 and title is None and not blocks:
                title = plain
            blocks.append(plain)
        elif token.type in ("fence", "code_block"):
            continue  # code is not report text
    if "title" in facts:
        title = facts["title"]
    return Document(
        text="\n\n".join(blocks),
        title=title,
        byline=facts.get("byline"),
        outlet=facts.get("outlet"),
        date=facts.get("date"),
        captions=captions,
    )


def _inline_text(children: list[Any]) -> tuple[str, list[str]]:
    parts: list[str] = []
    alts: list[str] = []
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            parts.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif kind == "image":
            alt = "".join(c.content for c in child.children or [] if c.type == "text")
            if alt.strip():
                alts.append(" ".join(alt.split()))
        # html_inline and the open/close tokens of emphasis and links give no text of their own
    return " ".join("".join(parts).split()), alts
