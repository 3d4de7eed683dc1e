"""`briefing quotes`, `briefing speakers`, `briefing positions`."""

from __future__ import annotations

from typing import Any

from briefing.tui.cli import output
from briefing.tui.cli.output import CliError, get_console, print_json, text


def analysis_of(briefing: Any) -> Any:
    """The briefing-wide analysis, with its notes (a stored analysis that was old or damaged) on stderr."""
    analysis = briefing.analysis()
    err = get_console(stderr=True)
    for note in analysis.notes:
        err.print(text(f"note: {note}", "yellow"))
    return analysis


def cmd_quotes(args) -> int:
    briefing = output.open_briefing(args)  # looked up per call: tests replace it
    analysis = analysis_of(briefing).quotes
    source = None
    if args.source:
        try:
            source = briefing.find_article(args.source).id
        except KeyError as exc:
            raise CliError(exc.args[0]) from None
    quotes = analysis.filter(speaker=args.speaker, side=args.side, source=source)
    if args.json:
        print_json([q.to_json() for q in quotes])
        return 0
    console = get_console()
    console.print(text(f"{len(quotes)} quote{'s' if len(quotes) != 1 else ''}"))
    for q in quotes:
        side = briefing.manifest.side_label(q.side) or "side unknown"
        head = text(f"{q.source} ¶{q.paragraph} · ", "dim")
        head.append(text(q.speaker or "speaker unknown", "bold"))
        head.append(text(f" · {side} · {q.kind}" + ("" if q.marked else " · unmarked"), "dim"))
        console.print(head)
        console.print(text(f"  “{q.text}”"))
    return 0


def cmd_speakers(args) -> int:
    briefing = output.open_briefing(args)  # looked up per call: tests replace it
    speakers = analysis_of(briefing).quotes.speakers
    if args.json:
        print_json([s.to_json() for s in speakers])
        return 0
    from rich.table import Table

    table = Table()
    for name in ("speaker", "role", "side", "quotes", "also named"):
        table.add_column(name, overflow="fold")
    for s in speakers:
        table.add_row(text(s.name), text(s.role or "—"), text(briefing.manifest.side_label(s.side) or "unknown"),
                      str(s.quotes), text(", ".join(a for a in s.aliases if a != s.name)))
    get_console().print(table)
    return 0


def cmd_positions(args) -> int:
    briefing = output.open_briefing(args)  # looked up per call: tests replace it
    positions = analysis_of(briefing).positions
    if positions is None:
        raise CliError("positions are not available for this briefing")
    cells = positions.cells(issue=args.issue, side=args.side)
    if args.json:
        print_json([c.to_json() for c in cells])
        return 0
    console = get_console()
    for cell in cells:
        console.print()
        head = text(f"{cell.issue_label} — ", "bold")
        head.append(text(briefing.manifest.side_label(cell.side) or str(cell.side), "bold"))
        console.print(head)
        if not cell.statements:
            console.print(text("  no statement", "dim"))
        for st in cell.statements:
            line = text(f"  [{len(st.outlets)} outlet{'s' if len(st.outlets) != 1 else ''}] ", "dim")
            line.append(text(st.text))
            line.append(text(f" — {st.speaker or 'unattributed'} ({st.source} ¶{st.paragraph})", "dim"))
            console.print(line)
    return 0


def register(sub, add_common) -> None:
    p = sub.add_parser("quotes", help="every direct quote, with speaker and side")
    p.add_argument("--speaker", help="name or any form of it (e.g. ryabkov)")
    p.add_argument("--side", help="side id or label (e.g. russia)")
    p.add_argument("--source", help="article id, prefix or number")
    add_common(p)
    p.set_defaults(func=cmd_quotes)

    p = sub.add_parser("speakers", help="who is quoted: name, aliases, role, side, number of quotes")
    add_common(p)
    p.set_defaults(func=cmd_speakers)

    p = sub.add_parser("positions", help="what each side holds on each issue, with evidence")
    p.add_argument("--issue", help="issue id or label")
    p.add_argument("--side", help="side id or label")
    add_common(p)
    p.set_defaults(func=cmd_positions)
