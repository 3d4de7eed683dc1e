"""The analysis reads the quote records cached at index time a batch of articles ahead: each
article gets its own record, only of its own version, also when asked for out of order."""

from __future__ import annotations

import shutil

from briefing.index import engine
from briefing.index.engine import Briefing
from support.paths import BUNDLED


def test_records_read_ahead_are_each_articles_own_and_current(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED, corpus)
    b = Briefing(corpus, index_dir=tmp_path / "ix")
    b.open()
    try:
        articles = b.articles
        one_by_one = engine._CachedQuotes(b._state, b.manifest)
        expected = {a.id: [q.to_json() for q, _ in one_by_one(a)] for a in articles}
        monkeypatch.setattr(engine._CachedQuotes, "AHEAD", 3)
        queries: list[str] = []
        real = engine._State.quotes_record
        monkeypatch.setattr(engine._State, "quotes_record", lambda self, *a: queries.append(a[0]) or real(self, *a))
        ahead = engine._CachedQuotes(b._state, b.manifest, [a.id for a in articles])
        shuffled = articles[1::2] + articles[0::2]  # out of order: batches read again where needed
        got = {a.id: [q.to_json() for q, _ in ahead(a)] for a in shuffled}
        assert got == expected
        assert queries == []  # every record came from a batch
        # an article whose text changed since its record was cached is read afresh
        stale = articles[0]
        fresh = engine._CachedQuotes(b._state, b.manifest, [a.id for a in articles])
        extracted: list[str] = []
        monkeypatch.setattr("briefing.index.quotes.records.read_pairs",
                            lambda article, *a, **k: extracted.append(article.id) or [])
        monkeypatch.setattr(stale, "sha256", "0" * 64, raising=False)
        assert fresh(stale) == [] and extracted == [stale.id]
    finally:
        b.close()
