"""The checkable facts of one article: quantities with their units and what they count, dates,
weekdays, years, named counts ("57-nation"), each normalised to an interval so that outlets can be
compared ("nearly eight hours" is 6.8 to 8 hours, "more than 100,000" is 100,000 or more).

By general rules only; the words (number words, hedges, units, calendar names) come from
index/data/facts.toml. Per article and pure: `article_facts(article)`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, NamedTuple

from briefing.index.compare.knowledge import Hedge, Knowledge, Unit, knowledge
from briefing.index.model import Article
from briefing.index.quotes.groups import Normaliser
from briefing.index.text import sentence_spans

WINDOW = 8  # words either side of a fact that say what it is about
TIME_POINTS = frozenset({"weekday", "date", "month", "year"})


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact as printed. `low`/`high` are in the dimension's base unit (hours, km, the count
    itself; a weekday's number, a date's month * 32 + day). `value` is the normalised value as
    shown ("≲ 6 hours", "> 100,000 troops")."""

    source: str
    paragraph: int
    start: int
    end: int
    text: str
    dimension: str  # "duration", "length", "percent", "money:USD", "count:troops", "weekday", …
    low: float
    high: float
    value: str
    keywords: frozenset[str]  # what it is about: the common words of its clause ("talks")
    names: frozenset[str] = frozenset()  # and the names there ("Geneva", "NATO")
    unit: str = ""  # the unit as printed ("hour", "mile"); counts: the class counted
    named: bool = False  # a named count: "57-nation", "five-year"

    def compatible(self, other: "Fact") -> bool:
        return overlap(self.low, self.high, other.low, other.high)


def overlap(lo1: float, hi1: float, lo2: float, hi2: float) -> bool:
    eps = 1e-9 * max(1.0, abs(lo1), abs(lo2))
    return max(lo1, lo2) <= min(hi1, hi2) + eps


class _Tok(NamedTuple):
    text: str
    low: str
    start: int
    end: int


_TOKEN = re.compile(r"US\$|[$€£¥₽%]|[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?(?![0-9])|[0-9]+(?:\.[0-9]+)?|[^\W\d_]+(?:['’][^\W\d_]+)*")
_DIGITS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
_CLAUSE = re.compile(r"[,;:()—–]|\s[-–]\s")


class _Raw(NamedTuple):
    i0: int  # first token (hedge included)
    i1: int  # last token + 1
    dimension: str
    low: float
    high: float
    value: str
    unit: str
    named: bool
    point: bool  # a point in time: its words are mostly to its left
    possessive: bool  # "Monday’s talks": what it is about follows


class _Triggers(NamedTuple):
    words: frozenset[str]  # a word that names a fact by itself (weekdays, months, "thousands")
    numbers: frozenset[str]  # number words: a fact only with a noun the tables know
    nouns: frozenset[str]  # units, counted nouns, scales, outcomes
    vague: tuple[tuple[tuple[str, ...], float, float], ...]  # longest first
    vague_first: frozenset[str]
    starts: frozenset[str]  # lower-case tokens a fact can start at (besides digits)


@lru_cache(maxsize=1)
def _triggers() -> _Triggers:
    k = knowledge()
    vague = tuple(sorted(((tuple(p.split()), lo, hi) for p, (lo, hi) in k.vague.items()), key=lambda v: -len(v[0])))
    first = frozenset(v[0][0] for v in vague)
    words = first | frozenset(k.weekdays) | frozenset(m for m in k.months if len(m) > 3)
    numbers = frozenset(w for w in k.number_words if " " not in w)
    nouns = frozenset(k.units) | frozenset(k.count_class) | frozenset(k.scales) | frozenset(k.outcomes)
    starts = words | numbers | frozenset(k.number_words) | frozenset(k.months) | frozenset(s.lower() for s in k.symbols)
    starts |= frozenset(w + suffix for w in k.weekdays for suffix in ("’s", "'s"))
    return _Triggers(words, numbers, nouns, vague, first, starts)


_LETTERS = re.compile(r"[a-z]+")
_SPOT = re.compile(r"[0-9$€£¥₽]")  # ASCII digits: twice as fast a scan as \d


