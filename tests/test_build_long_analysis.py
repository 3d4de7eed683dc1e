"""Issue 18 item 12: the briefing-wide analysis of one very long article grows linearly.

A long article of one speaker saying the same short thing thousands of times made two passes
compare every pair: the linking of one- and two-word quotations by speaker (groups.member_links)
and the clustering of near-identical statements (positions._cluster, which probed every earlier
cluster of the same source only to skip it). Both are checked here for giving what the pair by pair
way gives, and for a number of source comparisons linear in the number of statements (counted, not
timed).
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.index.positions import Statement, _cluster
from briefing.index.quotes.groups import Normaliser, QuoteIndex


class CountedSource(str):
    """A source name that counts how often it is compared."""

    compared = 0

    def __eq__(self, other: object) -> bool:
        CountedSource.compared += 1
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        CountedSource.compared += 1
        return str.__ne__(self, other)

    __hash__ = str.__hash__


@dataclass
class Quote:
    text: str
    speaker: str | None
    source: str


def pairwise_member_links(index: QuoteIndex) -> list[tuple[int, int]]:
    """The plain all-pairs linking member_links must agree with (its earlier form)."""
    out: list[tuple[int, int]] = []
    for u, seq in enumerate(index.seqs):
        mem = index.members[u]
        if len(seq) >= 3:
            out.extend((mem[0], j) for j in mem[1:])
            continue
        uf: dict[int, int] = {}

        def root(x: int) -> int:
            while uf.get(x, x) != x:
                x = uf[x]
            return x

        for x in range(len(mem)):
            for y in range(x + 1, len(mem)):
                qa, qb = index.quotes[mem[x]], index.quotes[mem[y]]
                if qa.source != qb.source and qa.speaker and qa.speaker == qb.speaker:
                    ra, rb = root(mem[x]), root(mem[y])
                    if ra != rb:
                        uf[max(ra, rb)] = min(ra, rb)
                        out.append((mem[x], mem[y]))
    return out


TEXTS = ["No", "No", "Never again", "Yes", "We will not sign this agreement today"]


@settings(max_examples=120, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(TEXTS), st.sampled_from([None, "", "Ana Belmonte", "Petro Danko"]),
                          st.integers(0, 3)), max_size=40))
def test_member_links_equal_the_pair_by_pair_links(rows):
    quotes = [Quote(text, speaker, f"s{src}") for text, speaker, src in rows]
    index = QuoteIndex(quotes, Normaliser())
    assert index.member_links() == pairwise_member_links(index)


def test_member_links_compare_sources_linearly():
    def compared(n: int) -> int:
        # one long article (one source) of one speaker saying "No", and the same word in two others
        quotes = [Quote("No", "Ana Belmonte", CountedSource("huge")) for _ in range(n)]
        quotes += [Quote("No", "Ana Belmonte", CountedSource(f"short{i}")) for i in range(2)]
        index = QuoteIndex(quotes, Normaliser())
        CountedSource.compared = 0
        links = index.member_links()
        assert len(links) == n + 1  # all of them one utterance
        return CountedSource.compared

    small, large = compared(300), compared(1200)
    assert large <= 5 * small and large < 10 * 1200  # pair by pair: 720,000 comparisons


def _statement(i: int, text: str, source: str) -> Statement:
    return Statement(text, "Ana Belmonte", "russia", CountedSource(source), i, 0, len(text), "quote", source, None)


def test_clustering_compares_sources_linearly():
    def compared(n: int) -> int:
        statements = [_statement(i, "No talks without guarantees", "huge") for i in range(n)]
        statements += [_statement(n + i, "No talks without guarantees", f"short{i}") for i in range(2)]
        CountedSource.compared = 0
        out = _cluster(statements, {})
        assert len(out) == n  # each of the long article's is its own; the two short ones joined
        assert max(len(s.outlets) for s in out) == 3
        return CountedSource.compared

    small, large = compared(300), compared(1200)
    assert large <= 5 * small and large < 20 * 1200  # probing every earlier cluster: 720,000
