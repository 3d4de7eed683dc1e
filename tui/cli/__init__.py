"""`briefing`: the engine from the command line; with no command, the reader (TUI).

One module per command group (articles, analysis, compare, bookmarks) and `output` for what they share.
"""

from __future__ import annotations

import argparse
import sys

from briefing.tui.cli import analysis, articles, bookmarks, compare
from briefing.tui.cli.output import EXIT_ERROR, CliError, add_common, get_console, text

COMMAND_GROUPS = (articles, analysis, compare, bookmarks)


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
    except KeyboardInterrupt:
        return 130


def run_tui(args: argparse.Namespace) -> int:
    from briefing.tui.app import BriefingApp

    app = BriefingApp(corpus=args.corpus)
    app.run()
    return app.return_code or 0
