"""A quotation printed twice in one article (a headline or a pull quote, and the body): the
copy whose own sentence names its speaker keeps that speaker, and a copy with no speaker, or
only a description of one, takes the name the body gives the same words.

Every sentence here was written for this file."""

from __future__ import annotations

from briefing.index.model import Article, Manifest
from briefing.index.quotes.analysis import analyse_quotes
from briefing.index.quotes.extract import Quote, extract_quotes
from support import quote_text

HEADLINE = "Mayors' verdict: 'Is this the whole plan?'; Councillors say the budget is too thin"


def article(*paras: str, title: str = HEADLINE) -> Article:
    return quote_text.article(*paras, article_id="r1", title=title)


BODY = (
    HEADLINE,  # plain-text copy: the headline is also the first paragraph
    "The city council published its budget on Monday, and the reaction was swift.",
    "Ana Ramos, the leader of the opposition, wrote that the mayor had little to say about the deficit.",
    "\u201cIs this the whole plan?\u201d Ramos said. \u201cWe need a new budget now.\u201d",
)


def by_paragraph(qs: list[Quote]) -> dict[tuple[int, str], str | None]:
    return {(q.paragraph, q.text): q.speaker for q in qs}


def test_the_body_copy_keeps_the_speaker_its_own_sentence_names():
    got = by_paragraph(extract_quotes(article(*BODY), Manifest()))
    assert got[(4, "Is this the whole plan?")] == "Ana Ramos"
    assert got[(4, "We need a new budget now.")] == "Ana Ramos"


def test_a_headline_copy_described_only_takes_the_name_the_body_gives():
    got = by_paragraph(extract_quotes(article(*BODY), Manifest()))
    assert got[(1, "Is this the whole plan?")] == "Ana Ramos"


def test_across_the_briefing_every_copy_is_the_named_speakers():
    analysis = analyse_quotes([article(*BODY)], Manifest())
    copies = [q.speaker for q in analysis.quotes if q.text == "Is this the whole plan?"]
    assert copies == ["Ana Ramos", "Ana Ramos"]
    assert "Councillors" not in [s.name for s in analysis.speakers]


def test_a_named_speaker_of_its_own_is_never_replaced_by_another_copys():
    qs = extract_quotes(article(
        "Senator Lia Brandt said the levy was \u201ca tax on every family in the valley.\u201d",
        "Days later Governor Piet Amsel repeated it: the levy was \u201ca tax on every family in the valley,\u201d he said.",
        title="A headline",
    ), Manifest())
    assert [q.speaker for q in qs] == ["Lia Brandt", "Piet Amsel"]


def test_a_description_in_the_body_is_its_own_sentences_frame_and_stays():
    qs = extract_quotes(article(
        "\u201cWe will not close the clinic at night,\u201d a hospital spokeswoman said.",
        "Doctor Ben Ochoa told the board: \u201cWe will not close the clinic at night.\u201d",
        title="A headline",
    ), Manifest())
    assert [q.speaker for q in qs][1] == "Ben Ochoa"
    assert qs[0].speaker != "Ben Ochoa"


def test_a_headline_copy_keeps_its_description_when_two_named_people_said_the_words():
    qs = extract_quotes(article(
        "Clinic's fate: 'We will not close the clinic'; Doctors say the board is wrong",
        "Nurse Ada Kerr said \u201cwe will not close the clinic\u201d at the first meeting.",
        "Doctor Ben Ochoa told the board: \u201cWe will not close the clinic.\u201d",
        title="Clinic's fate: 'We will not close the clinic'; Doctors say the board is wrong",
    ), Manifest())
    assert [q.speaker for q in qs] == ["Doctors", "Ada Kerr", "Ben Ochoa"]
