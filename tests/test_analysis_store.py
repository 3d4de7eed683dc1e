"""The briefing-wide analysis is stored beside the index: an unchanged briefing reopens with it,
any change to what it depends on analyses again, and a damaged or foreign store is never used."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

import briefing.index.analysis as analysis_module
from briefing.index import analysis_store
from briefing.index.engine import Briefing
from support.paths import BUNDLED


def _open(corpus: Path, index_dir: Path) -> Briefing:
    b = Briefing(corpus, index_dir=index_dir)
    b.open()
    return b


def _same(a, b) -> None:
    """Quotes, speakers, groups and positions compared whole."""
    assert a.quotes.quotes == b.quotes.quotes
    assert a.quotes.speakers == b.quotes.speakers
    assert a.quotes.groups == b.quotes.groups
    assert a.positions == b.positions


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    dest = tmp_path / "corpus"
    shutil.copytree(BUNDLED, dest)
    return dest


def _forbid_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("analysed again although the stored analysis was current")

    monkeypatch.setattr(analysis_module, "analyse", refuse)


def test_an_unchanged_briefing_reopens_with_the_stored_analysis(corpus, tmp_path, monkeypatch):
    b = _open(corpus, tmp_path / "ix")
    first = b.analysis()
    b.close()  # once the store is written
    assert first.notes == []
    assert (tmp_path / "ix" / analysis_store.FILE_NAME).is_file()
    _forbid_analysis(monkeypatch)
    again = _open(corpus, tmp_path / "ix").analysis()
    _same(again, first)


@pytest.mark.parametrize("change", ["edit", "add", "remove", "manifest"])
def test_each_kind_of_change_gives_the_analysis_a_fresh_run_would(corpus, tmp_path, change):
    _open(corpus, tmp_path / "ix").analysis()
    articles = sorted(corpus.glob("*.txt"))
    if change == "edit":
        text = articles[1].read_text(encoding="utf-8")
        articles[1].write_text(text.replace("said", "told reporters", 1), encoding="utf-8")
    elif change == "add":
        shutil.copy(articles[0], corpus / "999_copy.txt")
    elif change == "remove":
        articles[2].unlink()
    else:
        manifest = corpus / "briefing.toml"
        manifest.write_text(manifest.read_text(encoding="utf-8").replace("title =", "title = 'Renamed' #", 1), encoding="utf-8")
    updated = _open(corpus, tmp_path / "ix").analysis()
    assert any("changed" in note for note in updated.notes)
    fresh = _open(corpus, tmp_path / "fresh-ix").analysis()
    _same(updated, fresh)


def test_a_damaged_store_is_analysed_again_with_a_message(corpus, tmp_path, monkeypatch):
    b = _open(corpus, tmp_path / "ix")
    first = b.analysis()
    b.close()  # once the store is written
    path = tmp_path / "ix" / analysis_store.FILE_NAME
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    again = _open(corpus, tmp_path / "ix").analysis()
    assert any("damaged" in note for note in again.notes)
    _same(again, first)
    # and the store written after it is good again
    _forbid_analysis(monkeypatch)
    _same(_open(corpus, tmp_path / "ix").analysis(), first)


def test_a_truncated_store_is_not_used(corpus, tmp_path):
    b = _open(corpus, tmp_path / "ix")
    b.analysis()
    b.close()
    path = tmp_path / "ix" / analysis_store.FILE_NAME
    path.write_bytes(path.read_bytes()[:40])
    again = _open(corpus, tmp_path / "ix").analysis()
    assert any("damaged" in note for note in again.notes)
    assert again.quotes.quotes


def test_a_store_that_would_run_code_is_refused(tmp_path):
    class Runs:
        def __reduce__(self):
            return (os.system, ("echo ran > " + str(tmp_path / "ran"),))

    payload = pickle.dumps(Runs())
    key = "k" * 64
    head = analysis_store.MAGIC + key.encode() + b"\n" + __import__("hashlib").sha256(payload).hexdigest().encode() + b"\n"
    (tmp_path / analysis_store.FILE_NAME).write_bytes(head + payload)
    loaded = analysis_store.load(tmp_path, key)
    assert loaded.analysis is None and "cannot be used" in (loaded.note or "")
    assert not (tmp_path / "ran").exists()


def test_an_unwritable_store_dir_is_a_note_not_a_failure(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    note = analysis_store.save(blocker / "sub", "k" * 64, {"x": 1})
    assert note is not None and "cannot be stored" in note


def test_analysis_leaves_no_scratch_files_in_the_shared_temp_dir(corpus, tmp_path, monkeypatch):
    """Whoosh's stock in-memory index writes scratch files to $TMPDIR/MAIN.tmp, one path for every
    process: two briefings analysed at once removed each other's files (FileNotFoundError)."""
    from whoosh.filedb.filestore import RamStorage

    shared: list[str | None] = []
    monkeypatch.setattr(RamStorage, "temp_storage", lambda self, name=None: shared.append(name) or RamStorage())
    analysis = _open(corpus, tmp_path / "ix").analysis()
    assert analysis.positions is not None and analysis.positions.statements
    assert shared == []


def test_the_analysis_reports_its_progress_by_articles(corpus, tmp_path):
    seen: list[tuple[int, int]] = []
    _open(corpus, tmp_path / "ix").analysis(progress=lambda done, total: seen.append((done, total)))
    total = len(list(corpus.glob("*.txt")))
    assert seen and seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
