"""Issue 14, speakers: how a paragraph or a sentence opens — a capitalised role before a name
("Parent Mirela Oduya said"), a speaker's label opening a paragraph printed like a headline in
sentence case ("Roy: Pant's plan is ‘dangerously wrong’; …"), and a capitalised adverb or
participle opening a sentence, which names no one ("Hastily …").

Every sentence here was written for this file; no name or phrase comes from any corpus."""

from __future__ import annotations

from support.quote_text import speakers


def test_a_capitalised_role_before_a_name_opening_a_sentence():
    assert speakers("Parent Ilse Varga said the school was “falling apart.”") == ["Ilse Varga"]
    assert speakers("Teacher Ivo Pant said the roof “leaks every winter.”") == ["Ivo Pant"]


def test_a_label_opening_a_paragraph_owns_its_clause_up_to_a_semicolon():
    assert speakers("Roy: Pant's view of the port is 'dangerously wrong'; In a speech, she attacks his record.",
                    "Ada Roy spoke on Monday.") == ["Ada Roy"]


def test_a_topic_before_a_colon_is_no_label():
    assert speakers("Voters' reaction: 'Is that all there is?'; Candidates say the plan is weak.") == ["Candidates"]
    assert speakers("Update: Ada Roy said the plan was “dead.”") == ["Ada Roy"]


def test_a_capitalised_adverb_opening_a_sentence_is_no_subject():
    assert speakers("Hastily blaming the storm on the port ― much as he did after the floods in the capital in "
                    "January of last year ― Ivo Pant cast the blame on his rivals, and stressed the threat that "
                    "“neglect” poses.") == ["Ivo Pant"]


def test_a_person_of_a_body_named_with_its_possessive():
    assert speakers("“It is over,” said Harlow Radio's Ivo Pant.") == ["Ivo Pant"]
    assert speakers("“It is over,” said the Herald's Ruth Marcus.") == ["Ruth Marcus"]
