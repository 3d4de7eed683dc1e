"""Issue 14, speakers: words quoted from a statement, a letter or a post that someone issued
("X issued a statement calling it “…”"): the -ing verb describes the document, so whoever
issued it speaks, and a document nobody is said to issue lends its words to no one.

Every sentence here was written for this file; no name or phrase comes from any corpus."""

from __future__ import annotations

from support.quote_text import speakers


def test_two_people_who_issue_a_statement_speak_its_words():
    assert speakers("Ivo Dant and Mara Pell issued a joint statement describing the talks as a "
                    "“positive step.”") == ["Ivo Dant and Mara Pell"]


def test_the_issuer_speaks_past_a_modifier_of_the_statement():
    assert speakers("Harbour Commissioner Tove Ranke released a brief statement calling the vote "
                    "“a win for the dockworkers.”") == ["Tove Ranke"]


def test_a_post_nobody_is_said_to_issue_speaks_for_no_one():
    assert speakers("A statement calling the ruling “a victory for common sense” was read out.") == [None]
