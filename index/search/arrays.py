"""An Or of terms scored and counted as arrays: every posting of every term at once, in C.

Pruning the Or (max-score, term counts) still walked the surviving candidates in Python, half a
microsecond a candidate and term; a prefix's 64 expansions leave thousands. Scoring every posting
with numpy costs less than choosing which to score. The floats are Whoosh's: each posting's BM25F
is the same operations in the same order (`top * tf / (tf + norm)`), and a document's terms are
summed in the order the callers sum them (`np.bincount` adds its weights in input order, from 0.0).

numpy is imported inside the functions: the reader imports this package at start, numpy only
when a search runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Ids = npt.NDArray[np.uint32]
    Floats = npt.NDArray[np.float64]


def float_array(values: Any, count: int) -> "Floats":
    """A block's weights as float64: one float for all its postings, or a sequence of them."""
    import numpy as np

    if isinstance(values, float):
        return np.full(count, values, dtype=np.float64)
    if isinstance(values, (list, tuple)):
        return np.array(values, dtype=np.float64)
    return np.frombuffer(values, dtype=np.float64)


def id_array(values: Any) -> "Ids":
    """A block's document numbers (array("I") or a list of ints) as uint32."""
    import numpy as np

    if isinstance(values, list):
        return np.array(values, dtype=np.uint32)
    return np.frombuffer(values, dtype=np.uint32)


def norms_array(searcher: Any, norms: list[float]) -> "Floats":
    """A segment's length norms (see fast._norms) as float64, made once per list (per searcher)."""
    import numpy as np

    cache: dict[int, tuple[list[float], Floats]] = searcher.__dict__.setdefault("_briefing_norm_arrays", {})
    found = cache.get(id(norms))
    if found is None or found[0] is not norms:
        found = cache[id(norms)] = (norms, np.array(norms, dtype=np.float64))
    return found[1]


Part = tuple["Ids", "Floats"]  # documents (one term's, or several terms' one after the other) and what each posting adds


def terms_part(terms: list[tuple["Ids", "Floats"]], tops: list[float], norms: "Floats | None") -> Part:
    """What each of some terms (their ids and weights, and `top`: idf, boosts) adds to each of
    its documents, the terms one after the other: BM25F as `_Scorer.add_hits` computes it,
    `top * tf / (tf + norm)` (or `tf * top` for a field without lengths)."""
    import numpy as np

    if len(terms) == 1:
        ids, tfs = terms[0]
        top: Any = tops[0]
    else:
        ids = np.concatenate([term[0] for term in terms])
        tfs = np.concatenate([term[1] for term in terms])
        top = np.repeat(np.array(tops, dtype=np.float64), [len(term[0]) for term in terms])
    if norms is None:
        return ids, tfs * top
    return ids, (top * tfs) / (tfs + norms[ids])


def extra_part(scores: dict[int, float]) -> Part:
    """Documents scored elsewhere (the analysis' passages), as a part."""
    import numpy as np

    return (np.fromiter(scores.keys(), dtype=np.uint32, count=len(scores)),
            np.fromiter(scores.values(), dtype=np.float64, count=len(scores)))


def union_top(parts: list[Part], size: int, deleted: Iterable[int], limit: int) -> tuple[int, dict[int, float]]:
    """(how many live documents have any part, {document: summed score} of a set holding the
    `limit` best of them). `parts` are summed in their order; `size` bounds the document numbers.
    Ties at the limit-th score are all kept: the caller orders them (score, then document)."""
    import numpy as np

    parts = [part for part in parts if len(part[0])]
    if not parts:
        return 0, {}
    ids = parts[0][0] if len(parts) == 1 else np.concatenate([part[0] for part in parts])
    size = max(size, int(ids.max()) + 1)
    values = parts[0][1] if len(parts) == 1 else np.concatenate([part[1] for part in parts])
    scores = np.bincount(ids, weights=values, minlength=size)
    present = np.zeros(size, dtype=np.bool_)
    present[ids] = True
    gone = [doc for doc in deleted if doc < size]
    if gone:
        present[gone] = False
    docs = np.flatnonzero(present)
    count = len(docs)
    if count == 0 or limit <= 0:
        return count, {}
    found = scores[docs]
    if count > limit:
        floor = np.partition(found, count - limit)[count - limit]  # the limit-th best score
        kept = found >= floor
        docs, found = docs[kept], found[kept]
    return count, dict(zip(docs.tolist(), found.tolist()))
