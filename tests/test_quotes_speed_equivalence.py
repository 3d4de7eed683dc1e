"""The faster paths of quote extraction give what the plain algorithms they replaced give.

Each rule made cheaper (sentence splitting, tokens and their sentences, the headline test, the
manifest's people, pronoun forms) is compared here with its plain reading, written out in the
test, over texts built from pieces that hit the edges: abbreviations and initials right before
a full stop, quotations blanked out, sentences with no tokens, no sentence at all.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.index.model import Manifest, Side
from briefing.index.quotes import marks, speakers, speech
from briefing.index.quotes.marks import MASK, find_quote_spans
from briefing.index.quotes.speakers import names_compatible, override_side, pronoun_of
from briefing.index.text import ABBREVIATION, _ABBREV_BEFORE, _INITIALISM, _NEW_SENTENCE_WORD, _SENTENCE_END, split_sentences

PIECES = [
    "Mr.", "Mrs.", "U.S.", "approx.", "Sept.", "Sep.", "The", "A.", "B.", "J.R.", "x", "said.", "said,",
    "Dr.", "etc.", "Inc.", "He", "She’s", "they'll", "vs.", "No.", "1.", "2026.", "Co.", "we", "“", "”",
    "\"", "(", ")", "—", "-", "--", "Kowalczyk", "Said", "Continued", "talks", "LONDON", "—", MASK * 3,
    "Ms.", "it’d", "It's", "Prof.", "Gen.", "approxx.", "St.", "of", "and", "with", "Northland", "?", "!",
]
SEPARATORS = [" ", " ", " ", "  ", "\n", ""]


@st.composite
def texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(PIECES), max_size=40))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps))


def plain_split_sentences(text: str) -> list[tuple[int, int]]:
    """split_sentences as first written: the abbreviation test reads the whole sentence so far."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        head = text[start : m.start() + 1]
        if _ABBREV_BEFORE.search(head):
            nxt = text[m.end() :].split(" ", 1)[0]
            if not (_INITIALISM.search(head) and nxt in _NEW_SENTENCE_WORD):
                continue
        bounds.append((start, m.end()))
        start = m.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return [(a, b) for a, b in bounds if text[a:b].strip()]


@settings(max_examples=150, deadline=None)
@given(texts())
def test_sentences_split_as_when_the_whole_sentence_was_read(text: str) -> None:
    assert split_sentences(text) == plain_split_sentences(text)


def test_an_abbreviation_far_into_a_long_sentence_still_does_not_end_it() -> None:
    text = "The delegation, which had waited " + "for many long hours " * 12 + "met Mr. Orlov. Talks began."
    got = [text[a:b].strip() for a, b in split_sentences(text)]
    assert got == ["The delegation, which had waited " + "for many long hours " * 12 + "met Mr. Orlov.", "Talks began."]
    initials = "Funding came from the U.S. The talks went on."
    assert [initials[a:b].strip() for a, b in split_sentences(initials)] == ["Funding came from the U.S.", "The talks went on."]


PLAIN_TOKEN = re.compile(speech._TOKEN.pattern.replace(speech._ABBREVIATION_AHEAD, ""), re.VERBOSE)


@settings(max_examples=100, deadline=None)
@given(texts())
def test_tokens_are_those_of_the_plain_expression(text: str) -> None:
    assert speech._ABBREVIATION_AHEAD in speech._TOKEN.pattern
    assert ABBREVIATION in PLAIN_TOKEN.pattern
    want = [(m.group(), m.start(), m.end()) for m in PLAIN_TOKEN.finditer(text)]
    toks = speech.tokenize(text)
    assert [tuple(t) for t in toks] == want
    assert all(type(t) is speech.Token for t in toks)


@settings(max_examples=100, deadline=None)
@given(texts())
def test_each_token_is_in_the_last_sentence_not_ended_before_it(text: str) -> None:
    para = speech.ReadParagraph(text, find_quote_spans(text), frozenset())
    sentences = para.sentences
    expected: list[int] = []
    ranges: dict[int, tuple[int, int]] = {}
    s = 0
    for i, t in enumerate(para.toks):  # the token-by-token walk the bisection replaced
        while s + 1 < len(sentences) and t.start >= sentences[s][1]:
            s += 1
        expected.append(s)
        lo, _hi = ranges.get(s, (i, i))
        ranges[s] = (lo, i + 1)
    assert para.tok_sentence == expected
    assert para._ranges == ranges
    assert para.capitalised == [i for i, t in enumerate(para.toks) if t.text[0].isupper()]


