"""Quotes across a whole briefing: one speaker under every form of the name and every outlet,
sides, utterance groups, and the quotations an outlet printed without marks."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from briefing.index.quotes.attribution import Entity
from briefing.index.model import Article, Manifest
from briefing.index.quotes.groups import Normaliser, QuoteGroup, QuoteIndex, build_groups, find_unmarked
from briefing.index.quotes.marks import QuoteSpan
from briefing.index.quotes.extract import Quote, is_quotation, read_article
from briefing.index.quotes.speakers import (
    Speaker,
    fullness,
    is_title,
    names_compatible,
    override_side,
    side_from_text,
    side_from_texts,
    surname_key,
)


@dataclass(slots=True)
class QuoteAnalysis:
    quotes: list[Quote]
    speakers: list[Speaker]
    groups: list[QuoteGroup]
    side_labels: dict[str, str] = field(default_factory=dict)  # side id -> label
    # quotation marks that quote no one (titles of works, markup residue, nicknames): kept out of
    # `quotes`, the quote browser and `briefing quotes`
    hidden: list[Quote] = field(default_factory=list)

    def filter(self, speaker: str | None = None, side: str | None = None, source: str | None = None) -> list[Quote]:
        """Quotes by any form of a speaker's name, by side id or label, by article id."""
        out = self.quotes
        if speaker:
            names = {s.name for s in self.speakers if s.matches(speaker)}
            out = [q for q in out if q.speaker in names]
        if side:
            wanted = side.strip().lower()
            if wanted in ("none", "unknown"):
                out = [q for q in out if q.side is None]
            else:
                ids = {sid for sid, label in self.side_labels.items() if wanted in (sid.lower(), label.lower())}
                ids.add(wanted)
                out = [q for q in out if q.side is not None and q.side.lower() in ids]
        if source:
            out = [q for q in out if q.source == source]
        return list(out)

    def group(self, group_id: str) -> QuoteGroup | None:
        return next((g for g in self.groups if g.id == group_id), None)

    def speaker(self, name: str) -> Speaker | None:
        return next((s for s in self.speakers if s.matches(name)), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "quotes": [q.to_json() for q in self.quotes],
            "speakers": [s.to_json() for s in self.speakers],
            "groups": [g.to_json() for g in self.groups],
        }


ReadQuotes = Callable[[Article], list[tuple[Quote, Entity | None]]]


def analyse_quotes(articles: list[Article], manifest: Manifest, read: ReadQuotes | None = None) -> QuoteAnalysis:
    """`read` gives one article's attributed quotations (default: extract them now; the engine
    passes the records it cached at index time)."""
    read = read or (lambda article: read_article(article, manifest)[0])
    normaliser = Normaliser(p.text for a in articles for p in a.paragraphs if p.kind == "text")
    per_article: dict[str, list[tuple[Quote, Entity | None]]] = {}
    hidden: list[Quote] = []
    for article in articles:
        per_article[article.id] = _quotations(read(article), hidden)

    # quotations printed without marks: matched against the other outlets' marked ones
    marked = [q for a in articles for q, _ in per_article[a.id]]
    index = QuoteIndex(marked, normaliser)
    hits = find_unmarked(articles, index, normaliser)
    extra: dict[str, dict[int, list[QuoteSpan]]] = defaultdict(lambda: defaultdict(list))
    for hit in hits:
        extra[hit.source][hit.paragraph].append(QuoteSpan(hit.start, hit.end, hit.start, hit.end, True, False, False))
    if extra:
        for article in articles:  # in a pass over `articles`, which may read bodies one at a time
            spans = extra.get(article.id)
            if spans:
                per_article[article.id] = _quotations(read_article(article, manifest, dict(spans))[0], None)

    pairs = [pair for a in articles for pair in per_article[a.id]]
    quotes = [q for q, _ in pairs]
    speakers = _merge_speakers(pairs, manifest)

    if extra:  # quotations were added: index them all (the first index is dropped first)
        del index
        index = QuoteIndex(quotes, normaliser)
    links = index.links()
    position = {q.id: i for i, q in enumerate(quotes)}
    for hit in hits:
        own = position.get(f"{hit.source}:{hit.paragraph}:{hit.start}")
        if own is None:
            continue
        for qi in hit.matches:
            other = position.get(marked[qi].id)
            if other is not None:
                links.append((own, other))
    groups = build_groups(quotes, links, {a.id: a.outlet for a in articles}, normaliser)
    labels = {s.id: s.label for s in manifest.sides}
    return QuoteAnalysis(quotes, speakers, groups, labels, hidden)


def _quotations(
    pairs: list[tuple[Quote, Entity | None]], hidden: list[Quote] | None
) -> list[tuple[Quote, Entity | None]]:
    """The pairs that quote someone; titles, markup residue and nicknames go to `hidden`."""
    kept = [pair for pair in pairs if is_quotation(pair[0])]
    if hidden is not None and len(kept) < len(pairs):
        hidden.extend(q for q, _e in pairs if not is_quotation(q))
    return kept


