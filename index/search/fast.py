"""The fast path for the common query shapes, and every read of Whoosh's private layout.

It reads Whoosh's codec internals (leaf matchers' stored blocks, field-length norms), so it runs
only on the Whoosh version whose layout it was written against (`LAYOUT_VERSION`); on any other
version `fast_search` returns None and the plain Whoosh search runs, with the same results.
"""

from __future__ import annotations

from heapq import nlargest
from typing import Any, Iterator

LAYOUT_VERSION = (2, 7, 5)  # whoosh-reloaded 2.7.5; pyproject pins the same version


def layout_matches() -> bool:
    import whoosh

    return tuple(whoosh.__version__[:3]) == LAYOUT_VERSION


# ---- a fast path for the common query shapes ------------------------------------------------
#
# Whoosh walks postings one Python method call at a time, scores an OR of many terms with a binary
# tree of union matchers that it re-plans every few documents (`replace`, `max_quality`), and
# counts a result set by running the query a second time. A prefix expanding to 64 common terms
# took 1-3 s at 10,000 articles. Terms, ORs of terms (prefix and wildcard expansions), ANDs of
# those, and phrases are evaluated here instead, a stored block of postings at a time, with the
# same BM25F scores, order and match count (tests/test_search_fast.py compares the two). Anything
# else (NOT, nested groups, non-BM25F weighting, another codec) returns None: Whoosh runs it.


class _Unsupported(Exception):
    """This query (or index) is not for the fast path."""


Clause = tuple[list[Any], float]  # items united (Term, Phrase, ExtraDocs), and the boost of their Or


def _clauses(q: Any) -> list[Clause]:
    """The query as a conjunction of clauses, each an Or (boost) of terms, phrases, and the extra
    documents of `speaker:`/`side:` from the analysis (extra.py)."""
    from whoosh import query as wq

    from briefing.index.search.extra import is_extra

    def item(node: Any) -> Any:
        if type(node) is wq.Term or is_extra(node):
            return node
        if type(node) is wq.Phrase and node.slop == 1 and len(node.words) >= 1:
            return node
        raise _Unsupported

    def clause(node: Any) -> Clause:
        if type(node) is wq.Or and node.subqueries:
            if getattr(node, "minmatch", 0) or getattr(node, "scale", None):
                raise _Unsupported
            return ([item(sub) for sub in node.subqueries], node.boost)
        return ([item(node)], 1.0)

    if type(q) is wq.And and q.subqueries:
        if q.boost != 1.0:
            raise _Unsupported
        return [clause(sub) for sub in q.subqueries]
    return [clause(q)]


def _posting_blocks(matcher: Any, with_values: bool = False) -> Iterator[tuple[Any, Any, Any]]:
    """(doc ids, weights, values or None) of a term's postings, one stored block at a time."""
    from itertools import accumulate, repeat

    from whoosh.codec.whoosh3 import W3LeafMatcher

    if type(matcher) is W3LeafMatcher:
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            data = matcher._data
            ids, weights = data[0], data[1]
            if not matcher._byteids:
                ids = list(accumulate(ids))  # stored as deltas
            if weights is None or isinstance(weights, float):
                weights = repeat(weights or 1.0)
            values = None
            if with_values:
                if matcher._values is None:
                    matcher._read_values()
                values = matcher._values
            yield ids, weights, values
            if matcher._lastblock:
                break
            matcher._next_block()
        return
    ids, weights, values = [], [], []
    while matcher.is_active():  # postings kept inline in the term info: a handful at most
        ids.append(matcher.id())
        weights.append(matcher.weight())
        values.append(matcher.value() if with_values else None)
        matcher.next()
    yield ids, weights, (values if with_values else None)


_BYTE_LENGTHS: list[int] = []


