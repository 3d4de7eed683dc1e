"""A long article's cached JSON is written in pieces of a few thousand paragraphs (rows of
`pieces`), never as one string: joined they are the same text, with the checksum in its `files`
row, as one `json.dumps` of the article."""

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
    assert kind == "null" and crc == engine._text_crc(expected)  # the text is in its pieces
    pieces = db.execute("select typeof(text), text from pieces where id='huge' order by seq").fetchall()
    assert len(pieces) > 2 and {k for k, _ in pieces} == {"text"} and "".join(t for _, t in pieces) == expected
    assert state.rows()["huge"][8] == len(article.paragraphs)


def test_a_short_article_row_is_as_before(tmp_path):
    article = _article(40)
    state = _put(tmp_path, article)
    assert state.article_json("huge") == json.dumps(article.to_json(), ensure_ascii=False)
    assert engine._article_json(article) == json.dumps(article.to_json(), ensure_ascii=False)


def test_the_pieces_of_a_long_article_go_with_its_row(tmp_path):
    state = _put(tmp_path, _article(engine._STREAM_JSON_PARAGRAPHS + 10))
    db = state._db()
    assert db.execute("select count(*) from pieces where id='huge'").fetchone()[0] > 1
    shorter = _article(40)
    state.put([(CorpusFile("huge", tmp_path / "huge.txt", 124, 457), shorter, None)], 2)
    assert db.execute("select count(*) from pieces").fetchone()[0] == 0  # the long version's pieces are gone
    assert state.article_json("huge") == json.dumps(shorter.to_json(), ensure_ascii=False)
    _put(tmp_path, _article(engine._STREAM_JSON_PARAGRAPHS + 10)).delete(["huge"])
    assert db.execute("select count(*) from pieces").fetchone()[0] == 0


def test_a_damaged_piece_is_not_read_as_the_article(tmp_path):
    article = _article(engine._STREAM_JSON_PARAGRAPHS + 10)
    state = _put(tmp_path, article)
    with state._db() as db:
        db.execute("update pieces set text=replace(text, 'Vote 7,', 'Vote 1,') where id='huge' and seq=0")
    assert state.article_json("huge") is None and state.article_data("huge", article.sha256) is None
