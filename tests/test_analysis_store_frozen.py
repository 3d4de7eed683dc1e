"""The analysis, built with the collector off, is left out of the collector's passes once it is
there (computed, loaded, or updated from the last state): otherwise all of it is young, and the
first collection after it (in the store's writing thread, or at the first search) walks every
object of it, and each full collection after that again. Dropped, it is still freed."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest

from briefing.index.engine import Briefing
from briefing.index.quotes.extract import Quote
from support.paths import BUNDLED


@pytest.fixture
def corpus(tmp_path: Path):
    dest = tmp_path / "corpus"
    shutil.copytree(BUNDLED, dest)
    yield dest
    gc.unfreeze()  # what this test froze goes back to the collector for the tests after it


def _collected_ids() -> set[int]:
    """The ids of every object some generation of the collector walks (the frozen ones are in
    none of them)."""
    return {id(o) for generation in range(3) for o in gc.get_objects(generation)}


def _analysed(corpus: Path, index_dir: Path) -> tuple[Briefing, object]:
    b = Briefing(corpus, index_dir=index_dir)
    b.open()
    analysis = b.analysis()
    b.wait_stored()
    return b, analysis


def _walked(analysis) -> list[object]:
    """Of the analysis' objects, those the collector still walks."""
    objects = [analysis, analysis.quotes, *analysis.quotes.quotes[:50], *analysis.quotes.groups[:50],
               *analysis.positions.statements[:50]]
    ids = _collected_ids()
    return [o for o in objects if id(o) in ids]


def test_a_computed_analysis_is_out_of_the_collectors_passes(corpus, tmp_path):
    b, analysis = _analysed(corpus, tmp_path / "ix")
    try:
        assert analysis.quotes.quotes and analysis.positions.statements
        assert _walked(analysis) == []
        assert gc.isenabled()
    finally:
        b.close()


def test_a_loaded_and_an_updated_analysis_are_too(corpus, tmp_path):
    _analysed(corpus, tmp_path / "ix")[0].close()
    gc.unfreeze()
    b, loaded = _analysed(corpus, tmp_path / "ix")  # the stored one
    try:
        assert not b.report.parsed and _walked(loaded) == []
    finally:
        b.close()
    gc.unfreeze()
    first = sorted(corpus.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nA late paragraph, officials said on Friday.\n", encoding="utf-8")
    b, updated = _analysed(corpus, tmp_path / "ix")  # from the last analysis' state
    try:
        assert b.report.parsed == 1 and _walked(updated) == []
    finally:
        b.close()


def test_a_dropped_analysis_is_still_freed(corpus, tmp_path):
    """Frozen objects are freed by reference counting: the analysis holds no cycles, so letting
    go of it frees its quotations without a collection."""
    gc.collect()
    before = sum(type(o) is Quote for o in gc.get_objects())
    b, analysis = _analysed(corpus, tmp_path / "ix")
    b.close()
    quotes = len(analysis.quotes.quotes)
    assert quotes
    gc.unfreeze()
    assert sum(type(o) is Quote for o in gc.get_objects()) >= before + quotes
    gc.freeze()
    del analysis, b
    gc.unfreeze()
    assert sum(type(o) is Quote for o in gc.get_objects()) <= before
