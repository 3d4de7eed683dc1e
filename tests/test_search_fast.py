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
