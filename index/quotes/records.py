"""One article's attributed quotations as a compact JSON record, kept in the article cache.

Extraction runs once per article version (at index time, where the `speaker:` field needs it);
the briefing-wide analysis then reads these records instead of reading every article again.
A record is tied to the article's content hash by the cache and to the extraction rules by
`EXTRACTION_VERSION`: bump it whenever quotes.py, attribution.py, speech.py, speakers.py or
quote_marks.py would extract something different from the same text.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from briefing.index.quotes.attribution import Entity
from briefing.index.quotes.extract import Quote

EXTRACTION_VERSION = "6"

_QUOTE_FIELDS = ("id", "paragraph", "start", "end", "text", "kind", "speaker", "speaker_as_given",
                 "role", "side", "cue", "marked", "via")


# Names, roles, sides and cues recur across thousands of articles: one string object each.
_SHARED_FIELDS = ("kind", "speaker", "speaker_as_given", "role", "side", "cue", "via")


def _shared(value: Any) -> Any:
    return sys.intern(value) if type(value) is str else value


def to_record(pairs: list[tuple[Quote, Entity | None]]) -> str:
    """JSON for the (quote, article-level entity) pairs of one article."""
    entities: list[Entity] = []
    slot: dict[int, int] = {}
    quotes = []
    for q, e in pairs:
        ref = None
        if e is not None:
            ref = slot.get(id(e))
            if ref is None:
                ref = slot[id(e)] = len(entities)
                entities.append(e)
        quotes.append([getattr(q, f) for f in _QUOTE_FIELDS] + [ref])
    return json.dumps({
        "quotes": quotes,
        "entities": [[e.name, e.kind, sorted(e.forms), e.roles, e.context, e.gender_votes] for e in entities],
    }, ensure_ascii=False, separators=(",", ":"))


def from_record(text: str, source: str, outlet: str | None) -> list[tuple[Quote, Entity | None]]:
    """The pairs back; quotes of one article share its entity objects, as extraction made them.
    Raises ValueError for a record that does not have this shape."""
    try:
        data = json.loads(text)
        entities = [Entity(_shared(name), _shared(kind), {_shared(f) for f in forms}, [_shared(r) for r in roles],
                           list(context), dict(votes))
                    for name, kind, forms, roles, context, votes in data["entities"]]
        out = []
        for row in data["quotes"]:
            *values, ref = row
            fields = dict(zip(_QUOTE_FIELDS, values, strict=True))
            for name in _SHARED_FIELDS:
                fields[name] = _shared(fields[name])
            entity = entities[ref] if ref is not None else None
            q = Quote(source=source, outlet=outlet, speaker_kind=entity.kind if entity is not None else None, **fields)
            out.append((q, entity))
        return out
    except (KeyError, TypeError, IndexError, ValueError) as exc:
        raise ValueError(f"not a quote record: {exc}") from None
