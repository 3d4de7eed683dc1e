"""Issue 14, speakers: a quotation inside a clause whose speaker the sentence names elsewhere —
a reporting verb after "by" ("answered by calling her “…”"), the subject of "with … -ing"
past an adverb or a determiner.

Every sentence here was written for this file; no name or phrase comes from any corpus."""

from __future__ import annotations

from support.quote_text import speakers


def test_a_speech_verb_after_by_is_the_means_of_the_subjects_verb():
    assert speakers("Ivo Pant answered the letter by calling Una Brek “a coward.”") == ["Ivo Pant"]
    assert speakers("Asked about the vote, the mayor hit back by calling Una Brek “a clown.”") == ["mayor"]


def test_a_gerund_after_by_is_no_passive_agent():
    # "tweet by calling Ivo Pant" is no "written by Ivo Pant": Ivo Pant is the one called names
    assert speakers("Ada Roy replied to that tweet by calling Ivo Pant “a clown.”") == ["Ada Roy"]
    assert speakers("Ada Roy responded to that tweet by calling Ivo Pant “dopey” and moving on.") == ["Ada Roy"]


def test_with_a_subject_then_an_adverb_then_the_verb():
    assert speakers("Both have used harsh words, with Ada Roy recently promising to “end the deal.”") \
        == ["Ada Roy"]


def test_with_a_named_body_after_its_determiner():
    got = speakers("Unions backed her, with the Harbour Federation of Pilots calling her “our champion.”")
    assert len(got) == 1 and got[0] is not None and "Harbour Federation of Pilots" in got[0]
