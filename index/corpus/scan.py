"""A corpus: a directory of articles and an optional manifest (briefing.toml).

Articles are text pastes (`.txt`), saved web pages (`.html`, `.htm`, also when misnamed `.txt`),
Markdown (`.md`) and RSS/Atom feed files (`.rss`, `.atom`, `.xml`: one article per entry). Every
other file is listed as skipped with the reason. An article's id is its file name without the
extension (a feed entry's: `stem-key`, see corpus.feeds).
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from briefing.index.corpus.cleaning import Document, clean_article
from briefing.index.corpus.manifest import load_manifest
from briefing.index.corpus.reading import Unreadable, read_text
from briefing.index.locations import MANIFEST_NAME
from briefing.index.model import Article, Manifest, Skipped
from briefing.index.text import display_name, has_name_controls

__all__ = [
    "ARTICLE_SUFFIXES", "Corpus", "CorpusError", "CorpusFile", "date_in_name", "empty_corpus_message",
    "load_corpus", "load_manifest", "normalise_date", "parse_articles", "parse_file", "Parsed", "scan",
]

# The file kinds a corpus may hold, by extension (a .txt holding a saved page is read as one).
# Order: when two files have the same name but for the extension, the first kind keeps the id.
ARTICLE_SUFFIXES: dict[str, str] = {
    ".txt": "text", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
}

log = logging.getLogger(__name__)


class CorpusError(Exception):
    """The corpus directory itself cannot be used."""


@dataclass(slots=True)
class CorpusFile:
    id: str  # the file stem: the article id (a feed's entries are `id-key`)
    path: Path
    mtime_ns: int
    size: int
    kind: str = "text"  # by extension: text, markdown, html, feed (the content may say otherwise)


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
    """The article files of a corpus, in id order, and the ones that cannot be part of it.

    Nothing is opened here: symbolic links are resolved and checked to stay inside the corpus,
    anything that is not a regular file (directory, FIFO, device, socket) is skipped, and so is
    a file of a kind briefing does not read (hidden files and the manifest are not articles).
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
        if entry.name.startswith(".") or entry.name == MANIFEST_NAME:
            continue
        suffix = os.path.splitext(entry.name)[1].lower()
        kind = ARTICLE_SUFFIXES.get(suffix)
        shown = display_name(entry.name)
        if kind is None:
            try:
                if entry.is_dir():
                    continue  # a folder (images/, an archive) is no file of the corpus
            except OSError:
                pass
            known = ", ".join(sorted(ARTICLE_SUFFIXES))
            skipped.append(Skipped(shown, f"not an article file (briefing reads {known})"))
            continue
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
        files.append(CorpusFile(Path(entry.name).stem, path, st.st_mtime_ns, st.st_size, kind))
    return _unique_ids(files, skipped), skipped


def _unique_ids(files: list[CorpusFile], skipped: list[Skipped]) -> list[CorpusFile]:
    """One file per id: of `talks.txt` and `talks.html`, the first kind in ARTICLE_SUFFIXES keeps
    the id (so a page saved beside a paste never takes the paste's id); the other is skipped."""
    order = list(ARTICLE_SUFFIXES)
    rank = {f.path.name: order.index(f.path.suffix.lower()) for f in files}
    kept: dict[str, CorpusFile] = {}
    for f in sorted(files, key=lambda f: (rank[f.path.name], f.path.name)):
        other = kept.get(f.id)
        if other is None:
            kept[f.id] = f
        else:
            skipped.append(Skipped(
                display_name(f.path.name),
                f"same name as {display_name(other.path.name)} but for the extension (an article is known by its "
                "name without the extension): rename one of them",
            ))
    return sorted(kept.values(), key=lambda f: f.path.name)


class Parsed(NamedTuple):
    """The articles of one file, the sha256 of its bytes, and what of it could not be read
    (a feed's entries without text: the file itself is read)."""

    articles: list[Article]
    sha256: str
    skipped: list[Skipped]


