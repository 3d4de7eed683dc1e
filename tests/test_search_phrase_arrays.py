"""Phrases read as arrays (index/search/phrases.py) give exactly what Whoosh's own search gives.

Small random Whoosh indexes, written for these tests: few words (so phrases match often and
words repeat in a passage), passages long enough for positions past 127 and 255 and for words
with several blocks of postings, several segments, deleted documents; phrases of two to four
words (a word twice in one too), with a term, as Whoosh scores and counts them.
"""

from __future__ import annotations

import math
import pickle
import random

import pytest
from hypothesis import given, settings, strategies as st
from whoosh import query as wq
from whoosh.analysis import RegexTokenizer
from whoosh.fields import ID, TEXT, Schema
from whoosh.formats import Positions

import briefing.index.search.fast as fast_path
import briefing.index.search.phrases as phrases
from briefing.index.search.passages import memory_storage

WORDS = ["grain", "port", "talks", "border", "wheat", "ship", "quota"]


def _passage(rng: random.Random) -> str:
    shape = rng.random()
    if shape < 0.5:
        length = rng.randint(1, 12)
    elif shape < 0.8:
        length = rng.randint(13, 140)
    else:
        length = rng.randint(140, 420)  # positions past 127 and 255
    words = rng.sample(WORDS, rng.randint(2, len(WORDS)))  # a few words a passage, some often
    return " ".join(rng.choice(words) for _ in range(length))


def _index(seed: int, segments: int, per_segment: int, deletions: int) -> tuple[object, list[str]]:
    rng = random.Random(seed)
    storage = memory_storage()  # (the stock RamStorage's writers share /tmp/MAIN.tmp across test workers)
    schema = Schema(id=ID(stored=True, unique=True), text=TEXT(analyzer=RegexTokenizer(), phrase=True),
                    chars=TEXT(analyzer=RegexTokenizer(), chars=True))
    ix = storage.create_index(schema)
    ids: list[str] = []
    for s in range(segments):
        writer = ix.writer()
        for n in range(per_segment):
            text = _passage(rng)
            ids.append(f"{s}-{n}")
            writer.add_document(id=ids[-1], text=text, chars=text if n % 3 == 0 else _passage(rng))
        writer.commit(merge=False)
    if deletions:
        writer = ix.writer()
        for doc in rng.sample(ids, deletions):
            writer.delete_by_term("id", doc)
        writer.commit(merge=False)
    return ix, ids


def _phrase(rng: random.Random, field: str = "text") -> wq.Phrase:
    size = rng.choice((2, 2, 2, 3, 4))
    words = [rng.choice(WORDS) for _ in range(size)]
    if rng.random() < 0.2:
        words[-1] = words[0]  # a word twice in the phrase
    return wq.Phrase(field, words)


def _same(searcher, q, limit: int) -> None:
    """The same hits in the same order, the same total, the same scores as the engine shows them
    (4 places: the fast path's BM25F groups its float operations its own way, see `_Scorer`)."""
    fast = fast_path.fast_search(searcher, q, limit, None)
    assert fast is not None, q
    # every match scored: with a limit, Whoosh's quality pruning can pass over a best match of an
    # Or holding a phrase (its span matcher does not bound its quality)
    every = searcher.search(q, limit=None)
    results = list(every)[:limit]
    assert [(fields, round(score, 4)) for fields, score in fast[0]] == [(hit.fields(), round(hit.score, 4)) for hit in results], q
    assert all(math.isclose(score, hit.score, rel_tol=1e-12) for (_f, score), hit in zip(fast[0], results)), q
    assert fast[1] == len(every), q


@pytest.fixture(scope="module")
def segmented():
    ix, _ids = _index(seed=5, segments=3, per_segment=260, deletions=40)
    with ix.searcher() as searcher:
        assert len(searcher.leaf_searchers()) == 3 and searcher.reader().has_deletions()
        assert max(len(fast_path._postings(searcher, leaf.reader(), "text", b"grain") or ())
                   for leaf, _ in searcher.leaf_searchers()) > 1  # several blocks of postings
        yield searcher


