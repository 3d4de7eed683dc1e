"""Issue 14, speakers: frames of news copy whose speaker was lost or misread — a speaker named as
a label before a colon (headlines, digests, transcripts), "As X puts it", a role of two plain
words before an inverted speaker's name, and a surname ending in -s that is no plural noun.

Every sentence here was written for this file; no name or phrase comes from any corpus."""

from __future__ import annotations

from briefing.index.model import Article, Manifest, Paragraph
from briefing.index.quotes.extract import extract_quotes
from support.quote_text import speakers


def test_a_label_before_a_colon_names_the_speaker():
    assert speakers('Rep. Ada Roy (D-Vt.):"I have not heard anyone cite that figure."') == ["Ada Roy"]
    assert speakers('Clinton: "Our goal is not to contain it, but to defeat it." '
                    'Bush: "The mission is to destroy it."') == ["Clinton", "Bush"]


def test_a_digest_heading_then_a_label():
    assert speakers("Polls were early, not wrong - Ivo Pant: “Although the polls failed, they were not wrong.”") \
        == ["Ivo Pant"]


def test_a_headline_label_owns_the_quote_after_its_claim():
    assert speakers("Mayor Una Brek: Fair Is ‘Going Ahead With Or Without The Council’",
                    "Mayor Una Brek said on Monday that the fair was “going ahead with or without the council.”") \
        == ["Una Brek", "Una Brek"]


def test_a_colon_after_narration_is_no_label():
    assert speakers("The plan was simple: “Build it and they will come.”") == [None]
    assert speakers("The town had one message: “Stay home.”") == [None]


def test_as_someone_puts_it():
    assert speakers("As the columnist Ivo Pant puts it, “The senators are unmoved, and the voters are bored.”") \
        == ["Ivo Pant"]


def test_two_plain_words_of_role_before_an_inverted_name():
    assert speakers("“It is hard to say,” said retired surgeon Ivo Pant.") == ["Ivo Pant"]
    assert speakers("“It was never about money,” said election lawyer Ada Roy, who works for the firm.") \
        == ["Ada Roy"]


def test_a_time_after_the_verb_is_no_role():
    assert speakers("Dr. Ada Roy spoke first. “It is hard to say,” she said last week in Harlow.") == ["Ada Roy"]


def test_a_surname_in_s_is_a_person_not_a_plural_noun():
    assert speakers("“If she does the right thing, I am confident my voters will follow,” Sanders said.") \
        == ["Sanders"]
    assert speakers("The Wil Evans campaign was loud.", "“We are not done yet,” Evans said.") == ["Evans"]


def test_a_plural_noun_opening_a_sentence_is_still_no_person():
    quotes = extract_quotes(Article("f1", "Test Wire", "A headline", None, None, None, [],
                                    [Paragraph(1, "Critics said the plan was “a disaster for the town.”")]),
                            Manifest())
    assert [q.speaker_kind for q in quotes] != ["person"]


def test_an_inverted_speaker_whose_apposition_runs_on():
    assert speakers("The vote signals “the beginning of the end” for the union, said Ivo Pant, "
                    "founder of the right-wing Harbour Party for Freedom.") == ["Ivo Pant"]
    assert speakers("“Many would call that an embarrassment” if she lost, said Ada Roy, "
                    "an elections analyst at the non-partisan Lund Report.") == ["Ada Roy"]


def test_an_opening_phrase_of_place_or_day_before_the_subject():
    assert speakers("Here in Harlow, Ada Roy stepped up her attacks on crime, saying, “We have got to act.”") \
        == ["Ada Roy"]
    assert speakers("To that, Ada Roy joked that she welcomes a good, “peaceful protest every once in a while” "
                    "since her college years.") == ["Ada Roy"]
    assert speakers("Back in 1999, Mr. Ivo Pant praised the mayor, telling a radio host: “I wish I could be like that.”") \
        == ["Ivo Pant"]


def test_a_state_after_its_city_is_a_place_not_the_subject():
    assert speakers("Speaking at a town hall in Salem, New Hampshire, Ivo Pant went after Roy, "
                    "calling him “a total stiff.”") == ["Ivo Pant"]


def test_a_pull_quote_takes_the_speaker_of_its_attributed_copy():
    assert speakers("“We will not be bullied by anyone in this town.”",
                    "The mayor spoke for an hour. “We will not be bullied by anyone in this town,” "
                    "Mayor Una Brek said.") == ["Una Brek", "Una Brek"]


def test_a_headline_quote_printed_again_in_the_story():
    assert speakers("‘Harbour Fees Are Robbery’ As Port Row Deepens",
                    "“Harbour fees are robbery,” said Ivo Pant, who runs the ferry.") == ["Ivo Pant", "Ivo Pant"]


def test_words_two_people_were_given_stay_unattributed():
    assert speakers("“We want a fair deal for all.”",
                    "“We want a fair deal for all,” said Ivo Pant.",
                    "Later, “we want a fair deal for all,” said Ada Roy.") == [None, "Ivo Pant", "Ada Roy"]


def test_a_short_stock_phrase_is_not_matched():
    assert speakers("The levy was “a disgrace” to the harbour.",
                    "“The levy is a disgrace,” said Ivo Pant.")[0] is None


