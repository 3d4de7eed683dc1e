"""Shared helpers for the TUI tests: a small, deterministic stand-in for the quote and position
analysis (the TUI is tested against the engine's API, not against how well quotes are found),
and an app factory that opens a real Briefing in temporary cache and data directories.

Imported by the other test_tui_* modules; it holds no tests itself.
"""

from __future__ import annotations

import re

from pathlib import Path

import pytest

from support.paths import BUNDLED

PEOPLE = {
    "Ryabkov": ("Sergei Ryabkov", "Russian Deputy Foreign Minister", "russia"),
    "Sherman": ("Wendy Sherman", "U.S. Deputy Secretary of State", "us"),
    "Peskov": ("Dmitry Peskov", "Kremlin spokesman", "russia"),
    "Blinken": ("Antony Blinken", "Secretary of State", "us"),
    "Biden": ("Joe Biden", "President", "us"),
    "Stoltenberg": ("Jens Stoltenberg", "NATO Secretary-General", None),
}
_QUOTE = re.compile(r"[“\"]([^”\"]{6,}?)[”\"]")


# The analysis' own types (briefing.index.quotes.*, briefing.index.positions, briefing.index.analysis):
# the fakes below build real objects, so a change of shape in the engine breaks these tests too.
from briefing.index.analysis import Analysis  # noqa: E402
from briefing.index.model import Manifest  # noqa: E402
from briefing.index.model import Issue as _Issue  # noqa: E402
from briefing.index.positions import Cell, Statement  # noqa: E402,F401 - re-exported for the other tests
from briefing.index.positions import Positions as _Positions  # noqa: E402
from briefing.index.quotes.analysis import QuoteAnalysis  # noqa: E402
from briefing.index.quotes.extract import Quote  # noqa: E402
from briefing.index.quotes.groups import QuoteGroup  # noqa: E402
from briefing.index.quotes.speakers import Speaker  # noqa: E402


def Issue(id: str, label: str, description: str = "", query: str = "") -> _Issue:  # noqa: N802 - builds the real type
    """A briefing.index.model.Issue (its description and query do not matter to the reader)."""
    return _Issue(id, label, description, query or id)


def Positions(issues: list[_Issue], sides: list[tuple[str, str]], grid: dict[tuple[str, str], Cell]) -> _Positions:  # noqa: N802
    """A briefing.index.positions.Positions, its statements gathered from the grid."""
    return _Positions(issues, sides, grid, [st for c in grid.values() for st in c.statements])


def _norm_words(text: str) -> list[str]:
    return [w.strip(".,;:!?\"'“”").lower() for w in text.split()]


def _diff(ref: Quote, other: Quote):
    """The engine's word diff: the reader draws only what the engine gives."""
    from briefing.index.quotes.groups import Normaliser, word_diff

    return word_diff(ref, other, Normaliser((ref.text, other.text)))


def fake_analysis(articles, manifest=None, with_positions: bool = True) -> Analysis:
    """Quotes in curly or straight quotation marks; the speaker is the first known name nearby.

    Utterances are grouped by their first three words; the reference is the longest version.
    """
    outlets = {a.id: a.outlet for a in articles}
    quotes: list[Quote] = []
    for a in articles:
        for p in a.paragraphs:
            for m in _QUOTE.finditer(p.text):
                who = next((v for k, v in PEOPLE.items() if k in p.text), None)
                quotes.append(
                    Quote(
                        id=f"{a.id}:{p.n}:{m.start(1)}",
                        source=a.id,
                        paragraph=p.n,
                        start=m.start(1),
                        end=m.end(1),
                        text=m.group(1),
                        kind="statement" if len(m.group(1).split()) > 4 else "fragment",
                        speaker=who[0] if who else None,
                        speaker_as_given=who[0] if who else None,
                        role=who[1] if who else None,
                        side=who[2] if who else None,
                        cue=None,
                        outlet=a.outlet,
                    )
                )
    by_key: dict[tuple[str, ...], list[Quote]] = {}
    for q in quotes:
        by_key.setdefault(tuple(_norm_words(q.text)[:3]), []).append(q)
    groups = []
    for i, qs in enumerate(by_key.values()):
        gid = f"g{i}"
        for q in qs:
            q.group = gid
        ref = max(qs, key=lambda q: len(q.text))
        sources = sorted({q.source for q in qs})
        groups.append(
            QuoteGroup(
                gid, qs, sources, [outlets.get(s) or s for s in sources],
                {s: next((q.speaker_as_given for q in qs if q.source == s), None) for s in sources},
                [_diff(ref, q) for q in qs if q is not ref], ref.id,
            )
        )
    counts: dict[str, int] = {}
    for q in quotes:
        if q.speaker:
            counts[q.speaker] = counts.get(q.speaker, 0) + 1
    speakers = [Speaker(n, [n, n.split()[-1]], r, s, counts[n]) for n, r, s in PEOPLE.values() if n in counts]
    positions = None
    if with_positions:
        issues = [Issue("nato", "NATO expansion"), Issue("missiles", "Missile deployments")]
        sides = [("russia", "Russia"), ("us", "United States"), ("ukraine", "Ukraine")]
        words = {"nato": "nato", "missiles": "missile"}
        by_id = {a.id: a for a in articles}
        grid = {}
        for issue in issues:
            for side, label in sides:
                sts = [
                    Statement(q.text, q.speaker, side, q.source, q.paragraph, q.start, q.end, "quote", outlet=q.outlet, group=q.group,
                              outlets=[q.outlet or q.source], issues=[issue.id])
                    for q in quotes
                    if q.side == side and words[issue.id] in by_id[q.source].paragraph(q.paragraph).text.lower()
                ]
                grid[(issue.id, side)] = Cell(issue.id, issue.label, side, label, sts)
        positions = Positions(issues, sides, grid)
    side_labels = {side.id: side.label for side in manifest.sides} if manifest is not None else {}
    return Analysis(QuoteAnalysis(quotes, speakers, groups, side_labels), positions, manifest=manifest if manifest is not None else Manifest())


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index cache per test process: the bundled corpus is indexed once, not per test."""
    return tmp_path_factory.mktemp("briefing-cache")


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, shared_cache: Path) -> Path:
    """Cache (shared) and data (per test) in temporary directories; nothing from the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared_cache))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("BRIEFING_CORPUS", raising=False)
    # The tests were written for the sources in number order; the reader's default is by date
    # (tests/test_tui_reading.py tests that with a config of its own).
    settings = tmp_path / "config" / "briefing" / "settings.json"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text('{"sort": "number"}\n', encoding="utf-8")
    return tmp_path


