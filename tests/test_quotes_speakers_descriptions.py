"""Issue 14, speakers: a described speaker keeps the words that say whose or which one it is
("said a person close to the family", "says a source involved in the deal"), when they close the
sentence; words of time or another clause after it are not the description's.

Every sentence here was written for this file; no name or phrase comes from any corpus."""

from __future__ import annotations

from support.quote_text import speakers


def test_a_described_speaker_keeps_its_complement():
    assert speakers("“We have work to do,” said a person close to the Roy family.") == ["a person close to the Roy family"]
    assert speakers("“It is a way to take part,” says a source involved in the fund’s creation.") \
        == ["a source involved in the fund’s creation"]


def test_the_complement_names_one_source_for_the_rest_of_the_paragraph():
    assert speakers("“We have work to do,” said a longtime adviser to both Roys. “It is a mess.”") \
        == ["a longtime adviser to both Roys", "a longtime adviser to both Roys"]


def test_time_and_clauses_after_a_description_are_not_part_of_it():
    assert speakers("“It is fine,” said a spokesman for the campaign on Tuesday.") == ["a spokesman for the campaign"]
    assert speakers("“It is fine,” said a spokesman, who declined to be named.") == ["a spokesman"]


def test_a_described_subject_keeps_its_complement_up_to_its_verb():
    assert speakers("But a source familiar with the bank’s internal review said the breach was “serious.”") \
        == ["a source familiar with the bank’s internal review"]
    assert speakers("A spokesman for the campaign on Tuesday said the plan was “dead.”") == ["a spokesman for the campaign"]
