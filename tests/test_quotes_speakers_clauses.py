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


def test_the_subject_after_a_long_opening_phrase():
    assert speakers("On the eve of his election to a fourth term as mayor of the harbour town in March, "
                    "Ivo Pant rallied supporters by warning darkly that “the town is in danger.”") == ["Ivo Pant"]
    assert speakers("On Thursday night as the four remaining candidates took the stage at the hall in Harlow, "
                    "Ada Roy opened with a call for the party to “embrace” her plan.") == ["Ada Roy"]


def test_the_subject_of_a_clause_inside_the_sentence():
    assert speakers("It is strange that Ivo Pant would denounce “self-rule,” which is an odd turn.") == ["Ivo Pant"]
    assert speakers("Not only did she find the gift fitting, Ada Roy concluded that “it would have been rude” to refuse.") \
        == ["Ada Roy"]


def test_a_name_that_is_no_clause_subject_speaks_for_no_one():
    assert speakers("The council met Ivo Pant in May to discuss the “green belt” plan.") == [None]
    assert speakers("One such memo includes a “no-poaching” clause.") == [None]
    assert speakers("“It is big,” said Ivo Pant. Unless rivals quit, “it is hard to see how he is stopped.”") \
        == ["Ivo Pant", "Ivo Pant"]


def test_a_title_case_headline_opens_with_the_person_the_story_names():
    assert speakers("Ada Roy Explained Why She Felt “Invisible” As A Child.",
                    "Ada Roy, a reporter, grew up in Harlow.") == ["Ada Roy"]
    assert speakers("Ada Roy Explained Why She Felt “Invisible” As A Child.") == [None]


def test_a_clause_before_the_quotation_outranks_the_main_subject_after_it():
    assert speakers("When Ivo Pant backed the “green belt” plan, Ada Roy walked out.") == ["Ivo Pant"]
    # an opening phrase with no subject of its own is the main subject's
    assert speakers("After spending the week bickering over whether the other is “qualified” to lead, "
                    "Ada Roy on Monday ripped into Pant.") == ["Ada Roy"]


def test_a_verb_after_a_name_ends_the_subject():
    assert speakers("First, Ivo Pant attacked former Republican nominee Ada Roy for being a “failed candidate.”") \
        == ["Ivo Pant"]


def test_there_opening_a_sentence_is_no_one():
    assert speakers("There’s still time for Pant to build bridges, even after dismissing them as the “harbour cartel.”") \
        == [None]


def test_his_in_a_clause_is_that_clauses_subject():
    assert speakers("Ada Roy spoke first. As the debate went on and Ivo Pant stood by his comment that "
                    "“the port hates us,” Roy tried to answer.") == ["Ivo Pant"]


def test_a_name_before_an_ing_verb_is_that_clauses_subject():
    assert speakers("I am old enough to remember President Ivo Pant going on the radio in 1977, declaring a "
                    "“moral equivalent of war” on waste.") == ["Ivo Pant"]
    assert speakers("I'm old enough to remember President Ivo Pant going on the radio in 1977, declaring a "
                    "“moral equivalent of war” on waste.") == ["Ivo Pant"]


def test_as_someone_puts_it_frames_the_whole_sentence():
    assert speakers("As the Herald's Ruth Marcus puts it, the mayor is trying to make the council "
                    "“an offer it can't refuse.”") == ["Ruth Marcus"]


def test_a_name_opening_a_subordinate_clause_before_its_apposition():
    got = speakers("Some members said they feared a repeat of the 1992 congress, when Mr. Pant, who had failed "
                   "to win the vote, called for a “cultural war” on the port.")
    assert got == ["Pant"]


def test_a_sentence_whose_only_quotation_is_a_term_leaves_its_person_in_view():
    assert speakers("What “go after them” means is left to the voters, since Ivo Pant spoke only in bromides.",
                    "“We have to be a lot tougher.”") == [None, "Ivo Pant"]
    # a short term of no one's with no person about keeps no one in view
    assert speakers("The “green belt” plan was approved on Monday.", "“It is a shame.”") == [None, None]
