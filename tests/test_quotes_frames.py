"""Reporting frames of real news copy that the verb list alone misses (issue 14): a phrasal verb
in -ing after a comma, "said by telephone", a capitalised verb opening a sentence before its
speaker, a present tense after the name, and an -ing verb whose subject is named just before it.

Every sentence here was written for this file; no name or phrase comes from any corpus."""

from __future__ import annotations

import pytest

from support.quote_text import speakers


def test_a_phrasal_participle_after_a_comma_is_a_cue():
    assert speakers("“You will see more of him,” Mr. Hale continued, referring to visits in “formal settings.”") == [
        "Hale", "Hale"]


def test_said_by_telephone_is_no_passive():
    assert speakers("Senator Ines Marlowe spoke on Sunday.",
                    "“It is nonsense,” Ms. Marlowe said by telephone on Monday. “Nobody believes it.”") == [
        "Ines Marlowe", "Ines Marlowe"]


def test_a_passive_still_names_its_agent_after_by():
    assert speakers("The mayor was asked by moderator Juno Platt whether the levy was “fair to anyone.”") == ["Juno Platt"]


@pytest.mark.parametrize("verb", ["Continued", "Explained", "Warned"])
def test_a_sentence_opening_verb_before_the_speaker(verb):
    assert speakers("Organizer Teodor Valk addressed the hall.", f"{verb} Valk: “We are not finished.”") == [
        "Teodor Valk"]


def test_a_present_tense_cue_with_a_colon():
    assert speakers("Pastor Lenn Ostrow took the stage.", "The hall goes quiet, and then Ostrow continues: “Hold on.”") == [
        "Lenn Ostrow"]


def test_an_ing_verb_after_a_person_named_in_full_with_the_quotation_next_to_it():
    assert speakers("It is the same as Justice Amara Quist referring to herself as “a plain judge.”") == ["Amara Quist"]
    # narration: no quotation beside the verb, so the next "he said" is not about Quist
    assert speakers("Ivo Drummond hopes the effort results in Lise Arkwright claiming the seat.",
                    "“We need a fresh start,” he said.") == ["Ivo Drummond"]


def test_a_noun_in_s_is_no_present_tense_cue():
    assert speakers("Senator Oda Reyne accused her rival of making racist remarks by using the term “thugs.”") == [
        "Oda Reyne"]


def test_a_speech_verb_opening_a_sentence_is_not_its_subject():
    assert speakers("Later in the show, Ilse Marr stated that the audit “was not good.” "
                    "Adding, “Like all audits, it is never that bad.”") == ["Ilse Marr", "Ilse Marr"]


def test_but_said_x_is_inverted():
    assert speakers('Sam Solvik, a contestant on the show, said his boss was "always kind." '
                    'But, said Solvik, "I do not want to drum up conflict."') == ["Sam Solvik", "Sam Solvik"]


def test_a_dateline_with_a_date_is_no_subject():
    assert speakers("PARIS, July 25 (UPI) — The Harbour Board released a statement on Monday, offering "
                    "“a deep and sincere apology” to the mayor.") == ["Harbour Board"]


def test_a_pronoun_chain_runs_over_paragraphs_past_a_described_source():
    # "he" is the last person named, not the described source quoted in between: a description
    # is not a person a pronoun can point to
    assert speakers(
        "Harbour Master Edda Quist closed the port on Friday.",
        "“We had no choice,” Quist said.",
        "“It came too late,” a senior union official said.",
        "The storm moved north overnight.",
        "“We will reopen when it is safe,” she said.",
        "“Not an hour before,” she added.",
    ) == ["Edda Quist", "a senior union official", "Edda Quist", "Edda Quist"]
