"""Everything derived from the articles beyond their text: quotes, speakers, groups, positions.

Kept apart from the engine so the engine stays about files and the index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from briefing.index.model import Article, Manifest
from briefing.index.quotes.analysis import ReadQuotes
from briefing.index.quotes.extract import Quote, is_quotation
from briefing.index.search.passages import PassageExtras
from briefing.index.sides import Evidence, SideInference, TextsState, collect_texts, infer_sides, merged_manifest


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
    quotes: Any  # briefing.index.quotes.analysis.QuoteAnalysis
    positions: Any | None = None  # briefing.index.positions.Positions
    notes: list[str] = field(default_factory=list)
    # The manifest the analysis used: the loaded one with what was inferred where it is silent
    # (sides marked `inferred`); side labels of quotes and positions come from here.
    manifest: Manifest = field(default_factory=Manifest)
    sides: SideInference | None = None  # per-speaker evidence, the sides inferred

    def evidence(self, speaker: str | None) -> list[Evidence]:
        """The words that put this speaker on its side (empty: none, or no such speaker)."""
        if not speaker or self.sides is None:
            return []
        return list(self.sides.evidence.get(speaker, []))


class _Capture:
    """The analysis' quote reader, wrapped: it keeps each article's speaker entities, whose role
    phrases are evidence for the speaker's side."""

    def __init__(self, read: ReadQuotes | None, manifest: Manifest):
        from briefing.index.quotes.extract import read_article

        self.read: ReadQuotes = read or (lambda article: read_article(article, manifest)[0])
        self.pairs: list[tuple[Any, Any]] = []

    def __call__(self, article: Article) -> list[tuple[Any, Any]]:
        pairs = self.read(article)
        self.pairs.extend(pair for pair in pairs if pair[1] is not None)
        return pairs

    def seeded(self, speakers: list[Any]) -> dict[str, list[tuple[str, str | None]]]:
        """speaker name -> (role phrase, article id) from the entities attribution built."""
        names = {s.name for s in speakers}
        alias: dict[str, str | None] = {}
        for s in speakers:
            for form in (s.name, *s.aliases):
                alias[form] = s.name if alias.get(form, s.name) == s.name else None
        out: dict[str, list[tuple[str, str | None]]] = {}
        seen: set[int] = set()
        for q, e in self.pairs:
            if id(e) in seen:
                continue
            seen.add(id(e))
            name = q.speaker if q.speaker in names else alias.get(e.name)
            if name:
                out.setdefault(name, []).extend((phrase, q.source) for phrase in [*e.roles, *e.context])
        self.pairs = []
        return out


@dataclass(slots=True)
class AnalysisState:
    """What an analysis leaves for the next analysis of a changed briefing (kept by
    briefing.index.analysis_store apart from the analysis itself)."""

    quotes: Any  # briefing.index.quotes.analysis.QuoteState
    positions: Any = None  # briefing.index.positions.PositionState
    sides: Any = None  # briefing.index.sides.TextsState (with inference only)


def analyse(articles: Iterable[Article], manifest: Manifest, read: ReadQuotes | None = None,
            infer: bool = True, previous: AnalysisState | None = None,
            keep: list[AnalysisState] | None = None) -> Analysis:
    """`read(article)` gives an article's attributed quotations when they are cached (see
    briefing.index.quotes.records); by default they are extracted here.

    With `infer` (the default) what the manifest leaves out is inferred: sides and each speaker's
    side with its evidence (briefing.index.sides), issues (briefing.index.issues).

    `previous` is what an analysis of an earlier version of the briefing left in `keep`: only
    the work the changed articles touch is done again, for the same result."""
    from briefing.index.positions import PositionState, build_positions
    from briefing.index.quotes import analyse_quotes
    from briefing.index.quotes.analysis import QuoteState

    kept: list[QuoteState] = []
    kept_positions: list[PositionState] = []
    kept_sides: list[TextsState] = []
    old_quotes = previous.quotes if previous is not None else None
    old_positions = previous.positions if previous is not None else None
    old_sides = previous.sides if previous is not None else None
    if not infer:
        quotes = analyse_quotes(articles, manifest, read, old_quotes, kept)  # type: ignore[arg-type]
        positions = build_positions(articles, manifest, quotes, previous=old_positions, keep=kept_positions)
        if keep is not None:
            if kept[0].people is not None:
                kept[0].people = kept[0].people.kept()
            keep.append(AnalysisState(kept[0], kept_positions[0]))
        return Analysis(quotes=quotes, positions=positions, manifest=manifest)
    capture = _Capture(read, manifest)
    quotes = analyse_quotes(articles, manifest, capture, old_quotes, kept)  # type: ignore[arg-type]
    texts = collect_texts(articles, quotes.speakers, capture.seeded(quotes.speakers), old_sides, kept_sides)
    inference = infer_sides(manifest, quotes.speakers, texts, people=kept[0].people if kept else None)
    effective = merged_manifest(manifest, inference)
    _apply_sides(quotes, inference, effective)
    positions = build_positions(articles, effective, quotes, discover=True, previous=old_positions, keep=kept_positions)
    if keep is not None:
        if kept[0].people is not None:
            kept[0].people = kept[0].people.kept()  # (the answers asked, without the old ones)
        keep.append(AnalysisState(kept[0], kept_positions[0], kept_sides[0]))
    return Analysis(quotes=quotes, positions=positions, manifest=effective, sides=inference)


def _apply_sides(quotes: Any, inference: SideInference, manifest: Manifest) -> None:
    """Quotes take their speaker's inferred side; an unnamed speaker's role words ("a senior
    State Department official") are read against the inferred sides' cues. A described speaker
    ("a senior official") is its own source in each article, never looked up by its words: its
    side comes from its own role and description words, quote by quote."""
    from briefing.index.quotes.speakers import side_from_text

    if not inference.assigned and not inference.sides:
        return
    for q in quotes.quotes:
        if q.speaker_kind == "description":
            if not q.side and inference.sides:
                q.side = side_from_text(q.role, manifest) or side_from_text(q.speaker, manifest)
        elif q.speaker in inference.assigned:
            q.side = inference.assigned[q.speaker]
        elif not q.side and q.speaker is None and q.role and inference.sides:
            q.side = side_from_text(q.role, manifest)
    if inference.sides:
        for sp in quotes.speakers:
            if sp.kind == "description" and not sp.side:
                sp.side = side_from_text(sp.role, manifest) or side_from_text(sp.name, manifest)
    quotes.side_labels = {s.id: s.label for s in manifest.sides}
