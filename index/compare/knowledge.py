"""The general knowledge the comparison reads: number words, hedges, units, calendar names
(index/data/facts.toml, package data). Loaded once."""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class Hedge:
    low: float
    high: float
    sign: str


@dataclass(frozen=True, slots=True)
class Unit:
    dimension: str  # "duration", "length", "percent", "money:USD"
    name: str  # the unit's own name ("hour", "km")
    factor: float  # to the dimension's base unit


@dataclass(frozen=True, slots=True)
class Knowledge:
    number_words: dict[str, float]
    scales: dict[str, float]
    vague: dict[str, tuple[float, float]]
    hedges: dict[str, Hedge]  # phrase (lower case, single spaces) -> what it does to a value
    longest_hedge: int  # in words
    rounding: float
    units: dict[str, Unit]  # word -> unit
    bases: dict[str, str]  # dimension -> its base unit's name
    symbols: dict[str, str]  # currency symbol -> currency code
    count_class: dict[str, str]  # noun -> the class it counts ("soldiers" -> "troops")
    outcomes: dict[str, str]  # word -> what happened ("died" -> "killed")
    weekdays: tuple[str, ...]
    months: dict[str, int]  # full names and abbreviations -> 1..12
    relative_days: frozenset[str]
    from_day: dict[tuple[str, ...], int]  # "a day later" -> +1
    years: tuple[int, int]
    synonyms: dict[str, str]  # word -> the head word of its class
    stop: frozenset[str]
    pronouns: dict[str, str]  # "she" -> "f"


def _load() -> dict[str, Any]:
    data = resources.files("briefing.index").joinpath("data/facts.toml").read_text(encoding="utf-8")
    return tomllib.loads(data)


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    d = _load()
    numbers = d["numbers"]
    hedges = {" ".join(k.lower().split()): Hedge(float(v["range"][0]), float(v["range"][1]), str(v["sign"]))
              for k, v in d["hedges"].items()}
    units: dict[str, Unit] = {}
    bases: dict[str, str] = {}
    for dimension, table in d["units"].items():
        bases[dimension] = str(table["base"])
        for name, spec in table.items():
            if name == "base":
                continue
            for word in spec["words"]:
                units[word.lower()] = Unit(dimension, name, float(spec["factor"]))
    symbols: dict[str, str] = {}
    for code, spec in d["currencies"].items():
        bases[f"money:{code}"] = code
        for s in spec["symbols"]:
            symbols[s] = code
        for word in spec["words"]:
            units[word.lower()] = Unit(f"money:{code}", code, 1.0)
    count_class = {noun.lower(): cls for cls, nouns in d["counts"].items() for noun in nouns}
    outcomes = {w.lower(): what for what, words in d["outcomes"].items() for w in words}
    cal = d["calendar"]
    months = {m.lower(): i + 1 for i, m in enumerate(cal["months"])}
    months.update({k.lower(): int(v) for k, v in cal["month_abbreviations"].items()})
    synonyms = {w.lower(): head for head, words in d["synonyms"].items() for w in words}
    vague = {" ".join(k.split()): (float(v[0]), float(v[1])) for k, v in numbers["vague"].items()}
    return Knowledge(
        number_words={k.lower(): float(v) for k, v in numbers["words"].items()},
        scales={k.lower(): float(v) for k, v in numbers["scales"].items()},
        vague=vague,
        hedges=hedges,
        longest_hedge=max((len(k.split()) for k in hedges), default=1),
        rounding=float(d["rounding"]["round"]),
        units=units,
        bases=bases,
        symbols=symbols,
        count_class=count_class,
        outcomes=outcomes,
        weekdays=tuple(w.lower() for w in cal["weekdays"]),
        months=months,
        relative_days=frozenset(w.lower() for w in cal["relative"]),
        from_day={tuple(k.lower().split()): int(v) for k, v in cal.get("from_day", {}).items()},
        years=(int(cal["first_year"]), int(cal["last_year"])),
        synonyms=synonyms,
        stop=frozenset(w.lower() for w in d["words"]["stop"]),
        pronouns={w.lower(): g for g, words in d["pronouns"].items() for w in words},
    )


def is_unbounded(x: float) -> bool:
    return math.isinf(x)
