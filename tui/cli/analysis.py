"""`briefing quotes`, `briefing speakers`, `briefing positions`.

Side labels come from the analysis' manifest: the corpus' briefing.toml with what was inferred
where it is silent; an inferred side is marked "(inferred)" and each speaker's evidence (the words
that placed them) is shown.
"""

from __future__ import annotations

import argparse
from typing import Any, Callable

from briefing.tui.cli import output
from briefing.tui.cli.output import CliError, get_console, print_json, text

INFERRED = " (inferred)"

def analysis_of(briefing: Any) -> Any:
    """The briefing-wide analysis, with its notes (a stored analysis that was old or damaged, one
    that could not be stored) on stderr."""
    analysis = briefing.analysis()
    stored = getattr(briefing, "wait_stored", None)
    if stored is not None:  # a command is over in a moment: the store is written before it, and said if it failed
        stored()
    err = get_console(stderr=True)
    for note in analysis.notes:
        err.print(text(f"note: {note}", "yellow"))
    return analysis


def resolve_side(manifest: Any, wanted: str | None) -> str | None:
    """A side id from an id or label (any case); a side that does not exist lists the known ones."""
    if not wanted:
        return None
    w = wanted.strip().casefold()
    for side in manifest.sides:
        if w in (side.id.casefold(), side.label.casefold()):
            return side.id
    known = ", ".join(f"{s.id} ({s.label})" for s in manifest.sides) or "none (the briefing has no sides in briefing.toml)"
    raise CliError(f"no side '{wanted}': the sides are {known}")


def resolve_issue(issues: list[Any], wanted: str | None) -> str | None:
    """An issue id, matched exactly (or its whole label, any case), never a part of a label."""
    if not wanted:
        return None
    w = wanted.strip().casefold()
    for issue in issues:
        if w in (issue.id.casefold(), issue.label.casefold()):
            return issue.id
    known = ", ".join(f"{i.id} ({i.label})" for i in issues) or "none"
    raise CliError(f"no issue '{wanted}': the issues are {known}")



def side_name(manifest: Any, side: str | None, unknown: str = "unknown") -> str:
    """A side's label, marked when the side was inferred from the text."""
    if not side or side == "unknown":
        return unknown
    for s in manifest.sides:
        if s.id == side:
            return str(s.label) + (INFERRED if s.inferred else "")
    return str(side)


def evidence_words(evidence: list[Any]) -> str:
    """'"Kremlin spokesman" (Kremlin)'; for a relation 'aide to Brandt → Brandt'."""
    counts: dict[str, int] = {}  # the same words read in several articles: said once, counted
    for e in evidence:
        if e.how == "manifest":
            part = "briefing.toml [people]"
        elif e.how == "relation":
            part = f"“{e.words}” → {e.cue}"
        else:
            part = f"“{e.words}” ({e.cue})"
        counts[part] = counts.get(part, 0) + 1
    parts = [part if n == 1 else f"{part} in {n} articles" for part, n in list(counts.items())[:3]]
    return "; ".join(parts) if parts else "no evidence"


def cmd_quotes(args: argparse.Namespace) -> int:
    briefing = output.open_briefing(args)  # looked up per call: tests replace it
    full = analysis_of(briefing)
    manifest = getattr(full, "manifest", None) or briefing.manifest
    side = resolve_side(manifest, args.side)  # inferred sides count too
    analysis = full.quotes
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
        side = side_name(manifest, q.side, "side unknown")
        head = text(f"{q.source} ¶{q.paragraph} · ", "dim")
        head.append(text(q.speaker or "speaker unknown", "bold"))
        head.append(text(f" · {side} · {q.kind}" + ("" if q.marked else " · unmarked"), "dim"))
        console.print(head)
        console.print(text(f"  “{q.text}”"))
    return 0


def cmd_speakers(args: argparse.Namespace) -> int:
    briefing = output.open_briefing(args)  # looked up per call: tests replace it
    full = analysis_of(briefing)
    manifest = getattr(full, "manifest", None) or briefing.manifest
    speakers = full.quotes.speakers
    evidence_of: Callable[[str], list[Any]] = getattr(full, "evidence", lambda _name: [])
    inferred = {s.id for s in manifest.sides if s.inferred}
    if args.json:
        rows = []
        for s in speakers:
            row = s.to_json()
            row["side_label"] = manifest.side_label(s.side) if s.side else None
            row["side_inferred"] = s.side in inferred
            row["evidence"] = [e.to_json() for e in evidence_of(s.name)]
            rows.append(row)
        print_json(rows)
        return 0
    from rich.table import Table

    table = Table()
    for name in ("speaker", "role", "side", "quotes", "also named", "evidence"):
        table.add_column(name, overflow="fold")
    for s in speakers:
        name = text(s.name, "italic") if s.kind == "description" else text(s.name)
        if s.kind == "description":
            name.append(text(" (described, not named)", "dim"))
        table.add_row(name, text(s.role or "—"), text(side_name(manifest, s.side)),
                      str(s.quotes), text(", ".join(a for a in s.aliases if a != s.name)),
                      text(evidence_words(evidence_of(s.name)), "dim"))
    get_console().print(table)
    if inferred:
        get_console().print(text("Sides marked (inferred) were found from the text: `briefing init` writes them "
                                 "into a briefing.toml to edit.", "dim"))
    return 0


def cmd_positions(args: argparse.Namespace) -> int:
    briefing = output.open_briefing(args)  # looked up per call: tests replace it
    full = analysis_of(briefing)
    manifest = getattr(full, "manifest", None) or briefing.manifest
    positions = full.positions
    if positions is None:
        raise CliError("positions are not available for this briefing")
    issue = resolve_issue(positions.issues, args.issue)  # discovered issues count too
    side = resolve_side(manifest, args.side)
    cells = [c for c in positions.cells(issue=issue, side=side) if (issue is None or c.issue == issue) and (side is None or c.side == side)]
    if args.json:
        inferred_sides = {s.id for s in manifest.sides if s.inferred}
        issues = {i.id: i for i in positions.issues}
        rows = []
        for c in cells:
            row = c.to_json()
            row["side_inferred"] = c.side in inferred_sides
            issue = issues.get(c.issue)
            row["issue_inferred"] = bool(issue is not None and issue.inferred)
            if issue is not None and issue.query:
                row["issue_query"] = issue.query
            rows.append(row)
        print_json(rows)
        return 0
    console = get_console()
    for cell in cells:
        console.print()
        head = text(f"{cell.issue_label} — ", "bold")
        head.append(text(side_name(manifest, cell.side, "side unknown"), "bold"))
        issue = next((i for i in positions.issues if i.id == cell.issue), None)
        if issue is not None and issue.inferred:
            head.append(text(f"  (issue found from the text: {issue.query})", "dim"))
        console.print(head)
        if not cell.statements:
            console.print(text("  no statement", "dim"))
        for st in cell.statements:
            line = text(f"  [{len(st.outlets)} outlet{'s' if len(st.outlets) != 1 else ''}] ", "dim")
            line.append(text(st.text))
            line.append(text(f" — {st.speaker or 'unattributed'} ({st.source} ¶{st.paragraph})", "dim"))
            console.print(line)
    return 0


def register(sub: Any, add_common: Any) -> None:
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
