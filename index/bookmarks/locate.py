"""Which bookmark store belongs to a briefing: by its articles' content, the path only a hint.

A store's file is named after the corpus directory it was made for (locations.bookmarks_path),
and it records inside itself (its `briefing` table) what it belongs to:

* `identity`: a random id given when the store is first tied to a briefing (the JSON export's
  `urn:briefing:<identity>`);
* `corpus`: the directory it was last opened from;
* `fingerprint`: the first 16 hex digits of the sha256 of each of the briefing's articles.

Opening the bookmarks of a briefing (`open_store`):

1. the store at the path's name is used if it belongs: its fingerprint (or, for a store made
   before fingerprints, its bookmarks' article hashes) shares at least half with the briefing,
   or its bookmarks' texts are still found in their articles, or it holds nothing to judge by;
2. otherwise every other store in the bookmarks directory is weighed the same way. One that
   belongs is the briefing's: if the directory it last saw is gone, the briefing was moved and
   the store is used (and told its new place); if that directory is still there, the briefing
   was copied and the store is copied, so the two keep their own. Both are said.
3. nothing belongs: a new store. If one was at the path's name, it is left exactly as it is
   (another briefing's bookmarks) and a new file beside it is used; that is said too.

A store that cannot be read at all is opened at its name as before (BookmarkStore.open moves a
damaged file aside, never overwrites it).
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote as url_quote

from briefing.index import locations
from briefing.index.bookmarks.store import BookmarkStore, StoreError
from briefing.index.model import Article
from briefing.index.text import display_name

FINGERPRINT_CHARS = 16
SAME_BRIEFING = 0.5  # share of fingerprints (or bookmarks) that makes a store this briefing's
_MAX_ROWS = 5000  # bookmarks read to judge a store without a fingerprint


@dataclass(slots=True)
class Located:
    """The briefing's store and what happened while finding it (one line each, for a person)."""

    store: BookmarkStore
    messages: list[str] = field(default_factory=list)  # moved, copied, another briefing's store
    path: Path | None = None
    warning: str | None = None  # BookmarkStore.open's (damaged file moved aside, cannot save)


@dataclass(slots=True)
class _Peek:
    meta: dict[str, str]
    rows: list[tuple[str, str, str]]  # (source, sha256, text) of its bookmarks
    count: int

    @property
    def recorded(self) -> set[str]:
        try:
            value = json.loads(self.meta.get("fingerprint", "[]"))
        except ValueError:
            value = []
        if isinstance(value, list) and value:
            return {str(v) for v in value}
        return {sha[:FINGERPRINT_CHARS] for _s, sha, _t in self.rows if sha}


