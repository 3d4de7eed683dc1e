"""What lets the analysis of a 10,000-article briefing finish in about a minute within the memory
budget, checked for giving the same answers as the plain way: cached quote records, articles read
one at a time, the compact shingle index, and prefix-filtered position clustering."""

from __future__ import annotations

import json
import random
import sqlite3
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import briefing.index.quotes.extract
from briefing.index import locations
from briefing.index.analysis import analyse
from briefing.index.corpus.scan import load_corpus
from briefing.index.engine import Briefing, _LazyArticle
from briefing.index.positions import Statement, _cluster, _content
from briefing.index.quotes.groups import _Postings
from briefing.index.quotes.records import from_record, to_record
from briefing.index.quotes.extract import read_article
from support.paths import BUNDLED


def analysis_json(analysis) -> str:
    positions = {str(k): [s.to_json() for s in c.statements] for k, c in analysis.positions.grid.items()}
    return json.dumps({"quotes": analysis.quotes.to_json(), "positions": positions}, sort_keys=True)


@pytest.fixture(scope="module")
def plain():
    corpus = load_corpus(BUNDLED)
    return corpus, analysis_json(analyse(corpus.articles, corpus.manifest))


# ---- quote records --------------------------------------------------------------------------

def test_a_record_gives_back_the_same_quotes_and_shared_entities(plain):
    corpus, _ = plain
    for article in corpus.articles:
        pairs = read_article(article, corpus.manifest)[0]
        back = from_record(to_record(pairs), article.id, article.outlet)
        assert [q.to_json() for q, _ in back] == [q.to_json() for q, _ in pairs]
        for (_, e), (_, f) in zip(pairs, back):
            assert (e is None) == (f is None)
            if e is not None:
                assert (e.name, e.kind, e.forms, e.roles, e.context) == (f.name, f.kind, f.forms, f.roles, f.context)
        # quotes by one entity in the article still share one object (names merge per entity)
        assert len({id(e) for _, e in pairs if e}) == len({id(f) for _, f in back if f})


@pytest.mark.parametrize("text", ["", "{", "[]", '{"quotes": [[1]], "entities": []}', '{"quotes": [], "entities": [[1]]}'])
def test_a_damaged_record_is_refused(text):
    with pytest.raises(ValueError):
        from_record(text, "a", None)


def test_reopened_briefing_analyses_from_records_without_extracting(bundled_copy, plain, monkeypatch):
    Briefing(bundled_copy).open()
    calls = []
    real = briefing.index.quotes.extract.read_article
    monkeypatch.setattr(briefing.index.quotes.extract, "read_article", lambda *a, **k: calls.append(a[0].id) or real(*a, **k))
    b = Briefing(bundled_copy)
    b.open()
    assert analysis_json(b.analysis()) == plain[1]
    # only articles with speech printed without marks are read again (to attribute that speech)
    assert set(calls) <= {q.source for q in b.analysis().quotes.quotes if not q.marked}


def test_missing_or_damaged_records_are_extracted_again_and_saved(bundled_copy, plain):
    Briefing(bundled_copy).open()
    db = sqlite3.connect(locations.index_dir(bundled_copy) / "articles.sqlite3")
    ids = [r[0] for r in db.execute("select id from files order by id")]
    db.execute("update files set quotes=null where id=?", (ids[0],))
    db.execute("update files set quotes='{broken' where id=?", (ids[1],))
    db.commit()
    b = Briefing(bundled_copy)
    b.open()
    assert analysis_json(b.analysis()) == plain[1]
    stored = dict(db.execute("select id, quotes from files"))
    assert all(stored[i] and stored[i].startswith("{\"quotes\"") for i in ids)
    db.close()


def test_new_extraction_rules_drop_old_records(bundled_copy, monkeypatch):
    Briefing(bundled_copy).open()
    path = locations.index_dir(bundled_copy) / "articles.sqlite3"
    monkeypatch.setattr("briefing.index.quotes.records.EXTRACTION_VERSION", "test-next")
    b = Briefing(bundled_copy)
    b.open()
    db = sqlite3.connect(path)
    assert db.execute("select count(*) from files where quotes is not null").fetchone()[0] == 0
    b.analysis()
    assert db.execute("select count(*) from files where quotes is null").fetchone()[0] == 0
    db.close()


