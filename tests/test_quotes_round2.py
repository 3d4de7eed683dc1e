"""Issue 14, round 2: frames of real news copy that left a named speaker out or gave the quote
to the wrong person: a second opening phrase before the subject, an aside between dashes after
the name, and a next sentence whose own verb opens its own words.

Every sentence here was written for this file; no name or phrase comes from any corpus."""

from __future__ import annotations

from support.quote_text import speakers


def test_a_second_opening_phrase_before_the_subject():
    assert speakers("On Thursday, after weeks of silence, Marit Olsen appeared with a host and backed the levy, "
                    "saying, “I think it is right for the town.”") == ["Marit Olsen"]


def test_an_aside_between_dashes_after_the_name():
    assert speakers("Judge Pell spoke first.",
                    "On Friday, Pell — named by a weekly as the favourite — told a radio host that "
                    "“you have to take it seriously.”") == ["Pell"]


def test_the_next_sentence_opening_its_own_words_is_not_the_quotes_cue():
    assert speakers("“We are tired,” Ms. Ilse Vane said. “We are not criminals.” "
                    "Mr. Oto Brand said: “The fire was the work of others.”") == ["Ilse Vane", "Ilse Vane", "Oto Brand"]
    assert speakers("“It is a sad day,” Lina Roff told reporters. “This is what a bad culture brings.” "
                    "Gov. Ivo Lenz said he would have fired the aide.") == ["Lina Roff", "Lina Roff"]


def test_a_cue_after_the_quote_in_the_next_sentence_still_counts():
    assert speakers("“Why now?” Mr. Oto Brand asked.") == ["Oto Brand"]
    assert speakers("Mayor Ilse Vane spoke.", "“We are done.” Vane said on Monday.") == ["Ilse Vane"]
