"""The one object the CLI and the TUI ask questions of: a briefing, loaded, analysed and indexed.

Opening is incremental: parsed articles are kept in a small SQLite cache beside the Whoosh index,
keyed by file size and mtime (and the content hash when those change), so an unchanged corpus is
neither re-read nor re-indexed, and a changed file updates only its own passages.

Opening is also cheap when nothing changed: the cache gives each article's summary (title, outlet,
byline, date, counts) at once, and its body only when something reads it (`_LazyArticle`). When
many files changed, parsing and quote extraction feed the index writer as they go, so Whoosh's
writer processes work on the first articles while the next ones are still being read; with
briefing.index.workers.MIN_ITEMS files or more, forked workers read and extract ahead of the
writer (the parent handed them in order), so reading no longer waits on one core.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
import zlib
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Generator, Iterator

from briefing.index import locations, workers
from briefing.index.atomic import move_aside
from briefing.index.lock import LockTimeout, WriteLock
from briefing.index.search import passages as _passages
from briefing.index.text import display_name
from briefing.index.corpus.scan import Corpus, CorpusError, CorpusFile, empty_corpus_message, load_manifest, parse_articles, parse_file, scan  # noqa: F401
from briefing.index.model import Article, Manifest, Paragraph, SearchResult, Skipped, compacted
from briefing.index.corpus.reading import Unreadable

if TYPE_CHECKING:
    from briefing.index.search.passages import PassageIndex
    from briefing.index.compare.model import Comparison

log = logging.getLogger(__name__)

CACHE_BUSY_TIMEOUT_S = 30.0  # how long a second process waits for the cache's write lock
_SQLITE_CORRUPT = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB: the only codes that mean damage
_SQLITE_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED


def _sqlite_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(exc).lower()
    if "malformed" in text or "not a database" in text:
        return 11
    if "locked" in text or "busy" in text:
        return 5
    return None


def _summary_crc(article_id: str, row: tuple[Any, ...]) -> int:
    """CRC-32 of a cache row's summary: (name, mtime_ns, size, sha256, outlet, title, byline,
    date, paragraphs, words)."""
    import zlib

    return zlib.crc32(json.dumps([article_id, *row], ensure_ascii=False).encode("utf-8", "surrogatepass"))


def _crc_pieces(article_id: str, pieces: Iterator[str], crc: list[int]) -> Iterator[tuple[str, int, str]]:
    """(id, seq, piece) rows of the pieces; `crc[0]` becomes the CRC-32 of their text joined (as
    `_text_crc` of it) once they are all taken."""
    import zlib

    for seq, piece in enumerate(pieces):
        crc[0] = zlib.crc32(piece.encode("utf-8", "surrogatepass"), crc[0])
        yield article_id, seq, piece


def _text_crc(text: object) -> int | None:
    import zlib

    if not isinstance(text, str):
        return None
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def _sqlite_reason(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


LOCK_WAIT_S = 600.0  # a second writer waits this long for the first (a 10k build takes minutes)


class IndexBusy(CorpusError):
    """Another process kept writing the index for the whole wait; the message says who and what to do."""


STATE_VERSION = 9  # bump when cleaning or the cached article shape changes (9: plain-text headers)


@dataclass(slots=True)
class OpenReport:
    """What happened while opening: for `briefing index` and the TUI's notices."""

    articles: int = 0
    passages: int = 0
    parsed: int = 0
    reused: int = 0
    removed: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


