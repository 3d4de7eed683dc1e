"""One utterance reported by several outlets: grouping quotations, and finding the outlets that
printed the same words without quotation marks.

Quotations are compared as normalised word sequences ("keep the harbour’s open gate policy" ~
"keep the harbour’s open-gate policy"; "non-starters" ~ "nonstarters"; "won't" ~ "will not").
Candidates come from an index of three-word shingles, so the work grows with the number of
quotations and shared phrases, never with all pairs; each candidate pair is then aligned with
difflib and linked when the shorter version is mostly found, in order, in the longer one.
"""

from __future__ import annotations

import hashlib
import math
import operator
import re
import zlib
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache, partial
from itertools import accumulate, chain, compress, repeat
from operator import add, and_, lshift, mul, or_, rshift
from typing import Any, Callable, Collection, Iterable, Iterator, NamedTuple, Sequence

from briefing.index.quotes.marks import QuoteSpan, find_quote_spans, mask_spans
from briefing.index.quotes.speech import CUE
from briefing.index.text import split_sentences
from briefing.index.workers import forks, ordered_map

SHINGLE = 3
# Distinct quotations from which the whole linking pass aligns in workers: below, it takes about a
# second or less, and starting the workers is not worth it.
PARALLEL_SEQS = 20_000
_LINK_BLOCK = 256  # sequences per worker task
MAX_SHINGLE_QUOTES = 400  # a phrase shared by more quotations than this says nothing ("we will not")
_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+(?:[’'\-][^\W_]+)*")
_CONTRACTIONS = {"won't": ("will", "not"), "can't": ("can", "not"), "shan't": ("shall", "not"), "ain't": ("is", "not")}
_S_IS = frozenset("it that there what here he she who where how let".split())
_SUFFIXES = (("n't", "not"), ("'ll", "will"), ("'re", "are"), ("'ve", "have"), ("'m", "am"), ("'d", "would"))
_STOP = frozenset("""
a an the and or but of to in on at for with by from as is are was were be been being it its this that
these those we our us you your they their he she his her i my me not no will would can could should
do does did have has had so if than then there here what which who whom whose about into over also
""".split())


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_COMPOUND = re.compile(r"[^\W_]+(?:-[^\W_]+)+")
_INITIALS = re.compile(r"(?:[a-z]\.){2,}")


@lru_cache(maxsize=1)
def _expansions() -> dict[str, tuple[str, ...]]:
    """Initialism -> its words, normalised (index/data/abbreviations.toml)."""
    import tomllib
    from importlib import resources

    data = tomllib.loads(resources.files("briefing.index").joinpath("data/abbreviations.toml").read_text(encoding="utf-8"))
    return {k.lower(): tuple(_stem(w) for w in str(v).lower().split() if w not in _STOP) for k, v in data["expand"].items()}


@lru_cache(maxsize=1 << 16)
def _parts(raw: str) -> tuple[str, ...]:
    w = raw.lower().replace("’", "'")
    if _INITIALS.fullmatch(w):
        key = w.replace(".", "")
        return _expansions().get(key, (key,))
    if raw.isupper() and raw.isalpha() and w in _expansions():  # "US", not "us"
        return _expansions()[w]
    if w in _CONTRACTIONS:
        return _CONTRACTIONS[w]
    for suffix, full in _SUFFIXES:
        if w.endswith(suffix) and len(w) > len(suffix):
            return (*_parts(w[: -len(suffix)]), full)
    if w.endswith("'s"):
        base = w[:-2]
        return (base, "is") if base in _S_IS else (base,)
    w = w.rstrip("'")
    return tuple(_stem(p) for p in w.split("-") if p)


class MatchToken(NamedTuple):
    norm: str
    start: int
    end: int


def compounds_of(texts: Iterable[str]) -> list[tuple[str, list[str]]]:
    """The hyphenated compounds of `texts` as (closed form, parts), each closed form once, first
    spelling first: a Normaliser's compounds are these over all texts, in order."""
    out: dict[str, list[str]] = {}
    for text in texts:
        if "-" not in text:
            continue
        for m in _COMPOUND.finditer(text):
            parts = [_stem(p) for p in m.group().lower().split("-") if p]
            if len(parts) > 1:
                out.setdefault(_stem("".join(p for p in m.group().lower().split("-"))), parts)
    return list(out.items())


class Normaliser:
    """Word sequences for matching. Closed compounds seen hyphenated anywhere in the corpus are
    split the same way ("nonstarters" -> non starter, because "non-starters" occurs)."""

    _MEMO_LIMIT = 200_000  # distinct word forms remembered (a briefing's vocabulary, not its text)

    def __init__(self, texts: Iterable[str] = (), compounds: dict[str, list[str]] | None = None,
                 seen: set[str] | None = None):
        """The compounds of `texts`, or `compounds` as `compounds_of` gave them. `seen`, when
        given, receives every word piece looked up in the compounds: a change to the compounds
        that touches none of them changes no word sequence this normaliser made."""
        self.compounds: dict[str, list[str]] = dict(compounds or {})
        self._memo: dict[str, tuple[str, ...]] = {}
        self.seen = seen
        for key, parts in compounds_of(texts):
            self.compounds.setdefault(key, parts)

    def norms(self, word: str) -> tuple[str, ...]:
        """The normalised pieces of one word (memoised: the same words recur in every article)."""
        got = self._memo.get(word)
        if got is None:
            compounds = self.compounds
            pieces = _parts(word)
            if self.seen is not None:
                self.seen.update(pieces)
            got = tuple(piece for part in pieces for piece in compounds.get(part, (part,)))
            if len(self._memo) < self._MEMO_LIMIT:
                self._memo[word] = got
        return got

    def words(self, text: str) -> list[str]:
        """The normalised word sequence of `text` (what `tokens` gives, without the offsets)."""
        found = _WORD.findall(text)
        # (the words already met looked up in C: the same few thousand make up most of the text)
        known = list(map(self._memo.get, found))
        if None not in known:
            return list(chain.from_iterable(known))  # type: ignore[arg-type]  # (no None in it)
        norms = self.norms
        return list(chain.from_iterable(got if got is not None else norms(word) for got, word in zip(known, found)))

    def tokens(self, text: str, offset: int = 0) -> list[MatchToken]:
        out: list[MatchToken] = []
        for m in _WORD.finditer(text):
            start, end = m.span()
            for piece in self.norms(m.group()):
                out.append(MatchToken(piece, start + offset, end + offset))
        return out


def shingle_keys(norms: Sequence[str]) -> set[int]:
    # (the hashes of the three-word tuples, made and hashed in C: every quotation's shingles are
    # keyed again in each analysis)
    return set(map(hash, zip(norms, norms[1:], norms[2:])))


def _blocks(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int, int]]:
    """Matching runs of two or more words (single shared words are chance, not quotation)."""
    sm = SequenceMatcher(None, a, b, autojunk=False)
    return [(i, j, n) for i, j, n in sm.get_matching_blocks() if n >= 2]


def _needed(n: int) -> int:
    """Words of the shorter version that must be found in the longer one, in order."""
    return n if n <= 4 else max(4, math.ceil(0.5 * n))


def same_utterance(a: Sequence[str], b: Sequence[str]) -> bool:
    if len(a) < SHINGLE or len(b) < SHINGLE:
        return tuple(a) == tuple(b) and bool(a)
    needed = _needed(min(len(a), len(b)))
    # The aligned words are at most the words the two have in common (counted with repeats):
    # most candidates sharing a stock phrase fail this, and the alignment is not run for them.
    if not _has_common(a, b, needed):
        return False
    matched = sum(n for _i, _j, n in _blocks(a, b))
    return matched >= needed


def _has_common(a: Sequence[str], b: Sequence[str], needed: float) -> bool:
    """`_common_words(a, b) >= needed`, most often told from the sets of words alone: their
    common words are at least the words both have and at most those plus the shorter one's
    repeats (counting with a Counter was a third of linking the quotations)."""
    if len(a) > len(b):
        a, b = b, a
    kinds = set(a)
    shared = len(kinds.intersection(b))
    if shared >= needed:
        return True
    if shared + len(a) - len(kinds) < needed:
        return False
    return _common_words(a, b) >= needed


def _common_words(a: Sequence[str], b: Sequence[str]) -> int:
    """Words of `a` and `b` in common, each counted as often as both have it."""
    if len(a) > len(b):
        a, b = b, a
    counts = Counter(b)
    shared = 0
    for w in a:
        if counts[w] > 0:
            counts[w] -= 1
            shared += 1
    return shared


def _content_words(norms: Sequence[str]) -> int:
    return sum(1 for w in norms if w not in _STOP)


@dataclass(slots=True)
class QuoteGroup:
    """Every occurrence of one utterance by one speaker, across outlets. `diffs` compare each
    version with the reference (the longest marked one) word by word (see `word_diff`); `echoes`
    are the groups of other speakers who said the same words (a line repeated by several people).
    """

    id: str
    quotes: list[Any]  # briefing.index.quotes.extract.Quote
    sources: list[str]
    outlets: list[str]
    speakers: dict[str, str | None]
    diffs: list[WordDiff] = field(default_factory=list)
    reference: str | None = None
    echoes: list[str] = field(default_factory=list)  # ids of the other speakers' groups
    _diff_of: dict[str, WordDiff] = field(default_factory=dict, repr=False, compare=False)

    @property
    def text(self) -> str:
        ref = next((q for q in self.quotes if q.id == self.reference), self.quotes[0])
        return str(ref.text)

    @property
    def speaker(self) -> str | None:
        """The one speaker of the group (canonical name), None when no outlet says who."""
        return next((q.speaker for q in self.quotes if q.speaker), None)

    def diff_of(self, quote_id: str) -> WordDiff | None:
        """The version's diff against the reference (None for the reference itself)."""
        if len(self._diff_of) != len(self.diffs):  # built on first use, again if diffs were replaced
            self._diff_of = {d.quote: d for d in self.diffs}
        return self._diff_of.get(quote_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "reference": self.reference,
            "speaker": self.speaker,
            "sources": list(self.sources),
            "outlets": list(self.outlets),
            "speakers": dict(self.speakers),
            "quotes": [q.id for q in self.quotes],
            "diffs": [d.to_json() for d in self.diffs],
            "echoes": list(self.echoes),
        }


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class _Postings:
    """Shingle hash -> sequence numbers, as one sorted array of 64-bit (hash, sequence) entries
    with a table of where each hash bucket starts.

    A dict of tuples and lists took ~70 bytes per posting, most of the analysis' memory at
    10,000 articles; this takes ~16. A hash collision (40 bits kept) only adds a candidate,
    which the alignment then turns down.
    """

    _SEQ_BITS = 23
    _SEQ_MASK = (1 << _SEQ_BITS) - 1
    _HASH_BITS = 40
    _HASH_MASK = (1 << _HASH_BITS) - 1
    _CHUNK = 1 << 16
    _PRESENT_EXTRA_BITS = 3

    def __init__(self, items: Iterable[tuple[int, Iterable[int]]]):
        # Sorted in chunks and merged, so no list of every entry as Python ints exists at once.
        chunks: list[array[int]] = []
        pending: list[int] = []
        mask, bits = self._HASH_MASK, self._SEQ_BITS
        for u, keys in items:
            if u > self._SEQ_MASK:
                raise ValueError("too many distinct quotations for the shingle index")
            # ((k & mask) << bits) | u for each key, in C; a set, as two keys may share 40 bits
            pending.extend(set(map(or_, map(lshift, map(and_, keys, repeat(mask)), repeat(bits)), repeat(u))))
            if len(pending) >= self._CHUNK:
                pending.sort()
                chunks.append(array("q", pending))
                pending = []
        pending.sort()
        chunks.append(array("q", pending))
        self.entries = chunks[0] if len(chunks) == 1 else self._merged(chunks)
        del chunks
        entries = self.entries
        # About one entry per bucket: a lookup reads two offsets and scans a handful of entries.
        bits = max(1, min(self._HASH_BITS, len(entries).bit_length()))
        self._shift = self._SEQ_BITS + self._HASH_BITS - bits
        # starts[b]: the first entry of bucket b or later (entries are sorted and non-negative),
        # from the count of each bucket, in C loops rather than one Python step per entry
        counts = Counter(map(rshift, entries, repeat(self._shift)))
        self._starts = array("q", accumulate(map(counts.get, range(1 << bits), repeat(0)), initial=0))
        # Most three-word runs of a sentence are in no quotation (~93 % in a news briefing): a
        # finer table of which slots hold any key turns those away in C, without a lookup.
        # (A byte per slot, eight slots per entry: a slot is taken for about one key in eight.)
        pbits = min(self._HASH_BITS, bits + self._PRESENT_EXTRA_BITS)
        self._present_shift = self._HASH_BITS - pbits
        self._present = bytearray(1 << pbits)
        deque(map(self._present.__setitem__, map(rshift, entries, repeat(self._SEQ_BITS + self._present_shift)), repeat(1)),
              maxlen=0)

    @classmethod
    def _merged(cls, chunks: list[array[int]]) -> array[int]:
        """The sorted chunks as one sorted array, a slice of the value range at a time: each
        slice's runs are merged by `sorted` (which finds and merges sorted runs in C), and only
        one slice is ever a list of Python ints."""
        total = sum(len(c) for c in chunks)
        parts = max(1, total // cls._CHUNK)
        top = 1 << (cls._HASH_BITS + cls._SEQ_BITS)
        out: array[int] = array("q")
        starts = [0] * len(chunks)
        for p in range(1, parts + 1):
            bound = top if p == parts else top // parts * p
            pieces = []
            for c, chunk in enumerate(chunks):
                end = len(chunk) if p == parts else bisect_left(chunk, bound, starts[c])
                pieces.append(chunk[starts[c] : end])
                starts[c] = end
            out.extend(sorted(chain.from_iterable(pieces)))
        return out

    def present(self, keys: Collection[int]) -> list[int]:
        """`keys` less some that `get` would find nothing under (never one it would), in order."""
        slots = map(rshift, map(and_, keys, repeat(self._HASH_MASK)), repeat(self._present_shift))
        return list(compress(keys, map(self._present.__getitem__, slots)))

    def shared(self) -> set[int]:
        """The sequences listed under some key with another sequence (and perhaps others): any
        sequence left out is its own only candidate. (A sequence has each key once: two entries
        in a row with one key are two sequences.) Read a slice of the entries at a time."""
        out: set[int] = set()
        entries, bits, mask = self.entries, self._SEQ_BITS, self._SEQ_MASK
        for lo in range(0, len(entries), self._CHUNK):
            part = entries[lo : lo + self._CHUNK + 1]  # (one more: a pair across two slices)
            keys = list(map(rshift, part, repeat(bits)))
            same = list(map(operator.eq, keys, keys[1:]))
            out.update(map(and_, compress(part, same), repeat(mask)))
            out.update(map(and_, compress(part[1:], same), repeat(mask)))
        return out

    def get(self, key: int, limit: int) -> list[int]:
        """The sequences listed under `key`; none when more than `limit` are (a stock phrase)."""
        key &= self._HASH_MASK
        if not self._present[key >> self._present_shift]:
            return []
        base = key << self._SEQ_BITS
        b = base >> self._shift
        lo, hi = self._starts[b], self._starts[b + 1]
        if lo == hi:
            return []
        entries = self.entries
        lo = bisect_left(entries, base, lo, hi)
        hi = bisect_left(entries, base + (1 << self._SEQ_BITS), lo, hi)
        if hi - lo > limit:
            return []
        return list(map(and_, entries[lo:hi], repeat(self._SEQ_MASK)))


def _same_speaker_links(members: list[tuple[int, Any]]) -> list[tuple[int, int]]:
    """The links that joining every pair of `members` (quotation index, quotation), in order, of one
    named speaker and two sources would add: a spanning forest, the pairs in that order.

    Worked out per speaker instead of pair by pair: a long article of one speaker saying "No" ten
    thousand times was fifty million pairs. Per speaker, with `first` the first member, the pairs
    are (first, each member of another source); each member of first's source before the
    second source's first member `o`, with `o`; and `o` with each such member after it.
    """
    by_speaker: dict[str, list[tuple[int, int, str]]] = {}
    for pos, (j, q) in enumerate(members):
        if q.speaker:
            by_speaker.setdefault(q.speaker, []).append((pos, j, q.source))
    pairs: list[tuple[int, int, int, int]] = []  # (position, position, index, index)
    for spoken in by_speaker.values():
        first_pos, first, source = spoken[0]
        others = [(pos, j) for pos, j, src in spoken if src != source]
        if not others:
            continue
        pairs.extend((first_pos, pos, first, j) for pos, j in others)
        o_pos, o = others[0]
        for pos, j, src in spoken[1:]:
            if src == source:
                pairs.append((pos, o_pos, j, o) if pos < o_pos else (o_pos, pos, o, j))
    pairs.sort()
    return [(a, b) for _, _, a, b in pairs]


class _Extended:
    """Postings of a base index less some of its sequences, with the added ones' postings: what
    `_Postings.get` would give for the sequences that are left and added."""

    def __init__(self, base: "_Postings | _Extended", gone: frozenset[int], added: _Postings):
        self.base, self.gone, self.added = base, gone, added

    def present(self, keys: Collection[int]) -> list[int]:
        """`_Postings.present` of the base and the added postings together."""
        either = set(self.base.present(keys)).union(self.added.present(keys))
        return [k for k in keys if k in either]

    def shared(self) -> set[int]:
        """`_Postings.shared` of the base and the added postings together (the base's gone
        sequences perhaps among them)."""
        out = self.base.shared() | self.added.shared()
        added = self.added
        for entry in added.entries:
            # (the key's 40 bits: what `get` looks up under)
            listed = self.base.get(entry >> added._SEQ_BITS, 1 << 62)
            if listed:
                out.update(listed)
                out.add(entry & added._SEQ_MASK)
        return out

    def get(self, key: int, limit: int) -> list[int]:
        got = self.base.get(key, 1 << 62)
        if self.gone and got:
            got = [u for u in got if u not in self.gone]
        added = self.added
        # (a few added sequences against every base one: most keys are not theirs, told here
        # without a call)
        if added._present[(key & added._HASH_MASK) >> added._present_shift]:
            more = added.get(key, 1 << 62)
            if more:
                got = got + more  # (numbered after every base sequence: still in order)
        return [] if len(got) > limit else got


class QuoteIndex:
    """Shingle index over the distinct word sequences of the quotations.

    A wire story reprinted by fifty outlets gives fifty identical quotations: they share one
    sequence, linked at once, and alignment work is done per pair of distinct sequences only.
    """

    def __init__(self, quotes: list[Any], normaliser: Normaliser, known: Sequence[tuple[str, ...] | None] = (),
                 base: "QuoteIndex | None" = None):
        """`known[i]`, where given, is quotes[i]'s word sequence as this normaliser makes it.

        With `base` (an index of mostly the same sequences: the quotations as first read, when
        these are the same read again with the unmarked ones), the sequences keep base's numbers
        and new ones come after; base's sequences no quotation here has stay, with no members
        and out of the postings. Only the new sequences' shingles are keyed and sorted."""
        self.quotes = quotes
        self.seqs: list[tuple[str, ...]] = list(base.seqs) if base is not None else []
        self.members: list[list[int]] = [[] for _ in self.seqs]
        self.seq_of: list[int] = []
        ids: dict[tuple[str, ...], int] = {seq: u for u, seq in enumerate(self.seqs)}
        for i, q in enumerate(quotes):
            given = known[i] if i < len(known) else None
            key = given if given is not None else tuple(normaliser.words(q.text))
            u = ids.get(key)
            if u is None:
                u = ids[key] = len(self.seqs)
                self.seqs.append(key)
                self.members.append([])
            self.members[u].append(i)
            self.seq_of.append(u)
        self._runs: dict[int, list[tuple[str, ...]]] = {}
        if base is None:
            self.postings: _Postings | _Extended = _Postings((u, shingle_keys(seq)) for u, seq in enumerate(self.seqs))
            return
        first = len(base.seqs)
        added = _Postings((u, shingle_keys(self.seqs[u])) for u in range(first, len(self.seqs)))
        self.postings = _Extended(base.postings, frozenset(u for u in range(first) if not self.members[u]), added)

    def live(self, u: int) -> bool:
        """Sequence u is some quotation's (one kept from a base index may be no one's)."""
        return bool(self.members[u])

    def norms(self, i: int) -> tuple[str, ...]:
        return self.seqs[self.seq_of[i]]

    def runs(self, u: int) -> list[tuple[str, ...]]:
        """The runs of four words of sequence u (kept: a sequence is a candidate many times)."""
        got = self._runs.get(u)
        if got is None:
            seq = self.seqs[u]
            got = self._runs[u] = [seq[i : i + 4] for i in range(len(seq) - 3)]
        return got

    def candidates(self, norms: Sequence[str], sparse: bool = False) -> dict[int, int]:
        """Distinct sequences sharing shingles with `norms`, with the number shared. `sparse`:
        most runs of `norms` are expected in no quotation (a sentence of narration, not one of
        the quotations): those are turned away before they are looked up."""
        postings = self.postings
        keys = shingle_keys(norms)
        looked: Iterable[int] = postings.present(keys) if sparse else keys
        # (counted in C, in the order the sequences are first met, as one key after another did)
        return Counter(chain.from_iterable(map(postings.get, looked, repeat(MAX_SHINGLE_QUOTES))))

    def links(self) -> list[tuple[int, int]]:
        """Pairs of quotations (indices into `quotes`) to union into utterances."""
        return self.member_links() + [(self.members[u][0], self.members[v][0]) for u, v in self.seq_links()]

    def member_links(self) -> list[tuple[int, int]]:
        """Reprints of one word sequence; for one or two words (no shingle to find them by), only
        the same term from the same named speaker in two outlets."""
        out: list[tuple[int, int]] = []
        for u, seq in enumerate(self.seqs):
            mem = self.members[u]
            if not mem:
                continue  # a base index's sequence no quotation here has
            if len(seq) >= SHINGLE:
                out.extend((mem[0], j) for j in mem[1:])
                continue
            out.extend(_same_speaker_links([(j, self.quotes[j]) for j in mem]))
        return out

    def seq_links(self, affected: Iterable[int] | None = None, known: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
        """Links between distinct sequences (of three words or more) that are one utterance: a
        spanning set, so that their union gives the utterances (a pair already joined through
        others is not aligned).

        Incrementally: `known` are links still valid among sequences not `affected`, and only the
        affected sequences are compared with their candidates. The union is then the same as
        comparing every pair, provided every sequence whose candidates or members changed, and
        every sequence of an utterance such a sequence was in, is among the affected."""
        uf = _UnionFind(len(self.seqs))
        out: list[tuple[int, int]] = []
        for u, v in known:
            if uf.find(u) != uf.find(v):
                uf.union(u, v)
                out.append((u, v))
        whole = affected is None
        todo: Sequence[int] = sorted(set(affected)) if affected is not None else []
        if whole:
            # A sequence that shares no three-word run with any other (half of them in the
            # synthetic 10,000-article briefing) is its own only candidate: it links nothing
            # and is not looked at.
            shared = self.postings.shared()
            todo = [u for u in sorted(shared) if u < len(self.seqs)]
        if whole and len(todo) >= PARALLEL_SEQS and forks(len(todo)):
            # The alignments of the whole pass in workers, a block of sequences each; the links
            # are then taken here in the order the pass below takes them. A worker aligns pairs
            # the pass would skip as joined already: what it finds is the same.
            blocks = [todo[lo : lo + _LINK_BLOCK] for lo in range(0, len(todo), _LINK_BLOCK)]
            for pairs in ordered_map(self._block_links, blocks, len(todo), chunk=2):
                for u, v in pairs:
                    if uf.find(u) != uf.find(v):
                        uf.union(u, v)
                        out.append((u, v))
            return out
        for u in todo:
            # the whole pass sees each pair once, from its first sequence; a pair joined already
            # through others is not aligned (checked as each candidate comes: unions go on)
            def skip(v: int, u: int = u) -> bool:
                return v == u or (whole and v < u) or uf.find(u) == uf.find(v)

            for v in self._partners(u, skip):
                uf.union(u, v)
                out.append((u, v))
        return out

    def _partners(self, u: int, skip: Callable[[int], bool]) -> Iterator[int]:
        """The candidates v of sequence u, other than those `skip` leaves out, that are one
        utterance with it, in candidate order."""
        seq = self.seqs[u]
        if len(seq) < SHINGLE or not self.members[u]:
            return
        sources_u: set[str] | None = None
        for v in self.candidates(seq):
            if skip(v):
                continue
            if sources_u is None:
                sources_u = {self.quotes[i].source for i in self.members[u]}
            if len(sources_u) == 1 and all(self.quotes[j].source in sources_u for j in self.members[v]):
                continue  # one article's own quotations are not grouped with each other
            if same_utterance(seq, self.seqs[v]):
                yield v

    def _block_links(self, block: Sequence[int]) -> list[tuple[int, int]]:
        """The pairs (u, v) of the whole pass with u in `block` that are one utterance, in the
        pass's order, whatever joins them already (a worker's part of `seq_links`)."""
        return [(u, v) for u in block for v in self._partners(u, partial(operator.ge, u))]  # v <= u

    def raw_count(self, key: int) -> int:
        """Sequences listed under a shingle key, however many (a stock phrase included)."""
        return len(self.postings.get(key, 1 << 62))

    def listed(self, key: int) -> list[int]:
        return self.postings.get(key, 1 << 62)


@dataclass(frozen=True, slots=True)
class UnmarkedHit:
    source: str
    paragraph: int
    start: int
    end: int
    matches: tuple[int, ...]  # indices into QuoteIndex.quotes


def find_unmarked(
    articles: list[Any], index: QuoteIndex, normaliser: Normaliser, marked: dict[str, dict[int, list[QuoteSpan]]] | None = None
) -> list[UnmarkedHit]:
    """Stretches of narration that repeat another outlet's quotation (speech printed unmarked).

    Only paragraphs with a speech cue are read: words echoed in plain narration are not speech.
    """
    hits: list[UnmarkedHit] = []
    for article in articles:
        hits.extend(unmarked_in_article(article, index, normaliser, (marked or {}).get(article.id)))
    return hits


def unmarked_in_article(article: Any, index: QuoteIndex, normaliser: Normaliser,
                        marked: dict[int, list[QuoteSpan]] | None = None, probes: set[int] | None = None) -> list[UnmarkedHit]:
    """`find_unmarked` for one article. `probes`, when given, receives the stable keys (see
    `stable_keys`) of every three-word run the search looked up: the article's result can only
    change when a quotation with one of them comes or goes."""
    hits: list[UnmarkedHit] = []
    batch: list[tuple[int, str, int, int, list[str]]] = []  # paragraph, masked text, sentence span, words
    words = 0
    for p in article.paragraphs:
        if p.kind != "text" or not CUE.search(p.text):
            continue
        spans = (marked or {}).get(p.n)
        if spans is None:
            spans = find_quote_spans(p.text)
        masked = mask_spans(p.text, spans)
        for a, b in split_sentences(masked):
            norms = normaliser.words(masked[a:b])
            if len(norms) < SHINGLE:
                continue
            batch.append((p.n, masked, a, b, norms))
            words += len(norms)
            if words >= _BATCH_WORDS:
                hits.extend(_unmarked_in_batch(article.id, batch, index, normaliser, probes))
                batch, words = [], 0
    if batch:
        hits.extend(_unmarked_in_batch(article.id, batch, index, normaliser, probes))
    return hits


# Words of an article's speech sentences whose probes are keyed together: one pass over a few
# thousand words in C in place of a dozen calls per sentence. A long article goes in batches of
# this many words, so its sentences' words are never all held at once.
_BATCH_WORDS = 4096


def _unmarked_in_batch(source: str, batch: list[tuple[int, str, int, int, list[str]]], index: QuoteIndex,
                       normaliser: Normaliser, probes: set[int] | None) -> list[UnmarkedHit]:
    """`_unmarked_in_sentence` over consecutive sentences of one article (of three words or more),
    in order, their probes keyed at once."""
    if probes is not None:
        starts: list[int] = []
        flat: list[str] = []
        for _n, _masked, _a, _b, norms in batch:
            starts.append(len(flat))
            flat.extend(norms)
        probes.update(_batch_probes(_word_keys(flat), starts, [*starts[1:], len(flat)]))
    hits: list[UnmarkedHit] = []
    for n, masked, a, b, norms in batch:
        hits.extend(_unmarked_in_sentence(source, n, masked, a, b, index, normaliser, None, norms))
    return hits


def _batch_probes(ks: list[int], starts: list[int], ends: list[int]) -> Iterator[int]:
    """`_three_keys` and `_four_keys` of each sentence (ks[start:end]), mixed over the whole batch
    at once and taken only where a run lies inside one sentence."""
    three = list(_three_mix(ks))
    four = list(_four_mix(ks))
    return chain(chain.from_iterable(three[s : e - 2] for s, e in zip(starts, ends)),
                 chain.from_iterable(four[s : e - 3] for s, e in zip(starts, ends) if e - s > 3))


def pack_keys(keys: Iterable[int]) -> bytes:
    """32-bit keys as bytes: kept in a stored analysis, read back with `unpack_keys`."""
    # (a set as it is: one for every article, each thousands of keys, was copied only to be sorted)
    return array("I", sorted(keys if isinstance(keys, (set, frozenset)) else set(keys))).tobytes()


def unpack_keys(data: bytes) -> Sequence[int]:
    return memoryview(data).cast("I")


def text_key(text: str) -> int:
    """A 32-bit key of a string, the same in every process."""
    return zlib.crc32(text.encode("utf-8"))


_WORD_KEYS: dict[str, int] = {}


def stable_keys(norms: Sequence[str]) -> set[int]:
    """The three-word runs of a word sequence as 32-bit keys that are the same in every process
    (Python's own string hash is not), to be kept with a stored analysis. Two runs may share a
    key: that only makes a stored result be computed again."""
    return _three_keys(_word_keys(norms))


def stable_run_keys(norms: Sequence[str]) -> set[int]:
    """`stable_keys` of the four-word runs (apart from those of three: another mix of the words).
    The unmarked search accepts a quotation of four words or more only where the sentence has a
    run of four of its words: a quotation that changed touches sentences through these alone."""
    return _four_keys(_word_keys(norms))


def _word_keys(norms: Sequence[str]) -> list[int]:
    keys = _WORD_KEYS
    ks: list[int | None] = list(map(keys.get, norms))
    if None in ks:
        for i, k in enumerate(ks):
            if k is None:
                w = norms[i]
                k = ks[i] = zlib.crc32(w.encode("utf-8"))
                if len(keys) < 1 << 20:
                    keys[w] = k
    return ks  # type: ignore[return-value]  # (no None is left)


# The mixes of `stable_keys` and `stable_run_keys`, run by run, in C (every sentence of every
# article with a speech cue is keyed; one Python step per run was a fifth of the unmarked search).
def _three_keys(ks: list[int]) -> set[int]:
    return set(_three_mix(ks))


def _four_keys(ks: list[int]) -> set[int]:
    return set(_four_mix(ks))


def _three_mix(ks: list[int]) -> Iterator[int]:
    """The key of each run of three in `ks`, run by run (the i-th is the run starting at i)."""
    mixed = map(add, map(add, map(mul, ks, repeat(0x9E3779B1)), map(mul, ks[1:], repeat(0x85EBCA77))), ks[2:])
    return map(and_, mixed, repeat(0xFFFFFFFF))


def _four_mix(ks: list[int]) -> Iterator[int]:
    mixed = map(add, map(add, map(mul, ks, repeat(0xC2B2AE3D)), map(mul, ks[1:], repeat(0x27D4EB2F))),
                map(mul, ks[2:], repeat(0x165667B1)))
    return map(and_, map(add, mixed, map(add, ks[3:], repeat(1))), repeat(0xFFFFFFFF))


def _unmarked_in_sentence(
    source: str, n: int, masked: str, a: int, b: int, index: QuoteIndex, normaliser: Normaliser,
    probes: set[int] | None = None, norms: list[str] | None = None,
) -> list[UnmarkedHit]:
    """The hits in sentence masked[a:b]; `norms`, when given, are its words (`normaliser.words`)."""
    if norms is None:
        norms = normaliser.words(masked[a:b])
    if len(norms) < SHINGLE:
        return []
    if probes is not None:
        ks = _word_keys(norms)
        probes.update(_three_keys(ks))
        probes.update(_four_keys(ks))
    regions: list[tuple[int, int, list[int]]] = []  # (first token, last token + 1, quotes)
    runs: set[tuple[str, ...]] | None = None  # the sentence's runs of four words, when needed
    for u, count in index.candidates(norms, sparse=True).items():
        # Both tests below need a run of four words (two shingles) unless the quotation is three
        # words long: a candidate sharing one shingle cannot pass, so it is not aligned at all.
        if count < 2 and len(index.seqs[u]) > SHINGLE:
            continue
        others = [i for i in index.members[u] if index.quotes[i].source != source and index.quotes[i].marked]
        if not others:
            continue
        qn = index.seqs[u]
        if _content_words(qn) < 2:
            continue
        if len(qn) <= 4:
            # One block covering the whole quotation is the quotation found in a row: the
            # alignment's longest block, at its first place in the sentence.
            at = _find_run(norms, qn)
            if at >= 0:
                regions.append((at, at + len(qn), others))
            continue
        # What the test below needs, checked without aligning: a run of four words in common
        # (the longest block), and as many words in common as it asks to be matched.
        if runs is None:
            runs = {tuple(norms[i : i + 4]) for i in range(len(norms) - 3)}
        if runs.isdisjoint(index.runs(u)):
            continue
        if not _has_common(qn, norms, max(5, 0.5 * min(len(qn), len(norms)))):
            continue
        blocks = _blocks(qn, norms)
        if not blocks:
            continue
        matched = sum(size for _i, _j, size in blocks)
        first, last = blocks[0][1], blocks[-1][1] + blocks[-1][2]
        # a paraphrase shares scattered words ("has no plans … to attack"); reprinted speech
        # keeps at least one run of four words verbatim
        longest = max(size for _i, _j, size in blocks)
        ok = (
            longest >= 4
            and matched >= 5
            and matched >= 0.5 * min(len(qn), len(norms))
            and matched >= 0.6 * (last - first)
        )
        if ok:
            regions.append((first, last, others))
    if not regions:
        return []
    toks = normaliser.tokens(masked[a:b], a)
    regions.sort(key=lambda r: (r[0], r[1]))
    merged: list[list[Any]] = []
    for first, last, qs in regions:
        if merged and first < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], last)
            merged[-1][2].extend(qs)
        else:
            merged.append([first, last, list(qs)])
    return [UnmarkedHit(source, n, toks[f].start, toks[l - 1].end, tuple(qs)) for f, l, qs in merged]


def _find_run(words: Sequence[str], run: Sequence[str]) -> int:
    """Where `run` first occurs in `words` as consecutive words; -1 if it does not."""
    n = len(run)
    head = run[0]
    for i in range(len(words) - n + 1):
        if words[i] == head and tuple(words[i : i + n]) == tuple(run):
            return i
    return -1


DiffMemo = dict[tuple[tuple[str, str, bool], ...], tuple[str, list["WordDiff"]]]


def build_groups(quotes: list[Any], links: Iterable[tuple[int, int]], outlets: dict[str, str | None], normaliser: Normaliser,
                 diffs: DiffMemo | None = None, reuse: DiffMemo | None = None) -> list[QuoteGroup]:
    """Union the links into utterances, split each by speaker (one group = one utterance by one
    speaker), id the groups, link the same words from different speakers as echoes, and write
    each group's word diffs. Singletons are groups too.

    `diffs`, when given, receives each group's reference and diffs by its versions; a group whose
    versions are in `reuse` takes them from there (the same words under the same normaliser give
    the same diffs)."""
    uf = _UnionFind(len(quotes))
    for i, j in links:
        uf.union(i, j)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(quotes)):
        members[uf.find(i)].append(i)
    groups: list[QuoteGroup] = []
    for idxs in members.values():
        parts = [_group(qs, outlets, normaliser, diffs, reuse) for qs in _by_speaker([quotes[i] for i in idxs])]
        if len(parts) > 1:
            for g in parts:
                g.echoes = [o.id for o in parts if o is not g]
        groups.extend(parts)
    groups.sort(key=lambda g: (-len(g.sources), g.quotes[0].source, g.quotes[0].paragraph, g.quotes[0].start))
    return groups


