"""The Compare view (c, and the palette), its jumps to each version's passage, the ≠ in the
article gutter, and `briefing compare`."""

from __future__ import annotations

import json
from pathlib import Path

from support.tui import env, make_app, screen_text, shared_cache, wait_loaded  # noqa: F401 - fixtures

from briefing.tui.cli import main
from briefing.tui.commands import BriefingCommands
from briefing.tui.screens.compare import CompareList, CompareScreen, VersionList
from briefing.tui.screens.reader import ReaderScreen

MARKUP = "[bold red]talks[/bold red]"
QUOTE = "[link=https://example.com]the harbour[/link]"


def _corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text(
        "Harbour Daily\n\nEnvoys end long session\n\n"
        f"The envoys ended nearly eight hours of {MARKUP} in the harbour town on Monday.\n\n"
        f"“We will keep {QUOTE} open to every ship in the bay,” Admiral Ross Eld said.\n", encoding="utf-8")
    (root / "b.txt").write_text(
        "Coast Wire\n\nNo deal at the harbour\n\n"
        f"Six hours of {MARKUP} in the harbour town ended without a deal.\n\n"
        f"“We will keep {QUOTE} open to every ship,” said Admiral Ross Eld.\n", encoding="utf-8")
    return root


async def test_compare_view_lists_discrepancies_first_and_jumps_to_a_version(env):
    app = make_app(fake=False)
    posted = []
    async with app.run_test(size=(120, 40), message_hook=posted.append) as pilot:
        await wait_loaded(pilot, app)
        reader = app.reader
        assert reader.comparison is not None
        binding = next(b for b in ReaderScreen.BINDINGS if getattr(b, "id", None) == "compare.open")
        assert binding.key == "c" and binding.tooltip
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        items = screen.query_one(CompareList).items
        statuses = [it.status for it in items]
        assert statuses == sorted(statuses, key=["discrepancy", "echo", "agreement"].index)
        assert statuses[0] == "discrepancy" and "echo" in statuses and "agreement" in statuses
        # the talk-length discrepancy, its four versions under the list
        index = next(i for i, it in enumerate(items) if it.kind == "fact" and "talks" in it.about and it.dimension == "duration")
        screen.query_one(CompareList).move_cursor(index)
        await pilot.pause()
        versions = screen.query_one(VersionList)
        assert versions.option_count == 4
        assert "nearly six hours" in screen_text(app)
        # Enter on the second version: the reader at that passage, the words marked
        await pilot.press("tab", "j", "enter")
        await pilot.pause()
        chosen = [m for m in posted if isinstance(m, CompareScreen.VersionChosen)]
        assert chosen and isinstance(app.screen, ReaderScreen)
        target = chosen[-1].target
        v = items[index].versions[1]
        assert (target.source, target.paragraph) == (v.source, v.paragraph)
        view = reader.article_view
        assert view.article.id == v.source and view.cursor == v.paragraph - 1
        assert view._focus == (v.paragraph, ((v.start, v.end),))
        assert view.article.paragraph(v.paragraph).text[v.start : v.end] == v.text
        # the discrepancy is marked in the gutter where it is printed
        assert view.has_discrepancy(v.paragraph)
        assert "≠" in screen_text(app)
        # the status line names it, and c here opens the view at it
        assert items[index].about in str(reader.query_one("#status").render())
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen) and app.screen.query_one(CompareList).current is items[index]
        await pilot.press("escape")
        await pilot.pause()
        # Esc: back where the reader was before the jump
        await pilot.press("escape")
        await pilot.pause()
        assert reader.active == "sources"


async def test_compare_view_from_the_palette_and_esc_closes(env):
    app = make_app(fake=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        provider = BriefingCommands(app.screen)
        hits = [h async for h in provider.discover()]
        assert "Compare the outlets" in [h.text for h in hits]
        hit = next(h for h in hits if h.text.startswith("Discrepancy: "))
        hit.command()
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        item = app.screen.query_one(CompareList).current
        assert f"Discrepancy: {item.about}" == hit.text
        await pilot.press("]")  # the next section: the echoes
        assert app.screen.query_one(CompareList).current.status == "echo"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)


