"""A subject said not to have spoken ("the utility had not explained where the money went") is
no speaker: neither of the sentence's position nor of a quotation that follows it. The unnamed
group that does speak ("critics of the plan") stays unnamed.

Every sentence here was written for this file; no name or phrase comes from any corpus."""

from __future__ import annotations

from briefing.index.model import Article, Issue, Manifest, Paragraph, Side
from briefing.index.positions import build_positions
from briefing.index.quotes import analyse_quotes
from support.quote_text import speakers

MANIFEST = Manifest(
    sides=[Side("utility", "Utility", ("utility", "Harbour Water")), Side("council", "Council", ("council",))],
    issues=[Issue("rates", "Rates", "", "rate* OR increase* OR money")],
)


def _positions(*paragraphs: str):
    arts = [Article("x", "Wire", "t", None, None, None, [], [Paragraph(i + 1, p) for i, p in enumerate(paragraphs)])]
    return build_positions(arts, MANIFEST, analyse_quotes(arts, MANIFEST))


def _held(pos) -> list[tuple[str, str | None]]:
    return [(side, st.speaker) for (_issue, side), cell in pos.grid.items() for st in cell.statements]


def test_a_subject_said_not_to_have_explained_holds_no_position():
    pos = _positions("Critics of the rate plan said the utility had not explained where earlier increases went.")
    assert _held(pos) == []


def test_a_denied_reporting_verb_of_an_institution_is_no_statement():
    pos = _positions("Harbour Water has never explained where the money from the last rate increase went.")
    assert _held(pos) == []


def test_the_same_subject_speaking_is_still_its_position():
    pos = _positions("Critics of the rate plan said the utility explained where earlier increases went.",
                     "The utility said the rate increase would pay for new mains under the old town.")
    assert ("utility", "Utility") in _held(pos)


def test_a_denied_stance_still_states_a_position():
    pos = _positions("The utility does not want a rate increase before the regulator has ruled on the money.")
    assert ("utility", "Utility") in _held(pos)


def test_a_quotation_after_a_denied_speaker_is_not_theirs():
    assert speakers("Critics of the plan said the utility had not explained where earlier increases went.",
                    "“Show us the receipts.”") != ["the utility"]
    assert speakers("The water board has not said where the money went.", "“Show us the receipts.”") == [None]


def test_a_quotation_after_a_speaker_who_did_explain_is_theirs():
    assert speakers("Mara Vell said the money had gone on new pumps at the river works.",
                    "“Every cent is accounted for.”") == ["Mara Vell"]
