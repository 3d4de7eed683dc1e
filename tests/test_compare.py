"""Where the outlets disagree: facts, quote wording, echoes and names across sources, on
constructed briefings (each fact kind, agreement and conflict, hedges and rounding, words dropped,
added and moved) and on the bundled one."""

from __future__ import annotations

import math

import pytest

import briefing.index.compare.align as align
from briefing.index.compare.build import compare
from briefing.index.compare.facts import Fact, article_facts
from briefing.index.compare.model import AGREEMENT, DISCREPANCY, ECHO, ECHOED, FACT, NAME, WORDING, Comparison
from briefing.index.corpus.scan import load_corpus
from briefing.index.model import Article, Manifest, Paragraph, Side
from briefing.index.quotes import analyse_quotes
from briefing.index.quotes.groups import Normaliser, diff_texts
from support.paths import BUNDLED

MANIFEST = Manifest(sides=[Side("north", "Northland", ("Northland", "Northern")), Side("south", "Southland", ("Southland",))])


def art(id: str, outlet: str, *paras: str) -> Article:
    return Article(id, outlet, "Headline", None, None, None, [], [Paragraph(i + 1, t) for i, t in enumerate(paras)])


def facts(*paras: str) -> list[Fact]:
    return article_facts(art("a", "A", *paras))


def one(*paras: str) -> Fact:
    (f,) = facts(*paras)
    return f


def run(*articles: Article) -> Comparison:
    return compare(articles, analyse_quotes(list(articles), MANIFEST))


def fact_items(c: Comparison) -> list:
    return [it for it in c.items if it.kind == FACT]


# --------------------------------------------------------------------------------------------
# Facts in one article: each kind, normalised


def test_durations_in_any_unit_are_hours():
    f = one("The envoys met for nearly eight hours of talks in the harbour town.")
    assert f.dimension == "duration" and f.unit == "hour" and f.text == "nearly eight hours"
    assert (f.low, f.high) == pytest.approx((7.2, 8.0))  # "nearly": within a tenth below
    assert "talks" in f.keywords
    g = one("The envoys met for 90 minutes of talks in the harbour town.")
    assert g.dimension == "duration" and g.high == pytest.approx(1.5, rel=0.06)
    y = one("The blockade has lasted three years, officials said.")
    assert y.dimension == "duration" and y.low == pytest.approx(3 * 8766)


def test_counts_say_what_they_count():
    f = one("The navy moved more than 100,000 Northern troops to the coast.")
    assert f.dimension == "count:troops" and f.low == 100_000 and math.isinf(f.high)
    assert f.value == "> 100,000 troops"
    assert one("About 2,000 soldiers crossed the river.").dimension == "count:troops"  # soldiers = troops
    assert one("The battery fired 40 missiles at the port.").dimension == "count:missiles"
    assert one("Rebels seized 12 barges near the delta.").dimension == "count:barge"  # its own class
    # a number word needs a noun the tables know: "two sides" is not a fact
    assert facts("The two sides met again, and one delegate left early.") == []


def test_people_killed_with_and_without_a_noun():
    f = one("The war has killed over 14,000 people since it began.")
    assert f.dimension == "count:people killed" and f.low == 14_000
    g = one("Thousands have been killed.")
    assert g.dimension == "count:people killed" and (g.low, g.high) == (2000, 9999)
    assert facts("The budget was 14,000 short.") == []  # a bare number: what it counts is not said


def test_lengths_money_and_shares():
    f = one("The rockets have a range of between 500 and 5,500 km over the sea.")
    assert f.dimension == "length" and (f.low, f.high) == (500, 5500)
    m = one("The range is 300 miles, the report said.")
    assert m.dimension == "length" and m.low == pytest.approx(300 * 1.609344 * 0.95)
    d = one("The fund holds $1.5 billion for the port.")
    assert d.dimension == "money:USD" and d.low < 1.5e9 < d.high  # a round sum is itself rounded
    p = one("Turnout was 64 percent in the north.")
    assert p.dimension == "percent" and p.low == 64
    assert p.value == "64 percent"  # a unit whose words have no plural keeps its name


def test_units_are_shown_in_the_plural_their_words_give():
    assert one("The pipe runs 40 miles under the bay.").value == "40 miles"
    assert one("The pipe runs 1 mile under the bay.").value == "1 mile"
    assert one("Rates rise 18 per cent for the port.").value == "18 percent"
    assert one("The council counted 12 barges in the port.").value == "12 barges"  # a noun of its own class


