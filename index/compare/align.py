"""Facts about the same thing, lined up across outlets.

Facts are bucketed by dimension ("duration", "count:troops", "weekday"); inside a bucket a fact
joins the line-up whose facts share its key words ("… hours of talks"), found through an index
of key word -> line-ups, never by comparing all pairs. A line-up holds one fact per outlet; when
an outlet states two facts that fit, the one that fits better stays. Conflicting intervals make a
discrepancy, overlapping ones an agreement.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field

from briefing.index.compare.facts import Fact, overlap
from briefing.index.compare.model import AGREEMENT, DISCREPANCY, FACT, SHOWN, Item, Version, item_id, some

MIN_SCORE = 1.0  # evidence for a fact to join a line-up: a shared word counts 1 (a common one ½)
MIN_WORDS_TO_DISAGREE = 0.5  # a conflicting fact must share this much in common words, not names
NAME_WEIGHT = 0.5  # a shared name ("Geneva", "Blinken") says less than a shared word ("talks")
SAME_UNIT = 0.5  # the same unit ("… hours of …") is evidence too
SAME_VALUE = 0.5  # and so is a value that agrees
COMMON_SHARE = 0.25  # a word in more than this share of a briefing's facts counts half
CANDIDATES_PER_WORD = 64  # line-ups looked at through one word (the most recent ones)
DIMENSIONS = {
    "duration": "how long", "length": "distance", "percent": "share", "weekday": "day",
    "date": "date", "month": "month", "year": "year",
}


@dataclass(slots=True)
class _LineUp:
    facts: dict[str, Fact] = field(default_factory=dict)  # source -> its fact
    words: Counter[str] = field(default_factory=Counter)  # common words and names ("N:geneva")
    units: Counter[str] = field(default_factory=Counter)
    lows: list[float] = field(default_factory=list)  # sorted: the interval all facts share is
    highs: list[float] = field(default_factory=list)  # (max of lows, min of highs), kept as they come

    def add(self, f: Fact) -> None:
        self.facts[f.source] = f
        self.words.update(_words(f))
        self.units[f.unit] += 1
        insort(self.lows, f.low)
        insort(self.highs, f.high)

    def remove(self, f: Fact) -> None:
        del self.facts[f.source]
        self.words.subtract(_words(f))
        self.units[f.unit] -= 1
        del self.lows[bisect_left(self.lows, f.low)]
        del self.highs[bisect_left(self.highs, f.high)]

    def interval(self, without: str | None = None) -> tuple[float, float] | None:
        """What the facts have in common, leaving out one outlet's (None when they conflict)."""
        own = self.facts.get(without) if without is not None else None
        lows, highs = self.lows, self.highs
        if own is None:
            if not lows:
                return None
            lo, hi = lows[-1], highs[0]
        else:
            if len(lows) < 2:
                return None
            lo = lows[-2] if lows[-1] == own.low else lows[-1]
            hi = highs[1] if highs[0] == own.high else highs[0]
        return (lo, hi) if lo <= hi else None


def _words(f: Fact) -> list[str]:
    return [*f.keywords, *("N:" + n for n in f.names)]


def line_up(facts: list[Fact]) -> list[list[Fact]]:
    """Facts grouped into line-ups of facts about the same thing, one per outlet (singletons too)."""
    df: Counter[str] = Counter(w for f in facts for w in _words(f))
    common = max(2.0, COMMON_SHARE * len(facts))
    weight = {w: (NAME_WEIGHT if w.startswith("N:") else 1.0) * (0.5 if n > common else 1.0) for w, n in df.items()}
    buckets: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        buckets[f.dimension].append(f)
    out: list[list[Fact]] = []
    for bucket in buckets.values():
        out.extend(_bucket(bucket, weight))
    return out


def _evidence(f: Fact, lu: _LineUp, weight: dict[str, float]) -> tuple[float, bool] | None:
    """(evidence that f is about what the line-up is about, whether its value agrees), or None
    when it does not belong there. The line-up is taken without f's own outlet."""
    own = lu.facts.get(f.source)
    n = len(lu.facts) - (1 if own is not None else 0)
    if n <= 0:
        return None
    own_words = set(_words(own)) if own is not None else set()
    words = 0.0
    names = 0.0
    for w in _words(f):
        c = lu.words[w] - (1 if w in own_words else 0)
        if c > 0:
            share = weight.get(w, 1.0) * min(1.0, 2.0 * c / n)
            if w.startswith("N:"):
                names += share
            else:
                words += share
    units = lu.units[f.unit] - (1 if own is not None and own.unit == f.unit else 0)
    iv = lu.interval(without=f.source)
    agrees = iv is not None and overlap(f.low, f.high, iv[0], iv[1])
    score = words + names + (SAME_UNIT if f.unit and units > 0 else 0.0) + (SAME_VALUE if agrees else 0.0)
    if score < MIN_SCORE or (not agrees and words < MIN_WORDS_TO_DISAGREE):
        return None
    return score, agrees