def test_an_office_of_a_body_then_the_name_in_apposition():
    assert speakers("On Wednesday, however, the director of the Federal Bureau of Investigation, Ivo B. Pant, "
                    "said that the notes involved “direct, private messages between the two.”") == ["Ivo B. Pant"]


def test_a_city_then_a_state_is_still_a_place_after_a_name():
    assert speakers("Ada Roy, of Flint, Michigan, said it was “a fine day for the whole town.”") == ["Ada Roy"]


def test_two_people_as_one_label():
    assert speakers("POLLS WERE EARLY, NOT WRONG - Ada Roy and Ivo Pant: “Although the polls failed, "
                    "they were not wrong.”") == ["Ada Roy and Ivo Pant"]


def test_as_someone_had_written():
    assert speakers("As the columnist Ivo Pant had written years earlier, “We could not do without him.”") \
        == ["Ivo Pant"]


def test_an_aside_on_manner_between_the_verb_and_its_quote():
    assert speakers("When a man in the crowd shouted at him, Ivo Pant joked, again using an accent, "
                    "“Amen, brother! Come on up!”")[-1] == "Ivo Pant"
    assert speakers("Mayor Ada Roy said, smiling, “We will be fine.”") == ["Ada Roy"]


def test_a_dash_line_under_a_quotation_signs_it():
    assert speakers("Sen. Ivo Pant spoke first.",
                    "“Great speech. She is tested. She is ready.”",
                    "-President Ada Roy, tweeting after the speech.",
                    "“The whole idea is something we hear about all the time.”",
                    "- Ivo Pant.") == ["Ada Roy", "Ivo Pant"]


def test_a_dash_line_of_narration_signs_nothing():
    assert speakers("“We will win this,” Ivo Pant said.", "- And then the vote came.") == ["Ivo Pant"]
    assert speakers("“We will win this.”", "— Then the vote came, and the hall emptied.") == [None]


def test_an_age_printed_before_the_subject():
    assert speakers("76-year-old Ivo Pant, founder of the Lund Institute, endorsed Roy last week, saying he "
                    "“has shown a deep commitment to the town.”") == ["Ivo Pant"]


def test_a_dateline_with_an_agency_in_brackets():
    assert speakers("Harlow (AFP) – Democrat Ada Roy took a swipe at her rival, saying that "
                    "“bombastic comments” do more harm than good.") == ["Ada Roy"]


def test_a_long_subordinate_clause_before_the_subject():
    assert speakers("When told Roy was in the cabinet and in the running for an even bigger job in a new "
                    "government, Ivo Pant thought for a moment and said that, “I think it is an advantage.”") \
        == ["Ivo Pant"]


def test_a_source_speaking_to_an_outlet_is_the_speaker():
    quotes = extract_quotes(Article("f1", "Test Wire", "A headline", None, None, None, [], [
        Paragraph(1, "Another harbour source speaking to Lund Radio said, “The agents are looking at the fees.”")]),
        Manifest())
    assert [q.speaker for q in quotes] != ["Lund Radio"] and quotes[0].role is not None


def test_a_participle_opening_the_sentence_is_no_name():
    assert speakers("Continuing to explain his view, Ivo Pant rejected the notion, saying that if he "
                    "“found something rotten, he would say so.”") == ["Ivo Pant"]


def test_an_unmarked_match_that_is_only_a_name_keeps_the_speaker():
    # the briefing-wide pass may hand in unmarked words matching another outlet's quotation; when
    # they are only a name, the sentence still reads through them
    from briefing.index.quotes.extract import read_article
    from briefing.index.quotes.marks import QuoteSpan

    text = "“Politics matters less to them,” said Harbour Board Chair Ivo Pant. “But it is not over.”"
    a, b = text.index("Harbour Board"), text.index(". “But")
    art = Article("f1", "Test Wire", "A headline", None, None, None, [], [Paragraph(1, text)])
    pairs, _reader = read_article(art, Manifest(), {1: [QuoteSpan(a, b, a, b, True, False, False)]})
    assert [q.speaker for q, _ in pairs if q.marked] == ["Ivo Pant", "Ivo Pant"]


def test_an_age_a_role_and_a_city_with_its_state_between_name_and_verb():
    assert speakers("“I do not think she has been truthful,” Ada Roy, 67, a retired customer service "
                    "representative in Harlow, Pa., said in an interview.") == ["Ada Roy"]


def test_verbs_of_manner_beside_a_quotation():
    assert speakers("“This is fantastic!” beamed Ivo Pant of Harlow, who had slipped onto the floor.") == ["Ivo Pant"]
    assert speakers("“Our ideas of success are different,” agrees Ada Roy, 30, of Harlow.") == ["Ada Roy"]


def test_as_x_put_it_with_a_phrase_of_time_or_place_before_the_quotation():
    assert speakers("As Ines Dal put it at a rally outside the town hall, “a raise means nothing in a full room.”") == ["Ines Dal"]
    assert speakers("As Ines Dal put it on Monday, “a raise means nothing in a full room.”") == ["Ines Dal"]
