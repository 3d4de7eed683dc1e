"""Messages that cross the app: what the workers found, and where a passage is.

Messages a widget posts about itself are nested on that widget (`SourceList.Chosen`, ...); the ones
here come from the app's workers, which run in threads and talk only through `post_message`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.message import Message


@dataclass(frozen=True)
class Passage:
    """A place to go: a paragraph of a source, and character spans to mark in it (may be none)."""

    source: str
    paragraph: int
    spans: tuple[tuple[int, int], ...] = ()


@dataclass
class PassageRequested(Message):
    """Base of the "go to this passage" messages that several widgets post."""

    target: Passage


@dataclass
class BriefingOpened(Message):
    briefing: Any
    report: Any


@dataclass
class BriefingFailed(Message):
    error: str


@dataclass
class AnalysisReady(Message):
    analysis: Any


@dataclass
class AnalysisFailed(Message):
    error: str


@dataclass
class SearchFinished(Message):
    """Results of one query: ranked over the briefing, and every match in one source."""

    query: str
    result: Any  # index.model.SearchResult
    source: str | None = None
    source_hits: list[Any] = field(default_factory=list)  # every Hit of `query` in `source`
