"""Prefix expansions on the fast path: the terms come from a sorted copy of each segment's lexicon,
and an Or of many terms is scored and counted as arrays (every posting at once).
Both must give exactly what Whoosh gives (the fast path switched off is plain Whoosh)."""

from __future__ import annotations

import pytest

import briefing.index.search.fast as fast_path
from support.segmented import segmented_briefing


@pytest.fixture(scope="module")
def segmented(tmp_path_factory):
    """A synthetic briefing in two segments, with deleted passages (articles changed later)."""
    built = segmented_briefing(tmp_path_factory.mktemp("or-pruning"), 160, seed=13, every=23,
                               late="A later paragraph on sanctions and the talks.")
    b, info = next(built)
    reader = b._index._get_searcher().reader()
    assert len(list(reader.leaf_readers())) > 1 and reader.has_deletions()
    yield b, info
    built.close()


def _whoosh(index, query, limit, monkeypatch):
    index._cache.clear()
    monkeypatch.setattr(fast_path, "LAYOUT_VERSION", (0, 0, 0))  # as if another Whoosh: plain Whoosh runs
    result = index.search(query, limit=limit)
    monkeypatch.undo()
    index._cache.clear()
    return result


def _shape(result):
    return ([(h.source, h.paragraph, h.score, h.highlights, h.snippet) for h in result.hits],
            result.total, result.suggestion, result.error)


def _prefixes(info, size):
    """Prefixes of the synthetic vocabulary that many words share (long expansions)."""
    counts: dict[str, int] = {}
    for word in info.vocabulary[:3000]:
        if len(word) > size:
            counts[word[:size]] = counts.get(word[:size], 0) + 1
    return sorted(counts, key=lambda p: (-counts[p], p))[:6]


def test_prefix_terms_from_the_lexicon_copy_are_whooshs(segmented):
    b, info = segmented
    reader = b._index._get_searcher().reader()
    prefixes = _prefixes(info, 2) + _prefixes(info, 3) + ["sa", "zz", "th", "spe"]
    for sub, _offset in reader.leaf_readers():
        for field in ("text", "speaker", "source", "outlet", "title"):
            for prefix in prefixes:
                expected = {text: term.doc_frequency() for text, term in sub.iter_prefix(field, prefix)}
                assert fast_path.prefix_counts(sub, field, prefix) == expected, (field, prefix)


def test_term_infos_read_through_the_lexicon_copy_are_whooshs(segmented):
    b, _info = segmented
    reader = b._index._get_searcher().reader()
    for sub, _offset in reader.leaf_readers():
        fast_path.prefix_counts(sub, "text", "ta")  # the copy is made by a prefix
        terms = fast_path._lexicon(sub, "text", build=False)[0]
        for text in terms[:: max(1, len(terms) // 300)]:
            mine, theirs = fast_path._term_info(sub, "text", text), sub._terms.term_info("text", text)
            if type(mine) is tuple:  # postings on file: only where they are is unpacked
                offset, length = theirs.extent()
                assert not theirs.is_inlined()
                assert mine == (offset, length[0] if isinstance(length, tuple) else length)
                continue
            assert (mine.doc_frequency(), mine.weight(), mine.max_id(), mine.is_inlined()) == (
                theirs.doc_frequency(), theirs.weight(), theirs.max_id(), theirs.is_inlined())
            assert mine._offset == theirs._offset and mine._length == theirs._length
        assert fast_path._term_info(sub, "text", b"zzzznotaword") is fast_path._ABSENT


def test_an_or_of_many_terms_is_scored_as_arrays_and_stays_exact(segmented, monkeypatch):
    b, info = segmented
    index = b._index
    scored: list[tuple[int, int]] = []  # (postings scored, documents matching)
    from briefing.index.search import arrays

    real = arrays.union_top

    def spy(parts, size, deleted, limit):
        count, final = real(parts, size, deleted, limit)
        scored.append((sum(len(ids) for ids, _values in parts), count))
        return count, final

    queries = [p + "*" for p in _prefixes(info, 2) + _prefixes(info, 3)]
    queries += [" OR ".join(info.vocabulary[i:i + 12]) for i in (20, 40, 60)]  # common words: documents with several
    for query in queries:
        for limit in (1, 3, 10, 40):
            monkeypatch.setattr(arrays, "union_top", spy)
            index._cache.clear()
            fast = index.search(query, limit=limit)
            monkeypatch.undo()
            assert _shape(fast) == _shape(_whoosh(index, query, limit, monkeypatch)), (query, limit)
    assert scored, "no Or was scored as arrays"
    assert any(postings > matching for postings, matching in scored), scored  # documents with several terms


def test_postings_read_from_their_extent_are_the_matchers(segmented):
    """The block headers read from a term's whole extent at once are the ones W3LeafMatcher walks."""
    b, info = segmented
    reader = b._index._get_searcher().reader()
    for sub, _offset in reader.leaf_readers():
        terms = sub._terms
        for word in info.vocabulary[:60]:
            text = word.encode("utf-8")
            if ("text", text) not in sub:
                continue
            term = terms.term_info("text", text)
            if term.is_inlined():
                continue
            offset, length = term.extent()
            length = length[0] if isinstance(length, tuple) else length
            mine = fast_path._Postings.from_extent(terms._postfile, offset, length)
            walked = fast_path._Postings(terms.matcher("text", text, sub.schema["text"].format))
            assert mine is not None
            assert (mine.maxids, mine.maxweights, mine.minlengths, mine.spans, mine.count) == (
                walked.maxids, walked.maxweights, walked.minlengths, walked.spans, walked.count), word
            assert [list(mine.ids(j)) for j in range(len(mine))] == [list(walked.ids(j)) for j in range(len(walked))]
