"""The `briefing` command: JSON shapes, human output, errors on one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


from briefing.tui.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_sources_json(capsys):
    code, out, _ = run(capsys, "sources", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 5
    assert set(rows[0]) >= {"id", "outlet", "title", "byline", "date", "paragraphs", "words"}
    assert all(r["outlet"] for r in rows)
    assert {r["outlet"] for r in rows} >= {"New York Post", "Reuters", "The Associated Press", "Tribune News Service"}


def test_sources_table_for_people(capsys):
    code, out, _ = run(capsys, "sources")
    assert code == 0 and "Tribune" in out and "New York" in out and "Reuters" in out


def test_show_json_has_paragraphs(capsys):
    code, out, _ = run(capsys, "show", "003_aa93b08ccbd7b43d", "--json")
    data = json.loads(out)
    assert code == 0 and data["id"] == "003_aa93b08ccbd7b43d"
    assert data["paragraphs"][0] == {"n": 1, "text": data["paragraphs"][0]["text"], "kind": "text"}
    assert "Sign up" not in json.dumps(data)


def test_show_by_prefix_and_number(capsys):
    _, by_prefix, _ = run(capsys, "show", "004", "--json")
    _, by_number, _ = run(capsys, "show", "5", "--json")
    assert json.loads(by_prefix)["id"] == json.loads(by_number)["id"] == "004_12fa4de552d0c0ef"


def test_show_unknown_source_is_one_line_error(capsys):
    code, out, err = run(capsys, "show", "nope")
    assert code == 1 and out == ""
    assert err.strip().count("\n") == 0 and "unknown source 'nope'" in err


def test_search_json_shape(capsys):
    code, out, _ = run(capsys, "search", "barracks", "--json")
    hits = json.loads(out)
    assert code == 0 and {h["source"][:3] for h in hits} == {"001", "004"}
    for h in hits:
        assert set(h) == {"source", "paragraph", "score", "text", "highlights"}
        for s, e in h["highlights"]:
            assert h["text"][s:e].lower() == "barracks"


def test_search_limit(capsys):
    _, out, _ = run(capsys, "search", "russia", "--limit", "3", "--json")
    assert len(json.loads(out)) == 3


def test_bad_query_exits_non_zero_with_explanation(capsys):
    code, out, err = run(capsys, "search", '"open door')
    assert code == 1 and "bad query" in err and "quotation mark" in err


def test_index_summary_and_skipped_files(tmp_path, capsys):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Title line\n\n" + "A long enough sentence of report text for the cleaner to keep it here. " * 2)
    (corpus / "empty.txt").write_text("")
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    code, out, _ = run(capsys, "index", "--corpus", str(corpus))
    assert code == 0
    assert "1 articles" in out and "empty.txt: empty file" in out and "image.txt: binary file (a PNG image)" in out
    code, out, _ = run(capsys, "index", "--corpus", str(corpus), "--json")
    data = json.loads(out)
    assert data["articles"] == 1 and data["parsed"] == 0 and len(data["skipped"]) == 2


def test_env_var_selects_corpus(tmp_path, capsys, monkeypatch):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "only.txt").write_text("A headline\n\nThe only article in this corpus has one paragraph of text for you.")
    monkeypatch.setenv("BRIEFING_CORPUS", str(corpus))
    _, out, _ = run(capsys, "sources", "--json")
    assert [r["id"] for r in json.loads(out)] == ["only"]


def test_missing_corpus_is_one_line_error(tmp_path, capsys):
    code, _, err = run(capsys, "sources", "--corpus", str(tmp_path / "absent"))
    assert code == 1 and "corpus directory not found" in err


def test_markup_in_articles_is_printed_literally(tmp_path, capsys):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "m.txt").write_text("[bold]Headline[/bold]\n\nThe text says [@click=app.quit]x[/] and [link=file:///etc/passwd]y[/link] literally, as written here.")
    code, out, _ = run(capsys, "show", "m", "--corpus", str(corpus))
    assert code == 0 and "[@click=app.quit]x[/]" in out and "[bold]Headline[/bold]" in out


def test_console_script_is_installed():
    exe = Path(sys.executable).parent / "briefing"
    assert exe.exists()
    done = subprocess.run([str(exe), "search", "barracks", "--json"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and len(json.loads(done.stdout)) == 2


def test_corpus_before_the_command_is_kept(tmp_path, capsys):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "only.txt").write_text("A headline\n\nThe only article in this corpus has one paragraph of text for you.")
    _, out, _ = run(capsys, "--corpus", str(corpus), "sources", "--json")
    assert [r["id"] for r in json.loads(out)] == ["only"]


def test_long_error_is_one_line(tmp_path, capsys):
    code, _, err = run(capsys, "sources", "--corpus", str(tmp_path / ("very-long-directory-name-" * 8)))
    assert code == 1 and err.strip().count("\n") == 0
