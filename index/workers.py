"""Per-article work of the analysis spread over the machine's cores.

The workers are forked, so the large read-only structures the work reads (the quotation index,
the speaker tables) are shared with the parent as they are, never pickled. Only each item and
its result cross between processes. The parent reads the articles (the article cache is a SQLite
connection, which must not cross a fork) and hands each worker plain data.

Where fork is not available, or there is too little work to be worth a process, the same
function runs in this process, in order: the results are the same either way.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 400  # fewer articles than this: a worker's start costs more than it saves
_JOB: Callable[[Any], Any] | None = None


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _start(parent: int) -> None:
    """First thing in a worker: never outlive the parent, never hold its locks, as the index
    writer's workers."""
    from briefing.index.lock import start_worker

    start_worker(parent)


def _run(item: Any) -> Any:
    assert _JOB is not None
    return _JOB(item)


def ordered_map(job: Callable[[T], R], items: Iterable[T], count: int, chunk: int = 16) -> Iterator[R]:
    """`map(job, items)`, in forked workers when there are `count` >= MIN_ITEMS items and more
    than one core. `job` may read anything built before the call; what it changes stays in the
    worker."""
    if not forks(count):
        yield from map(job, items)
        return
    yield from _pooled(job, items, chunk)


def _pooled(job: Callable[[T], R], items: Iterable[T], chunk: int) -> Iterator[R]:
    global _JOB
    import multiprocessing

    _JOB = job
    try:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(_workers(), initializer=_start, initargs=(os.getpid(),)) as pool:
            from briefing.index.lock import note_worker

            for process in getattr(pool, "_pool", ()):
                if process.pid is not None:
                    note_worker(process.pid)
            yield from pool.imap(_run, items, chunksize=chunk)
    finally:
        _JOB = None


def _workers() -> int:
    return min(cores(), 4)


def heaviest_first(job: Callable[[T], R], items: Sequence[T], weights: Sequence[int], least: int) -> list[R]:
    """`[job(x) for x in items]`, in forked workers when the items weigh `least` or more in all
    and at least two weigh something (a few items of very unequal size: the clusterings of a
    matrix's cells, where five of thirty-five hold nearly all the work).

    The heaviest are started first, so that the last to finish is a light one and no core
    waits long on another; the results come back in the order of `items`."""
    if len(weights) != len(items):
        raise ValueError("one weight per item")
    if not spreads(weights, least):
        return [job(x) for x in items]
    order = sorted(range(len(items)), key=lambda i: -weights[i])
    out: list[Any] = [None] * len(items)
    for i, result in zip(order, _pooled(job, (items[i] for i in order), 1), strict=True):
        out[i] = result
    return out


def _start_methods() -> list[str]:
    import multiprocessing

    return multiprocessing.get_all_start_methods()


def forks(count: int) -> bool:
    """Whether `ordered_map` over `count` items would run in workers (the same test): a caller
    with work the parent can do as well reads ahead in workers only when they are there."""
    return count >= MIN_ITEMS and _can_fork()


def spreads(weights: Sequence[int], least: int) -> bool:
    """Whether `heaviest_first` over items of these weights would run in workers (the same test)."""
    return sum(1 for w in weights if w > 0) >= 2 and sum(weights) >= least and _can_fork()


def _can_fork() -> bool:
    # (not from inside a worker: _JOB is set there, and a pool of pools is never wanted)
    return _workers() >= 2 and "fork" in _start_methods() and _JOB is None
