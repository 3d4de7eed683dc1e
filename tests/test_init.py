"""`briefing init`: a commented briefing.toml from what was inferred, never over an existing one."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from briefing.index.analysis import analyse
from briefing.index.corpus.scan import load_corpus
from briefing.index.draft import draft_manifest, toml_string
from briefing.index.model import Article, Manifest, Paragraph
from briefing.tui.cli import main
from support.paths import BUNDLED
from support.positions import PINNED, labels_holding


@pytest.fixture
def bare(tmp_path) -> Path:
    root = tmp_path / "bare"
    root.mkdir()
    for f in BUNDLED.glob("*.txt"):
        shutil.copy(f, root / f.name)
    return root


def test_init_writes_a_manifest_that_loads_and_keeps_the_positions(bare, capsys):
    assert main(["init", "--corpus", str(bare)]) == 0
    out = capsys.readouterr().out
    assert "wrote" in out and "Russia" in out
    written = (bare / "briefing.toml").read_text(encoding="utf-8")
    assert written.startswith("#") and "[[sides]]" in written and "[[issues]]" in written
    data = tomllib.loads(written)
    assert {s["label"] for s in data["sides"]} >= {"Russia", "United States", "Ukraine"}
    assert all(s["cues"] for s in data["sides"]) and data["people"] and data["issues"]
    assert {a["id"] for a in data["articles"]} == {f.stem for f in BUNDLED.glob("*.txt")}
    assert data["title"]
    # the written manifest is now the corpus' own: nothing is inferred, the positions stay
    corpus = load_corpus(bare)
    assert [s.label for s in corpus.manifest.sides][:3] == ["United States", "Russia", "Ukraine"]
    analysis = analyse(corpus.articles, corpus.manifest)
    assert not any(s.inferred for s in analysis.manifest.sides) and not analysis.positions.inferred_issues
    assert sum(side in labels_holding(analysis, phrase) for phrase, side in PINNED) == len(PINNED)


def test_init_never_overwrites(bare, capsys):
    (bare / "briefing.toml").write_text("# mine\ntitle = \"Mine\"\n", encoding="utf-8")
    assert main(["init", "--corpus", str(bare)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert (bare / "briefing.toml").read_text(encoding="utf-8") == "# mine\ntitle = \"Mine\"\n"


def test_init_on_the_bundled_briefing_refuses(capsys):
    assert main(["init", "--corpus", str(BUNDLED)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_init_print_writes_nothing(bare, capsys):
    assert main(["init", "--print", "--corpus", str(bare)]) == 0
    assert tomllib.loads(capsys.readouterr().out)["sides"]
    assert not (bare / "briefing.toml").exists()


def test_untrusted_text_cannot_break_out_of_the_toml(tmp_path):
    hostile = 'Acme "Corp" \\ [sides]\nid = "x"\x85\u202e'
    art = Article("a1", hostile, hostile, None, None, None, [],
                  [Paragraph(1, f"“We will not pay,” said Rena Holt, chief executive of {hostile}.")])
    analysis = analyse([art], Manifest())
    text = draft_manifest(analysis, [art])
    data = tomllib.loads(text)
    assert data["articles"][0]["outlet"] == hostile
    assert "sides" not in data or all(s["id"] != "x" for s in data["sides"])
    assert "\x85" not in text and "\u202e" not in text
    assert tomllib.loads("v = " + toml_string(hostile))["v"] == hostile
