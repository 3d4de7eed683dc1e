"""Issue 18 item 12: a very long article's paragraphs are held compactly (model.Paragraphs, one
string and an array of offsets), read the same as a list of Paragraph everywhere."""

from __future__ import annotations

import pickle
import tracemalloc

import pytest

from briefing.index import model
from briefing.index.corpus.cleaning import clean_article
from briefing.index.engine import Briefing
from briefing.index.model import Article, Paragraph, Paragraphs
from support.long_article import long_text


ROWS = [("Talks began in Geneva.", "text"), ("Later", "subhead"), ("“No,” she said.", "text"), ("", "text")]


def test_paragraphs_read_as_a_list_of_paragraph():
    plain = [Paragraph(i, text, kind) for i, (text, kind) in enumerate(ROWS, 1)]
    held = Paragraphs(iter(ROWS))
    assert len(held) == 4 and list(held) == plain
    assert held == plain and plain == held and held == Paragraphs(ROWS) and held != plain[:3]
    assert held[0] == plain[0] and held[-1] == plain[-1] and held[1].kind == "subhead"
    assert held[1:3] == plain[1:3] and held[::-2] == plain[::-2] and held[9:] == []
    with pytest.raises(IndexError):
        held[4]
    with pytest.raises(IndexError):
        held[-5]
    assert pickle.loads(pickle.dumps(held)) == plain
    assert Paragraphs(()) == [] and len(Paragraphs(())) == 0


def test_article_equality_and_json_do_not_depend_on_the_holding(monkeypatch):
    plain = clean_article("Title\n\nThe delegates met in Geneva on Monday for long talks.\n\n“No,” she said.\n", "a")
    monkeypatch.setattr(model, "COMPACT_PARAGRAPHS", 1)
    held = clean_article("Title\n\nThe delegates met in Geneva on Monday for long talks.\n\n“No,” she said.\n", "a")
    assert isinstance(held.paragraphs, Paragraphs) and isinstance(plain.paragraphs, list)
    assert held == plain and held.to_json() == plain.to_json() and held.body == plain.body
    again = Article.from_json(plain.to_json())
    assert isinstance(again.paragraphs, Paragraphs) and again == plain


def test_a_long_article_holds_a_few_bytes_per_paragraph_beyond_its_text():
    text = long_text(60_000)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        article = clean_article(text, "huge")
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    count = len(article.paragraphs)
    assert count == 60_001 and article.paragraph(7).text == "“No,” she said."
    # a list of Paragraph objects held ~190 bytes a paragraph here (14 of them text)
    assert held < 40 * count


def test_the_bundled_briefing_reads_the_same_with_every_article_held_compactly(bundled_copy, monkeypatch, tmp_path):
    plain = Briefing(bundled_copy, index_dir=tmp_path / "plain")
    plain.open()
    monkeypatch.setattr(model, "COMPACT_PARAGRAPHS", 1)
    held = Briefing(bundled_copy, index_dir=tmp_path / "held")
    held.open()
    again = Briefing(bundled_copy, index_dir=tmp_path / "held")
    again.open()  # from the cache
    for a, b, c in zip(plain.articles, held.articles, again.articles):
        assert isinstance(c.paragraphs, Paragraphs) and a == b == c
    for query in ("talks", '"security guarantees"', "speaker:lavrov", "nato OR russia"):
        assert [h.to_json() for h in plain.search(query).hits] == [h.to_json() for h in held.search(query).hits]
    assert plain.analysis().quotes.to_json() == again.analysis().quotes.to_json()
    for b in (plain, held, again):
        b.close()
