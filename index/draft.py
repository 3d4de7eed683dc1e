"""A draft briefing.toml from what the analysis inferred, for the user to edit (`briefing init`).

Everything written is what the text gave: a title (the headline that shares most words with the
others), the sides with the cue words that placed their speakers and the people on each (with the
words as a comment), the discovered issues with their Whoosh queries, and each article's facts as
cleaning found them. Every value is a TOML basic string, so no text from an article can break out
of it; comments are single lines with control characters removed.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any, Iterable

from briefing.index.model import Article, Issue, Manifest, Side
from briefing.index.text import display_safe

_TITLE_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]{3,}")


_UNSEEN = re.compile("[\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def toml_string(value: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's (\\", \\\\, \\n, \\uXXXX); C1 controls and
    bidi marks are escaped too, so the file shows what it holds."""
    return _UNSEEN.sub(lambda m: f"\\u{ord(m.group(0)):04x}", json.dumps(value, ensure_ascii=False))


def toml_literal(value: str) -> str:
    """A TOML literal string ('...') when the value allows one (a query reads better without
    escapes), else a basic string."""
    if "'" in value or _UNSEEN.search(value) or any(ord(c) < 32 for c in value):
        return toml_string(value)
    return f"'{value}'"


def comment(value: str) -> str:
    """Text for a `#` comment: one line, nothing a terminal or TOML would act on."""
    return display_safe(value).replace("\ufffd", "?")


def guess_title(articles: Iterable[Article]) -> str | None:
    """The headline sharing most words with the other headlines: the story they all tell."""
    titles = [a.title for a in articles if a.title and a.title != a.id]
    if not titles:
        return None
    words = [{w.lower() for w in _TITLE_WORD.findall(t)} for t in titles]
    df: Counter[str] = Counter(w for ws in words for w in ws)
    return max(titles, key=lambda t: (sum(df[w] - 1 for w in {x.lower() for x in _TITLE_WORD.findall(t)}), -len(t)))


def draft_manifest(analysis: Any, articles: list[Article], loaded: Manifest | None = None) -> str:
    """The commented briefing.toml text. `analysis` is a briefing.index.analysis.Analysis."""
    manifest: Manifest = analysis.manifest
    loaded = loaded or Manifest()
    out: list[str] = [
        "# briefing.toml, drafted by `briefing init` from what the texts say. Edit it freely: it",
        "# wins over anything inferred. Sides, people and issues below were inferred; delete what",
        "# is wrong, add cue words, give unplaced speakers a side.",
        "",
    ]
    title = manifest.title or guess_title(articles)
    if title:
        out += ["# The headline that shares most words with the others.", f"title = {toml_string(title)}", ""]
    else:
        out += ['# title = ""', ""]

    speakers = list(getattr(analysis.quotes, "speakers", []))
    evidence_of = analysis.evidence
    out += _sides(manifest.sides, speakers, evidence_of)
    out += _people(manifest, speakers, evidence_of, loaded)
    positions = analysis.positions
    issues = [i for i in (positions.issues if positions is not None else []) if i.id not in ("other", "all")]
    out += _issues(issues or list(manifest.issues))
    out += _articles(articles)
    return "\n".join(out).rstrip() + "\n"


def _sides(sides: list[Side], speakers: list[Any], evidence_of: Any) -> list[str]:
    out = [
        "# Sides. `cues` are words that, found in a speaker's role or an institution's name, put the",
        "# speaker on the side (\"Kremlin spokesman\" -> the side with cue \"Kremlin\").",
    ]
    if not sides:
        out += ["# No side was found in the text. One side looks like:", "# [[sides]]", '# id = "a"',
                '# label = "Side A"', '# cues = ["A", "A-ish"]', ""]
        return out
    for side in sides:
        used: Counter[str] = Counter()
        members = [sp for sp in speakers if sp.side == side.id]
        for sp in members:
            for e in evidence_of(sp.name):
                if e.how in ("world", "party", "organisation", "cue") and e.cue:
                    used[e.cue] += 1
        cues = [side.label] + [c for c, _n in used.most_common()] + list(side.cues)
        cues = list(dict.fromkeys(c for c in cues if c))[:24]
        names = ", ".join(sp.name for sp in members[:6]) or "no quoted speaker"
        out += [
            "",
            "[[sides]]",
            f"# {'inferred' if side.inferred else 'from the manifest'}; speakers: {comment(names)}",
            f"id = {toml_string(side.id)}",
            f"label = {toml_string(side.label)}",
            "cues = [" + ", ".join(toml_string(c) for c in cues) + "]",
        ]
    return out + [""]


def _people(manifest: Manifest, speakers: list[Any], evidence_of: Any, loaded: Manifest) -> list[str]:
    out = ["", "# Who is on which side, with the words that placed them. A speaker left as a comment",
           "# had no evidence: give them a side id to place them.", "[people]"]
    for name, side in loaded.people.items():
        out.append(f"{toml_string(name)} = {toml_string(side)}  # from the manifest")
    for sp in speakers:
        if sp.kind != "person" or sp.name in loaded.people:
            continue
        evidence = evidence_of(sp.name)
        if sp.side and sp.side != "unknown":
            why = "; ".join(f"{e.words} ({e.how})" for e in evidence[:2]) or "cue words"
            out.append(f"{toml_string(sp.name)} = {toml_string(sp.side)}  # {comment(why)}")
        else:
            out.append(f"# {toml_string(sp.name)} = \"\"  # no evidence in the text")
    return out + [""]


def _issues(issues: list[Issue]) -> list[str]:
    out = ["", "# Issues of the positions matrix: `query` is Whoosh syntax, run over each statement",
           "# (AND OR NOT, \"phrases\", prefix*). Statements matching none are under \"Other\"."]
    if not issues:
        out += ["# No recurring phrase was found. One issue looks like:", "# [[issues]]", '# id = "x"',
                '# label = "X"', '# query = \'x OR "y z"\'']
    for issue in issues:
        out += [
            "",
            "[[issues]]",
            f"id = {toml_string(issue.id)}",
            f"label = {toml_string(issue.label)}",
            f"description = {toml_string(issue.description)}",
            f"query = {toml_literal(issue.query)}",
        ]
    return out + [""]


def _articles(articles: list[Article]) -> list[str]:
    out = ["", "# What cleaning found in each article. Correct or add an outlet, a date or a title here."]
    for a in articles:
        out += ["", "[[articles]]", f"id = {toml_string(a.id)}"]
        for key, value in (("outlet", a.outlet), ("date", a.date), ("title", a.title if a.title != a.id else None)):
            if value:
                out.append(f"{key} = {toml_string(value)}")
            else:
                out.append(f'# {key} = ""  # not found in the text')
    return out
