"""Positions: each side's statements on each issue, with their evidence, never under the wrong side."""

from __future__ import annotations

import pytest

from briefing.index.corpus.scan import load_corpus
from briefing.index.model import Article, Issue, Manifest, Paragraph, Side
from briefing.index.positions import build_positions
from briefing.index.quotes import analyse_quotes
from support.paths import BUNDLED


@pytest.fixture(scope="module")
def positions():
    corpus = load_corpus(BUNDLED)
    return build_positions(corpus.articles, corpus.manifest, analyse_quotes(corpus.articles, corpus.manifest))


def side_texts(positions, side, issue=None):
    return [st.text for cell in positions.cells(issue=issue, side=side) for st in cell.statements]


def holds(positions, side, *phrases, issue=None):
    texts = " ‖ ".join(side_texts(positions, side, issue)).lower()
    return all(p.lower() in texts for p in phrases)


def test_matrix_has_every_issue_and_side(positions):
    assert [i.id for i in positions.issues] == ["nato", "forces", "troops", "missiles", "sanctions", "talks", "other"]
    assert [s for s, _ in positions.sides][:3] == ["russia", "us", "ukraine"]
    assert len(positions.cells()) == len(positions.issues) * len(positions.sides)


def test_russia_well_known_positions(positions):
    assert holds(positions, "russia", "legally binding", issue="nato")
    assert holds(positions, "russia", "no plans", issue="troops")  # denial of invasion plans
    assert holds(positions, "russia", "quick")  # wants quick results


def test_us_well_known_positions(positions):
    assert holds(positions, "us", "slam", issue="nato")  # the open door stays open
    assert holds(positions, "us", "without Ukraine", issue="nato")
    assert holds(positions, "us", "de-escalate", issue="troops")
    assert holds(positions, "us", "missile", issue="missiles")
    assert holds(positions, "us", "sanctions", issue="sanctions")
    assert holds(positions, "us", "costs and consequences", issue="sanctions")


def test_ukraine_calls_for_diplomacy(positions):
    assert holds(positions, "ukraine", "de-escalation through diplomacy")


@pytest.mark.parametrize(
    "phrase, never_side",
    [
        ("slam", "russia"),
        ("without Ukraine", "russia"),
        ("legally binding", "us"),
        ("no plans to attack", "us"),
        ("no plans, intentions or reasons", "us"),
        ("return to their barracks", "russia"),
        ("quick results", "us"),
        ("unprecedented sanctions", "russia"),
        ("wrong to make this freedom an absolute one", "us"),
        ("every nation has the right to decide its alliances", "russia"),
        ("remain united in seeking de-escalation", "russia"),
    ],
)
def test_no_statement_under_the_wrong_side(positions, phrase, never_side):
    assert not any(phrase.lower() in t.lower() for t in side_texts(positions, never_side)), (phrase, never_side)


def test_same_utterance_counted_once_with_its_outlets(positions):
    nato_us = positions.grid[("nato", "us")].statements
    slam = [st for st in nato_us if "slam" in st.text]
    assert len(slam) == 1 and len(slam[0].outlets) >= 3
    assert positions.grid[("nato", "us")].headline.outlets == max((st.outlets for st in nato_us), key=len)


def test_every_statement_links_to_its_passage(positions):
    corpus = {a.id: a for a in load_corpus(BUNDLED).articles}
    for st in positions.statements:
        text = corpus[st.source].paragraph(st.paragraph).text
        assert st.text in text or text[st.start:st.end].strip().startswith(st.text[:20])


def _article(*paragraphs: str, aid="x", outlet="Wire") -> Article:
    return Article(aid, outlet, "t", None, None, None, [], [Paragraph(i + 1, p) for i, p in enumerate(paragraphs)])


MANIFEST = Manifest(
    sides=[Side("east", "Eastland", ("Eastland", "Eastern capital", "Ostberg")), Side("west", "Westland", ("Westland", "Westburg"))],
    issues=[Issue("water", "Water rights", "", "river OR water OR dam")],
)


def build(*paragraphs, manifest=MANIFEST):
    arts = [_article(*paragraphs)]
    return build_positions(arts, manifest, analyse_quotes(arts, manifest))


def test_institutions_speak_for_their_side():
    pos = build("Ostberg says it will never share the river with anyone upstream of the dam.",
                "Westburg insisted that the water treaty must be honoured by both parties this year.")
    assert [s.speaker for s in pos.grid[("water", "east")].statements] == ["Ostberg"]
    assert [s.speaker for s in pos.grid[("water", "west")].statements] == ["Westburg"]


def test_embedded_subject_is_nobodys_position():
    pos = build("Officials asked whether Westburg agreed the dam would be finished before the river floods.")
    assert all(not c.statements for c in pos.cells())


def test_joint_statement_of_two_capitals_is_held_by_both():
    pos = build("Ostberg and Westburg said the river must stay open to shipping all year round.")
    assert pos.grid[("water", "east")].statements and pos.grid[("water", "west")].statements


def test_unmatched_statement_goes_to_other_and_no_issues_means_all():
    pos = build("Ostberg said the weather was fine for the parade on Sunday afternoon in the capital.")
    assert pos.grid[("other", "east")].statements and not pos.grid[("water", "east")].statements
    bare = build("Ostberg said the weather was fine for the parade on Sunday afternoon in the capital.",
                 manifest=Manifest(sides=MANIFEST.sides))
    assert [i.id for i in bare.issues] == ["all"] and bare.grid[("all", "east")].statements


def test_empty_cells_are_empty_lists():
    pos = build("Ostberg said the river belongs to everyone who lives along its banks and shores.")
    assert pos.grid[("water", "west")].statements == []
    assert pos.grid[("water", "west")].headline is None
