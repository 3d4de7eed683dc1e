"""Bookmarked passages, kept in one SQLite file per briefing (see locations.bookmarks_path).

Durability rules:

* WAL journal, synchronous=FULL, a busy timeout; every mutation is its own BEGIN IMMEDIATE ...
  COMMIT transaction, committed before the method returns. A bookmark the caller was handed back
  survives the process being killed at any instant, and two processes writing at once both keep
  their rows (the second waits for the first's lock).
* A file that is not a readable bookmark store (not SQLite, corrupt, a foreign schema) is moved
  aside to `<name>.damaged-<UTC timestamp>` (never overwritten, never deleted) and a fresh store
  is created; `open` returns a StoreWarning naming where the old file went.
* A store that cannot be written (read-only data dir, read-only file, a newer schema) is loaded
  into memory: reading works, changes last for the session, `can_save` is False and `open`
  returns a StoreWarning saying so. Nothing here crashes the reader.

Notes, tags and texts are untrusted: stored and returned exactly as given, never interpreted.
"""

from __future__ import annotations

import builtins
import json
import os
import re
import secrets
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

from briefing.index.bookmarks import anchoring
from briefing.index.bookmarks.anchoring import ANCHORED, CHANGED, MOVED, ORPHANED, AnchorError, Layout, Selector
from briefing.index.atomic import move_aside
from briefing.index.model import Article
from briefing.index.text import display_safe

try:  # POSIX: serialise moving a damaged store aside between processes
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "ANCHORED",
    "MOVED",
    "CHANGED",
    "ORPHANED",
    "KINDS",
    "AnchoredBookmark",
    "Bookmark",
    "BookmarkError",
    "BookmarkStore",
    "StoreError",
    "StoreWarning",
    "UnknownBookmark",
    "cited",
    "export_json",
    "export_markdown",
    "find_span",
    "resolve",
]

KINDS = ("paragraph", "selection", "quote")
SCHEMA_VERSION = 1
APPLICATION_ID = 0x42524647  # "BRFG": marks the file as a briefing bookmark store
BUSY_TIMEOUT_MS = 10_000
ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"

_COLUMNS = (
    "id",
    "source",
    "paragraph",
    "start_offset",
    "end_offset",
    "text",
    "prefix",
    "suffix",
    "position_start",
    "position_end",
    "sha256",
    "note",
    "tags",
    "kind",
    "created",
    "updated",
    "outlet",
    "title",
    "date",
)
_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM bookmarks"

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS bookmarks (
    id TEXT PRIMARY KEY NOT NULL,
    source TEXT NOT NULL,
    paragraph INTEGER NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    text TEXT NOT NULL,
    prefix TEXT NOT NULL,
    suffix TEXT NOT NULL,
    position_start INTEGER NOT NULL,
    position_end INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    note TEXT NOT NULL,
    tags TEXT NOT NULL,
    kind TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    outlet TEXT,
    title TEXT,
    date TEXT
)""",
    "CREATE INDEX IF NOT EXISTS bookmarks_source ON bookmarks(source)",
    f"PRAGMA application_id = {APPLICATION_ID}",
    f"PRAGMA user_version = {SCHEMA_VERSION}",
)

# What the store knows of its briefing (identity, last corpus path, article fingerprints). Not
# part of the bookmarks schema: an older briefing opens a store with it unchanged.
_META_TABLE = "CREATE TABLE IF NOT EXISTS briefing (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)"


def _has_meta(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'briefing'").fetchone()
    return row is not None


# SQLite primary result codes that mean "this file is not a (sound) database".
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


# -- values ------------------------------------------------------------------------------------


class BookmarkError(ValueError):
    """A request that cannot be done; the message is one plain line fit to show to a person."""


class UnknownBookmark(BookmarkError, KeyError):
    """No bookmark has that id."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else "unknown bookmark"


class StoreError(BookmarkError):
    """The store could not be read or written (locked for too long, disk full, ...)."""


