"""`briefing`: the engine from the command line; with no command, the reader (TUI).

Rich output for people, `--json` for scripts. Errors: one line on stderr, non-zero exit.
Every string that comes from an article or a user is printed as `Text`, never as markup.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable

EXIT_USAGE = 2
EXIT_ERROR = 1


class CliError(Exception):
    """A failure to report in one line."""


def _console(stderr: bool = False):
    from rich.console import Console

    # Errors stay on one line whatever the terminal width (soft wrap) so scripts can grep them.
    return Console(stderr=stderr, highlight=False, soft_wrap=stderr)


def _text(value: Any, style: str = ""):
    from rich.text import Text

    return Text("" if value is None else str(value), style=style)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def open_briefing(args: argparse.Namespace, rebuild: bool = False, progress: bool = False):
    from index.corpus import CorpusError
    from index.engine import Briefing

    briefing = Briefing(args.corpus)
    try:
        if progress:
            _open_with_progress(briefing, rebuild)
        else:
            briefing.open(rebuild=rebuild)
    except CorpusError as exc:
        raise CliError(str(exc)) from None
    err = _console(stderr=True)
    for message in briefing.report.messages:
        err.print(_text(f"note: {message}", "yellow"))
    if not getattr(args, "json", False) and not progress:
        for skipped in briefing.report.skipped:
            err.print(_text(f"skipped {skipped.path}: {skipped.reason}", "yellow"))
    return briefing


def _open_with_progress(briefing, rebuild: bool) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=_console(stderr=True), transient=True,
    ) as bar:
        tasks: dict[str, int] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task({"parse": "Reading articles", "index": "Indexing passages"}.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        briefing.open(rebuild=rebuild, progress=report)


# ---- commands ------------------------------------------------------------------------------

def cmd_sources(args) -> int:
    briefing = open_briefing(args)
    rows = [a.summary() for a in briefing.articles]
    if args.json:
        print_json(rows)
        return 0
    from rich.table import Table

    table = Table(title=_text(briefing.title), title_justify="left", expand=False)
    for name in ("#", "id", "outlet", "title", "byline", "date", "¶", "words"):
        table.add_column(name, overflow="fold", justify="right" if name in ("#", "¶", "words") else "left")
    for i, r in enumerate(rows, 1):
        table.add_row(str(i), _text(r["id"]), _text(r["outlet"] or "—"), _text(r["title"]), _text(r["byline"] or "—"),
                      _text(r["date"] or "—"), str(r["paragraphs"]), str(r["words"]))
    _console().print(table)
    return 0


def cmd_show(args) -> int:
    briefing = open_briefing(args)
    try:
        article = briefing.find_article(args.id)
    except KeyError as exc:
        raise CliError(exc.args[0]) from None
    if args.json:
        print_json(article.to_json())
        return 0
    console = _console()
    console.print(_text(article.title, "bold"))
    meta = " · ".join(x for x in (article.outlet, article.byline and f"by {article.byline}", article.date, article.id) if x)
    console.print(_text(meta, "dim"))
    for caption in article.captions:
        console.print(_text(f"[photo] {caption}", "dim italic"))
    console.print()
    for p in article.paragraphs:
        line = _text(f"{p.n:>3}  ", "dim")
        line.append(_text(p.text, "bold" if p.kind == "subhead" else ""))
        console.print(line)
        console.print()
    return 0


def cmd_search(args) -> int:
    briefing = open_briefing(args)
    result = briefing.search(args.query, limit=args.limit)
    if result.error:
        raise CliError(f"bad query: {result.error}")
    if args.json:
        print_json([{k: v for k, v in h.to_json().items() if k in ("source", "paragraph", "score", "text", "highlights")} for h in result.hits])
        return 0
    console = _console()
    head = _text(f"{result.total} passage{'s' if result.total != 1 else ''} match ")
    head.append(_text(args.query, "bold"))
    console.print(head)
    if result.suggestion:
        console.print(_text(f"did you mean: {result.suggestion}", "yellow"))
    for hit in result.hits:
        console.print()
        console.print(_text(f"{hit.source} ¶{hit.paragraph} · {hit.outlet or '—'} · score {hit.score:.2f}", "dim"))
        line = _text(hit.text)
        for start, end in hit.highlights:
            line.stylize("bold reverse", start, end)
        console.print(line)
    return 0


def cmd_index(args) -> int:
    briefing = open_briefing(args, rebuild=args.rebuild, progress=True)
    report = briefing.report
    if args.json:
        print_json({
            "articles": report.articles, "passages": report.passages, "parsed": report.parsed,
            "reused": report.reused, "removed": report.removed,
            "skipped": [{"path": s.path, "reason": s.reason} for s in report.skipped],
        })
        return 0
    console = _console()
    console.print(_text(
        f"{report.articles} articles, {report.passages} passages indexed "
        f"({report.parsed} parsed, {report.reused} unchanged, {report.removed} removed)"
    ))
    if report.skipped:
        console.print(_text(f"{len(report.skipped)} file(s) skipped:", "yellow"))
        for s in report.skipped:
            console.print(_text(f"  {s.path}: {s.reason}"))
    return 0


def _add_common(parser: argparse.ArgumentParser, json_flag: bool = True) -> None:
    # SUPPRESS: an option given before the command (`briefing --corpus X sources`) is not
    # overwritten by the command's own default; the top-level parser supplies the defaults.
    parser.add_argument("--corpus", metavar="DIR", default=argparse.SUPPRESS,
                        help="a directory of .txt articles (default: $BRIEFING_CORPUS or the bundled briefing)")
    if json_flag:
        parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefing", description="Read a news briefing: sources, quotes, positions, search, bookmarks.")
    _add_common(parser, json_flag=False)
    parser.set_defaults(corpus=None, json=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("sources", help="list the articles")
    _add_common(p)
    p.set_defaults(func=cmd_sources)

    p = sub.add_parser("show", help="print one cleaned article")
    p.add_argument("id", help="article id (file stem), a unique prefix of it, or its number in `sources`")
    _add_common(p)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("search", help="full-text search (Whoosh query syntax)")
    p.add_argument("query", help='e.g. barracks, "open door", sherman AND smith, nego*, outlet:reuters')
    p.add_argument("--limit", type=int, default=10, help="hits to show (default 10)")
    _add_common(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("index", help="build or update the search index")
    p.add_argument("--rebuild", action="store_true", help="rebuild from scratch")
    _add_common(p)
    p.set_defaults(func=cmd_index)

    for register in _extra_commands():
        register(sub, _add_common)
    return parser


def _extra_commands() -> list[Callable]:
    from tui import cli_analysis, cli_bookmarks

    return [cli_analysis.register, cli_bookmarks.register]


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return run_tui(args)
    try:
        return args.func(args)
    except CliError as exc:
        _console(stderr=True).print(_text(f"briefing: {exc}", "red"))
        return EXIT_ERROR
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


def run_tui(args) -> int:
    from tui.app import BriefingApp

    app = BriefingApp(corpus=args.corpus)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
