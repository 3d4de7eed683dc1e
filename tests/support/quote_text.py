"""Quotes of a short article written in a test: each argument is one paragraph, under the
headline "A headline" of an outlet "Test Wire" (unless told otherwise), read with an empty
manifest."""

from __future__ import annotations

from briefing.index.model import Article, Manifest, Paragraph
from briefing.index.quotes.extract import extract_quotes


def article(*paras: str, article_id: str = "t1", title: str = "A headline", outlet: str = "Test Wire") -> Article:
    return Article(article_id, outlet, title, None, None, None, [],
                   [Paragraph(i + 1, text) for i, text in enumerate(paras)])


def speakers(*paras: str) -> list[str | None]:
    """Each quotation's speaker, in the order the extractor gives them."""
    return [q.speaker for q in extract_quotes(article(*paras), Manifest())]
