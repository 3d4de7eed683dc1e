"""The shortcuts of the fast search path give exactly what the plain reads give: a phrase checked
on its words' position bytes, a block's ids cut out of its pickle, an article's passages read a
block at a time (the analysis' `speaker:` passages)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import briefing.index.search.fast as fast_path
from briefing.index.engine import Briefing
from support.segmented import segmented_briefing

FILLER = "the delegates spoke at length about grain and shipping routes before lunch"


def _paragraphs() -> list[str]:
    words = FILLER.split()
    long_lead = " ".join(words[i % len(words)] for i in range(300))  # positions past 255
    return [
        "Ministers held border talks on Monday.",  # each word once, side by side
        "The talks on the border went on; border talks resume later.",  # twice, one pair adjacent
        "Talks border nothing: the words in the other order.",
        f"{long_lead} and then the border talks began.",  # adjacent, past position 255
        f"{long_lead} border and then talks.",  # both past 255, not adjacent
        "Border talks, border talks and more border talks.",  # repeated pairs
        "Only border here, and talks far away at the end of it.",
    ]


@pytest.fixture(scope="module")
def phrases(tmp_path_factory):
    root = tmp_path_factory.mktemp("phrases")
    corpus = root / "c"
    corpus.mkdir()
    texts = _paragraphs()
    for n in range(6):  # a few articles, the paragraphs in a different order in each
        body = "\n\n".join(texts[(n + k) % len(texts)] for k in range(len(texts)))
        (corpus / f"a{n}.txt").write_text(f"Outlet {n}\n\nBorder talks {n}\n\n{body}\n", encoding="utf-8")
    b = Briefing(corpus, index_dir=root / "ix")
    b.open()
    yield b
    b.close()


def _both(index, query, limit, monkeypatch):
    index._cache.clear()
    fast = index.search(query, limit=limit)
    index._cache.clear()
    monkeypatch.setattr(fast_path, "LAYOUT_VERSION", (0, 0, 0))  # as on another Whoosh: plain Whoosh runs
    slow = index.search(query, limit=limit)
    monkeypatch.undo()
    index._cache.clear()
    return fast, slow


def _shape(r):
    return [(h.source, h.paragraph, h.score, h.highlights) for h in r.hits], r.total, r.error


@pytest.mark.parametrize("query", ['"border talks"', '"talks border"', '"then talks"', '"border and then talks"',
                                   '"routes before"', '"border talks" AND monday', '"the border"'])
def test_phrases_checked_on_position_bytes_match_whoosh(phrases, query, monkeypatch):
    for limit in (1, 3, 50):
        fast, slow = _both(phrases._index, query, limit, monkeypatch)
        assert _shape(fast) == _shape(slow), (query, limit)
    assert fast.total > 0 or query == '"talks border"'


@settings(max_examples=300, deadline=None)
@given(ids=st.lists(st.one_of(st.integers(0, 255), st.integers(256, 65_535), st.integers(65_536, 2**31 - 1)),
                    min_size=4, max_size=130),
       weighted=st.booleans())
def test_ids_cut_at_the_end_of_their_tuple_are_the_unpickled_ones(ids, weighted):
    values = tuple(b"\x00\x00\x00\x01" + bytes([i % 256]) for i in range(len(ids)))
    weights = tuple(float(1 + i % 3) for i in range(len(ids))) if weighted else None
    block = pickle.dumps((tuple(ids), weights, values), 2)
    found = fast_path._ids_alone(block, len(ids))
    if weighted:
        assert found is None
    else:
        assert found == (tuple(ids), None)
    assert fast_path._ids_alone(block, len(ids) + 1) is None  # a count that does not agree: declined


@pytest.fixture(scope="module")
def segmented(tmp_path_factory):
    built = segmented_briefing(tmp_path_factory.mktemp("passages"), 120, seed=5, every=11,
                               late="A later paragraph about the ceasefire talks.")
    b, info = next(built)
    assert b._index._get_searcher().reader().has_deletions()
    yield b, info
    built.close()


def test_article_passages_read_by_blocks_are_whooshs(segmented, monkeypatch):
    b, _info = segmented
    searcher = b._index._get_searcher()
    for leaf, _offset in searcher.leaf_searchers():
        reader = leaf.reader()
        column = reader.column_reader("paragraph")
        for term in reader.lexicon("source"):
            expected = {}
            matcher = reader.postings("source", term)  # (without deleted documents)
            while matcher.is_active():
                expected[int(column[matcher.id()])] = matcher.id()
                matcher.next()
            assert fast_path.article_passages(leaf, reader, term) == expected, term
    monkeypatch.setattr(fast_path, "LAYOUT_VERSION", (0, 0, 0))
    leaf, _offset = searcher.leaf_searchers()[0]
    assert fast_path.article_passages(leaf, leaf.reader(), next(iter(leaf.reader().lexicon("source")))) is None


def _forget(b):
    """No result, article passages, article ranges, paragraph column or analysis scores kept
    from the last search (so that each way reads them its own way)."""
    b._index._cache.clear()
    for leaf, _offset in b._index._get_searcher().leaf_searchers():
        for kept in ("_briefing_sources", "_briefing_extra", "_briefing_article_ranges",
                     "_briefing_paragraph_column", "_briefing_paragraph_numbers"):
            leaf.__dict__.pop(kept, None)


def test_speaker_passages_of_the_analysis_match_whoosh(segmented, monkeypatch):
    b, info = segmented
    b.analysis()
    names = [p.last.lower() for p in info.people[:12]]
    for query in [f"speaker:{n}" for n in names] + [f"speaker:{names[0]} talks", f"speaker:{names[1][:3]}*"]:
        _forget(b)
        fast = b.search(query, limit=10)
        leaves = b._index._get_searcher().leaf_searchers()
        ranges = [table for leaf, _offset in leaves for table in leaf.__dict__.get("_briefing_article_ranges", {}).values()]
        assert len(leaves) > 1 and ranges and None not in ranges  # (found through the article ranges)
        _forget(b)
        monkeypatch.setattr(fast_path, "LAYOUT_VERSION", (0, 0, 0))
        slow = b.search(query, limit=10)
        monkeypatch.undo()
        assert _shape(fast) == _shape(slow), query
        assert fast.total, query


def _position_values(lists: list[list[int]]) -> tuple[bytes, ...]:
    from whoosh.formats import Positions

    return tuple(Positions().encode(sorted(set(positions))) for positions in lists)


@settings(max_examples=200, deadline=None)
@given(lists=st.lists(st.lists(st.one_of(st.integers(0, 127), st.integers(128, 255), st.integers(256, 70_000)),
                               min_size=1, max_size=6), min_size=1, max_size=130))
def test_values_cut_into_pieces_are_the_unpickled_ones(lists):
    values = _position_values(lists)
    block = pickle.dumps((tuple(range(len(values))), None, values), 2)
    pieces = fast_path._value_pieces(block, len(values))
    assert pieces is not None
    assert [fast_path._piece_value(piece) for piece in pieces] == list(values)
    assert fast_path._value_pieces(block, len(values) + 1) is None  # a count that does not agree: declined


def test_a_value_holding_the_cut_is_read_by_unpickling():
    values = list(_position_values([[3], [5, 9], [40]]))
    block = pickle.dumps((tuple(range(len(values))), None, tuple(values)), 2)
    at = block.find(b"c_codecs\nencode\n") + len(b"c_codecs\nencode\n")
    cut = b"h" + block[at + 1:at + 2] + b"X"  # BINGET of codecs.encode, then a text: where values are cut
    values[1] += cut
    block = pickle.dumps((tuple(range(len(values))), None, tuple(values)), 2)
    assert fast_path._value_pieces(block, len(values)) is None  # one piece too many: not cut


def test_phrase_positions_read_off_pieces_are_whooshs(phrases):
    from whoosh import query as wq

    searcher = phrases._index._get_searcher()
    fmt = searcher.schema["text"].format
    for leaf, _offset in searcher.leaf_searchers():
        reader = leaf.reader()
        for word in ("border", "talk", "the", "then"):
            scorer = fast_path._Scorer(searcher, leaf, reader, wq.Term("text", word), 1.0)
            postings = scorer.postings
            assert postings is not None and postings.pieces(0) is not None  # (the path under test)
            docs = sorted(d for j in range(len(postings)) for d in postings.ids(j))
            found = scorer.positions_of(docs, lambda value: set(fmt.decode_positions(value)))
            matcher = reader.postings("text", word)
            expected = {}
            while matcher.is_active():
                expected[matcher.id()] = set(fmt.decode_positions(matcher.value()))
                matcher.next()
            assert {doc: {p} if type(p) is int else set(p) for doc, p in found.items()} == expected
