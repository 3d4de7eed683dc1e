"""`briefing`: the engine from the command line; with no command, the reader (TUI).

One module per command group (articles, analysis, bookmarks) and `output` for what they share.
"""

from __future__ import annotations

import argparse
import sys

from briefing.tui.cli import analysis, articles, bookmarks
from briefing.tui.cli.output import EXIT_ERROR, CliError, add_common, get_console, text

COMMAND_GROUPS = (articles, analysis, bookmarks)


def build_parser() -> argparse.ArgumentParser:
    from briefing import __version__

    parser = argparse.ArgumentParser(prog="briefing", description="Read a news briefing: sources, quotes, positions, search, bookmarks.")
    parser.add_argument("--version", action="version", version=f"briefing {__version__}")
    add_common(parser, json_flag=False)
    parser.set_defaults(corpus=None, json=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(sub, add_common)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return run_tui(args)
    try:
        code: int = args.func(args)
        return code
    except CliError as exc:
        get_console(stderr=True).print(text(f"briefing: {exc}", "red"))
        return EXIT_ERROR
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:  # Ctrl-C: one line, no traceback (the index commits atomically)
        try:
            get_console(stderr=True).print(text("briefing: interrupted; nothing half-written was kept"))
        except Exception:  # noqa: BLE001 - the terminal may be gone
            pass
        return 130


def run_tui(args: argparse.Namespace) -> int:
    from briefing.tui.app import BriefingApp, run_reader

    return run_reader(BriefingApp(corpus=args.corpus))  # leaves at once: no wait for the analysis
