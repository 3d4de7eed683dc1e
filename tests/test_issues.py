"""Issues without a manifest: recurring key phrases across outlets, clustered, each with a query."""

from __future__ import annotations

import shutil

import pytest

from briefing.index.analysis import analyse
from briefing.index.corpus.scan import load_corpus
from briefing.index.issues import Discovery, discover_issues
from briefing.index.model import Article, Issue, Manifest, Paragraph, Side
from briefing.index.positions import assign_issues, build_positions
from briefing.index.quotes import analyse_quotes
from support.paths import BUNDLED
from support.statements import St


STATEMENTS = [
    St("The new dam will cut the river flow for farmers downstream.", "Wire"),
    St("Farmers downstream need the river flow the dam takes away.", "Daily"),
    St("Water rights along the river belong to every village.", "Herald"),
    St("The dam is safe and the river flow will be shared fairly.", "Herald"),
    St("Fishing quotas in the bay must be halved this season.", "Wire"),
    St("Halving fishing quotas would ruin the harbour towns.", "Daily"),
    St("We will review fishing quotas with the harbour councils.", "Herald"),
    St("The weather at the ceremony was lovely.", "Wire"),
    St("Our delegation arrived late on the evening train.", "Daily"),
    St("Ostrava delegates praised the buffet and the music.", "Herald"),
]


def test_recurring_phrases_become_a_handful_of_issues():
    issues = discover_issues(STATEMENTS)
    assert 2 <= len(issues) <= 6 and all(i.inferred and i.phrases and i.query for i in issues)
    labels = " | ".join(i.label.lower() for i in issues)
    assert "river flow" in labels or "river" in labels
    assert "fishing quotas" in labels or "quota" in labels
    assert "weather" not in labels and "buffet" not in labels  # said once, by one outlet


def test_an_issue_needs_two_outlets():
    one_outlet = [St(s.text, "Wire") for s in STATEMENTS] + [St("A line from elsewhere.", "Other")]
    assert all(len({st.outlet for st in one_outlet if set(st.text.lower().split()) & set(p.lower().split())}) >= 1
               for i in discover_issues(one_outlet) for p in i.phrases)
    single = [St("The river flow matters.", "Wire"), St("The river flow is low.", "Wire"),
              St("Something else entirely.", "Daily")]
    assert discover_issues(single) == []


def test_the_query_selects_the_statements_the_issue_holds():
    """The Whoosh query written for the user to edit selects what the runtime assignment does."""
    discovery = Discovery(STATEMENTS)
    issues = discovery.issues()
    by_phrases = discovery.assign(issues)
    copies = [St(s.text, s.outlet) for s in STATEMENTS]
    assign_issues(copies, [Issue(i.id, i.label, "", i.query) for i in issues])  # type: ignore[arg-type]
    assert [sorted(c.issues) for c in copies] == [sorted(ids) for ids in by_phrases]
    assert any(by_phrases) and not all(by_phrases)  # the rest go to Other


def test_names_and_side_words_are_not_issues():
    sts = [St("Ostberg will never accept the treaty, Halvorsen said.", "Wire"),
           St("Halvorsen said Ostberg wants the treaty rewritten.", "Daily"),
           St("Ostberg rejects the treaty as written.", "Herald")]
    issues = discover_issues(sts, ["Ostberg", "Jon Halvorsen", "Halvorsen"])
    phrases = {p.lower() for i in issues for p in i.phrases}
    assert "treaty" in phrases and not phrases & {"ostberg", "halvorsen"}


def _article(aid: str, outlet: str, *paragraphs: str) -> Article:
    return Article(aid, outlet, "t", None, None, None, [], [Paragraph(i + 1, p) for i, p in enumerate(paragraphs)])


def test_manifest_issues_win_over_discovery():
    manifest = Manifest(sides=[Side("east", "Eastland", ("Eastland", "Ostberg"))],
                        issues=[Issue("water", "Water", "", "river OR water")])
    arts = [_article("a", "Wire", "Ostberg said the river flow must be shared with every farm."),
            _article("b", "Daily", "Ostberg said the river flow will not be cut by the new dam.")]
    pos = build_positions(arts, manifest, analyse_quotes(arts, manifest), discover=True)
    assert [i.id for i in pos.issues] == ["water", "other"] and not pos.inferred_issues


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    root = tmp_path_factory.mktemp("bare")
    for f in BUNDLED.glob("*.txt"):
        shutil.copy(f, root / f.name)
    corpus = load_corpus(root)
    return analyse(corpus.articles, corpus.manifest)


def test_bundled_without_manifest_gets_a_handful_of_issues_and_other(bare):
    pos = bare.positions
    assert pos.inferred_issues
    found = [i for i in pos.issues if i.inferred]
    assert 3 <= len(found) <= 6 and pos.issues[-1].id == "other"
    assert all(st.issues for st in pos.statements)
    labels = " ".join(i.label for i in found)
    assert "NATO" in labels and "Troops" in labels  # the two issues every outlet reports
    # the pane is never empty while there are statements
    assert sum(len(c.statements) for c in pos.cells()) >= len(found)


def test_many_statements_are_sampled_for_discovery_but_all_are_assigned():
    words = "amber basil cedar delta ember fjord grove heron iris juniper kelp lotus".split()
    fillers = [St(f"The {words[i % 12]} {words[(i * 5 + 1) % 12]}land report number {i}.", f"O{i % 3}")
               for i in range(60)]
    many = (STATEMENTS + fillers) * 4
    discovery = Discovery(many, sample=120)
    assert len(discovery.keys) <= 120
    issues = discovery.issues()
    assigned = discovery.assign(issues)
    assert issues and len(assigned) == len(many)
    n = len(STATEMENTS) + len(fillers)
    assert assigned[:n] == assigned[n:2 * n]  # every copy of a statement is under the same issues
    assert any(assigned[:len(STATEMENTS)])
