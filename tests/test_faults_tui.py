"""Issue 18 in the reader: b then q in one burst (item 3), quitting never waits for a search or
the analysis (items 10, 11), and an index moved under the reader (item 16)."""

from __future__ import annotations

import time

from support.tui import bookmarks_file, env, make_app, shared_cache, wait_loaded  # noqa: F401 - fixtures

from briefing.index.bookmarks.store import BookmarkStore


def _saved() -> int:
    store, _warning = BookmarkStore.open(bookmarks_file())
    try:
        return len(store)
    finally:
        store.close()


async def test_b_then_q_in_one_burst_saves_the_bookmark(env, monkeypatch):
    """The disk is slow (each write takes 0.4 s): q, typed right after b, quits only once the
    bookmark is written."""
    real_add = BookmarkStore.add

    def slow_add(self, *args, **kwargs):
        time.sleep(0.4)
        return real_add(self, *args, **kwargs)

    monkeypatch.setattr(BookmarkStore, "add", slow_add)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_loaded(pilot, app)
        await pilot.press("2", "j", "b", "q")
        deadline = time.monotonic() + 10
        while app.is_running and time.monotonic() < deadline:
            await pilot.pause(0.05)
    assert not app.is_running
    assert _saved() == 1


async def test_b_b_b_then_q_saves_every_bookmark(env, monkeypatch):
    real_add = BookmarkStore.add

    def slow_add(self, *args, **kwargs):
        time.sleep(0.2)
        return real_add(self, *args, **kwargs)

    monkeypatch.setattr(BookmarkStore, "add", slow_add)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_loaded(pilot, app)
        await pilot.press("2", "j", "b", "j", "b", "j", "b", "q")
        deadline = time.monotonic() + 10
        while app.is_running and time.monotonic() < deadline:
            await pilot.pause(0.05)
    assert _saved() == 3


QUIT_DURING_ANALYSIS = r"""
import sys, time
from briefing.index.engine import Briefing
from briefing.tui.app import BriefingApp, run_reader

class Slow(Briefing):
    def analysis(self):
        time.sleep(120)  # the briefing-wide analysis of a very large corpus
        return super().analysis()

app = BriefingApp(corpus=sys.argv[1], briefing_factory=lambda corpus: Slow(corpus))

async def pilot(p):
    while app.briefing is None:
        await p.pause(0.05)
    await p.pause(0.3)
    print("quitting", flush=True)
    await p.press("q")

sys.exit(run_reader(app, headless=True, size=(80, 24), auto_pilot=pilot))
"""


def test_quit_during_the_analysis_is_immediate(tmp_path):
    """Item 11: in a subprocess (time limit 25 s, the analysis would take 120 s)."""
    import subprocess
    import sys
    from pathlib import Path

    corpus = Path(__file__).resolve().parent.parent / "corpus"
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", QUIT_DURING_ANALYSIS, str(corpus)],
                          capture_output=True, text=True, timeout=25)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "quitting" in proc.stdout and "Traceback" not in proc.stderr
    assert time.monotonic() - started < 20


async def test_index_moved_under_the_reader_is_reloaded_keeping_the_place(env, tmp_path):
    """Item 16: another process re-indexes after an edit that removed two paragraphs before the
    passage: the reader notices, reloads, and a hit opens the passage at its new number."""
    import re
    import shutil
    from pathlib import Path

    from briefing.index.engine import Briefing

    corpus = tmp_path / "corpus"
    shutil.copytree(Path(__file__).resolve().parent.parent / "corpus", corpus)
    other = Briefing(corpus)  # "another process"
    other.open()
    article = max(other.articles, key=lambda a: len(a.paragraphs))
    k = 8
    target = article.paragraphs[k - 1].text
    word = next(w for w in re.findall(r"[A-Za-z]{5,}", target)
                if {(h.source, h.paragraph) for h in other.search(w, limit=50).hits} == {(article.id, k)})
    path = Path(article.path)
    raw = path.read_text(encoding="utf-8")
    for p in article.paragraphs[2:4]:  # ¶3 and ¶4 go
        assert p.text in raw
        raw = raw.replace(p.text, "", 1)
    other.close()

    app = make_app(corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        shown_before = reader.sources.current_id
        path.write_text(raw, encoding="utf-8")
        other = Briefing(corpus)
        other.open()  # re-indexes the edited article, in its own index writer
        other.close()
        reader.search_panel.set_query(word)
        for _ in range(100):
            await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            results = reader.search_panel.query_one("SearchResults")
            if results.hits:
                break
        hits = [h for h in results.hits if h.source == article.id]
        assert [h.paragraph for h in hits] == [k - 2]
        assert reader.sources.current_id == shown_before  # the place is kept
        assert word in reader.briefing.article(article.id).paragraphs[k - 3].text


async def test_reader_says_when_it_waits_for_another_writer(env, tmp_path):
    """Item 6 in the reader: while another writer holds the index's write lock, the reader says
    whom it waits for, then opens once the lock is free. (flock locks belong to open files, so a
    second lock object in this process stands for another process.)"""
    import shutil
    from pathlib import Path

    from briefing.index import locations
    from briefing.index.lock import WriteLock

    corpus = tmp_path / "corpus"
    shutil.copytree(Path(__file__).resolve().parent.parent / "corpus", corpus)
    index_dir = locations.index_dir(corpus.resolve())
    index_dir.mkdir(parents=True, exist_ok=True)
    other = WriteLock(index_dir)
    assert other.try_acquire()
    try:
        app = make_app(corpus)
        async with app.run_test(size=(120, 30)) as pilot:
            for _ in range(200):
                await pilot.pause(0.05)
                if any("waiting for" in str(n.message) for n in app._notifications):
                    break
            assert any("waiting for" in str(n.message) and str(index_dir) in str(n.message) for n in app._notifications)
            assert app.reader.briefing is None  # still waiting
            other.release()
            await wait_loaded(pilot, app)
            assert app.reader.briefing is not None and app.reader.briefing.articles
    finally:
        other.release()
