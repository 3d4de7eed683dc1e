"""Issue 16 on the command line: tables that never break an id or a date, help for every command,
filters that match nothing, `source:`/`show` references, completion scripts."""

from __future__ import annotations

import re

import pytest

from briefing.tui.cli import build_parser, main


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_sources_table_keeps_ids_and_dates_whole_at_80_columns(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = _run(capsys, "sources")
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 80
    ids = re.findall(r"\b\d{3}_[0-9a-f]{16}\b", out)
    assert len(ids) == 5  # every id whole, on one line
    assert len(re.findall(r"\b2022-01-1[01]\b", out)) == 5


def test_every_command_and_option_has_a_description():
    parser = build_parser()
    assert "opens the reader" in parser.format_help()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, p in sub.choices.items():
        assert p.description, name
        for action in p._actions:
            if action.option_strings and "-h" not in action.option_strings:
                assert action.help, (name, action.option_strings)


@pytest.mark.parametrize("shell, marker", [("bash", "complete"), ("zsh", "#compdef briefing")])
def test_completion_scripts(capsys, shell, marker):
    code, out, _ = _run(capsys, "completion", shell)
    assert code == 0 and marker in out and "positions" in out


def test_filters_that_match_nothing_say_so_and_list_what_exists(capsys):
    code, _, err = _run(capsys, "positions", "--side", "mars")
    assert code == 1 and "no side 'mars'" in err and "russia" in err and "ukraine" in err
    code, _, err = _run(capsys, "positions", "--issue", "enlargement")  # a part of a label: no
    assert code == 1 and "no issue 'enlargement'" in err and "nato" in err
    code, out, _ = _run(capsys, "positions", "--issue", "nato", "--json")
    assert code == 0 and out.strip().startswith("[")
    code, _, err = _run(capsys, "quotes", "--side", "[b]mars[/b]")
    assert code == 1 and "[b]mars[/b]" in err  # printed as typed, never as markup


def test_show_and_search_take_outlets_and_numbers(capsys):
    code, out, _ = _run(capsys, "show", "reuters")
    assert code == 0 and "Reuters" in out
    code, out, _ = _run(capsys, "search", "source:reuters nato", "--json")
    assert code == 0 and '"001_9cdbc204e52fb821"' in out and "000_" not in out
    code, _, err = _run(capsys, "search", "source:mars nato")
    assert code == 1 and "unknown source 'mars'" in err


def test_bookmarks_add_takes_an_outlet_like_show(capsys):
    code, out, err = _run(capsys, "bookmarks", "add", "reuters", "-p", "2")
    assert code == 0, err
    assert "001_9cdbc204e52fb821" in out
