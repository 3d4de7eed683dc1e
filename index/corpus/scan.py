"""A corpus: a directory of `.txt` articles and an optional manifest (briefing.toml)."""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from briefing.index.corpus.cleaning import clean_article
from briefing.index.text import display_name, has_name_controls, sanitize
from briefing.index.locations import MANIFEST_NAME
from briefing.index.model import Article, Issue, Manifest, Side, Skipped
from briefing.index.corpus.reading import Unreadable, read_text

log = logging.getLogger(__name__)


class CorpusError(Exception):
    """The corpus directory itself cannot be used."""


@dataclass(slots=True)
class CorpusFile:
    id: str
    path: Path
    mtime_ns: int
    size: int


@dataclass(slots=True)
class Corpus:
    root: Path
    manifest: Manifest
    articles: list[Article]
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.manifest.title or self.root.name

    def by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}


def _name_problem(name: str) -> str | None:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8: rename the file to read it"
    if has_name_controls(name):
        return "file name contains control characters: rename the file to read it"
    return None


def scan(root: Path) -> tuple[list[CorpusFile], list[Skipped]]:
    """The `.txt` files of a corpus, in name order, and the ones that cannot be part of it.

    Nothing is opened here: symbolic links are resolved and checked to stay inside the corpus,
    and anything that is not a regular file (directory, FIFO, device, socket) is skipped.
    """
    if not root.exists():
        raise CorpusError(f"corpus directory not found: {root}")
    if not root.is_dir():
        raise CorpusError(f"corpus is not a directory: {root}")
    try:
        with os.scandir(root) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        raise CorpusError(f"cannot list corpus directory {root}: {exc.strerror or exc}") from None
    real_root = Path(os.path.realpath(root))
    files: list[CorpusFile] = []
    skipped: list[Skipped] = []
    for entry in entries:
        if not entry.name.lower().endswith(".txt") or entry.name.startswith("."):
            continue
        shown = display_name(entry.name)
        problem = _name_problem(entry.name)
        if problem:
            skipped.append(Skipped(shown, problem))
            continue
        path = Path(entry.path)
        try:
            if entry.is_symlink():
                try:
                    target = Path(os.path.realpath(path, strict=True))
                except FileNotFoundError:
                    skipped.append(Skipped(shown, "broken symbolic link (its target does not exist)"))
                    continue
                except OSError as exc:
                    if exc.errno == errno.ELOOP:
                        skipped.append(Skipped(shown, "symbolic link loop (it points back to itself)"))
                    else:
                        skipped.append(Skipped(shown, f"symbolic link cannot be followed: {exc.strerror or exc}"))
                    continue
                if real_root not in target.parents:
                    skipped.append(Skipped(shown, "symbolic link to a file outside the corpus"))
                    continue
            if not entry.is_file():
                skipped.append(Skipped(shown, "not a regular file"))
                continue
            st = entry.stat()
        except OSError as exc:
            skipped.append(Skipped(shown, f"cannot be read: {exc.strerror or exc}"))
            continue
        files.append(CorpusFile(Path(entry.name).stem, path, st.st_mtime_ns, st.st_size))
    return files, skipped


def load_manifest(root: Path) -> tuple[Manifest, list[str]]:
    path = root / MANIFEST_NAME
    if not path.exists():
        return Manifest(), []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Manifest(), [f"{MANIFEST_NAME} ignored: {exc}"]
    warnings: list[str] = []
    try:
        sides = [
            Side(_s(s["id"]), _s(s.get("label", s["id"])), tuple(_s(c) for c in s.get("cues", ())))
            for s in data.get("sides", [])
        ]
        issues = [
            Issue(_s(i["id"]), _s(i.get("label", i["id"])), _s(i.get("description", "")), _s(i["query"]))
            for i in data.get("issues", [])
        ]
        people = {_s(k): _s(v) for k, v in (data.get("people") or {}).items()}
        articles = {_s(a["id"]): {k: _s(v) for k, v in a.items() if k != "id"} for a in data.get("articles", [])}
    except (KeyError, TypeError, AttributeError) as exc:
        return Manifest(title=_str_or_none(data.get("title"))), [f"{MANIFEST_NAME}: malformed entry ({exc}); sides, issues and article facts ignored"]
    return Manifest(_str_or_none(data.get("title")), sides, people, issues, articles), warnings


def _s(value: object) -> str:
    """A manifest string as shown: no escape sequences or control characters, one line."""
    return " ".join(sanitize(str(value)).split())


def _str_or_none(value: object) -> str | None:
    return _s(value) if value is not None else None


def parse_file(file: CorpusFile, manifest: Manifest) -> tuple[Article, str]:
    """Read and clean one article; returns it with the sha256 of its bytes. Raises Unreadable."""
    text, raw = read_text(file.path)
    sha = hashlib.sha256(raw).hexdigest()
    article = clean_article(text, file.id, manifest.articles.get(file.id))
    if not article.paragraphs:
        raise Unreadable("no article text found (only page furniture or headings)")
    article.path = str(file.path)
    article.sha256 = sha
    article.date = normalise_date(article.date)
    return article, sha


_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d")


def normalise_date(value: str | None) -> str | None:
    """ISO date where the text's date parses; the text as written where it does not."""
    if not value:
        return value
    cleaned = " ".join(value.replace("Sept", "Sep").split())
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date().isoformat()
        except ValueError:
            continue
    return value


def load_corpus(root: Path) -> Corpus:
    """Load every article without any cache (the engine adds caching on top)."""
    root = Path(root)
    manifest, warnings = load_manifest(root)
    files, skipped = scan(root)
    articles: list[Article] = []
    for file in files:
        try:
            article, _ = parse_file(file, manifest)
        except Unreadable as exc:
            skipped.append(Skipped(file.path.name, str(exc)))
            continue
        articles.append(article)
    return Corpus(root, manifest, articles, skipped, warnings)