def _by_speaker(qs: list[Any]) -> list[list[Any]]:
    """One utterance's quotes, one list per speaker. A version whose outlet names no speaker, or
    only describes them ("a senior official"), joins the speaker most outlets give (it cannot be
    told apart, and most likely is theirs)."""
    named: dict[str, list[Any]] = {}
    unnamed: list[Any] = []
    for q in qs:
        if q.speaker and getattr(q, "speaker_kind", None) != "description":
            named.setdefault(q.speaker, []).append(q)
        else:
            unnamed.append(q)
    if not named:
        return [qs]
    parts = sorted(named.values(), key=lambda p: (-len({q.source for q in p}), -len(p), p[0].speaker))
    parts[0].extend(unnamed)
    return parts


def _group(members: list[Any], outlets: dict[str, str | None], normaliser: Normaliser,
           diffs: DiffMemo | None = None, reuse: DiffMemo | None = None) -> QuoteGroup:
    qs = sorted(members, key=lambda q: (q.source, q.paragraph, q.start))
    gid = "g-" + hashlib.sha1(qs[0].id.encode("utf-8")).hexdigest()[:10]
    sources = sorted({q.source for q in qs})
    speakers: dict[str, str | None] = {}
    for src in sources:
        names: list[str] = []
        for q in qs:
            if q.source == src and q.speaker_as_given and q.speaker_as_given not in names:
                names.append(q.speaker_as_given)
        speakers[src] = " / ".join(names) if names else None
    key = tuple((q.id, q.text, q.marked) for q in qs) if len(qs) > 1 else ()
    known = reuse.get(key) if reuse is not None and key else None
    if known is None:
        ref = max(qs, key=lambda q: (q.marked, len(q.text.split()), -sources.index(q.source)))
        ref_id, versions = ref.id, [word_diff(ref, q, normaliser) for q in qs if q is not ref] if len(qs) > 1 else []
    else:
        ref_id, versions = known
    if diffs is not None and key:
        diffs[key] = (ref_id, versions)
    group = QuoteGroup(
        id=gid,
        quotes=qs,
        sources=sources,
        outlets=[outlets.get(s) or s for s in sources],
        speakers=speakers,
        reference=ref_id,
    )
    group.diffs = list(versions)
    for q in qs:
        q.group = gid
    return group


