"""`briefing sources`, `show`, `search` and `index`: the articles and the full-text index."""

from __future__ import annotations

import argparse
from typing import Callable

from briefing.tui.cli import output
from briefing.tui.cli.output import CliError, get_console, print_json, text


def cmd_sources(args) -> int:
    briefing = output.open_briefing(args)
    rows = [a.summary() for a in briefing.articles]
    if args.json:
        print_json(rows)
        return 0
    from rich.table import Table

    table = Table(title=text(briefing.title), title_justify="left", expand=False)
    for name in ("#", "id", "outlet", "title", "byline", "date", "¶", "words"):
        table.add_column(name, overflow="fold", justify="right" if name in ("#", "¶", "words") else "left")
    for i, r in enumerate(rows, 1):
        table.add_row(str(i), text(r["id"]), text(r["outlet"] or "—"), text(r["title"]), text(r["byline"] or "—"),
                      text(r["date"] or "—"), str(r["paragraphs"]), str(r["words"]))
    get_console().print(table)
    return 0


def cmd_show(args) -> int:
    briefing = output.open_briefing(args)
    try:
        article = briefing.find_article(args.id)
    except KeyError as exc:
        raise CliError(exc.args[0]) from None
    if args.json:
        print_json(article.to_json())
        return 0
    console = get_console()
    console.print(text(article.title, "bold"))
    meta = " · ".join(x for x in (article.outlet, article.byline and f"by {article.byline}", article.date, article.id) if x)
    console.print(text(meta, "dim"))
    for caption in article.captions:
        console.print(text(f"[photo] {caption}", "dim italic"))
    console.print()
    for p in article.paragraphs:
        line = text(f"{p.n:>3}  ", "dim")
        line.append(text(p.text, "bold" if p.kind == "subhead" else ""))
        console.print(line)
        console.print()
    return 0


def cmd_search(args) -> int:
    briefing = output.open_briefing(args)
    result = briefing.search(args.query, limit=args.limit)
    if result.error:
        raise CliError(f"bad query: {result.error}")
    if args.json:
        print_json([{k: v for k, v in h.to_json().items() if k in ("source", "paragraph", "score", "text", "highlights")} for h in result.hits])
        return 0
    console = get_console()
    head = text(f"{result.total} passage{'s' if result.total != 1 else ''} match ")
    head.append(text(args.query, "bold"))
    console.print(head)
    if result.suggestion:
        console.print(text(f"did you mean: {result.suggestion}", "yellow"))
    for hit in result.hits:
        console.print()
        console.print(text(f"{hit.source} ¶{hit.paragraph} · {hit.outlet or '—'} · score {hit.score:.2f}", "dim"))
        line = text(hit.text)
        for start, end in hit.highlights:
            line.stylize("bold reverse", start, end)
        console.print(line)
    return 0


def cmd_index(args) -> int:
    briefing = output.open_briefing(args, rebuild=args.rebuild, progress=True)
    report = briefing.report
    if args.json:
        print_json({
            "articles": report.articles, "passages": report.passages, "parsed": report.parsed,
            "reused": report.reused, "removed": report.removed,
            "skipped": [{"path": s.path, "reason": s.reason} for s in report.skipped],
        })
        return 0
    console = get_console()
    console.print(text(
        f"{report.articles} articles, {report.passages} passages indexed "
        f"({report.parsed} parsed, {report.reused} unchanged, {report.removed} removed)"
    ))
    if report.skipped:
        console.print(text(f"{len(report.skipped)} file(s) skipped:", "yellow"))
        for s in report.skipped:
            console.print(text(f"  {s.path}: {s.reason}"))
    return 0


def register(sub: argparse._SubParsersAction, add_common: Callable[..., None]) -> None:
    p = sub.add_parser("sources", help="list the articles")
    add_common(p)
    p.set_defaults(func=cmd_sources)

    p = sub.add_parser("show", help="print one cleaned article")
    p.add_argument("id", help="article id (file stem), a unique prefix of it, or its number in `sources`")
    add_common(p)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("search", help="full-text search (Whoosh query syntax)")
    p.add_argument("query", help='e.g. barracks, "open door", sherman AND smith, nego*, outlet:reuters')
    p.add_argument("--limit", type=int, default=10, help="hits to show (default 10)")
    add_common(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("index", help="build or update the search index")
    p.add_argument("--rebuild", action="store_true", help="rebuild from scratch")
    add_common(p)
    p.set_defaults(func=cmd_index)