class _State:
    """Parsed articles and file signatures, in SQLite (atomic commits; a damaged file is rebuilt).

    Summary columns (title, outlet, byline, date, counts) are read on open; the article JSON only
    when an article's body is first needed. Thread-safe: lazy loads come from any thread.
    """

    _SUMMARY = "outlet, title, byline, date, paragraphs, words"

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.RLock()
        self.messages: list[str] = []  # what happened to the file (damaged, busy, full): for OpenReport
        self.db: sqlite3.Connection | None = self._connect()

    def _open(self, target: Path) -> sqlite3.Connection:
        db = sqlite3.connect(target, check_same_thread=False, timeout=CACHE_BUSY_TIMEOUT_S)
        try:
            db.execute("create table if not exists meta (key text primary key, value text)")
            row = db.execute("select value from meta where key='version'").fetchone()
            if row is None or row[0] != str(STATE_VERSION):
                db.execute("drop table if exists files")
                db.execute("drop table if exists pieces")
                db.execute("insert or replace into meta values ('version', ?)", (str(STATE_VERSION),))
            db.execute(
                "create table if not exists files (id text primary key, name text, mtime_ns integer,"
                " size integer, sha256 text, outlet text, title text, byline text, date text,"
                " paragraphs integer, words integer, article text, quotes text, gen integer,"
                " summary_crc integer, article_crc integer)"
            )
            # A long article's JSON, row by row in pieces of a few thousand paragraphs, its `files`
            # row's `article` NULL: one value of the whole JSON in `files` is built whole in
            # SQLite's memory when it is inserted, and again whenever its row is rewritten.
            db.execute("create table if not exists pieces (id text, seq integer, text text, primary key (id, seq))")
            from briefing.index.quotes.records import EXTRACTION_VERSION

            row = db.execute("select value from meta where key='extraction'").fetchone()
            if row is None or row[0] != EXTRACTION_VERSION:  # records of older rules: extract again
                db.execute("update files set quotes=null")
                db.execute("insert or replace into meta values ('extraction', ?)", (EXTRACTION_VERSION,))
            db.commit()
            return db
        except BaseException:
            db.close()
            raise

    def _connect(self) -> sqlite3.Connection:
        """The cache file; if SQLite says it is corrupt, it is moved aside (never deleted) and a
        new one started. Busy (another process writing for longer than the timeout), full, I/O
        and permission errors leave the file as it is: this session keeps its cache in memory."""
        try:
            return self._open(self.path)
        except sqlite3.DatabaseError as exc:
            if self.in_memory:
                raise
            reason = _sqlite_reason(exc)
            if _sqlite_code(exc) in _SQLITE_CORRUPT:
                return self._set_aside(reason)
            elif _sqlite_code(exc) in _SQLITE_BUSY:
                self.messages.append(
                    f"article cache {self.path} is busy: another briefing process has been writing it for over"
                    f" {CACHE_BUSY_TIMEOUT_S:.0f} s; this session keeps its own in memory (run the command again when it is done)"
                )
            else:
                self.messages.append(
                    f"article cache {self.path} cannot be used ({reason}): this session keeps it in memory;"
                    " free some space or make the cache directory writable"
                )
        except OSError as exc:
            if self.in_memory:
                raise
            self.messages.append(f"article cache {self.path} cannot be opened ({exc.strerror or exc}): this session keeps it in memory")
        self.path = Path(":memory:")
        return self._open(self.path)

    def _set_aside(self, reason: str) -> sqlite3.Connection:
        """Move a corrupt cache file aside (never delete it) and start a new one."""
        try:
            moved = move_aside(self.path)
        except OSError as err:
            self.messages.append(
                f"article cache {self.path} is damaged ({reason}) and could not be moved aside"
                f" ({err.strerror or err}): it is kept in memory for this session; delete the file to start afresh"
            )
        else:
            self.messages.append(
                f"article cache {self.path} was damaged ({reason}): it was moved to {moved} and the articles are read again"
            )
            try:
                return self._open(self.path)
            except sqlite3.Error as again:
                self.messages.append(f"a new article cache cannot be started in {self.path.parent} ({_sqlite_reason(again)})")
        self.path = Path(":memory:")
        return self._open(self.path)

    def _db(self) -> sqlite3.Connection:
        if self.db is None:  # closed with its briefing, and a lazy article still wants its body
            self.db = self._connect()
        return self.db

    @property
    def in_memory(self) -> bool:
        return str(self.path) == ":memory:"

    def rows(self) -> dict[str, tuple[Any, ...]]:
        """id -> (name, mtime_ns, size, sha256, outlet, title, byline, date, paragraphs, words).

        A row whose summary does not match its checksum is left out (its file is read again)."""
        with self._lock:
            try:
                cur = self._db().execute(
                    f"select id, name, mtime_ns, size, sha256, {self._SUMMARY}, summary_crc from files"
                )
                out = {}
                for r in cur:
                    if _summary_crc(r[0], r[1:-1]) == r[-1]:
                        out[r[0]] = r[1:-1]
                    else:
                        log.warning("cache row of %s does not match its checksum: read again", r[0])
                return out
            except sqlite3.DatabaseError as exc:  # a damaged page that opening did not reach
                if self.in_memory or _sqlite_code(exc) not in _SQLITE_CORRUPT:
                    raise
                if self.db is not None:
                    self.db.close()
                self.db = self._set_aside(_sqlite_reason(exc))
                return {}

    def article_json(self, article_id: str) -> str | None:
        with self._lock:
            row = self._db().execute("select article, article_crc from files where id=?", (article_id,)).fetchone()
            text = self._whole(article_id, row[0]) if row else None
        return text if row and _text_crc(text) == row[1] else None

    def _whole(self, article_id: str, text: str | None) -> str | None:
        """The article's JSON: its row's, or (NULL there) its pieces' joined."""
        if text is not None:
            return text
        pieces = [r[0] for r in self._db().execute("select text from pieces where id=? order by seq", (article_id,))]
        return "".join(pieces) if pieces else None

    def article_data(self, article_id: str, sha256: str) -> dict[str, Any] | None:
        """The cached article as JSON data, if the row is still the version with this hash and
        matches its checksum (flipped bytes are read again from the file, never shown)."""
        with self._lock:
            row = self._db().execute(
                "select sha256, article, article_crc from files where id=?", (article_id,)
            ).fetchone()
            if row is None or row[0] != sha256:
                return None
            text = self._whole(article_id, row[1])
        if text is None or _text_crc(text) != row[2]:
            log.warning("cached text of %s does not match its checksum: read again from the file", article_id)
            return None
        try:
            data = json.loads(text, object_hook=_paragraph_hook)
        except (TypeError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def quotes_record(self, article_id: str, sha256: str) -> str | None:
        """The article's cached quote record (briefing.index.quotes.records), if it is of this version."""
        with self._lock:
            row = self._db().execute("select sha256, quotes from files where id=?", (article_id,)).fetchone()
        return row[1] if row and row[0] == sha256 else None

    def put_quotes(self, records: list[tuple[str, str, str]]) -> None:
        """(id, sha256, record): kept only where the row still holds that version of the article."""
        with self._lock, self._db() as db:
            db.executemany("update files set quotes=? where id=? and sha256=?", [(r, i, h) for i, h, r in records])

    def put(self, items: list[tuple[CorpusFile, Article, str | bytes | None]], gen: int) -> None:
        """Rows for articles just indexed; `gen` is the index generation that holds them (-1: an
        index in memory only). A long article's JSON goes into `pieces`, a few thousand
        paragraphs a row, never as one string; its row follows with the checksum of them all.
        A quote record may come packed (`_packed_record`)."""
        rows = []
        pieced: list[tuple[tuple[Any, ...], Article]] = []
        for f, a, record in items:
            quotes = _unpacked_record(record) if isinstance(record, bytes) else record
            summary = (a.outlet, a.title, a.byline, a.date, len(a.paragraphs), a.words)
            long = len(a.paragraphs) >= _STREAM_JSON_PARAGRAPHS
            text = None if long else _article_json(a)
            row = (
                a.id, f.path.name, f.mtime_ns, f.size, a.sha256, *summary, text, quotes, gen,
                _summary_crc(a.id, (f.path.name, f.mtime_ns, f.size, a.sha256, *summary)), _text_crc(text),
            )
            if long:
                pieced.append((row, a))
            else:
                rows.append(row)
        insert = f"insert or replace into files values ({', '.join('?' * 16)})"
        with self._lock, self._db() as db:
            db.executemany("delete from pieces where id=?", [(r[0],) for r in rows] + [(r[0],) for r, _ in pieced])
            db.executemany(insert, rows)
            for row, a in pieced:
                crc = [0]
                db.executemany("insert into pieces values (?, ?, ?)", _crc_pieces(a.id, _json_pieces(a), crc))
                db.execute(insert, (*row[:-1], crc[0]))

    def stale(self, gen: int) -> set[str]:
        """Articles the index of generation `gen` may not hold as cached: indexed only in memory,
        or by a later generation than the index now on disk (an older index put back)."""
        with self._lock:
            cur = self._db().execute("select id from files where gen is null or gen < 0 or gen > ?", (gen,))
            return {r[0] for r in cur}

    def touch(self, items: list[CorpusFile]) -> None:
        """New mtime and size for files whose bytes are unchanged (the summary checksum with them).
        A feed file holds several articles: every row of the file's name is updated."""
        with self._lock:
            db = self._db()
            rows = []
            for f in {f.path.name: f for f in items}.values():
                found = db.execute(f"select id, name, sha256, {self._SUMMARY} from files where name=?", (f.path.name,)).fetchall()
                for row in found:
                    crc = _summary_crc(row[0], (row[1], f.mtime_ns, f.size, *row[2:]))
                    rows.append((f.mtime_ns, f.size, crc, row[0]))
            with db:
                db.executemany("update files set mtime_ns=?, size=?, summary_crc=? where id=?", rows)

    def delete(self, ids: list[str]) -> None:
        with self._lock, self._db() as db:
            db.executemany("delete from files where id=?", [(i,) for i in ids])
            db.executemany("delete from pieces where id=?", [(i,) for i in ids])

    def meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db().execute("select value from meta where key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._lock, self._db() as db:
            db.execute("insert or replace into meta values (?, ?)", (key, value))

    def clear(self) -> None:
        with self._lock, self._db() as db:
            db.execute("delete from files")
            db.execute("delete from pieces")

    def close(self) -> None:
        with self._lock:
            if self.db is not None and not self.in_memory:  # an in-memory cache would be lost
                self.db.close()
                self.db = None


def _packed_record(record: str | None) -> bytes | None:
    """A quote record compressed while it waits for the cache (a long article's is a few bytes
    a paragraph as text, held while every passage is indexed)."""
    return None if record is None else zlib.compress(record.encode("utf-8", "surrogatepass"))


def _unpacked_record(packed: bytes) -> str:
    return zlib.decompress(packed).decode("utf-8", "surrogatepass")


def _shared_extras(extras: dict[int, Any]) -> dict[int, Any]:
    """The same passage extras, equal values one object (a long article's speakers recur)."""
    shared: dict[Any, Any] = {}
    return {n: shared.setdefault(v, v) for n, v in extras.items()}


def _article_json(a: Article) -> str:
    """`json.dumps(a.to_json(), ensure_ascii=False)`: the article as the cache holds it."""
    return "".join(_json_pieces(a))


def _json_pieces(a: Article) -> Iterator[str]:
    """`_article_json(a)` in pieces of a few thousand paragraphs: a million-paragraph article
    would take a million dicts (hundreds of MB) for a moment, and its JSON as one string ~100 MB
    (two bytes a character once a curly quote is in it), twice while it is copied."""
    if len(a.paragraphs) < _STREAM_JSON_PARAGRAPHS:
        yield json.dumps(a.to_json(), ensure_ascii=False)
        return
    head = a.summary()
    head["paragraphs"] = None  # a place held in the key order of to_json()
    head.update(dateline=a.dateline, captions=list(a.captions), credits=list(a.credits))
    text = json.dumps(head, ensure_ascii=False)
    # Only a key can be followed by `": null`: in a string value that quote would be escaped.
    cut = text.index('"paragraphs": null') + len('"paragraphs": ')
    piece = [text[:cut], "["]
    for i, p in enumerate(a.paragraphs):
        if i:
            piece.append(", ")
        piece.append(json.dumps({"n": p.n, "text": p.text, "kind": p.kind}, ensure_ascii=False))
        if len(piece) >= 2 * _JSON_PIECE_PARAGRAPHS:
            yield "".join(piece)
            piece.clear()
    piece.append("]")
    piece.append(text[cut + len("null"):])
    yield "".join(piece)


def _same_json(cached: str | None, a: Article) -> bool:
    """Whether the cache's JSON is `_article_json(a)`, compared piece by piece."""
    if cached is None:
        return False
    at = 0
    for piece in _json_pieces(a):
        if not cached.startswith(piece, at):
            return False
        at += len(piece)
    return at == len(cached)


_JSON_PIECE_PARAGRAPHS = 4_096
_STREAM_JSON_PARAGRAPHS = 5_000  # from this length the cached JSON is written piece by piece


def _paragraph_hook(data: dict[str, Any]) -> Any:
    """A paragraph of cached article JSON as a Paragraph, as soon as it is decoded: a million
    paragraphs never stand as a million dicts at once."""
    if len(data) == 3 and "n" in data and "text" in data and "kind" in data:
        n, text, kind = data["n"], data["text"], data["kind"]
        if type(n) is int and type(text) is str and type(kind) is str:
            return Paragraph(n, text, kind)
    return data


def _paragraph(p: Any) -> Paragraph:
    return p if isinstance(p, Paragraph) else Paragraph(p["n"], p["text"], p.get("kind", "text"))


def _lazy_slot(name: str) -> property:
    """A property over Article's slot `name` that loads the article's body when the slot is unset."""
    slot = Article.__dict__[name]

    def get(self: Any) -> Any:
        try:
            return slot.__get__(self, Article)
        except AttributeError:
            self._load()
            return slot.__get__(self, Article)

    return property(get, slot.__set__, doc=f"Article.{name}, read from the cache on first use")


class _LazyArticle(Article):
    """An Article opened from the cache: summary fields at once, body on first use.

    Behaves as an Article everywhere (`isinstance`, fields, equality with an Article of the same
    content); `words` and `summary()` come from the cache without loading the body.
    """

    __slots__ = ("_state", "_manifest", "_words", "_count")

    dateline = _lazy_slot("dateline")
    captions = _lazy_slot("captions")
    paragraphs = _lazy_slot("paragraphs")
    credits = _lazy_slot("credits")

    def __init__(self, article_id: str, row: tuple[Any, ...], path: str, state: _State, manifest: Manifest):
        _name, _mtime, _size, sha256, outlet, title, byline, date, count, words = row
        self.id = article_id
        self.outlet = outlet
        self.title = title
        self.byline = byline
        self.date = date
        self.path = path
        self.sha256 = sha256
        self._state = state
        self._manifest = manifest
        self._words = words
        self._count = count

    @property
    def loaded(self) -> bool:
        try:
            Article.__dict__["paragraphs"].__get__(self, Article)
            return True
        except AttributeError:
            return False

    @property
    def words(self) -> int:
        return int(self._words)

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id, "outlet": self.outlet, "title": self.title, "byline": self.byline,
            "date": self.date, "paragraphs": self._count, "words": self._words,
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Article):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in Article.__dataclass_fields__)

    __hash__ = None  # type: ignore[assignment]  # as Article's

    def _load(self, data: dict[str, Any] | None = None) -> None:
        if data is None:
            data = self._state.article_data(self.id, self.sha256)
        if data is None:  # the cache row changed or is damaged: read the file itself
            data = self._parse_file()
        self._fill(data)

    def unload(self) -> None:
        """Drop the body (it is read again on next use): the analysis reads 10,000 articles in
        turn and need not hold them all."""
        for name in ("paragraphs", "dateline", "captions", "credits"):
            try:
                Article.__dict__[name].__delete__(self)
            except AttributeError:
                pass  # not loaded, or being loaded by another thread: either way nothing is held

    def _fill(self, data: dict[str, Any]) -> None:
        self.dateline = data.get("dateline")
        self.captions = list(data.get("captions") or [])
        self.credits = list(data.get("credits") or [])
        self.paragraphs = compacted([_paragraph(p) for p in data.get("paragraphs") or []])

    def _parse_file(self) -> dict[str, Any]:
        path = Path(self.path)
        try:
            st = path.stat()
            article, _sha = parse_file(CorpusFile(self.id, path, st.st_mtime_ns, st.st_size), self._manifest)
            return article.to_json()
        except Exception as exc:  # noqa: BLE001 - a vanished or broken file reads as an empty article
            log.warning("cannot read %s again (%s): shown without its text", path, exc)
            return {"paragraphs": []}


