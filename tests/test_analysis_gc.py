"""The analysis runs with the cyclic collector off (it only walked the millions of live objects
the analysis makes) and leaves it as it found it, also when the analysis fails."""

from __future__ import annotations

import gc
import shutil

import pytest

import briefing.index.analysis as analysis_module
from briefing.index.engine import Briefing
from support.paths import BUNDLED


def _briefing(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED, corpus)
    b = Briefing(corpus, index_dir=tmp_path / "ix")
    b.open()
    return b


def test_the_collector_is_off_during_the_analysis_and_on_after(tmp_path, monkeypatch):
    b = _briefing(tmp_path)
    real = analysis_module.analyse
    during: list[bool] = []

    def watched(*args, **kwargs):
        during.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(analysis_module, "analyse", watched)
    try:
        assert gc.isenabled()
        assert b.analysis().quotes.quotes
        assert during == [False] and gc.isenabled()
    finally:
        b.close()


def test_a_failing_analysis_turns_the_collector_on_again(tmp_path, monkeypatch):
    b = _briefing(tmp_path)

    def broken(*args, **kwargs):
        raise RuntimeError("analysis failed")

    monkeypatch.setattr(analysis_module, "analyse", broken)
    try:
        with pytest.raises(RuntimeError):
            b.analysis()
        assert gc.isenabled()
    finally:
        b.close()


def test_a_collector_the_caller_turned_off_stays_off(tmp_path):
    b = _briefing(tmp_path)
    gc.disable()
    try:
        b.analysis()
        assert not gc.isenabled()
    finally:
        gc.enable()
        b.close()
