"""The one object the CLI and the TUI ask questions of: a briefing, loaded, analysed and indexed.

Opening is incremental: parsed articles are kept in a small SQLite cache beside the Whoosh index,
keyed by file size and mtime (and the content hash when those change), so an unchanged corpus is
neither re-read nor re-indexed, and a changed file updates only its own passages.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from index import locations
from index.corpus import Corpus, CorpusError, CorpusFile, load_manifest, parse_file, scan
from index.model import Article, Manifest, SearchResult, Skipped
from index.reading import Unreadable

log = logging.getLogger(__name__)

STATE_VERSION = 4  # bump when cleaning or the cached article shape changes


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
    """Parsed articles and file signatures, in SQLite (atomic commits; a damaged file is rebuilt)."""

    def __init__(self, path: Path):
        self.path = path
        self.db = self._connect()

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
                " size integer, sha256 text, article text)"
            )
            db.commit()
            return db
        except sqlite3.DatabaseError:
            self.path.unlink(missing_ok=True)
            return self._connect()

    def rows(self) -> dict[str, tuple]:
        return {r[0]: r[1:] for r in self.db.execute("select id, name, mtime_ns, size, sha256, article from files")}

    def put(self, items: list[tuple[CorpusFile, Article]]) -> None:
        with self.db:
            self.db.executemany(
                "insert or replace into files values (?, ?, ?, ?, ?, ?)",
                [
                    (f.id, f.path.name, f.mtime_ns, f.size, a.sha256, json.dumps(a.to_json(), ensure_ascii=False))
                    for f, a in items
                ],
            )

    def touch(self, items: list[CorpusFile]) -> None:
        with self.db:
            self.db.executemany("update files set mtime_ns=?, size=? where id=?", [(f.mtime_ns, f.size, f.id) for f in items])

    def delete(self, ids: list[str]) -> None:
        with self.db:
            self.db.executemany("delete from files where id=?", [(i,) for i in ids])

    def meta(self, key: str) -> str | None:
        row = self.db.execute("select value from meta where key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.db:
            self.db.execute("insert or replace into meta values (?, ?)", (key, value))

    def clear(self) -> None:
        with self.db:
            self.db.execute("delete from files")


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
        self._analysis = None
        self._analysis_lock = threading.Lock()

    # ---- opening ---------------------------------------------------------------------------
    def open(self, rebuild: bool = False, progress: Callable[[str, int, int], None] | None = None) -> OpenReport:
        """Load, parse what changed, update the index. Raises CorpusError for an unusable dir."""
        from index.search_index import PassageIndex

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
            self._index.recreate()
        if self._index.is_empty:
            state.clear()

        manifest_sig = _manifest_signature(self.root)
        if state.meta("manifest") != manifest_sig:
            state.clear()  # outlets and titles from the manifest are stored in every passage
            state.set_meta("manifest", manifest_sig)
        known = state.rows()
        current: dict[str, Article] = {}
        to_parse: list[CorpusFile] = []
        touched: list[CorpusFile] = []
        for f in files:
            row = known.get(f.id)
            if row and row[0] == f.path.name and row[1] == f.mtime_ns and row[2] == f.size:
                current[f.id] = Article.from_json(json.loads(row[4]), str(f.path), row[3])
            else:
                to_parse.append(f)
        changed: list[tuple[CorpusFile, Article]] = []
        for i, f in enumerate(to_parse, 1):
            try:
                article, sha = parse_file(f, self.manifest)
            except Unreadable as exc:
                report.skipped.append(Skipped(f.path.name, str(exc)))
                continue
            except Exception as exc:  # noqa: BLE001 - one bad article never stops the briefing
                log.exception("cannot parse %s", f.path)
                report.skipped.append(Skipped(f.path.name, f"could not be parsed ({type(exc).__name__}: {exc})"))
                continue
            row = known.get(f.id)
            article_sig = json.dumps(article.to_json(), ensure_ascii=False)
            if row and row[3] == sha and row[4] == article_sig:
                touched.append(f)  # same bytes, new mtime: nothing to re-index
            else:
                changed.append((f, article))
            current[f.id] = article
            if progress and i % 25 == 0:
                progress("parse", i, len(to_parse))
        removed = [i for i in known if i not in current]

        from index.analysis import passage_extras

        extras = passage_extras([a for _, a in changed], self.manifest)
        self._index.update(
            [(a, extras.get(a.id, {})) for _, a in changed],
            removed,
            progress=(lambda n: progress("index", n, len(changed))) if progress else None,
            procs=min(2, os.cpu_count() or 1),
        )
        state.put(changed)
        state.touch(touched)
        state.delete(removed)

        self.articles = sorted(current.values(), key=lambda a: a.id)
        self._by_id = {a.id: a for a in self.articles}
        self._analysis = None
        report.articles = len(self.articles)
        report.passages = self._index.passage_count()
        report.parsed = len(changed)
        report.reused = len(self.articles) - len(changed)
        report.removed = len(removed)
        self.report = report
        return report

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
                from index.analysis import analyse

                self._analysis = analyse(self.articles, self.manifest)
            return self._analysis


def _manifest_signature(root: Path) -> str:
    import hashlib

    try:
        return hashlib.sha256((root / locations.MANIFEST_NAME).read_bytes()).hexdigest()
    except OSError:
        return "none"


def _temp_index_dir() -> Path:
    import tempfile

    return Path(tempfile.mkdtemp(prefix="briefing-index-"))
