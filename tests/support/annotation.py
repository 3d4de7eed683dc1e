"""Scoring extracted quotes against a hand annotation (tests/fixtures/quotes/)."""

from __future__ import annotations

from briefing.index.quotes.extract import Quote
from briefing.index.quotes.speakers import names_compatible


def fold(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").lower().split()).strip(" .,")


def match_annotation(gold: list[dict], pred: list[Quote]) -> list[tuple[dict, Quote | None]]:
    """Pair each annotated quote with at most one predicted quote: same source and paragraph,
    and one text contains the other."""
    used: set[str] = set()
    pairs: list[tuple[dict, Quote | None]] = []
    for g in gold:
        gt = fold(g["text"])
        found = None
        for q in pred:
            if q.id in used or q.source != g["source"] or q.paragraph != g["paragraph"]:
                continue
            qt = fold(q.text)
            if gt in qt or (len(qt) >= 8 and qt in gt):
                found = q
                break
        if found is not None:
            used.add(found.id)
        pairs.append((g, found))
    return pairs


def _same_speaker(expected: str | None, got: str | None) -> bool:
    if expected is None or got is None:
        return expected is got
    return names_compatible(expected.split(), got.split())


def score(gold: list[dict], pred: list[Quote]) -> dict[str, float]:
    pairs = match_annotation(gold, pred)
    matched = [(g, q) for g, q in pairs if q is not None]
    named_gold = [g for g in gold if g["speaker"]]
    named_pred = [q for _g, q in matched if q.speaker]
    right = [(g, q) for g, q in matched if g["speaker"] and _same_speaker(g["speaker"], q.speaker)]
    return {
        "gold": len(gold),
        "predicted": len(pred),
        "extraction_precision": len(matched) / len(pred) if pred else 1.0,
        "extraction_recall": len(matched) / len(gold) if gold else 1.0,
        "attribution_precision": len(right) / len(named_pred) if named_pred else 1.0,
        "attribution_recall": len(right) / len(named_gold) if named_gold else 1.0,
        "none_correct": sum(1 for g, q in matched if g["speaker"] is None and q.speaker is None)
        / n_none if (n_none := sum(1 for g, _q in matched if g["speaker"] is None)) else 1.0,
        "side_accuracy": sum(1 for g, q in matched if g["side"] == q.side) / len(matched) if matched else 1.0,
        "kind_accuracy": sum(1 for g, q in matched if g["kind"] == q.kind) / len(matched) if matched else 1.0,
    }


def print_scores(title: str, s: dict[str, float], keys: tuple[str, ...] = ()) -> None:
    print(f"\n{title}: gold={s['gold']} predicted={s['predicted']}")
    for key in keys or ("extraction_precision", "extraction_recall", "attribution_precision", "attribution_recall",
                        "none_correct", "side_accuracy", "kind_accuracy"):
        print(f"  {key:22} {s[key]:.3f}")
