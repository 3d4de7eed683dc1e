"""Quotes of a short article written in a test: each argument is one paragraph, under the
headline "A headline" of an outlet "Test Wire", read with an empty manifest."""

from __future__ import annotations

from briefing.index.model import Article, Manifest, Paragraph
from briefing.index.quotes.extract import extract_quotes


def article(*paras: str, article_id: str = "t1") -> Article:
    return Article(article_id, "Test Wire", "A headline", None, None, None, [],
                   [Paragraph(i + 1, text) for i, text in enumerate(paras)])


def speakers(*paras: str) -> list[str | None]:
    """Each quotation's speaker, in the order the extractor gives them."""
    return [q.speaker for q in extract_quotes(article(*paras), Manifest())]
