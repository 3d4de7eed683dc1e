"""Quotes across a whole briefing: one speaker under every form of the name and every outlet,
sides, utterance groups, and the quotations an outlet printed without marks."""

from __future__ import annotations

import hashlib
import io
import pickle
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from briefing.index.quotes.attribution import Entity
from briefing.index.model import Article, Manifest
from briefing.index.quotes.groups import (
    DiffMemo,
    Normaliser,
    QuoteGroup,
    QuoteIndex,
    build_groups,
    compounds_of,
    pack_keys,
    stable_keys,
    stable_run_keys,
    unmarked_in_article,
    unpack_keys,
)
from briefing.index.quotes.marks import QuoteSpan
from briefing.index.workers import ordered_map
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
Seq = tuple[str, ...]
# A quotation as the shingle index sees it: id, word sequence, printed with marks. An article's
# change reaches other articles only through entries it gained or lost.
Entry = tuple[str, Seq, bool]
Hit = tuple[int, int, int, tuple[str, ...]]  # paragraph, start, end, ids of the quotations it repeats


@dataclass(slots=True)
class ArticleQuotes:
    """One article's part of the quote analysis, kept with the stored analysis: the next
    analysis reuses it while the article and what it depends on are unchanged."""

    sha: str | None  # its content hash (an article without one is never taken as unchanged)
    compounds: list[tuple[str, list[str]]]  # its hyphenated compounds (briefing.index.quotes.groups.compounds_of)
    seqs: list[Entry]  # its quotations as first read (what unmarked speech repeats)
    probes: bytes  # stable keys (groups.pack_keys) of the three- and four-word runs its unmarked search read
    hits: list[Hit]  # stretches of it that repeat other outlets' quotations
    final: bytes | None = None  # its pairs read again with those stretches as quotations (pickled)
    final_seqs: list[Entry] | None = None  # those pairs' quotations


@dataclass(slots=True)
class PeopleSides:
    """`speakers.override_side` (the manifest's `[people]` side of any form of a name), decided
    once per set of forms: the merge of speakers and the inference of sides both ask it of every
    speaker, and the next analysis asks it again of the speakers no change touched. Its answer
    depends only on the set of forms and the manifest's people, which are kept to tell a stale
    memo."""

    people: tuple[tuple[str, str], ...] = ()
    known: dict[frozenset[str], str | None] = field(default_factory=dict)
    used: dict[frozenset[str], str | None] = field(default_factory=dict)  # what this analysis asked

    @classmethod
    def following(cls, manifest: Manifest, previous: "PeopleSides | None") -> "PeopleSides":
        people = tuple(manifest.people.items())
        known = previous.used if previous is not None and previous.people == people else {}
        return cls(people, known, {})

    def side(self, names: Iterable[str], manifest: Manifest) -> str | None:
        key = frozenset(n for n in names if n)
        if key in self.used:
            return self.used[key]
        side = self.known[key] if key in self.known else override_side(key, manifest)
        self.used[key] = side
        return side

    def kept(self) -> "PeopleSides":
        """What the next analysis starts from: the answers this one used."""
        return PeopleSides(self.people, {}, self.used)


@dataclass(slots=True)
class QuoteState:
    """What an analysis leaves for the next one (briefing.index.analysis_store keeps it apart
    from the analysis, which a reopen loads alone)."""

    articles: dict[str, ArticleQuotes]
    compounds: dict[str, list[str]]
    seen: set[str]  # word pieces every kept word sequence was made from (Normaliser.seen)
    edges: list[tuple[Seq, Seq]]  # links between distinct quotation sequences (QuoteIndex.seq_links)
    diffs: DiffMemo = field(default_factory=dict)
    people: PeopleSides | None = None
    clusters: ClusterMemo = field(default_factory=dict)  # each surname partition's clustering (_cluster)
    # the shingle index of the quotations as first read: its sequences, in their numbering, and
    # postings (the next analysis keeps them while that numbering is the one it would give)
    index: "_KeptIndex | None" = None


