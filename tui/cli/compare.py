"""`briefing compare`: where the outlets disagree (facts, quote wording, echoes, names), then
what they agree on; each version with its source, paragraph and offsets."""

from __future__ import annotations

from briefing.tui.cli import output
from briefing.tui.cli.output import get_console, print_json, text

STATUS_STYLE = {"discrepancy": "bold red", "echo": "bold yellow", "agreement": "green"}


def cmd_compare(args) -> int:
    briefing = output.open_briefing(args)  # looked up per call: tests replace it
    comparison = briefing.compare()
    items = comparison.items
    if args.kind:
        items = [it for it in items if it.kind == args.kind]
    if args.json:
        print_json([it.to_json() for it in items])
        return 0
    console = get_console()
    counts = comparison.counts()
    console.print(text(f"{counts['discrepancy']} discrepancies · {counts['echo']} echoes · {counts['agreement']} agreements", "bold"))
    for it in items:
        console.print()
        head = text(f"{it.status} ", STATUS_STYLE.get(it.status, ""))
        head.append(text(f"[{it.kind}] ", "dim"))
        head.append(text(it.about, "bold"))
        console.print(head)
        console.print(text(f"  {it.summary}"))
        for v in it.versions:
            line = text(f"    {v.outlet or v.source} ", "")
            line.append(text(f"({v.source} ¶{v.paragraph} {v.start}–{v.end}) ", "dim"))
            line.append(text(v.value))
            console.print(line)
            if v.text and v.text != v.value:
                console.print(text(f"      “{v.text}”", "dim"))
    return 0


def register(sub, add_common) -> None:
    p = sub.add_parser(
        "compare", help="where the outlets disagree: facts, quote wording, echoes, names",
        description="Where the outlets disagree, then where they agree: facts (quantities, dates, durations, counts) "
        "lined up across outlets, the wording of one speaker's quote in each outlet, lines repeated by several "
        "speakers (echoes), and one person named differently. Each version with its source, paragraph, offsets "
        "and normalised value.",
    )
    p.add_argument("--kind", choices=("fact", "echo", "quote-wording", "name"), help="only items of this kind")
    add_common(p)
    p.set_defaults(func=cmd_compare)

