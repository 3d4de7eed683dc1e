"""Quotation marks that quote no one (issue 14, precision): titles of works named by what stands
around them, titles listed together, names announced as names. Each class has sentences whose
marks must be read as a non-quote, and sentences of the same shape that are real quotations.

Every sentence here was written for this file; no name or phrase comes from any corpus."""

from __future__ import annotations

import pytest

from support.quote_text import non_quote_kinds as kinds
from support.quote_text import quote_texts as shown


@pytest.mark.parametrize(
    "text, title",
    [
        # a noun for a work after the title says what it is
        ("“Quiet Waters,” the 1980s sitcom that NBN revived last year, returns on Friday.", "Quiet Waters"),
        ("Lark Films bought the rights to “Ledger Lines,” a thriller about a night auditor.", "Ledger Lines"),
        ("The crowd filled the hall for “Salt Road,” a documentary about the fishing towns.", "Salt Road"),
        # two words before it announce a work or a broadcast
        ("The network’s revival of “Harbour Lights” drew its best ratings in years.", "Harbour Lights"),
        ("In an interview with “Morning Desk,” Mayor Ida Brek defended the budget.", "Morning Desk"),
        ("“We will not back down,” Mayor Ida Brek told “Morning Desk” on Monday.", "Morning Desk"),
        ("The network canceled “Night Harbour” after one season.", "Night Harbour"),
        ("She is the co-author of “Tides of Salt,” a history of the port.", "Tides of Salt"),
        ("Brek appeared on NBN’s rival, on ABS’ “Sunday Desk,” a week later.", "Sunday Desk"),
        ("He wrote an unauthorised biography, “The Brek Years,” in 2009.", "The Brek Years"),
        # its author after it
        ("According to “A Town Remade,” by Ola Berg, the pier was sold twice.", "A Town Remade"),
        ("One of his recent reads, “The Long Winter,” by J.R. Amsel, shaped the speech.", "The Long Winter"),
        # a thing called by the title
        ("Brek’s rivals run an account called “Quiet Fury” that mocks her speeches.", "Quiet Fury"),
        ("He signed a pact with a group named “Friends of the Pier” last spring.", "Friends of the Pier"),
    ],
)
def test_titles_announced_by_their_context(text, title):
    assert kinds(text)[title] == "title"


def test_titles_listed_together_are_titles():
    text = "Back on the schedule this autumn are “Tin Roof,” “The Long Shift” and “Harbour Lights.”"
    assert set(kinds(text).values()) == {"title"}
    assert shown(text) == []


def test_a_name_announced_as_a_name_is_not_a_quotation():
    text = "For years he posted under the pseudonym “Red Falcon” on a local forum."
    assert kinds(text)["Red Falcon"] == "nickname"


def test_a_nickname_after_initials_is_part_of_the_name():
    text = "The fair was opened by Gov. A.J. “Dusty” Marr, who spoke briefly."
    assert kinds(text)["Dusty"] == "nickname"


@pytest.mark.parametrize(
    "text",
    [
        # a noun for a work used as a modifier: the phrase goes on to name a person
        "“Stop It Now,” the talk show host said on Tuesday.",
        # a list of things said, in title case, after a reporting verb
        "Outside, the marchers were chanting “Save Our Pier” and “No More Cuts” for an hour.",
        "Brek mocked her rivals, calling them “Slow Walker” and “Captain Maybe” all week.",
        # a list of slogans or statements, not in title case
        "Marchers chanted “No more cuts” and “Save our school” outside the hall.",
        # words said in an interview, after the programme's name
        "In an interview with “Morning Desk,” Brek said the plan would “save the harbour.”",
        # a description that does not end on a noun for a work
        "“It Is Over,” Brek said by phone from the harbour.",
        "“We Will Win,” the senator said at a rally that evening.",
    ],
)
def test_real_quotations_of_the_same_shape_stay(text):
    quoted = shown(text)
    assert quoted and all(k is None for q, k in kinds(text).items() if q in quoted)
    assert any(w[0].islower() or " " in w for w in quoted)


def test_programme_and_quotation_in_one_sentence():
    text = "In an interview with “Morning Desk,” Brek said the plan would “save the harbour.”"
    assert shown(text) == ["save the harbour."]
