"""Search semantics on the bundled briefing (Whoosh query syntax, highlights, suggestions)."""

from __future__ import annotations

import pytest

from briefing.index.engine import Briefing
from support.paths import BUNDLED


@pytest.fixture(scope="module")
def briefing(tmp_path_factory):
    b = Briefing(BUNDLED, index_dir=tmp_path_factory.mktemp("ix"))
    b.open()
    yield b
    b.close()


def where(result):
    return {(h.source[:3], h.paragraph) for h in result.hits}


def test_single_term_finds_both_outlets(briefing):
    result = briefing.search("barracks")
    assert where(result) == {("001", 11), ("004", 13)}
    for hit in result.hits:
        assert [hit.text[s:e].lower() for s, e in hit.highlights] == ["barracks"]


def test_phrase_matches_hyphenated_and_possessive_forms(briefing):
    result = briefing.search('"open door"')
    assert where(result) == {("000", 5), ("002", 3), ("002", 7), ("003", 6)}
    texts = " ".join(h.text for h in result.hits)
    assert "open door" in texts and "open-door" in texts and "NATO’s open-door" in texts


def test_curly_and_straight_apostrophes_match(briefing):
    curly = where(briefing.search('"NATO’s open-door"'))
    straight = where(briefing.search("\"NATO's open-door\""))
    assert curly == straight and ("002", 7) in curly


def test_boolean_operators(briefing):
    both = where(briefing.search("sherman AND ryabkov"))
    either = where(briefing.search("sherman OR ryabkov"))
    sherman_only = where(briefing.search("sherman NOT ryabkov"))
    assert both and both < either
    assert sherman_only.isdisjoint(both)
    assert where(briefing.search("sherman AND smith")) == where(briefing.search("sherman smith"))


def test_prefix_query_expands(briefing):
    result = briefing.search("nego*", limit=50)
    words = {h.text[s:e].lower() for h in result.hits for s, e in h.highlights}
    assert {"negotiations", "negotiate"} <= words
    assert result.total == len(result.hits)


def test_field_queries(briefing):
    reuters = briefing.search("outlet:reuters missiles")
    assert reuters.hits and {h.source for h in reuters.hits} == {"001_9cdbc204e52fb821"}
    source = briefing.search("source:003_aa93b08ccbd7b43d sanctions")
    assert source.hits and {h.source[:3] for h in source.hits} == {"003"}


def test_highlight_offsets_point_at_matches(briefing):
    for hit in briefing.search("guarantees").hits:
        assert hit.highlights
        for s, e in hit.highlights:
            assert hit.text[s:e].lower().startswith("guarantee")


def test_stemming(briefing):
    assert where(briefing.search("invading")) & where(briefing.search("invade"))


def test_did_you_mean(briefing):
    result = briefing.search("barraks")
    assert result.total == 0 and result.suggestion == "barracks"


@pytest.mark.parametrize(
    "query, words",
    [
        ('"open door', "quotation mark"),
        ("(sherman OR", "parenthes"),
        ("AND", "operator"),
        ("sherman AND", "operator"),
        ("foo:bar", "unknown field"),
        pytest.param("x" * 10_000, "limit", id="10k-chars"),
        ("sher\x00man", "control"),
        ("", "empty"),
        ("a*", "too short"),
    ],
)
def test_bad_queries_are_explained(briefing, query, words):
    result = briefing.search(query)
    assert result.hits == [] and result.error and words in result.error