def test_dates_weekdays_years_and_named_counts():
    kinds = {f.dimension: f for f in facts(
        "Talks resume on Wednesday in the capital.",
        "The accord was signed on January 11, 2022 at the palace.",
        "The border was closed in 2014 by decree.",
        "Delegates of the 57-nation assembly voted.",
        "The treaty lapsed in August 2019 after a dispute.",
    )}
    assert set(kinds) == {"weekday", "date", "year", "count:members", "month"}
    assert kinds["month"].value == "August 2019"
    assert one("The pipeline runs 2000 km to the coast.").dimension == "length"  # not a year
    assert kinds["weekday"].value == "Wednesday" and "talks" in kinds["weekday"].keywords
    assert kinds["date"].value == "January 11, 2022"
    assert kinds["year"].low == 2014
    assert kinds["count:members"].named and kinds["count:members"].low == 57


def test_a_day_counted_from_another():
    wed, thu = facts("Envoys meet in the capital on Wednesday, and in the port a day later.")
    assert (wed.value, thu.value, thu.text) == ("Wednesday", "Thursday", "a day later")
    assert facts("They met again a day later.") == []  # from no day named: not a fact


def test_untrusted_text_is_only_text():
    f = one("[bold]Nearly[/bold] six hours of talks ended at [link=x]dusk[/link].")
    assert f.dimension == "duration" and f.high == 6


# --------------------------------------------------------------------------------------------
# Across outlets: agreement, conflict, hedges and rounding


def test_hedged_versions_of_one_duration_agree_and_a_different_one_conflicts():
    c = run(
        art("a", "Alpha", "The envoys ended nearly eight hours of talks in the harbour town."),
        art("b", "Beta", "After eight hours of talks the envoys left the harbour town."),
        art("c", "Gamma", "The envoys held about eight hours of talks, officials said."),
        art("d", "Delta", "Six hours of talks in the harbour town ended without a deal."),
    )
    (item,) = fact_items(c)
    assert item.status == DISCREPANCY and item.dimension == "duration"
    assert [v.source for v in item.versions] == ["a", "b", "c", "d"]
    assert "Six hours" in [v.text for v in item.versions]
    assert item.summary.startswith("8 hours") and item.summary.endswith("6 hours (Delta)")
    assert c.items[0] is item  # discrepancies come first


@pytest.mark.parametrize("first, second, agree", [
    ("more than 100,000 troops", "100,000 troops", True),     # a round number is itself rounded
    ("more than 100,000 troops", "about 100,000 troops", True),
    ("nearly 100,000 troops", "more than 100,000 troops", True),  # they meet at 100,000
    ("nearly 100,000 troops", "more than 120,000 troops", False),
    ("about 100,000 troops", "60,000 troops", False),
    ("fewer than 5,000 troops", "6,000 troops", False),
    ("up to 5,000 troops", "4,000 troops", True),
    ("more than 0 troops", "4,000 troops", True),  # an open end from zero (0 × ∞ was NaN)
])
def test_rounding_and_hedges(first, second, agree):
    c = run(art("a", "Alpha", f"The army massed {first} along the northern border."),
            art("b", "Beta", f"Officials say {second} were massed along the border."))
    (item,) = fact_items(c)
    assert item.status == (AGREEMENT if agree else DISCREPANCY)
    if agree:
        assert item.summary.endswith("2 outlets agree")


def test_nearly_is_close_below_not_a_sixth_off():
    c = run(art("a", "Alpha", "The negotiators ended nearly 14 hours of talks at the port."),
            art("b", "Beta", "The talks at the port lasted 12 hours, a negotiator said."))
    (item,) = fact_items(c)
    assert item.status == DISCREPANCY
    c = run(art("a", "Alpha", "The negotiators ended nearly 14 hours of talks at the port."),
            art("b", "Beta", "The talks at the port lasted 13 hours, a negotiator said."))
    (item,) = fact_items(c)
    assert item.status == AGREEMENT


def test_facts_about_different_things_are_not_lined_up():
    c = run(
        art("a", "Alpha", "The army massed 100,000 troops along the northern border.",
            "Separately, 3,000 troops began drills at a firing range."),
        art("b", "Beta", "About 100,000 troops are massed along the border."),
    )
    (item,) = fact_items(c)
    assert item.status == AGREEMENT and {v.text for v in item.versions} == {"100,000 troops", "About 100,000 troops"}


def test_names_alone_do_not_make_a_conflict():
    # the same minister on two different days, about two different things
    c = run(art("a", "Alpha", "Minister Ola Brandt spoke with reporters on Sunday."),
            art("b", "Beta", "Kuleba met Minister Ola Brandt on Tuesday."))
    assert [it for it in fact_items(c) if it.status == DISCREPANCY] == []


