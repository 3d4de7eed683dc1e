"""The shingle index's bucket table (groups._Postings._starts), built from per-bucket counts, is the
table its definition gives: the first entry of each bucket or later."""

from __future__ import annotations

import random

import pytest

from briefing.index.quotes.groups import _Postings


def _reference_starts(p: _Postings) -> list[int]:
    entries = p.entries
    n_buckets = len(p._starts) - 1
    starts = []
    i = 0
    for b in range(n_buckets + 1):
        while i < len(entries) and entries[i] >> p._shift < b:
            i += 1
        starts.append(i)
    return starts


@pytest.mark.parametrize("n, seed", [(0, 1), (1, 2), (3, 3), (500, 4), (20_000, 5)])
def test_bucket_starts_are_the_first_entry_of_each_bucket(n, seed):
    rng = random.Random(seed)
    items = [(u, {rng.getrandbits(64) - (1 << 63) for _ in range(rng.randint(0, 6))}) for u in range(n)]
    p = _Postings(items)
    assert list(p._starts) == _reference_starts(p)
    for u, keys in items[:200]:
        for k in keys:
            assert u in p.get(k, 10**9)
