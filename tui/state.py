"""Where you were: the reading position and read state of every article of one briefing.

One small JSON file per corpus, at `briefing.index.locations.reading_path(root)` (the user data
dir, keyed like the bookmark store). Written atomically (temp file, fsync, os.replace) by a
worker; read forgivingly: a damaged file is reported once and reading starts afresh (the damaged
file is left where it is until the next save replaces it).

An article is *new* until it is read in the article pane, *started* (at ¶ n of N) once it is, and
*read* when its last passage has been under the cursor, or when marked so (`m`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.index.atomic import write_atomically

VERSION = 1
SEARCHES = 50  # queries kept for `/` then Up
NEW, STARTED, READ = "new", "started", "read"


@dataclass(slots=True)
class Position:
    """The passage (1-based) the cursor was on, of how many, and whether the article is read."""

    paragraph: int
    count: int
    read: bool = False


class ReadingState:
    """Positions and read marks of one briefing's articles, and the article read last."""

    def __init__(self, path: Path | None = None):
        self.path = path  # None: kept for this session only
        self.positions: dict[str, Position] = {}
        self.last: str | None = None  # the article read last
        self.pane: str = "sources"  # the pane the reader was in when it closed ("sources" or "article")
        self.searches: list[str] = []  # queries searched, oldest first (`/` then Up)
        self.dirty = False

    # ---- reading and writing ---------------------------------------------------------------
    @classmethod
    def load(cls, path: Path | None) -> tuple["ReadingState", str | None]:
        """The state saved at `path` (an empty one if there is none), and a warning if the file
        could not be used."""
        state = cls(path)
        if path is None:
            return state, None
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return state, None
        except OSError as exc:
            return state, f"Reading positions not loaded ({exc.strerror or exc}): starting afresh."
        try:
            state._fill(json.loads(raw.decode("utf-8")))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            state.positions.clear()
            state.last = None
            return state, f"Reading positions in {path.name} are damaged ({type(exc).__name__}): starting afresh."
        return state, None

    def _fill(self, data: Any) -> None:
        if not isinstance(data, dict):
            raise TypeError("not a JSON object")
        articles = data.get("articles", {})
        if not isinstance(articles, dict):
            raise TypeError("articles is not an object")
        for article_id, entry in articles.items():
            paragraph, count = int(entry["paragraph"]), int(entry.get("count", entry["paragraph"]))
            if paragraph >= 1:
                self.positions[str(article_id)] = Position(paragraph, max(count, paragraph), bool(entry.get("read", False)))
        last = data.get("last")
        self.last = last if isinstance(last, str) else None
        pane = data.get("pane")
        self.pane = pane if pane in ("sources", "article") else "sources"
        searches = data.get("searches", [])
        self.searches = [q for q in searches if isinstance(q, str) and q.strip()][-SEARCHES:] if isinstance(searches, list) else []

    def to_bytes(self) -> bytes:
        data = {
            "version": VERSION,
            "last": self.last,
            "pane": self.pane,
            "searches": self.searches[-SEARCHES:],
            "articles": {
                k: {"paragraph": p.paragraph, "count": p.count, "read": p.read} for k, p in sorted(self.positions.items())
            },
        }
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    def save(self, data: bytes | None = None) -> None:
        """Write the state (or `data`, a snapshot taken earlier). Raises OSError."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, data if data is not None else self.to_bytes())

    # ---- questions and changes -------------------------------------------------------------
    def position(self, article_id: str) -> int | None:
        """The passage (1-based) to reopen the article at, or None if it was never read."""
        p = self.positions.get(article_id)
        return p.paragraph if p is not None else None

    def state(self, article_id: str) -> str:
        """NEW, STARTED or READ."""
        p = self.positions.get(article_id)
        if p is None:
            return NEW
        return READ if p.read else STARTED

    def progress(self, article_id: str) -> Position | None:
        return self.positions.get(article_id)

    def record(self, article_id: str, paragraph: int, count: int) -> None:
        """The cursor is on passage `paragraph` of `count` of an article being read."""
        if paragraph < 1 or count < 1:
            return
        old = self.positions.get(article_id)
        read = (old is not None and old.read) or paragraph >= count
        new = Position(paragraph, count, read)
        if old != new or self.last != article_id:
            self.positions[article_id] = new
            self.last = article_id
            self.dirty = True

    def set_read(self, article_id: str, read: bool, count: int) -> None:
        old = self.positions.get(article_id)
        if read:
            self.positions[article_id] = Position(old.paragraph if old else 1, old.count if old else count, True)
        elif old is not None:
            # Unread again: the position stays (you may want to go on from there), the mark goes.
            self.positions[article_id] = Position(old.paragraph, old.count, False)
        self.dirty = True

    def set_searches(self, searches: list[str]) -> None:
        searches = searches[-SEARCHES:]
        if searches != self.searches:
            self.searches = list(searches)
            self.dirty = True

    def set_pane(self, pane: str) -> None:
        pane = pane if pane in ("sources", "article") else "sources"
        if pane != self.pane:
            self.pane = pane
            self.dirty = True
