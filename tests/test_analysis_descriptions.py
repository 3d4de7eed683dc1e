"""Described sources ("a senior official") in the briefing-wide analysis: each is its own source
per article, so nothing is inferred for identical words in two articles as for one speaker; a
described source takes its side from its own words, quote by quote; and in an utterance group a
description counts as no name.

Every sentence here was written for this file; no name or phrase comes from any corpus."""

from __future__ import annotations

from briefing.index.analysis import analyse
from briefing.index.model import Article, Manifest, Paragraph
from briefing.index.quotes.groups import _by_speaker
from briefing.index.quotes.extract import Quote


def _article(aid: str, *paragraphs: str, outlet: str = "Wire") -> Article:
    return Article(aid, outlet, "t", None, None, None, [], [Paragraph(i + 1, p) for i, p in enumerate(paragraphs)])


def _sides_of_descriptions(analysis) -> list[tuple[str, str, str | None]]:
    return [(q.source, q.speaker, q.side) for q in analysis.quotes.quotes if q.speaker_kind == "description"]


def _guild_and_holdings() -> list[Article]:
    return [
        _article("a1", "“We have waited long enough,” said Ines Varga, president of the Riverside Bakers Guild.",
                 "“The offer stands,” said Tom Ashby, a spokesman for Crumb Holdings.",
                 "“Nobody will cross the line,” said Pia Stone, a spokeswoman for Crumb Holdings.", outlet="Ledger"),
        _article("a2", "“Bread is not a luxury,” said Riverside Bakers Guild president Ines Varga.",
                 "“The ovens stay cold,” said a Riverside Bakers Guild member.",
                 "“We can wait,” said a senior Crumb Holdings manager.", outlet="Wire"),
        _article("a3", "“We can wait,” said a senior Crumb Holdings manager.",
                 "“Nothing changes,” a senior official said.", outlet="Post"),
    ]


def test_a_described_source_takes_its_side_from_its_own_words():
    analysis = analyse(_guild_and_holdings(), Manifest())
    assert {s.label for s in analysis.manifest.sides} == {"Riverside Bakers Guild", "Crumb Holdings"}
    assert _sides_of_descriptions(analysis) == [
        ("a2", "a Riverside Bakers Guild member", "riverside-bakers-guild"),
        ("a2", "a senior Crumb Holdings manager", "crumb-holdings"),
        ("a3", "a senior Crumb Holdings manager", "crumb-holdings"),
        ("a3", "a senior official", None),
    ]
    # nothing is inferred for the words as if they were one speaker's name
    assert not any(name.startswith("a ") for name in analysis.sides.assigned)
    described = {(s.name, tuple(s.sources)): s.side for s in analysis.quotes.speakers if s.kind == "description"}
    assert described[("a senior Crumb Holdings manager", ("a2",))] == "crumb-holdings"
    assert described[("a senior official", ("a3",))] is None


def test_identical_descriptions_in_two_articles_are_not_one_speaker_two_articles_place():
    """An organisation one speaker stands for becomes a side when two articles say so; two
    articles. "a senior Harbour Rowing manager" are not known to be one speaker."""
    articles = [
        _article("b1", "“The tide will turn,” said a senior Harbour Rowing manager.", outlet="Ledger"),
        _article("b2", "“The tide will turn,” said a senior Harbour Rowing manager.", outlet="Wire"),
    ]
    analysis = analyse(articles, Manifest())
    assert analysis.manifest.sides == []
    assert _sides_of_descriptions(analysis) == [("b1", "a senior Harbour Rowing manager", None),
                                                ("b2", "a senior Harbour Rowing manager", None)]


def _q(source: str, speaker: str | None, kind: str | None) -> Quote:
    return Quote(f"{source}:1:0", source, 1, 0, 24, "the harbour stays closed", "statement", speaker, speaker,
                 None, None, "said", speaker_kind=kind)


def test_a_description_in_an_utterance_joins_the_named_speaker_like_an_unknown_one():
    named, described, unknown = _q("x", "Ines Varga", "person"), _q("y", "a guild official", "description"), _q("z", None, None)
    assert _by_speaker([named, described, unknown]) == [[named, described, unknown]]
    only_described = [_q("x", "a guild official", "description"), _q("y", "one baker", "description")]
    assert _by_speaker(only_described) == [only_described]


def test_one_utterance_named_by_one_outlet_and_described_by_another_is_one_group():
    articles = [
        _article("c1", "“We will not sign,” said Sergei Vantov, the Northmark foreign minister.", outlet="Ledger"),
        _article("c2", "“We will not sign,” said a senior Northmark diplomat.", outlet="Wire"),
    ]
    analysis = analyse(articles, Manifest())
    groups = [g for g in analysis.quotes.groups if {q.source for q in g.quotes} & {"c1", "c2"}]
    assert len(groups) == 1 and {q.source for q in groups[0].quotes} == {"c1", "c2"}
    assert groups[0].echoes == []
