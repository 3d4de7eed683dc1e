"""Shared helpers for the TUI tests: a small, deterministic stand-in for the quote and position
analysis (the TUI is tested against the engine's API, not against how well quotes are found),
and an app factory that opens a real Briefing in temporary cache and data directories.

Imported by the other test_tui_* modules; it holds no tests itself.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

BUNDLED = Path(__file__).resolve().parent.parent / "corpus"

PEOPLE = {
    "Ryabkov": ("Sergei Ryabkov", "Russian Deputy Foreign Minister", "russia"),
    "Sherman": ("Wendy Sherman", "U.S. Deputy Secretary of State", "us"),
    "Peskov": ("Dmitry Peskov", "Kremlin spokesman", "russia"),
    "Blinken": ("Antony Blinken", "Secretary of State", "us"),
    "Biden": ("Joe Biden", "President", "us"),
    "Stoltenberg": ("Jens Stoltenberg", "NATO Secretary-General", None),
}
_QUOTE = re.compile(r"[“\"]([^”\"]{6,}?)[”\"]")


@dataclass
class Quote:
    id: str
    source: str
    paragraph: int
    start: int
    end: int
    text: str
    kind: str = "statement"
    speaker: str | None = None
    speaker_as_given: str | None = None
    role: str | None = None
    side: str | None = None
    marked: bool = True
    group: str = ""


@dataclass
class Speaker:
    name: str
    role: str | None
    side: str | None
    quotes: int = 0
    aliases: tuple[str, ...] = ()


@dataclass
class QuoteGroup:
    id: str
    quotes: list[Quote]
    sources: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)


@dataclass
class QuoteAnalysis:
    quotes: list[Quote]
    speakers: list[Speaker]
    groups: list[QuoteGroup]

    def filter(self, speaker=None, side=None, source=None):
        out = self.quotes
        if speaker:
            out = [q for q in out if q.speaker and speaker.lower() in q.speaker.lower()]
        if side:
            out = [q for q in out if q.side == side]
        if source:
            out = [q for q in out if q.source == source]
        return out


@dataclass
class Statement:
    text: str
    speaker: str | None
    source: str
    paragraph: int
    kind: str = "statement"
    outlets: list[str] = field(default_factory=list)


@dataclass
class Cell:
    issue_id: str
    issue_label: str
    side: str | None
    statements: list[Statement]


class Positions:
    def __init__(self, cells: list[Cell]):
        self._cells = cells

    def cells(self, issue=None, side=None):
        return [c for c in self._cells if (issue is None or c.issue_id == issue) and (side is None or c.side == side)]


@dataclass
class Analysis:
    quotes: Any
    positions: Any = None
    notes: list[str] = field(default_factory=list)


def _norm_words(text: str) -> list[str]:
    return [w.strip(".,;:!?\"'“”").lower() for w in text.split()]


def fake_analysis(articles, manifest=None, with_positions: bool = True) -> Analysis:
    """Quotes in curly or straight quotation marks; the speaker is the first known name nearby."""
    quotes: list[Quote] = []
    for a in articles:
        for p in a.paragraphs:
            for m in _QUOTE.finditer(p.text):
                who = next((v for k, v in PEOPLE.items() if k in p.text), None)
                q = Quote(
                    id=f"{a.id}:{p.n}:{m.start(1)}",
                    source=a.id,
                    paragraph=p.n,
                    start=m.start(1),
                    end=m.end(1),
                    text=m.group(1),
                    kind="statement" if len(m.group(1).split()) > 4 else "fragment",
                    speaker=who[0] if who else None,
                    speaker_as_given=who[0].split()[-1] if who else None,
                    role=who[1] if who else None,
                    side=who[2] if who else None,
                )
                quotes.append(q)
    groups: dict[tuple[str, ...], list[Quote]] = {}
    for q in quotes:
        groups.setdefault(tuple(_norm_words(q.text)[:3]), []).append(q)
    group_list = []
    for i, (_key, qs) in enumerate(groups.items()):
        gid = f"g{i}"
        for q in qs:
            q.group = gid
        diffs = []
        if len(qs) > 1 and qs[0].text != qs[1].text:
            diffs.append(f"{qs[0].source[:3]} and {qs[1].source[:3]} differ")
        group_list.append(
            QuoteGroup(gid, qs, sorted({q.source for q in qs}), [], sorted({q.speaker for q in qs if q.speaker}), diffs)
        )
    counts: dict[str, int] = {}
    for q in quotes:
        if q.speaker:
            counts[q.speaker] = counts.get(q.speaker, 0) + 1
    speakers = [Speaker(n, r, s, counts[n]) for n, r, s in PEOPLE.values() if n in counts]
    positions = None
    if with_positions:
        cells = []
        for issue_id, label, word in (("nato", "NATO expansion", "NATO"), ("missiles", "Missile deployments", "missile")):
            for side in ("russia", "us", "ukraine"):
                sts = [
                    Statement(q.text, q.speaker, q.source, q.paragraph)
                    for q in quotes
                    if q.side == side and word.lower() in next(a for a in articles if a.id == q.source).paragraph(q.paragraph).text.lower()
                ]
                cells.append(Cell(issue_id, label, side, sts))
        positions = Positions(cells)
    return Analysis(QuoteAnalysis(quotes, speakers, group_list), positions)


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
    if quotes_module_missing():
        # The quote finder is not in the tree yet: open without per-passage speaker fields.
        import index.analysis

        monkeypatch.setattr(index.analysis, "passage_extras", lambda articles, manifest: {})
    return tmp_path


def quotes_module_missing() -> bool:
    return importlib.util.find_spec("index.quotes") is None


def briefing_factory(fake: bool = True, with_positions: bool = True, fail_analysis: str | None = None):
    """A factory for BriefingApp: a real Briefing, with the fake analysis when `fake`."""

    def make(corpus):
        from index.engine import Briefing

        b = Briefing(corpus)
        if fake or quotes_module_missing() or fail_analysis:
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
    from tui.app import BriefingApp

    return BriefingApp(corpus=str(corpus or BUNDLED), briefing_factory=briefing_factory(**kwargs))


async def wait_loaded(pilot, app) -> None:
    """Until the open worker is done (articles and analysis shown)."""
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