# ---- word differences -----------------------------------------------------------------------

CLAUSE_WORDS = 3  # words dropped (or added) at a sentence's head or tail that make a clause


@dataclass(frozen=True, slots=True)
class WordChange:
    """One difference of a version from the reference. `start`/`end` are offsets into the
    version's text: the words changed, added or moved, or (start == end) where the reference's
    words are missing. `clause`: a run of words dropped or added at the head or tail of the
    sentence, where the version says the sentence starts or ends."""

    op: str  # "replace" | "insert" | "delete" | "move"
    reference: str
    version: str
    start: int
    end: int
    clause: bool = False

    def describe(self) -> str:
        if self.op == "insert":
            return f"+ “{self.version}”" + (" (added clause)" if self.clause else "")
        if self.op == "delete":
            return f"− “{self.reference}”" + (" (dropped clause)" if self.clause else "")
        if self.op == "move":
            return f"“{self.version}” moved"
        return f"“{self.reference}” → “{self.version}”"

    def to_json(self) -> dict[str, Any]:
        return {"op": self.op, "reference": self.reference, "version": self.version,
                "start": self.start, "end": self.end, "clause": self.clause}


@dataclass(frozen=True, slots=True)
class WordDiff:
    """A version of an utterance against the group's reference, word by word (normalised words:
    "open-gate" = "open gate", "won't" = "will not"). `partial`: the version quotes only part of
    the reference's sentence, as a fragment (its missing words are not counted as changes)."""

    quote: str
    source: str
    marked: bool
    shared_words: int
    reference_words: int
    version_words: int
    changes: tuple[WordChange, ...] = ()
    partial: bool = False

    @property
    def same_words(self) -> bool:
        return not self.changes

    def spans(self) -> list[tuple[int, int]]:
        """Character spans of the version's words that differ (changed, added, moved)."""
        return [(c.start, c.end) for c in self.changes if c.end > c.start]

    def describe(self) -> str:
        parts = [c.describe() for c in self.changes]
        if not self.marked:
            parts.append("printed without quotation marks")
        if not self.changes:
            parts.insert(0, "same words, part of the sentence" if self.partial else "same words")
        return "; ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "quote": self.quote,
            "source": self.source,
            "marked": self.marked,
            "shared_words": self.shared_words,
            "reference_words": self.reference_words,
            "version_words": self.version_words,
            "partial": self.partial,
            "same_words": self.same_words,
            "changes": [c.to_json() for c in self.changes],
        }


