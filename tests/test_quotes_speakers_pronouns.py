"""Issue 14, speakers: "he" and "she" across paragraphs. A pronoun goes to the most recent
person it can mean; what the story has shown of each person's gender (a courtesy title, a
pronoun used of the person just named) rules people out, even a paragraph or two back.

Every sentence here was written for this file; no name or phrase comes from any corpus."""

from __future__ import annotations

from support.quote_text import speakers


def test_a_courtesy_title_after_a_verb_is_not_part_of_the_subject():
    # "Mayor Ada Roy met Mr. Ivo Pant": two people, and "she" is the mayor
    assert speakers("Mayor Ada Roy met Mr. Ivo Pant on Tuesday.",
                    "The talks ran late into the night.",
                    "“It went well, and we will meet again,” she said.") == ["Ada Roy"]


def test_a_chain_of_pronouns_over_paragraphs_keeps_each_person():
    assert speakers("Ivo Pant spoke first. “We are ready for this,” he said.",
                    "Then Ada Roy took the floor.",
                    "“I am not ready at all,” she said.",
                    "“Nor will we ever be,” he added.") == ["Ivo Pant", "Ada Roy", "Ivo Pant"]


def test_he_looks_past_the_woman_just_named_to_the_man_further_back():
    assert speakers("Ivo Pant, the harbour master, said the port would close. Ada Roy said she disagreed.",
                    "The vote is on Friday.",
                    "“It is a mistake for the town,” she said.",
                    "“We have no other choice,” he said.") == ["Ada Roy", "Ivo Pant"]


def test_he_with_no_one_of_his_gender_in_view_still_takes_the_person_named():
    # copy calls people "he" whose gender it never showed: no one else is in view
    assert speakers("Dr. Ada Roy opened the clinic on Monday.",
                    "“This is a good day for the valley,” he said.") == ["Ada Roy"]


def test_a_description_goes_to_the_one_person_introduced_with_its_words():
    assert speakers("Sen. Ada Roy of Vermont and Gov. Ivo Pant of Maine met on Monday.",
                    "“We have work to do,” the Vermont senator said.",
                    "“Not yet,” the Maine governor replied.") == ["Ada Roy", "Ivo Pant"]


def test_a_description_two_people_fit_names_no_one():
    assert speakers("Sen. Ada Roy of Vermont and Sen. Ivo Pant of Vermont met on Monday.",
                    "“We have work to do,” the Vermont senator said.") not in (["Ada Roy"], ["Ivo Pant"])