async def test_article_text_is_never_markup_in_the_view(env, tmp_path):
    app = make_app(corpus=_corpus(tmp_path), fake=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot, app)
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        (item,) = [it for it in screen.query_one(CompareList).items if it.kind == "fact" and it.dimension == "duration"]
        assert item.status == "discrepancy"
        assert "[bold red]" in item.about or "talks" in item.about
        text = screen_text(app)
        assert "Six hours" in text and "nearly eight hours" in text
        lst = screen.query_one(CompareList)
        wording = next(i for i, it in enumerate(lst.items) if it.kind == "quote-wording")
        lst.move_cursor(wording)
        await pilot.pause()
        versions = screen.query_one(VersionList)
        prompts = [versions.get_option_at_index(i).prompt.plain for i in range(versions.option_count)]
        assert all(QUOTE in p for p in prompts)  # the quotation's words, not a link
        assert QUOTE.split("]")[0] in lst.render_row(wording).plain
        lst.move_cursor(0)
        await pilot.pause()
        # a version's passage holds the markup-like words as words
        await pilot.press("enter")
        await pilot.pause()
        view = app.reader.article_view
        assert MARKUP in view.paragraph_content(view.cursor).plain


def test_cli_compare_json_on_the_bundled_briefing(capsys, env):
    assert main(["compare", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert {it["kind"] for it in items} == {"fact", "echo", "quote-wording", "name"}
    talks = next(it for it in items if it["kind"] == "fact" and it.get("dimension") == "duration" and "talks" in it["about"])
    assert talks["status"] == "discrepancy" and len(talks["versions"]) == 4
    for v in talks["versions"]:
        assert set(v) >= {"source", "paragraph", "start", "end", "value", "text"}
    assert {v["text"].lower() for v in talks["versions"]} == {"nearly six hours", "nearly eight hours", "eight hours"}
    statuses = [it["status"] for it in items]
    assert statuses == sorted(statuses, key=["discrepancy", "echo", "agreement"].index)
    slam = next(it for it in items if it["kind"] == "echo" and "slam" in it["about"])
    assert {v["value"] for v in slam["versions"]} == {"Wendy R. Sherman", "Julianne Smith"}


def test_cli_compare_prints_article_text_as_text(capsys, env, tmp_path):
    corpus = str(_corpus(tmp_path))
    assert main(["compare", "--corpus", corpus, "--kind", "fact"]) == 0
    out = capsys.readouterr().out
    assert "discrepancy" in out and "nearly eight hours" in out and "Six hours" in out
    assert "quote-wording" not in out
    assert main(["compare", "--corpus", corpus, "--kind", "quote-wording"]) == 0
    out = capsys.readouterr().out
    assert QUOTE in out.replace("\n", "")  # printed as the words it is, not as a link
    assert "in the bay" in out


async def test_the_quote_browser_draws_the_engines_diff_and_names_the_echo(env):
    from briefing.tui.widgets.quotes import VariantList

    app = make_app(fake=False)
    async with app.run_test(size=(120, 45)) as pilot:
        await wait_loaded(pilot, app)
        pane = app.reader.quotes_pane
        lst = pane.quote_list
        await pilot.press("3")
        index = next(i for i, r in enumerate(lst.rows) if r.group is not None and r.group.echoes and len(r.group.quotes) > 1
                     and any(c.clause for d in r.group.diffs for c in d.changes))
        lst.move_cursor(index)
        await pilot.pause()
        group = lst.rows[index].group
        head = str(pane.query_one("#variant-head").render())
        assert "Also said by" in head and "echo" in head
        variants = pane.query_one(VariantList)
        prompts = [variants.get_option_at_index(i).prompt for i in range(variants.option_count)]
        dropped = [p for p in prompts if "dropped clause" in p.plain]
        assert dropped and "‸" in dropped[0].plain  # where the clause was, in the version's text
        assert len({q.speaker for q in group.quotes if q.speaker}) == 1