def test_one_version_per_outlet_the_better_fit_stays():
    c = run(
        art("a", "Alpha", "Nearly 100,000 troops are massed on the border, and 500 troops on the islands."),
        art("b", "Beta", "About 100,000 troops are massed on the border."),
    )
    (item,) = [it for it in fact_items(c) if len(it.versions) == 2]
    assert item.status == AGREEMENT


def test_lining_up_is_through_an_index_not_all_pairs(monkeypatch):
    calls = []
    real = align._evidence
    monkeypatch.setattr(align, "_evidence", lambda f, lu, w: calls.append(1) or real(f, lu, w))
    def word(i: int, end: str) -> str:  # a distinct word per article, letters only
        return "".join("bcdfghjklm"[int(d)] for d in f"{i:03d}") + end

    articles = [art(f"s{i}", f"O{i}", f"At {word(i, 'ville')} {i * 7 + 11} troops of {word(i, 'ford')}.") for i in range(300)]
    found = [f for a in articles for f in article_facts(a)]
    assert len(found) == 300
    align.line_up(found)
    assert calls == []  # 300 facts with no word in common: not one comparison
    articles = [art(f"s{i}", f"O{i}", f"The army moved {i * 7 + 11} troops near {word(i, 'ville')}.") for i in range(300)]
    align.line_up([f for a in articles for f in article_facts(a)])
    # one word in common: each fact looks at a bounded number of line-ups, not at every other fact
    assert len(calls) <= 300 * align.CANDIDATES_PER_WORD * 2 < 300 * 299


def test_one_thing_printed_by_thousands_of_outlets_is_one_line_up(monkeypatch):
    calls = []
    real = align.overlap
    monkeypatch.setattr(align, "overlap", lambda *a: calls.append(1) or real(*a))
    articles = [art(f"s{i:04d}", f"O{i}", "The envoys held nearly eight hours of talks in the town." if i % 7
                    else "Six hours of talks in the town ended.") for i in range(2000)]
    found = [f for a in articles for f in article_facts(a)]
    (item,) = align.fact_items(found, {a.id: a.outlet for a in articles})
    assert item.status == DISCREPANCY and len(item.versions) == 2000
    assert len(calls) < 10 * len(found)  # each fact against the line-up, never against each other fact
    assert "more" in item.summary and len(item.summary) < 200  # one line, whatever the number of outlets


# --------------------------------------------------------------------------------------------
# Quotes: wording, echoes


@pytest.mark.parametrize("ref, ver, expected", [
    # dropped words inside the sentence
    ("We will never close the northern passage to trade.", "We will never close the passage to trade.",
     [("delete", "northern", "", False)]),
    # added words
    ("We will keep the harbour open.", "We will keep the harbour open to every ship.",
     [("insert", "", "to every ship", True)]),
    # reordered words
    ("We need binding, written guarantees.", "We need written, binding guarantees.",
     [("move", "written", "written", False)]),
    # a dropped clause: the version ends the sentence where the reference goes on
    ("We will not close the passage, which has always been open to the fleet,", "We will not close the passage.",
     [("delete", "which has always been open to the fleet", "", True)]),
])
def test_word_diffs(ref, ver, expected):
    d = diff_texts(ref, ver, Normaliser((ref, ver)))
    assert [(c.op, c.reference, c.version, c.clause) for c in d.changes] == expected
    for c in d.changes:
        assert ver[c.start : c.end] == c.version or c.op == "delete"


def test_reordered_words_are_moves_not_drops():
    ref, ver = "We need binding, written, lasting guarantees.", "We need lasting, written, binding guarantees."
    d = diff_texts(ref, ver, Normaliser((ref, ver)))
    assert d.changes and {c.op for c in d.changes} == {"move"}
    assert all(c.end > c.start for c in d.changes)


def test_a_fragment_only_quotes_less():
    ref = "We were firm in pushing back on proposals that are simply non-starters for us."
    d = diff_texts(ref, "that are simply non-starters for us", Normaliser((ref,)))
    assert d.changes == () and d.partial


def test_same_words_from_two_speakers_are_two_groups_linked_as_an_echo():
    a = art("a", "Alpha", "“We will not let anyone close the northern passage to trade,” Admiral Ross Eld said.")
    b = art("b", "Beta", "“We will not let anyone close the northern passage to trade,” Ambassador Ida Moor said.")
    c = art("c", "Gamma", "“We will not let anyone close the passage to trade,” said Ross Eld, the fleet commander.")
    an = analyse_quotes([a, b, c], MANIFEST)
    eld = next(g for g in an.groups if g.speaker == "Ross Eld")
    moor = next(g for g in an.groups if g.speaker == "Ida Moor")
    assert eld.sources == ["a", "c"] and moor.sources == ["b"]
    assert eld.echoes == [moor.id] and moor.echoes == [eld.id]
    comparison = compare([a, b, c], an)
    (echo,) = [it for it in comparison.items if it.kind == ECHO]
    assert echo.status == ECHOED and {v.value for v in echo.versions} == {"Ross Eld", "Ida Moor"}
    (wording,) = [it for it in comparison.items if it.kind == WORDING]
    assert wording.status == DISCREPANCY and "northern" in wording.summary
    order = [it.status for it in comparison.items]
    assert order == sorted(order, key=[DISCREPANCY, ECHOED, AGREEMENT].index)


