"""`briefing bookmarks`: list, add, remove and export bookmarked passages.

    briefing bookmarks [list] [--json]
    briefing bookmarks add SOURCE --paragraph N [--text EXACT] [--note TEXT] [--tag T ...]
    briefing bookmarks remove ID
    briefing bookmarks export [--format md|json] [-o FILE]

Bookmarks live in a per-briefing SQLite store under the user data dir (briefing.index.bookmarks.store). Every
string from an article or a user is shown as `Text` with control characters neutralised, never
as markup. Errors: one line on stderr, non-zero exit.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable

from briefing.index.atomic import write_output
from briefing.index.bookmarks.store import AnchoredBookmark, BookmarkError, BookmarkStore, find_span
from briefing.index.bookmarks.anchoring import AnchorError
from briefing.tui.bookmarks import shorten
from briefing.tui.bookmarks import where
from briefing.index.model import Article
from briefing.index.text import display_safe
from briefing.tui.cli import output
from briefing.tui.cli.output import get_console, print_json, text

EXIT_ERROR = 1
STATE_STYLES = {"anchored": "green", "moved": "cyan", "changed": "yellow", "orphaned": "red"}
PASSAGE_WIDTH = 140  # characters of a passage shown in the table


# ---- parser ----------------------------------------------------------------------------------


class _KeepOuterOptions(argparse._SubParsersAction):  # noqa: SLF001 - the documented `action=` hook
    """Let `bookmarks --corpus X add ...` keep X: argparse would otherwise overwrite options given
    before the action with the action parser's own defaults for the same options."""

    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[override]
        before = dict(vars(namespace))
        super().__call__(parser, namespace, values, option_string)
        chosen = self._name_parser_map.get(values[0]) if values else None
        if chosen is None:
            return
        for key, old in before.items():
            new = getattr(namespace, key, None)
            if new != old and new == chosen.get_default(key):
                setattr(namespace, key, old)


def _adder(common: Any) -> Callable[[argparse.ArgumentParser], None]:
    """`common` is either the CLI's `_add_common(parser)` function or a parent parser."""
    if isinstance(common, argparse.ArgumentParser):

        def add(parser: argparse.ArgumentParser) -> None:
            for action in common._actions:  # noqa: SLF001 - copy a parent's options onto a parser
                if isinstance(action, argparse._HelpAction):  # noqa: SLF001
                    continue
                if any(opt in parser._option_string_actions for opt in action.option_strings):  # noqa: SLF001
                    continue
                parser._add_action(action)  # noqa: SLF001

        return add
    return common


def register(subparsers, common) -> None:
    """Add `bookmarks` and its actions to the CLI's subparsers."""
    add_common = _adder(common)
    p = subparsers.add_parser(
        "bookmarks",
        help="list, add, remove and export bookmarked passages",
        description="Bookmarked passages, kept per briefing. With no action: list them.",
    )
    add_common(p)
    p.set_defaults(func=cmd_bookmarks, bookmarks_command=None)
    actions = p.add_subparsers(dest="bookmarks_command", metavar="ACTION", action=_KeepOuterOptions)

    lp = actions.add_parser("list", help="list bookmarks and whether each is still found (the default)")
    add_common(lp)

    ap = actions.add_parser(
        "add",
        help="bookmark a paragraph, or an exact text inside it",
        description="Bookmark paragraph N of SOURCE, or only the exact --text inside it.",
    )
    ap.add_argument("source", metavar="SOURCE", help="article id (file stem), a unique prefix of it, or its number in `sources`")
    ap.add_argument("--paragraph", "-p", type=int, required=True, metavar="N", help="paragraph number, as `briefing show` prints it")
    ap.add_argument("--text", metavar="EXACT", help="bookmark only this exact text, which must appear in the paragraph")
    ap.add_argument("--note", metavar="TEXT", default="", help="a note to keep with the bookmark")
    ap.add_argument("--tag", metavar="T", action="append", default=None, help="a tag (repeat for more)")
    add_common(ap)

    rp = actions.add_parser("remove", help="delete a bookmark", description="Delete the bookmark with this id.")
    rp.add_argument("id", metavar="ID", help="the bookmark's id, as `briefing bookmarks` lists it (or a unique prefix)")
    add_common(rp)

    ep = actions.add_parser(
        "export",
        help="write bookmarks as Markdown or as W3C Web Annotations (JSON)",
        description="Markdown: block quotes with citations, notes and tags. JSON: W3C Web Annotation objects.",
    )
    ep.add_argument("--format", "-f", choices=("md", "json"), default="md", help="md (default) or json")
    ep.add_argument("--tag", metavar="T", action="append", default=None,
                    help="only bookmarks with this tag (repeat for any of several)")
    ep.add_argument("--source", metavar="SOURCE", action="append", default=None,
                    help="only bookmarks in this source: id, unique prefix, number in `sources`, or outlet (repeat for several)")
    ep.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output (a regular file is replaced atomically; a link writes its target; a FIFO or device is written directly; - is standard output)")
    add_common(ep)


