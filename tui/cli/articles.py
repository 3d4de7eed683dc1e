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
    from rich import box
    from rich.table import Table

    console = get_console()
    # Narrow (80 columns, or piped: Rich assumes 80): no byline and word count (in --json and
    # `show`), lighter rules, so the title keeps room; the id and the date are never broken.
    narrow = console.width < 110
    names = ("#", "id", "date", "outlet", "title", "¶") if narrow else ("#", "id", "outlet", "title", "byline", "date", "¶", "words")
    table = Table(title=text(briefing.title), title_justify="left", expand=False,
                  box=box.SIMPLE_HEAD if narrow else box.HEAVY_HEAD, pad_edge=not narrow)
    for name in names:
        whole = name in ("#", "id", "date", "¶", "words")  # never broken: ids stay copyable
        table.add_column(name, no_wrap=whole, overflow="ellipsis" if whole else "fold",
                         ratio=None if whole else (3 if name == "title" else 1),
                         justify="right" if name in ("#", "¶", "words") else "left")
    for i, r in enumerate(rows, 1):
        cells = {"#": str(i), "id": text(r["id"]), "outlet": text(r["outlet"] or "—"), "title": text(r["title"]),
                 "byline": text(r["byline"] or "—"), "date": text(r["date"] or "—"), "¶": str(r["paragraphs"]),
                 "words": str(r["words"])}
        table.add_row(*(cells[name] for name in names))
    console.print(table)
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
    folded = args.query.casefold()
    if "speaker:" in folded or "side:" in folded:
        # what the quotes pane shows (quotes found across outlets, every form of a name, inferred
        # sides), when the reader or `briefing quotes` has analysed this briefing already
        briefing.stored_analysis()
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
    p = sub.add_parser("sources", help="list the articles",
                       description="List the articles: number, id, outlet, title, byline, date, paragraphs, words. "
                       "The number and the id are what `show`, `source:` and `bookmarks add` take.")
    add_common(p)
    p.set_defaults(func=cmd_sources)

    p = sub.add_parser("show", help="print one cleaned article",
                       description="Print one article as the reader shows it: title, byline, date, numbered paragraphs.")
    p.add_argument("id", help="article id (file stem), a unique prefix of it, its number in `sources`, or its outlet")
    add_common(p)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("search", help="full-text search (Whoosh query syntax)",
                       description="Search every passage. Whoosh syntax: AND OR NOT, \"phrases\", prefix*, and the fields "
                       "text:, outlet:, source: (id, prefix, number or outlet), title:, speaker:, side:.")
    p.add_argument("query", help='e.g. barracks, "open door", sherman AND smith, nego*, outlet:reuters')
    p.add_argument("--limit", type=int, default=10, help="hits to show (default 10)")
    add_common(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("index", help="build or update the search index",
                       description="Read what changed in the corpus and update the index; lists skipped files and why.")
    p.add_argument("--rebuild", action="store_true", help="rebuild from scratch")
    add_common(p)
    p.set_defaults(func=cmd_index)
