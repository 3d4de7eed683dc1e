"""Quotation marks that quote no one, found in an audit of real news (issue 14): the headline of
another article before its by-line, works and posters cited with a year, words printed on a
thing, page controls, glosses, crossheads between dashes, names of events and groups. Each rule
has sentences it must read as a non-quote and sentences of the same shape that stay quotations.

Every sentence here was written for this file; no name or phrase comes from any corpus."""

from __future__ import annotations

import pytest

from briefing.index.quotes.marks import find_quote_spans
from support.quote_text import non_quote_kinds as kinds
from support.quote_text import quote_texts as shown


@pytest.mark.parametrize(
    "text, quoted, kind",
    [
        # a link roundup: another article's headline, in sentence case, before its by-line
        ("FERRIES—\"Fares to rise on the harbour line in spring,\" by Gazette's Lena Moss: "
         "\"The port authority voted on Tuesday.\"", "Fares to rise on the harbour line in spring", "title"),
        ("—“A bakery closes after ninety years,” by the Ledger’s Ola Berg.", "A bakery closes after ninety years", "title"),
        # a poster, a song or a work cited with its year
        ("“Keep the pier public” (2011) was the first of the group’s posters.", "Keep the pier public", "title"),
        ("Then came “No tolls on our bridge” (2014–15), pasted across the old town.", "No tolls on our bridge", "title"),
        # printed on the thing named after it
        ("Supporters in “Vote Harbor Line” hats lined the road.", "Vote Harbor Line", "title"),
        ("A dozen students wore “Brek for Mayor” campaign pins at the debate.", "Brek for Mayor", "title"),
        ("She carried a “Save the library” tote bag into the meeting.", "Save the library", "title"),
        # page controls
        ("To get the digest, enter your address and click “join now.”", "join now.", "residue"),
        ("Readers can press the “report” button under any comment.", "report", "residue"),
        # a gloss of foreign words or of a hashtag
        ("The motto on the gate, “Nemo solus,” is Latin for “no one alone.”", "no one alone.", "title"),
        ("The tag #PuertaAbierta — “open door” — spread overnight.", "open door", "title"),
        # a crosshead set between dashes on a line of its own
        ("– ‘We kept the lights on’ –.", "We kept the lights on", "title"),
        # a noun for a work, an event or a group after the title-case words
        ("The network declined to air his “Miss Harbour” pageant this year.", "Miss Harbour", "title"),
        ("The set was once used for “The Night Desk” TV show.", "The Night Desk", "title"),
        ("Hundreds came to the “Coastline First” rally on Saturday.", "Coastline First", "title"),
        ("Drivers have a “Cabbies for Brek” Facebook page with 300 likes.", "Cabbies for Brek", "title"),
        ("She stopped by a three-day “Brek Gets It Done” bus tour in the valley.", "Brek Gets It Done", "title"),
        # a name after the noun it names, or after a verb that gives a name
        ("The super PAC “Keep Faith” spent $2 million on ads.", "Keep Faith", "title"),
        ("The cheerfully-named “Big Table Breakfast” will open the convention.", "Big Table Breakfast", "title"),
        # a phrase before that announces a work, an organisation's founder, a song played
        ("The mayor took the stage to “Harbour Nights” and waved to the crowd.", "Harbour Nights", "title"),
        ("His rallies are the political equivalent of “The Long Parade.”", "The Long Parade.", "title"),
        ("He was the founder of “Fishers for Brek 2012.”", "Fishers for Brek 2012.", "title"),
        ("“Quiet Harbour” is an adaptation of a Danish drama.", "Quiet Harbour", "title"),
    ],
)
def test_marks_that_quote_no_one(text, quoted, kind):
    assert kinds(text)[quoted] == kind
    assert quoted not in shown(text)


@pytest.mark.parametrize(
    "text, quoted",
    [
        # a sign that read “…”: the words of whoever holds it up
        ("Ana Ruiz held up a sign that read “Hands off our park.”", "Hands off our park."),
        # "by" after a quotation that is not a by-line
        ("“The vote was close,” by Brek’s own count, and she said so.", "The vote was close"),
        # a year in the sentence, not cited in parentheses after the quotation
        ("“We will finish the bridge by 2027,” Brek said (on Monday).", "We will finish the bridge by 2027"),
        # a noun after the quotation that is not the thing it names
        ("Brek called the plan “a disgrace” on Monday.", "a disgrace"),
        ("“We are ready for the rally,” Brek said.", "We are ready for the rally"),
        # language words that are not a gloss
        ("“We need French teachers for the new school,” Brek said.", "We need French teachers for the new school"),
        # a dash inside a sentence, not a crosshead
        ("Her answer – “we will see” – drew laughter.", "we will see"),
    ],
)
def test_real_quotations_of_the_same_shape_stay(text, quoted):
    assert kinds(text)[quoted] is None
    assert quoted in [q.rstrip(",.") for q in shown(text)] or quoted in shown(text)


def test_the_excerpt_after_a_by_line_is_still_read():
    text = ("FERRIES—\"Fares to rise on the harbour line in spring,\" by Gazette's Lena Moss: "
            "\"The port authority voted on Tuesday to raise fares by a tenth.\"")
    assert kinds(text) == {
        "Fares to rise on the harbour line in spring": "title",
        "The port authority voted on Tuesday to raise fares by a tenth.": None,
    }


def test_single_marks_a_plural_then_a_new_opening_mark_close_the_first_quote():
    # "Bosses’ and" reads like a plural possessive; the opening mark before the next word
    # shows it closed the quote
    text = "Mayor Brek Warns Voters Against ‘Bosses’ and ‘Bullies’ in Her Last Speech"
    assert [text[s.start : s.end] for s in find_quote_spans(text)] == ["Bosses", "Bullies"]
    text = "Audit Finds Only ‘A Few Cases’ where Fees ‘Went Unpaid.’"
    assert [text[s.start : s.end] for s in find_quote_spans(text)] == ["A Few Cases", "Went Unpaid."]


def test_single_marks_a_real_plural_possessive_stays_inside_the_quote():
    text = "She called it ‘the workers’ own plan’ and left."
    assert [text[s.start : s.end] for s in find_quote_spans(text)] == ["the workers’ own plan"]


def test_a_straight_mark_glued_to_the_next_word_still_closes_the_quote():
    # a space lost after the closing mark: the speaker's name is not the start of a new quote
    text = '"We will not sell the pier,"Ana Ruiz, who chairs the board, said on Monday. "Not this year."'
    assert [text[s.start : s.end] for s in find_quote_spans(text)] == ["We will not sell the pier", "Not this year."]


@pytest.mark.parametrize(
    "text, quoted",
    [
        ("The name “Harbour Queen” was painted over last week.", "Harbour Queen"),
        ("The port remembers the “Iron” Ana Ruiz of the 1980s.", "Iron"),
    ],
)
def test_names_and_epithets_are_not_quotations(text, quoted):
    assert kinds(text)[quoted] == "nickname"


def test_a_title_case_quotation_before_its_speaker_stays():
    text = "“Thank You” Ana Ruiz said, and sat down."
    assert kinds(text)["Thank You"] is None
    text = "The crowd roared “Great Work.” Ana Ruiz bowed."  # a sentence ends inside the marks
    assert kinds(text)["Great Work."] is None


def test_a_title_before_a_name_and_a_comma_is_no_epithet():
    # the comma inside the marks ends the title's phrase: the name after it is the sentence's subject
    text = "On the set of “Harbour Hour,” Ana Ruiz met her husband."
    assert kinds(text)["Harbour Hour"] != "nickname"
