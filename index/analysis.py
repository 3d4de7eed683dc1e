"""Everything derived from the articles beyond their text: quotes, speakers, groups, positions.

Kept apart from the engine so the engine stays about files and the index.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from index.model import Article, Manifest
from index.search_index import PassageExtras


def passage_extras(articles: list[Article], manifest: Manifest) -> dict[str, dict[int, PassageExtras]]:
    """Per article and paragraph: the speakers quoted there (every name form) and their sides.

    Only per-article facts go into the index, so one changed article re-indexes alone.
    """
    from index.quotes import extract_quotes

    out: dict[str, dict[int, PassageExtras]] = {}
    for article in articles:
        per_par: dict[int, tuple[set[str], set[str]]] = {}
        for q in extract_quotes(article, manifest):
            names, sides = per_par.setdefault(q.paragraph, (set(), set()))
            for name in (q.speaker, q.speaker_as_given):
                if name:
                    names.add(name)
            if q.side:
                sides.add(q.side)
                label = manifest.side_label(q.side)
                if label:
                    sides.add(label)
        out[article.id] = {n: PassageExtras(tuple(sorted(a)), tuple(sorted(b))) for n, (a, b) in per_par.items()}
    return out


@dataclass(slots=True)
class Analysis:
    quotes: object  # index.quotes.QuoteAnalysis
    positions: object | None = None
    notes: list[str] = field(default_factory=list)


def analyse(articles: list[Article], manifest: Manifest) -> Analysis:
    from index.positions import build_positions
    from index.quotes import analyse_quotes

    quotes = analyse_quotes(articles, manifest)
    return Analysis(quotes=quotes, positions=build_positions(articles, manifest, quotes))
