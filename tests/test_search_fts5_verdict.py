"""`make bench` judges search against SQLite FTS5 measured in the same run: p95 at most a third of
FTS5's (the machine's speed and load cancel out). Nothing is timed here."""

from __future__ import annotations

import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
sys.path.insert(0, str(SCRIPTS))

import bench  # noqa: E402


def test_the_ratio_is_a_key_of_the_json_line():
    assert "search_fts5_ratio" in bench.KEYS
    assert bench.KEYS.index("search_fts5_ratio") > bench.KEYS.index("fts5_search_p95_ms")


def test_a_third_of_fts5_passes_and_more_is_over_with_the_limit_in_ms():
    assert bench.verdict("search_fts5_ratio", {"search_fts5_ratio": 0.30, "fts5_search_p95_ms": 60.0}) == "ok"
    assert bench.verdict("search_fts5_ratio", {"search_fts5_ratio": 1 / 3, "fts5_search_p95_ms": 60.0}) == "ok"
    over = bench.verdict("search_fts5_ratio", {"search_fts5_ratio": 0.61, "fts5_search_p95_ms": 60.0})
    assert over.startswith("over") and "20.0 ms" in over
    assert bench.verdict("search_fts5_ratio", {"search_fts5_ratio": None}) == ""


def test_the_table_shows_the_ratio_beside_its_target():
    from rich.console import Console

    res = bench.Results(values={"n": 10, "search_p95_ms": 12.0, "fts5_search_p95_ms": 30.0, "search_fts5_ratio": 0.4})
    console = Console(record=True, width=160)
    bench.render(res, console)
    row = next(line for line in console.export_text().splitlines() if "search_fts5_ratio" in line)
    assert "0.400" in row and "≤ 1/3 of FTS5" in row and "over" in row and "10.0 ms" in row
