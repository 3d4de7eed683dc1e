"""The fast path for terms, ORs (prefix expansions), ANDs and phrases gives exactly what Whoosh gives.

`briefing.index.search.fast.fast_search` evaluates the common query shapes a block of postings at a time;
these tests run every query both ways (the second as on a Whoosh version whose layout the fast path does not know, so it is switched off) and compare
hits, order, scores, highlights, totals and suggestions — on the bundled briefing and on a
synthetic one, with a source filter, and after updates have left deleted passages in segments.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import briefing.index.search.fast as fast_path
from briefing.index.engine import Briefing
from support.paths import BUNDLED
from support.segmented import segmented_briefing

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import synth  # noqa: E402

BUNDLED_QUERIES = [
    "barracks", "sherman", "sherman AND ryabkov", "sherman ryabkov", "sherman OR ryabkov", "nego*", "gua*",
    '"open door"', '"NATO’s open-door"', '"security guarantees"', "outlet:reuters missiles", "title:talks",
    "speaker:sherman", "speaker:ryabkov guarantees", "side:russia", "sanctions NOT ukraine", "barraks",
    "invad*", "n?to", '"the the"', "russia AND (nato OR ukraine)", "(russia AND nato) OR ukraine",
    "ukraine^2 russia", "sherman^3 OR ryabkov",
]


def both_ways(index, query, limit=10, source=None, monkeypatch=None):
    index._cache.clear()
    fast = index.search(query, limit=limit, source=source)
    index._cache.clear()
    monkeypatch.setattr(fast_path, "LAYOUT_VERSION", (0, 0, 0))  # as if another Whoosh were installed
    slow = index.search(query, limit=limit, source=source)
    monkeypatch.undo()
    index._cache.clear()
    return fast, slow


def same(fast, slow):
    shape = lambda r: [(h.source, h.paragraph, h.score, h.highlights, h.snippet) for h in r.hits]  # noqa: E731
    assert shape(fast) == shape(slow)
    assert (fast.total, fast.suggestion, fast.error) == (slow.total, slow.suggestion, slow.error)


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    b = Briefing(BUNDLED, index_dir=tmp_path_factory.mktemp("ix"))
    b.open()
    yield b
    b.close()


@pytest.mark.parametrize("query", BUNDLED_QUERIES)
def test_bundled_queries_match_whoosh(bundled, query, monkeypatch):
    for limit in (3, 50):
        same(*both_ways(bundled._index, query, limit=limit, monkeypatch=monkeypatch))


@pytest.mark.parametrize("query", ["sanctions", "nego*", '"open door"', "sherman AND ryabkov", "gua*"])
def test_source_filter_matches_whoosh(bundled, query, monkeypatch):
    for article in bundled.articles:
        same(*both_ways(bundled._index, query, limit=100, source=article.id, monkeypatch=monkeypatch))


def test_synthetic_briefing_with_deleted_passages_matches_whoosh(tmp_path, monkeypatch):
    info = synth.generate(tmp_path / "c", 120, seed=3)
    b = Briefing(info.root, index_dir=tmp_path / "ix")
    b.open()
    # Updates leave the old passages of changed articles deleted (not yet merged away) in a segment.
    for path in info.files[::17]:
        path.write_text(path.read_text(encoding="utf-8") + "\n\nA closing paragraph about sanctions and talks was added later today.\n", encoding="utf-8")
    b.close()
    b = Briefing(info.root, index_dir=tmp_path / "ix")
    assert b.open().parsed == len(info.files[::17])
    assert b._index._get_searcher().reader().has_deletions()
    vocab = info.vocabulary
    queries = [vocab[40], vocab[300], f"{vocab[50]} AND {vocab[60]}", vocab[45][:3] + "*", vocab[200][:4] + "*",
               f'"{info.bigrams[0]}"', f'"{info.bigrams[1]}"', f"speaker:{info.people[0].last.lower()}",
               f"{vocab[70]} OR {vocab[80]} OR {vocab[90]}", "sanctions AND talks", '"closing paragraph"']
    for query in queries:
        same(*both_ways(b._index, query, limit=10, monkeypatch=monkeypatch))
        same(*both_ways(b._index, query, limit=10, source=info.files[17].stem, monkeypatch=monkeypatch))
    b.close()


def test_fast_path_is_taken_for_the_common_shapes(bundled):
    searcher = bundled._index._get_searcher()
    parse = bundled._index._parse
    for query in ["barracks", "nego*", '"open door"', "sherman AND ryabkov", "speaker:sherman talks"]:
        bounded = bundled._index._bound_expansions(parse(query), searcher.reader())
        assert fast_path.fast_search(searcher, bounded, 10, None) is not None, query
    for query in ["sanctions NOT ukraine", "(russia AND nato) OR ukraine"]:
        bounded = bundled._index._bound_expansions(parse(query), searcher.reader())
        assert fast_path.fast_search(searcher, bounded, 10, None) is None, query


def test_suggestions_come_from_the_words_lexicon(bundled):
    assert bundled.search("barraks").suggestion == "barracks"
    assert bundled.search("kremln talks").suggestion == "kremlin talks"
    assert bundled.search("sherman").suggestion is None


def test_another_whoosh_version_switches_the_fast_path_off(bundled, monkeypatch):
    import whoosh

    searcher = bundled._index._get_searcher()
    bounded = bundled._index._bound_expansions(bundled._index._parse("nego*"), searcher.reader())
    assert fast_path.layout_matches() and fast_path.fast_search(searcher, bounded, 10, None) is not None
    monkeypatch.setattr(whoosh, "__version__", (2, 7, 6))
    assert not fast_path.layout_matches()
    assert fast_path.fast_search(searcher, bounded, 10, None) is None
    bundled._index._cache.clear()
    plain = bundled._index.search("nego*", limit=10)
    monkeypatch.undo()
    bundled._index._cache.clear()
    same(bundled._index.search("nego*", limit=10), plain)


# ---- the pieces the pruning and the block reading rest on -------------------------------------------

import pickle  # noqa: E402
import random  # noqa: E402

from hypothesis import given, settings, strategies as st  # noqa: E402

_ID = st.one_of(st.integers(0, 255), st.integers(256, 65_535), st.integers(65_536, 2**31 - 1))


@settings(max_examples=400, deadline=None)
@given(
    ids=st.lists(_ID, max_size=130),
    weights=st.one_of(st.none(), st.floats(0.5, 50, allow_nan=False), st.just("per posting")),
    values=st.one_of(st.none(), st.just("per posting")),
    data=st.data(),
)
def test_ids_and_weights_are_cut_out_of_a_block_pickle_exactly(ids, weights, values, data):
    """A W3 block's data is pickle.dumps((ids, weights, values), 2); the fast path unpickles the first
    two alone, and must get what a full unpickling gets (or decline, never differ)."""
    n = len(ids)
    if weights == "per posting":
        weights = tuple(data.draw(st.lists(st.floats(0.5, 50, allow_nan=False), min_size=n, max_size=n)))
    if values == "per posting":
        values = tuple(data.draw(st.lists(st.binary(max_size=12), min_size=n, max_size=n)))
    block = pickle.dumps((tuple(ids), weights, values), 2)
    assert fast_path._ids_and_weights(block) == (tuple(ids), weights)


def test_blocks_read_without_positions_match_whoosh_postings(bundled):
    searcher = bundled._index._get_searcher()
    for leaf, _offset in searcher.leaf_searchers():
        reader = leaf.reader()
        for fieldname in ("text", "speaker", "source"):
            for term in list(reader.lexicon(fieldname))[:400]:
                postings = fast_path._postings(searcher, reader, fieldname, term)
                assert postings is not None
                matcher = reader.postings(fieldname, term)
                expected = []
                while matcher.is_active():
                    expected.append((matcher.id(), matcher.weight()))
                    matcher.next()
                got = []
                for j in range(len(postings)):
                    weights = postings.weights(j)
                    ids = list(postings.ids(j))
                    got.extend(zip(ids, [weights] * len(ids) if isinstance(weights, float) else weights))
                    assert ids[-1] == postings.maxids[j]
                assert got == expected and postings.count == len(expected), (fieldname, term)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A synthetic briefing in several segments, some passages deleted (updated articles)."""
    built = segmented_briefing(tmp_path_factory.mktemp("synthetic"), 400, seed=21, every=37,
                               late="A late paragraph on sanctions, talks and the weather.")
    b, info = next(built)
    assert len(b._index._get_searcher().leaf_searchers()) > 1
    yield b, info
    built.close()


