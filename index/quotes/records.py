"""One article's attributed quotations as a compact JSON record, kept in the article cache.

Extraction runs once per article version (at index time, where the `speaker:` field needs it);
the briefing-wide analysis then reads these records instead of reading every article again.
A record is tied to the article's content hash by the cache and to the extraction rules by
`EXTRACTION_VERSION`: bump it whenever quotes.py, attribution.py, speech.py, speakers.py or
quote_marks.py would extract something different from the same text.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Callable

from briefing.index.model import Article, Manifest, Paragraph
from briefing.index.quotes import extract
from briefing.index.quotes.attribution import Entity
from briefing.index.quotes.extract import Quote
from briefing.index.quotes.marks import QuoteSpan
from briefing.index.quotes.speakers import names_compatible, side_from_text, surname_key

EXTRACTION_VERSION = "13"

_QUOTE_FIELDS = ("id", "paragraph", "start", "end", "text", "kind", "speaker", "speaker_as_given",
                 "role", "side", "cue", "marked", "via")


# Names, roles, sides and cues recur across thousands of articles: one string object each.
_SHARED_FIELDS = ("kind", "speaker", "speaker_as_given", "role", "side", "cue", "via")


def _shared(value: Any) -> Any:
    return sys.intern(value) if type(value) is str else value


def to_record(pairs: list[tuple[Quote, Entity | None]]) -> str:
    """JSON for the (quote, article-level entity) pairs of one article."""
    entities: list[Entity] = []
    slot: dict[int, int] = {}
    quotes = []
    for q, e in pairs:
        ref = None
        if e is not None:
            ref = slot.get(id(e))
            if ref is None:
                ref = slot[id(e)] = len(entities)
                entities.append(e)
        quotes.append([getattr(q, f) for f in _QUOTE_FIELDS] + [ref])
    return json.dumps({
        "quotes": quotes,
        "entities": [[e.name, e.kind, sorted(e.forms), e.roles, e.context, e.gender_votes] for e in entities],
    }, ensure_ascii=False, separators=(",", ":"))


def from_record(text: str, source: str, outlet: str | None) -> list[tuple[Quote, Entity | None]]:
    """The pairs back; quotes of one article share its entity objects, as extraction made them.
    Raises ValueError for a record that does not have this shape."""
    try:
        data = json.loads(text)
        entities = [Entity(_shared(name), _shared(kind), {_shared(f) for f in forms}, [_shared(r) for r in roles],
                           list(context), dict(votes))
                    for name, kind, forms, roles, context, votes in data["entities"]]
        out = []
        for row in data["quotes"]:
            *values, ref = row
            fields = dict(zip(_QUOTE_FIELDS, values, strict=True))
            for name in _SHARED_FIELDS:
                fields[name] = _shared(fields[name])
            entity = entities[ref] if ref is not None else None
            q = Quote(source=source, outlet=outlet, speaker_kind=entity.kind if entity is not None else None, **fields)
            out.append((q, entity))
        return out
    except (KeyError, TypeError, IndexError, ValueError) as exc:
        raise ValueError(f"not a quote record: {exc}") from None


# A long article is read by the extractor in stretches: its reader keeps every paragraph's
# tokens, cues and sentences until the end (about 2 KB a paragraph), so one pass over a million
# paragraphs held gigabytes. Articles up to WINDOW_PARAGRAPHS (every real news story) are read in
# one pass, as before.
WINDOW_PARAGRAPHS = 2_000
# Paragraphs re-read before each stretch, for their context only: a pronoun looks 3 paragraphs
# back and a quotation that opens its paragraph takes the previous one's speaker; the margin lets
# a chain of such references settle before the stretch's own paragraphs are read.
WINDOW_CONTEXT = 12
KNOWN_PEOPLE = 100  # people of earlier stretches named to the next one (the most recently seen)


class _Stretch(Article):
    """Some consecutive paragraphs of an article, numbered as in the whole article (the extractor
    looks paragraphs up by number)."""

    __slots__ = ("_by_n",)
    _by_n: dict[int, Paragraph]

    def paragraph(self, n: int) -> Paragraph:
        try:
            by_n = self._by_n
        except AttributeError:
            by_n = self._by_n = {p.n: p for p in self.paragraphs}
        try:
            return by_n[n]
        except KeyError:
            raise KeyError(f"{self.id} has no paragraph {n} in this stretch") from None


def _is_sentence(title: str) -> bool:
    """Whether the extractor reads a headline for names (extract.attribution: a sentence, not a
    headline in title case)."""
    return any(len(w) > 3 and w.isalpha() and w.islower() for w in title.split())


def _plain_role(e: Entity) -> str:
    """The person's role to print before the name, if it reads back as a role ("Deputy Foreign
    Minister, Northland" would make "Northland" a first name)."""
    role = e.role
    if not role or any(ch in role for ch in ",;:()'’\"“”"):
        return ""
    return role + " "


def _stretch(article: Article, paragraphs: list[Paragraph], known: list[Entity] = ()) -> _Stretch:  # type: ignore[assignment]
    """The stretch as an article. `known`: people named in full before it, given to the
    extractor as a headline (which it reads for names before the paragraphs), so that a bare
    surname in the stretch is still that person and not an institution."""
    title = article.title
    if known:
        named = " ".join(f"{_plain_role(e)}{e.name} spoke." for e in known)
        if _is_sentence(title):  # read for names too: a sentence of its own before them
            title = f"{title}{' ' if title.rstrip().endswith(('.', '!', '?')) else '. '}{named}"
        else:
            title = named
    return _Stretch(
        id=article.id, outlet=article.outlet, title=title, byline=article.byline, date=article.date,
        dateline=article.dateline, captions=article.captions, paragraphs=paragraphs, path=article.path,
        sha256=article.sha256, credits=article.credits,
    )