def briefing_factory(fake: bool = True, with_positions: bool = True, fail_analysis: str | None = None):
    """A factory for BriefingApp: a real Briefing, with the fake analysis when `fake`."""

    def make(corpus):
        from briefing.index.engine import Briefing

        b = Briefing(corpus)
        if fake or fail_analysis:
            def analysis():
                if fail_analysis:
                    raise RuntimeError(fail_analysis)
                if b._analysis is None:
                    b._analysis = fake_analysis(b.articles, b.manifest, with_positions=with_positions)
                return b._analysis

            b.analysis = analysis
        return b

    return make


def make_app(corpus=None, **kwargs):
    from briefing.tui.app import BriefingApp

    return BriefingApp(corpus=str(corpus or BUNDLED), briefing_factory=briefing_factory(**kwargs))


async def wait_loaded(pilot, app, timeout: float = 30.0) -> None:
    """Until the briefing is open and analysed (or has failed), and that is on screen.

    The open worker starts after the first frame, so waiting for workers alone can be too early.
    """
    import time

    deadline = time.monotonic() + timeout
    while not app.reader.ready:
        assert time.monotonic() < deadline, "the briefing did not open in time"
        await pilot.pause(0.02)
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def screen_text(app) -> str:
    """Every character on the screen, line by line (what a person would see)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def find_on_screen(app, needle: str) -> tuple[int, int] | None:
    """(x, y) of the first cell of `needle` on the screen."""
    for y, line in enumerate(screen_text(app).split("\n")):
        x = line.find(needle)
        if x >= 0:
            return x, y
    return None


# ---- bookmarks -------------------------------------------------------------------------------
MARKUP_NOTE = "[@click=app.quit]quit[/] and [bold]not bold[/bold]"


def bookmarks_file(corpus: Path = BUNDLED) -> Path:
    """Where the reader keeps the corpus's bookmarks (under the test's XDG_DATA_HOME)."""
    from briefing.index.locations import bookmarks_path, corpus_dir

    return bookmarks_path(corpus_dir(corpus))


def seed_bookmarks(corpus: Path = BUNDLED) -> dict[str, str]:
    """Bookmarks saved before the reader starts: anchored, moved, and orphaned (its article gone)."""
    from dataclasses import replace

    from briefing.index.bookmarks.store import BookmarkStore
    from briefing.index.corpus.scan import load_corpus
    from briefing.index.model import Article, Paragraph

    articles = load_corpus(corpus).articles
    a, b = articles[0], articles[1]
    store, warning = BookmarkStore.open(bookmarks_file(corpus))
    assert warning is None
    ids = {}
    ids["anchored"] = store.add(a.id, 3, a, note=MARKUP_NOTE, tags=("nato", "[b]tag[/b]")).id
    # saved when b had one more paragraph at the top: it is found one paragraph earlier now
    earlier = replace(b, paragraphs=[Paragraph(1, "A paragraph that has since been cut.")] + [
        Paragraph(p.n + 1, p.text, p.kind) for p in b.paragraphs
    ])
    ids["moved"] = store.add(b.id, 3, earlier, note="moved since").id
    gone = Article(id="zz_gone", outlet="Gone Daily", title="An article no longer in the folder", byline=None,
                   date="2022-01-09", dateline=None, captions=[], paragraphs=[Paragraph(1, "Words nobody can find any more.")])
    ids["orphaned"] = store.add(gone.id, 1, gone, tags=("lost",)).id
    store.close()
    return ids
