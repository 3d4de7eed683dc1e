"""The faster forms of the analysis' inner steps give what the plain forms give: the shingle
postings merged slice by slice, the verb scan of reported speech, the copies of a cell's
representatives, the manifest's people sides decided once per set of name forms, and the merge
of speakers that compares each pair of name forms once."""

from __future__ import annotations

import dataclasses
import random

import pytest

from briefing.index.model import Manifest
from briefing.index.positions import Statement, _VERB_RE, _verbs, _with_outlets
from briefing.index.quotes.analysis import PeopleSides, _cluster
from briefing.index.quotes.attribution import Entity
from briefing.index.quotes.groups import _Postings
from briefing.index.quotes.speakers import names_compatible, override_side, surname_key


@pytest.mark.parametrize("chunk", [50, 700, 1 << 16])
def test_postings_are_every_entry_in_order_however_many_chunks(monkeypatch, chunk):
    monkeypatch.setattr(_Postings, "_CHUNK", chunk)
    rng = random.Random(chunk)
    items = [(u, {rng.getrandbits(64) - (1 << 63) for _ in range(rng.randint(0, 9))}) for u in range(3000)]
    mask = (1 << _Postings._HASH_BITS) - 1
    expected = sorted(e for u, keys in items for e in {((k & mask) << _Postings._SEQ_BITS) | u for k in keys})
    p = _Postings(items)
    assert list(p.entries) == expected
    for u, keys in items[:300]:
        for k in keys:
            assert u in p.get(k, 1 << 62)


_WORDS = ("He said the minister has not insisted , warned ; that they were insisting would also again NATO Said "
          "WARNED said-so went on to say refused rejects is are ready willing was prepared Réfused İs naïve").split()


def test_the_verb_scan_finds_what_the_pattern_finds():
    rng = random.Random(11)
    for _ in range(800):
        sentence = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(0, 24)))
        assert [m.span() for m in _verbs(sentence)] == [m.span() for m in _VERB_RE.finditer(sentence)], sentence


def test_a_representative_copy_is_what_replace_makes():
    """Every field set to something other than its default: a field added to Statement and
    left out of the copy fails here."""
    st = Statement("We will not yield", "Ana Reyes", "north", "a1", 3, 10, 27, "quote", "Gazette", "g-1",
                   ["Gazette"], ["issue-x"])
    assert {f.name for f in dataclasses.fields(Statement)} == {
        "text", "speaker", "side", "source", "paragraph", "start", "end", "kind", "outlet", "group", "outlets", "issues"}
    copy = _with_outlets(st, ["Courier", "Gazette"])
    assert copy == dataclasses.replace(st, outlets=["Courier", "Gazette"])
    assert copy.issues is st.issues  # shared, as replace shares it


def _manifest(people: dict[str, str]) -> Manifest:
    return Manifest(people=people)


def test_people_sides_answer_as_override_side_in_any_order():
    manifest = _manifest({"Ana Reyes": "north", "Tomas Berg": "south", "Berg": "east"})
    memo = PeopleSides.following(manifest, None)
    for names in (["Ana Reyes"], ["A. Reyes", "Reyes"], ["Tomas Berg", "Berg"], ["Berg", "Tomas Berg"],
                  ["Ola Berg"], ["Nobody Here"], ["", "Reyes"]):
        assert memo.side(names, manifest) == override_side(names, manifest)
        assert memo.side(list(reversed(names)), manifest) == override_side(names, manifest)


def test_people_sides_are_not_reused_under_other_people():
    first = _manifest({"Ana Reyes": "north"})
    memo = PeopleSides.following(first, None)
    assert memo.side(["Ana Reyes"], first) == "north"
    kept = memo.kept()
    again = PeopleSides.following(first, kept)
    assert again.known == {frozenset({"Ana Reyes"}): "north"}
    other = _manifest({"Ana Reyes": "south"})
    assert PeopleSides.following(other, kept).side(["Ana Reyes"], other) == "south"


def test_people_sides_keep_only_what_was_asked():
    manifest = _manifest({"Ana Reyes": "north"})
    memo = PeopleSides.following(manifest, None)
    memo.side(["Ana Reyes"], manifest)
    memo.side(["Tomas Berg"], manifest)
    later = PeopleSides.following(manifest, memo.kept())
    later.side(["Tomas Berg"], manifest)
    assert set(later.kept().used) == {frozenset({"Tomas Berg"})}


