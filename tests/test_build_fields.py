"""The passage schema's own field types index exactly the terms Whoosh's TEXT indexes (term,
frequency, weight and encoded positions), with less work per passage."""

from __future__ import annotations

import pickle

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.fields import TEXT

from briefing.index.search.passage_fields import ArticleText, PassageText, passage_analyzer

SAMPLES = [
    "",
    "   ",
    "Talks in Geneva ended on Monday; the talks' end was “frank”, officials said.",
    "U.S. envoy J.R. Smith met 3.5 million voters — again and again and again.",
    "Ça va: l'élève Ödön a dit «non» à İstanbul, ΣΟΦΙΑ!",
    "running runs ran runner RUNNING open-door open_door e-mail 2024-05-01 x",
    "a" * 300 + " " + "b.c.d..e",
]


def _stock(value: str) -> list:
    return list(TEXT(analyzer=passage_analyzer(), phrase=True).index(value))


def test_passage_text_indexes_what_whoosh_indexes():
    field = PassageText(analyzer=passage_analyzer(), phrase=True)
    for value in SAMPLES:
        assert list(field.index(value)) == _stock(value), value


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_passage_text_indexes_what_whoosh_indexes_for_any_text(value):
    assert list(PassageText(analyzer=passage_analyzer(), phrase=True).index(value)) == _stock(value)


def test_another_analyzer_is_left_to_whoosh():
    from whoosh.analysis import StandardAnalyzer

    field = PassageText(analyzer=StandardAnalyzer(), phrase=True)
    stock = TEXT(analyzer=StandardAnalyzer(), phrase=True)
    for value in SAMPLES:
        assert list(field.index(value)) == list(stock.index(value))


def test_article_text_gives_the_same_terms_again_for_the_same_value():
    field, stock = ArticleText(stored=True), TEXT(stored=True)
    for value in ["Talks in Geneva", "Talks in Geneva", "Reuters", "Talks in Geneva", "", "Reuters"]:
        assert list(field.index(value)) == list(stock.index(value))
        assert list(field.index(value)) == list(stock.index(value))  # consumed twice: each call a new iterator


def test_what_a_field_remembers_is_not_written_into_the_schema():
    field = ArticleText(stored=True)
    list(field.index("Talks in Geneva"))
    text = PassageText(analyzer=passage_analyzer(), phrase=True)
    list(text.index("Talks"))
    assert "_briefing_last" not in pickle.loads(pickle.dumps(field)).__dict__
    assert "_briefing_plain" not in pickle.loads(pickle.dumps(text)).__dict__
    assert pickle.loads(pickle.dumps(text)) == text
