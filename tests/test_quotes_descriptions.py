"""Sources described but not named (issue 14, product decision): "a Nevada Democrat", "one campaign
source", "Officials". The description as printed is the speaker, marked as a description: one
source within its article, never merged with a named person or with another article's identical
words. Its side still comes from its role words.

Every sentence here was written for this file; no name or phrase comes from any corpus."""

from __future__ import annotations

import json

import pytest

from briefing.index.model import Article, Manifest, Paragraph, Side
from briefing.index.quotes.analysis import analyse_quotes
from briefing.index.quotes.extract import Quote, extract_quotes
from briefing.index.quotes.records import from_record, to_record
from briefing.index.quotes.extract import read_article
from briefing.index.quotes.speakers import describes_someone
from briefing.tui.cli import main

SIDES = Manifest(sides=[Side("north", "Northland", ("Northland", "Northern")),
                        Side("south", "Southland", ("Southland", "Southern"))])


def article(*paras: str, id: str = "d1") -> Article:
    return Article(id, "Test Wire", "A headline", None, None, None, [],
                   [Paragraph(i + 1, text) for i, text in enumerate(paras)])


def quotes(*paras: str, manifest: Manifest = SIDES) -> list[Quote]:
    return extract_quotes(article(*paras), manifest)


def who(*paras: str) -> list[tuple[str | None, str | None]]:
    return [(q.speaker, q.speaker_kind) for q in quotes(*paras)]


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("“The count is rigged,” said a Lakeshire Democrat, who asked not to be named.", "a Lakeshire Democrat"),
        ("One campaign source said the flyer was “a mistake from start to finish.”", "one campaign source"),
        ("“It is over,” said one longtime insider.", "one longtime insider"),
        ("A senior Northland official said the offer was “not serious.”", "a senior Northland official"),
        ("Hospital administrators warned that the ward was “at breaking point.”", "Hospital administrators"),
    ],
)
def test_the_description_as_printed_is_the_speaker(text, speaker):
    assert who(text) == [(speaker, "description")]


def test_a_described_source_keeps_the_side_of_its_role_words():
    (q,) = quotes("“We will not sign,” a senior Southland diplomat said.")
    assert (q.speaker, q.side, q.role) == ("a senior Southland diplomat", "south", "senior Southland diplomat")


def test_the_same_description_later_in_the_article_is_the_same_source():
    qs = quotes("According to a Northland official, the convoy left at dawn.",
                "“Nobody will stop it now,” the official said.")
    assert [(q.speaker, q.speaker_kind, q.side) for q in qs] == [("a Northland official", "description", "north")]
    art = article("“Prices will rise,” a harbour official said.", "“Not this year,” the official added.")
    pairs, _reader = read_article(art, SIDES)
    assert pairs[0][1] is pairs[1][1]  # one entity: one source within the article


def test_descriptions_are_never_merged_across_articles_or_with_a_named_person():
    a = article("“The vote is lost,” a senior official said.", id="a")
    b = article("“The vote is lost,” a senior official said.", "“We fight on,” said Senior Official Dana Korr.", id="b")
    analysis = analyse_quotes([a, b], SIDES)
    described = [s for s in analysis.speakers if s.kind == "description"]
    assert [(s.name, s.sources) for s in sorted(described, key=lambda s: s.sources)] == [
        ("a senior official", ["a"]), ("a senior official", ["b"])]
    assert {s.name for s in analysis.speakers if s.kind == "person"} == {"Dana Korr"}
    assert all(q.speaker_kind == "description" for q in analysis.quotes if q.speaker == "a senior official")


def test_what_is_not_a_description():
    # a document speaks for whoever issued it; a modifier without its noun, a bare word standing
    # in an apposition, a relative clause or a date describe no one
    for text in ("a statement", "the report", "the first", "a former senior", "professor", "Media",
                 "which hits liberals", "Tuesday at the university", "releasing a statement"):
        assert not describes_someone(text), text
    for text in ("a senior official", "Critics", "one source", "people", "the union leader"):
        assert describes_someone(text), text


def test_a_document_or_an_object_is_not_the_speaker():
    assert who("The memo, which leaked on Monday, said the plan had “no legal basis.”") == [(None, None)]
    # "issued a statement saying": the statement is the sentence subject's
    assert who("Mayor Ilse Brandvold issued a statement saying the fire was “under control.”") == [
        ("Ilse Brandvold", "person")]


def test_a_named_person_between_a_described_subject_and_the_quotation_is_not_skipped():
    qs = quotes("Local farmers were furious, with Councillor Piet Arendse calling the levy “daylight robbery.”")
    assert [q.speaker for q in qs] == ["Piet Arendse"]  # "with X calling": X speaks


def test_a_description_carries_to_the_next_quotation_of_its_paragraph():
    assert who("“They will not win,” said a Southland organizer. “Not here, not ever.”") == [
        ("a Southland organizer", "description"), ("a Southland organizer", "description")]


def test_the_record_keeps_the_speaker_kind():
    art = article("“It is a bad deal,” one trade negotiator said.", "“It is fine,” said Mayor Una Brek.")
    pairs, _reader = read_article(art, SIDES)
    back = from_record(to_record(pairs), art.id, art.outlet)
    assert [(q.speaker, q.speaker_kind) for q, _e in back] == [
        ("one trade negotiator", "description"), ("Una Brek", "person")]


def test_speakers_command_shows_a_description_as_such(tmp_path, capsys, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in (1, 2):
        (corpus / f"a{n}.txt").write_text(
            f"Harbour strike enters day {n}.\n\n“The port will stay shut,” a senior union official said on Monday."
            "\n\n“We will talk when they are ready,” said Harbour Master Edda Quist.\n", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["speakers", "--corpus", str(corpus), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    described = [r for r in rows if r["kind"] == "description"]
    assert [r["name"] for r in described] == ["a senior union official", "a senior union official"]
    assert sorted(s for r in described for s in r["sources"]) == ["a1", "a2"]
    assert main(["speakers", "--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "described, not named" in out and "Edda Quist" in out


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("“He does not know the new media,” said a longtime adviser to the mayor, who declined to be named.",
         "a longtime adviser to the mayor"),
        ("“It is done,” said one of those advisers.", "one of those advisers"),
        ("“She did not like that,” said a 2012 campaign veteran.", "a 2012 campaign veteran"),
        ("An observer from a campaign group called the talks “a slow-motion failure.”",
         "an observer from a campaign group"),
        ("Another commenter wrote, “We all know how she feels.”", "another commenter"),
    ],
)
def test_a_description_is_read_to_its_head_noun(text, speaker):
    assert who(text) == [(speaker, "description")]


def test_a_described_speaker_the_next_paragraph_names_is_that_person():
    qs = quotes("A federal judge on Monday blocked the toll, calling it “a tax in search of a road.”",
                "U.S. District Judge Nora Halvorsen wrote that the county had shown no need.")
    assert [(q.speaker, q.speaker_kind) for q in qs] == [("Nora Halvorsen", "person")]
    # someone of another office named next is not the judge
    qs = quotes("A federal judge on Monday blocked the toll, calling it “a tax in search of a road.”",
                "Mayor Nora Halvorsen said she would appeal.")
    assert [(q.speaker, q.speaker_kind) for q in qs] == [("a federal judge", "description")]


def test_a_month_abbreviation_without_its_stop_may_be_a_name():
    assert who("“Many of his ideas are far from sound,” columnist Wen Jun wrote in the evening paper.") == [
        ("Wen Jun", "person")]
