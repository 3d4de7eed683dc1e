"""Quotes across outlets: one utterance's wording in each outlet (the engine's word diffs), and
echoes (the same words from different speakers, linked by the quote grouping)."""

from __future__ import annotations

from typing import Sequence

from briefing.index.compare.model import AGREEMENT, DISCREPANCY, ECHO, ECHOED, WORDING, Item, Version, item_id, some
from briefing.index.quotes.extract import Quote
from briefing.index.quotes.groups import QuoteGroup

SHORT_WORDS = 9


def short(text: str, words: int = SHORT_WORDS) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def quote_items(groups: Sequence[QuoteGroup], outlets: dict[str, str | None]) -> list[Item]:
    by_id = {g.id: g for g in groups}
    items: list[Item] = []
    done: set[str] = set()
    for g in groups:
        if len(g.sources) >= 2:
            items.append(_wording(g, outlets))
        if g.echoes and g.id not in done:
            component = _component(g, by_id)
            done.update(x.id for x in component)
            items.append(_echo(component, outlets))
    return items


def _component(g: QuoteGroup, by_id: dict[str, QuoteGroup]) -> list[QuoteGroup]:
    seen = {g.id}
    order = [g]
    i = 0
    while i < len(order):
        for other in order[i].echoes:
            if other not in seen and other in by_id:
                seen.add(other)
                order.append(by_id[other])
        i += 1
    return order


def _version(q: Quote, outlets: dict[str, str | None], value: str) -> Version:
    return Version(q.source, outlets.get(q.source), q.paragraph, q.start, q.end, q.text, value)


def _wording(g: QuoteGroup, outlets: dict[str, str | None]) -> Item:
    ref = next((q for q in g.quotes if q.id == g.reference), g.quotes[0])
    versions = [_version(ref, outlets, "reference")]
    changed: list[str] = []
    for q in g.quotes:
        if q is ref:
            continue
        diff = g.diff_of(q.id)
        value = diff.describe() if diff is not None else "same words"
        versions.append(_version(q, outlets, value))
        if diff is not None and diff.changes:
            changed.append(f"{outlets.get(q.source) or q.source}: {diff.describe()}")
    who = g.speaker or "speaker unknown"
    about = f"{who}: “{short(g.text)}”"
    n = len(g.sources)
    if changed:
        summary = f"{len(changed)} of {len(g.quotes) - 1} versions differ from {outlets.get(ref.source) or ref.source}'s — " + some(changed, sep="; ")
        status = DISCREPANCY
    else:
        summary = f"same words in {n} outlets"
        status = AGREEMENT
    vs = tuple(versions)
    return Item(item_id(WORDING, vs), WORDING, status, about, summary, vs)


def _echo(component: list[QuoteGroup], outlets: dict[str, str | None]) -> Item:
    versions: list[Version] = []
    said: list[str] = []
    for g in component:
        who = g.speaker or "speaker unknown"
        names = sorted({outlets.get(s) or s for s in g.sources})
        said.append(f"{who} ({some(names)})")
        versions.extend(_version(q, outlets, who) for q in g.quotes)
    vs = tuple(versions)
    about = f"“{short(component[0].text)}”"
    summary = "the same words from different speakers: " + some(said, sep=" and ")
    return Item(item_id(ECHO, vs), ECHO, ECHOED, about, summary, vs)
