"""Issue 18, item 4: escape sequences in the corpus directory's name never reach the terminal
(CLI `sources`, the "not found" error, bookmarks notes, the reader's title)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from support.tui import env, make_app, screen_text, shared_cache, wait_loaded  # noqa: F401 - fixtures

from briefing.index.engine import Briefing
from briefing.tui.cli import main

BUNDLED = Path(__file__).resolve().parent.parent / "corpus"
EVIL = "evil\x1b]0;pwned\x07\x1b[31mred\x9b2J"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def evil_corpus(tmp_path: Path) -> Path:
    path = tmp_path / EVIL
    shutil.copytree(BUNDLED, path)
    return path


def test_briefing_title_from_the_directory_name_is_safe(tmp_path):
    corpus = evil_corpus(tmp_path)
    (corpus / "briefing.toml").unlink(missing_ok=True)
    b = Briefing(corpus)
    b.open()
    assert not CONTROL.search(b.title) and "pwned" in b.title
    b.close()


def test_cli_never_prints_the_escapes(tmp_path, capsys):
    corpus = evil_corpus(tmp_path)
    for argv in (["sources"], ["bookmarks"], ["index"], ["search", "geneva"]):
        main([*argv, "--corpus", str(corpus)])
        out, err = capsys.readouterr()
        assert not CONTROL.search(out.replace("\n", "")) and not CONTROL.search(err.replace("\n", "")), argv
    code = main(["sources", "--corpus", str(corpus / "missing")])
    out, err = capsys.readouterr()
    assert code == 1 and "not found" in err and not CONTROL.search(err.replace("\n", ""))


async def test_reader_title_is_safe(env, tmp_path):
    corpus = evil_corpus(tmp_path)
    (corpus / "briefing.toml").unlink(missing_ok=True)
    app = make_app(corpus)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_loaded(pilot, app)
        from briefing.tui.widgets.status import TitleBar

        title = app.reader.query_one(TitleBar).title_text
        assert "pwned" in title and not CONTROL.search(title)
        assert not CONTROL.search(app.title) and not CONTROL.search(app.sub_title or "")
        assert not CONTROL.search(screen_text(app).replace("\n", ""))