@dataclass(frozen=True, slots=True)
class StoreWarning:
    """Something the reader should be told about when the store was opened.

    kind: "damaged" (moved aside to `moved_to`, a fresh store was created), "read-only" (changes
    last only for this session) or "newer" (written by a newer version; opened read-only).
    """

    kind: str
    message: str
    path: Path
    moved_to: Path | None = None

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class Bookmark:
    id: str
    source: str  # article id
    paragraph: int  # where it was saved (the current place is on AnchoredBookmark)
    start: int  # offsets inside that paragraph's text
    end: int
    text: str  # exact saved text (TextQuoteSelector.exact)
    prefix: str
    suffix: str
    position_start: int  # TextPositionSelector: offsets into article.body at creation
    position_end: int
    sha256: str  # the article's sha256 at creation
    note: str
    tags: tuple[str, ...]
    kind: str  # "paragraph" | "selection" | "quote"
    created: str  # ISO 8601, UTC
    updated: str
    outlet: str | None = None  # citation snapshot, so an orphan can still be cited
    title: str | None = None
    date: str | None = None

    @property
    def selector(self) -> Selector:
        return Selector(
            paragraph=self.paragraph,
            start=self.start,
            end=self.end,
            text=self.text,
            prefix=self.prefix,
            suffix=self.suffix,
            position_start=self.position_start,
            position_end=self.position_end,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "kind": self.kind,
            "paragraph": self.paragraph,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "position": {"start": self.position_start, "end": self.position_end},
            "sha256": self.sha256,
            "note": self.note,
            "tags": list(self.tags),
            "created": self.created,
            "updated": self.updated,
            "outlet": self.outlet,
            "title": self.title,
            "date": self.date,
        }


@dataclass(frozen=True, slots=True)
class AnchoredBookmark:
    """A bookmark and where its passage is in the current articles.

    paragraph/start/end are the current place (None when orphaned); the saved place stays on
    `bookmark`. `text` is always the saved text, so an orphan can still be shown.
    """

    bookmark: Bookmark
    state: str  # "anchored" | "moved" | "changed" | "orphaned"
    paragraph: int | None
    start: int | None
    end: int | None
    score: float = 0.0

    @property
    def id(self) -> str:
        return self.bookmark.id

    @property
    def source(self) -> str:
        return self.bookmark.source

    @property
    def text(self) -> str:
        return self.bookmark.text

    @property
    def orphaned(self) -> bool:
        return self.state == ORPHANED

    def to_json(self) -> dict[str, Any]:
        """The listing object: the saved bookmark, `state`, and `paragraph` = where it is now
        (the saved paragraph for an orphan; `saved_paragraph` always holds the saved one)."""
        data = self.bookmark.to_json()
        data["saved_paragraph"] = data["paragraph"]
        data["state"] = self.state
        data["current"] = (
            None
            if self.paragraph is None
            else {"paragraph": self.paragraph, "start": self.start, "end": self.end}
        )
        if self.paragraph is not None:
            data["paragraph"] = self.paragraph
        return data


find_span = anchoring.find_span


# -- the store ---------------------------------------------------------------------------------