@pytest.mark.parametrize("whole_from", [1, phrases.WHOLE_FROM, 10**9])
def test_random_phrases_match_whoosh(segmented, monkeypatch, whole_from):
    """(Blocks decompressed whole to read their ids, or only their start, then whole if need be.)"""
    calls = []
    real = phrases.phrase_scores
    monkeypatch.setattr(phrases, "phrase_scores", lambda *a: calls.append(1) or real(*a))
    monkeypatch.setattr(phrases, "WHOLE_FROM", whole_from)
    rng = random.Random(11)
    for _ in range(40):
        searcher = segmented
        searcher.__dict__.pop("_briefing_postings", None)  # blocks read afresh
        searcher.__dict__.pop("_briefing_kept", None)
        _same(searcher, _phrase(rng), rng.choice((1, 3, 10, 50)))
    assert calls  # (the path under test)


def test_phrases_with_a_term_match_whoosh(segmented):
    rng = random.Random(12)
    for _ in range(30):
        phrase = _phrase(rng)
        term = wq.Term("text", rng.choice(WORDS))
        _same(segmented, wq.And([term, phrase] if rng.random() < 0.5 else [phrase, term]), 10)
        _same(segmented, wq.And([wq.Or([phrase, wq.Term("text", rng.choice(WORDS))]), term]), 5)


def test_boosted_phrases_match_whoosh(segmented):
    rng = random.Random(13)
    for _ in range(15):
        phrase = _phrase(rng)
        phrase.boost = rng.choice((0.5, 2.0, 3.0))
        _same(segmented, wq.And([phrase, wq.Term("text", rng.choice(WORDS), boost=1.5)]), 10)


def test_phrases_of_another_positions_format_match_whoosh(segmented):
    """A field storing characters too (not Whoosh's Positions values): every value decoded."""
    rng = random.Random(14)
    for _ in range(15):
        _same(segmented, _phrase(rng, "chars"), 10)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_phrases_on_other_random_indexes_match_whoosh(seed):
    ix, _ids = _index(seed=seed, segments=seed, per_segment=150 + 40 * seed, deletions=seed * 7 % 20)
    rng = random.Random(seed)
    with ix.searcher() as searcher:
        for _ in range(25):
            _same(searcher, _phrase(rng), 10)


def test_phrases_in_one_document_each_word_once(tmp_path):
    """Postings kept inline (a word in one or two passages): their values are read as a list."""
    storage = memory_storage()
    ix = storage.create_index(Schema(id=ID(stored=True), text=TEXT(analyzer=RegexTokenizer(), phrase=True)))
    writer = ix.writer()
    writer.add_document(id="a", text="quota talks resumed at the port")
    writer.add_document(id="b", text="the port talks resumed quota")
    writer.commit()
    with ix.searcher() as searcher:
        for words in (["port", "talks"], ["talks", "resumed"], ["quota", "talks", "resumed"], ["the", "the"]):
            _same(searcher, wq.Phrase("text", words), 10)


def _block(lists: list[list[int]]) -> bytes:
    fmt = Positions()
    values = tuple(fmt.encode(sorted(set(positions))) for positions in lists)
    return pickle.dumps((tuple(range(len(values))), None, values), 2)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.one_of(st.integers(0, 127), st.integers(128, 400), st.integers(400, 70_000)),
                         min_size=1, max_size=140), min_size=1, max_size=130))
def test_values_of_several_positions_read_off_their_bytes_are_whooshs(lists):
    import numpy as np

    data = _block(lists)
    pieces = fast_path._value_pieces(data, len(lists))
    assert pieces is not None
    starts, at = [], data.find(fast_path._ENCODE) + len(fast_path._ENCODE) + 3
    for piece in pieces:  # each piece where the cuts left it (the separator is 3 bytes)
        starts.append(at)
        at += len(piece) + 3
    raw = np.frombuffer(data + bytes(phrases._SPAN), dtype=np.uint8)
    starts_a = np.array(starts, dtype=np.int64)
    grid = raw[starts_a[:, None] + np.arange(phrases._SPAN)]
    which, positions = phrases._several(raw, starts_a, grid)
    read: dict[int, set[int]] = {}
    for w, p in zip(which.tolist(), positions.tolist()):
        read.setdefault(w, set()).add(p)
    for w, found in read.items():
        assert found == set(Positions().decode_positions(fast_path._piece_value(pieces[w])))
    small = [i for i, ps in enumerate(lists) if 2 <= len(set(ps)) < 128 and all(
        d < 128 for d in np.diff([0] + sorted(set(ps))))]
    assert sorted(read) == small  # every value it can read, and only those
