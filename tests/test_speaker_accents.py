"""A name printed with its accents by one outlet and without them by others is one speaker,
shown as printed with the accents; the unaccented form still finds them.

Every sentence here was written for this file."""

from __future__ import annotations

from briefing.index.model import Article, Manifest
from briefing.index.quotes.analysis import analyse_quotes
from support import quote_text


def article(aid: str, *paras: str) -> Article:
    return quote_text.article(*paras, article_id=aid, outlet=f"Wire {aid}")


ARTICLES = [
    article("a", "Former governor Tomás Ibáñez said the plan was “a waste of public money.”"),
    article("b", "Former governor Tomas Ibanez criticised the plan.", "“Nobody asked the towns,” Ibanez said."),
    article("c", "“It will fail,” former governor Tomas Ibanez told reporters."),
]


def test_a_name_printed_without_its_accents_is_the_same_speaker_shown_with_them():
    analysis = analyse_quotes(ARTICLES, Manifest())
    assert [s.name for s in analysis.speakers] == ["Tomás Ibáñez"]
    assert [q.speaker for q in analysis.quotes] == ["Tomás Ibáñez"] * 3


def test_the_accent_is_kept_even_when_most_outlets_drop_it_later_in_the_name():
    # the accent only on the last letters: the surname key alone would already match
    analysis = analyse_quotes([
        article("a", "“The wall is useless,” said former president Rafael Gutiérrez."),
        article("b", "“Not one cent,” former president Rafael Gutierrez told a radio show."),
        article("c", "Former president Rafael Gutierrez said it was “a stupid idea.”"),
    ], Manifest())
    assert {q.speaker for q in analysis.quotes} == {"Rafael Gutiérrez"}


def test_the_unaccented_form_still_finds_the_speaker():
    analysis = analyse_quotes(ARTICLES, Manifest())
    assert len(analysis.filter(speaker="Tomas Ibanez")) == 3
    assert analysis.speaker("Ibanez") is not None


def test_different_people_are_not_merged_by_folding():
    analysis = analyse_quotes([
        article("a", "“We are ready,” said Marta Núñez."),
        article("b", "“We are not,” said Pablo Nunez."),
    ], Manifest())
    assert sorted(s.name for s in analysis.speakers) == ["Marta Núñez", "Pablo Nunez"]