class _OneAtATime:
    """The articles for a pass of the analysis: each body is read when the pass reaches it and
    dropped after, unless something else had it loaded already (the article on screen)."""

    def __init__(self, articles: list[Article]):
        self.articles = articles

    def __len__(self) -> int:
        return len(self.articles)

    def __iter__(self) -> Iterator[Article]:
        for a in self.articles:
            lazy = a if isinstance(a, _LazyArticle) and not a.loaded else None
            yield a
            # (most passes of an update read no body: unloading what was not loaded costs an
            # exception per field, 10,000 articles a pass)
            if lazy is not None and lazy.loaded:
                lazy.unload()


@dataclass(slots=True)
class _LongArticle:
    """An article of passages.LONG_ARTICLE_PARAGRAPHS or more, named to the user before and after the
    minutes it takes (its quotations are found, then every paragraph is a passage of the index), and
    once more when its passages are in and the index is written, the one wait without a count."""

    name: str
    size: int
    paragraphs: int
    started: float
    read: float  # when its text was read and cleaned into paragraphs
    quoted: float | None = None
    indexed: float | None = None

    def _what(self) -> str:
        return f"{display_name(self.name)} ({self.size / 1_048_576:.1f} MB, {self.paragraphs:,} paragraphs)"

    def starting(self) -> str:
        from briefing.index.quotes.records import WINDOW_PARAGRAPHS

        return (
            f"{self._what()} is a very long article (read in {self.read - self.started:.0f} s): finding its quotations"
            f"{f' ({WINDOW_PARAGRAPHS:,} paragraphs at a time)' if self.paragraphs > WINDOW_PARAGRAPHS else ''}"
            " and indexing every paragraph as a passage takes about a minute per 100,000 paragraphs"
            " on a fast machine (if it is really many articles, split it into one file each)"
        )

    def writing(self) -> str:
        return (
            f"{self._what()}: every paragraph is in the index; writing the rest of the index (sorting and"
            " merging the postings of its passages) takes about as long again, with no count to show"
        )

    def finished(self) -> str:
        from briefing.index.quotes.records import WINDOW_PARAGRAPHS

        end = time.monotonic()
        quoted = self.quoted if self.quoted is not None else end
        indexed = self.indexed if self.indexed is not None else end
        peak = _peak_memory_mb()
        parts = [f"{self._what()} took {end - self.started:.0f} s: reading it {self.read - self.started:.0f} s,"
                 f" finding its quotations {quoted - self.read:.0f} s, indexing its passages {indexed - quoted:.0f} s,"
                 f" writing the index {end - indexed:.0f} s (with the articles indexed alongside)"
                 f"{f'; this process needed {peak:,} MB of memory at most' if peak else ''}."]
        if self.paragraphs > WINDOW_PARAGRAPHS:
            parts.append(
                f"Its quotations were attributed {WINDOW_PARAGRAPHS:,} paragraphs at a time: a speaker the article"
                " names in full, or by office, only in a later stretch may be left without that name where they are"
                " quoted earlier."
            )
        parts.append("An article this long is slow to index and to read; if it is really many articles, split it into one file each")
        return " ".join(parts)


