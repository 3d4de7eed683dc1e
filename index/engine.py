"""The one object the CLI and the TUI ask questions of: a briefing, loaded, analysed and indexed.

Opening is incremental: parsed articles are kept in a small SQLite cache beside the Whoosh index,
keyed by file size and mtime (and the content hash when those change), so an unchanged corpus is
neither re-read nor re-indexed, and a changed file updates only its own passages.

Opening is also cheap when nothing changed: the cache gives each article's summary (title, outlet,
byline, date, counts) at once, and its body only when something reads it (`_LazyArticle`). When
many files changed, parsing and quote extraction feed the index writer as they go, so Whoosh's
writer processes work on the first articles while the next ones are still being read.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from briefing.index import locations
from briefing.index.corpus.scan import Corpus, CorpusError, CorpusFile, load_manifest, parse_file, scan  # noqa: F401
from briefing.index.model import Article, Manifest, Paragraph, SearchResult, Skipped
from briefing.index.corpus.reading import Unreadable

if TYPE_CHECKING:
    from briefing.index.compare.model import Comparison

log = logging.getLogger(__name__)

STATE_VERSION = 6  # bump when cleaning or the cached article shape changes


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
        self.db: sqlite3.Connection | None = self._connect()

    def _connect(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self.path, check_same_thread=False)
            db.execute("create table if not exists meta (key text primary key, value text)")
            row = db.execute("select value from meta where key='version'").fetchone()
            if row is None or row[0] != str(STATE_VERSION):
                db.execute("drop table if exists files")
                db.execute("insert or replace into meta values ('version', ?)", (str(STATE_VERSION),))
            db.execute(
                "create table if not exists files (id text primary key, name text, mtime_ns integer,"
                " size integer, sha256 text, outlet text, title text, byline text, date text,"
                " paragraphs integer, words integer, article text, quotes text)"
            )
            from briefing.index.quotes.records import EXTRACTION_VERSION

            row = db.execute("select value from meta where key='extraction'").fetchone()
            if row is None or row[0] != EXTRACTION_VERSION:  # records of older rules: extract again
                db.execute("update files set quotes=null")
                db.execute("insert or replace into meta values ('extraction', ?)", (EXTRACTION_VERSION,))
            db.commit()
            return db
        except sqlite3.DatabaseError:
            self.path.unlink(missing_ok=True)
            return self._connect()

    def _db(self) -> sqlite3.Connection:
        if self.db is None:  # closed with its briefing, and a lazy article still wants its body
            self.db = self._connect()
        return self.db

    @property
    def in_memory(self) -> bool:
        return str(self.path) == ":memory:"

    def rows(self) -> dict[str, tuple]:
        """id -> (name, mtime_ns, size, sha256, outlet, title, byline, date, paragraphs, words)."""
        with self._lock:
            cur = self._db().execute(f"select id, name, mtime_ns, size, sha256, {self._SUMMARY} from files")
            return {r[0]: r[1:] for r in cur}

    def article_json(self, article_id: str) -> str | None:
        with self._lock:
            row = self._db().execute("select article from files where id=?", (article_id,)).fetchone()
        return row[0] if row else None

    def article_data(self, article_id: str, sha256: str) -> dict | None:
        """The cached article as JSON data, if the row is still the version with this hash."""
        with self._lock:
            row = self._db().execute("select sha256, article from files where id=?", (article_id,)).fetchone()
        if row is None or row[0] != sha256:
            return None
        try:
            return json.loads(row[1])
        except (TypeError, ValueError):
            return None

    def quotes_record(self, article_id: str, sha256: str) -> str | None:
        """The article's cached quote record (briefing.index.quotes.records), if it is of this version."""
        with self._lock:
            row = self._db().execute("select sha256, quotes from files where id=?", (article_id,)).fetchone()
        return row[1] if row and row[0] == sha256 else None

    def put_quotes(self, records: list[tuple[str, str, str]]) -> None:
        """(id, sha256, record): kept only where the row still holds that version of the article."""
        with self._lock, self._db() as db:
            db.executemany("update files set quotes=? where id=? and sha256=?", [(r, i, h) for i, h, r in records])

    def put(self, items: list[tuple[CorpusFile, Article, str | None]]) -> None:
        rows = []
        for f, a, quotes in items:
            rows.append((
                f.id, f.path.name, f.mtime_ns, f.size, a.sha256, a.outlet, a.title, a.byline, a.date,
                len(a.paragraphs), a.words, json.dumps(a.to_json(), ensure_ascii=False), quotes,
            ))
        with self._lock, self._db() as db:
            db.executemany("insert or replace into files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def touch(self, items: list[CorpusFile]) -> None:
        with self._lock, self._db() as db:
            db.executemany("update files set mtime_ns=?, size=? where id=?", [(f.mtime_ns, f.size, f.id) for f in items])

    def delete(self, ids: list[str]) -> None:
        with self._lock, self._db() as db:
            db.executemany("delete from files where id=?", [(i,) for i in ids])

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

    def close(self) -> None:
        with self._lock:
            if self.db is not None and not self.in_memory:  # an in-memory cache would be lost
                self.db.close()
                self.db = None


def _lazy_slot(name: str) -> property:
    """A property over Article's slot `name` that loads the article's body when the slot is unset."""
    slot = Article.__dict__[name]

    def get(self):
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

    def __init__(self, article_id: str, row: tuple, path: str, state: _State, manifest: Manifest):
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
        return self._words

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

    def _load(self, data: dict | None = None) -> None:
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

    def _fill(self, data: dict) -> None:
        self.dateline = data.get("dateline")
        self.captions = list(data.get("captions") or [])
        self.credits = list(data.get("credits") or [])
        self.paragraphs = [Paragraph(p["n"], p["text"], p.get("kind", "text")) for p in data.get("paragraphs") or []]

    def _parse_file(self) -> dict:
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
            transient = isinstance(a, _LazyArticle) and not a.loaded
            yield a
            if transient:
                a.unload()


class _Replayable:
    """The (article, extras) pairs to index, produced while they are parsed, with a known length.

    Iterating again replays what was produced (the index may retry an update in memory).
    """

    def __init__(self, items: Iterator, length: int):
        self._items = items
        self._seen: list = []
        self._length = length

    def __len__(self) -> int:
        return self._length

    def __iter__(self):
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
        self._index = None
        self._state: _State | None = None
        self._analysis = None
        self._analysis_lock = threading.Lock()
        self._comparison = None
        self._comparison_lock = threading.Lock()

    # ---- opening ---------------------------------------------------------------------------
    def open(self, rebuild: bool = False, progress: Callable[[str, int, int], None] | None = None) -> OpenReport:
        """Load, parse what changed, update the index. Raises CorpusError for an unusable dir."""
        from briefing.index.search.passages import PassageIndex

        report = OpenReport()
        self.manifest, warnings = load_manifest(self.root)
        report.messages.extend(warnings)
        files, skipped = scan(self.root)
        report.skipped.extend(skipped)

        writable = self._prepare_cache_dir(report)
        state = _State(self.index_dir / "articles.sqlite3" if writable else Path(":memory:"))
        self._index = PassageIndex((self.index_dir if writable else _temp_index_dir()) / "whoosh")
        message = self._index.open()
        if message and message != "search index created":
            report.messages.append(message)
        if rebuild:
            _note(report, self._index.recreate())
        if self._index.is_empty:
            state.clear()

        manifest_sig = _manifest_signature(self.root)
        if state.meta("manifest") != manifest_sig:
            state.clear()  # outlets and titles from the manifest are stored in every passage
            state.set_meta("manifest", manifest_sig)
        known = state.rows()
        if not known and not self._index.is_empty:
            # Nothing cached: every article is parsed and indexed again, so start from an empty
            # index (one fresh build instead of a delete and an add per article).
            _note(report, self._index.recreate())

        current: dict[str, Article] = {}
        to_parse: list[CorpusFile] = []
        for f in files:
            row = known.get(f.id)
            if row and row[0] == f.path.name and row[1] == f.mtime_ns and row[2] == f.size:
                current[f.id] = _LazyArticle(f.id, row, str(f.path), state, self.manifest)
            else:
                to_parse.append(f)
        file_ids = {f.id for f in files}
        removed = [i for i in known if i not in file_ids]

        changed: list[tuple[CorpusFile, Article, str | None]] = []
        touched: list[CorpusFile] = []
        total = len(to_parse)

        def parsed() -> Iterator[tuple[Article, dict]]:
            """Parse, compare with the cache, extract quotes: one article at a time, for the writer."""
            for i, f in enumerate(to_parse, 1):
                if progress and (i % 25 == 0 or i == total):
                    progress("parse", i, total)
                try:
                    article, sha = parse_file(f, self.manifest)
                except Unreadable as exc:
                    report.skipped.append(Skipped(f.path.name, str(exc)))
                    continue
                except Exception as exc:  # noqa: BLE001 - one bad article never stops the briefing
                    log.exception("cannot parse %s", f.path)
                    report.skipped.append(Skipped(f.path.name, f"could not be parsed ({type(exc).__name__}: {exc})"))
                    continue
                current[f.id] = article
                row = known.get(f.id)
                if row and row[3] == sha and state.article_json(f.id) == json.dumps(article.to_json(), ensure_ascii=False):
                    touched.append(f)  # same bytes, new mtime: nothing to re-index
                    continue
                extras, record = self._extras(article)
                changed.append((f, article, record))
                yield article, extras

        _note(report, self._index.update(
            _Replayable(parsed(), total),
            removed,
            progress=(lambda n: progress("index", min(n, total), total)) if progress else None,
            procs=min(2, os.cpu_count() or 1),
        ))
        # Known articles that can no longer be read leave the index too.
        unreadable = [i for i in known if i in file_ids and i not in current]
        if unreadable:
            _note(report, self._index.update([], unreadable))
        removed += unreadable
        try:
            state.put(changed)
            state.touch(touched)
            state.delete(removed)
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
        self.report = report
        return report

    def _extras(self, article: Article) -> tuple[dict, str | None]:
        """Who is quoted in each paragraph (the `speaker:` and `side:` fields) and the article's
        quote record for the analysis; ({}, None) if extraction fails."""
        from briefing.index.analysis import extras_from_quotes
        from briefing.index.quotes.records import to_record
        from briefing.index.quotes.extract import read_article

        try:
            pairs = read_article(article, self.manifest)[0]
            return extras_from_quotes((q for q, _ in pairs), self.manifest), to_record(pairs)
        except ImportError:
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

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
        if self._state is not None:
            self._state.close()  # a lazy article read later reopens it

    # ---- questions -------------------------------------------------------------------------
    @property
    def title(self) -> str:
        return self.manifest.title or self.root.name

    def article(self, article_id: str) -> Article:
        try:
            return self._by_id[article_id]
        except KeyError:
            raise KeyError(f"unknown source '{article_id}'") from None

    def find_article(self, ref: str) -> Article:
        """An article by id, by unique id prefix, or by 1-based position in the source list."""
        if ref in self._by_id:
            return self._by_id[ref]
        matches = [a for a in self.articles if a.id.startswith(ref)]
        if len(matches) == 1:
            return matches[0]
        if ref.isdigit() and 1 <= int(ref) <= len(self.articles) and not matches:
            return self.articles[int(ref) - 1]
        if len(matches) > 1:
            raise KeyError(f"source '{ref}' is ambiguous: " + ", ".join(a.id for a in matches[:5]))
        raise KeyError(f"unknown source '{ref}' (try `briefing sources`)")

    def search(self, query: str, limit: int = 20, source: str | None = None) -> SearchResult:
        return self._index.search(query, limit=limit, source=source)

    def analysis(self):
        """Quotes, speakers, groups and positions: computed once, on first use."""
        with self._analysis_lock:
            if self._analysis is None:
                from briefing.index.analysis import analyse

                read = _CachedQuotes(self._state, self.manifest)
                self._analysis = analyse(_OneAtATime(self.articles), self.manifest, read)
                read.flush()
            return self._analysis

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


class _CachedQuotes:
    """The analysis' reader of one article's quotations: the record cached at index time, else
    extraction now (that record is then saved for the next start)."""

    def __init__(self, state: _State | None, manifest: Manifest):
        self.state = state
        self.manifest = manifest
        self.fresh: list[tuple[str, str, str]] = []

    def __call__(self, article: Article) -> list:
        from briefing.index.quotes.records import from_record, to_record
        from briefing.index.quotes.extract import read_article

        record = self.state.quotes_record(article.id, article.sha256) if self.state is not None else None
        if record is not None:
            try:
                return from_record(record, article.id, article.outlet)
            except ValueError:
                log.warning("quote record of %s is damaged: extracted again", article.id)
        pairs = read_article(article, self.manifest)[0]
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


def _note(report: OpenReport, message: str | None) -> None:
    if message:
        report.messages.append(message)


def _manifest_signature(root: Path) -> str:
    import hashlib

    try:
        return hashlib.sha256((root / locations.MANIFEST_NAME).read_bytes()).hexdigest()
    except OSError:
        return "none"


def _temp_index_dir() -> Path:
    """A session-only index when the cache dir cannot be written; removed when the process ends."""
    import atexit
    import shutil
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="briefing-index-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path