def analyse_quotes(articles: list[Article], manifest: Manifest, read: ReadQuotes | None = None,
                   previous: QuoteState | None = None, keep: list[QuoteState] | None = None,
                   people: PeopleSides | None = None) -> QuoteAnalysis:
    """`read` gives one article's attributed quotations (default: extract them now; the engine
    passes the records it cached at index time).

    With `previous` (what an analysis of an earlier version of these articles left in `keep`),
    only what the changed articles touch is computed again: their quotations, the unmarked
    speech in other articles that repeats quotations they gained or lost, the utterances those
    were in. The result is the same as without it."""
    read = read or (lambda article: read_article(article, manifest)[0])
    old = previous.articles if previous is not None else {}
    if people is None:
        people = PeopleSides.following(manifest, previous.people if previous is not None else None)
    per_article: dict[str, list[tuple[Quote, Entity | None]]] = {}
    hidden: list[Quote] = []
    memos: dict[str, ArticleQuotes] = {}
    dirty: set[str] = set()
    outlets: dict[str, str | None] = {}
    order: list[Article] = []
    for article in articles:
        order.append(article)
        outlets[article.id] = article.outlet
        per_article[article.id] = _quotations(read(article), hidden)
        memo = old.get(article.id)
        if memo is None or not memo.sha or memo.sha != getattr(article, "sha256", None):
            memo = ArticleQuotes(getattr(article, "sha256", None),
                                 compounds_of(p.text for p in article.paragraphs if p.kind == "text"), [], b"", [])
            dirty.add(article.id)
        memos[article.id] = memo
    gone = [aid for aid in old if aid not in memos]

    compounds: dict[str, list[str]] = {}
    for article in order:
        for key, parts in memos[article.id].compounds:
            compounds.setdefault(key, parts)
    seen: set[str] = set()
    if previous is not None:
        changed = {k for k in compounds.keys() | previous.compounds.keys() if compounds.get(k) != previous.compounds.get(k)}
        if changed & previous.seen:
            # A compound that splits words already read differently: those words' sequences
            # are all suspect, so nothing is reused.
            return analyse_quotes(articles, manifest, _Replay(per_article, hidden), None, keep, people)
        seen = set(previous.seen)
    normaliser = Normaliser(compounds=compounds, seen=seen)

    # quotations printed without marks: matched against the other outlets' marked ones
    marked = [q for a in order for q, _ in per_article[a.id]]
    # an unchanged article's quotations have the word sequences they had (the compounds that
    # would change them were checked above)
    known: list[Seq | None] = []
    for a in order:
        memo = memos[a.id]
        pairs_a = per_article[a.id]
        if a.id in dirty or len(memo.seqs) != len(pairs_a):
            known.extend([None] * len(pairs_a))
        else:
            known.extend(seq if qid == q.id else None for (qid, seq, _marked), (q, _e) in zip(memo.seqs, pairs_a))
    index = _first_index(marked, normaliser, known, previous.index if previous is not None else None)
    offset = 0
    first_seqs: dict[str, list[Entry]] = {}
    for article in order:
        n = len(per_article[article.id])
        first_seqs[article.id] = [(marked[i].id, index.norms(i), marked[i].marked) for i in range(offset, offset + n)]
        offset += n
    # the word runs whose quotations changed: unmarked speech elsewhere can only change there
    touched: set[int] = set()
    if previous is not None:
        changed_entries: set[Entry] = set()
        for aid in dirty:
            changed_entries ^= set(old[aid].seqs) ^ set(first_seqs[aid]) if aid in old else set(first_seqs[aid])
        for aid in gone:
            changed_entries ^= set(old[aid].seqs)
        touched = _touched(index, [seq for _id, seq, _marked in changed_entries])
    extra_changed: set[str] = set()
    again = [a.id for a in order
             if previous is None or a.id in dirty or meets(touched, memos[a.id].probes)]
    wanted = set(again)

    def search(article: Article) -> tuple[list[Hit], bytes, bytes | None, list[Entry] | None, set[str]]:
        """One article's unmarked speech, and its quotations read again with it (in a worker)."""
        local: set[str] = set()
        outer, normaliser.seen = normaliser.seen, local
        try:
            probes: set[int] = set()
            found = unmarked_in_article(article, index, normaliser, None, probes)
            hits = [(h.paragraph, h.start, h.end, tuple(marked[i].id for i in h.matches)) for h in found]
            memo = memos[article.id]
            final, final_seqs = None, None
            if hits and hits == memo.hits and article.id not in dirty and memo.final is not None:
                final, final_seqs = memo.final, memo.final_seqs
            elif hits:
                spans: dict[int, list[QuoteSpan]] = defaultdict(list)
                for paragraph, start, end, _ids in hits:
                    spans[paragraph].append(QuoteSpan(start, end, start, end, True, False, False))
                from briefing.index.quotes.records import read_pairs  # a long article in stretches

                pairs = _quotations(read_pairs(article, manifest, extra=dict(spans)), None)
                final = pickle.dumps(pairs, protocol=pickle.HIGHEST_PROTOCOL)
                final_seqs = [(q.id, tuple(normaliser.words(q.text)), q.marked) for q, _ in pairs]
            return hits, pack_keys(probes), final, final_seqs, local
        finally:
            normaliser.seen = outer

    # (the pass that reads bodies: one at a time, as `articles` gives them, and only those wanted;
    # a strict zip runs the pass to its end, where the last body read is dropped again)
    bodies = (plain_article(a) for a in articles if a.id in wanted)
    for aid, (hits, probes, final, final_seqs, local) in zip(again, ordered_map(search, bodies, len(again)), strict=True):
        seen |= local
        memo = memos[aid]
        if hits != memo.hits or aid in dirty:
            extra_changed.add(aid)
        memos[aid] = ArticleQuotes(memo.sha, memo.compounds, first_seqs[aid], probes, hits, final, final_seqs)
    for article in order:
        memo = memos[article.id]
        memo.seqs = first_seqs[article.id]
        if memo.hits:
            assert memo.final is not None
            per_article[article.id] = _load_pairs(memo.final)

    pairs = [pair for a in order for pair in per_article[a.id]]
    quotes = [q for q, _ in pairs]
    clusters: ClusterMemo = {}
    speakers = _merge_speakers(pairs, manifest, people, previous.clusters if previous is not None else None, clusters)

    index2 = QuoteIndex(quotes, normaliser, [seq for a in order for _id, seq, _marked in _final_seqs(memos[a.id])], index)
    links = index2.member_links()
    seq_id = {seq: u for u, seq in enumerate(index2.seqs) if index2.live(u)}
    if previous is None:
        seq_links = index2.seq_links()
    else:
        moved: set[Entry] = set()
        for aid in dirty | extra_changed:
            now = set(_final_seqs(memos[aid]))
            moved ^= (set(_final_seqs(old[aid])) ^ now) if aid in old else now
        for aid in gone:
            moved ^= set(_final_seqs(old[aid]))
        seq_links = _update_seq_links(index2, seq_id, previous.edges, {seq for _id, seq, _marked in moved})
    links.extend((index2.members[u][0], index2.members[v][0]) for u, v in seq_links)
    position = {q.id: i for i, q in enumerate(quotes)}
    for article in order:
        for paragraph, start, _end, ids in memos[article.id].hits:
            own = position.get(f"{article.id}:{paragraph}:{start}")
            if own is None:
                continue
            for qid in ids:
                other = position.get(qid)
                if other is not None:
                    links.append((own, other))
    diffs: DiffMemo = {}
    groups = build_groups(quotes, links, outlets, normaliser, diffs, previous.diffs if previous is not None else None)
    labels = {s.id: s.label for s in manifest.sides}
    if keep is not None:
        keep.append(QuoteState(memos, compounds, seen, [(index2.seqs[u], index2.seqs[v]) for u, v in seq_links], diffs,
                               people, clusters, _KeptIndex(index.seqs, index.postings)))
    return QuoteAnalysis(quotes, speakers, groups, labels, hidden)


