"""Name phrases broken up by news copy (issue 14): an opening phrase before a name with an
apposition, a party-and-state apposition, an apposition inside an apposition, a dateline before
the subject, a capitalised word that only opens a sentence, and an inverted verb in narration.

Every sentence here was written for this file; no name or phrase comes from any corpus."""

from __future__ import annotations

import pytest

from support.quote_text import speakers


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("For now, Lena Okafor, at the Harbour Policy Institute, said the two ports had a “working truce.”",
         "Lena Okafor"),
        ("Just last week, Tomas Brandvik, editor at large of The Ledger, a weekly paper, wrote, “We were wrong.”",
         "Tomas Brandvik"),
        ("“You need to close the mine,” Representative Mia Bachner, Republican of Minnesota, told the governor.",
         "Mia Bachner"),
        ("Ivo Vianello, the editor of the city's official newspaper, The Harbour Courier, said every mayor was "
         "“both civic and political.”", "Ivo Vianello"),
    ],
)
def test_appositions_around_the_name(text, speaker):
    assert speakers(text) == [speaker]


def test_a_relative_clause_before_a_place_is_no_opening_phrase():
    assert speakers("Mara Ruben, whose hometown, Tidewell, may flood by 2050, argues that the levy will "
                    "“sink the county.”") == ["Mara Ruben"]


def test_a_dateline_is_not_the_subject():
    assert speakers("KETTLE FALLS, Wash. — Gov. Pia Lund on Thursday blamed the press, saying it had "
                    "“missed the story.”") == ["Pia Lund"]


@pytest.mark.parametrize("opener", ["Neither", "Does", "Had", "Were"])
def test_a_word_opening_the_sentence_is_no_first_name(opener):
    # the name learnt is "Corvin Hale", not "Neither Corvin Hale"
    assert speakers(f"{opener} Corvin Hale and his aides foresee this?",
                    "“Nobody saw it coming,” Hale said.") == ["Corvin Hale"]


def test_an_inverted_verb_in_narration_needs_its_speaker_to_end_the_clause():
    assert speakers("Ada Roe, a former vice president of sales, said Fiorella “was heavily involved” in the deal.") == [
        "Ada Roe"]


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("“The plan says different things,” Katie Pallor, who chairs the Harbour Fund said in a statement.", "Katie Pallor"),
        ("“They are drawing from her side,” Nate Sorel, the pollster who founded the site tweeted on Wednesday.",
         "Nate Sorel"),
    ],
)
def test_an_apposition_the_copy_never_closed(text, speaker):
    assert speakers(text) == [speaker]


def test_a_relative_clause_with_its_own_subject_keeps_it():
    # "who … when she called him": "she" calls, and the later "he" is not her
    assert speakers("Senator Abel Marsh spoke at the college.",
                    "The best line came from student Dee Stroud, who made me laugh when she called him “a savage grandpa.”",
                    "“We keep the movement alive,” he told me.")[-1] == "Abel Marsh"