@dataclass(frozen=True, slots=True)
class TextDiff:
    changes: tuple[WordChange, ...]
    shared_words: int
    reference_words: int
    version_words: int
    partial: bool


_END = re.compile(r"[.!?…]")
_OPENERS = "“\"‘'([ "


def word_diff(ref: Any, other: Any, normaliser: Normaliser) -> WordDiff:
    """Word-level differences of quote `other` against quote `ref` (see `diff_texts`)."""
    d = diff_texts(ref.text, other.text, normaliser)
    return WordDiff(other.id, other.source, other.marked, d.shared_words, d.reference_words, d.version_words,
                    d.changes, d.partial)


def differing_spans(text: str, reference: str, normaliser: Normaliser | None = None) -> list[tuple[int, int]]:
    """Character spans of the words of `text` that differ from `reference` (changed, added, moved)."""
    d = diff_texts(reference, text, normaliser or Normaliser((text, reference)))
    return [(c.start, c.end) for c in d.changes if c.end > c.start]


class _Side(NamedTuple):
    text: str
    toks: list[MatchToken]
    sent: list[int]  # token -> sentence number


def _side(text: str, normaliser: Normaliser) -> _Side:
    toks = normaliser.tokens(text)
    bounds = split_sentences(text)
    sent: list[int] = []
    k = 0
    for t in toks:
        while k + 1 < len(bounds) and t.start >= bounds[k][1]:
            k += 1
        sent.append(k)
    return _Side(text, toks, sent)