def _random_queries(info, rng: random.Random, count: int) -> list[str]:
    vocab = info.vocabulary
    common, mid, rare = vocab[:40], vocab[40:3000], vocab[3000:20000]
    kinds = [
        lambda: rng.choice(common + mid),
        lambda: f"{rng.choice(rare)} OR {rng.choice(common)} OR {rng.choice(mid)}",  # rare first: pruning
        lambda: " OR ".join(rng.sample(common, 3)),
        lambda: rng.choice([w for w in mid[:1500] if len(w) >= 5])[: rng.choice((2, 3, 3, 4, 5))] + "*",
        lambda: f"{rng.choice(mid)} AND {rng.choice(common + mid)}",
        lambda: f'"{rng.choice(info.bigrams)}"',
        lambda: f'"{rng.choice(common)} {rng.choice(common)}"',
        lambda: f"speaker:{rng.choice(info.people).last.lower()} {rng.choice(common)}",
        lambda: f"{rng.choice(mid)}^2 OR {rng.choice(mid)}",
    ]
    return [rng.choice(kinds)() for _ in range(count)]


def test_random_queries_on_a_segmented_briefing_match_whoosh(synthetic, monkeypatch):
    """Exactness of the pruning: many queries, small limits (the top is cut hardest there), totals."""
    b, info = synthetic
    rng = random.Random(8)
    for query in _random_queries(info, rng, 120):
        for limit in (1, 3, 10):
            same(*both_ways(b._index, query, limit=limit, monkeypatch=monkeypatch))


