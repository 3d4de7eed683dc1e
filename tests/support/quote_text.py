"""Quotes of a short article written in a test: each argument is one paragraph, under the
headline "A headline" of an outlet "Test Wire" (unless told otherwise), read with an empty
manifest."""

from __future__ import annotations

from briefing.index.model import Article, Manifest, Paragraph
from briefing.index.quotes.extract import extract_quotes
from briefing.index.quotes.marks import find_quote_spans, non_quote_kind


def article(*paras: str, article_id: str = "t1", title: str = "A headline", outlet: str = "Test Wire") -> Article:
    return Article(article_id, outlet, title, None, None, None, [],
                   [Paragraph(i + 1, text) for i, text in enumerate(paras)])


def speakers(*paras: str) -> list[str | None]:
    """Each quotation's speaker, in the order the extractor gives them."""
    return [q.speaker for q in extract_quotes(article(*paras), Manifest())]


def quote_texts(*paras: str) -> list[str]:
    """The text of each quotation the extractor keeps, in order."""
    return [q.text for q in extract_quotes(article(*paras), Manifest())]


def non_quote_kinds(text: str) -> dict[str, str | None]:
    """Each marked span of one paragraph -> why it quotes no one (None: it is a quotation)."""
    return {text[s.start : s.end]: non_quote_kind(text, s) for s in find_quote_spans(text)}