def _plain_cluster(entities: list[Entity]) -> list[list[int]]:
    """The merge of speakers as its rules say it, every pair of forms compared (people only)."""
    clusters: list[list[Entity]] = []
    by_surname: dict[str, list[list[Entity]]] = {}
    bare: list[Entity] = []
    for e in entities:
        if all(len(f.split()) == 1 for f in e.forms):
            bare.append(e)
            continue
        key = surname_key(e.name.split())[:4]
        full = [f.split() for f in e.forms if len(f.split()) > 1]
        for cluster in by_surname.setdefault(key, []):
            forms = [g.split() for m in cluster for g in m.forms if len(g.split()) > 1]
            if any(names_compatible(f, g) for f in full for g in forms):
                cluster.append(e)
                break
        else:
            by_surname[key].append([e])
            clusters.append(by_surname[key][-1])
    for e in bare:
        key = surname_key(e.name.split())[:4]
        fits = [c for c in by_surname.get(key, [])
                if any(names_compatible(e.name.split(), g.split()) for m in c for g in m.forms if len(g.split()) > 1)]
        if len(fits) == 1:
            fits[0].append(e)
        else:
            clusters.append([e])
    ids = {id(e): i for i, e in enumerate(entities)}
    return [[ids[id(e)] for e in c] for c in clusters]


def test_the_merge_of_speakers_is_the_plain_merge():
    rng = random.Random(5)
    firsts = ["Ana", "Anna", "Tomas", "Thomas", "Lena", "Wendy", "A.", "Sergei", "Sergey"]
    lasts = ["Reyes", "Reyez", "Berg", "Lindqvist", "Lindquist", "Sherman", "Ryabkov"]
    entities = []
    for _ in range(400):
        last = rng.choice(lasts)
        forms = {last} if rng.random() < 0.3 else {f"{rng.choice(firsts)} {last}", last}
        name = max(forms, key=len)
        entities.append(Entity(name=name, kind="person", forms=forms))
    got = _cluster(entities)
    ids = {id(e): i for i, e in enumerate(entities)}
    assert [[ids[id(e)] for e in c] for c in got] == _plain_cluster(entities)


@dataclasses.dataclass
class _Q:
    text: str
    source: str
    speaker: str | None = None
    marked: bool = True


def _components(n: int, links: list[tuple[int, int]]) -> set[frozenset[int]]:
    parent = list(range(n))

    def root(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    out: dict[int, set[int]] = {}
    for i in range(n):
        out.setdefault(root(i), set()).add(i)
    return {frozenset(c) for c in out.values()}


def test_an_index_numbered_after_a_base_finds_what_a_fresh_one_finds():
    """The quotations read again (some gone, some new, most the same) indexed on the first
    reading's index: the same candidates, counts and utterances as an index of their own."""
    from briefing.index.quotes.groups import Normaliser, QuoteIndex, shingle_keys

    rng = random.Random(9)
    vocab = "we will not accept any deal that leaves the harbour open to ships of war nor the gate closed".split()
    lines = [" ".join(rng.choice(vocab) for _ in range(rng.randint(2, 12))) for _ in range(120)]
    first = [_Q(rng.choice(lines), f"a{rng.randint(0, 30)}", rng.choice(["Ana Reyes", None])) for _ in range(400)]
    again = [q for q in first if rng.random() < 0.8] + [_Q(rng.choice(lines) + " again", f"a{rng.randint(0, 30)}")
                                                         for _ in range(60)]
    normaliser = Normaliser()
    base = QuoteIndex(first, normaliser)
    extended = QuoteIndex(again, normaliser, base=base)
    fresh = QuoteIndex(again, normaliser)
    assert {extended.norms(i) for i in range(len(again))} == {fresh.norms(i) for i in range(len(again))}
    live = [u for u in range(len(extended.seqs)) if extended.live(u)]
    assert sorted(extended.seqs[u] for u in live) == sorted(fresh.seqs)
    keys = {k for seq in fresh.seqs + base.seqs for k in shingle_keys(seq)}
    for key in keys:
        assert sorted(extended.seqs[u] for u in extended.listed(key)) == sorted(fresh.seqs[u] for u in fresh.listed(key))
        assert extended.raw_count(key) == fresh.raw_count(key)
    for i in range(len(again)):
        seq = extended.norms(i)
        got = {extended.seqs[u]: n for u, n in extended.candidates(seq).items()}
        assert got == {fresh.seqs[u]: n for u, n in fresh.candidates(seq).items()}
    assert _components(len(again), extended.links()) == _components(len(again), fresh.links())
