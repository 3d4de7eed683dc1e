"""What the comparison gives the reader and the CLI: items (a fact, an echo, a quote's wording, a
person's names), each with every outlet's version and where it is printed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

FACT = "fact"
ECHO = "echo"
WORDING = "quote-wording"
NAME = "name"
KINDS = (FACT, NAME, WORDING, ECHO)

DISCREPANCY = "discrepancy"
ECHOED = "echo"
AGREEMENT = "agreement"
STATUSES = (DISCREPANCY, ECHOED, AGREEMENT)  # the order the Compare view lists them in

Json = dict[str, object]
SHOWN = 3  # outlets (or versions) named in a summary; the rest are counted


def some(names: list[str], shown: int = SHOWN, sep: str = ", ") -> str:
    """"A, B, C and 9 more": a summary stays one line whatever the number of outlets."""
    if len(names) <= shown:
        return sep.join(names)
    return f"{sep.join(names[:shown])} and {len(names) - shown} more"


@dataclass(frozen=True, slots=True)
class Version:
    """One outlet's version of an item: where it is printed and its normalised value. For a fact,
    `low`/`high` are the interval in the dimension's base unit; `spans` are offsets into the
    paragraph of the words to mark (the fact, the quotation, the name)."""

    source: str
    outlet: str | None
    paragraph: int
    start: int
    end: int
    text: str  # the words as printed
    value: str  # normalised: "≲ 6 hours", "Julianne Smith", "“closed” dropped"
    low: float | None = None
    high: float | None = None

    def to_json(self) -> Json:
        data: Json = {
            "source": self.source, "outlet": self.outlet, "paragraph": self.paragraph,
            "start": self.start, "end": self.end, "text": self.text, "value": self.value,
        }
        if self.low is not None:
            data["low"] = self.low if self.low != float("inf") else None
            data["high"] = self.high if self.high is not None and self.high != float("inf") else None
        return data


@dataclass(frozen=True, slots=True)
class Item:
    """One thing the outlets are compared on. `status`: a discrepancy (the versions conflict), an
    echo (the same words from different speakers) or an agreement."""

    id: str
    kind: str  # FACT, ECHO, WORDING, NAME
    status: str  # DISCREPANCY, ECHOED, AGREEMENT
    about: str
    summary: str
    versions: tuple[Version, ...]
    dimension: str = ""  # facts: "duration", "count:troops", "weekday", …

    @property
    def sources(self) -> list[str]:
        out: list[str] = []
        for v in self.versions:
            if v.source not in out:
                out.append(v.source)
        return out

    def to_json(self) -> Json:
        data: Json = {
            "id": self.id, "kind": self.kind, "status": self.status, "about": self.about,
            "summary": self.summary, "versions": [v.to_json() for v in self.versions],
        }
        if self.dimension:
            data["dimension"] = self.dimension
        return data


def item_id(kind: str, versions: tuple[Version, ...]) -> str:
    first = min(versions, key=lambda v: (v.source, v.paragraph, v.start))
    key = f"{kind}:{first.source}:{first.paragraph}:{first.start}:{len(versions)}"
    return f"{kind[0]}-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


@dataclass(slots=True)
class Comparison:
    """Every item, discrepancies first, then echoes, then agreements."""

    items: list[Item] = field(default_factory=list)
    _by_place: dict[str, dict[int, list[str]]] = field(default_factory=dict, repr=False)
    _by_id: dict[str, Item] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        order = {s: i for i, s in enumerate(STATUSES)}
        kinds = {k: i for i, k in enumerate(KINDS)}
        self.items.sort(key=lambda it: (order.get(it.status, 9), kinds.get(it.kind, 9), -len(it.sources), it.about))
        for it in self.items:
            self._by_id[it.id] = it
            if it.status != DISCREPANCY:
                continue
            for v in it.versions:
                ids = self._by_place.setdefault(v.source, {}).setdefault(v.paragraph, [])
                if it.id not in ids:
                    ids.append(it.id)

    def item(self, item_id: str) -> Item | None:
        return self._by_id.get(item_id)

    def of(self, status: str) -> list[Item]:
        return [it for it in self.items if it.status == status]

    def discrepancies_in(self, source: str) -> dict[int, list[Item]]:
        """Paragraph n -> the discrepancies a version of which is printed there (for the gutter)."""
        return {n: [self._by_id[i] for i in ids] for n, ids in self._by_place.get(source, {}).items()}

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for it in self.items if it.status == s) for s in STATUSES}

    def to_json(self) -> list[Json]:
        return [it.to_json() for it in self.items]
