"""One utterance across outlets: normalised matching, groups, unmarked speech, diffs, the
cross-article speaker list, and the analysis API on the bundled briefing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import briefing.index.quotes.groups as quote_groups
from briefing.index.corpus.scan import load_corpus
from briefing.index.model import Article, Manifest, Paragraph, Side
from briefing.index.quotes.groups import Normaliser, QuoteIndex, same_utterance
from briefing.index.quotes import Quote, QuoteAnalysis, analyse_quotes
from support.paths import BUNDLED
from support.annotation import fold, print_scores, score

ANNOTATION = Path(__file__).parent / "fixtures" / "quotes" / "annotation.json"
MANIFEST = Manifest(sides=[Side("north", "Northland", ("Northland", "Northern")), Side("south", "Southland", ("Southland",))])


def art(id: str, outlet: str, *paras: str) -> Article:
    return Article(id, outlet, "Headline", None, None, None, [], [Paragraph(i + 1, t) for i, t in enumerate(paras)])


def norms(text: str, corpus: tuple[str, ...] = ()) -> list[str]:
    return [t.norm for t in Normaliser(corpus).tokens(text)]


# --------------------------------------------------------------------------------------------
# Matching


def test_normalised_words_absorb_spelling_variants():
    n = Normaliser(["proposals that are simply non-starters"])
    assert [t.norm for t in n.tokens("simply nonstarters")] == [t.norm for t in n.tokens("simply non-starters")]
    assert norms("won't make decisions") == norms("will not make decisions")
    assert norms("NATO’s open-door policy") == norms("NATO's open door policy")
    assert norms("the U.S.") == norms("the US")


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("We will not allow anyone to slam closed NATO’s open door policy, which has always been central",
         "We will not allow anyone to slam NATO’s open-door policy shut", True),
        ("that are simply non-starters to the United States",
         "We were firm in pushing back on security proposals that are simply non-starters for the U.S.", True),
        ("We will not make decisions about Ukraine without Ukraine, about Europe without Europe",
         "the United States won't make any decisions about Ukraine without Ukraine, NATO without Europe", True),
        # sharing a stock phrase is not repeating an utterance
        ("The United States and its allies will respond to any attack with force",
         "We discussed trade with the United States and its allies at length in Geneva on Monday", False),
        ("frank and direct", "open, comprehensive and direct", False),
    ],
)
def test_same_utterance(a, b, same):
    corpus = (a, b)
    assert same_utterance(norms(a, corpus), norms(b, corpus)) is same


def test_candidates_come_from_the_shingle_index_not_all_pairs(monkeypatch):
    calls = []
    real = quote_groups.same_utterance
    monkeypatch.setattr(quote_groups, "same_utterance", lambda a, b: calls.append(1) or real(a, b))
    quotes = [
        Quote(f"s{i}:1:0", f"s{i}", 1, 0, 10, f"number {i} alpha{i} beta{i} gamma{i} delta{i}", "statement",
              None, None, None, None, None)
        for i in range(300)
    ]
    QuoteIndex(quotes, Normaliser()).links()
    assert calls == []  # 300 quotations with no phrase in common: not one alignment


def test_identical_reprints_link_without_alignment(monkeypatch):
    calls = []
    real = quote_groups.same_utterance
    monkeypatch.setattr(quote_groups, "same_utterance", lambda a, b: calls.append(1) or real(a, b))
    quotes = [
        Quote(f"s{i}:1:0", f"s{i}", 1, 0, 10, "We will keep the harbour open to every ship", "statement",
              None, None, None, None, None)
        for i in range(100)
    ]
    links = QuoteIndex(quotes, Normaliser()).links()
    assert len(links) == 99 and calls == []


# --------------------------------------------------------------------------------------------
# Constructed briefings


def test_group_across_outlets_with_speakers_as_given_and_diffs():
    a = art("a", "Daily North", "“We will never close the northern passage to trade,” Admiral Ross Eld said.")
    b = art("b", "South Wire", "“We will never close the passage to trade,” said Ross Eld, the fleet commander.")
    c = art("c", "Other", "“Fish prices are rising,” said trader Lu Pan.")
    an = analyse_quotes([a, b, c], MANIFEST)
    g = next(g for g in an.groups if len(g.sources) == 2)
    assert g.sources == ["a", "b"] and g.outlets == ["Daily North", "South Wire"]
    assert g.speakers == {"a": "Ross Eld", "b": "Ross Eld"}
    (diff,) = g.diffs
    assert [(c.op, c.reference, c.version) for c in diff.changes] == [("delete", "northern", "")]
    singles = [g for g in an.groups if len(g.quotes) == 1]
    assert len(singles) == 1 and singles[0].id.startswith("g-")
    assert all(q.group for q in an.quotes)


def test_unmarked_speech_is_found_and_attributed_by_the_same_rules():
    a = art("a", "Marked", "“We will not sign any deal that leaves the islands without protection,” Foreign Minister Jana Vok said.")
    b = art("b", "Unmarked", "Vok's ministry issued a statement on Monday.",
            "Foreign Minister Jana Vok told reporters that we will not sign any deal that leaves the islands without protection.")
    an = analyse_quotes([a, b], MANIFEST)
    (found,) = [q for q in an.quotes if not q.marked]
    assert found.source == "b" and found.paragraph == 2
    assert found.text.startswith("we will not sign any deal") and found.speaker == "Jana Vok"
    marked = next(q for q in an.quotes if q.marked)
    assert found.group == marked.group


def test_paraphrase_and_plain_narration_are_not_unmarked_quotes():
    a = art("a", "Marked", "“Northland has no plans, intentions or reasons to attack the islands,” Jana Vok said.")
    b = art("b", "Narration", "Northland says it has no plans to attack and rejects demands to withdraw.",
            "The islands have no plans, intentions or reasons to attack anyone, the report found in passing.")
    an = analyse_quotes([a, b], MANIFEST)
    assert all(q.marked for q in an.quotes)


def test_names_merge_across_articles_and_filter_finds_every_form():
    a = art("a", "A", "“We are ready,” Deputy Minister Sergei Lavrenko said.")
    b = art("b", "B", "Northern Deputy Minister Sergey Lavrenko spoke.", "“We wait,” Lavrenko said.")
    c = art("c", "C", "“No,” said Hunter Lavrenko, a fisherman.")
    an = analyse_quotes([a, b, c], MANIFEST)
    names = {s.name: s for s in an.speakers}
    assert set(names) == {"Sergei Lavrenko", "Hunter Lavrenko"} or set(names) == {"Sergey Lavrenko", "Hunter Lavrenko"}
    sergei = names.get("Sergei Lavrenko") or names["Sergey Lavrenko"]
    assert {"Sergei Lavrenko", "Sergey Lavrenko", "Lavrenko"} <= set(sergei.aliases)
    assert sergei.side == "north" and sergei.quotes == 2 and sergei.sources == ["a", "b"]
    assert [q.source for q in an.filter(speaker="sergey lavrenko")] == ["a", "b"]
    assert [q.source for q in an.filter(speaker="hunter")] == ["c"]
    assert [q.source for q in an.filter(side="Northland")] == ["a", "b"]
    assert [q.source for q in an.filter(side="north", source="b")] == ["b"]
    assert [q.source for q in an.filter(side="none")] == ["c"]


# --------------------------------------------------------------------------------------------
# The bundled briefing


@pytest.fixture(scope="module")
def bundled_analysis() -> QuoteAnalysis:
    corpus = load_corpus(BUNDLED)
    return analyse_quotes(corpus.articles, corpus.manifest)


@pytest.fixture(scope="module")
def annotation() -> dict:
    return json.loads(ANNOTATION.read_text(encoding="utf-8"))


def _find(an: QuoteAnalysis, source: str, paragraph: int, text: str) -> Quote:
    t = fold(text)
    hits = [q for q in an.quotes if q.source == source and q.paragraph == paragraph and t in fold(q.text)]
    assert hits, (source, paragraph, text)
    return hits[0]


def _utterance(an: QuoteAnalysis, group_id: str) -> set[str]:
    """A group and the groups linked to it as echoes: one utterance, every speaker of it."""
    group = an.group(group_id)
    assert group is not None
    return {group.id, *group.echoes}


@pytest.mark.parametrize("name", ["slam closed", "non-starters", "without Ukraine"])
def test_named_utterances_form_one_group_each(bundled_analysis, annotation, name):
    # One group = one utterance by one speaker: the annotated versions are one group, or groups
    # of different speakers linked as echoes of each other.
    members = [_find(bundled_analysis, *m) for m in annotation["groups"][name]]
    ids = {q.group for q in members}
    linked = set.union(*(_utterance(bundled_analysis, gid) for gid in ids))
    assert ids <= linked and all(_utterance(bundled_analysis, gid) == linked for gid in ids), [(q.source, q.group) for q in members]
    sources = {s for gid in ids for s in bundled_analysis.group(gid).sources}
    assert sources == {m[0] for m in annotation["groups"][name]}
    for gid in ids:
        assert len({q.speaker for q in bundled_analysis.group(gid).quotes if q.speaker}) <= 1
    others = {q.group for other, ms in annotation["groups"].items() if other != name for q in (_find(bundled_analysis, *m) for m in ms)}
    assert not ids & others


def test_every_annotated_group_holds(bundled_analysis, annotation):
    for name, ms in annotation["groups"].items():
        ids = {_find(bundled_analysis, *m).group for m in ms}
        assert len({frozenset(_utterance(bundled_analysis, gid)) for gid in ids}) == 1, name


def test_slam_groups_split_by_speaker_linked_as_echo_with_the_dropped_clause(bundled_analysis, annotation):
    post, ap, tribune = (_find(bundled_analysis, *m) for m in annotation["groups"]["slam closed"])
    smith, sherman = bundled_analysis.group(ap.group), bundled_analysis.group(post.group)
    assert smith.id != sherman.id and tribune.group == sherman.id
    assert smith.speakers == {"002_c0eae7d557669681": "Julianne Smith"}
    assert sherman.speakers["003_aa93b08ccbd7b43d"] == "Wendy Sherman"
    assert smith.id in sherman.echoes and sherman.id in smith.echoes
    # the Tribune prints the sentence with a full stop where the Post's goes on: a dropped clause
    diff = sherman.diff_of(tribune.id)
    assert diff is not None and not diff.same_words
    (dropped,) = [c for c in diff.changes if c.op == "delete" and c.clause]
    assert dropped.reference.startswith("which has always been central")
    assert dropped.start == dropped.end == len(tribune.text.rstrip(".”"))


def test_unmarked_speech_against_the_hand_annotation(bundled_analysis, annotation):
    gold = [g for g in annotation["quotes"] if not g["marked"]]
    pred = [q for q in bundled_analysis.quotes if not q.marked]
    s = score(gold, pred)
    print_scores("unmarked speech, analyse_quotes (001 prints speech without marks)", s)
    assert s["extraction_precision"] >= 0.95
    assert s["extraction_recall"] >= 0.75  # word-order changes and unique sentences are missed
    assert s["attribution_precision"] >= 0.95


def test_all_quotes_after_analysis_against_the_hand_annotation(bundled_analysis, annotation):
    s = score(annotation["quotes"], bundled_analysis.quotes)
    print_scores("all quotes, analyse_quotes (marked + unmarked, canonical names)", s)
    assert s["extraction_precision"] >= 0.95
    assert s["extraction_recall"] >= 0.9
    assert s["attribution_precision"] >= 0.95
    assert s["attribution_recall"] >= 0.9
    assert s["side_accuracy"] >= 0.95


def test_speakers_of_the_briefing(bundled_analysis):
    by_name = {s.name: s for s in bundled_analysis.speakers}
    ryabkov = by_name["Sergei Ryabkov"]
    assert {"Sergey Ryabkov", "Ryabkov"} <= set(ryabkov.aliases)
    assert ryabkov.side == "russia" and "Deputy" in (ryabkov.role or "")
    sherman = by_name["Wendy R. Sherman"]
    assert {"Wendy Sherman", "Sherman"} <= set(sherman.aliases) and sherman.side == "us"
    assert by_name["Dmitry Peskov"].role == "Kremlin spokesman"
    assert by_name["Volodymyr Zelenskyy"].side == "ukraine"
    assert by_name["Vladimir Putin"].side == "russia"
    # every quote's speaker is a listed speaker, under its canonical name
    assert {q.speaker for q in bundled_analysis.quotes if q.speaker} <= set(by_name)


def test_json_shapes(bundled_analysis):
    q = bundled_analysis.quotes[0].to_json()
    assert {"text", "speaker", "side", "source", "paragraph", "start", "end", "kind", "group", "role", "marked",
            "speaker_as_given"} <= set(q)
    assert {"name", "aliases", "role", "side", "quotes"} <= set(bundled_analysis.speakers[0].to_json())
    g = bundled_analysis.groups[0].to_json()
    assert {"id", "sources", "outlets", "speakers", "diffs", "quotes", "echoes"} <= set(g)
    json.dumps(bundled_analysis.to_json())


def test_offsets_point_at_the_quoted_words():
    corpus = load_corpus(BUNDLED)
    by_id = {a.id: a for a in corpus.articles}
    for q in analyse_quotes(corpus.articles, corpus.manifest).quotes:
        assert by_id[q.source].paragraph(q.paragraph).text[q.start : q.end] == q.text


def test_articles_without_quotes_or_text():
    empty = Article("e", None, "Only a headline", None, None, None, [], [Paragraph(1, "Subhead", "subhead")])
    plain = art("p", "Plain", "The harbour reopened on Friday.")
    an = analyse_quotes([empty, plain], MANIFEST)
    assert an.quotes == [] and an.groups == [] and an.speakers == []
    assert analyse_quotes([], MANIFEST).quotes == []


def test_people_sharing_a_surname_stay_apart():
    manifest = Manifest(sides=MANIFEST.sides, people={"Hugo Popov": "south"})
    a = art("a", "A", "“We are ready,” Northern Foreign Minister Peter Popov said.",
            "“We are not,” said Ahmed Popov, a Southland envoy.", "“Maybe later,” Popov said.")
    b = art("b", "B", "“Not today,” said Peter Popov.", "“Tomorrow,” Popov added.")
    an = analyse_quotes([a, b], manifest)
    names = {s.name for s in an.speakers}
    assert {"Peter Popov", "Ahmed Popov"} <= names and "Hugo Popov" not in names
    peter = next(s for s in an.speakers if s.name == "Peter Popov")
    assert peter.side == "north"  # Hugo Popov's override must not reach him through "Popov"
    assert peter.quotes == 3  # a:1, b:1 and b's bare "Popov"
    assert next(s for s in an.speakers if s.name == "Ahmed Popov").side == "south"