def _norms(searcher: Any, reader: Any, fieldname: str, b: float, k1: float, avgfl: float) -> list[float]:
    """K1 * ((1 - B) + B * length / avgfl) for every document of a segment (cached per searcher)."""
    cache = searcher.__dict__.setdefault("_briefing_norms", {})
    key = (id(reader), fieldname, b, k1, avgfl)
    norms: list[float] | None = cache.get(key)
    if norms is not None:
        return norms
    if not _BYTE_LENGTHS:
        from whoosh.util.numeric import byte_to_length

        _BYTE_LENGTHS.extend(byte_to_length(i) for i in range(256))
    table = [k1 * ((1 - b) + b * length / avgfl) for length in _BYTE_LENGTHS]
    try:  # the whole lengths column in one read
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None or column._fixedlen != 1:
            raise _Unsupported
        data = bytes(column._dbfile.get(column._basepos, column._count))
    except _Unsupported:
        raise
    except Exception:  # noqa: BLE001 - another codec or layout
        raise _Unsupported from None
    data += bytes(max(0, reader.doc_count_all() - len(data)))
    norms = [table[byte] for byte in data]
    cache[key] = norms
    return norms


SKIP_BELOW = 512  # candidates left: look them up in a term's postings instead of reading them all


def _term_scores(
    searcher: Any,
    leaf: Any,
    reader: Any,
    term: Any,
    boost: float,
    with_values: bool = False,
    only: set[int] | None = None,
    into: dict[int, float] | None = None,
) -> tuple[dict[int, float], dict[int, bytes]]:
    """{segment doc: score} (and {doc: value} when asked) for one term, BM25F as Whoosh scores it.

    With `only` (a small set of candidate documents), the postings are skipped through, not read.
    With `into`, the scores are added to that dict (an OR of terms sums them) and it is returned.
    """
    from whoosh.scoring import BM25FScorer, WeightScorer

    fieldname, text = term.fieldname, term.text
    boost = boost * term.boost
    scores: dict[int, float] = {} if into is None else into
    values: dict[int, bytes] = {}
    if (fieldname, text) not in reader:
        return scores, values
    scorer = searcher.weighting.scorer(leaf, fieldname, text)
    if type(scorer) is BM25FScorer:
        norms = _norms(searcher, reader, fieldname, scorer.B, scorer.K1, scorer.avgfl)
        top = scorer.idf * (scorer.K1 + 1) * boost

        def score(doc: int, tf: float) -> float:
            return float(top * tf / (tf + norms[doc]))
    elif type(scorer) is WeightScorer:
        norms, top = None, boost

        def score(doc: int, tf: float) -> float:
            return tf * boost
    else:
        raise _Unsupported
    postings = reader.postings(fieldname, text)
    if only is not None:
        for doc in sorted(only):
            if not postings.is_active():
                break
            postings.skip_to(doc)
            if not postings.is_active():
                break
            if postings.id() == doc:
                scores[doc] = scores.get(doc, 0.0) + score(doc, postings.weight())
                if with_values:
                    values[doc] = postings.value()
        return scores, values
    fresh = not scores
    get = scores.get
    for ids, weights, vals in _posting_blocks(postings, with_values):
        if norms is not None and fresh:
            for doc, tf in zip(ids, weights):
                scores[doc] = top * tf / (tf + norms[doc])
        elif norms is not None:
            for doc, tf in zip(ids, weights):
                scores[doc] = get(doc, 0.0) + top * tf / (tf + norms[doc])
        else:
            for doc, tf in zip(ids, weights):
                scores[doc] = get(doc, 0.0) + tf * top
        if vals is not None:
            values.update(zip(ids, vals))
    return scores, values


