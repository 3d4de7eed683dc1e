"""Any text: facts are found without error and point at their words; word diffs stay inside
the version's text and mark only what differs."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from briefing.index.compare.facts import article_facts
from briefing.index.model import Article, Paragraph
from briefing.index.quotes.groups import Normaliser, diff_texts

WORDS = ("nearly about more than over 100,000 $ € 5 1.5 billion hours troops killed thousands tens of "
         "Monday’s Wednesday January May 11, 2022 57-nation - – between and km % , . “ ” ' in 2014 "
         "fifty-seven one two people Sept. Jan the talks said").split()
text = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=40).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(text)
@example("May ² 2022")  # "²" is a digit to str.isdigit, not a number
@example("Monday, and the talks ended a day later ³")
@example("over 0 hours")  # an open end times zero was NaN, above nothing and below nothing
def test_facts_point_at_their_words(t):
    for f in article_facts(Article("a", "A", "T", None, None, None, [], [Paragraph(1, t)])):
        assert t[f.start : f.end] == f.text and f.low <= f.high


@settings(max_examples=300, deadline=None)
@given(text, text)
def test_word_diffs_stay_in_the_version(ref, ver):
    d = diff_texts(ref, ver, Normaliser((ref, ver)))
    for c in d.changes:
        assert 0 <= c.start <= c.end <= len(ver)
        if c.end > c.start:  # the span holds the words the change names
            assert all(w in ver[c.start : c.end] for w in c.version.split())
    assert diff_texts(ver, ver, Normaliser((ver,))).changes == ()