@dataclass(slots=True, eq=False)
class _KeptIndex:
    """A QuoteIndex's sequences and postings, as a `base` for the next one."""

    seqs: list[Seq]
    postings: Any  # briefing.index.quotes.groups._Postings (or _Extended)

    def __eq__(self, other: object) -> bool:
        """The same sequences and postings (the postings' classes compare by identity)."""
        return isinstance(other, _KeptIndex) and self.seqs == other.seqs and _same_postings(self.postings, other.postings)


def _same_postings(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if not hasattr(a, "__dict__"):
        return bool(a == b)
    mine, theirs = vars(a), vars(b)
    return mine.keys() == theirs.keys() and all(_same_postings(v, theirs[k]) for k, v in mine.items())


def _first_index(marked: list[Quote], normaliser: Normaliser, known: list[Seq | None],
                 kept: _KeptIndex | None) -> QuoteIndex:
    """The shingle index of `marked`, numbered by first appearance. Keying and sorting every
    sequence's shingles is a second or more at 10,000 articles; the last analysis' index serves
    instead when its sequences are the first ones met, in its order, and none is gone: then the
    numbering, and so every lookup, is what a fresh index gives (new sequences are keyed on
    their own after them)."""
    if kept is not None and kept.seqs and _depth(kept.postings) < _MAX_EXTENSIONS:
        index = QuoteIndex(marked, normaliser, known, kept)  # type: ignore[arg-type]  # (its seqs and postings) old numbers kept, new ones after
        if _numbered_as_met(index.seq_of, len(index.seqs)):
            if len(index.seqs) == len(kept.seqs):
                index.postings = kept.postings  # nothing added: the very postings
            return index
    return QuoteIndex(marked, normaliser, known)


# Each analysis that adds sequences wraps the kept postings once more (a lookup goes through every
# layer): after this many, the index is built afresh.
_MAX_EXTENSIONS = 8


def _depth(postings: Any) -> int:
    depth = 0
    while hasattr(postings, "base"):
        postings, depth = postings.base, depth + 1
    return depth


def _numbered_as_met(seq_of: list[int], count: int) -> bool:
    """Each of the `count` sequences is first met in the order of its number (as a fresh index
    numbers them): seq_of meets 0, then 1, ..., each before any higher one."""
    following = 0
    for u in seq_of:
        if u >= following:
            if u != following:
                return False
            following += 1
    return following == count


class _PairsOnly(pickle.Unpickler):
    """Kept pairs come back as quotations and entities, nothing else: the bytes are in a file
    someone else could have written."""

    def find_class(self, module: str, name: str) -> type:
        if (module, name) in (("briefing.index.quotes.extract", "Quote"), ("briefing.index.quotes.attribution", "Entity"),
                              ("builtins", "set")):
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of kept quotations")


def _load_pairs(data: bytes) -> list[tuple[Quote, Entity | None]]:
    pairs: list[tuple[Quote, Entity | None]] = _PairsOnly(io.BytesIO(data)).load()
    return pairs


class _Replay:
    """The records already read, read again (an analysis restarted from scratch)."""

    def __init__(self, per_article: dict[str, list[tuple[Quote, Entity | None]]], hidden: list[Quote]):
        self.per_article = per_article
        self.hidden: dict[str, list[Quote]] = {q.source: [] for q in hidden}
        for q in hidden:
            self.hidden[q.source].append(q)

    def __call__(self, article: Article) -> list[tuple[Quote, Entity | None]]:
        return [*self.per_article[article.id], *((q, None) for q in self.hidden.get(article.id, []))]


def meets(keys: set[int], packed: bytes) -> bool:
    """Whether any of `keys` is among the packed keys (groups.pack_keys, sorted): each article's
    memo is checked so against what a change touched, 10,000 times per analysis and per memo.
    A few keys are looked up by bisection instead of reading every packed one."""
    if not keys or not packed:
        return False
    listed = unpack_keys(packed)
    if len(keys) * 16 >= len(listed):
        return not keys.isdisjoint(listed)
    for key in keys:
        at = bisect_left(listed, key)
        if at < len(listed) and listed[at] == key:
            return True
    return False


def plain_article(article: Article) -> Article:
    """A plain copy of an article (for a worker: a cache-backed one reads its body from a
    connection that stays in this process)."""
    return Article(**{name: getattr(article, name) for name in Article.__dataclass_fields__})


def _final_seqs(memo: ArticleQuotes) -> list[Entry]:
    return memo.final_seqs if memo.final_seqs is not None else memo.seqs


def _touched(index: QuoteIndex, changed: list[Seq]) -> set[int]:
    """Stable keys (groups.stable_keys, stable_run_keys) through which the changed sequences can
    alter what the unmarked search finds in a sentence: a sequence of four words or more only
    where the sentence shares a run of four of its words, one of three only where the sentence
    has it; and a three-word run whose stock-phrase standing (QuoteIndex.candidates skips runs
    listed under too many sequences) may have changed, wherever it is."""
    from briefing.index.quotes.groups import MAX_SHINGLE_QUOTES, SHINGLE

    moved: Counter[tuple[str, ...]] = Counter()
    out: set[int] = set()
    for seq in set(changed):
        moved.update({seq[i : i + SHINGLE] for i in range(len(seq) - SHINGLE + 1)})
        if len(seq) > SHINGLE:
            out |= stable_run_keys(seq)
        elif len(seq) == SHINGLE:
            out |= stable_keys(seq)
    for run, d in moved.items():
        now = index.raw_count(hash(run))
        if now - d <= MAX_SHINGLE_QUOTES < now + d:
            out |= stable_keys(run)
    return out


def _update_seq_links(index: QuoteIndex, seq_id: dict[Seq, int], edges: list[tuple[Seq, Seq]],
                      changed: set[Seq]) -> list[tuple[int, int]]:
    """The links between distinct sequences after some changed, from the links before: every
    utterance a changed sequence was or is in is compared again, as is every sequence of a
    three-word run whose stock-phrase standing (QuoteIndex.candidates) may have changed."""
    from briefing.index.quotes.groups import MAX_SHINGLE_QUOTES, shingle_keys

    # how many changed sequences list each run: a run's count of sequences moved by at most that
    moved: Counter[int] = Counter()
    for seq in changed:
        if len(seq) >= 3:
            moved.update(shingle_keys(seq))
    affected: set[Seq] = set(changed)
    for key, d in moved.items():
        now = index.raw_count(key)
        if now - d <= MAX_SHINGLE_QUOTES < now + d:
            affected.update(index.seqs[v] for v in index.listed(key))
    # the utterances they were in, as the old links joined them
    parent: dict[Seq, Seq] = {}

    def root(x: Seq) -> Seq:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = root(parent.setdefault(a, a)), root(parent.setdefault(b, b))
        if ra != rb:
            parent[ra] = rb
    hit = {root(x) for x in affected if x in parent}
    affected.update(x for x in parent if root(x) in hit)
    known = [(seq_id[a], seq_id[b]) for a, b in edges
             if a not in affected and b not in affected and a in seq_id and b in seq_id]
    return index.seq_links([seq_id[x] for x in affected if x in seq_id], known)


def _quotations(
    pairs: list[tuple[Quote, Entity | None]], hidden: list[Quote] | None
) -> list[tuple[Quote, Entity | None]]:
    """The pairs that quote someone; titles, markup residue and nicknames go to `hidden`."""
    kept = [pair for pair in pairs if is_quotation(pair[0])]
    if hidden is not None and len(kept) < len(pairs):
        hidden.extend(q for q, _e in pairs if not is_quotation(q))
    return kept


def _merge_speakers(pairs: list[tuple[Quote, Entity | None]], manifest: Manifest,
                    people: PeopleSides | None = None, previous: ClusterMemo | None = None,
                    keep: ClusterMemo | None = None) -> list[Speaker]:
    """One Speaker per person (or institution) across articles; quotes get the canonical name.
    (`previous` and `keep`: the memo of surname partitions, see _cluster.)"""
    entities: list[Entity] = []
    seen: set[int] = set()
    for _q, e in pairs:
        if e is not None and id(e) not in seen:
            seen.add(id(e))
            entities.append(e)
    clusters = _cluster(entities, previous, keep)
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
        printed = _printed_forms(form_counts)
        name = max(printed, key=lambda f: (fullness(f)[0], printed[f], fullness(f)[1]))
        aliases = sorted(form_counts, key=lambda f: (-fullness(f)[0], -form_counts[f], f))
        roles: Counter[str] = Counter(r for e in members for r in e.roles)
        titled = [r for r in roles if any(is_title(w) for w in r.split())] or list(roles)
        role = max(titled, key=lambda r: (roles[r], len(r))) if titled else None
        kind = members[0].kind
        if kind == "person":
            side = (people.side(form_counts, manifest) if people is not None else override_side(form_counts, manifest)) or side_from_texts(
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


def _printed_forms(form_counts: Counter[str]) -> Counter[str]:
    """The forms of one name counted without their accents, each under its accented spelling:
    an outlet whose type drops accents prints "Calderon" for "Calderón", and none adds an accent
    a name does not have, so the accented spelling is the name as printed by those that can."""
    spellings: dict[str, list[str]] = defaultdict(list)
    for form in form_counts:
        spellings[_without_accents(form)].append(form)
    printed: Counter[str] = Counter()
    for forms in spellings.values():
        best = max(forms, key=lambda f: (sum(not c.isascii() for c in f), form_counts[f], f))
        printed[best] = sum(form_counts[f] for f in forms)
    return printed


def _surname_key(name: str) -> str:
    # accents folded for matching only: "Ibáñez" and "Ibanez" are one surname, printed two ways
    return _without_accents(surname_key(name.split()))[:4]


def _without_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


# One surname partition's clustering (see _cluster): for each full-named entity, the index of
# its cluster among the partition's; for each entity named by one word, that index or -1.
Partition = tuple[tuple[int, ...], tuple[int, ...]]
# digest of a partition's entities (their names, kinds and forms, in order) -> its clustering
ClusterMemo = dict[bytes, Partition]


def _cluster(entities: list[Entity], previous: ClusterMemo | None = None,
             keep: ClusterMemo | None = None) -> list[list[Entity]]:
    """People merge when some form of each is compatible; a bare surname ("Ryabkov") joins a
    fuller name only when exactly one person of that surname is in view. Institutions merge by
    name. A source described but not named ("a senior official") is its article's own: two
    articles' "a senior official" are not known to be one person, nor anyone named.

    Only entities of one surname key can join one another, so each key's entities are clustered
    on their own; `previous` (what an earlier call left in `keep`) gives a key's clustering
    again when its entities have the same names and forms in the same order: a change to one
    article redoes only the surnames it names."""
    surname_of: dict[str, str] = {}

    def key_of(name: str) -> str:
        key = surname_of.get(name)
        if key is None:
            key = surname_of[name] = _surname_key(name)
        return key

    # where each entity goes: its own cluster, an institution's by name, a surname partition
    # (full names first, in order, then the one-word names, decided against the full ones)
    full: dict[str, list[Entity]] = defaultdict(list)
    later: dict[str, list[Entity]] = defaultdict(list)
    bare: list[Entity] = []
    single_orgs: list[Entity] = []
    routes: list[tuple[int, Entity]] = []  # 0 own cluster, 1 institution, 2 full name
    for e in entities:
        if e.kind == "description":
            routes.append((0, e))
        elif e.kind != "person" and " " not in e.name and e.name[:1].isupper() and not e.name.isupper():
            single_orgs.append(e)  # "Popov said" with no full name in that article: decided below
        elif e.kind != "person":
            routes.append((1, e))
        elif all(len(f.split()) == 1 for f in e.forms):
            bare.append(e)
        else:
            routes.append((2, e))
            full[key_of(e.name)].append(e)
    for e in bare + single_orgs:
        later[key_of(e.name)].append(e)

    decided: dict[tuple[str, str], bool] = {}
    plan: dict[str, Partition] = {}
    for key in full.keys() | later.keys():
        digest = _partition_digest(key, full.get(key, []), later.get(key, []))
        known = previous.get(digest) if previous is not None else None
        if known is None or not _fits_partition(known, len(full.get(key, [])), len(later.get(key, []))):
            known = _cluster_partition(full.get(key, []), later.get(key, []), decided)
        plan[key] = known
        if keep is not None:
            keep[digest] = known

    clusters: list[list[Entity]] = []
    orgs: dict[str, list[Entity]] = {}
    made: dict[str, list[list[Entity]]] = defaultdict(list)
    taken: Counter[str] = Counter()

    def to_org(e: Entity) -> None:
        key = e.name.lower()
        if key not in orgs:
            orgs[key] = []
            clusters.append(orgs[key])
        orgs[key].append(e)

    for route, e in routes:
        if route == 0:
            clusters.append([e])
        elif route == 1:
            to_org(e)
        else:
            key = key_of(e.name)
            c = plan[key][0][taken[key]]
            taken[key] += 1
            if c == len(made[key]):
                made[key].append([e])
                clusters.append(made[key][-1])
            else:
                made[key][c].append(e)
    taken.clear()
    for e in bare + single_orgs:
        key = key_of(e.name)
        c = plan[key][1][taken[key]]
        taken[key] += 1
        if c >= 0:
            made[key][c].append(e)  # the one person of that surname named in full elsewhere
        elif e.kind == "person":
            clusters.append([e])
        else:
            to_org(e)
    return clusters


def _partition_digest(key: str, full: list[Entity], later: list[Entity]) -> bytes:
    """Everything the clustering of one surname partition reads of its entities."""
    return hashlib.sha1(repr((key, [(e.name, e.kind, sorted(e.forms)) for e in full],
                              [(e.name, e.kind, sorted(e.forms)) for e in later])).encode("utf-8")).digest()


def _fits_partition(known: Partition, full: int, later: int) -> bool:
    """Whether a remembered clustering can be one of a partition of this size (a stored memo is
    checked, never trusted): each full name joins an earlier cluster or makes the next one."""
    if len(known[0]) != full or len(known[1]) != later:
        return False
    made = 0
    for c in known[0]:
        if not 0 <= c <= made:
            return False
        made += c == made
    return all(-1 <= c < made for c in known[1])


def _cluster_partition(full: list[Entity], later: list[Entity], decided: dict[tuple[str, str], bool]) -> Partition:
    """The clustering of one surname key's entities: each full name joins the first cluster one
    of its full forms fits, else starts one; then each one-word name joins the one cluster it
    fits, if exactly one does. (`decided` keeps each pair of forms compared: the same "Wendy
    Sherman" is met again in each of 500 articles.)"""
    forms_of: list[dict[str, list[str]]] = []  # each cluster's distinct full forms

    def fits(form: str, c: int) -> bool:
        forms = forms_of[c]
        for g in forms:
            ok = decided.get((form, g))
            if ok is None:
                ok = decided[(form, g)] = names_compatible(_without_accents(form).split(), forms[g])
            if ok:
                return True
        return False

    def add_forms(c: int, e: Entity) -> None:
        forms = forms_of[c]
        for g in e.forms:
            if g not in forms and len(g.split()) > 1:
                forms[g] = _without_accents(g).split()

    first: list[int] = []
    for e in full:
        wanted = [f for f in e.forms if len(f.split()) > 1]
        c = next((c for c in range(len(forms_of)) if any(fits(f, c) for f in wanted)), len(forms_of))
        if c == len(forms_of):
            forms_of.append({})
        first.append(c)
        add_forms(c, e)
    second: list[int] = []
    for e in later:
        found = [c for c in range(len(forms_of)) if fits(e.name, c)]
        second.append(found[0] if len(found) == 1 else -1)
        if len(found) == 1:
            add_forms(found[0], e)
    return tuple(first), tuple(second)