def _trigger_words(text: str) -> frozenset[str] | None:
    """The words of `text` that can state a fact (a number word only beside a noun the tables
    know), or None when it has none and no digit or currency sign either."""
    tr = _triggers()
    words = set(_LETTERS.findall(text.lower()))
    found = tr.words & words
    if not tr.nouns.isdisjoint(words):
        found |= tr.numbers & words
    if found or _SPOT.search(text):
        return found
    return None


@lru_cache(maxsize=1)
def _normaliser() -> Normaliser:
    return Normaliser()


def article_facts(article: Article) -> list[Fact]:
    """Every fact in the article's text paragraphs, in reading order."""
    out: list[Fact] = []
    for p in article.paragraphs:
        if p.kind != "text":
            continue
        text = p.text
        found = _trigger_words(text)
        if found is None:
            continue
        lower = text.lower()
        spot = _SPOT.search(text) is not None
        for a, b in sentence_spans(text):
            # in a paragraph that may state a fact, the sentences that hold its digits or words
            if (spot and _SPOT.search(text, a, b)) or any(w in lower[a:b] for w in found):
                out.extend(sentence_facts(article.id, p.n, text, a, b))
    return out


def sentence_facts(source: str, paragraph: int, text: str, a: int, b: int) -> list[Fact]:
    k = knowledge()
    toks = [_Tok(m.group(), m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(text, a, b)]
    raws = _scan(toks, text, k)
    out: list[Fact] = []
    for n, raw in enumerate(raws):
        prev_end = max((r.i1 for r in raws[:n] if r.dimension == raw.dimension), default=0)
        next_start = min((r.i0 for r in raws[n + 1 :] if r.dimension == raw.dimension), default=len(toks))
        kw, names = _keywords(toks, text, raw, prev_end, next_start, k)
        start, end = toks[raw.i0].start, toks[raw.i1 - 1].end
        out.append(Fact(source, paragraph, start, end, text[start:end], raw.dimension, raw.low, raw.high,
                        raw.value, kw, names, raw.unit, raw.named))
    return out


# ---- finding facts in a sentence ----------------------------------------------------------------


def _digits(s: str) -> bool:
    """ASCII digits only: "²" and other digit-like signs are not numbers here."""
    return s.isascii() and s.isdigit()


def _joined(text: str, left: _Tok, right: _Tok) -> str:
    return text[left.end : right.start]


def _number_at(toks: list[_Tok], i: int, text: str, k: Knowledge) -> tuple[float, float, int, bool] | None:
    """(low, high, next token, exact) of a number written at token i, or None."""
    t = toks[i]
    if _digits(t.text[0]):
        if not _DIGITS.fullmatch(t.text):
            return None
        x = float(t.text.replace(",", ""))
        j = i + 1
        if j < len(toks) and toks[j].low in k.scales and _joined(text, t, toks[j]).strip() == "":
            x *= k.scales[toks[j].low]
            j += 1
        return x, x, j, True
    if t.low in k.number_words:
        x = k.number_words[t.low]
        j = i + 1
        if j < len(toks) and toks[j].low in k.number_words and _joined(text, t, toks[j]) == "-" and x >= 20 and k.number_words[toks[j].low] < 10:
            x += k.number_words[toks[j].low]
            j += 1
        while j < len(toks) and toks[j].low in k.scales and _joined(text, toks[j - 1], toks[j]).strip() in ("", "-"):
            x *= k.scales[toks[j].low]
            j += 1
        return x, x, j, True
    tr = _triggers()
    if t.low in tr.vague_first:
        for words, lo, hi in tr.vague:
            if tuple(x.low for x in toks[i : i + len(words)]) == words:
                return lo, hi, i + len(words), False
    return None


def _hedge_before(toks: list[_Tok], i: int, k: Knowledge) -> tuple[Hedge | None, int]:
    for n in range(min(k.longest_hedge, i), 0, -1):
        phrase = " ".join(t.low for t in toks[i - n : i])
        h = k.hedges.get(phrase)
        if h is not None:
            return h, i - n
    return None, i


def _scaled(x: float, by: float) -> float:
    """A bound of a hedge's interval: an open end ("over", "at least") stays open, even for zero
    (0 × ∞ is NaN, which no comparison would ever meet)."""
    return by if math.isinf(by) else x * by


def _is_round(x: float) -> bool:
    return x >= 10 and x == int(x) and int(x) % 10 == 0


def _fmt(x: float) -> str:
    if math.isinf(x):
        return "∞"
    if x == int(x):
        return f"{int(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def _scan(toks: list[_Tok], text: str, k: Knowledge) -> list[_Raw]:
    out: list[_Raw] = []
    i = 0
    while i < len(toks):
        raw = _fact_at(toks, i, text, k) or _day_from(toks, i, out, k)
        if raw is None:
            i += 1
            continue
        out.append(raw)
        i = max(raw.i1, i + 1)
    return out


def _day_from(toks: list[_Tok], i: int, before: list[_Raw], k: Knowledge) -> _Raw | None:
    """"… on Wednesday, and in Vienna a day later": a weekday counted from the last one named
    earlier in the sentence."""
    day = next((r for r in reversed(before) if r.dimension == "weekday"), None)
    if day is None or not k.from_day:
        return None
    for words, offset in k.from_day.items():
        if tuple(t.low for t in toks[i : i + len(words)]) == words:
            n = (int(day.low) + offset) % len(k.weekdays)
            name = k.weekdays[n].capitalize()
            return _Raw(i, i + len(words), "weekday", float(n), float(n), name, "", False, True, False)
    return None


def _fact_at(toks: list[_Tok], i: int, text: str, k: Knowledge) -> _Raw | None:
    t = toks[i]
    if not _digits(t.text[0]) and t.low not in _triggers().starts:
        return None
    day = t.low.removesuffix("’s").removesuffix("'s")
    if day in k.weekdays and t.text[0].isupper():
        return _Raw(i, i + 1, "weekday", float(k.weekdays.index(day)), float(k.weekdays.index(day)),
                    day.capitalize(), "", False, True, day != t.low)
    month = k.months.get(t.low)
    if month is not None and t.text[0].isupper() and (t.low != "may" or _is_day(toks, i + 1, text)):
        return _date(toks, i, month, text, k)
    currency = k.symbols.get(t.text)
    start = i
    if currency is not None:
        i += 1
        if i >= len(toks):
            return None
    number = _number_at(toks, i, text, k)
    if number is None:
        return None
    low, high, j, exact = number
    hedge, h0 = _hedge_before(toks, start, k)
    first = h0 if hedge is not None else start
    # a range: "between 500 and 5,500 km", "500-5,500 km"
    if j + 1 < len(toks) and exact and (toks[j].low in ("and", "to") and first > 0 and toks[first - 1].low in ("between", "from")):
        second = _number_at(toks, j + 1, text, k)
        if second is not None and second[3]:
            first -= 1
            high, j = second[1], second[2]
    elif j < len(toks) and exact and _joined(text, toks[j - 1], toks[j]) in ("-", "–") and _digits(toks[j].text[0]):
        second = _number_at(toks, j, text, k)
        if second is not None:
            high, j = second[1], second[2]
    named = j < len(toks) and _joined(text, toks[j - 1], toks[j]) == "-" and toks[j].text[0].isalpha()
    is_year = (currency is None and exact and low == high and _digits(t.text) and len(t.text) == 4
               and k.years[0] <= low <= k.years[1] and hedge is None)
    unit, cls, u_end = _unit_after(toks, j, text, k, guess=_digits(t.text[0]) and not is_year)
    if currency is not None:
        dim, unit_name, factor = f"money:{currency}", currency, 1.0
    elif unit is not None:
        dim, unit_name, factor = unit.dimension, unit.name, unit.factor
    elif is_year and cls is None:  # "in 2014"; but "2000 km" is a length and "2000 troops" a count
        return _Raw(first, j, "year", low, high, str(int(low)), "", False, True, False)
    elif cls is not None:
        dim, unit_name, factor = f"count:{cls}", cls, 1.0
    else:
        dim, unit_name, factor = "", "", 1.0
    if not dim or dim.startswith("count"):
        if not _digits(t.text[0]) and not dim and not (t.low in k.vague or _vague_start(toks, i, k)):
            return None  # "two sides", "one app": a number word needs a known noun
        outcome = _outcome_near(toks, first, max(u_end, j), k)
        if not dim:
            if outcome is None:
                return None  # a bare number: what it counts is not said
            cls, unit_name = "people", "people"
        if outcome is not None and cls in ("people", "troops", None):
            cls = f"{cls} {outcome}"
            unit_name = cls
        dim = f"count:{cls}"
    end = max(j, u_end)
    # the interval
    if hedge is not None:
        lo, hi = _scaled(low, hedge.low), _scaled(high, hedge.high)
        sign = hedge.sign + " "
    elif exact and low == high and _is_round(low):
        lo, hi = low * (1 - k.rounding), high * (1 + k.rounding)
        sign = ""
    else:
        lo, hi = low, high
        sign = ""
    lo, hi = lo * factor, hi * factor
    shown = _fmt(low) if low == high else f"{_fmt(low)}–{_fmt(high)}"
    if not exact:
        shown = f"{' '.join(x.text for x in toks[i:j]).lower()} ({shown})"
    # a class of the tables is named as it stands ("troops", "people"); a unit or a noun of its own
    # class ("barge") is made plural
    shown_unit = unit_name if unit_name in k.count_class.values() or " " in unit_name else _plural(unit_name, low, high, k)
    value = f"{sign}{shown_unit and shown + ' ' + shown_unit or shown}".strip()
    if currency is not None:
        value = f"{sign}{currency} {shown}"
    return _Raw(first, end, dim, lo, hi, value, unit_name, named, False, False)


def _vague_start(toks: list[_Tok], i: int, k: Knowledge) -> bool:
    return any(tuple(x.low for x in toks[i : i + len(words)]) == words for words, _lo, _hi in _triggers().vague)


def _plural(unit: str, low: float, high: float, k: Knowledge) -> str:
    if not unit or unit.isupper() or unit in ("%", "km") or " " in unit or unit.endswith("s"):
        return unit
    if low == high == 1:
        return unit
    named = k.units.get(unit)
    if named is not None and named.name == unit:  # a unit of the tables: its plural is one of its words
        plural = k.units.get(unit + "s")
        return unit + "s" if plural is not None and plural.name == unit else unit
    return unit + "s"  # a counted noun of its own class ("barge")


def _unit_after(toks: list[_Tok], j: int, text: str, k: Knowledge, guess: bool) -> tuple[Unit | None, str | None, int]:
    """The unit or counted noun after a number: the next word, or one of the next three after
    words that describe it ("100,000 Russian troops"). (unit, count class, token after it).
    `guess`: a noun that is not in the tables counts as its own class ("3,000 ships")."""
    for n in range(j, min(j + 3, len(toks))):
        w = toks[n].low
        if n > j and _CLAUSE.search(_joined(text, toks[n - 1], toks[n])):
            break
        if n > j and toks[n - 1].low == "of" and n - 1 > j:
            break
        if n + 1 < len(toks) and not _CLAUSE.search(_joined(text, toks[n], toks[n + 1])):
            two = k.units.get(f"{w} {toks[n + 1].low}")  # a unit of two words ("per cent")
            if two is not None:
                return two, None, n + 2
        unit = k.units.get(w)
        if unit is not None:
            return unit, None, n + 1
        cls = k.count_class.get(w)
        if cls is not None:
            return None, cls, n + 1
        if w in k.stop or _digits(w[0]) or w in k.outcomes:
            break
    if guess and j < len(toks):
        w = toks[j].low
        # a plural noun ("12 barges"), not an adjective ("14,000 short")
        if (toks[j].text[0].islower() and w.isalpha() and w.endswith("s") and w not in k.stop and w not in k.outcomes
                and w not in k.scales and not _CLAUSE.search(_joined(text, toks[j - 1], toks[j]))):
            return None, _stem(w), j + 1
    return None, None, j


def _stem(w: str) -> str:
    norms = _normaliser().norms(w)
    return norms[-1] if norms else w


def _outcome_near(toks: list[_Tok], i0: int, i1: int, k: Knowledge) -> str | None:
    for n in list(range(max(0, i0 - 4), i0)) + list(range(i1, min(len(toks), i1 + 4))):
        what = k.outcomes.get(toks[n].low)
        if what is not None:
            return what
    return None


def _is_day(toks: list[_Tok], i: int, text: str) -> bool:
    return i < len(toks) and _digits(toks[i].text) and 1 <= int(toks[i].text) <= 31


def _date(toks: list[_Tok], i: int, month: int, text: str, k: Knowledge) -> _Raw | None:
    """"January 11, 2022", "Jan. 11", "11 January 2022", "August 2019"."""
    name = next(m for m, n in k.months.items() if n == month).capitalize()  # full names come first
    first = i
    day: int | None = None
    j = i + 1
    if _is_day(toks, j, text) and len(toks[j].text) <= 2:
        day, j = int(toks[j].text), j + 1
    elif i > 0 and _is_day(toks, i - 1, text) and len(toks[i - 1].text) <= 2:
        day, first = int(toks[i - 1].text), i - 1
    year: int | None = None
    if j < len(toks) and _digits(toks[j].text) and len(toks[j].text) == 4 and k.years[0] <= int(toks[j].text) <= k.years[1]:
        year, j = int(toks[j].text), j + 1
    if day is None and year is None:
        return None
    if day is None:
        assert year is not None
        x = float(year * 12 + month)
        return _Raw(first, j, "month", x, x, f"{name} {year}", "", False, True, False)
    x = float(month * 32 + day)
    return _Raw(first, j, "date", x, x, f"{name} {day}" + (f", {year}" if year else ""), "", False, True, False)


# ---- what a fact is about -------------------------------------------------------------------------


def _keywords(toks: list[_Tok], text: str, raw: _Raw, prev_end: int, next_start: int,
              k: Knowledge) -> tuple[frozenset[str], frozenset[str]]:
    """Content words of the fact's clause, up to WINDOW either side and never past a fact of the
    same dimension. A point in time ("on Wednesday") belongs to what precedes it, up to the next
    "and"; "Wednesday's talks" to what follows."""
    left: list[_Tok] = []
    n = raw.i0 - 1
    while n >= max(prev_end, raw.i0 - WINDOW) and not (raw.point and raw.possessive):
        if _CLAUSE.search(_joined(text, toks[n], toks[n + 1])):
            break
        left.append(toks[n])
        if raw.point and toks[n].low in ("and", "but"):
            break
        n -= 1
    right: list[_Tok] = []
    limit = 4 if raw.point and not raw.possessive else WINDOW
    n = raw.i1
    while n < min(next_start, raw.i1 + limit):
        if _CLAUSE.search(_joined(text, toks[n - 1], toks[n])):
            break
        if raw.point and not raw.possessive and toks[n].low in ("and", "but"):
            break
        right.append(toks[n])
        n += 1
    common: set[str] = set()
    names: set[str] = set()
    for t in left + right:
        # a capitalised word inside the sentence is a name (of a person, place or body)
        is_name = t.text[0].isupper() and t is not toks[0]
        if is_name:  # names as printed ("Brussels"), but for a possessive
            if _content(t, k):
                names.add(t.low.removesuffix("’s").removesuffix("'s"))
        else:
            common.update(_content(t, k))
    return frozenset(common), frozenset(names - common)


def _content(t: _Tok, k: Knowledge) -> Iterable[str]:
    w = t.low
    if (w in k.stop or _digits(w[0]) or w in k.number_words or w in k.units or w in k.hedges
            or w in k.weekdays or w in k.months or w in k.scales or w in k.symbols or len(w) < 2):
        return ()
    head = k.synonyms.get(w)
    if head is not None:
        return (head,)
    out = []
    for piece in _normaliser().norms(t.text):
        if piece in k.stop or len(piece) < 2:
            continue
        out.append(k.synonyms.get(piece, piece))
    return out
