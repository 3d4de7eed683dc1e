"""The cells of the positions matrix clustered in forked workers, the largest first, give the
representatives and the memo that clustering them one after another in this process gives; a
cell an earlier analysis clustered is taken from its memo, never sent to a worker."""

from __future__ import annotations

import os
import random

import pytest

import briefing.index.positions as positions
from briefing.index.positions import Statement, _cluster_again, cluster_cells
from briefing.index.workers import heaviest_first, spreads

WORDS = ("harbour gate policy talks fleet storm warning port islands deal protection envoy minister council "
         "budget border crossing ferry tariff grain quota vote ballot inquiry").split()


def _cells(seed: int, sizes: list[int]) -> tuple[list[list[Statement]], dict[str, set[str]]]:
    """Cells of statements from a dozen outlets: near-copies of a few sentences (which cluster),
    quotes in groups, one statement under two issues (in two cells), and a repeated one."""
    rng = random.Random(seed)
    groups = {f"g{k}": {f"Outlet {rng.randint(0, 11)}" for _ in range(3)} for k in range(20)}
    sentences = [[rng.choice(WORDS) for _ in range(rng.randint(3, 10))] for _ in range(15)]
    cells: list[list[Statement]] = []
    for c, size in enumerate(sizes):
        cell: list[Statement] = []
        for i in range(size):
            words = [w for w in rng.choice(sentences) if rng.random() > 0.15] or ["harbour"]
            src = rng.randint(0, 11)
            kind = rng.choice(["quote", "reported", "fragment"])
            group = rng.choice([None, None, *groups]) if kind == "quote" else None
            cell.append(Statement(" ".join(words), None, f"side{c % 3}", f"s{src}", i, 0, len(words), kind,
                                  f"Outlet {src}", group, [], [f"issue{c}"]))
        if cell:
            cell.append(cell[len(cell) // 2])  # the same statement twice (as two issues' "Other")
        cells.append(cell)
    if cells[0] and len(cells) > 1:
        cells[1].append(cells[0][0])  # a statement under two issues
    return cells, groups


def _one_by_one(cells, groups, previous=None):
    keep: dict[bytes, list] = {}
    content_of: dict[int, frozenset[str]] = {}
    sorted_outlets: dict[str, list[str]] = {}
    out = [_cluster_again(members, groups, content_of, previous, keep, sorted_outlets) for members in cells]
    return out, keep


def _spread(cells, groups, previous=None):
    keep: dict[bytes, list] = {}
    out = cluster_cells(cells, groups, {}, previous, keep, {})
    return out, keep


SIZES = [300, 0, 40, 220, 5, 1, 90, 0, 260]


def _forking(monkeypatch) -> None:
    monkeypatch.setattr(positions, "PARALLEL_CELL_STATEMENTS", 1)
    if not spreads([2, 1], 1):
        pytest.skip("no second core or no fork here: the cells are clustered in this process")


def test_cells_clustered_in_workers_are_the_cells_clustered_one_by_one(monkeypatch):
    cells, groups = _cells(4, SIZES)
    want, want_keep = _one_by_one(cells, groups)
    assert sum(len(c) for c in want) < sum(len(c) for c in cells)  # some statements did cluster
    _forking(monkeypatch)
    ran: list[int] = []
    real = positions._clustered
    monkeypatch.setattr(positions, "_clustered", lambda *a: ran.append(1) or real(*a))
    got, got_keep = _spread(cells, groups)
    assert ran == []  # (every cell was clustered in a worker)
    assert got == want
    assert got_keep == want_keep and list(got_keep) == list(want_keep)
    # the representatives are the cell's own statements again, issues list and all
    for members, reps in zip(cells, got):
        for rep in reps:
            assert any(rep.issues is st.issues and rep.text == st.text for st in members)


def test_a_cell_in_the_memo_is_taken_from_it_and_only_the_changed_ones_are_clustered(monkeypatch):
    cells, groups = _cells(9, SIZES)
    _first, memo = _one_by_one(cells, groups)
    cells[0] = cells[0][:-3]  # two cells changed, the others as they were
    cells[3] = cells[3] + cells[8][:30]
    want, want_keep = _one_by_one(cells, groups, memo)
    _forking(monkeypatch)
    sent: list[list[int]] = []
    real = positions.heaviest_first
    monkeypatch.setattr(positions, "heaviest_first",
                        lambda job, items, weights, least: sent.append(list(weights)) or real(job, items, weights, least))
    got, got_keep = _spread(cells, groups, memo)
    assert sent == [[len(cells[0]), len(cells[3])]]
    assert got == want and got_keep == want_keep


def test_little_work_is_clustered_here_as_before():
    cells, groups = _cells(2, [30, 12, 0, 8])
    want, want_keep = _one_by_one(cells, groups)
    got, got_keep = _spread(cells, groups)  # (far below PARALLEL_CELL_STATEMENTS)
    assert got == want and got_keep == want_keep


def _pid_and_square(x: int) -> tuple[int, int]:
    return os.getpid(), x * x


def test_heaviest_first_gives_results_in_the_order_of_the_items():
    items = list(range(12))
    weights = [1, 50, 0, 3, 900, 2, 2, 40, 0, 7, 1, 600]
    if not spreads(weights, 10):
        pytest.skip("no second core or no fork here")
    got = heaviest_first(_pid_and_square, items, weights, 10)
    assert [square for _pid, square in got] == [x * x for x in items]
    assert os.getpid() not in {pid for pid, _square in got}


def test_heaviest_first_with_too_little_work_runs_here():
    got = heaviest_first(_pid_and_square, [1, 2, 3], [5, 0, 0], 1)  # one item of weight: nothing to spread
    assert got == [(os.getpid(), 1), (os.getpid(), 4), (os.getpid(), 9)]
    with pytest.raises(ValueError):
        heaviest_first(_pid_and_square, [1, 2], [1], 1)