def _peak_memory_mb() -> int | None:
    """The most memory (resident set) this process has held, in MB; None where it is not known."""
    try:
        import resource
        import sys
    except ImportError:  # not on this system
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak / 1_048_576 if sys.platform == "darwin" else peak / 1024) or None  # bytes on macOS, KB elsewhere


_PARENT_FILE_BYTES = 1_048_576  # a file this big may hold a long article: read in the parent, as always


@dataclass(slots=True)
class _ReadAhead:
    """A file read by a worker ahead of the index writer: exactly what the parent would have
    made of it (parse_articles' result or why it was skipped; per article, its extras and quote
    record, or None where the parent decides: an article the cache may already hold)."""

    parsed: tuple[list[Article], str, list[Skipped]] | None = None
    quotes: list[tuple[dict[int, Any], str | None] | None] = field(default_factory=list)
    skipped: Skipped | None = None
    out_of_memory: bool = False


class _Replayable:
    """The (article, extras) pairs to index, produced while they are parsed, with a known length.

    Iterating again replays what was produced (the index may retry an update in memory).
    """

    def __init__(self, items: Iterator[Any], length: int):
        self._items = items
        self._seen: list[Any] = []
        self._length = length

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[Any]:
        i = 0
        while True:
            if i < len(self._seen):
                yield self._seen[i]
            else:
                try:
                    item = next(self._items)
                except StopIteration:
                    return
                self._seen.append(item)
                yield item
            i += 1