def _merge_speakers(pairs: list[tuple[Quote, Entity | None]], manifest: Manifest) -> list[Speaker]:
    """One Speaker per person (or institution) across articles; quotes get the canonical name."""
    entities: list[Entity] = []
    seen: set[int] = set()
    for _q, e in pairs:
        if e is not None and id(e) not in seen:
            seen.add(id(e))
            entities.append(e)
    clusters = _cluster(entities)
    cluster_of = {id(e): c for c, members in enumerate(clusters) for e in members}
    quote_counts: Counter[int] = Counter()
    for _q, e in pairs:
        if e is not None:
            quote_counts[cluster_of[id(e)]] += 1

    speakers: dict[int, Speaker] = {}
    for c, members in enumerate(clusters):
        if not quote_counts[c]:
            continue
        form_counts: Counter[str] = Counter()
        for e in members:
            form_counts.update(e.forms)
            form_counts[e.name] += 1
        name = max(form_counts, key=lambda f: (fullness(f)[0], form_counts[f], fullness(f)[1]))
        aliases = sorted(form_counts, key=lambda f: (-fullness(f)[0], -form_counts[f], f))
        roles: Counter[str] = Counter(r for e in members for r in e.roles)
        titled = [r for r in roles if any(is_title(w) for w in r.split())] or list(roles)
        role = max(titled, key=lambda r: (roles[r], len(r))) if titled else None
        kind = members[0].kind
        if kind == "person":
            side = override_side(form_counts, manifest) or side_from_texts(
                [r for e in members for r in e.roles + e.context], manifest
            )
        else:
            side = side_from_text(name, manifest) or side_from_texts(roles, manifest)
        speakers[c] = Speaker(name, aliases, role, side, quote_counts[c], kind)

    for q, e in pairs:
        if e is None:
            continue
        sp = speakers.get(cluster_of[id(e)])
        if sp is None:
            continue
        q.speaker = sp.name
        q.speaker_kind = sp.kind
        q.side = sp.side or q.side
        q.role = q.role or sp.role
        if q.source not in sp.sources:
            sp.sources.append(q.source)
    return sorted(speakers.values(), key=lambda s: (-s.quotes, s.name))


def _cluster(entities: list[Entity]) -> list[list[Entity]]:
    """People merge when some form of each is compatible; a bare surname ("Ryabkov") joins a
    fuller name only when exactly one person of that surname is in view. Institutions merge by
    name. A source described but not named ("a senior official") is its article's own: two
    articles' "a senior official" are not known to be one person, nor anyone named."""
    clusters: list[list[Entity]] = []
    orgs: dict[str, list[Entity]] = {}
    by_surname: dict[str, list[list[Entity]]] = defaultdict(list)
    bare: list[Entity] = []
    single_orgs: list[Entity] = []
    # The distinct full forms of each person cluster: one person quoted in 500 articles has
    # 500 entities but a handful of forms, and every comparison goes through these.
    full_forms: dict[int, dict[str, list[str]]] = {}

    def forms_of(cluster: list[Entity]) -> Iterable[list[str]]:
        return full_forms[id(cluster)].values()

    def add_forms(cluster: list[Entity], e: Entity) -> None:
        forms = full_forms.setdefault(id(cluster), {})
        for g in e.forms:
            if g not in forms and len(g.split()) > 1:
                forms[g] = g.split()
    for e in entities:
        if e.kind == "description":
            clusters.append([e])
            continue
        if e.kind != "person" and " " not in e.name and e.name[:1].isupper() and not e.name.isupper():
            single_orgs.append(e)  # "Popov said" with no full name in that article: decided below
            continue
        if e.kind != "person":
            key = e.name.lower()
            if key not in orgs:
                orgs[key] = []
                clusters.append(orgs[key])
            orgs[key].append(e)
            continue
        if all(len(f.split()) == 1 for f in e.forms):
            bare.append(e)
            continue
        key = surname_key(e.name.split())[:4]
        full = [f.split() for f in e.forms if len(f.split()) > 1]
        for cluster in by_surname[key]:
            if any(names_compatible(f, g) for f in full for g in forms_of(cluster)):
                cluster.append(e)
                add_forms(cluster, e)
                break
        else:
            cluster = [e]
            by_surname[key].append(cluster)
            clusters.append(cluster)
            add_forms(cluster, e)
    for e in bare + single_orgs:
        key = surname_key(e.name.split())[:4]
        fits = [c for c in by_surname[key] if any(names_compatible(e.name.split(), g) for g in forms_of(c))]
        if len(fits) == 1:
            fits[0].append(e)  # the one person of that surname named in full elsewhere
            add_forms(fits[0], e)
        elif e.kind == "person":
            clusters.append([e])
        else:
            key = e.name.lower()
            if key not in orgs:
                orgs[key] = []
                clusters.append(orgs[key])
            orgs[key].append(e)
    return clusters