def fingerprint(articles: Mapping[str, Article]) -> set[str]:
    return {a.sha256[:FINGERPRINT_CHARS] for a in articles.values() if a.sha256}


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _peek(path: Path) -> _Peek | None:
    """What a store says about itself, read without writing; None if it is not a readable store."""
    try:
        conn = sqlite3.connect("file:" + url_quote(str(path.resolve())) + "?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return None
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "bookmarks" not in tables:
            return None
        meta: dict[str, str] = {}
        if "briefing" in tables:
            meta = {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM briefing")}
        count = int(conn.execute("SELECT count(*) FROM bookmarks").fetchone()[0])
        rows = [
            (str(s), str(h), str(t))
            for s, h, t in conn.execute(f"SELECT source, sha256, text FROM bookmarks LIMIT {_MAX_ROWS}")
        ]
        return _Peek(meta, rows, count)
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _belongs(peek: _Peek, current: set[str], articles: Mapping[str, Article]) -> bool | None:
    """True: the store is this briefing's; False: another's; None: nothing to judge by (empty)."""
    recorded = peek.recorded
    if not peek.count or (not recorded and not peek.rows):
        return None  # an empty store: nothing to inherit, nothing to keep apart
    if _overlap(recorded, current) >= SAME_BRIEFING:
        return True
    if peek.rows:  # every article edited since? the bookmarked words are still in their articles
        found = 0
        for source, _sha, text in peek.rows:
            article = articles.get(source)
            if article is not None and text and any(text in p.text for p in article.paragraphs):
                found += 1
        if found / len(peek.rows) >= SAME_BRIEFING:
            return True
    return False


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of a store (SQLite's backup: the WAL's committed pages included)."""
    src = sqlite3.connect("file:" + url_quote(str(source.resolve())) + "?mode=ro", uri=True, timeout=10)
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _fresh_name(hint: Path) -> Path:
    while True:
        candidate = hint.with_name(f"{hint.stem}-{secrets.token_hex(4)}{hint.suffix}")
        if not candidate.exists():
            return candidate


def _record(store: BookmarkStore, corpus: Path, current: set[str], *, new_identity: bool = False) -> None:
    try:
        meta = store.meta()
        values: dict[str, str] = {}
        if new_identity or not meta.get("identity"):
            values["identity"] = secrets.token_hex(16)
        if meta.get("corpus") != str(corpus):
            values["corpus"] = str(corpus)
        try:
            recorded = set(json.loads(meta.get("fingerprint", "[]")))
        except ValueError:
            recorded = set()
        if recorded != current:
            values["fingerprint"] = json.dumps(sorted(current))
        if values:
            store.set_meta(values)
    except StoreError:
        pass  # a store that cannot be written still opens; it is found by its bookmarks instead


def _plural(n: int) -> str:
    return f"{n} bookmark{'s' if n != 1 else ''}"


def open_store(corpus: Path, articles: Mapping[str, Article], hint: Path | None = None) -> Located:
    """The bookmark store of the briefing at `corpus` whose articles are `articles`."""
    corpus = Path(corpus)
    hint = hint or locations.bookmarks_path(corpus)
    current = fingerprint(articles)
    messages: list[str] = []

    def opened(path: Path, *, new_identity: bool = False) -> Located:
        store, warning = BookmarkStore.open(path)
        if current:
            _record(store, corpus, current, new_identity=new_identity)
        return Located(store, messages, path, None if warning is None else str(warning))

    if not current or not hint.parent.is_dir():
        return opened(hint)
    foreign: Path | None = None
    if hint.exists():
        peek = _peek(hint)
        if peek is None:  # damaged or unreadable: BookmarkStore.open says so and keeps it safe
            return opened(hint)
        if _belongs(peek, current, articles) is not False:
            return opened(hint)
        foreign = hint

    best: tuple[int, float, Path, _Peek] | None = None
    for path in sorted(hint.parent.glob(f"*{hint.suffix}")):
        if path == hint or not path.is_file():
            continue
        peek = _peek(path)
        if peek is None or not peek.count or not _belongs(peek, current, articles):
            continue
        here = 1 if peek.meta.get("corpus") == str(corpus) else 0
        key = (here, _overlap(peek.recorded, current), path, peek)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is not None:
        _here, _score, found, peek = best
        last = peek.meta.get("corpus")
        if last == str(corpus):
            return opened(found)
        if last and Path(last) != corpus and not Path(last).is_dir():
            messages.append(
                f"this briefing was moved from {display_name(last)} to {display_name(str(corpus))}: its {_plural(peek.count)} came with it ({found})"
            )
            return opened(found)
        target = hint if foreign is None and not hint.exists() else _fresh_name(hint)
        try:
            _copy(found, target)
        except (sqlite3.Error, OSError) as exc:
            messages.append(f"the bookmarks of this briefing are in {found} but could not be copied to {target} ({exc}): they are used in place")
            return opened(found)
        origin = f"the one at {display_name(last)}" if last else f"the briefing whose bookmarks are in {found}"
        messages.append(
            f"this briefing is a copy of {origin}: its {_plural(peek.count)} were copied to {target};"
            " from now on each keeps its own"
        )
        return opened(target, new_identity=True)

    if foreign is None:
        return opened(hint)
    target = _fresh_name(hint)
    messages.append(
        f"the bookmarks kept for {display_name(str(corpus))} belong to another briefing that was there before; they are kept"
        f" untouched in {foreign}, and this briefing's are saved in {target}"
    )
    return opened(target)