class Briefing:
    """A corpus opened for reading. Thread-safe for concurrent searches."""

    def __init__(self, corpus_dir: Path | str | None = None, index_dir: Path | None = None):
        self.root = locations.corpus_dir(corpus_dir)
        self.index_dir = Path(index_dir) if index_dir else locations.index_dir(self.root)
        self.manifest: Manifest = Manifest()
        self.articles: list[Article] = []
        self._by_id: dict[str, Article] = {}
        self.report = OpenReport()
        self._index: PassageIndex | None = None
        self._state: _State | None = None
        self._analysis: Any = None
        self._analysis_lock = threading.Lock()
        self._stored: Any = None  # briefing.index.analysis_store.Pending: the write of the analysis computed here
        self._quote_postings: tuple[Any, Any] | None = None  # (analysis, its speaker:/side: postings)
        self._comparison: Comparison | None = None
        self._comparison_lock = threading.Lock()

    # ---- opening ---------------------------------------------------------------------------
    def open(
        self,
        rebuild: bool = False,
        progress: Callable[[str, int, int], None] | None = None,
        notify: Callable[[str], None] | None = None,
    ) -> OpenReport:
        """Load, parse what changed, update the index. Raises CorpusError for an unusable dir
        (IndexBusy when another process kept writing the index for LOCK_WAIT_S).

        Writing the index and the article cache is done under one inter-process lock
        (briefing.index.lock). A process with nothing to write does not take it, so readers are
        never blocked; one with something to write waits for it, telling `notify` who holds it.
        """
        report = OpenReport()
        self.manifest = load_manifest(self.root)
        report.messages.extend(str(problem) for problem in self.manifest.problems)
        files, skipped = scan(self.root)
        report.skipped.extend(skipped)

        writable = self._prepare_cache_dir(report)
        lock: WriteLock | None = WriteLock(self.index_dir) if writable else None
        if lock is not None and not lock.try_acquire():
            if not rebuild and self._nothing_to_write(files):
                lock = None  # only reading: the other process's commit is atomic for us
            else:
                try:
                    report.messages.extend(lock.acquire(LOCK_WAIT_S, notify))
                except LockTimeout as exc:
                    raise IndexBusy(str(exc)) from None
        from briefing.index.search.passages import IndexLocked

        try:
            return self._open(report, files, writable, rebuild, progress, notify)
        except IndexLocked as exc:
            raise IndexBusy(str(exc)) from None
        finally:
            if lock is not None:
                lock.release()

    def _nothing_to_write(self, files: list[CorpusFile]) -> bool:
        """True when the index and the cache on disk already hold exactly these files (read
        without writing or locking anything); False on any doubt."""
        from urllib.parse import quote

        from briefing.index.quotes.records import EXTRACTION_VERSION
        from briefing.index.search.passages import GENERATION_FILE, SCHEMA_VERSION

        whoosh = self.index_dir / "whoosh"
        cache = self.index_dir / "articles.sqlite3"
        try:
            if (whoosh / "schema-version").read_text().strip() != str(SCHEMA_VERSION):
                return False
            generation = (whoosh / GENERATION_FILE).read_text().strip()
            db = sqlite3.connect(f"file:{quote(str(cache.resolve()))}?mode=ro", uri=True, timeout=5)
            try:
                meta = dict(db.execute("select key, value from meta").fetchall())
                if (
                    meta.get("version") != str(STATE_VERSION)
                    or meta.get("extraction") != EXTRACTION_VERSION
                    or meta.get("manifest") != self.manifest.signature
                    or meta.get("generation") != generation
                ):
                    return False
                rows = {r[0]: r[1:] for r in db.execute("select id, name, mtime_ns, size, gen from files")}
            finally:
                db.close()
        except (OSError, sqlite3.Error, ValueError):
            return False
        if len(rows) != len(files):
            return False
        for f in files:
            row = rows.get(f.id)
            if row is None or tuple(row[:3]) != (f.path.name, f.mtime_ns, f.size):
                return False
            if row[3] is None or int(row[3]) < 0 or int(row[3]) > int(generation):
                return False
        return True

    def _open(
        self,
        report: OpenReport,
        files: list[CorpusFile],
        writable: bool,
        rebuild: bool,
        progress: Callable[[str, int, int], None] | None,
        notify: Callable[[str], None] | None = None,
    ) -> OpenReport:
        from briefing.index.search.passages import PassageIndex

        state = _State(self.index_dir / "articles.sqlite3" if writable else Path(":memory:"))
        report.messages.extend(state.messages)
        self._index = PassageIndex((self.index_dir if writable else _temp_index_dir()) / "whoosh")
        message = self._index.open()
        if message and message != "search index created":
            report.messages.append(message)
        if rebuild:
            _note(report, self._index.recreate())
        if self._index.is_empty:
            state.clear()

        manifest_sig = self.manifest.signature  # of the bytes load_manifest read: never a second read
        if state.meta("manifest") != manifest_sig:
            state.clear()  # outlets and titles from the manifest are stored in every passage
            state.set_meta("manifest", manifest_sig)
        known = state.rows()
        # The index and the cache share a generation stamp: what the index on disk may not hold
        # as the cache has it is read and indexed again; passages of articles the cache no
        # longer knows leave the index (checked only when the stamps disagree).
        stale = state.stale(self._index.generation) if known and not self._index.in_memory else set()
        strays: list[str] = []
        if known and not self._index.is_empty and state.meta("generation") != str(self._index.stamp):
            strays = sorted(self._index.sources() - set(known))
        if not known and not self._index.is_empty:
            # Nothing cached: every article is parsed and indexed again, so start from an empty
            # index (one fresh build instead of a delete and an add per article).
            _note(report, self._index.recreate())

        current: dict[str, Article] = {}
        to_parse: list[CorpusFile] = []
        # Cached rows are articles; a feed file holds several, keyed by the file's name.
        known_of: dict[str, list[str]] = {}
        for article_id, row in known.items():
            known_of.setdefault(row[0], []).append(article_id)
        for f in files:
            ids = known_of.get(f.path.name, [])
            if ids and all(i not in stale and known[i][1] == f.mtime_ns and known[i][2] == f.size for i in ids):
                for i in ids:
                    current[i] = _LazyArticle(i, known[i], str(f.path), state, self.manifest)
            else:
                to_parse.append(f)
        file_names = {f.path.name for f in files}
        file_ids = {f.id for f in files}
        removed = [i for i, row in known.items() if row[0] not in file_names and i not in file_ids]
        removed += [i for i in strays if i not in file_ids and i not in removed]

        changed: list[tuple[CorpusFile, Article, str | bytes | None]] = []
        touched: list[CorpusFile] = []
        total = len(to_parse)

        def parse(f: CorpusFile) -> tuple[list[Article], str, list[Skipped]] | Skipped:
            """One file's articles, or why it gives none."""
            try:
                return parse_articles(f, self.manifest)
            except Unreadable as exc:
                return Skipped(f.path.name, str(exc))
            except MemoryError:
                raise  # not a broken file: the open says what to do
            except Exception as exc:  # noqa: BLE001 - one bad article never stops the briefing
                log.exception("cannot parse %s", f.path)
                return Skipped(f.path.name, f"could not be parsed ({type(exc).__name__}: {exc})")

        def maybe_unchanged(article: Article, sha: str) -> bool:
            """The cache may hold this very article (the parent compares the cached JSON)."""
            row = known.get(article.id)
            return row is not None and article.id not in stale and row[3] == sha

        def read_ahead(f: CorpusFile) -> _ReadAhead | None:
            """In a worker: parse the file and extract each article's quotes. None: the parent
            reads the file itself (an article long enough to be followed and named as it is read)."""
            if f.size >= _PARENT_FILE_BYTES:
                return None
            try:
                got = parse(f)
                if isinstance(got, Skipped):
                    return _ReadAhead(skipped=got)
                articles, sha, not_read = got
                if any(len(a.paragraphs) >= _passages.LONG_ARTICLE_PARAGRAPHS for a in articles):
                    return None
                quotes = [None if maybe_unchanged(a, sha) else self._extras(a) for a in articles]
            except MemoryError:  # raised in the parent, which names the file
                return _ReadAhead(out_of_memory=True)
            return _ReadAhead((articles, sha, not_read), quotes)

        def ahead() -> Generator[_ReadAhead | None, None, None]:
            """What workers read ahead of the writer, in the order of `to_parse` (None where the
            parent reads the file). The first file is read here, so the quote tables it loads
            are shared with the workers, not loaded again in each."""
            yield None
            if len(to_parse) > 1 and workers.forks(len(to_parse) - 1):
                yield from workers.ordered_map(read_ahead, to_parse[1:], len(to_parse) - 1)
            else:
                yield from (None for _ in to_parse[1:])

        def parsed() -> Generator[tuple[Article, dict[int, Any]], None, None]:
            """Parse, compare with the cache, extract quotes: one article at a time, for the writer."""
            reads = ahead()
            try:
                yield from read(reads)
            finally:
                reads.close()  # the workers end as soon as the writer has what it needs

        def read(reads: Iterator[_ReadAhead | None]) -> Iterator[tuple[Article, dict[int, Any]]]:
            for i, (f, pre) in enumerate(zip(to_parse, reads), 1):
                if progress and (i % 25 == 0 or i == total):
                    progress("parse", i, total)
                started = time.monotonic()
                reading[:] = [f]
                if pre is not None and pre.out_of_memory:
                    raise MemoryError
                got = parse(f) if pre is None else pre.parsed or pre.skipped
                read = time.monotonic()
                assert got is not None  # a worker's read has one or the other
                if isinstance(got, Skipped):
                    report.skipped.append(got)
                    continue
                articles, sha, not_read = got
                report.skipped.extend(not_read)  # a feed's entries without text
                for n, article in enumerate(articles):
                    current[article.id] = article
                    if maybe_unchanged(article, sha) and _same_json(state.article_json(article.id), article):
                        touched.append(f)  # same bytes, new mtime: nothing to re-index
                        continue
                    found = pre.quotes[n] if pre is not None else None
                    if found is not None:
                        extras, record = found
                        changed.append((f, article, record))
                        yield article, extras
                        continue
                    count = len(article.paragraphs)
                    long = _LongArticle(f.path.name, f.size, count, started, read) if count >= _passages.LONG_ARTICLE_PARAGRAPHS else None
                    if long is not None:
                        long_articles[article.id] = long
                        if notify:  # said before the minutes it takes, not only after
                            notify(long.starting())
                    quotes_progress = (lambda done, n: progress("quotes", done, n)) if long and progress else None
                    extras, record = self._extras(article, quotes_progress)
                    if long is not None:
                        # Held until the cache row is written after the index commit: packed, and
                        # one object for each distinct passage extra (a speaker is quoted often).
                        extras, packed = _shared_extras(extras), _packed_record(record)
                        changed.append((f, article, packed))
                        long.quoted = time.monotonic()
                    else:
                        changed.append((f, article, record))
                    yield article, extras

        long_articles: dict[str, _LongArticle] = {}
        reading: list[CorpusFile] = []  # the file being read, for a message if memory runs out

        def long_progress(article_id: str, done: int, count: int) -> None:
            """An article of many thousand paragraphs: followed passage by passage, and named."""
            if done == count and article_id in long_articles:
                long_articles[article_id].indexed = time.monotonic()
                if notify:
                    notify(long_articles[article_id].writing())
            if progress:
                progress("passages", done, count)

        articles_in: Generator[tuple[Article, dict[int, Any]], None, None] = parsed()
        try:
            _note(report, self._index.update(
                _Replayable(articles_in, total),
                removed,
                progress=(lambda n: progress("index", min(n, total), total)) if progress else None,
                procs=min(2, os.cpu_count() or 1),
                passages=long_progress,
            ))
        except MemoryError:
            # The writer was cancelled (nothing half-written is kept); what to do depends on
            # whether one enormous article was being read.
            changed.clear()
            current.clear()
            raise CorpusError(_out_of_memory(self.root, reading, list(long_articles.values()))) from None
        finally:
            articles_in.close()  # the workers reading ahead end with it, whatever stopped the writer
        for long in long_articles.values():
            report.messages.append(long.finished())
        # Known articles that can no longer be read leave the index too.
        gone = set(removed)
        unreadable = [i for i in known if i not in current and i not in gone]
        if unreadable:
            _note(report, self._index.update([], unreadable))
        removed += unreadable
        try:
            if changed:
                state.put(changed, self._index.stamp)
            if touched:
                state.touch(touched)
            if removed:
                state.delete(removed)
            if state.meta("generation") != str(self._index.stamp):
                state.set_meta("generation", str(self._index.stamp))
        except (sqlite3.Error, OSError) as exc:
            log.warning("cannot write the article cache %s: %s", state.path, exc)
            report.messages.append(
                f"article cache cannot be saved in {self.index_dir} ({exc}): the next start reads the changed articles again"
            )

        if self._state is not None and self._state is not state:
            self._state.close()
        self._state = state
        self.articles = sorted(current.values(), key=lambda a: a.id)
        self._by_id = {a.id: a for a in self.articles}
        self._analysis = None
        self._comparison = None
        report.articles = len(self.articles)
        report.passages = self._index.passage_count()
        report.parsed = len(changed)
        report.reused = len(self.articles) - len(changed)
        report.removed = len(removed)
        if not self.articles:
            report.messages.append(empty_corpus_message(self.root))
        self.report = report
        return report

    def _extras(
        self, article: Article, progress: Callable[[int, int], None] | None = None
    ) -> tuple[dict[int, Any], str | None]:
        """Who is quoted in each paragraph (the `speaker:` and `side:` fields) and the article's
        quote record for the analysis; ({}, None) if extraction fails. `progress(done, total)`
        follows a long article's paragraphs (briefing.index.quotes.records.read_pairs)."""
        from briefing.index.analysis import extras_from_quotes
        from briefing.index.quotes.records import read_pairs, to_record

        try:
            pairs = read_pairs(article, self.manifest, progress)
            return extras_from_quotes((q for q, _ in pairs), self.manifest), to_record(pairs)
        except (ImportError, MemoryError):  # not this article's fault: the open says what to do
            raise
        except Exception:  # noqa: BLE001 - quotes are a bonus; the text is still indexed
            log.exception("quote extraction failed for %s", article.id)
            return {}, None

    def _prepare_cache_dir(self, report: OpenReport) -> bool:
        try:
            self.index_dir.mkdir(parents=True, exist_ok=True)
            probe = self.index_dir / ".write-test"
            probe.write_text("ok")
            probe.unlink()
            return True
        except OSError as exc:
            report.messages.append(
                f"cache directory {self.index_dir} is not writable ({exc.strerror or exc}): "
                "the index is kept in a temporary directory for this session"
            )
            return False

    # ---- another process moved the index -----------------------------------------------------
    def index_moved(self) -> bool:
        """Another process re-indexed since this briefing was opened (an article was edited and
        `briefing index` or another reader ran): hits would be numbered after text this briefing
        does not show. Cheap: one small file is read."""
        index = self._index
        return index is not None and index.moved()

    def reload(self) -> OpenReport:
        """Open the briefing again (what changed is taken from the cache the other process wrote)
        and swap it in at once: a search running meanwhile finishes on the old index."""
        fresh = Briefing(self.root, self.index_dir)
        report = fresh.open()
        with self._analysis_lock:
            self.manifest = fresh.manifest
            self._index = fresh._index
            self._state = fresh._state  # the old one stays open for lazy articles still on screen
            self.articles = fresh.articles
            self._by_id = fresh._by_id
            self.report = report
            self._analysis = None
        return report

    def close(self, wait: bool = True) -> None:
        """With `wait` (the default), once the analysis is stored: the store is written after the
        analysis is handed back (briefing.index.analysis_store.save_later). Without, the write
        goes on; `finish_stores` waits for it."""
        if wait:
            self.wait_stored()
        if self._index is not None:
            self._index.close()
        if self._state is not None:
            self._state.close()  # a lazy article read later reopens it

    # ---- questions -------------------------------------------------------------------------
    @property
    def title(self) -> str:
        """The manifest's title, else the directory's name: either way safe to show (control
        characters and escape sequences in a file name never reach the terminal)."""
        from briefing.index.text import display_name, display_safe

        return display_safe(self.manifest.title) if self.manifest.title else display_name(self.root.name)

    def article(self, article_id: str) -> Article:
        try:
            return self._by_id[article_id]
        except KeyError:
            raise KeyError(f"unknown source '{article_id}'") from None

    def find_article(self, ref: str) -> Article:
        """An article by id, by unique id prefix, by 1-based position in the source list, or by
        outlet (briefing.index.search.source_refs: the same as `source:` in a search)."""
        if ref in self._by_id:
            return self._by_id[ref]
        from briefing.index.search.source_refs import find

        return find(self.articles, ref)

    def search(self, query: str, limit: int = 20, source: str | None = None) -> SearchResult:
        if self._index is None:
            raise RuntimeError("the briefing is not open")
        if "source:" in query.casefold():  # `source:` takes what `show` takes, and outlets
            from briefing.index.search.source_refs import restore, rewrite

            rewritten, error, replaced = rewrite(query, self.articles)
            if error:
                return SearchResult(query, [], 0, error=error)
            result = self._index.search(rewritten, limit=limit, source=source, extra=self._search_postings())
            result.query = query
            if result.suggestion:
                result.suggestion = restore(result.suggestion, replaced)
            return result
        return self._index.search(query, limit=limit, source=source, extra=self._search_postings())

    def _search_postings(self) -> Any:
        """Once the analysis is there (computed or loaded; never started here): `speaker:` and
        `side:` postings from its quotations, so that search finds what the quotes pane shows —
        quotations printed without marks, every form of a speaker's name, inferred sides.
        Before, None: the fields as indexed from each article's own extraction."""
        analysis, index = self._analysis, self._index
        if analysis is None or index is None or getattr(analysis, "quotes", None) is None:
            return None
        cached = self._quote_postings
        if cached is not None and cached[0] is analysis:
            return cached[1]
        import gc

        # ~170,000 passages in sets and tuples at 10,000 articles, none of them cyclic garbage:
        # the collector's passes over them while they are made were a quarter of the time
        collecting = gc.isenabled()
        gc.disable()
        try:
            postings = index.quote_postings(_quote_rows(analysis))
        finally:
            if collecting:
                gc.enable()
        self._quote_postings = (analysis, postings)
        return postings

    def _analysis_key(self) -> str:
        from briefing.index import analysis_store

        return analysis_store.store_key(((a.id, a.sha256) for a in self.articles), self.manifest.signature)

    def stored_analysis(self) -> Any | None:
        """The analysis if it is already there: computed in this process or stored, current, beside
        the index. Never computes it (that can take a minute on a big briefing): None instead."""
        with self._analysis_lock:
            if self._analysis is None:
                from briefing.index import analysis_store

                key = self._analysis_key()
                self._analysis = analysis_store.load(self.index_dir, key).analysis
                if self._analysis is not None:
                    _settle()
            return self._analysis

    def analysis(self, progress: Callable[[int, int], None] | None = None) -> Any:
        """Quotes, speakers, groups and positions: computed once, on first use. `progress(done,
        total)` is told how many articles' quotes have been read (about 200 times in all).

        A computed analysis is handed back before it is stored: the store is written on a thread
        (`wait_stored`, `follow_notes`); a store that cannot be written adds a note then."""
        with self._analysis_lock:
            if self._analysis is None:
                import gc

                # Millions of objects are made and kept (the state loaded, the analysis built) and
                # almost none are cyclic garbage: the cyclic collector walked them again and again
                # for nothing (~4 s of a 15 s update at 10,000 articles). Off until it is built.
                collecting = gc.isenabled()
                gc.disable()
                try:
                    from briefing.index import analysis_store
                    from briefing.index.analysis import AnalysisState, analyse

                    key = self._analysis_key()
                    stored = analysis_store.load(self.index_dir, key)
                    if stored.analysis is not None:
                        self._analysis = stored.analysis
                        _settle()
                        return self._analysis
                    # The briefing changed (or was never analysed): what the last analysis left lets
                    # this one redo only what the changed articles touch.
                    state_key = analysis_store.state_key(self.manifest.signature)
                    previous = analysis_store.load(self.index_dir, state_key, analysis_store.STATE_NAME).analysis
                    if not isinstance(previous, AnalysisState):
                        previous = None
                    read = _CachedQuotes(self._state, self.manifest, [a.id for a in self.articles])
                    counted = _Counted(read, len(self.articles), progress) if progress else read
                    kept: list[AnalysisState] = []
                    fresh = analyse(_OneAtATime(self.articles), self.manifest, counted, previous=previous, keep=kept)
                    read.flush()
                    # Stored without this session's notes (an unchanged reopen has none to tell).
                    items: list[tuple[str, object, str]] = [(key, dataclasses.replace(fresh, notes=[]), analysis_store.FILE_NAME)]
                    if kept:
                        items.append((state_key, kept[0], analysis_store.STATE_NAME))
                    if stored.note:
                        fresh.notes.append(stored.note)
                    _settle()  # before the write starts: its thread's first collection would walk them all
                    # the last state is let go of on the writing thread too: freeing its millions of
                    # objects takes a good part of a second
                    self._stored = analysis_store.save_later(self.index_dir, items, fresh.notes, drop=previous)
                    del previous
                    self._analysis = fresh
                finally:
                    if collecting:
                        gc.enable()
            return self._analysis

    def wait_stored(self) -> None:
        """Until the analysis computed here is written beside the index (at once if it is, or if
        none was computed)."""
        pending = self._stored
        if pending is not None:
            pending.done.wait()

    def follow_notes(self, analysis: Any, seen: int, listener: Callable[[str], None]) -> None:
        """`listener(note)` for each note of `analysis` after the first `seen`, now or when it
        comes: writing the store after the analysis was handed back can fail (the listener is
        called from the writing thread, then)."""
        pending = self._stored
        if pending is not None and pending.notes is getattr(analysis, "notes", None):
            pending.follow(listener, seen)
        else:
            for note in list(getattr(analysis, "notes", []))[seen:]:
                listener(note)

    def compare(self) -> "Comparison":
        """Where the outlets agree and differ (briefing.index.compare.model.Comparison): facts,
        quote wording, echoes, names. After the analysis, one more pass over the articles;
        computed once, on first use."""
        with self._comparison_lock:
            if self._comparison is None:
                from briefing.index.compare.build import compare

                quotes = self.analysis().quotes
                self._comparison = compare(_OneAtATime(self.articles), quotes)
            return self._comparison


