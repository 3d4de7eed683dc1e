"""Issue 14, speakers: reporting verbs news copy uses that the lexicon lacked ("reacted",
"riffed", "cracked" beside a quotation; "utter", "referenced"), a base form after a modal and an
adverb ("could only quip"), and a capitalised modal that is a surname ("George Will wrote").

Every sentence here was written for this file; no name or phrase comes from any corpus."""

from __future__ import annotations

from support.quote_text import speakers


def test_verbs_that_report_speech_right_beside_a_quotation():
    assert speakers("Ada Roy spoke first.", "“Is he profiling us?” reacted Ivo Pant.") == ["Ivo Pant"]
    assert speakers("During the first debate, Ada Roy cracked, “I am a doer.”") == ["Ada Roy"]


def test_cracked_in_narration_reports_nothing():
    assert speakers("Ada Roy spoke first.", "The ice cracked under the weight of the “big” truck.") == [None]


def test_a_base_form_after_a_modal_and_an_adverb():
    assert speakers("The timing was so odd that a spokesman for Ada Roy could only quip: “The eve was booked.”") \
        == ["a spokesman for Ada Roy"]
    assert speakers("There were two words that a tired Ivo Pant could not bring himself to utter: “Ada Roy.”") \
        == ["Ivo Pant"]


def test_a_capitalised_modal_is_a_surname():
    assert speakers("The columnist Ivo Will wrote that “the party is lost.” Will described the mayor as a “caricature.”") \
        == ["Ivo Will", "Ivo Will"]