class BookmarkStore:
    """Open with `BookmarkStore.open(path)`; safe to share between threads."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path | None,
        *,
        can_save: bool = True,
        warning: StoreWarning | None = None,
    ) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path
        self.can_save = can_save  # False: changes are kept in memory for this session only
        self.warning = warning

    # opening ----------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> tuple["BookmarkStore", StoreWarning | None]:
        """Open (creating if needed) the store at `path`. Never raises for a bad file or a
        read-only place: the second value, when not None, is a warning to show the reader."""
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return cls._session_only(path, f"cannot create {path.parent}: {_os_reason(exc)}")
        if not os.access(path.parent, os.W_OK | os.X_OK):
            return cls._session_only(path, f"{path.parent} is not writable")
        if path.exists() and not os.access(path, os.R_OK | os.W_OK):
            return cls._session_only(path, f"{path} is not writable")
        try:
            return cls(_open_rw(path), path), None
        except _Newer as newer:
            return cls._session_only(path, str(newer), kind="newer")
        except _Damaged as damaged:
            return cls._replace_damaged(path, _plain(damaged))
        except (sqlite3.Error, OSError) as exc:
            return cls._session_only(path, f"cannot open {path}: {_plain(exc)}")

    @classmethod
    def _replace_damaged(cls, path: Path, reason: str) -> tuple["BookmarkStore", StoreWarning]:
        try:
            moved = _move_aside(path)
        except OSError as exc:
            return cls._session_only(
                path,
                f"{path} is damaged ({reason}) and could not be moved aside: {_os_reason(exc)}",
                load=False,
            )
        if moved is None:
            done = "another briefing process had already moved it aside"
        else:
            done = f"it was moved to {moved}"
        message = f"The bookmarks file could not be read ({reason}); {done} and an empty one was started."
        try:
            conn = _open_rw(path)
        except (_Damaged, _Newer, sqlite3.Error, OSError) as exc:
            store, second = cls._session_only(path, f"cannot start a new store: {_plain(exc)}", load=False)
            store.warning = StoreWarning("damaged", f"{message} {second.message}", path, moved)
            return store, store.warning
        warning = StoreWarning("damaged", message, path, moved)
        return cls(conn, path, warning=warning), warning

    @classmethod
    def _session_only(
        cls, path: Path, reason: str, *, kind: str = "read-only", load: bool = True
    ) -> tuple["BookmarkStore", StoreWarning]:
        """An in-memory store holding whatever can be read from `path`; nothing is saved."""
        conn = _connect(":memory:")
        loaded = load and path.exists() and _load_read_only(path, conn)
        _initialise(conn)
        what = "Saved bookmarks are shown and changes last" if loaded else "Changes last"
        warning = StoreWarning(
            kind, f"Bookmarks cannot be saved: {reason}. {what} for this session only.", path
        )
        return cls(conn, path, can_save=False, warning=warning), warning

    @classmethod
    def in_memory(cls) -> "BookmarkStore":
        """An empty store that saves nothing."""
        conn = _connect(":memory:")
        _initialise(conn)
        return cls(conn, None, can_save=False)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "BookmarkStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # reading ----------------------------------------------------------------------------------

    def list(self, source: str | None = None) -> list[Bookmark]:
        """All bookmarks (or one article's), oldest first."""
        sql = _SELECT
        params: tuple[str, ...] = ()
        if source is not None:
            sql, params = sql + " WHERE source = ?", (source,)
        with self._reading() as conn:
            rows = conn.execute(sql + " ORDER BY created, rowid", params).fetchall()
        return [_row_to_bookmark(row) for row in rows]

    def get(self, bookmark_id: str) -> Bookmark | None:
        with self._reading() as conn:
            row = conn.execute(_SELECT + " WHERE id = ?", (bookmark_id,)).fetchone()
        return None if row is None else _row_to_bookmark(row)

    def __len__(self) -> int:
        with self._reading() as conn:
            return int(conn.execute("SELECT count(*) FROM bookmarks").fetchone()[0])

    def resolve(self, articles: Mapping[str, Article]) -> builtins.list[AnchoredBookmark]:
        """Every bookmark with where its passage is now; orphans included, never dropped."""
        return resolve(self.list(), articles)

    # whose store this is (see briefing.index.bookmarks.locate) ----------------------------------

    def meta(self) -> dict[str, str]:
        """The store's facts about its briefing: identity, corpus (last path), fingerprint."""
        with self._reading() as conn:
            if not _has_meta(conn):
                return {}
            return {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM briefing")}

    def set_meta(self, values: Mapping[str, str]) -> None:
        """Record facts about the store's briefing (kept in memory only when it cannot save)."""
        with self._writing() as conn:
            conn.execute(_META_TABLE)
            conn.executemany("INSERT OR REPLACE INTO briefing (key, value) VALUES (?, ?)", list(values.items()))

    @property
    def identity(self) -> str | None:
        """The briefing's identity, `urn:briefing:<hex>`, once recorded (locate records it)."""
        value = self.meta().get("identity")
        return f"urn:briefing:{value}" if value else None

    # writing ----------------------------------------------------------------------------------

    def add(
        self,
        source: str,
        paragraph: int,
        article: Article,
        start: int | None = None,
        end: int | None = None,
        note: str = "",
        tags: Iterable[str] = (),
        kind: str = "paragraph",
    ) -> Bookmark:
        """Save a passage of `article`: the whole paragraph, or its text[start:end].

        A span narrower than the paragraph is stored as kind "selection" unless "quote" is asked.
        Raises BookmarkError (one plain line) for an unknown paragraph or a bad span, StoreError
        if it could not be written. Returns only once the bookmark is committed to disk.
        """
        if article.id != source:
            raise BookmarkError(f"the article given is {article.id!r}, not {source!r}")
        if kind not in KINDS:
            raise BookmarkError(f"unknown bookmark kind {kind!r} (expected one of {', '.join(KINDS)})")
        try:
            selector = anchoring.make_selector(article, paragraph, start, end)
        except AnchorError as exc:
            raise BookmarkError(str(exc)) from None
        whole = selector.start == 0 and selector.end == len(article.paragraphs[paragraph - 1].text)
        if kind == "paragraph" and not whole:
            kind = "selection"
        now = _now()
        bookmark = Bookmark(
            id="",
            source=source,
            paragraph=paragraph,
            start=selector.start,
            end=selector.end,
            text=selector.text,
            prefix=selector.prefix,
            suffix=selector.suffix,
            position_start=selector.position_start,
            position_end=selector.position_end,
            sha256=article.sha256 or "",
            note=_check_note(note),
            tags=_check_tags(tags),
            kind=kind,
            created=now,
            updated=now,
            outlet=article.outlet,
            title=article.title,
            date=article.date,
        )
        for _ in range(16):
            candidate = replace(bookmark, id=secrets.token_hex(4))
            with self._writing() as conn:
                inserted = _insert(conn, candidate)
            if inserted:
                return candidate
        raise StoreError("could not find a free bookmark id")  # pragma: no cover - 2**-512 odds

    def annotate(
        self, bookmark_id: str, note: str | None = None, tags: Iterable[str] | None = None
    ) -> Bookmark:
        """Change a bookmark's note and/or tags (None leaves it as is); returns the new bookmark."""
        new_note = None if note is None else _check_note(note)
        new_tags = None if tags is None else _check_tags(tags)
        with self._writing() as conn:
            row = conn.execute(_SELECT + " WHERE id = ?", (bookmark_id,)).fetchone()
            if row is None:
                raise UnknownBookmark(f"no bookmark {bookmark_id!r}")
            old = _row_to_bookmark(row)
            updated = replace(
                old,
                note=old.note if new_note is None else new_note,
                tags=old.tags if new_tags is None else new_tags,
                updated=_now(),
            )
            conn.execute(
                "UPDATE bookmarks SET note = ?, tags = ?, updated = ? WHERE id = ?",
                (updated.note, _tags_json(updated.tags), updated.updated, bookmark_id),
            )
        return updated

    def remove(self, bookmark_id: str) -> Bookmark:
        """Delete a bookmark and return it, so the caller can offer undo via `restore`."""
        with self._writing() as conn:
            row = conn.execute(_SELECT + " WHERE id = ?", (bookmark_id,)).fetchone()
            if row is None:
                raise UnknownBookmark(f"no bookmark {bookmark_id!r}")
            conn.execute("DELETE FROM bookmarks WHERE id = ?", (bookmark_id,))
        return _row_to_bookmark(row)

    def restore(self, bookmark: Bookmark) -> Bookmark:
        """Put a removed bookmark back with the same id (undo). Restoring twice is harmless."""
        if not bookmark.id:
            raise BookmarkError("a bookmark to restore needs its id")
        with self._writing() as conn:
            _insert(conn, bookmark)
        return bookmark

    # exporting --------------------------------------------------------------------------------

    def export_markdown(
        self, anchored: Iterable[AnchoredBookmark], articles: Mapping[str, Article]
    ) -> str:
        return export_markdown(anchored, articles)

    def export_json(
        self, anchored: Iterable[AnchoredBookmark], articles: Mapping[str, Article]
    ) -> builtins.list[dict[str, Any]]:
        return export_json(anchored, articles, self.identity)

    # transactions -----------------------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._conn
            except sqlite3.Error as exc:
                raise StoreError(f"could not read bookmarks: {_plain(exc)}") from exc

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One transaction, committed (synchronous=FULL: on disk) before control returns to the
        caller; rolled back on any error."""
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError(f"could not save bookmarks: {_plain(exc)}") from exc
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                if isinstance(exc, sqlite3.Error):
                    raise StoreError(f"could not save bookmarks: {_plain(exc)}") from exc
                if isinstance(exc, UnicodeEncodeError):
                    raise BookmarkError("the text contains characters that cannot be saved") from exc
                raise


# -- resolving and exporting -------------------------------------------------------------------


def resolve(bookmarks: Iterable[Bookmark], articles: Mapping[str, Article]) -> list[AnchoredBookmark]:
    """Where each bookmark's passage is now, in the order given.

    The common case, an article unchanged since the bookmark was made (same sha256), costs one
    string comparison: no layout, no search, no fuzzy matching. A changed article is re-anchored
    quote and context first, position last (anchoring.reanchor).
    """
    layouts: dict[str, Layout] = {}
    out: list[AnchoredBookmark] = []
    for bm in bookmarks:
        article = articles.get(bm.source)
        if article is None:
            out.append(AnchoredBookmark(bm, ORPHANED, None, None, None))
            continue
        if article.sha256 == bm.sha256:
            paragraphs = article.paragraphs
            if 1 <= bm.paragraph <= len(paragraphs) and paragraphs[bm.paragraph - 1].text[bm.start : bm.end] == bm.text:
                out.append(AnchoredBookmark(bm, ANCHORED, bm.paragraph, bm.start, bm.end, 1.0))
                continue
        layout = layouts.get(bm.source)
        if layout is None:
            layout = layouts[bm.source] = Layout(article)
        anchor = anchoring.reanchor(
            bm.selector, article, whole_paragraph=bm.kind == "paragraph", layout=layout
        )
        out.append(
            AnchoredBookmark(bm, anchor.state, anchor.paragraph, anchor.start, anchor.end, anchor.score)
        )
    return out


def cited(item: AnchoredBookmark, articles: Mapping[str, Article]) -> tuple[str | None, str | None, str | None]:
    """(outlet, title, date) to cite: the current article's, unless the passage is orphaned (the
    article is gone, or is now another text): then what was saved with the bookmark."""
    bm = item.bookmark
    article = articles.get(bm.source)
    if article is None or item.state == ORPHANED:
        return bm.outlet, bm.title, bm.date
    return article.outlet, article.title, article.date


_STATE_NOTES = {
    MOVED: "moved: now paragraph {paragraph}",
    CHANGED: "the article has changed: the closest passage is now paragraph {paragraph}",
    ORPHANED: "no longer found in the article: the saved text is shown",
}


def export_markdown(anchored: Iterable[AnchoredBookmark], articles: Mapping[str, Article]) -> str:
    """Block quotes with a citation line (outlet, title, date, paragraph), notes and tags.

    Every untrusted string is escaped so that it reads as the literal text it is.
    """
    blocks: list[str] = []
    for item in anchored:
        bm = item.bookmark
        outlet, title, date = cited(item, articles)
        paragraph = item.paragraph if item.paragraph is not None else bm.paragraph
        lines = [("> " + md_escape(line)).rstrip() for line in bm.text.splitlines() or [""]]
        cite = [
            f"*{md_escape(outlet)}*" if outlet else "",
            f"“{md_escape(title)}”" if title else "",
            md_escape(date) if date else "",
            f"paragraph {paragraph}",
        ]
        lines += ["", "— " + ", ".join(part for part in cite if part) + f" ({md_escape(bm.source)})"]
        if item.state in _STATE_NOTES:
            lines += ["", f"*({_STATE_NOTES[item.state].format(paragraph=paragraph)})*"]
        if bm.note:
            lines += ["", "**Note:** " + "  \n".join(md_escape(line) for line in bm.note.splitlines())]
        if bm.tags:
            lines += ["", "**Tags:** " + ", ".join(md_escape(tag) for tag in bm.tags)]
        blocks.append("\n".join(lines))
    if not blocks:
        blocks.append("No bookmarks.")
    return "# Bookmarks\n\n" + "\n\n---\n\n".join(blocks) + "\n"


def _file_position(
    texts: dict[str, str | None], article: Article | None, bm: Bookmark, item: AnchoredBookmark
) -> tuple[str, int, int] | None:
    """(file: IRI, start, end) of the passage in the article's own file, as briefing decodes it;
    None when the article has no file, or its file no longer holds the exact text."""
    if article is None or not article.path or item.state == ORPHANED:
        return None
    path = Path(article.path)
    if article.path not in texts:
        try:
            from briefing.index.corpus.reading import Unreadable, read_text

            texts[article.path] = read_text(path)[0]
        except (Unreadable, OSError, ValueError):
            texts[article.path] = None
    text = texts[article.path]
    if not text:
        return None
    best: tuple[int, int] | None = None
    at = text.find(bm.text)
    seen = 0
    while at >= 0 and seen < 500:  # the occurrence with the saved context, else the first
        seen += 1
        before, after = text[max(0, at - 200) : at], text[at + len(bm.text) : at + len(bm.text) + 200]
        agree = _squeeze(before).endswith(_squeeze(bm.prefix)) + _squeeze(after).startswith(_squeeze(bm.suffix))
        if best is None or agree > best[1]:
            best = (at, agree)
        at = text.find(bm.text, at + 1)
    if best is None:
        return None
    try:
        iri = path.resolve().as_uri()
    except ValueError:
        return None
    return iri, best[0], best[0] + len(bm.text)


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def export_json(
    anchored: Iterable[AnchoredBookmark], articles: Mapping[str, Article], briefing: str | None = None
) -> list[dict[str, Any]]:
    """W3C Web Annotation objects (https://www.w3.org/TR/annotation-model/), one per bookmark.

    The note is a TextualBody with purpose "commenting", each tag one with purpose "tagging";
    the target's `source` is the article's file as a `file:` IRI, and its TextPositionSelector
    gives offsets into that file's text (as briefing decodes it), so other Web Annotation tools
    can find the passage. An article without a file (or whose file no longer holds the text)
    keeps its id as `source` and offsets into the article body (paragraphs joined by a blank
    line). Extra, non-standard facts (state, paragraph, citation, the briefing's identity
    `briefing`, the body offsets `body_position`) sit under "briefing".
    """
    out: list[dict[str, Any]] = []
    texts: dict[str, str | None] = {}
    for item in anchored:
        bm = item.bookmark
        article = articles.get(bm.source)
        outlet, title, date = cited(item, articles)
        body: list[dict[str, Any]] = []
        if bm.note:
            body.append({"type": "TextualBody", "value": bm.note, "format": "text/plain", "purpose": "commenting"})
        for tag in bm.tags:
            body.append({"type": "TextualBody", "value": tag, "purpose": "tagging"})
        annotation: dict[str, Any] = {
            "@context": ANNOTATION_CONTEXT,
            "id": f"urn:briefing:bookmark:{bm.id}",
            "type": "Annotation",
            "motivation": "bookmarking",
            "created": bm.created,
            "modified": bm.updated,
        }
        if body:
            annotation["body"] = body
        in_file = _file_position(texts, article, bm, item)
        source, start, end = in_file if in_file is not None else (bm.source, bm.position_start, bm.position_end)
        annotation["target"] = {
            "source": source,
            "selector": [
                {"type": "TextQuoteSelector", "exact": bm.text, "prefix": bm.prefix, "suffix": bm.suffix},
                {"type": "TextPositionSelector", "start": start, "end": end},
            ],
        }
        annotation["briefing"] = {
            "briefing": briefing,
            "source_id": bm.source,
            "body_position": {"start": bm.position_start, "end": bm.position_end},
            "bookmark": bm.id,
            "kind": bm.kind,
            "state": item.state,
            "paragraph": bm.paragraph,
            "current_paragraph": item.paragraph,
            "sha256": bm.sha256,
            "outlet": outlet,
            "title": title,
            "date": date,
        }
        out.append(annotation)
    return out


_MD_INLINE = re.compile(r"([\\`*_\[\]<~|])|&(?=#?\w+;)")
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))")




def md_escape(text: str) -> str:
    """Backslash-escape what Markdown would otherwise read as markup or HTML (one line).

    Control characters (ESC, NUL...) mean nothing in a Markdown document and could drive a
    terminal the export is printed to; they become U+FFFD. The JSON export keeps them exactly.
    """
    text = display_safe(text, keep_newlines=True)
    text = _MD_INLINE.sub(lambda m: "\\" + m.group(0), text)
    match = _MD_LINE_START.match(text)
    if match:
        head, marker, rest = match.group(1), match.group(2), text[match.end() :]
        if marker[0].isdigit():  # "1." / "1)": escape the punctuation after the number
            return f"{head}{marker}\\{rest}"
        return f"{head}\\{marker}{rest}"
    return text


# -- SQLite plumbing ---------------------------------------------------------------------------


class _Damaged(Exception):
    """The file is not a readable bookmark store."""


class _Newer(Exception):
    """The file was written by a newer schema; it must not be changed."""


def _connect(target: str) -> sqlite3.Connection:
    conn = sqlite3.connect(
        target,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,  # autocommit; we issue BEGIN IMMEDIATE / COMMIT ourselves
        check_same_thread=False,  # guarded by BookmarkStore._lock
        uri=target.startswith("file:"),
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _is_damage(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    message = str(exc).lower()  # pragma: no cover - Python < 3.11
    return "not a database" in message or "malformed" in message


def _open_rw(path: Path) -> sqlite3.Connection:
    """Connect, check the file is ours and sound, create the schema if it is new."""
    conn = _connect(str(path))
    try:
        _check(conn)  # before anything that writes: a file that is not ours must stay byte-for-byte
        _wal(conn)
        conn.execute("PRAGMA synchronous = FULL")
        _initialise(conn)
        return conn
    except sqlite3.DatabaseError as exc:
        conn.close()
        if _is_damage(exc):
            raise _Damaged(_plain(exc)) from exc
        raise
    except BaseException:
        conn.close()
        raise


def _wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL. Two processes opening a new store at once both ask for it, and SQLite
    answers "database is locked" at once, without its busy handler, to the one that loses the
    race: that one waits and asks again, within the busy timeout."""
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() and "busy" not in str(exc).lower():
                raise
            if time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


def _check(conn: sqlite3.Connection) -> None:
    """Raise _Damaged unless the database is sound and either empty or a bookmark store."""
    rows = conn.execute("PRAGMA quick_check").fetchall()
    if rows != [("ok",)]:
        found = " ".join(" ".join(str(r[0]) for r in rows[:3]).replace("*** in database main ***", "").split())
        raise _Damaged("integrity check failed" + (f": {found}" if found else ""))
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = [
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not row[0].startswith("sqlite_")
    ]
    if version == 0 and app_id == 0 and not tables:
        return  # brand new (or made by a process killed before its first commit)
    if app_id != APPLICATION_ID:
        raise _Damaged("not a briefing bookmarks file")
    if version > SCHEMA_VERSION:
        raise _Newer(f"the bookmarks file was written by a newer version of briefing (schema {version})")
    columns = {row[1] for row in conn.execute("PRAGMA table_info(bookmarks)")}
    missing = [c for c in _COLUMNS if c not in columns]
    if version != SCHEMA_VERSION or missing:
        raise _Damaged("unexpected schema" + (f", missing {', '.join(missing)}" if missing else ""))


def _initialise(conn: sqlite3.Connection) -> None:
    """Create the schema in one transaction; a no-op when it is already there."""
    if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            for statement in _SCHEMA:
                conn.execute(statement)
        conn.execute("COMMIT")
    except BaseException:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass
        raise


def _load_read_only(path: Path, memory: sqlite3.Connection) -> bool:
    """Copy a store we may not write into `memory`; False (and `memory` empty) if unreadable."""
    uri = "file:" + url_quote(str(path.resolve()))
    for suffix in ("?mode=ro", "?immutable=1"):
        try:
            source = _connect(uri + suffix)
        except sqlite3.Error:
            continue
        try:
            try:
                _check(source)
            except _Newer:
                pass  # readable as far as our columns go; shown, never written
            if source.execute("PRAGMA user_version").fetchone()[0] == 0:
                return False
            source.backup(memory)
            return True
        except (_Damaged, sqlite3.Error):
            continue
        finally:
            source.close()
    return False


def _insert(conn: sqlite3.Connection, bm: Bookmark) -> bool:
    """Insert unless the id is taken; True if a row was written."""
    cursor = conn.execute(
        f"INSERT OR IGNORE INTO bookmarks ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
        (
            bm.id,
            bm.source,
            bm.paragraph,
            bm.start,
            bm.end,
            bm.text,
            bm.prefix,
            bm.suffix,
            bm.position_start,
            bm.position_end,
            bm.sha256,
            bm.note,
            _tags_json(bm.tags),
            bm.kind,
            bm.created,
            bm.updated,
            bm.outlet,
            bm.title,
            bm.date,
        ),
    )
    return cursor.rowcount == 1


def _row_to_bookmark(row: tuple[Any, ...]) -> Bookmark:
    data = dict(zip(_COLUMNS, row))
    return Bookmark(
        id=data["id"],
        source=data["source"],
        paragraph=int(data["paragraph"]),
        start=int(data["start_offset"]),
        end=int(data["end_offset"]),
        text=data["text"],
        prefix=data["prefix"],
        suffix=data["suffix"],
        position_start=int(data["position_start"]),
        position_end=int(data["position_end"]),
        sha256=data["sha256"],
        note=data["note"],
        tags=_tags_from_json(data["tags"]),
        kind=data["kind"],
        created=data["created"],
        updated=data["updated"],
        outlet=data["outlet"],
        title=data["title"],
        date=data["date"],
    )


def _tags_json(tags: tuple[str, ...]) -> str:
    return json.dumps(list(tags), ensure_ascii=False)


def _tags_from_json(raw: Any) -> tuple[str, ...]:
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        return ()
    if not isinstance(value, list):
        return ()
    return tuple(tag for tag in value if isinstance(tag, str))


def _check_note(note: Any) -> str:
    if not isinstance(note, str):
        raise BookmarkError("a note must be text")
    return note


def _check_tags(tags: Any) -> tuple[str, ...]:
    if isinstance(tags, str):
        raise BookmarkError("tags must be a list of strings, not one string")
    try:
        out = tuple(tags)
    except TypeError:
        raise BookmarkError("tags must be a list of strings") from None
    if not all(isinstance(tag, str) for tag in out):
        raise BookmarkError("tags must be a list of strings")
    return out


def _now() -> str:
    # microseconds: list() orders by creation time, and an undone removal must land back in place
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _plain(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _os_reason(exc: OSError) -> str:
    return exc.strerror or _plain(exc)


# -- moving a damaged store aside --------------------------------------------------------------


@contextmanager
def _interprocess_lock(path: Path) -> Iterator[None]:
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _still_damaged(path: Path) -> bool:
    if not path.exists():
        return False
    try:
        conn = _connect(str(path))
    except sqlite3.Error:
        return True
    try:
        _check(conn)
        return False
    except _Damaged:
        return True
    except _Newer:
        return False
    except sqlite3.DatabaseError as exc:
        return _is_damage(exc)
    finally:
        conn.close()


_SIDECARS = ("-wal", "-journal", "-shm")


def _move_aside(path: Path) -> Path | None:
    """Rename `path` (and its -wal/-journal/-shm) to `<name>.damaged-<UTC timestamp>[-N]`.

    Never overwrites: the new name is claimed with a hard link (which fails if it exists) before
    the old name is removed. Returns None if, once the lock was held, the file was no longer
    damaged (another process moved it first).
    """
    with _interprocess_lock(path):
        if not _still_damaged(path):
            return None
        return move_aside(path, "damaged", _SIDECARS)


