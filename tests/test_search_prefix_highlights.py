"""Highlights stem only the tokens that can match: Porter's stemmer keeps a word's first letter, so a
token whose first letter no term starts with is not stemmed. The spans must be those of stemming
every token."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st
from whoosh.lang.porter import stem

from briefing.index.search.passages import _TOKEN, highlight_spans
from briefing.index.text import fold_for_search

_LETTERS = "aeiouyàéïsxlbtcnrdgmpzßİ"
_WORD = st.text(alphabet=_LETTERS + _LETTERS.upper(), min_size=1, max_size=12)


def _every_token_stemmed(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _TOKEN.finditer(fold_for_search(text)) if stem(m.group(0).lower()) in terms]


@settings(max_examples=500, deadline=None)
@given(st.lists(_WORD, min_size=1, max_size=30), st.lists(st.integers(0, 29), max_size=4), st.data())
def test_highlights_are_those_of_stemming_every_token(words, picked, data):
    separators = data.draw(st.lists(st.sampled_from([" ", ", ", ". ", "—", "'s ", " (", ".", "\n"]),
                                    min_size=len(words), max_size=len(words)))
    text = "".join(w + sep for w, sep in zip(words, separators))
    terms = frozenset(stem(words[i % len(words)].lower()) for i in picked) | {"talk"}
    assert highlight_spans(text, terms) == _every_token_stemmed(text, terms)


@settings(max_examples=2000, deadline=None)
@given(_WORD)
def test_porter_keeps_a_words_first_letter(word):
    low = word.lower()
    assert stem(low)[:1] == low[:1]


def test_a_passage_is_highlighted_where_its_words_stem_to_the_terms():
    text = "Talks resumed; the talking points were harsh, and Harbour officials talked."
    expected = [(text.index(w), text.index(w) + len(w)) for w in ("Talks", "talking", "Harbour", "talked")]
    assert highlight_spans(text, frozenset({"talk", "harbour"})) == expected
