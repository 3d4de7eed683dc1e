"""The memos an update reads instead of reading articles again: the key-phrase memo of issue
discovery, and the test of an article's looked-up keys against what a change touched."""

from __future__ import annotations

import random
from dataclasses import dataclass

from briefing.index.issues import Discovery
from briefing.index.quotes.analysis import meets
from briefing.index.quotes.groups import pack_keys


@dataclass
class _St:
    text: str
    source: str = "a"
    outlet: str | None = None


TEXTS = [f"The {w} harbour fees for Ferrybridge will rise in {y}, said Ola Brenna." for w in ("new", "old", "odd")
         for y in ("spring", "autumn")] + ["The ferry timetable is a disgrace, said Ola Brenna.",
                                           "Ferry fees and the timetable are both a disgrace.", "Nothing to see."]


def test_the_phrases_of_the_last_discovery_give_a_fresh_discovery():
    memo: dict = {}
    first = Discovery([_St(t, str(i)) for i, t in enumerate(TEXTS)], ["Ola Brenna"], previous=None, keep=memo)
    assert first.keys and memo
    changed = [*TEXTS[:3], "Harbour fees at Ferrybridge went up again, said Ola Brenna.", *TEXTS[4:]]
    statements = [_St(t, str(i)) for i, t in enumerate(changed)]
    again: dict = {}
    got = Discovery(statements, ["Ola Brenna"], previous=memo, keep=again)
    fresh = Discovery(statements, ["Ola Brenna"])
    assert got.keys == fresh.keys and got.issues() == fresh.issues()
    assert len(again) == 1 and len(next(iter(again.values()))) == len(set(changed))


def test_phrases_remembered_under_other_excluded_words_are_not_used():
    memo: dict = {}
    Discovery([_St(t) for t in TEXTS], ["Ola Brenna"], previous=None, keep=memo)
    # a speaker named Ferrybridge now: the word is who speaks, no longer a key phrase
    got = Discovery([_St(t) for t in TEXTS], ["Ola Brenna", "Ferrybridge"], previous=memo)
    fresh = Discovery([_St(t) for t in TEXTS], ["Ola Brenna", "Ferrybridge"])
    assert got.keys == fresh.keys
    assert all(("ferrybridg",) not in keys and ("ferrybridge",) not in keys for keys in got.keys)
    assert any(len(a) != len(b) for a, b in zip(got.keys, Discovery([_St(t) for t in TEXTS], ["Ola Brenna"]).keys))


def test_meets_is_whether_the_sets_share_a_key():
    rng = random.Random(4)
    for _ in range(2000):
        listed = [rng.randrange(5000) for _ in range(rng.randrange(0, 400))]
        keys = {rng.randrange(5000) for _ in range(rng.randrange(0, 40))}
        assert meets(keys, pack_keys(listed)) == (not keys.isdisjoint(listed))
    assert meets({2**32 - 1}, pack_keys([0, 2**32 - 1]))
    assert not meets(set(), pack_keys([1]))


def test_a_cells_digest_is_of_its_statements_values_alone():
    """The memo of clustered cells is looked up by a digest of what clustering reads: equal
    statements give it whatever their strings' history (built anew, interned, shared), and a
    change to any field it reads gives another."""
    import sys

    from briefing.index.positions import Statement, _cell_digest

    def cell(text: str, group: str | None = "g-1", outlet: str = "Harbour Gazette") -> list[Statement]:
        return [Statement(text, "Ola Brenna", "ferries", "a1", 2, 10, 10 + len(text), "quote", outlet, group),
                Statement("Fees will rise.", None, "ferries", "a2", 0, 0, 15, "fragment", "Valley Times", None)]

    outlets = {"g-1": {"Valley Times", "Harbour Gazette"}}
    words = "The fees will rise in spring"
    built = " ".join(words.split())  # equal to `words`, another string object
    assert built is not words
    digest = _cell_digest(cell(words), outlets)
    assert _cell_digest(cell(built), outlets) == digest
    assert _cell_digest(cell(sys.intern(built)), {"g-1": {"Harbour Gazette", "Valley Times"}}) == digest
    shared = cell(words)
    assert _cell_digest([shared[0], shared[0]], outlets) == _cell_digest([cell(words)[0], cell(words)[0]], outlets)
    assert _cell_digest(cell(words + "."), outlets) != digest
    assert _cell_digest(cell(words, outlet="Valley Times"), outlets) != digest
    assert _cell_digest(cell(words), {"g-1": {"Valley Times"}}) != digest
    assert _cell_digest(cell(words, group=None), outlets) != digest