# ---- articles one at a time -----------------------------------------------------------------

def test_analysis_leaves_bodies_unloaded_except_those_already_in_use(bundled_copy):
    Briefing(bundled_copy).open()
    b = Briefing(bundled_copy)
    b.open()
    on_screen = b.articles[2]
    assert on_screen.paragraphs  # loaded by the reader before the analysis starts
    b.analysis()
    assert all(isinstance(a, _LazyArticle) for a in b.articles)
    assert [a.id for a in b.articles if a.loaded] == [on_screen.id]
    assert b.articles[0].paragraphs == load_corpus(bundled_copy).articles[0].paragraphs  # read again on use


# ---- the shingle postings -------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(-(2**63), 2**63 - 1) | st.integers(0, 50) | st.just(2**40), max_size=12), max_size=60),
       st.integers(1, 8))
def test_postings_list_every_sequence_under_each_key(keys_per_seq, limit):
    postings = _Postings((u, set(keys)) for u, keys in enumerate(keys_per_seq))
    low40 = (1 << 40) - 1  # the bits of a hash the postings keep (0 and 2**40 are one key)
    expected: dict[int, set[int]] = defaultdict(set)
    for u, keys in enumerate(keys_per_seq):
        for k in keys:
            expected[k & low40].add(u)
    for keys in keys_per_seq:
        for k in keys:
            us = expected[k & low40]
            assert sorted(postings.get(k, limit)) == (sorted(us) if len(us) <= limit else [])
    assert all(postings.get(k, 100) == [] for k in (7 << 41, 99) if k & low40 not in expected)


def test_postings_over_many_chunks_stay_sorted_and_complete():
    rng = random.Random(5)
    seqs = [{rng.getrandbits(64) - 2**63 for _ in range(30)} for _ in range(5000)]  # 150,000 entries
    postings = _Postings(enumerate(seqs))
    assert list(postings.entries) == sorted(postings.entries)
    for u in (0, 1234, 4999):
        for k in seqs[u]:
            assert u in postings.get(k, 10)


# ---- clustering of statements ---------------------------------------------------------------

def brute_cluster(statements, outlets_of_group):
    """The plain all-pairs version the prefix filter must agree with."""
    clusters, by_group = [], {}
    for s in statements:
        words = _content(s.text)
        idx = by_group.get(s.group) if s.group else None
        if idx is None:
            for i, (rep, _, rep_words) in enumerate(clusters):
                if rep.source != s.source and len(words & rep_words) / (len(words | rep_words) or 1) >= 0.5:
                    idx = i
                    break
        outlets = set(outlets_of_group.get(s.group, set())) if s.group else set()
        outlets.add(s.outlet or s.source)
        if idx is None:
            clusters.append((s, outlets, words))
            if s.group:
                by_group[s.group] = len(clusters) - 1
        else:
            rep, seen, rep_words = clusters[idx]
            seen |= outlets
            if (s.kind == "quote", len(s.text)) > (rep.kind == "quote", len(rep.text)):
                clusters[idx] = (s, seen, rep_words | words)
            if s.group:
                by_group[s.group] = idx
    return [(rep.text, rep.source, sorted(o)) for rep, o, _ in clusters]


WORDS = "russia nato troops border talks sanctions missiles europe security guarantee ukraine geneva plans attack".split()


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(WORDS), min_size=0, max_size=8), st.integers(0, 3),
                          st.sampled_from(["quote", "reported"]), st.sampled_from([None, "g1", "g2"])), max_size=40))
def test_prefix_filtered_clustering_equals_all_pairs(rows):
    statements = [Statement(" ".join(words), None, "russia", f"s{src}", i, 0, 1, kind, f"Outlet {src}", group)
                  for i, (words, src, kind, group) in enumerate(rows)]
    groups = {"g1": {"Outlet 9"}, "g2": {"Outlet 8"}}
    got = [(s.text, s.source, s.outlets) for s in _cluster(statements, groups)]
    want = brute_cluster(statements, groups)
    assert sorted(got) == sorted(want)