def parse_articles(file: CorpusFile, manifest: Manifest) -> Parsed:
    """Read and clean the articles of one file (a feed holds several; every other kind one).
    Raises Unreadable with the reason when the file gives no article."""
    text, raw = read_text(file.path)
    sha = hashlib.sha256(raw).hexdigest()
    kind = file_format(file, text)
    articles: list[Article] = []
    if kind == "feed":
        from briefing.index.corpus.feeds import extract_feed

        stem = file.path.stem
        shown = display_name(file.path.name)
        documents, empty = extract_feed(raw)
        skipped = [Skipped(f"{shown} ({entry})", "the feed entry has no text (neither content nor summary)") for entry in empty]
        for doc in documents:
            article = _article(doc, f"{stem}-{doc.key}", file, manifest, sha)
            if article.paragraphs:
                articles.append(article)
            else:
                skipped.append(Skipped(f"{shown} ({article.id})", "no article text found in the feed entry (only furniture or headings)"))
        if not articles:
            raise Unreadable("no article text found in the feed's entries")
        return Parsed(articles, sha, skipped)
    if kind == "html":
        from briefing.index.corpus.webpage import extract_page, page_text

        doc = extract_page(page_text(raw, text))
    elif kind == "markdown":
        from briefing.index.corpus.markdown_doc import extract_markdown

        doc = extract_markdown(text)
    else:
        from briefing.index.corpus.fields import split_header

        facts, body = split_header(text)
        doc = Document(body, title=facts.get("title"), byline=facts.get("byline"),
                       outlet=facts.get("outlet"), date=facts.get("date"))
    article = _article(doc, file.id, file, manifest, sha)
    if not article.paragraphs:
        raise Unreadable("no article text found (only page furniture or headings)")
    return Parsed([article], sha, [])


def parse_file(file: CorpusFile, manifest: Manifest) -> tuple[Article, str]:
    """Read and clean one article; returns it with the sha256 of its file's bytes. For a feed,
    `file.id` names the entry's article (`stem-key`). Raises Unreadable."""
    articles, sha, _ = parse_articles(file, manifest)
    for article in articles:
        if article.id == file.id:
            return article, sha
    if len(articles) == 1 and not articles[0].id.startswith(f"{file.path.stem}-"):
        return articles[0], sha
    raise Unreadable(f"the feed no longer has the entry {file.id}")


def _article(doc: Document, article_id: str, file: CorpusFile, manifest: Manifest, sha: str) -> Article:
    article = clean_article(doc.text, article_id, manifest.articles.get(article_id), found=doc)
    article.path = str(file.path)
    article.sha256 = sha
    # The manifest's date is kept as written; a date found in the text or metadata is made ISO,
    # and a date in the file name ("2022-01-10-talks.html") fills in when nothing else says one.
    if not (manifest.articles.get(article_id) or {}).get("date"):
        article.date = normalise_date(article.date) or date_in_name(file.path.name)
    return article


def file_format(file: CorpusFile, text: str) -> str:
    """The format to read a file as: what its content shows it is (a saved page or a feed in a
    .txt), else what its extension says. Raises Unreadable for an .xml that is no feed."""
    from briefing.index.corpus.feeds import looks_like_feed
    from briefing.index.corpus.webpage import has_markup, looks_like_html

    kind = ARTICLE_SUFFIXES.get(file.path.suffix.lower(), file.kind)
    if looks_like_feed(text):
        return "feed"
    if looks_like_html(text):
        return "html"
    if kind == "feed":
        raise Unreadable("XML that is not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> at its start)")
    if kind == "html" and not has_markup(text):
        return "text"  # a plain text saved with .html
    return kind


_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})[-_.](\d{2})[-_.](\d{2})(?!\d)")


def date_in_name(name: str) -> str | None:
    """An ISO date written in a file name ("2022-01-10_reuters.txt"), if it is a real date."""
    for m in _DATE_IN_NAME.finditer(name):
        try:
            return Date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            continue
    return None


def empty_corpus_message(root: Path) -> str:
    shown = display_name(str(root))
    kinds = ", ".join(sorted(ARTICLE_SUFFIXES))
    return (
        f"no articles in {shown}: add some with `briefing add FILE|URL --corpus {shown}`, "
        f"or copy article files ({kinds}) into the directory"
    )


_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d", "%B %d %Y", "%d %B, %Y")


def normalise_date(value: str | None) -> str | None:
    """ISO date where the text's date parses; the text as written where it does not."""
    if not value:
        return value
    cleaned = " ".join(value.replace("Sept", "Sep").split())
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ].*", cleaned):  # an ISO timestamp: its date
        cleaned = cleaned[:10]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date().isoformat()
        except ValueError:
            continue
    return value


def load_corpus(root: Path) -> Corpus:
    """Load every article without any cache (the engine adds caching on top)."""
    root = Path(root)
    manifest = load_manifest(root)
    files, skipped = scan(root)
    articles: list[Article] = []
    for file in files:
        try:
            found, _, not_read = parse_articles(file, manifest)
        except Unreadable as exc:
            skipped.append(Skipped(display_name(file.path.name), str(exc)))
            continue
        articles.extend(found)
        skipped.extend(not_read)
    articles.sort(key=lambda a: a.id)
    warnings = [str(p) for p in manifest.problems]
    if not articles:
        warnings.append(empty_corpus_message(root))
    return Corpus(root, manifest, articles, skipped, warnings)