# ---- commands --------------------------------------------------------------------------------


def cmd_bookmarks(args: argparse.Namespace) -> int:
    """Entry point set as `func` by `register`: open the briefing, then run the action."""
    return run(args, output.open_briefing(args))


def run(args: argparse.Namespace, engine: Any) -> int:
    """Run a `bookmarks` action against an opened engine (anything with `.articles` and `.root`;
    `.find_article(ref)` is used when present)."""
    action = getattr(args, "bookmarks_command", None) or "list"
    store = open_store(engine.root, _articles(engine))
    try:
        return HANDLERS[action](args, engine, store)
    except Failure as exc:
        _err(str(exc), "red")
        return EXIT_ERROR
    finally:
        store.close()


def open_store(corpus_dir: Path, articles: dict[str, Article] | None = None) -> BookmarkStore:
    """The briefing's store, found by its articles (a moved or copied corpus keeps its bookmarks);
    what happened (moved, copied, damaged file moved aside, cannot save) goes to stderr."""
    from briefing.index.bookmarks.locate import open_store as locate

    located = locate(corpus_dir, articles or {})
    if located.warning is not None:
        _err(f"warning: {located.warning}", "yellow")
    for message in located.messages:
        _err(f"note: {message}", "yellow")
    return located.store


def list_bookmarks(args: argparse.Namespace, engine: Any, store: BookmarkStore) -> int:
    articles = _articles(engine)
    resolved = _resolve(store, articles)
    if getattr(args, "json", False):
        print_json([item.to_json() for item in resolved])
        return 0
    console = get_console()
    if not resolved:
        console.print(text("No bookmarks yet. Add one with: briefing bookmarks add SOURCE --paragraph N"))
        return 0
    from rich.table import Table

    table = Table(expand=False)
    for name in ("id", "state", "source", "¶", "passage", "note", "tags"):
        # an id, a state or a paragraph number is never broken across lines: ids stay copyable
        whole = name in ("id", "state", "¶")
        table.add_column(name, justify="right" if name == "¶" else "left", overflow="fold", no_wrap=whole)
    for item in resolved:
        bm = item.bookmark
        table.add_row(
            text(bm.id),
            text(item.state, STATE_STYLES.get(item.state, "")),
            text(bm.source),
            text(_where(item)),
            text(shorten(bm.text, PASSAGE_WIDTH), "dim" if item.orphaned else ""),
            text(bm.note),
            text(", ".join(bm.tags)),
        )
    console.print(table)
    counts = {state: sum(1 for r in resolved if r.state == state) for state in STATE_STYLES}
    summary = ", ".join(f"{n} {state}" for state, n in counts.items() if n)
    console.print(text(f"{len(resolved)} bookmark{'s' if len(resolved) != 1 else ''}: {summary}", "dim"))
    return 0


def add_bookmark(args: argparse.Namespace, engine: Any, store: BookmarkStore) -> int:
    article = _find_article(engine, args.source)
    n = args.paragraph
    if not 1 <= n <= len(article.paragraphs):
        raise _cli_error(f"{article.id} has no paragraph {n} (it has {len(article.paragraphs)})")
    start = end = None
    if args.text is not None:
        try:
            start, end = find_span(article, n, args.text)
        except AnchorError as exc:
            raise _cli_error(str(exc)) from None
    if not store.can_save:
        raise _cli_error(f"bookmark not saved: {store.warning or 'the bookmarks file cannot be written'}")
    try:
        bookmark = store.add(
            article.id,
            n,
            article,
            start=start,
            end=end,
            note=args.note or "",
            tags=tuple(args.tag or ()),
            kind="paragraph" if args.text is None else "selection",
        )
    except BookmarkError as exc:
        raise _cli_error(str(exc)) from None
    if getattr(args, "json", False):
        print_json(bookmark.to_json() | {"state": "anchored", "saved_paragraph": bookmark.paragraph})
        return 0
    line = text("Bookmarked ")
    line.append(text(f"{bookmark.source} ¶{bookmark.paragraph}", "bold"))
    line.append(text(f" as {bookmark.id}: "))
    line.append(text(shorten(bookmark.text, 80), "dim"))
    get_console().print(line)
    return 0


