"""What every command shares: the consoles, safe text, JSON output, errors and opening the briefing.

Rich output for people, `--json` for scripts. Errors: one line on stderr, non-zero exit.
Every string that comes from an article, a file name or a user is printed as `Text`, never as markup.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Callable

EXIT_USAGE = 2
EXIT_ERROR = 1


class CliError(Exception):
    """A failure to report in one line."""


def get_console(stderr: bool = False):
    from rich.console import Console

    # Errors stay on one line whatever the terminal width (soft wrap) so scripts can grep them.
    return Console(stderr=stderr, highlight=False, soft_wrap=stderr)


def text(value: Any, style: str = ""):
    from rich.text import Text

    from briefing.index.text import display_safe

    # Article text, file names and user input all pass the one control-character filter.
    return Text(display_safe("" if value is None else str(value)), style=style)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def open_briefing(args: argparse.Namespace, rebuild: bool = False, progress: bool = False):
    from briefing.index.corpus.scan import CorpusError
    from briefing.index.engine import Briefing

    briefing = Briefing(args.corpus)
    err = get_console(stderr=True)

    def waiting(message: str) -> None:  # another process is writing the index: say so at once
        err.print(text(f"note: {message}", "yellow"))

    try:
        if progress:
            open_with_progress(briefing, rebuild, waiting)
        else:
            briefing.open(rebuild=rebuild, notify=waiting)
    except CorpusError as exc:
        raise CliError(str(exc)) from None
    for message in briefing.report.messages:
        err.print(text(f"note: {message}", "yellow"))
    if not getattr(args, "json", False) and not progress:
        for skipped in briefing.report.skipped:
            err.print(text(f"skipped {skipped.path}: {skipped.reason}", "yellow"))
    return briefing


def open_with_progress(briefing: Any, rebuild: bool, notify: Callable[[str], None] | None = None) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=get_console(stderr=True), transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task({"parse": "Reading articles", "index": "Indexing passages", "passages": "Indexing a long article", "quotes": "Quotes of a long article"}.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        briefing.open(rebuild=rebuild, progress=report, notify=notify)




def add_common(parser: argparse.ArgumentParser, json_flag: bool = True) -> None:
    # SUPPRESS: an option given before the command (`briefing --corpus X sources`) is not
    # overwritten by the command's own default; the top-level parser supplies the defaults.
    parser.add_argument("--corpus", metavar="DIR", default=argparse.SUPPRESS,
                        help="a directory of articles: .txt, .html, .md, RSS/Atom (default: $BRIEFING_CORPUS or the bundled briefing)")
    if json_flag:
        parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output")
