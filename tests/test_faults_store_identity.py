"""Issue 18, items 2 and 19: the bookmark store belongs to the briefing (its articles' content),
not to the directory's path. A moved or copied corpus finds its bookmarks, and says so; another
corpus placed at the old path does not inherit them. The JSON export names the article by a
`file:` IRI, with the briefing's identity, and positions against that file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from briefing.tui.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def listed(capsys, corpus: Path) -> tuple[list[dict], str]:
    code, out, err = run(capsys, "bookmarks", "--corpus", str(corpus), "--json")
    assert code == 0, err
    return json.loads(out), err


def other_corpus(path: Path) -> None:
    path.mkdir()
    (path / "001_kitchen.txt").write_text(
        "Lemon cake for a crowd\n\nBy A. Baker\n\nWhisk six eggs with sugar until pale and thick, then fold in the flour.\n\n"
        "Bake for forty minutes in a moderate oven and leave it to cool before slicing.\n"
    )


def test_moved_corpus_keeps_its_bookmarks_and_says_so(tmp_path, bundled_copy, capsys):
    assert run(capsys, "bookmarks", "--corpus", str(bundled_copy), "add", "001", "-p", "2")[0] == 0
    moved = tmp_path / "renamed"
    bundled_copy.rename(moved)
    items, err = listed(capsys, moved)
    assert len(items) == 1 and items[0]["state"] == "anchored"
    assert "moved" in err and str(bundled_copy) in err
    # once adopted, quiet
    items, err = listed(capsys, moved)
    assert len(items) == 1 and "moved" not in err


def test_copied_corpus_gets_a_copy_and_the_original_keeps_its_own(tmp_path, bundled_copy, capsys):
    assert run(capsys, "bookmarks", "--corpus", str(bundled_copy), "add", "001", "-p", "2")[0] == 0
    copy = tmp_path / "copy"
    shutil.copytree(bundled_copy, copy)
    items, err = listed(capsys, copy)
    assert len(items) == 1 and "copy" in err and str(bundled_copy) in err
    assert run(capsys, "bookmarks", "--corpus", str(copy), "add", "002", "-p", "1")[0] == 0
    assert len(listed(capsys, copy)[0]) == 2
    assert len(listed(capsys, bundled_copy)[0]) == 1


def test_another_corpus_at_the_old_path_does_not_inherit(tmp_path, bundled_copy, capsys):
    assert run(capsys, "bookmarks", "--corpus", str(bundled_copy), "add", "001", "-p", "2")[0] == 0
    shutil.rmtree(bundled_copy)
    other_corpus(bundled_copy)
    items, err = listed(capsys, bundled_copy)
    assert items == []
    assert "another briefing" in err and ".sqlite3" in err  # names where the old bookmarks are kept
    assert run(capsys, "bookmarks", "--corpus", str(bundled_copy), "add", "001", "-p", "1")[0] == 0
    [only] = listed(capsys, bundled_copy)[0]
    assert only["source"] == "001_kitchen"
    # the original briefing, put back somewhere, finds its own bookmark again
    back = tmp_path / "restored"
    shutil.copytree(Path(__file__).resolve().parent.parent / "corpus", back)
    items, _err = listed(capsys, back)
    assert [i["source"][:3] for i in items] == ["001"] and items[0]["paragraph"] == 2


def test_json_export_target_is_a_file_iri_with_positions_in_that_file(bundled_copy, capsys):
    assert run(capsys, "bookmarks", "--corpus", str(bundled_copy), "add", "001", "-p", "3")[0] == 0
    code, out, err = run(capsys, "bookmarks", "--corpus", str(bundled_copy), "export", "-f", "json")
    assert code == 0, err
    [annotation] = json.loads(out)
    target = annotation["target"]
    assert target["source"].startswith("file:///")
    path = Path(bundled_copy / next(p.name for p in bundled_copy.iterdir() if p.name.startswith("001")))
    assert target["source"] == path.resolve().as_uri()
    assert annotation["briefing"]["briefing"].startswith("urn:briefing:")
    quote = next(s for s in target["selector"] if s["type"] == "TextQuoteSelector")
    position = next(s for s in target["selector"] if s["type"] == "TextPositionSelector")
    text = path.read_text(encoding="utf-8")
    assert text[position["start"]:position["end"]] == quote["exact"]