def remove_bookmark(args: argparse.Namespace, engine: Any, store: BookmarkStore) -> int:
    if not store.can_save:
        raise _cli_error(f"bookmark not removed: {store.warning or 'the bookmarks file cannot be written'}")
    bookmark_id = _resolve_id(store, args.id)
    try:
        removed = store.remove(bookmark_id)
    except BookmarkError as exc:
        raise _cli_error(str(exc)) from None
    if getattr(args, "json", False):
        print_json(removed.to_json())
        return 0
    get_console().print(text(f"Removed bookmark {removed.id} ({removed.source} ¶{removed.paragraph})"))
    return 0


def export_bookmarks(args: argparse.Namespace, engine: Any, store: BookmarkStore) -> int:
    articles = _articles(engine)
    resolved = _export_filter(args, list(articles.values()), _resolve(store, articles))
    if args.format == "json":
        payload = json.dumps(store.export_json(resolved, articles), ensure_ascii=False, indent=2) + "\n"
    else:
        payload = store.export_markdown(resolved, articles)
    if not args.output or args.output == "-":
        sys.stdout.write(payload)
        return 0
    target = Path(args.output).expanduser()
    try:
        write_output(target, payload.encode("utf-8"))
    except BrokenPipeError:
        raise _cli_error(f"cannot write {target}: its reader closed it before the export was written") from None
    except OSError as exc:
        raise _cli_error(f"cannot write {target}: {exc.strerror or exc}") from None
    _err(f"exported {len(resolved)} bookmark{'s' if len(resolved) != 1 else ''} to {target}", "")
    return 0


def _export_filter(args: argparse.Namespace, articles: list[Article], resolved: list[AnchoredBookmark]) -> list[AnchoredBookmark]:
    """Bookmarks with any of the asked tags, in any of the asked sources (a source named as `show`
    or a search's `source:` takes it); a filter that keeps nothing says what there is."""
    from briefing.index.search.source_refs import resolve, unknown

    kept = resolved
    tags = [t.strip() for t in (getattr(args, "tag", None) or []) if t.strip()]
    if tags:
        wanted = {t.casefold() for t in tags}
        kept = [item for item in kept if wanted & {t.casefold() for t in item.bookmark.tags}]
        if not kept:
            known = sorted({t for item in resolved for t in item.bookmark.tags})
            raise _cli_error(f"no bookmark is tagged {', '.join(display_safe(t) for t in tags)}: "
                             f"the tags are {', '.join(display_safe(t) for t in known) or 'none yet'}")
    refs = getattr(args, "source", None) or []
    if refs:
        ids: set[str] = set()
        for ref in refs:
            try:
                found = resolve(articles, ref)
            except KeyError as exc:
                raise _cli_error(exc.args[0]) from None
            if not found:
                raise _cli_error(unknown(articles, ref))
            ids.update(a.id for a in found)
        kept = [item for item in kept if item.bookmark.source in ids]
    return kept


HANDLERS: dict[str, Callable[[argparse.Namespace, Any, BookmarkStore], int]] = {
    "list": list_bookmarks,
    "add": add_bookmark,
    "remove": remove_bookmark,
    "export": export_bookmarks,
}


# ---- helpers ---------------------------------------------------------------------------------


def _articles(engine: Any) -> dict[str, Article]:
    articles = engine.articles
    if isinstance(articles, dict):
        return articles
    return {a.id: a for a in articles}


def _find_article(engine: Any, ref: str) -> Article:
    finder = getattr(engine, "find_article", None)
    try:
        if finder is not None:
            return finder(ref)
        return _articles(engine)[ref]
    except KeyError as exc:
        message = exc.args[0] if exc.args and finder is not None else f"unknown source '{ref}'"
        raise _cli_error(message) from None


def _resolve(store: BookmarkStore, articles: dict[str, Article]) -> list[AnchoredBookmark]:
    try:
        return store.resolve(articles)
    except BookmarkError as exc:
        raise _cli_error(str(exc)) from None


def _resolve_id(store: BookmarkStore, ref: str) -> str:
    if store.get(ref) is not None:
        return ref
    matches = [b.id for b in store.list() if b.id.startswith(ref)] if ref else []
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise _cli_error(f"bookmark id '{ref}' is ambiguous: {', '.join(matches[:5])}")
    raise _cli_error(f"no bookmark '{ref}' (see `briefing bookmarks`)")


def _where(item: AnchoredBookmark) -> str:
    return where(item, mark="")


def _err(message: str, style: str) -> None:
    """One line on stderr, however long (soft wrap: the terminal folds it, Rich does not)."""
    get_console(stderr=True).print(text(f"briefing: {message}", style))


class Failure(Exception):
    """A failed action: `run` prints it as one line on stderr and exits non-zero."""


def _cli_error(message: str) -> Failure:
    return Failure(message)
