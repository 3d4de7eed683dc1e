"""`briefing add PATH|URL…`: bring articles into a corpus, then index them.

A path is copied; a URL is fetched (http/https only, with a timeout and the same size limit as
any corpus file) and saved as it came, bytes unchanged. Each file is read as an article before
it joins the corpus: one that cannot be read is not added, and the reason is printed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from briefing.tui.cli import output
from briefing.tui.cli.output import EXIT_ERROR, CliError, get_console, print_json, text

DEFAULT_TIMEOUT = 20.0
_CONTENT_TYPES = {
    "text/html": ".html", "application/xhtml+xml": ".html",
    "application/rss+xml": ".rss", "application/atom+xml": ".atom",
    "application/xml": ".xml", "text/xml": ".xml", "application/rdf+xml": ".xml",
    "text/markdown": ".md", "text/x-markdown": ".md", "text/plain": ".txt",
}
_UNSAFE = re.compile(r"[^A-Za-z0-9._\-]+")


@dataclass(slots=True)
class Added:
    source: str
    file: str | None = None
    articles: list[str] = field(default_factory=list)
    error: str | None = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "file": self.file, "articles": self.articles, "error": self.error, "note": self.note}


class AddError(Exception):
    """This source cannot be added; the message says why."""


def is_url(source: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*://", source))


def fetch(url: str, timeout: float, limit: int) -> tuple[bytes, str, str]:
    """The page's bytes as served, the file suffix its content type suggests, and its address
    after redirects."""
    import urllib.error
    import urllib.request

    from briefing import __version__

    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise AddError(f"only http:// and https:// addresses can be fetched, not {parts.scheme}://")
    class HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
        """Redirects are followed to http(s) addresses only (urllib would also follow ftp://)."""

        def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
            if urlsplit(newurl).scheme.lower() not in ("http", "https"):
                raise AddError(f"the server redirected to {urlsplit(newurl).scheme}://, which is not fetched")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    opener = urllib.request.build_opener(HttpOnlyRedirects())
    request = urllib.request.Request(url, headers={"User-Agent": f"briefing/{__version__}", "Accept": "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, text/plain;q=0.8, */*;q=0.5"})
    try:
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise AddError(_too_large(int(length), limit))
            chunks: list[bytes] = []
            size = 0
            while size <= limit:
                chunk = response.read(min(1 << 16, limit + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            if size > limit:
                raise AddError(_too_large(size, limit, at_least=True))
            kind = (response.headers.get_content_type() or "").lower()
            final = str(response.geturl() or url)
    except urllib.error.HTTPError as exc:
        raise AddError(f"the server answered {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise AddError(f"no answer within {timeout:g} s (use --timeout to wait longer)") from None
        raise AddError(f"cannot fetch it: {reason}") from None
    except TimeoutError:
        raise AddError(f"no answer within {timeout:g} s (use --timeout to wait longer)") from None
    except (OSError, ValueError) as exc:
        raise AddError(f"cannot fetch it: {exc}") from None
    return b"".join(chunks), _CONTENT_TYPES.get(kind, ""), final


def _too_large(size: int, limit: int, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return f"too large ({more}{size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:g} MB)"


def name_for_url(url: str, suffix: str) -> str:
    """A file name for a fetched page: the last part of its path (else its host), made safe, with
    the extension of what was served ("story.php" served as HTML is saved as story-php.html)."""
    from briefing.index.corpus.scan import ARTICLE_SUFFIXES

    parts = urlsplit(url)
    segments = [s for s in unquote(parts.path).split("/") if s]
    base = segments[-1] if segments else (parts.hostname or "page")
    stem, ext = os.path.splitext(base)
    if ext.lower() not in ARTICLE_SUFFIXES or not segments:
        stem, ext = base, suffix or ".html"
    elif suffix and ARTICLE_SUFFIXES[ext.lower()] != ARTICLE_SUFFIXES[suffix] and ext.lower() != ".txt":
        ext = suffix
    return safe_name(stem) + ext.lower()


def safe_name(stem: str) -> str:
    cleaned = _UNSAFE.sub("-", stem.replace(".", "-")).strip("-")[:80]
    return cleaned or "article"


def free_name(root: Path, name: str) -> str:
    """`name`, or `name-2`…: no file of the corpus has that name or that id (stem)."""
    from briefing.index.corpus.scan import ARTICLE_SUFFIXES

    stem, ext = os.path.splitext(name)
    taken = {os.path.splitext(n)[0] for n in os.listdir(root) if os.path.splitext(n)[1].lower() in ARTICLE_SUFFIXES}
    taken |= set(os.listdir(root))
    candidate, n = stem, 1
    while candidate in taken or candidate + ext in taken:
        n += 1
        candidate = f"{stem}-{n}"
    return candidate + ext


def same_file_in(root: Path, data: bytes) -> str | None:
    """The corpus file that already holds exactly these bytes, if any (by size first)."""
    digest = hashlib.sha256(data).digest()
    try:
        entries = list(os.scandir(root))
    except OSError:
        return None
    for entry in entries:
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat().st_size == len(data):
                if hashlib.sha256(Path(entry.path).read_bytes()).digest() == digest:
                    return entry.name
        except OSError:
            continue
    return None


def add_one(root: Path, source: str, timeout: float) -> Added:
    from briefing.index.corpus.reading import MAX_BYTES, Unreadable, read_bytes
    from briefing.index.corpus.scan import ARTICLE_SUFFIXES, CorpusFile, parse_articles
    from briefing.index.model import Manifest
    from briefing.index.text import display_name

    result = Added(display_name(source))
    try:
        if is_url(source):
            data, suffix, final = fetch(source, timeout, MAX_BYTES)
            name = name_for_url(final, suffix)
        else:
            path = Path(source).expanduser()
            if not os.path.lexists(path):
                raise AddError("no such file")
            if path.is_dir():
                raise AddError("is a directory: name the files to add (e.g. DIR/*.html)")
            try:
                data = read_bytes(path)
            except Unreadable as exc:
                raise AddError(str(exc)) from None
            stem, ext = os.path.splitext(path.name)
            if ext.lower() not in ARTICLE_SUFFIXES:
                known = ", ".join(sorted(ARTICLE_SUFFIXES))
                raise AddError(f"not an article file (briefing reads {known})")
            name = safe_name(stem) + ext.lower()
        existing = same_file_in(root, data)
        if existing:
            result.file = display_name(existing)
            result.note = f"already in the corpus as {display_name(existing)}"
            return result
        name = free_name(root, name)
        fd, tmp_name = tempfile.mkstemp(prefix=".adding-", suffix=os.path.splitext(name)[1], dir=root)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            st = tmp.stat()
            probe = CorpusFile(Path(name).stem, tmp, st.st_mtime_ns, st.st_size, ARTICLE_SUFFIXES[Path(name).suffix.lower()])
            try:
                parse_articles(probe, Manifest())  # it must read as an article before it joins
            except Unreadable as exc:
                raise AddError(f"not added: {exc}") from None
            name = _place(tmp, root, name)
        finally:
            tmp.unlink(missing_ok=True)
        result.file = display_name(name)
    except AddError as exc:
        result.error = str(exc)
    return result


def _place(tmp: Path, root: Path, name: str) -> str:
    """Give the checked file its name without ever replacing a file another process just made."""
    for _ in range(100):
        try:
            os.link(tmp, root / name)  # fails if the name was taken meanwhile
            return name
        except FileExistsError:
            name = free_name(root, name)
        except OSError:  # a file system without hard links
            if not (root / name).exists():
                os.replace(tmp, root / name)
                return name
            name = free_name(root, name)
    raise AddError("no free file name found in the corpus")


def corpus_to_add_to(args: argparse.Namespace) -> Path:
    from briefing.index import locations

    chosen = getattr(args, "corpus", None) or os.environ.get("BRIEFING_CORPUS")
    if not chosen:
        raise CliError(
            "say which corpus to add to: --corpus DIR (or set $BRIEFING_CORPUS); "
            "the bundled briefing is not changed"
        )
    root = locations.corpus_dir(chosen)
    if root == locations.BUNDLED_CORPUS.resolve():
        raise CliError("the bundled briefing is not changed: add to a corpus of your own with --corpus DIR")
    if root.exists() and not root.is_dir():
        raise CliError(f"corpus is not a directory: {root}")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"cannot create the corpus directory {root}: {exc.strerror or exc}") from None
    return root


def cmd_add(args: argparse.Namespace) -> int:
    root = corpus_to_add_to(args)
    args.corpus = str(root)
    results = [add_one(root, source, args.timeout) for source in args.sources]
    briefing = output.open_briefing(args) if any(r.file for r in results) else None
    if briefing is not None:
        by_file: dict[str, list[str]] = {}
        for article in briefing.articles:
            by_file.setdefault(Path(article.path).name, []).append(article.id)
        for r in results:
            if r.file:
                r.articles = by_file.get(r.file, [])
    if getattr(args, "json", False):
        print_json([r.to_json() for r in results])
    else:
        _print_results(results, briefing)
    return EXIT_ERROR if any(r.error for r in results) else 0


def _print_results(results: list[Added], briefing: Any) -> None:
    out, err = get_console(), get_console(stderr=True)
    for r in results:
        # One line each, whatever the width, so scripts can grep them.
        if r.error:
            err.print(text(f"briefing: cannot add {r.source}: {r.error}", "red"), soft_wrap=True)
        elif r.note:
            out.print(text(f"{r.source}: {r.note}", "yellow"), soft_wrap=True)
        else:
            out.print(text(f"added {r.source} as {r.file}", "green"), soft_wrap=True)
        if briefing is not None:
            for article_id in r.articles:
                a = briefing.article(article_id)
                facts = " · ".join(x for x in (a.outlet, a.byline and f"by {a.byline}", a.date) if x) or "no outlet, byline or date found"
                line = text(f"  {a.id}  ", "bold")
                line.append(text(a.title))
                line.append(text(f"  ({facts})", "dim"))
                out.print(line, soft_wrap=True)


def register(sub: argparse._SubParsersAction[Any], add_common: Callable[..., None]) -> None:
    p = sub.add_parser(
        "add", help="copy files or fetch web pages into the corpus, and index them",
        description="Copy article files (.txt, .html, .md, RSS/Atom feeds) or fetch web pages into the corpus, then index them.",
    )
    p.add_argument("sources", nargs="+", metavar="PATH|URL", help="a file to copy, or an http(s) address to fetch")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help=f"seconds to wait for a web page (default {DEFAULT_TIMEOUT:g})")
    add_common(p)
    p.set_defaults(func=cmd_add)
