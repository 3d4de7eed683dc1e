"""Everything derived from the articles beyond their text: quotes, speakers, groups, positions.

Kept apart from the engine so the engine stays about files and the index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from briefing.index.model import Article, Manifest
from briefing.index.quotes.analysis import ReadQuotes
from briefing.index.quotes.extract import Quote, is_quotation
from briefing.index.search.passages import PassageExtras


def extras_from_quotes(quotes: Iterable[Quote], manifest: Manifest) -> dict[int, PassageExtras]:
    """The `speaker:` and `side:` fields of one article's paragraphs, from its quotations."""
    per_par: dict[int, tuple[set[str], set[str]]] = {}
    for q in quotes:
        if not is_quotation(q):
            continue  # a title or markup in quote marks: no one speaks there
        names, sides = per_par.setdefault(q.paragraph, (set(), set()))
        for name in (q.speaker, q.speaker_as_given, *q.names):
            if name:
                names.update(name_variants(name))
        if q.side:
            sides.add(q.side)
            label = manifest.side_label(q.side)
            if label:
                sides.add(label)
    return {n: PassageExtras(tuple(sorted(a)), tuple(sorted(b))) for n, (a, b) in per_par.items()}


def name_variants(name: str) -> set[str]:
    """A name as printed and without its middle initials ("Petra J. Lindgren" -> "Petra Lindgren"),
    so that `speaker:"wendy sherman"` finds every passage of hers."""
    out = {name}
    words = name.split()
    if len(words) >= 3:
        core = [w for w in words[1:-1] if not (len(w) == 2 and w.endswith("."))]
        out.add(" ".join([words[0], *core, words[-1]]))
    return out


@dataclass(slots=True)
class Analysis:
    quotes: object  # briefing.index.quotes.extract.QuoteAnalysis
    positions: object | None = None
    notes: list[str] = field(default_factory=list)


def analyse(articles: list[Article], manifest: Manifest, read: ReadQuotes | None = None) -> Analysis:
    """`read(article)` gives an article's attributed quotations when they are cached (see
    briefing.index.quotes.records); by default they are extracted here."""
    from briefing.index.positions import build_positions
    from briefing.index.quotes.extract import analyse_quotes

    quotes = analyse_quotes(articles, manifest, read)
    return Analysis(quotes=quotes, positions=build_positions(articles, manifest, quotes))
