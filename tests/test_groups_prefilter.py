"""The cheap tests in front of the unmarked-speech search and the linking of quotations give what
the plain forms give: the slot table of the shingle postings turns away only keys nothing is
listed under, the set bound on common words decides as counting does, the run keys made in C are
the keys the run-by-run formula makes, the memoised word sequence is the token sequence; and on
whole articles the search still finds a reprint with a word changed and skips narration that only
shares stock words."""

from __future__ import annotations

import random
import zlib
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.index.model import Article, Paragraph
from briefing.index.quotes.extract import Quote
from briefing.index.quotes.groups import (
    Normaliser,
    QuoteIndex,
    _common_words,
    _Extended,
    _has_common,
    _Postings,
    shingle_keys,
    stable_keys,
    stable_run_keys,
    unmarked_in_article,
)

LOW40 = (1 << 40) - 1


def _plain_get(items: list[tuple[int, set[int]]], key: int, limit: int) -> list[int]:
    us = sorted({u for u, keys in items for k in keys if k & LOW40 == key & LOW40})
    return us if len(us) <= limit else []


@pytest.mark.parametrize("n, seed", [(0, 1), (1, 2), (40, 3), (3000, 4)])
def test_the_slot_table_turns_away_only_keys_with_nothing_listed(n, seed):
    rng = random.Random(seed)
    items = [(u, {rng.getrandbits(64) - (1 << 63) for _ in range(rng.randint(0, 8))}) for u in range(n)]
    p = _Postings(items)
    listed = [k for _u, keys in items for k in keys]
    strangers = [rng.getrandbits(64) - (1 << 63) for _ in range(2000)]
    # every listed key is kept, in the order given, with the strangers the table cannot tell apart
    mixed = listed + strangers
    rng.shuffle(mixed)
    kept = p.present(mixed)
    assert kept == [k for k in mixed if k in set(kept)]
    assert set(listed) <= set(kept)
    for k in strangers:
        if k not in kept:
            assert p.get(k, 10**9) == [] == _plain_get(items, k, 10**9)
    if n >= 3000:
        assert len(set(strangers) - set(kept)) > len(strangers) // 2  # the table does turn keys away
    for u, keys in items[:100]:
        for k in keys:
            assert p.get(k, 10**9) == _plain_get(items, k, 10**9)


def test_extended_postings_keep_the_keys_of_added_sequences_and_drop_gone_ones():
    rng = random.Random(9)
    base_items = [(u, {rng.getrandbits(64) for _ in range(5)}) for u in range(200)]
    shared = next(iter(base_items[3][1]))
    added_items = [(200, {rng.getrandbits(64) for _ in range(5)} | {shared}), (201, {rng.getrandbits(64)})]
    ext = _Extended(_Postings(base_items), frozenset({3, 7}), _Postings(added_items))
    new_key = next(iter(added_items[1][1]))
    assert ext.get(shared, 100) == [200]  # 3 is gone, 200 lists it too
    assert ext.get(new_key, 100) == [201]
    assert ext.get(next(iter(base_items[5][1])), 100) == [5]
    keys = [shared, new_key, *base_items[5][1], 12345]
    kept = ext.present(keys)
    assert kept[:2] == [shared, new_key] and set(base_items[5][1]) <= set(kept)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from("abcdefgh"), max_size=14), st.lists(st.sampled_from("abcdefgh"), max_size=14),
       st.integers(0, 16), st.booleans())
def test_the_set_bound_on_common_words_decides_as_counting_does(a, b, needed, half):
    want = needed + 0.5 if half else needed
    assert _has_common(a, b, want) is (_common_words(a, b) >= want)


def test_common_words_count_repeats_once_per_pair():
    assert _common_words(["no", "no", "no"], ["no", "deal"]) == 1
    assert _has_common(["no", "no", "deal"], ["no", "no", "way"], 2)
    assert not _has_common(["no", "no", "deal"], ["no", "yes", "way"], 2)


def _reference_three(norms: list[str]) -> set[int]:
    ks = [zlib.crc32(w.encode("utf-8")) for w in norms]
    return {(ks[i] * 0x9E3779B1 + ks[i + 1] * 0x85EBCA77 + ks[i + 2]) & 0xFFFFFFFF for i in range(len(ks) - 2)}


def _reference_four(norms: list[str]) -> set[int]:
    ks = [zlib.crc32(w.encode("utf-8")) for w in norms]
    return {(ks[i] * 0xC2B2AE3D + ks[i + 1] * 0x27D4EB2F + ks[i + 2] * 0x165667B1 + ks[i + 3] + 1) & 0xFFFFFFFF
            for i in range(len(ks) - 3)}


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["port", "harbour", "will", "not", "é", "zq", "", "talks", "gate"]), max_size=12))
def test_stable_keys_are_the_run_by_run_formula(norms):
    # (kept in stored analyses: a key that changed would make every stored probe wrong)
    assert stable_keys(norms) == _reference_three(norms)
    assert stable_run_keys(norms) == _reference_four(norms)


