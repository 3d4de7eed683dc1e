"""The comparison of a briefing's outlets: facts, quote wording, echoes and names, in one pass
over the articles (each body read once, as the analysis does)."""

from __future__ import annotations

from typing import Iterable

from briefing.index.compare.align import fact_items
from briefing.index.compare.facts import Fact, article_facts
from briefing.index.compare.model import Comparison
from briefing.index.compare.people import People
from briefing.index.compare.utterances import quote_items
from briefing.index.model import Article
from briefing.index.quotes.analysis import QuoteAnalysis


def compare(articles: Iterable[Article], quotes: QuoteAnalysis) -> Comparison:
    """`quotes` is the briefing's quote analysis (its groups, echoes and speakers)."""
    people = People(quotes)
    outlets: dict[str, str | None] = {}
    facts: list[Fact] = []
    for article in articles:
        outlets[article.id] = article.outlet
        facts.extend(article_facts(article))
        people.read(article)
    items = fact_items(facts, outlets) + quote_items(quotes.groups, outlets) + people.items(outlets)
    return Comparison(items)
