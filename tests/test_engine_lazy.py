"""Reopening reads summaries only; bodies come from the cache on first use, and are the same."""

from __future__ import annotations

import sqlite3

from briefing.index import locations
from briefing.index.corpus.scan import load_corpus
from briefing.index.engine import Briefing, _LazyArticle
from briefing.index.model import Article
from support.paths import BUNDLED


def reopened(corpus):
    Briefing(corpus).open()
    b = Briefing(corpus)
    report = b.open()
    assert report.parsed == 0
    return b


def test_reopen_gives_summaries_without_reading_bodies(bundled_copy):
    b = reopened(bundled_copy)
    fresh = {a.id: a for a in load_corpus(bundled_copy).articles}
    for a in b.articles:
        assert isinstance(a, _LazyArticle) and isinstance(a, Article) and not a.loaded
        assert a.summary() == fresh[a.id].summary()
        assert a.words == fresh[a.id].words
        assert (a.title, a.outlet, a.byline, a.date) == (fresh[a.id].title, fresh[a.id].outlet, fresh[a.id].byline, fresh[a.id].date)
    assert not any(a.loaded for a in b.articles)


def test_bodies_load_on_first_use_and_match_a_fresh_parse(bundled_copy):
    b = reopened(bundled_copy)
    fresh = {a.id: a for a in load_corpus(bundled_copy).articles}
    first = b.articles[0]
    assert first.paragraphs == fresh[first.id].paragraphs and first.loaded
    assert first == fresh[first.id] and fresh[first.id] == first
    assert first.to_json() == fresh[first.id].to_json()
    assert b.article(b.articles[1].id).paragraph(2) == fresh[b.articles[1].id].paragraph(2)
    for a in b.articles:
        a.paragraphs
    assert all(a.loaded for a in b.articles)
    assert [a.to_json() for a in b.articles] == [fresh[a.id].to_json() for a in b.articles]


def test_a_damaged_cached_body_is_read_from_the_file(bundled_copy):
    b = reopened(bundled_copy)
    db = sqlite3.connect(locations.index_dir(bundled_copy) / "articles.sqlite3")
    db.execute("update files set article='{not json'")
    db.commit()
    db.close()
    fresh = {a.id: a for a in load_corpus(bundled_copy).articles}
    assert b.articles[0].paragraphs == fresh[b.articles[0].id].paragraphs
    assert all(a.paragraphs == fresh[a.id].paragraphs for a in b.articles)


def test_bodies_still_load_after_close(bundled_copy):
    b = reopened(bundled_copy)
    b.close()
    assert b.articles[2].paragraphs and b.articles[2].loaded


def test_analysis_sees_every_body(bundled_copy):
    b = reopened(bundled_copy)
    fresh = Briefing(BUNDLED)
    fresh.open()
    assert len(b.analysis().quotes.quotes) == len(fresh.analysis().quotes.quotes) > 0
