"""Messages that cross the app: what the workers found, and where a passage is.

Messages a widget posts about itself are nested on that widget (`SourceList.Chosen`, ...); the ones
here come from the app's workers, which run in threads and talk only through `post_message`.

Every message here and nested on a widget is a `@dataclass(eq=False, repr=False)`: a message is
an event, equal only to itself (Textual's Message gives the repr), and each generated method is
source compiled at import, which the reader pays at every start. A subclass that adds no field
takes no decorator: it inherits its base's `__init__`.

Their fields are the engine's own types (briefing.index.model, .engine, .analysis, the bookmark
store), imported for the type checker only: the reader does not import the engine at startup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Union

from textual.message import Message

if TYPE_CHECKING:
    from briefing.index.analysis import Analysis
    from briefing.index.bookmarks.store import AnchoredBookmark, Bookmark
    from briefing.index.engine import Briefing, OpenReport
    from briefing.index.model import Hit, SearchResult
    from briefing.tui.bookmarks import Shelf
    from briefing.tui.state import ReadingState


@dataclass(frozen=True)
class Passage:
    """A place to go: a paragraph of a source, and character spans to mark in it (may be none)."""

    source: str
    paragraph: int
    spans: tuple[tuple[int, int], ...] = ()


@dataclass(eq=False, repr=False)
class PassageRequested(Message):
    """Base of the "go to this passage" messages that several widgets post."""

    target: Passage


@dataclass(eq=False, repr=False)
class ReadingLoaded(Message):
    """Where the reader was in this briefing (posted just before BriefingOpened): `state` is a
    briefing.tui.state.ReadingState, `warning` a line to show (or None)."""

    state: "ReadingState"
    warning: str | None = None


@dataclass(eq=False, repr=False)
class BriefingOpened(Message):
    briefing: "Briefing"
    report: "OpenReport"


@dataclass(eq=False, repr=False)
class BriefingFailed(Message):
    error: str


@dataclass(eq=False, repr=False)
class AnalysisReady(Message):
    analysis: "Analysis"


@dataclass(eq=False, repr=False)
class AnalysisProgress(Message):
    """The briefing-wide analysis has read the quotes of `done` of `total` articles."""

    done: int
    total: int


@dataclass(eq=False, repr=False)
class AnalysisFailed(Message):
    error: str


@dataclass(eq=False, repr=False)
class AnalysisNote(Message):
    """A note of the analysis that came after it (its store could not be written)."""

    note: str


@dataclass(eq=False, repr=False)
class SearchFinished(Message):
    """Results of one query: ranked over the briefing, and every match in one source."""

    query: str
    result: "SearchResult | None"  # None: only `source_hits` (after moving to another source)
    source: str | None = None
    source_hits: list["Hit"] = field(default_factory=list)  # every Hit of `query` in `source`
    every: list["Hit"] | None = None  # every Hit of the briefing (None: too many, or not asked)


# ---- bookmarks ---------------------------------------------------------------------------------
# Requests: a widget asks for something done to a passage (the reader does it). Each widget that
# posts one nests a subclass of these, as with `PassageRequested`.


@dataclass(eq=False, repr=False)
class BookmarkRequested(Message):
    """Base of "bookmark this passage" (b). `target.spans` holds the one span to keep, or is
    empty for the whole paragraph; `kind` is "paragraph", "selection" or "quote"."""

    target: Passage
    kind: str = "paragraph"


@dataclass(eq=False, repr=False)
class AnnotateRequested(Message):
    """Base of "note and tags for the bookmark here" (a): the bookmark `bookmark_id`, or the one
    on the passage `target`."""

    target: Passage | None = None
    bookmark_id: str | None = None


@dataclass(eq=False, repr=False)
class CopyRequested(Message):
    """Base of "copy this passage with its citation" (y)."""

    target: Passage


# Answers from the bookmark workers (they run in threads; see BriefingApp).


@dataclass(eq=False, repr=False)
class BookmarksLoaded(Message):
    """The briefing's bookmark store is open: `shelf` is a briefing.tui.bookmarks.Shelf (or None when it
    could not be opened at all), `warning` a line to show the reader (or None)."""

    shelf: "Shelf | None"
    warning: str | None = None


@dataclass(eq=False, repr=False)
class BookmarkSaved(Message):
    """A bookmark was added or restored (`item` is an briefing.index.bookmarks.store.AnchoredBookmark), or its
    note and tags changed ("annotated": `item` is the new briefing.index.bookmarks.store.Bookmark)."""

    item: Union["AnchoredBookmark", "Bookmark"]
    action: str  # "added" | "annotated" | "restored"


@dataclass(eq=False, repr=False)
class BookmarkFailed(Message):
    """A bookmark could not be written. `undo` puts the shelf back as it was (or is None)."""

    error: str
    undo: tuple[str, "AnchoredBookmark"] | None = None  # ("put" | "drop", the item)


@dataclass(eq=False, repr=False)
class ComparisonReady(Message):
    """The outlets compared (briefing.index.compare.model.Comparison), after the analysis."""

    comparison: Any


@dataclass(eq=False, repr=False)
class ComparisonFailed(Message):
    error: str
