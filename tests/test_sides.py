"""Sides without a manifest: inferred from what the text says about each speaker, with evidence."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefing.index.analysis import analyse
from briefing.index.corpus.scan import load_corpus
from briefing.index.model import Article, Manifest, Paragraph, Side
from briefing.index.sides import load_world
from support.paths import BUNDLED
from support.positions import NEVER, PINNED, labels_holding

FIXTURES = Path(__file__).parent / "fixtures" / "briefings"

@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    """The bundled articles in a directory without briefing.toml, analysed."""
    root = tmp_path_factory.mktemp("bare")
    for f in BUNDLED.glob("*.txt"):
        shutil.copy(f, root / f.name)
    corpus = load_corpus(root)
    assert not corpus.manifest.sides and not corpus.manifest.issues
    return analyse(corpus.articles, corpus.manifest)


def test_bundled_without_manifest_finds_the_three_sides(bare):
    sides = {s.label: s for s in bare.manifest.sides}
    assert {"Russia", "United States", "Ukraine"} <= set(sides)
    assert all(s.inferred for s in sides.values())
    assert bare.positions.inferred_sides >= {sides["Russia"].id, sides["Ukraine"].id}


def test_bundled_without_manifest_pinned_positions(bare):
    found = [phrase for phrase, side in PINNED if side in labels_holding(bare, phrase)]
    assert len(found) == len(PINNED), set(p for p, _ in PINNED) - set(found)


@pytest.mark.parametrize("phrase, wrong", NEVER)
def test_bundled_without_manifest_no_statement_under_a_wrong_side(bare, phrase, wrong):
    assert wrong not in labels_holding(bare, phrase)


def test_bundled_without_manifest_evidence_is_the_words_that_placed_each_speaker(bare):
    by_label = {s.id: s.label for s in bare.manifest.sides}
    for sp in bare.quotes.speakers:
        evidence = bare.evidence(sp.name)
        if sp.side:
            assert evidence and all(by_label[e.side] == by_label[sp.side] for e in evidence)
            assert all(e.cue in e.words for e in evidence if e.how != "manifest")
        else:
            assert evidence == []
    peskov = bare.quotes.speaker("Peskov")
    assert by_label[peskov.side] == "Russia" and any(e.cue == "Kremlin" for e in bare.evidence(peskov.name))


def test_bundled_without_manifest_quotes_carry_the_inferred_side(bare):
    labels = bare.quotes.side_labels
    sherman = bare.quotes.filter(speaker="sherman")
    assert sherman and {labels[q.side] for q in sherman} == {"United States"}
    assert bare.quotes.filter(side="russia")


def test_the_manifest_still_wins():
    corpus = load_corpus(BUNDLED)
    analysis = analyse(corpus.articles, corpus.manifest)
    assert [s.id for s in analysis.manifest.sides] == ["russia", "us", "ukraine"]
    assert not any(s.inferred for s in analysis.manifest.sides)
    assert not analysis.positions.inferred_sides and not analysis.positions.inferred_issues
    # the evidence is still recorded: the manifest's cue words that placed each speaker
    ryabkov = analysis.quotes.speaker("Ryabkov")
    assert ryabkov.side == "russia"
    assert any(e.how == "cue" and e.cue.startswith("Russia") for e in analysis.evidence(ryabkov.name))


def _labels(analysis) -> dict[str, str | None]:
    label = {s.id: s.label for s in analysis.manifest.sides}
    return {sp.name: label.get(sp.side) if sp.side else None for sp in analysis.quotes.speakers}


def test_national_politics_two_parties():
    corpus = load_corpus(FIXTURES / "statehouse")
    analysis = analyse(corpus.articles, corpus.manifest)
    got = _labels(analysis)
    assert {s.label for s in analysis.manifest.sides} == {"Democrats", "Republicans"}
    assert got["Harold Brandt"] == "Republicans"  # "R-Ky.", "the Kentucky Republican"
    assert got["Lorena Castillo"] == "Democrats"  # "(D-Ore.)"
    assert got["Nina Oyelaran"] == "Democrats"  # "The Democratic leader"
    assert got["Alan Duvall"] == "Republicans"  # "a senior Republican on the budget committee"
    assert got["Marcus Feld"] == "Republicans"  # "an aide to Brandt"
    assert got["Jenna Morrow"] == "Democrats"  # "spokeswoman for Castillo's campaign"
    feld = analysis.evidence("Marcus Feld")
    assert feld and feld[0].how == "relation" and feld[0].cue == "Brandt"
    tags = {e.cue for e in analysis.evidence("Lorena Castillo")}
    assert "D-Ore." in tags


def test_labour_dispute_union_and_company():
    corpus = load_corpus(FIXTURES / "dockstrike")
    analysis = analyse(corpus.articles, corpus.manifest)
    got = _labels(analysis)
    assert {s.label for s in analysis.manifest.sides} == {"Coastal Dockworkers Union", "Meridian Freight Lines"}
    for name in ("Alma Reyes", "Tomas Lindqvist"):
        assert got[name] == "Coastal Dockworkers Union", name
    assert got["Victor Hale"] == "Meridian Freight Lines"  # "chief executive of Meridian Freight Lines"
    assert got["Claire Dufresne"] == "Meridian Freight Lines"  # "Meridian spokeswoman"
    okoro = next(n for n in got if n.endswith("Okoro"))
    assert got[okoro] == "Coastal Dockworkers Union"  # "a union member": the one union named


def _article(*paragraphs: str, aid: str = "a1", outlet: str = "Wire") -> Article:
    return Article(aid, outlet, "t", None, None, None, [], [Paragraph(i + 1, p) for i, p in enumerate(paragraphs)])


def test_an_organisation_with_one_speaker_two_articles_place_is_a_side():
    """A union whose one leader two outlets quote is a side; one mention in one article is not."""
    first = _article(
        "“We have waited long enough,” said Ines Varga, president of the Riverside Bakers Guild.",
        "“The offer stands,” said Tom Ashby, a spokesman for Crumb Holdings.",
        "“Nobody will cross the line,” said Pia Stone, a spokeswoman for Crumb Holdings.",
        aid="a1", outlet="Ledger",
    )
    second = _article(
        "“Bread is not a luxury,” said Riverside Bakers Guild president Ines Varga.",
        "“The tide will turn,” said Rolf Ek, a member of the Harbour Rowing Society.",
        aid="a2", outlet="Wire",
    )
    got = _labels(analyse([first, second], Manifest()))
    assert got["Ines Varga"] == "Riverside Bakers Guild"
    assert got["Tom Ashby"] == "Crumb Holdings" and got["Pia Stone"] == "Crumb Holdings"
    assert got["Rolf Ek"] is None  # one speaker, one article: not a side


def test_speaker_without_evidence_stays_unassigned():
    art = _article(
        "“The harvest came early this year,” said Maren Oakes, who farms near the river.",
        "“Prices will fall,” said Brazilian Agriculture Minister Tiago Ferraz.",
        "“We will export more,” said Ferraz again on the same afternoon in the capital.",
    )
    analysis = analyse([art], Manifest())
    got = _labels(analysis)
    assert got["Maren Oakes"] is None and analysis.evidence("Maren Oakes") == []
    assert got["Tiago Ferraz"] == "Brazil"


def test_one_party_only_places_its_member_in_the_country():
    art = _article(
        "“We need the bridge,” said Sen. Carla Pine, R-Texas, at a meeting in the county seat.",
        "“It will be built,” said Canadian Transport Minister Owen Rusk at the same meeting.",
    )
    got = _labels(analyse([art], Manifest()))
    assert got["Carla Pine"] == "United States" and got["Owen Rusk"] == "Canada"


def test_manifest_people_override_inference():
    art = _article("“We will not sign,” said Russian envoy Pavel Oblonsky after the meeting ended.")
    manifest = Manifest(people={"Pavel Oblonsky": "ukraine"}, sides=[])
    analysis = analyse([art], manifest)
    assert analysis.quotes.speaker("Oblonsky").side == "ukraine"
    assert analysis.evidence("Pavel Oblonsky")[0].how == "manifest"


def test_a_people_side_of_its_own_without_sides():
    art = _article("“We will not sign,” said Ilse Varn after the meeting ended in the town hall.")
    analysis = analyse([art], Manifest(people={"Ilse Varn": "river-league"}))
    assert analysis.quotes.speaker("Ilse Varn").side == "river-league"
    assert [(s.id, s.label) for s in analysis.manifest.sides] == [("river-league", "River League")]


def test_relation_fills_a_speaker_the_manifest_cues_leave_out():
    manifest = Manifest(sides=[Side("east", "Eastland", ("Eastland", "Eastlandic"))])
    art = _article(
        "“The border stays shut,” said Eastlandic Interior Minister Lev Arko on Monday evening.",
        "“Nothing has changed,” said Ida Brun, an aide to Arko, when asked about the crossing.",
    )
    analysis = analyse([art], manifest)
    assert analysis.quotes.speaker("Ida Brun").side == "east"
    assert analysis.evidence("Ida Brun")[0].how == "relation"
    assert not analysis.manifest.sides[0].inferred and len(analysis.manifest.sides) == 1


def test_relations_follow_the_person_they_name():
    arts = [
        _article("“The mill stays open,” said Sen. Ada Lindell (D-Maine) at the gate on Monday.",
                 "“Jobs first,” said Rep. Gus Harlan, R-Ohio, in a statement the same day.", aid="a1", outlet="Wire"),
        _article("“She never gives up,” said Pia Rusk, a longtime supporter of Lindell, outside the hall.",
                 "“He will win the vote,” said Harlan spokesman Ned Coyle after the count.",
                 "“We ran a clean race,” said Olive Tamm, who manages Harlan's campaign, late that night.",
                 aid="a2", outlet="Daily"),
    ]
    analysis = analyse(arts, Manifest())
    got = _labels(analysis)
    assert got["Ada Lindell"] == "Democrats" and got["Gus Harlan"] == "Republicans"
    assert got["Pia Rusk"] == "Democrats"  # "a longtime supporter of Lindell"
    assert got["Ned Coyle"] == "Republicans"  # "Harlan spokesman"
    assert all(e.how == "relation" for e in analysis.evidence("Pia Rusk") + analysis.evidence("Ned Coyle"))


def test_a_counterpart_is_not_on_the_same_side():
    art = _article(
        "“We came to listen,” said Brazilian Trade Minister Ana Coutinho before the session began.",
        "“We came to be heard,” said Jorge Salles, Coutinho's counterpart, after the session ended.",
        "“Nothing was agreed,” said Leo Marsh, an adviser to Coutinho, late in the evening.",
    )
    got = _labels(analyse([art], Manifest()))
    assert got["Ana Coutinho"] == "Brazil" and got["Leo Marsh"] == "Brazil"
    assert got["Jorge Salles"] is None


def test_an_ambassador_to_a_body_is_not_of_that_body():
    art = _article("“The vote was a mistake,” said Rosa Vidal, ambassador to the United Nations, on Friday.",
                   "“We will vote again,” said Canadian ambassador to the United Nations Tom Reilly.")
    got = _labels(analyse([art], Manifest()))
    assert got["Rosa Vidal"] is None  # posted to the body, not one of its own
    assert got["Tom Reilly"] == "Canada"


def test_world_data_is_general_knowledge_in_a_package_file():
    world = load_world()
    assert world.entities["russia"].kind == "country" and "Kremlin" in world.entities["russia"].terms
    assert world.tag_of["D"] == "democrats" and "GOP" in world.entities["republicans"].terms
    assert load_world() is world  # read once


# ---- the reader ---------------------------------------------------------------------------------


async def _host(analysis, articles):
    from textual.app import App, ComposeResult

    from briefing.tui.widgets.positions import PositionsPane

    shown: list = []

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield PositionsPane()

        def on_positions_pane_evidence_shown(self, event: PositionsPane.EvidenceShown) -> None:
            shown.append(event)

    return Host(), shown


async def test_positions_pane_marks_inferred_sides_and_shows_evidence_on_e():
    from briefing.tui.widgets.positions import PositionsPane, StatementList

    corpus = load_corpus(FIXTURES / "statehouse")
    analysis = analyse(corpus.articles, corpus.manifest)
    app, shown = await _host(analysis, corpus.articles)
    async with app.run_test(size=(110, 40)) as pilot:
        pane = app.query_one(PositionsPane)
        pane.set_positions(analysis.positions, {a.id: a for a in corpus.articles}, analysis.manifest.sides, analysis.evidence)
        await pilot.pause()
        grid = pane.grid
        assert grid.inferred == {"republicans", "democrats"}
        head = str(grid.render()).splitlines()[0]
        assert "Republicans*" in head and "Democrats*" in head
        note = pane.query_one("#positions-inferred")
        assert note.display and "inferred from the text" in str(note.render())
        # a cell whose headline is Feld's ("an aide to Brandt")
        target = next((i, s) for (i, s), c in grid.cells.items() if any(st.speaker == "Marcus Feld" for st in c.statements))
        grid.row = [i for i, _ in grid.issues].index(target[0])
        grid.col = grid.side_ids.index(target[1])
        grid.focus()
        await pilot.press("enter")
        await pilot.pause()
        lst = pane.query_one(StatementList)
        lst.highlighted = next(n for n, st in enumerate(lst.statements) if st.speaker == "Marcus Feld")
        await pilot.press("e")
        await pilot.pause()
        box = pane.query_one("#evidence")
        assert box.display
        text = str(box.render())
        assert "Marcus Feld" in text and "Republicans (inferred)" in text and "aide to Brandt" in text
        assert shown and shown[-1].speaker == "Marcus Feld" and shown[-1].evidence[0].how == "relation"
        await pilot.press("e")
        await pilot.pause()
        assert not box.display


async def test_evidence_and_labels_are_never_markup():
    from briefing.tui.widgets.positions import PositionsPane

    art = _article(
        "“We will hold the line,” said Rena Holt, chief executive of Acme [red]Works[/red], on Monday.",
        "“So will we,” said Tom Vance, a spokesman for the union, after the vote.",
    )
    manifest = Manifest(sides=[Side("acme", "[bold]Acme[/bold]", ("Acme",))])
    analysis = analyse([art], manifest)
    assert analysis.quotes.speaker("Rena Holt").side == "acme"
    app, shown = await _host(analysis, [art])
    async with app.run_test(size=(110, 30)) as pilot:
        pane = app.query_one(PositionsPane)
        pane.set_positions(analysis.positions, {art.id: art}, analysis.manifest.sides, analysis.evidence)
        await pilot.pause()
        pane.grid.col = pane.grid.side_ids.index("acme")
        pane.grid.focus()
        await pilot.press("e")
        await pilot.pause()
        text = str(pane.query_one("#evidence").render())
        assert "[bold]Acme[/bold]" in text and "[red]Works[/red]" in text  # as written, not as styles
        assert shown and shown[-1].evidence
        assert "[bold]Acme[/b" in str(pane.grid.render()).splitlines()[0]  # literally, cut to the column


async def test_reader_on_a_corpus_without_manifest_uses_the_inferred_sides(tmp_path, monkeypatch):
    from briefing.tui.app import BriefingApp
    from support.tui import wait_loaded

    root = tmp_path / "bare"
    shutil.copytree(FIXTURES / "dockstrike", root)
    app = BriefingApp(corpus=str(root))
    async with app.run_test(size=(140, 45)) as pilot:
        await wait_loaded(pilot, app)
        grid = app.reader.positions_pane.grid
        assert {"coastal-dockworkers-union", "meridian-freight-lines"} <= set(grid.side_ids)
        assert grid.inferred >= {"coastal-dockworkers-union", "meridian-freight-lines"}
        assert sum(len(c.statements) for c in grid.cells.values()) > 0  # never empty with statements
        # the article's side tags name the inferred sides by their labels, not their ids
        assert app.reader.article_view.sides.label("coastal-dockworkers-union") == "Coastal Dockworkers Union"
        await pilot.press("4", "e")
        await pilot.pause()
        assert app.reader.positions_pane.query_one("#evidence").display
        # the palette offers the inferred sides and the discovered issues
        from briefing.tui.commands import BriefingCommands

        prompts = [prompt for prompt, _help, _cb in BriefingCommands(app.screen)._commands()]
        assert "Quotes from Coastal Dockworkers Union" in prompts
        assert any(p.startswith("Positions: ") for p in prompts)
        assert "Evidence: Alma Reyes" in prompts
        app.reader.show_evidence("Alma Reyes")
        await pilot.pause()
        notes = [str(n.message) for n in app._notifications]
        assert any("Coastal Dockworkers Union" in n and "president of the Coastal Dockworkers Union" in n for n in notes)


def test_cli_speakers_and_positions_show_inferred_sides_and_evidence(tmp_path, capsys, monkeypatch):
    import json

    from briefing.tui.cli import main

    monkeypatch.setenv("COLUMNS", "240")  # one table row per speaker

    root = tmp_path / "politics"
    shutil.copytree(FIXTURES / "statehouse", root)
    assert main(["speakers", "--corpus", str(root)]) == 0
    out = capsys.readouterr().out
    assert "Republicans (inferred)" in out and "aide to Brandt" in out and "D-Ore." in out
    assert main(["speakers", "--json", "--corpus", str(root)]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    feld = rows["Marcus Feld"]
    assert feld["side"] == "republicans" and feld["side_label"] == "Republicans" and feld["side_inferred"]
    assert feld["evidence"][0] == {"side": "republicans", "words": "aide to Brandt", "cue": "Brandt",
                                   "how": "relation", "source": "001_wire"}
    assert main(["positions", "--side", "democrats", "--corpus", str(root)]) == 0
    out = capsys.readouterr().out
    assert "Democrats (inferred)" in out and "issue found from the text" in out
    assert main(["positions", "--json", "--side", "republicans", "--corpus", str(root)]) == 0
    cells = json.loads(capsys.readouterr().out)
    assert cells and all(c["side_inferred"] and c["side_label"] == "Republicans" for c in cells)
    assert any(c["issue_inferred"] and c["issue_query"] for c in cells)
    assert main(["quotes", "--side", "republicans", "--corpus", str(root)]) == 0
    assert "Republicans (inferred)" in capsys.readouterr().out


def test_one_title_printed_by_two_outlets_is_two_articles_evidence():
    """'Council President X' in two outlets' copy places X on the council by two articles."""
    first = _article("“We will not rush this,” said Council President Ilse Marr on Tuesday.", aid="a1", outlet="Ledger")
    second = _article("Council President Ilse Marr said the vote would wait. “We will not rush this,” she said.", aid="a2", outlet="Wire")
    third = _article("“The pipes are old,” said Quay Water chief Otto Brell.", aid="a3", outlet="Post")
    got = _labels(analyse([first, second, third], Manifest()))
    assert got["Ilse Marr"] == "Council"
    assert got["Otto Brell"] is None  # one article, one speaker


