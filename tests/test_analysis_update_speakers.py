"""The merge of speakers after a change: each surname partition's clustering remembered from the
last analysis is used only for a partition whose entities are the same, so the clusters are
those of a merge from scratch, whatever changed."""

from __future__ import annotations

import random

from briefing.index.quotes.analysis import _cluster
from briefing.index.quotes.attribution import Entity

FIRSTS = ["Ana", "Anna", "Tomas", "Thomas", "Lena", "Wendy", "A.", "Sergei", "Sergey"]
LASTS = ["Reyes", "Reyez", "Berg", "Lindqvist", "Lindquist", "Sherman", "Ryabkov", "Okafor"]
ORGS = ["Harbour Authority", "Popov", "Berg", "Lindqvist Group", "NATO"]


def _entity(rng: random.Random) -> Entity:
    roll = rng.random()
    if roll < 0.1:
        return Entity(name="a senior official", kind="description", forms={"a senior official"})
    if roll < 0.25:
        name = rng.choice(ORGS)
        return Entity(name=name, kind="org", forms={name})
    last = rng.choice(LASTS)
    forms = {last} if roll < 0.45 else {f"{rng.choice(FIRSTS)} {last}", last}
    return Entity(name=max(forms, key=len), kind="person", forms=forms)


def _shape(entities: list[Entity], clusters: list[list[Entity]]) -> list[list[int]]:
    ids = {id(e): i for i, e in enumerate(entities)}
    return [[ids[id(e)] for e in c] for c in clusters]


def _changed(rng: random.Random, entities: list[Entity]) -> list[Entity]:
    """Some entities gone, some new ones in their place, some with another form."""
    out = [e for e in entities if rng.random() > 0.03]
    for _ in range(5):
        out.insert(rng.randrange(len(out) + 1), _entity(rng))
    for e in rng.sample(out, 40):
        if e.kind == "person":
            e.forms = {*e.forms, f"{rng.choice(FIRSTS)} {e.name.split()[-1]}"}
    return out


def test_a_remembered_clustering_gives_the_clusters_of_a_merge_from_scratch():
    rng = random.Random(11)
    entities = [_entity(rng) for _ in range(600)]
    memo: dict = {}
    assert _shape(entities, _cluster(entities, None, memo)) == _shape(entities, _cluster(entities))
    for _ in range(4):  # successive changes, each from the memo the last one left
        entities = _changed(rng, entities)
        kept: dict = {}
        got = _shape(entities, _cluster(entities, memo, kept))
        assert got == _shape(entities, _cluster(entities))
        assert kept and set(kept) != set(memo)  # the changed partitions were clustered again
        memo = kept


def test_an_unchanged_briefing_reuses_every_partition():
    rng = random.Random(3)
    entities = [_entity(rng) for _ in range(300)]
    memo: dict = {}
    _cluster(entities, None, memo)
    kept: dict = {}
    _cluster(entities, memo, kept)
    assert kept == memo


def test_a_remembered_clustering_that_cannot_be_the_partitions_is_not_used():
    rng = random.Random(7)
    entities = [_entity(rng) for _ in range(300)]
    memo: dict = {}
    want = _shape(entities, _cluster(entities, None, memo))
    for bad in ((5,), (0, 7), (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)):
        broken = {digest: (bad, later) for digest, (_full, later) in memo.items()}
        assert _shape(entities, _cluster(entities, broken)) == want
    broken = {digest: (full, tuple(99 for _ in later)) for digest, (full, later) in memo.items()}
    assert _shape(entities, _cluster(entities, broken)) == want


def test_a_partition_whose_forms_changed_is_clustered_again():
    """One article's "Lena Berg" is also printed "Ana Berg" now: the two are one person, and
    the bare "Berg" has one person of that surname to join; the other surname is reused."""
    ana = Entity(name="Ana Berg", kind="person", forms={"Ana Berg", "Berg"})
    lena = Entity(name="Lena Berg", kind="person", forms={"Lena Berg", "Berg"})
    bare = Entity(name="Berg", kind="person", forms={"Berg"})
    other = Entity(name="Wendy Sherman", kind="person", forms={"Wendy Sherman"})
    entities = [ana, lena, bare, other]
    memo: dict = {}
    assert _shape(entities, _cluster(entities, None, memo)) == [[0], [1], [3], [2]]
    lena.forms = {"Lena Berg", "Ana Berg", "Berg"}
    kept: dict = {}
    assert _shape(entities, _cluster(entities, memo, kept)) == [[0, 1, 2], [3]] == _shape(entities, _cluster(entities))
    assert len(set(kept) & set(memo)) == 1  # Sherman's partition, as it was