def test_memoised_word_sequences_are_the_token_sequences_and_report_new_pieces():
    texts = ["The harbour’s open-gate policy won't change,” she said.",
             "U.S. envoys say the nonstarters are off the table; the U.S. won't sign.",
             "Its open gate policy: the harbour's, NATO's and the U.S.'s."]
    seen: set[str] = set()
    n = Normaliser(texts, seen=seen)
    plain = Normaliser(texts)
    for text in texts + texts:  # the second time every word comes from the memo
        assert n.words(text) == [t.norm for t in plain.tokens(text)]
    assert {"harbour", "open", "gate", "will", "not", "united", "state"} <= seen


# ---- on whole articles ------------------------------------------------------------------------

def _quote(source: str, text: str) -> Quote:
    return Quote(f"{source}:1:0", source, 1, 0, len(text), text, "statement", "Jana Vok", "Jana Vok", None, None, "said",
                 outlet=source.upper())


def _article(aid: str, *paras: str) -> Article:
    return Article(aid, aid.upper(), "Headline", None, None, None, [], [Paragraph(i + 1, t) for i, t in enumerate(paras)])


MARKED = [
    _quote("a", "We will not sign any deal that leaves the islands without protection"),
    _quote("c", "The fishing fleet stays in port until the storm warning is lifted"),
    _quote("d", "frank and direct talks"),
]
SENTENCES = {
    # the quotation reprinted without marks, one word changed: still found
    "near miss": "Foreign Minister Jana Vok told reporters that we will never sign any deal that leaves the "
                 "islands without protection.",
    # the three-word quotation in a row
    "short": "The envoy said the meeting had been frank and direct talks on every point.",
    # a few common words and one three-word run in common, no run of four: skipped
    "stock words": "Officials said the deal that leaves room for talks would be signed in the spring.",
    # speech, but nothing any quotation has
    "nothing shared": "A spokesman said the harvest festival would open on Sunday with a parade.",
}


def _search(index: QuoteIndex, normaliser: Normaliser, text: str) -> tuple[list[tuple[int, int, tuple[int, ...]]], set[int]]:
    probes: set[int] = set()
    hits = unmarked_in_article(_article("b", text), index, normaliser, None, probes)
    return [(h.start, h.end, h.matches) for h in hits], probes


def _plain_lookup(self: _Postings, key: int, limit: int) -> list[int]:
    """`_Postings.get` by its bucket table and entries alone, as before the slot table."""
    base = (key & LOW40) << self._SEQ_BITS
    b = base >> self._shift
    lo, hi = self._starts[b], self._starts[b + 1]
    found = [e & self._SEQ_MASK for e in self.entries[lo:hi] if e >> self._SEQ_BITS == key & LOW40]
    return found if len(found) <= limit else []


def _unfiltered(monkeypatch: pytest.MonkeyPatch) -> None:
    """The search as it was before the slot table: every key looked up, in the bucket table."""
    real = QuoteIndex.candidates
    monkeypatch.setattr(QuoteIndex, "candidates", lambda self, norms, sparse=False: real(self, norms))
    monkeypatch.setattr(_Postings, "get", _plain_lookup)


@pytest.mark.parametrize("case", list(SENTENCES))
def test_the_search_finds_what_looking_up_every_key_finds(case, monkeypatch):
    normaliser = Normaliser([q.text for q in MARKED] + list(SENTENCES.values()))
    index = QuoteIndex(MARKED, normaliser)
    text = SENTENCES[case]
    found, probes = _search(index, normaliser, text)
    norms = normaliser.words(text.rstrip("."))
    assert index.candidates(norms, sparse=True) == index.candidates(norms)
    if case == "near miss":
        assert [(text[s:e], m) for s, e, m in found] == [(text[text.index("we will"):-1], (0,))]
    elif case == "short":
        assert [(text[s:e], m) for s, e, m in found] == [("frank and direct talks", (2,))]
    else:
        assert found == []
    _unfiltered(monkeypatch)
    assert _search(index, normaliser, text) == (found, probes)


def test_sentences_that_share_no_run_with_any_quotation_are_turned_away_before_any_lookup(monkeypatch):
    normaliser = Normaliser([q.text for q in MARKED] + list(SENTENCES.values()))
    index = QuoteIndex(MARKED, normaliser)
    looked_up: Counter[str] = Counter()
    real = _Postings.get

    def counting(self: _Postings, key: int, limit: int) -> list[int]:
        got = real(self, key, limit)
        looked_up["hit" if got else "miss"] += 1
        return got

    monkeypatch.setattr(_Postings, "get", counting)
    norms = normaliser.words(SENTENCES["nothing shared"])
    assert index.candidates(norms, sparse=True) == {}
    assert looked_up["hit"] == 0 and looked_up["miss"] < len(shingle_keys(norms))
    near = normaliser.words(SENTENCES["near miss"])
    assert set(index.candidates(near, sparse=True)) == {index.seq_of[0]}