def _settle() -> None:
    """Leave everything alive now (the analysis just loaded or built, and the index) out of the
    cyclic collector's passes from now on. The analysis is made with the collector off, so all
    of it (~1.5 million objects at 10,000 articles, more with the state of an update) would be
    young: the first collection after it, in the store's writing thread or at the first search,
    walked every one of them (several hundred ms, holding the interpreter lock), and each full
    collection after that again. They stay freed by reference counting when dropped (they hold
    no cycles); only cyclic garbage alive at this moment is never collected."""
    import gc

    gc.freeze()


class _Counted:
    """The analysis' quote reader, counting the articles it has read for a progress report."""

    def __init__(self, read: Callable[[Article], list[Any]], total: int, progress: Callable[[int, int], None]):
        self.read, self.total, self.progress = read, total, progress
        self.done = 0
        self.every = max(1, total // 200)

    def __call__(self, article: Article) -> list[Any]:
        pairs = self.read(article)
        self.done += 1
        if self.done % self.every == 0 or self.done == self.total:
            self.progress(self.done, self.total)
        return pairs


class _CachedQuotes:
    """The analysis' reader of one article's quotations: the record cached at index time, else
    extraction now (that record is then saved for the next start)."""

    # Records are read this many articles ahead, in one query: a query per article was a good part
    # of a second at 10,000 articles.
    AHEAD = 256

    def __init__(self, state: _State | None, manifest: Manifest, order: list[str] | None = None):
        """`order`: the ids of the articles as they will be asked for (their records are read
        ahead); without it, one at a time."""
        self.state = state
        self.manifest = manifest
        self.fresh: list[tuple[str, str, str]] = []
        self.order = order or []
        self.place = {aid: i for i, aid in enumerate(self.order)}
        self.ahead: dict[str, tuple[str, str | None]] = {}  # id -> (sha256, record), read ahead

    def _record(self, article: Article) -> str | None:
        state = self.state
        if state is None:
            return None
        got = self.ahead.pop(article.id, None)
        if got is None and article.id in self.place:
            start = self.place[article.id]
            ids = self.order[start : start + self.AHEAD]
            marks = ",".join("?" * len(ids))
            try:
                with state._lock:
                    rows = state._db().execute(f"select id, sha256, quotes from files where id in ({marks})", ids).fetchall()
            except sqlite3.Error:
                rows = []  # then one at a time below, which says what is wrong
            self.ahead = {aid: (sha, record) for aid, sha, record in rows}
            got = self.ahead.pop(article.id, None)
        if got is None:
            return state.quotes_record(article.id, article.sha256)
        return got[1] if got[0] == article.sha256 else None

    def __call__(self, article: Article) -> list[Any]:
        from briefing.index.quotes.records import from_record, read_pairs, to_record

        record = self._record(article)
        if record is not None:
            try:
                return from_record(record, article.id, article.outlet)
            except ValueError:
                log.warning("quote record of %s is damaged: extracted again", article.id)
        pairs = read_pairs(article, self.manifest)  # a long article in stretches, as at index time
        self.fresh.append((article.id, article.sha256, to_record(pairs)))
        if len(self.fresh) >= 500:
            self.flush()
        return pairs

    def flush(self) -> None:
        if self.fresh and self.state is not None:
            try:
                self.state.put_quotes(self.fresh)
            except (sqlite3.Error, OSError) as exc:
                log.warning("cannot save quote records in %s: %s", self.state.path, exc)
        self.fresh.clear()


def _out_of_memory(root: Path, reading: list[CorpusFile], long: list[_LongArticle]) -> str:
    if reading:  # the file being read when it ran out (the long one, if that was it)
        f = reading[-1]
        what = next((a._what() for a in long if a.name == f.path.name), f"{display_name(f.path.name)} ({f.size / 1_048_576:.1f} MB)")
        return (
            f"ran out of memory while indexing {what}: nothing was written; split it into"
            " several files (one per article, if it is many) or free some memory, then run `briefing index` again"
        )
    return (
        f"ran out of memory while indexing {display_name(str(root))}: nothing was written; free some memory"
        " (or index fewer files at a time with `briefing add`), then run `briefing index` again"
    )


def _quote_rows(analysis: Any) -> Iterator[tuple[str, int, frozenset[str], frozenset[str]]]:
    """(article id, paragraph, names, sides) for every quotation of the analysis: the names are
    every form of its speaker's (as merged across articles) and the forms printed with it, with
    and without middle initials; the sides its side's id and label (inferred sides included).
    A speaker's quotations share their collections (made once per speaker, printed forms and side)."""
    from briefing.index.analysis import name_variants

    quotes = analysis.quotes
    manifest = getattr(analysis, "manifest", None)
    forms = {s.name: [s.name, *s.aliases] for s in quotes.speakers}
    labels = dict(getattr(quotes, "side_labels", None) or {})
    named: dict[tuple[Any, ...], frozenset[str]] = {}
    sided: dict[Any, frozenset[str]] = {}
    for q in quotes.quotes:
        key = (q.speaker, q.speaker_as_given, *q.names)
        names = named.get(key)
        if names is None:
            printed = [*forms.get(q.speaker, [q.speaker] if q.speaker else []), q.speaker_as_given, *q.names]
            names = named[key] = frozenset(variant for name in printed if name for variant in name_variants(name))
        sides = sided.get(q.side)
        if sides is None:
            found: set[str] = set()
            if q.side:
                found.add(q.side)
                label = labels.get(q.side) or (manifest.side_label(q.side) if manifest is not None else None)
                if label:
                    found.add(label)
            sides = sided[q.side] = frozenset(found)
        if names or sides:
            yield q.source, q.paragraph, names, sides


def finish_stores(saying: Callable[[], None] | None = None) -> bool:
    """Until every analysis of this process is stored (a reader quitting right after an analysis);
    `saying()` if that takes more than a moment. Ctrl-C meanwhile keeps the stores that were
    there, no traceback (False)."""
    from briefing.index import analysis_store

    return analysis_store.finish(saying)


def _note(report: OpenReport, message: str | None) -> None:
    if message:
        report.messages.append(message)


def _temp_index_dir() -> Path:
    """A session-only index when the cache dir cannot be written; removed when the process ends."""
    import atexit
    import shutil
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="briefing-index-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path