def _starts_sentence(side: _Side, i: int) -> bool:
    """Token i opens a sentence, written as one (a capital or a digit, not a fragment's "that")."""
    if not side.toks or i >= len(side.toks):
        return False
    if i > 0 and side.sent[i - 1] == side.sent[i]:
        return False
    ch = side.text[side.toks[i].start]
    return ch.isupper() or ch.isdigit()


def _ends_sentence(side: _Side, i: int) -> bool:
    """Token i (the last of its sentence) closes a sentence: a full stop follows it, or the quote
    ends there with the comma of a speech tag after a quotation that opened as a sentence."""
    toks = side.toks
    if not toks or i < 0:
        return False
    if i + 1 < len(toks) and side.sent[i + 1] == side.sent[i]:
        return False
    after = side.text[toks[i].end : toks[i + 1].start if i + 1 < len(toks) else len(side.text)]
    if _END.search(after):
        return True
    first = next(k for k in range(i + 1) if side.sent[k] == side.sent[i])
    return i + 1 == len(toks) and after.strip().startswith(",") and _starts_sentence(side, first)


def _sentence_range(side: _Side, i: int) -> tuple[int, int]:
    """The first and last token + 1 of token i's sentence."""
    s = side.sent[i]
    lo = i
    while lo > 0 and side.sent[lo - 1] == s:
        lo -= 1
    hi = i + 1
    while hi < len(side.sent) and side.sent[hi] == s:
        hi += 1
    return lo, hi


