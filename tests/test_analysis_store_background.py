"""The analysis is handed back before it is stored: the store is written on a thread. Whatever
reads a store in the same process waits for that write, `close` waits for it, a write that fails
is a note that comes late, and an interrupted write leaves the store that was there."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

import briefing.index.analysis as analysis_module
from briefing.index import analysis_store
from briefing.index.engine import Briefing, finish_stores
from support.paths import BUNDLED


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    dest = tmp_path / "corpus"
    shutil.copytree(BUNDLED, dest)
    return dest


def _open(corpus: Path, index_dir: Path) -> Briefing:
    b = Briefing(corpus, index_dir=index_dir)
    b.open()
    return b


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch):
    """Stores are written only once the test opens the gate (`gate.set()`); `gate.writing` is
    set when a write has started and waits there."""
    opened = threading.Event()
    opened.writing = threading.Event()  # type: ignore[attr-defined]
    real = analysis_store.save

    def held(*args, **kwargs):
        opened.writing.set()  # type: ignore[attr-defined]
        assert opened.wait(30), "the test never let the write go on"
        return real(*args, **kwargs)

    monkeypatch.setattr(analysis_store, "save", held)
    yield opened
    opened.set()  # whatever happens, no write is left waiting
    finish_stores()


def _forbid_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("analysed again although the stored analysis was being written")

    monkeypatch.setattr(analysis_module, "analyse", refuse)


def test_the_analysis_is_handed_back_before_it_is_stored(corpus, tmp_path, gate):
    b = _open(corpus, tmp_path / "ix")
    analysis = b.analysis()  # returns although no store can be written yet
    assert analysis.quotes.quotes
    assert gate.writing.wait(30)
    assert not (tmp_path / "ix" / analysis_store.FILE_NAME).exists()
    gate.set()
    b.close()
    assert (tmp_path / "ix" / analysis_store.FILE_NAME).is_file()
    assert (tmp_path / "ix" / analysis_store.STATE_NAME).is_file()


@pytest.mark.parametrize("how", ["stored_analysis", "analysis"])
def test_a_second_open_in_the_process_waits_for_the_pending_write(corpus, tmp_path, gate, monkeypatch, how):
    first = _open(corpus, tmp_path / "ix").analysis()
    assert gate.writing.wait(30)
    # another spelling of the same directory is the same store
    second = _open(corpus, tmp_path / "ix" / ".." / "ix")
    _forbid_analysis(monkeypatch)
    threading.Timer(0.3, gate.set).start()  # while the second briefing is (or should be) waiting
    again = getattr(second, how)()
    assert again is not None, "the half-written store was read as no store"
    assert again.quotes.quotes == first.quotes.quotes
    assert again.positions == first.positions
    assert again.notes == []


def test_close_waits_for_the_store(corpus, tmp_path, gate):
    b = _open(corpus, tmp_path / "ix")
    b.analysis()
    assert gate.writing.wait(30)
    threading.Timer(0.3, gate.set).start()
    b.close()
    assert gate.is_set()
    assert analysis_store.load(tmp_path / "ix", b._analysis_key()).analysis is not None


def test_a_failed_write_is_a_note_that_comes_late(corpus, tmp_path, gate, monkeypatch):
    b = _open(corpus, tmp_path / "ix")
    analysis = b.analysis()
    assert analysis.notes == []
    heard: list[str] = []
    b.follow_notes(analysis, len(analysis.notes), heard.append)
    assert gate.writing.wait(30)
    monkeypatch.setattr(analysis_store.os, "replace", _disk_full)
    gate.set()
    b.close()
    assert heard and all("cannot be stored" in note and "No space left" in note for note in heard)
    assert analysis.notes == heard  # and the analysis' own notes say it
    # a note already there when the reader asks is told at once, once
    again: list[str] = []
    b.follow_notes(analysis, 0, again.append)
    assert again == heard
    assert sorted(p.name for p in (tmp_path / "ix").iterdir() if "analysis" in p.name) == []  # no scratch file left


def _disk_full(src, dst):
    raise OSError(28, "No space left on device")


def test_an_interrupted_write_keeps_the_store_that_was_there(corpus, tmp_path, monkeypatch):
    ix = tmp_path / "ix"
    b = _open(corpus, ix)
    b.analysis()
    b.close()
    before = {name: (ix / name).read_bytes() for name in (analysis_store.FILE_NAME, analysis_store.STATE_NAME)}
    (corpus / sorted(p.name for p in corpus.glob("*.txt"))[0]).write_text(
        "Harbour Gazette\\n\\nA headline\\n\\n“We will see,” said Anna Berg, a spokeswoman.\\n", encoding="utf-8")
    started, interrupted = threading.Event(), []
    real_write = analysis_store._Hashing.write

    def slow_write(self, data):
        started.set()
        if self.cancel is not None:
            assert self.cancel.wait(30)  # the first block waits for the interrupt
        return real_write(self, data)

    monkeypatch.setattr(analysis_store._Hashing, "write", slow_write)
    b = _open(corpus, ix)
    b.analysis()
    assert started.wait(30)

    def ctrl_c() -> None:
        interrupted.append(True)
        raise KeyboardInterrupt

    assert finish_stores(ctrl_c) is False  # `saying` is called after a moment: here it is Ctrl-C
    assert interrupted
    b.close()
    assert {name: (ix / name).read_bytes() for name in before} == before
    assert sorted(p.name for p in ix.iterdir() if p.name.startswith(".analysis-")) == []


def test_a_damaged_store_is_rebuilt_and_written_again(corpus, tmp_path, monkeypatch):
    ix = tmp_path / "ix"
    b = _open(corpus, ix)
    first = b.analysis()
    b.close()
    path = ix / analysis_store.FILE_NAME
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    again = _open(corpus, ix).analysis()  # no close: the next open waits for the write itself
    assert any("damaged" in note for note in again.notes)
    _forbid_analysis(monkeypatch)
    third = _open(corpus, ix).analysis()
    assert third.quotes.quotes == first.quotes.quotes and third.positions == first.positions
    assert third.notes == []


def test_the_process_waits_for_the_store_saying_so_when_it_takes_a_while(corpus, tmp_path, gate):
    b = _open(corpus, tmp_path / "ix")
    b.analysis()
    assert gate.writing.wait(30)
    said: list[str] = []

    def saying() -> None:  # called once the write has taken longer than a moment; then let it end
        said.append("Saving the analysis…")
        gate.set()

    assert finish_stores(saying) is True
    assert said == ["Saving the analysis…"]
    assert (tmp_path / "ix" / analysis_store.FILE_NAME).is_file()
    assert finish_stores(saying) is True and len(said) == 1  # nothing pending: nothing said


def test_a_reopen_waits_for_the_analysis_file_not_for_the_state_after_it(corpus, tmp_path, monkeypatch):
    real = analysis_store.save
    state_gate, state_writing = threading.Event(), threading.Event()

    def state_held(directory, key, obj, name=analysis_store.FILE_NAME, cancel=None):
        if name == analysis_store.STATE_NAME:
            state_writing.set()
            state_gate.wait(60)
        return real(directory, key, obj, name, cancel)

    monkeypatch.setattr(analysis_store, "save", state_held)
    safety = threading.Timer(30, state_gate.set)  # a reopen that waits for the state fails, not hangs
    safety.start()
    try:
        first = _open(corpus, tmp_path / "ix").analysis()
        assert state_writing.wait(30)
        _forbid_analysis(monkeypatch)
        again = _open(corpus, tmp_path / "ix").stored_analysis()
        assert not state_gate.is_set(), "the reopen waited for the state as well"
        assert again is not None and again.quotes.quotes == first.quotes.quotes
    finally:
        state_gate.set()
        safety.cancel()
        finish_stores()
