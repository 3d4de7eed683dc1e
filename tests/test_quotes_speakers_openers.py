"""Issue 14, speakers: a sentence opened by a conjunction ("And yet", "And then") still has its
subject right after it, so a ", saying" later in the sentence is that subject's; a comma far off
is no opening phrase's end.

Every sentence here was written for this file; no name or phrase comes from any corpus."""

from __future__ import annotations

from support.quote_text import speakers


def test_two_conjunctions_before_the_subject():
    assert speakers("And then Ivo Dant struck back hard, saying, “The council has failed us.”") == ["Ivo Dant"]


def test_one_conjunction_without_a_comma():
    assert speakers("And yet Mara Pell held firm, saying, “We will not sell the harbour.”") == ["Mara Pell"]


def test_a_conjunction_then_an_opening_phrase_keeps_its_comma():
    assert speakers("But in Ohio, Ivo Dant struck back, saying, “The council has failed us.”") == ["Ivo Dant"]


def test_a_conjunction_before_no_name_gives_no_speaker():
    assert speakers("And then the lights went out, leaving the hall dark and “eerily silent.”") == [None]
