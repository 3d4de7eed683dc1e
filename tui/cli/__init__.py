"""`briefing`: the engine from the command line; with no command, the reader (TUI).

One module per command group (articles, analysis, compare, bookmarks, corpus, manifest) and `output` for what they share.
"""

from __future__ import annotations

import argparse
import sys

from briefing.tui.cli import analysis, articles, bookmarks, compare, corpus, manifest
from briefing.tui.cli.output import EXIT_ERROR, CliError, add_common, get_console, text

COMMAND_GROUPS = (articles, analysis, compare, bookmarks, corpus, manifest)


def build_parser() -> argparse.ArgumentParser:
    from briefing import __version__

    parser = argparse.ArgumentParser(
        prog="briefing",
        description="Read a news briefing: sources, quotes, positions, search, bookmarks. "
        "With no command, `briefing` opens the reader (the terminal app); with a command, it prints and exits.",
        epilog="Each command has its own --help. Settings and keymap: $XDG_CONFIG_HOME/briefing/ (see the README). "
        "Shell completion: `briefing completion bash` or `briefing completion zsh`.",
    )
    parser.add_argument("--version", action="version", version=f"briefing {__version__}", help="print the version and exit")
    add_common(parser, json_flag=False)
    parser.set_defaults(corpus=None, json=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands (none: open the reader)")
    for group in COMMAND_GROUPS:
        group.register(sub, add_common)
    p = sub.add_parser(
        "completion",
        help="print a shell completion script (bash or zsh)",
        description="Print a completion script for bash or zsh, made from this parser by shtab. "
        "bash: `briefing completion bash > ~/.local/share/bash-completion/completions/briefing`; "
        "zsh: `briefing completion zsh > ~/.zfunc/_briefing` (with ~/.zfunc in $fpath).",
    )
    p.add_argument("shell", choices=("bash", "zsh"), help="the shell to complete for")
    p.set_defaults(func=_completion)
    return parser


def _completion(args: argparse.Namespace) -> int:
    import shtab  # deferred: only this command needs it

    sys.stdout.write(shtab.complete(build_parser(), shell=args.shell))
    return 0


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