def test_a_version_naming_no_speaker_joins_the_speaker_most_outlets_give():
    a = art("a", "Alpha", "“We will not let anyone close the northern passage to trade,” Admiral Ross Eld said.")
    b = art("b", "Beta", "“We will not let anyone close the northern passage to trade,” said Ross Eld.")
    c = art("c", "Gamma", "The statement read: “We will not let anyone close the northern passage to trade.”")
    an = analyse_quotes([a, b, c], MANIFEST)
    assert [q.speaker for q in an.quotes if q.source == "c"] == [None]
    (group,) = [g for g in an.groups if len(g.quotes) > 1]
    assert group.sources == ["a", "b", "c"] and group.speaker == "Ross Eld" and group.echoes == []


# --------------------------------------------------------------------------------------------
# Names


def test_one_person_under_two_spellings_and_two_pronouns():
    a = art("a", "Alpha", "“We are ready,” Deputy Minister Sergei Lavrenko said.", "Lavrenko said he would return.")
    b = art("b", "Beta", "“We wait,” said Deputy Minister Sergey Lavrenko.", "Lavrenko said she would return.")
    c = run(a, b)
    (item,) = [it for it in c.items if it.kind == NAME]
    assert item.status == DISCREPANCY
    values = {v.source: v.value for v in item.versions}
    assert "Sergei Lavrenko" in values["a"] and "Sergey Lavrenko" in values["b"]
    assert values["a"].endswith("he") and values["b"].endswith("she")
    assert "named" in item.summary and "called" in item.summary


def test_roles_that_contain_one_another_agree_and_others_conflict():
    a = art("a", "Alpha", "“We are ready,” said Northern Foreign Minister Peter Popov.")
    b = art("b", "Beta", "“We are ready,” said Foreign Minister Peter Popov.")
    assert [it for it in run(a, b).items if it.kind == NAME] == []
    c = art("c", "Gamma", "“We are ready,” said Defence Minister Peter Popov.")
    (item,) = [it for it in run(a, c).items if it.kind == NAME]
    assert item.status == DISCREPANCY and "titled" in item.summary


# --------------------------------------------------------------------------------------------
# The bundled briefing


@pytest.fixture(scope="module")
def bundled() -> Comparison:
    corpus = load_corpus(BUNDLED)
    return compare(corpus.articles, analyse_quotes(corpus.articles, corpus.manifest))


def test_the_talk_length_discrepancy_with_all_four_versions(bundled):
    (item,) = [it for it in bundled.items if it.kind == FACT and it.dimension == "duration" and "talks" in it.about]
    assert item.status == DISCREPANCY
    assert sorted(v.source[:3] for v in item.versions) == ["000", "001", "003", "004"]
    assert {v.text.lower() for v in item.versions} == {"nearly six hours", "nearly eight hours", "eight hours"}


def test_the_smith_and_sherman_lines_are_an_echo(bundled):
    echoes = [it for it in bundled.items if it.kind == ECHO and "slam" in it.about]
    (echo,) = echoes
    assert {v.value for v in echo.versions} == {"Wendy R. Sherman", "Julianne Smith"}
    wording = next(it for it in bundled.items if it.kind == WORDING and "slam" in it.about)
    tribune = next(v for v in wording.versions if v.source.startswith("003"))
    assert "dropped clause" in tribune.value


def test_the_bundled_names(bundled):
    names = {it.about: it for it in bundled.items if it.kind == NAME}
    assert names["Sergei Ryabkov"].status == DISCREPANCY
    sherman = names["Wendy R. Sherman"]
    assert any(v.value.endswith("· he") for v in sherman.versions) and any(v.value.endswith("· she") for v in sherman.versions)


def test_gutter_places_and_json(bundled):
    item = bundled.items[0]
    v = item.versions[0]
    assert item in bundled.discrepancies_in(v.source)[v.paragraph]
    data = bundled.to_json()
    assert {"id", "kind", "status", "about", "summary", "versions"} <= set(data[0])
    assert {"source", "paragraph", "start", "end", "value", "text"} <= set(data[0]["versions"][0])