@pytest.mark.parametrize("opening", ["But", "When", "And", "Even", "With"])
def test_a_word_that_opens_the_sentence_is_no_part_of_an_organisation(opening):
    first = _article(f"{opening} Harbor Trust spokesman Ned Alt said: “The deal is off.”", aid="a1")
    second = _article(f"{opening} Harbor Trust spokesman Ned Alt repeated: “The deal is off.”", aid="a2", outlet="Post")
    analysis = analyse([first, second], Manifest())
    assert {s.label for s in analysis.manifest.sides} == {"Harbor Trust"}


def test_a_body_named_by_its_kind_joins_the_one_organisation_of_one_word():
    """'Utility chief X' names the organisation; 'the utility's general manager' in another article
    is the same body by its kind: two articles place X, so it is a side."""
    first = _article("“Every year we wait, the bill grows,” said Utility chief Ada Brun.", aid="a1", outlet="Ledger")
    second = _article("Ada Brun, the utility's general manager, said: “The pipes are a century old.”", aid="a2", outlet="Wire")
    got = _labels(analyse([first, second], Manifest()))
    assert got["Ada Brun"] == "Utility"


def test_a_body_only_ever_named_by_its_kind_is_a_side_of_its_own():
    """No outlet names the board; 'chairs the school board' and 'the school board's chair' in two
    articles place its chair, and the side is labelled as printed."""
    first = _article("Tomas Brede, who chairs the school board, said: “The money is not there.”", aid="a1", outlet="Ledger")
    second = _article("The school board's chair, Tomas Brede, said: “Our door is open.”", aid="a2", outlet="Wire")
    analysis = analyse([first, second], Manifest())
    assert _labels(analysis)["Tomas Brede"] == "School board"
    side = next(s for s in analysis.manifest.sides if s.label == "School board")
    assert side.inferred and "school board" in side.cues


def test_a_body_named_by_its_kind_in_one_article_only_is_no_side():
    first = _article("Tomas Brede, who chairs the school board, said: “The money is not there.”", aid="a1", outlet="Ledger")
    second = _article("“The heat broke records,” said Ana Lind, a meteorologist.", aid="a2", outlet="Wire")
    assert _labels(analyse([first, second], Manifest()))["Tomas Brede"] is None


def test_a_kind_word_opening_the_sentence_joins_the_named_body():
    """'Union president Ilse Vaar:' capitalises 'Union' only because it opens the sentence: it is
    the one union named elsewhere ('president of the Brenmoor Teachers Union'), not a body 'Union'."""
    first = _article("“Smaller classes. That is all,” said Ilse Vaar, president of the Brenmoor Teachers Union.", aid="a1")
    second = _article("Union president Ilse Vaar said: “We go back for a contract.”", aid="a2", outlet="Post")
    analysis = analyse([first, second], Manifest())
    assert _labels(analysis)["Ilse Vaar"] == "Brenmoor Teachers Union"
    assert "Union" not in {s.label for s in analysis.manifest.sides}
