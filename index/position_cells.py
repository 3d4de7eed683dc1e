"""The clustering of the positions matrix's cells (briefing.index.positions._cluster_again),
spread over the cores.

At 10,000 articles five of the matrix's thirty-five cells hold ~60,000 statements between them
and take a second or two each to cluster, one after another in the parent while a core idles.
The cells are independent: those no earlier analysis clustered go to forked workers, the largest
first, and each worker hands back its cell's clustering as the memo keeps it (the positions of
the representatives among the cell's statements, with their outlets), which is what an analysis
that finds the cell in its memo rebuilds the representatives from.
"""

from __future__ import annotations

from briefing.index.positions import Statement, _cell_digest, _cluster_again, _with_outlets
from briefing.index.workers import heaviest_first, spreads

# Statements to cluster anew below which the cells are clustered here (about a second of work:
# a pool's start is not worth it).
PARALLEL_STATEMENTS = 10_000

Known = list[tuple[int, list[str]]]  # a cell's clustering as the memo keeps it


def cluster_cells(cells: list[list[Statement]], outlets_of_group: dict[str, set[str]],
                  content_of: dict[int, frozenset[str]], previous: dict[bytes, Known] | None,
                  keep: dict[bytes, Known], sorted_outlets: dict[str, list[str]] | None = None) -> list[list[Statement]]:
    """`[_cluster_again(members, outlets_of_group, content_of, previous, keep, sorted_outlets)
    for members in cells]`: the same representatives, the same memo in `keep`."""
    if sorted_outlets is None:
        sorted_outlets = {}
    digests = [_cell_digest(members, outlets_of_group, sorted_outlets) for members in cells]
    fresh = [k for k, digest in enumerate(digests) if previous is None or digest not in previous]
    weights = [len(cells[k]) for k in fresh]

    def clustered(k: int) -> Known:
        """One cell's clustering, as the memo keeps it (in a worker)."""
        kept: dict[bytes, Known] = {}
        _cluster_again(cells[k], outlets_of_group, {}, None, kept, sorted_outlets)
        return kept[digests[k]]

    found: dict[int, Known] = {}
    if spreads(weights, PARALLEL_STATEMENTS):
        found = dict(zip(fresh, heaviest_first(clustered, fresh, weights, PARALLEL_STATEMENTS)))
    out: list[list[Statement]] = []
    for k, members in enumerate(cells):
        known: Known | None = found.get(k)
        if known is None and previous is not None:
            known = previous.get(digests[k])
        if known is None:  # (here, as it always was: the work was too small to fork)
            out.append(_cluster_again(members, outlets_of_group, content_of, None, keep, sorted_outlets))
            continue
        keep[digests[k]] = known
        out.append([_with_outlets(members[i], list(outlets)) for i, outlets in known])
    return out