def diff_texts(reference: str, version: str, normaliser: Normaliser) -> TextDiff:
    """Every word of `version` added, dropped, changed or moved against `reference`.

    Inside the stretch the two share, every difference counts. Outside it, words the version
    lacks count only within the sentence where the version starts or ends, and only when the
    version writes that boundary as a sentence's (a capital; a full stop or a speech tag's
    comma): "… open-gate policy." against "… open gate policy, which has always served the
    harbour," drops a clause; a fragment ("that are simply unworkable") only quotes less.
    """
    r, o = _side(reference, normaliser), _side(version, normaliser)
    ra, oa = [t.norm for t in r.toks], [t.norm for t in o.toks]
    blocks = [b for b in SequenceMatcher(None, ra, oa, autojunk=False).get_matching_blocks() if b.size]
    if not blocks:
        return TextDiff((), 0, len(ra), len(oa), True)
    r0, o0 = blocks[0].a, blocks[0].b
    r1, o1 = blocks[-1].a + blocks[-1].size, blocks[-1].b + blocks[-1].size
    chunks: list[tuple[str, int, int, int, int, bool]] = []  # op, ref i1, i2, version j1, j2, clause
    partial = False

    # the head: from the start of the sentence each side is in, to the first shared word
    rh = _sentence_range(r, r0)[0]
    oh = _sentence_range(o, o0)[0] if oa else 0
    if rh < r0 or oh < o0:
        if rh < r0 and oh < o0:
            chunks.append(("replace", rh, r0, oh, o0, False))
        elif rh < r0 and _starts_sentence(o, oh):
            chunks.append(("delete", rh, r0, o0, o0, r0 - rh >= CLAUSE_WORDS))
        elif oh < o0 and _starts_sentence(r, rh):
            chunks.append(("insert", r0, r0, oh, o0, o0 - oh >= CLAUSE_WORDS))
        else:
            partial = True
    inner = SequenceMatcher(None, ra[r0:r1], oa[o0:o1], autojunk=False)
    for op, i1, i2, j1, j2 in inner.get_opcodes():
        if op != "equal":
            chunks.append((op, r0 + i1, r0 + i2, o0 + j1, o0 + j2, False))
    # the tail: from the last shared word to the end of the sentence each side is in
    rt = _sentence_range(r, r1 - 1)[1]
    ot = _sentence_range(o, o1 - 1)[1]
    if r1 < rt or o1 < ot:
        if r1 < rt and o1 < ot:
            chunks.append(("replace", r1, rt, o1, ot, False))
        elif r1 < rt and _ends_sentence(o, o1 - 1):
            chunks.append(("delete", r1, rt, o1, o1, rt - r1 >= CLAUSE_WORDS))
        elif o1 < ot and _ends_sentence(r, r1 - 1):
            chunks.append(("insert", r1, r1, o1, ot, ot - o1 >= CLAUSE_WORDS))
        else:
            partial = True
    if rh > 0 or rt < len(ra) or oh > 0 or ot < len(oa):
        partial = True  # one side quotes sentences the other does not

    changes = _with_moves(chunks, r, o, ra, oa)
    shared = sum(b.size for b in blocks)
    return TextDiff(tuple(changes), shared, len(ra), len(oa), partial)


