"""The shortcuts of the first analysis' grouping give what the plain forms give: the linking pass
looks only at sequences that share a three-word run with another (`shared`), and links exactly
as the pass over every sequence does; the unmarked search keys an article's sentences' probes in
batches, and finds the hits and probes of the sentence-by-sentence search."""

from __future__ import annotations

import random

import pytest

import briefing.index.quotes.groups as groups
from briefing.index.model import Article, Paragraph
from briefing.index.quotes.extract import Quote
from briefing.index.quotes.groups import Normaliser, QuoteIndex, _Extended, _Postings, stable_keys, stable_run_keys
from briefing.index.quotes.marks import find_quote_spans, mask_spans
from briefing.index.quotes.speech import CUE
from briefing.index.text import split_sentences

WORDS = ("harbour gate policy talks fleet storm warning port islands deal protection envoy minister "
         "council budget border crossing ferry tariff grain quota vote ballot inquiry").split()
GLUE = "we will not the and to of a that in on for".split()


def _quote(source: str, k: int, text: str, marked: bool = True) -> Quote:
    return Quote(f"{source}:{k}:0", source, k, 0, len(text), text, "statement", None, None, None, None, "said",
                 outlet=source, marked=marked)


def _quotes(n: int, seed: int) -> list[Quote]:
    """Utterances reprinted by a few outlets with a word changed or cut now and then, among
    quotations of their own."""
    rng = random.Random(seed)
    out: list[Quote] = []
    for k in range(n):
        words = [rng.choice(WORDS) if rng.random() < 0.6 else rng.choice(GLUE) for _ in range(rng.randint(2, 14))]
        for s in rng.sample(range(10), rng.choice((1, 1, 2, 3))):
            version = [rng.choice(WORDS) if rng.random() < 0.1 else w for w in words if rng.random() > 0.05] or words
            out.append(_quote(f"art{s:02d}", k, " ".join(version).capitalize()))
    return out


def _plain_shared(items: list[tuple[int, set[int]]]) -> set[int]:
    by_key: dict[int, set[int]] = {}
    for u, keys in items:
        for k in keys:
            by_key.setdefault(k & ((1 << 40) - 1), set()).add(u)
    return {u for us in by_key.values() if len(us) > 1 for u in us}


@pytest.mark.parametrize("n, seed, chunk", [(0, 1, 1 << 16), (1, 2, 1 << 16), (300, 3, 1 << 16), (300, 4, 7), (2000, 5, 64)])
def test_shared_are_the_sequences_listed_with_another(n, seed, chunk, monkeypatch):
    monkeypatch.setattr(_Postings, "_CHUNK", chunk)  # slices that end between two entries of one key
    rng = random.Random(seed)
    common = [rng.getrandbits(64) - (1 << 63) for _ in range(40)]
    items = [(u, {rng.choice(common) if rng.random() < 0.05 else rng.getrandbits(64) - (1 << 63)
                  for _ in range(rng.randint(0, 6))}) for u in range(n)]
    shared = _Postings(items).shared()
    assert shared == _plain_shared(items)
    if n >= 300:
        assert 0 < len(shared) < n


def test_the_extended_postings_share_what_their_base_and_added_sequences_share():
    rng = random.Random(9)
    common = [rng.getrandbits(64) - (1 << 63) for _ in range(30)]

    def keys() -> set[int]:
        return {rng.choice(common) if rng.random() < 0.1 else rng.getrandbits(64) - (1 << 63) for _ in range(5)}

    base_items = [(u, keys()) for u in range(400)]
    added_items = [(u, keys()) for u in range(400, 450)]
    extended = _Extended(_Postings(base_items), frozenset({3, 5}), _Postings(added_items))
    # (the gone sequences may be among them: only a sequence left out must have no other candidate)
    assert extended.shared() >= _plain_shared([(u, k) for u, k in base_items + added_items if u not in (3, 5)])


def _every_sequence(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pass as it was: every sequence looked at."""
    monkeypatch.setattr(_Postings, "shared", lambda self: set(range(1 << 20)))
    monkeypatch.setattr(_Extended, "shared", lambda self: set(range(1 << 20)))


@pytest.mark.parametrize("seed", [11, 12])
def test_the_pass_over_shared_sequences_links_as_the_pass_over_all(seed, monkeypatch):
    quotes = _quotes(500, seed)
    normaliser = Normaliser([q.text for q in quotes])
    fast = QuoteIndex(quotes, normaliser).seq_links()
    # the second index of an analysis: the first one's sequences, with the unmarked ones added
    more = quotes + [_quote("art99", k, q.text + " again", marked=False) for k, q in enumerate(quotes[:60])]
    first = QuoteIndex(quotes, normaliser)
    fast_extended = QuoteIndex(more, normaliser, base=first).seq_links()
    assert len(fast) > 50 and len(fast_extended) > len(fast)
    _every_sequence(monkeypatch)
    assert QuoteIndex(quotes, normaliser).seq_links() == fast
    assert QuoteIndex(more, normaliser, base=QuoteIndex(quotes, normaliser)).seq_links() == fast_extended


def _sentence_by_sentence(article: Article, index: QuoteIndex, normaliser: Normaliser) -> tuple[list, set[int]]:
    hits: list = []
    probes: set[int] = set()
    for p in article.paragraphs:
        if p.kind != "text" or not CUE.search(p.text):
            continue
        masked = mask_spans(p.text, find_quote_spans(p.text))
        for a, b in split_sentences(masked):
            norms = normaliser.words(masked[a:b])
            if len(norms) >= 3:
                probes |= stable_keys(norms) | stable_run_keys(norms)
            hits.extend(groups._unmarked_in_sentence(article.id, p.n, masked, a, b, index, normaliser))
    return hits, probes


@pytest.mark.parametrize("batch_words", [4096, 1, 9, 40])
def test_the_batched_search_finds_the_hits_and_probes_of_one_sentence_at_a_time(batch_words, monkeypatch):
    monkeypatch.setattr(groups, "_BATCH_WORDS", batch_words)  # batches that end after any sentence
    rng = random.Random(21)
    quotes = _quotes(80, 21)
    normaliser = Normaliser([q.text for q in quotes])
    index = QuoteIndex(quotes, normaliser)
    paragraphs = []
    for n in range(1, 40):
        sentences = []
        for _ in range(rng.randint(1, 4)):
            q = rng.choice(quotes)
            kind = rng.random()
            if kind < 0.3:  # a quotation repeated unmarked after a speech verb
                sentences.append(f"The minister said {q.text.lower()}.")
            elif kind < 0.5:
                sentences.append(f"Officials said “{q.text}.”")
            elif kind < 0.6:
                sentences.append("Yes.")  # too short for a run
            else:
                sentences.append(" ".join(rng.choice(WORDS + GLUE) for _ in range(rng.randint(3, 20))).capitalize() + ".")
        paragraphs.append(Paragraph(n, " ".join(sentences)))
    article = Article("b", "B", "Headline", None, None, None, [], paragraphs)
    probes: set[int] = set()
    hits = groups.unmarked_in_article(article, index, normaliser, None, probes)
    expected_hits, expected_probes = _sentence_by_sentence(article, index, normaliser)
    assert hits == expected_hits and probes == expected_probes
    assert len(hits) >= 5 and len(probes) > 100
