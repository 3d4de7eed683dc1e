"""`briefing init`: write a commented briefing.toml from what was inferred, never over one."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from briefing.tui.cli import output
from briefing.tui.cli.output import CliError, get_console, text


def cmd_init(args: argparse.Namespace) -> int:
    from briefing.index import locations
    from briefing.index.draft import draft_manifest

    root = locations.corpus_dir(args.corpus)
    target = root / locations.MANIFEST_NAME
    if target.exists() and not args.print:
        raise CliError(f"{target} already exists: nothing written (edit it, or move it away to draft a new one)")
    briefing = output.open_briefing(args)  # looked up per call: tests replace it
    analysis = briefing.analysis()
    draft = draft_manifest(analysis, list(briefing.articles), briefing.manifest)
    if args.print:
        sys.stdout.write(draft)  # every value a TOML string with its controls escaped
        return 0
    try:
        # "x": created here or not at all, so a manifest that appeared meanwhile is never replaced
        with open(target, "x", encoding="utf-8") as fh:
            fh.write(draft)
            fh.flush()
            os.fsync(fh.fileno())
    except FileExistsError:
        raise CliError(f"{target} already exists: nothing written") from None
    except OSError as exc:
        raise CliError(f"cannot write {target}: {exc.strerror or exc}") from None
    sides = [s.label for s in analysis.manifest.sides]
    issues = [i.label for i in (analysis.positions.issues if analysis.positions else []) if i.id not in ("other", "all")]
    console = get_console()
    console.print(text(f"wrote {target}"))
    console.print(text(f"  sides: {', '.join(sides) or 'none found'}", "dim"))
    console.print(text(f"  issues: {len(issues)}" + (f" ({'; '.join(issues)})" if issues else ""), "dim"))
    console.print(text("Edit it: it wins over what is inferred.", "dim"))
    return 0


def register(sub: Any, add_common: Any) -> None:
    p = sub.add_parser(
        "init", help="write a commented briefing.toml from what is inferred (never overwrites)",
        description="Draft a briefing.toml for the corpus from what briefing infers: the title, the sides with their "
        "cue words and people (and the words that placed each), the issues with their queries, and per-article "
        "outlet, date and title. Edit it; the manifest then wins wherever it speaks. An existing briefing.toml is "
        "never overwritten.",
    )
    p.add_argument("--print", action="store_true", help="print the draft instead of writing it")
    add_common(p, json_flag=False)
    p.set_defaults(func=cmd_init, json=False)