def _with_moves(chunks: list[tuple[str, int, int, int, int, bool]], r: _Side, o: _Side,
                ra: list[str], oa: list[str]) -> list[WordChange]:
    """Chunks as changes. A content word the version adds that the reference has among its
    dropped words has moved: runs of such words are one "move", and are no longer counted as
    dropped where they were."""
    dropped: Counter[str] = Counter(w for op, i1, i2, *_ in chunks for w in ra[i1:i2] if w not in _STOP)
    taken: Counter[str] = Counter()
    moved_tok: set[int] = set()
    for _op, _i1, _i2, j1, j2, _c in chunks:
        for j in range(j1, j2):
            w = oa[j]
            if w not in _STOP and taken[w] < dropped[w]:
                taken[w] += 1
                moved_tok.add(j)
    out: list[WordChange] = []
    for op, i1, i2, j1, j2, clause in chunks:
        left: list[int] = []
        for i in range(i1, i2):
            if taken[ra[i]] > 0:
                taken[ra[i]] -= 1  # this dropped word is one that moved
            else:
                left.append(i)
        runs: list[tuple[bool, int, int]] = []  # moved?, first, last + 1 version token
        for j in range(j1, j2):
            m = j in moved_tok
            if runs and runs[-1][0] == m and runs[-1][2] == j:
                runs[-1] = (m, runs[-1][1], j + 1)
            else:
                runs.append((m, j, j + 1))
        ref_words = _words(r.text, [r.toks[i] for i in left])
        placed = False
        for m, a, b in runs:
            ver_words = _words(o.text, o.toks[a:b])
            start, end = o.toks[a].start, o.toks[b - 1].end
            if m:
                out.append(WordChange("move", ver_words, ver_words, start, end))
            elif left and not placed:
                out.append(WordChange("replace", ref_words, ver_words, start, end, clause))
                placed = True
            else:
                out.append(WordChange("insert", "", ver_words, start, end, clause))
        if left and not placed:
            at = _gap(o, j1)
            out.append(WordChange("delete", ref_words, "", at, at, clause))
    out.sort(key=lambda c: (c.start, c.end))
    return out


def _gap(o: _Side, j1: int) -> int:
    """Where, in the version's text, words are missing: after token j1 - 1 (or before the first)."""
    if not o.toks:
        return 0
    return o.toks[j1 - 1].end if j1 > 0 else o.toks[0].start


def _words(text: str, toks: list[MatchToken]) -> str:
    out: list[str] = []
    last = None
    for t in toks:
        if (t.start, t.end) != last:
            out.append(text[t.start : t.end])
            last = (t.start, t.end)
    return " ".join(out)
