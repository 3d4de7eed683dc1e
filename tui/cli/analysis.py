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


def resolve_side(manifest, wanted: str | None) -> str | None:
    """A side id from an id or label (any case); a side that does not exist lists the known ones."""
    if not wanted:
        return None
    w = wanted.strip().casefold()
    for side in manifest.sides:
        if w in (side.id.casefold(), side.label.casefold()):
            return side.id
    known = ", ".join(f"{s.id} ({s.label})" for s in manifest.sides) or "none (the briefing has no sides in briefing.toml)"
    raise CliError(f"no side '{wanted}': the sides are {known}")


def resolve_issue(manifest, wanted: str | None) -> str | None:
    """An issue id, matched exactly (or its whole label, any case), never a part of a label."""
    if not wanted:
        return None
    w = wanted.strip().casefold()
    for issue in manifest.issues:
        if w in (issue.id.casefold(), issue.label.casefold()):
            return issue.id
    known = ", ".join(f"{i.id} ({i.label})" for i in manifest.issues) or "none (the briefing has no issues in briefing.toml)"
    raise CliError(f"no issue '{wanted}': the issues are {known}")


def cmd_quotes(args) -> int:
    briefing = output.open_briefing(args)  # looked up per call: tests replace it
    side = resolve_side(briefing.manifest, args.side)
    analysis = analysis_of(briefing).quotes
    if args.speaker and not any(s.matches(args.speaker) for s in analysis.speakers):
        names = ", ".join(s.name for s in analysis.speakers[:12]) + (" …" if len(analysis.speakers) > 12 else "")
        raise CliError(f"no speaker '{args.speaker}': the speakers are {names or 'none'} (see `briefing speakers`)")
    source = None
    if args.source:
        try:
            source = briefing.find_article(args.source).id
        except KeyError as exc:
            raise CliError(exc.args[0]) from None
    quotes = analysis.filter(speaker=args.speaker, side=side, source=source)
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
    issue = resolve_issue(briefing.manifest, args.issue)
    side = resolve_side(briefing.manifest, args.side)
    positions = analysis_of(briefing).positions
    if positions is None:
        raise CliError("positions are not available for this briefing")
    cells = [c for c in positions.cells(issue=issue, side=side) if (issue is None or c.issue == issue) and (side is None or c.side == side)]
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
    p = sub.add_parser("quotes", help="every direct quote, with speaker and side",
                       description="Every direct quote of the briefing with its speaker, side and passage. "
                       "A filter that matches nothing says so and lists what there is.")
    p.add_argument("--speaker", help="name or any form of it (e.g. ryabkov)")
    p.add_argument("--side", help="side id or label (e.g. russia), as in briefing.toml")
    p.add_argument("--source", help="article id, unique prefix, number in `sources`, or outlet")
    add_common(p)
    p.set_defaults(func=cmd_quotes)

    p = sub.add_parser("speakers", help="who is quoted: name, aliases, role, side, number of quotes",
                       description="Everyone quoted in the briefing: name, role, side, number of quotes, other names used.")
    add_common(p)
    p.set_defaults(func=cmd_speakers)

    p = sub.add_parser("positions", help="what each side holds on each issue, with evidence",
                       description="What each side holds on each issue of briefing.toml, each statement with its "
                       "speaker and passage.")
    p.add_argument("--issue", help="issue id (exactly) or whole label")
    p.add_argument("--side", help="side id or label")
    add_common(p)
    p.set_defaults(func=cmd_positions)