def _phrase_scores(searcher: Any, leaf: Any, reader: Any, phrase: Any, boost: float, only: set[int] | None = None) -> dict[int, float]:
    """Documents where the phrase's words stand side by side, scored as the sum of the words."""
    from whoosh import query as wq

    field = searcher.schema[phrase.fieldname]
    fmt = field.format
    if not fmt or not fmt.supports("positions"):
        raise _Unsupported
    words = []
    for word in phrase.words:
        try:
            words.append(field.to_bytes(word))
        except ValueError:
            return {}
    per_word: list[tuple[bytes, dict[int, float], dict[int, bytes]]] = []
    for word in dict.fromkeys(words):
        scores, values = _term_scores(searcher, leaf, reader, wq.Term(phrase.fieldname, word), boost, True, only)
        if not scores:
            return {}
        if only is None or len(scores) < len(only):
            only = set(scores) if len(scores) <= SKIP_BELOW else None
        per_word.append((word, scores, values))
    candidates = set(min(per_word, key=lambda item: len(item[1]))[1])
    for _w, s, _v in per_word:
        candidates.intersection_update(s)
    by_word = {w: (s, v) for w, s, v in per_word}
    out: dict[int, float] = {}
    decode = fmt.decode_positions
    for doc in candidates:
        positions = [set(decode(by_word[w][1][doc])) for w in words]
        first = positions[0]
        if any(all(p + i in positions[i] for i in range(1, len(words))) for p in first):
            out[doc] = sum(by_word[w][0][doc] for w in words)  # a repeated word counts each time, as in Whoosh
    return out


def fast_search(searcher: Any, q: Any, limit: int, source: str | None) -> tuple[list[tuple[Any, float]], int] | None:
    """Top `limit` (stored fields, score) and the match count, or None when Whoosh should run it."""
    if not layout_matches():
        return None
    from whoosh import query as wq
    from whoosh.scoring import BM25F

    if type(searcher.weighting) is not BM25F:
        return None
    try:
        clauses = _clauses(q)
        if source is not None:  # scored as Whoosh scores And([query, Term("source", source)])
            clauses.append(([wq.Term("source", source)], 1.0))
        scores: dict[int, float] = {}
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            df = reader.doc_frequency

            def size(clause: Clause) -> int:
                items, _boost = clause
                if len(items) > 8:
                    return 1 << 40  # a prefix expansion: large, and not worth 64 look-ups to know
                total = 0
                for node in items:
                    if type(node) is wq.Term:
                        total += df(node.fieldname, node.text)
                    elif type(node) is wq.Phrase:
                        total += min((df(node.fieldname, w) for w in node.words), default=0)
                    else:
                        total += len(node.passages)
                return total

            ordered = sorted(clauses, key=size) if len(clauses) > 1 else clauses
            found: dict[int, float] | None = None
            for items, boost in ordered:  # the most selective first
                only = set(found) if found is not None and len(found) <= SKIP_BELOW else None
                part: dict[int, float] = {}
                for node in items:
                    if type(node) is wq.Term:
                        _term_scores(searcher, leaf, reader, node, boost, only=only, into=part)
                        continue
                    if type(node) is wq.Phrase:
                        more = _phrase_scores(searcher, leaf, reader, node, boost * node.boost, only)
                    else:  # the analysis' passages (extra.py): scored already, boost included
                        more = {doc: score * boost for doc, score in node.leaf_scores(leaf).items()
                                if only is None or doc in only}
                    if not part:
                        part = more
                    else:
                        for doc, score in more.items():
                            part[doc] = part.get(doc, 0.0) + score
                if found is None:
                    found = part
                else:
                    found = {doc: score + part[doc] for doc, score in found.items() if doc in part}
                if not found:
                    break
            if not found:
                continue
            if reader.has_deletions():  # (SegmentReader has no deleted_docs(): ask per document)
                found = {doc: score for doc, score in found.items() if not reader.is_deleted(doc)}
            if offset:
                found = {doc + offset: score for doc, score in found.items()}
            scores.update(found)
    except _Unsupported:
        return None
    if not scores:
        return [], 0
    if len(scores) > limit:
        cut = nlargest(limit, scores.values())[-1]
        best = [(doc, score) for doc, score in scores.items() if score >= cut]
    else:
        best = list(scores.items())
    best.sort(key=lambda item: (-item[1], item[0]))  # as Whoosh: score, then document order
    return [(searcher.stored_fields(doc), score) for doc, score in best[:limit]], len(scores)