def test_random_queries_with_a_source_filter_match_whoosh(synthetic, monkeypatch):
    b, info = synthetic
    rng = random.Random(9)
    for query in _random_queries(info, rng, 30):
        source = rng.choice(info.files).stem
        same(*both_ways(b._index, query, limit=10, source=source, monkeypatch=monkeypatch))


def test_an_or_with_a_rare_term_and_common_ones_matches_whoosh(synthetic, monkeypatch):
    """The rare term's documents lead; every common term's postings are read (for the count) and
    scored as arrays, in one pass over all their blocks."""
    b, info = synthetic
    searcher = b._index._get_searcher()
    reader = searcher.reader()
    counts = {w: reader.doc_frequency("text", w) for w in info.vocabulary[3000:6000]}
    rare = max((w for w, n in counts.items() if 3 <= n <= 30), key=counts.__getitem__)
    batches: list[int] = []
    real = fast_path.read_arrays

    def spy(terms):
        batches.append(len(terms))
        return real(terms)

    monkeypatch.setattr(fast_path, "read_arrays", spy)
    query = f"{rare} OR the OR of OR and"
    b._index._cache.clear()
    fast = b._index.search(query, limit=3)
    monkeypatch.undo()
    assert batches and max(batches) == 4  # (one call a segment, for the four terms)
    b._index._cache.clear()
    monkeypatch.setattr(fast_path, "LAYOUT_VERSION", (0, 0, 0))
    slow = b._index.search(query, limit=3)
    same(fast, slow)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 200_000), min_size=1, max_size=6, unique=True))
def test_positions_read_from_their_bytes_are_whooshs(positions):
    from whoosh.formats import Positions

    fmt = Positions()
    value = fmt.encode(sorted(positions))
    assert set(fast_path._positions_decoder(fmt)(value)) == set(fmt.decode_positions(value)) == set(positions)
