"""The whole linking pass of a large briefing aligns in workers, a block of sequences each, and
takes their links in its own order: the links are those the pass in one process makes, one for
one, in the same order."""

from __future__ import annotations

import random

import pytest

import briefing.index.quotes.groups as groups
from briefing.index.quotes.extract import Quote
from briefing.index.quotes.groups import Normaliser, QuoteIndex
from briefing.index.workers import forks

WORDS = ("harbour gate policy talks fleet storm warning port islands deal protection envoy minister "
         "council budget border crossing ferry tariff grain quota vote ballot inquiry").split()
GLUE = "we will not the and to of a that in on for".split()


def _utterance(rng: random.Random) -> list[str]:
    return [rng.choice(WORDS) if rng.random() < 0.6 else rng.choice(GLUE) for _ in range(rng.randint(3, 16))]


def _version(rng: random.Random, words: list[str]) -> list[str]:
    """An outlet's printing: a word changed or dropped now and then, sometimes only a part."""
    out = [rng.choice(WORDS) if rng.random() < 0.08 else w for w in words if rng.random() > 0.05]
    if len(out) > 6 and rng.random() < 0.3:
        lo = rng.randint(0, len(out) // 3)
        out = out[lo : lo + rng.randint(4, len(out) - lo)]
    return out or words


def _quotes(n_utterances: int, seed: int) -> list[Quote]:
    rng = random.Random(seed)
    quotes: list[Quote] = []
    for k in range(n_utterances):
        words = _utterance(rng)
        for s in rng.sample(range(12), rng.randint(1, 4)):
            text = " ".join(_version(rng, words)).capitalize()
            source = f"art{s:02d}"
            quotes.append(Quote(f"{source}:{k}:0", source, k, 0, len(text), text, "statement", None, None, None, None,
                                "said", outlet=source))
    return quotes


def _links(quotes: list[Quote]) -> list[tuple[int, int]]:
    index = QuoteIndex(quotes, Normaliser([q.text for q in quotes]))
    return index.seq_links()


def test_the_block_links_replayed_in_order_are_the_links_of_one_pass(monkeypatch):
    quotes = _quotes(400, seed=3)
    serial = _links(quotes)
    assert len(serial) > 100  # a briefing with many reprints, some of them partial
    monkeypatch.setattr(groups, "PARALLEL_SEQS", 1)
    monkeypatch.setattr(groups, "forks", lambda count: True)
    monkeypatch.setattr(groups, "ordered_map", lambda job, items, count, chunk=16: map(job, items))
    monkeypatch.setattr(groups, "_LINK_BLOCK", 7)  # blocks that end inside utterances
    assert _links(quotes) == serial


def test_the_whole_pass_in_forked_workers_links_as_one_process_does(monkeypatch):
    quotes = _quotes(300, seed=8)
    serial = _links(quotes)
    monkeypatch.setattr(groups, "PARALLEL_SEQS", 1)
    monkeypatch.setattr(groups, "_LINK_BLOCK", 50)
    index = QuoteIndex(quotes, Normaliser([q.text for q in quotes]))
    if not forks(len(index.postings.shared())):
        pytest.skip("no second core or no fork here: the pass runs in this process")
    ran: list[int] = []
    real = QuoteIndex._block_links
    monkeypatch.setattr(QuoteIndex, "_block_links", lambda self, block: ran.append(block[0]) or real(self, block))
    assert index.seq_links() == serial
    assert ran == []  # (the blocks were aligned in the workers, not here)