def _rank(e: tuple[float, bool]) -> float:
    return e[0] + (0.25 if e[1] else 0.0)  # of two fits, the one that agrees


def _bucket(facts: list[Fact], weight: dict[str, float]) -> list[list[Fact]]:
    lineups: list[_LineUp] = []
    postings: dict[str, list[int]] = defaultdict(list)
    queue: deque[tuple[Fact, int]] = deque((f, 0) for f in facts)  # (fact, times it was displaced)
    while queue:
        f, moved = queue.popleft()
        seen: set[int] = set()
        best: tuple[float, int] | None = None
        for w in _words(f):
            for li in postings.get(w, [])[-CANDIDATES_PER_WORD:]:
                if li in seen:
                    continue
                seen.add(li)
                lu = lineups[li]
                e = _evidence(f, lu, weight)
                if e is None:
                    continue
                rank = _rank(e)
                if f.source in lu.facts:  # the outlet has a fact there: the better fit stays
                    g = lu.facts[f.source]
                    eg = _evidence(g, lu, weight)
                    if moved or (eg is not None and rank <= _rank(eg)):
                        continue
                if best is None or rank > best[0]:
                    best = (rank, li)
        if best is None:
            lineups.append(_LineUp())
            li = len(lineups) - 1
        else:
            li = best[1]
        lu = lineups[li]
        if f.source in lu.facts:
            g = lu.facts[f.source]
            lu.remove(g)
            queue.append((g, moved + 1))
        lu.add(f)
        for w in _words(f):
            p = postings[w]
            if not p or p[-1] != li:
                p.append(li)
    return [sorted(lu.facts.values(), key=lambda f: (f.source, f.paragraph, f.start)) for lu in lineups if lu.facts]


def fact_items(facts: list[Fact], outlets: dict[str, str | None]) -> list[Item]:
    """One item per line-up that two or more outlets state: a discrepancy or an agreement."""
    items: list[Item] = []
    for group in line_up(facts):
        if len(group) < 2:
            continue
        versions = tuple(
            Version(f.source, outlets.get(f.source), f.paragraph, f.start, f.end, f.text, f.value, f.low, f.high)
            for f in group
        )
        lo, hi = max(f.low for f in group), min(f.high for f in group)
        agree = lo <= hi + 1e-9 * max(1.0, abs(lo))
        status = AGREEMENT if agree else DISCREPANCY
        about = _about(group)
        items.append(Item(item_id(FACT, versions), FACT, status, about, _summary(group, agree, outlets), versions,
                          group[0].dimension))
    return items


def _about(group: list[Fact]) -> str:
    words = Counter(w for f in group for w in (*f.keywords, *f.names))
    shared = [w for w, n in words.most_common() if n >= 2][:3]
    dim = group[0].dimension
    what = dim.split(":", 1)[1] if dim.startswith(("count:", "money:")) else DIMENSIONS.get(dim, dim)
    return f"{what}: {', '.join(shared)}" if shared else what


def _summary(group: list[Fact], agree: bool, outlets: dict[str, str | None]) -> str:
    if agree:
        # the most precise version speaks for all
        best = min(group, key=lambda f: (f.high - f.low, f.source))
        return f"{best.value}: {len(group)} outlets agree"
    # the versions in camps that agree among themselves, the largest first. Intervals that meet
    # pairwise share a point, so a camp is its common interval.
    camps: list[tuple[float, float, list[Fact]]] = []
    for f in sorted(group, key=lambda f: (f.high - f.low, f.source)):
        for n, (lo, hi, members) in enumerate(camps):
            if overlap(f.low, f.high, lo, hi):
                members.append(f)
                camps[n] = (max(lo, f.low), min(hi, f.high), members)
                break
        else:
            camps.append((f.low, f.high, [f]))
    parts = []
    for _lo, _hi, camp in sorted(camps, key=lambda c: (-len(c[2]), c[0])):
        values = list(dict.fromkeys(f.value for f in camp))
        names = list(dict.fromkeys(outlets.get(f.source) or f.source for f in camp))
        shown = " / ".join(values[:SHOWN]) + (" / …" if len(values) > SHOWN else "")
        parts.append(f"{shown} ({some(names)})")
    return " vs ".join(parts)
