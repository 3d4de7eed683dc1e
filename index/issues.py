"""Issues without a manifest: the key phrases that recur across outlets in what the sides said,
clustered into a handful of issues.

A key phrase is a content word or a pair of adjacent content words of a statement ("missiles",
"security guarantees"); speakers' names and side words are who speaks, not what about, and are
left out. A phrase counts when statements of at least two outlets use it and it is not in most
statements; phrases are ranked by how many statements use them, weighted by how specific they
are (tf-idf), and a phrase joins the issue whose statements it mostly shares, else starts one.

Each issue is labelled by its leading phrases and carries the Whoosh query that selects the same
statements (`"security guarantees" OR missile*`), which `briefing init` writes into briefing.toml
for the user to edit. Statements that match no discovered issue go to "Other".
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Protocol, Sequence

from briefing.index.model import Issue
from briefing.index.quotes.speakers import is_title
from briefing.index.text import fold_for_search

MAX_ISSUES = 6
MAX_PHRASES = 5  # per issue
_CANDIDATES = 48

# General English: function words, reporting verbs and the filler of news copy.
_STOP = frozenset("""
a about above after again against all almost also although always am among an and another any are
around as at away back be because been before being below between both but by can cannot could did
do does doing done down during each either else enough even ever every few first for from further
get gets getting give given go goes going gone got had has have having he her here hers herself him
himself his how however i if in into is it its itself just last least less let like made make makes
making many may me might more most much must my myself near need needs never new next no nor not now
of off often on once one only or other others our ours ourselves out over own per perhaps put quite
rather really said same say saying says see seem seemed seems several shall she should since so some
still such take taken than that the their theirs them themselves then there these they thing things
this those though through thus to today told too toward towards two under until up upon us very via
want wanted wants was way we well were what whatever when where whether which while who whom whose
why will with within without would yet you your yours yesterday tomorrow monday tuesday wednesday
thursday friday saturday sunday week weeks year years day days time times month months people
statement statements added asked tell tells telling according think thinks thought believe believes
believed know knows knew called call calls described describe told noted note notes stressed stress
insisted insist warned warn urged urge argued argue claimed claim repeated repeat reiterated
""".split())
_WORD = re.compile(r"[a-z][a-z'\-]*[a-z]|[0-9]{3,4}")


class StatementLike(Protocol):
    text: str
    speaker: str | None
    source: str
    outlet: str | None


def _stem(word: str) -> str:
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _is_title(word: str) -> bool:
    return is_title(word) and not word.endswith("s")  # "minister", "deputy": who, not what


def _words(text: str) -> list[str]:
    return _WORD.findall(fold_for_search(text).lower())


@dataclass(slots=True)
class _Phrase:
    key: tuple[str, ...]  # stems
    statements: set[int]
    outlets: set[str]
    surface: Counter[str]

    @property
    def shown(self) -> str:
        return self.surface.most_common(1)[0][0]


def phrase_keys(text: str, excluded: frozenset[str]) -> tuple[set[tuple[str, ...]], dict[tuple[str, ...], str]]:
    """The key phrases of one statement (as stems) and how each was printed."""
    keys: set[tuple[str, ...]] = set()
    surface: dict[tuple[str, ...], str] = {}
    prev: tuple[str, str] | None = None
    for word in _words(text):
        stem = _stem(word)
        content = (len(word) >= 4 and word not in _STOP and stem not in _STOP and stem not in excluded
                   and not word.isdigit() and not word.endswith("ly") and not _is_title(word))
        if not content:
            prev = None
            continue
        keys.add((stem,))
        surface.setdefault((stem,), word)
        if prev is not None:
            key = (prev[1], stem)
            keys.add(key)
            surface.setdefault(key, f"{prev[0]} {word}")
        prev = (word, stem)
    return keys, surface


def discover_issues(statements: Sequence[StatementLike], excluded_words: Iterable[str] = ()) -> list[Issue]:
    """A handful of issues from the statements' recurring key phrases (none when too few recur)."""
    excluded = frozenset(_stem(w) for text in excluded_words for w in _words(text))
    phrases: dict[tuple[str, ...], _Phrase] = {}
    outlets_all: set[str] = set()
    for i, st in enumerate(statements):
        outlet = st.outlet or st.source
        outlets_all.add(outlet)
        keys, surface = phrase_keys(st.text, excluded)
        for key in keys:
            ph = phrases.get(key)
            if ph is None:
                ph = phrases[key] = _Phrase(key, set(), set(), Counter())
            ph.statements.add(i)
            ph.outlets.add(outlet)
            ph.surface[surface[key]] += 1
    n = len(statements)
    if not n:
        return []
    need_outlets = 2 if len(outlets_all) >= 2 else 1
    scored: list[tuple[float, _Phrase]] = []
    for ph in phrases.values():
        count = len(ph.statements)
        if count < 2 or len(ph.outlets) < need_outlets or count > 0.25 * n:
            continue
        score = count * math.log(n / count) * (1.6 if len(ph.key) == 2 else 1.0) * math.sqrt(len(ph.outlets))
        scored.append((score, ph))
    scored.sort(key=lambda s: (-s[0], s[1].key))
    clusters: list[list[_Phrase]] = []
    members: list[set[int]] = []
    for _score, ph in scored[:_CANDIDATES]:
        best, overlap = -1, 0.0
        for c, covered in enumerate(members):
            share = len(ph.statements & covered) / len(ph.statements)
            if share > overlap:
                best, overlap = c, share
        if best >= 0 and overlap >= 0.5:
            if len(clusters[best]) < MAX_PHRASES and not any(_contains(o.key, ph.key) for o in clusters[best]):
                clusters[best].append(ph)
                members[best] |= ph.statements
            continue
        if len(clusters) < MAX_ISSUES and overlap < 0.34:
            clusters.append([ph])
            members.append(set(ph.statements))
    issues: list[Issue] = []
    used: set[str] = set()
    for cluster in clusters:
        shown = [ph.shown for ph in cluster]
        label = ", ".join(shown[:3])
        ident = _slug(shown[0])
        while ident in used or ident in ("other", "all"):
            ident += "-2"
        used.add(ident)
        query = " OR ".join(_query_term(ph) for ph in cluster)
        issues.append(Issue(ident, label, f"Discovered from recurring phrases: {', '.join(shown)}.", query,
                            inferred=True, phrases=tuple(shown)))
    return issues


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    return len(longer) > len(shorter) and all(s in longer for s in shorter)


def _query_term(ph: _Phrase) -> str:
    if len(ph.key) == 2:
        return '"' + ph.shown.replace('"', "") + '"'
    return ph.key[0] + "*"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "issue"


def assign_discovered(statements: Sequence[StatementLike], issues: list[Issue],
                      excluded_words: Iterable[str] = ()) -> list[list[str]]:
    """For each statement, the ids of the discovered issues whose phrases it uses (the same
    statements the issues' queries select, without building a search index)."""
    excluded = frozenset(_stem(w) for text in excluded_words for w in _words(text))
    wanted: dict[tuple[str, ...], list[str]] = {}
    for issue in issues:
        for phrase in issue.phrases:
            keys, _surface = phrase_keys(phrase, excluded)
            key = max(keys, key=len) if keys else None
            if key is not None:
                wanted.setdefault(key, []).append(issue.id)
    out: list[list[str]] = []
    for st in statements:
        keys, _surface = phrase_keys(st.text, excluded)
        found: list[str] = []
        for key in keys:
            for issue_id in wanted.get(key, ()):
                if issue_id not in found:
                    found.append(issue_id)
        out.append(sorted(found, key=[i.id for i in issues].index))
    return out
