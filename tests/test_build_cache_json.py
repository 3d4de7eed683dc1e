"""A long article's cached JSON is written into its row piece by piece, never as one string:
the row holds the same text, with the same checksum, as one `json.dumps` of the article."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from briefing.index import engine
from briefing.index.corpus.scan import CorpusFile
from briefing.index.model import Article, Paragraph, compacted


def _article(count: int) -> Article:
    paragraphs = [Paragraph(i, f"“Vote {i},” said the délégué ({i % 7}).", "subhead" if i % 97 == 0 else "text")
                  for i in range(1, count + 1)]
    return Article(id="huge", outlet="Le Monde", title="Les votes “longs”", byline=None, date="2024-05-01",
                   dateline="GENEVA", captions=["A caption"], paragraphs=compacted(paragraphs),
                   sha256="ab" * 32, credits=["Reuters"])


def _put(tmp_path: Path, article: Article) -> engine._State:
    state = engine._State(tmp_path / "articles.sqlite3")
    f = CorpusFile("huge", tmp_path / "huge.txt", 123, 456)
    state.put([(f, article, '{"quotes":[]}')], 1)
    return state


def test_a_long_article_is_cached_as_one_json_text(tmp_path):
    article = _article(engine._STREAM_JSON_PARAGRAPHS + 2 * engine._JSON_PIECE_PARAGRAPHS + 5)
    expected = json.dumps(article.to_json(), ensure_ascii=False)
    assert len(list(engine._json_pieces(article))) > 2  # really written in pieces
    state = _put(tmp_path, article)
    assert state.article_json("huge") == expected
    assert engine._same_json(expected, article) and not engine._same_json(expected[:-1], article)
    assert not engine._same_json(expected.replace("Vote 9,", "Vote 8,"), article)
    data = state.article_data("huge", article.sha256)
    assert data is not None and data["paragraphs"] == list(article.paragraphs)
    state.close()
    db = sqlite3.connect(tmp_path / "articles.sqlite3")
    kind, crc = db.execute("select typeof(article), article_crc from files where id='huge'").fetchone()
    assert kind == "text" and crc == engine._text_crc(expected)
    assert state.rows()["huge"][8] == len(article.paragraphs)


def test_a_short_article_row_is_as_before(tmp_path):
    article = _article(40)
    state = _put(tmp_path, article)
    assert state.article_json("huge") == json.dumps(article.to_json(), ensure_ascii=False)
    assert engine._article_json(article) == json.dumps(article.to_json(), ensure_ascii=False)