class _People:
    """One entity per person or body across the stretches of an article, merged as the extractor
    merges names within one reading (compatible full names of one surname are one person)."""

    def __init__(self) -> None:
        self._by_surname: dict[str, list[Entity]] = {}
        self._by_name: dict[tuple[str, str], Entity] = {}
        self._seen: dict[int, Entity] = {}  # people named in full, by when last seen

    def recent(self, limit: int = KNOWN_PEOPLE) -> list[Entity]:
        """The people named in full most lately, oldest first."""
        return list(self._seen.values())[-limit:]

    def merge(self, e: Entity) -> Entity:
        found = self._merge(e)
        if found.kind == "person" and len(found.name.split()) > 1:
            self._seen.pop(id(found), None)
            self._seen[id(found)] = found
        return found

    def _merge(self, e: Entity) -> Entity:
        found = self._find(e)
        if found is None:
            found = Entity(e.name, e.kind, set(e.forms), list(e.roles), list(e.context), dict(e.gender_votes))
            if e.kind == "person":
                self._by_surname.setdefault(surname_key(e.name.split()), []).append(found)
            else:
                self._by_name[(e.kind, e.name.lower())] = found
            return found
        for form in e.forms:
            found.add_form(form)
        found.roles.extend(r for r in e.roles if r not in found.roles)
        found.context.extend(c for c in e.context if c not in found.context)
        for gender, votes in e.gender_votes.items():
            found.gender_votes[gender] = found.gender_votes.get(gender, 0) + votes
        return found

    def _find(self, e: Entity) -> Entity | None:
        if e.kind != "person":
            return self._by_name.get((e.kind, e.name.lower()))
        tokens = e.name.split()
        for known in self._by_surname.get(surname_key(tokens), []):
            full = [f for f in known.forms if len(f.split()) > 1] or list(known.forms)
            if any(names_compatible(tokens, f.split()) for f in full):
                return known
        return None


def read_pairs(
    article: Article,
    manifest: Manifest,
    progress: Callable[[int, int], None] | None = None,
    window: int | None = None,
    context: int | None = None,
    extra: dict[int, list[QuoteSpan]] | None = None,
) -> list[tuple[Quote, Entity | None]]:
    """The article's (quote, entity) pairs, as `extract.read_article` gives them; a long article
    is read in stretches of `window` paragraphs (WINDOW_PARAGRAPHS), each after `context`
    (WINDOW_CONTEXT) paragraphs read again for their context, so that memory does not grow with
    its length. `progress(done, total)` is told the paragraphs read after each stretch. `extra`:
    spans printed without marks, by paragraph number, as `extract.read_article` takes them.

    What a stretch cannot see: a name, a gender or an office learnt only in another stretch more
    than `context` paragraphs away (one reading learns them from the whole article first). The
    speakers of all stretches are merged into one entity each, so a person keeps one name.
    """
    window = window or WINDOW_PARAGRAPHS
    context = WINDOW_CONTEXT if context is None else context
    paragraphs = article.paragraphs
    total = len(paragraphs)
    if total <= window:
        return extract.read_article(article, manifest, extra)[0]
    people = _People()
    out: list[tuple[Quote, Entity | None]] = []
    merged: dict[int, Entity] = {}  # id of an entity of the current stretch -> its merged entity
    previous: dict[tuple[int, int], int] = {}  # (paragraph, start) -> place in `out`, the last stretch's tail
    # whether a quote's role is its speaker's (the longest the stretch printed), not one given
    # with the quote: that one is then the whole article's
    speaker_role: list[bool] = []
    for lo in range(0, total, window):
        hi = min(lo + window, total)
        own_from = paragraphs[lo].n
        first = max(0, lo - context)
        known = people.recent() if first > 0 else []
        pairs, reader = extract.read_article(_stretch(article, paragraphs[first:hi], known), manifest, extra)
        merged.clear()
        for named in reader.entities:  # everyone named, quoted or not: the next stretch knows them
            merged[id(named)] = people.merge(named)
        del reader
        tail_from = paragraphs[max(lo, hi - context)].n
        tail: dict[tuple[int, int], int] = {}
        for q, e in pairs:
            g: Entity | None = None
            if e is not None:
                g = merged.get(id(e))
                if g is None:
                    g = merged[id(e)] = people.merge(e)
            if q.paragraph < own_from:
                # Read again for context: the last stretch's reading stands, unless a quotation
                # running over paragraphs found its speaker in a piece of this stretch.
                i = previous.get((q.paragraph, q.start))
                if i is not None and out[i][1] is None and g is not None and q.via == "continued":
                    out[i] = (q, g)
                    speaker_role[i] = e is not None and q.role == e.role
                continue
            if q.paragraph >= tail_from:
                tail[(q.paragraph, q.start)] = len(out)
            out.append((q, g))
            speaker_role.append(e is not None and q.role == e.role)
        previous = tail
        del pairs
        if progress is not None:
            progress(hi, total)
    for (q, g), own_role in zip(out, speaker_role):
        if g is None:
            continue
        # As one reading does: the speaker's fullest name, every form, and the role and side
        # the whole article gives them (not only the stretch the quote was in).
        q.speaker = q.speaker_as_given = g.name
        q.names = tuple(sorted(g.forms))
        if own_role:
            q.role = g.role
        q.side = g.side(manifest) or side_from_text(q.role, manifest)
    return out