def test_a_text_of_blanks_and_marks_has_tokens_in_sentence_zero() -> None:
    para = speech.ReadParagraph("“ ” , ;", [], frozenset())
    assert para.tok_sentence == [0] * len(para.toks)
    assert para.sentence_token_range(0) == (0, len(para.toks))


def plain_headline(text: str) -> bool:
    words = marks._WORD.findall(text)
    significant = [w for w in words if w.lower() not in marks._SMALL_WORDS]
    lower = sum(1 for w in significant if w[0].islower() and len(w) >= 4)
    return len(significant) >= 4 and lower <= len(significant) // 10


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["Talks", "Resume", "in", "the", "Capital", "after", "months", "of",
                                 "Deadlock", "with", "From", "Ministers", "agreed", "a", "Deal"]), max_size=60))
def test_headline_test_stops_early_with_the_same_answer(words: list[str]) -> None:
    text = " ".join(words)
    assert marks.is_headline(text) == plain_headline(text)


def test_headlines_and_prose() -> None:
    assert marks.is_headline("Ministers Agree Border Deal After Marathon Talks in the Capital")
    assert not marks.is_headline("Ministers agreed a border deal after marathon talks in the capital")
    assert not marks.is_headline("Talks Resume")  # fewer than four significant words


def plain_override_side(names: list[str], manifest: Manifest) -> str | None:
    if not manifest.people:
        return None
    names = [n for n in names if n]
    lowered = {" ".join(n.lower().split()) for n in names}
    for person, side in manifest.people.items():
        if " ".join(person.lower().split()) in lowered:
            return side
    forms = [n.split() for n in names if len(n.split()) > 1] or [n.split() for n in names]
    for person, side in manifest.people.items():
        if any(names_compatible(person.split(), form) for form in forms):
            return side
    return None


PEOPLE = ["Ada Brenner", "Adam Brenner", "Tomas Vance", "Tomasz Vancek", "Una Brek", "Una  BREK",
          "Ivo Marchetti", "Iva Marchetti Jr.", "Jr.", "Orlov", "Pavel Orlova"]
ASKED = ["Ada Brenner", "Brenner", "A. Brenner", "Tomas Vancek", "una brek", "Marchetti", "Ivo Marcheti",
         "Orlov", "Pavel Orlov", "Jr.", "", "Nobody Here", "Adam Brenner Jr."]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(PEOPLE), unique=True, max_size=8),
       st.lists(st.sampled_from(ASKED), min_size=1, max_size=3))
def test_manifest_people_give_the_first_listed_person_who_fits(people: list[str], names: list[str]) -> None:
    sides = ["north", "south", "east"]
    manifest = Manifest(sides=[Side(s, s.title(), (s.title(),)) for s in sides],
                        people={p: sides[i % 3] for i, p in enumerate(people)})
    assert override_side(names, manifest) == plain_override_side(names, manifest)


def test_another_manifest_is_read_afresh() -> None:
    first = Manifest(people={"Ada Brenner": "north"})
    second = Manifest(people={"Ada Brenner": "south"})
    assert override_side(["Brenner"], first) == "north"
    assert override_side(["Brenner"], second) == "south"
    first.people["Tomas Vance"] = "east"  # a list grown in place is read again
    assert override_side(["Tomas Vance"], first) == "east"


def test_pronoun_forms() -> None:
    assert pronoun_of("He") == "he"
    assert pronoun_of("She’s") == "she"
    assert pronoun_of("it'd") == "it"
    assert pronoun_of("They’ll") == "they"
    assert pronoun_of("Hello") is None
    assert pronoun_of("’s") is None
    assert pronoun_of("hes") is None
    assert set(speakers._PRONOUN_FORMS.values()) <= set(speakers.PRONOUNS)
