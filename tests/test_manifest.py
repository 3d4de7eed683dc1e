"""The manifest is read with the checks articles get, and checked part by part (issues 13, 18.9).

FIFOs and links are made in tmp dirs; no test opens a real device.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefing.index.corpus.manifest import (
    MAX_CUES_PER_SIDE, MAX_ISSUES, MAX_MANIFEST_BYTES, MAX_QUERY_TERMS, load_manifest, parse_manifest, query_problem,
)
from briefing.index.engine import Briefing
from briefing.index.model import Manifest, ManifestProblem
from briefing.tui.cli import main

ARTICLE = (
    "Harbour reopens after storm\n\n"
    "The harbour reopened on Friday after a storm closed it for three days, the port authority said.\n\n"
    "“We are back to normal,” harbour master Ana Lima told reporters on the quay on Friday morning.\n"
)

GOOD = '''title = "Harbour week"

[[sides]]
id = "port"
label = "Port authority"
cues = ["port authority", "harbour master"]

[[sides]]
id = "town"
label = "Town council"
cues = ["council"]

[people]
"Ana Lima" = "port"

[[issues]]
id = "reopening"
label = "Reopening"
query = "reopen* OR normal"

[[articles]]
id = "a"
outlet = "Harbour Gazette"
'''


def corpus(tmp_path: Path, manifest: str | None = None) -> Path:
    root = tmp_path / "c"
    root.mkdir()
    (root / "a.txt").write_text(ARTICLE, encoding="utf-8")
    if manifest is not None:
        (root / "briefing.toml").write_text(manifest, encoding="utf-8")
    return root


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def briefing_cmd(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    code = "import sys; from briefing.tui.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=timeout)


# ---- a good manifest, and the result's type ----------------------------------------------------

def test_good_manifest_has_no_problems(tmp_path):
    m = load_manifest(corpus(tmp_path, GOOD))
    assert isinstance(m, Manifest) and m.problems == []
    assert m.title == "Harbour week" and [s.id for s in m.sides] == ["port", "town"]
    assert m.people == {"Ana Lima": "port"} and m.issues[0].query == "reopen* OR normal"
    assert m.articles == {"a": {"outlet": "Harbour Gazette"}}
    assert len(m.signature) == 64


def test_no_manifest(tmp_path):
    m = load_manifest(corpus(tmp_path))
    assert m == Manifest() and m.signature == "none"


def test_bundled_manifest_is_clean():
    from support.paths import BUNDLED

    assert load_manifest(BUNDLED).problems == []


# ---- syntax errors: file, line and column -------------------------------------------------------

def test_toml_error_gives_file_line_and_column(tmp_path, capsys):
    root = corpus(tmp_path, 'title = "ok"\n\n[[sides]]\nid = "port"\nlabel = "Port\n')
    (problem,) = load_manifest(root).problems
    assert isinstance(problem, ManifestProblem)
    assert problem.line == 5 and problem.column is not None
    assert str(problem).startswith(f"{root / 'briefing.toml'}:5:")
    code, out, err = run(capsys, "sources", "--corpus", str(root))
    assert code == 0 and f"briefing.toml:5:{problem.column}" in err and "TOML syntax error" in err
    assert "Harbour reopens after storm" in out  # the articles are still read
    assert "Traceback" not in err


def test_manifest_not_utf8(tmp_path):
    root = corpus(tmp_path)
    (root / "briefing.toml").write_bytes(b'title = "caf\xe9"\n')
    (problem,) = load_manifest(root).problems
    assert "UTF-8" in problem.message and problem.line == 1


# ---- part-by-part checks: one message each, the rest applies --------------------------------------

def test_each_problem_one_message_and_the_rest_applies(tmp_path, capsys):
    text = GOOD.replace('"Ana Lima" = "port"\n', '"Ana Lima" = "port"\n"Tomas Reyes" = "fishermen"\n') + '''
[colours]
accent = "red"

[[issues]]
id = "broken"
label = "Broken query"
query = "(reopen* AND"

[[issues]]
id = "fielded"
query = "speaker:lima"
colour = "blue"
'''
    root = corpus(tmp_path, text)
    m = load_manifest(root)
    messages = [p.message for p in m.problems]
    assert len(messages) == 5, messages
    assert sum("unknown table `colours`" in x for x in messages) == 1
    assert sum("issue 'broken': bad query" in x and "parenthes" in x for x in messages) == 1
    assert sum("issue 'fielded': bad query" in x and "field" in x for x in messages) == 1
    assert sum("unknown key `colour`" in x for x in messages) == 1
    assert sum("'Tomas Reyes' is on side 'fishermen'" in x and "port, town" in x for x in messages) == 1
    # Everything else still applies.
    assert [i.id for i in m.issues] == ["reopening"]
    assert m.people == {"Ana Lima": "port"} and [s.id for s in m.sides] == ["port", "town"]
    assert m.articles["a"]["outlet"] == "Harbour Gazette" and m.title == "Harbour week"
    # Lines are found for what can be found.
    colours = next(p for p in m.problems if "colours" in p.message)
    assert colours.line is not None and text.splitlines()[colours.line - 1].startswith("[colours]")

    # The CLI prints each once, naming the file; the articles still get the manifest's facts.
    code, out, err = run(capsys, "sources", "--corpus", str(root), "--json")
    assert code == 0 and json.loads(out)[0]["outlet"] == "Harbour Gazette"
    assert err.count("briefing.toml") == 5 and "Traceback" not in err


def test_problems_reach_the_reader_through_the_report(tmp_path):
    root = corpus(tmp_path, GOOD.replace('"Ana Lima" = "port"', '"Ana Lima" = "harbour"'))
    report = Briefing(root).open()
    assert any("'Ana Lima' is on side 'harbour'" in m and "briefing.toml" in m for m in report.messages)


def test_wrong_types_are_named(tmp_path):
    root = corpus(tmp_path, 'title = 3\n[[sides]]\nid = "port"\ncues = "port"\n[[issues]]\nlabel = "no id"\nquery = "x"\n')
    messages = [p.message for p in load_manifest(root).problems]
    assert any("`title` must be a text string" in x for x in messages)
    assert any("`cues` must be a list" in x for x in messages)
    assert any("[[issues]] #1 has no `id`" in x for x in messages)


@pytest.mark.parametrize("query, words", [
    ("", "empty"), ('"open door', "quotation"), ("a AND", "operator"), ("OR", "only operators"),
    ("*", "wildcard"), ("a* OR b", "wildcard"), ("(x", "parenthes"), ("x)", "parenthes"),
    ("outlet:reuters", "field"), (" OR ".join(f"w{i}" for i in range(MAX_QUERY_TERMS + 1)), "terms"),
])
def test_bad_queries(query, words):
    problem = query_problem(query)
    assert problem and words in problem


@pytest.mark.parametrize("query", ['NATO AND (expan* OR "open door")', "troop* OR buildup", "talks AND NOT deadline*", "a AND NOT b"])
def test_good_queries(query):
    assert query_problem(query) is None


# ---- limits on what a manifest may ask ----------------------------------------------------------

def test_limits_keep_a_hostile_manifest_cheap(tmp_path, capsys):
    cues = ", ".join(f'"cue{i}"' for i in range(5000))
    issues = "".join(f'[[issues]]\nid = "i{i}"\nquery = "reopen* OR w{i}"\n' for i in range(MAX_ISSUES + 200))
    people = "".join(f'"Person {i}" = "port"\n' for i in range(5000))
    text = f'[[sides]]\nid = "port"\ncues = [{cues}, "{"x" * 5000}"]\n[people]\n{people}{issues}'
    assert len(text.encode()) < MAX_MANIFEST_BYTES
    root = corpus(tmp_path, text)
    m = load_manifest(root)
    assert len(m.sides[0].cues) == MAX_CUES_PER_SIDE and len(m.issues) == MAX_ISSUES
    assert len(m.people) <= 2000
    assert len(m.problems) <= 5  # one message per limit, not one per entry
    started = time.perf_counter()
    code, _, err = run(capsys, "positions", "--corpus", str(root), "--json")
    assert code == 0 and "the limit is" in err
    assert time.perf_counter() - started < 15


def test_too_large_manifest(tmp_path):
    root = corpus(tmp_path)
    with open(root / "briefing.toml", "wb") as fh:  # sparse: no disk used
        fh.truncate(MAX_MANIFEST_BYTES + 1)
    (problem,) = load_manifest(root).problems
    assert "too large" in problem.message and "briefing.toml" in str(problem)


# ---- file checks: never hangs, never reads a device ------------------------------------------------

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")


@needs_fifo
def test_fifo_manifest_does_not_hang_any_command(tmp_path):
    root = corpus(tmp_path)
    os.mkfifo(root / "briefing.toml")
    for args in (["sources"], ["index"], ["positions", "--json"]):
        started = time.perf_counter()
        done = briefing_cmd(*args, "--corpus", str(root), timeout=60)
        assert done.returncode == 0, done.stderr
        assert time.perf_counter() - started < 30
        assert "briefing.toml" in done.stderr and "not a regular file" in done.stderr
        assert "remove it" in done.stderr  # the fix
        assert "Traceback" not in done.stderr


@needs_fifo
def test_linked_manifest_to_a_fifo_or_outside(tmp_path):
    root = corpus(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.mkfifo(elsewhere / "pipe")
    (root / "briefing.toml").symlink_to(elsewhere / "pipe")
    done = briefing_cmd("sources", "--corpus", str(root), timeout=60)
    assert done.returncode == 0 and "briefing.toml" in done.stderr and "outside the corpus" in done.stderr

    (root / "briefing.toml").unlink()
    os.mkfifo(root / "pipe")
    (root / "briefing.toml").symlink_to(root / "pipe")
    (problem,) = load_manifest(root).problems
    assert "not a regular file" in problem.message


def test_manifest_link_inside_the_corpus_is_read(tmp_path):
    root = corpus(tmp_path)
    (root / "real.toml").write_text(GOOD, encoding="utf-8")
    (root / "briefing.toml").symlink_to(root / "real.toml")
    m = load_manifest(root)
    assert m.problems == [] and m.title == "Harbour week"


def test_manifest_problems_do_not_stop_the_cache_from_updating(tmp_path):
    root = corpus(tmp_path, GOOD)
    Briefing(root).open()
    (root / "briefing.toml").write_text(GOOD.replace("Harbour Gazette", "Quay Courier"), encoding="utf-8")
    b = Briefing(root)
    b.open()
    assert b.articles[0].outlet == "Quay Courier"  # a changed manifest re-reads the articles


def test_parse_manifest_bytes_directly():
    m = parse_manifest(b'title = "x"\nunknown = 1\n', "test.toml")
    assert m.title == "x" and [str(p) for p in m.problems] == [
        "test.toml:2: unknown key `unknown` (a manifest has: title, event_date, sides, people, issues, articles); it is ignored"
    ]


def test_problem_messages_carry_no_markup_or_escapes(tmp_path, capsys):
    root = corpus(tmp_path, '"[@click=app.quit]x\\u001b[2J" = 1\n[people]\n"[bold red]Eve[/]" = "[link=file:///etc/passwd]s[/link]"\n')
    messages = [str(p) for p in load_manifest(root).problems]
    assert len(messages) == 2 and not any("\x1b" in m for m in messages)
    code, _, err = run(capsys, "sources", "--corpus", str(root))
    assert code == 0 and "[@click=app.quit]x" in err and "[bold red]Eve[/]" in err and "\x1b" not in err
