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

import hashlib
import math
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Protocol, Sequence

from briefing.index.model import Issue
from briefing.index.quotes.speakers import is_title
from briefing.index.text import fold_for_search

MAX_ISSUES = 6
MAX_PHRASES = 5  # per issue
_CANDIDATES = 48

_WORD = re.compile(r"[a-z][a-z'\-]*[a-z]|[0-9]{3,4}")


class StatementLike(Protocol):
    text: str
    speaker: str | None
    source: str
    outlet: str | None


@lru_cache(maxsize=1)
def filler_words() -> frozenset[str]:
    """The general English of `index/data/issues.toml`: function words, the wording of news copy,
    nouns any story uses and every form of the commonest verbs. None of it is a key phrase."""
    text = resources.files("briefing.index").joinpath("data/issues.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    words = {str(w).lower() for group in data["filler"].values() for w in group}
    words.update(form.lower() for forms in data["common_verbs"].values() for form in str(forms).split())
    return frozenset(words)


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
    return is_title(word)  # "minister", "officials", "deputy": who speaks, not what about


@lru_cache(maxsize=1 << 16)
def _content_stem(word: str) -> str:
    """The stem of a content word, "" for a function word, a title or an adverb."""
    stem = _stem(word)
    filler = filler_words()
    if (len(word) < 4 or word in filler or stem in filler or word.isdigit() or word.endswith(("ly", "ing"))
            or _is_title(word)):
        return ""
    return stem


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


def phrase_keys(text: str, excluded: frozenset[str]) -> dict[tuple[str, ...], str]:
    """The key phrases of one statement (as stems), each with how it was printed."""
    out: dict[tuple[str, ...], str] = {}
    prev_word, prev_stem = "", ""
    folded = fold_for_search(text)  # offsets kept: the printed form is read back from it
    for m in _WORD.finditer(folded.lower()):
        word = folded[m.start():m.end()]
        stem = _content_stem(word.lower())
        if word.isupper() and len(word) > 1:
            pass  # an acronym keeps its capitals ("NATO")
        elif word[:1].isupper() and m.start() > 0:
            pass  # a name inside a sentence ("Europe")
        else:
            word = word.lower()
        if not stem or stem in excluded:
            prev_stem = ""
            continue
        out.setdefault((stem,), word)
        if prev_stem:
            out.setdefault((prev_stem, stem), f"{prev_word} {word}")
        prev_word, prev_stem = word, stem
    return out


def excluded_stems(words: Iterable[str]) -> frozenset[str]:
    """Stems of the words that say who speaks (names, side cues): never a key phrase."""
    return frozenset(_stem(w) for text in words for w in _words(text))


SAMPLE = 3000  # statements read for discovery: a handful of issues needs no more


class Discovery:
    """The key phrases of the statements (of an even sample of them when there are many):
    `issues()` clusters them; `assign()` says which issues each statement is under."""

    def __init__(self, statements: Sequence[StatementLike], excluded_words: Iterable[str] = (), sample: int = SAMPLE,
                 previous: KeysMemo | None = None, keep: KeysMemo | None = None):
        """`previous`, what a call with the same excluded words left in `keep` (digest of a
        statement's text -> its key phrases), gives a text's phrases again without reading it."""
        excluded = excluded_stems(excluded_words)
        step = max(1, math.ceil(len(statements) / sample))
        chosen = statements[::step]
        self.statements = statements
        words = _digest("\n".join(sorted(excluded)))
        known = previous.get(words) if previous is not None else None
        kept: dict[bytes, dict[tuple[str, ...], str]] = {}
        self.keys: list[dict[tuple[str, ...], str]] = []
        for st in chosen:
            digest = _digest(st.text)
            found = known.get(digest) if known is not None else None
            if found is None:
                found = phrase_keys(st.text, excluded)
            kept[digest] = found
            self.keys.append(found)
        if keep is not None:
            keep.clear()
            keep[words] = kept
        self.outlets = [st.outlet or st.source for st in chosen]

    def issues(self) -> list[Issue]:
        """A handful of issues from the recurring key phrases (none when too few recur)."""
        count: Counter[tuple[str, ...]] = Counter()
        first_outlet: dict[tuple[str, ...], str] = {}
        several: set[tuple[str, ...]] = set()  # used by statements of two outlets or more
        for keys, outlet in zip(self.keys, self.outlets):
            count.update(keys.keys())
            for key in keys:
                seen = first_outlet.setdefault(key, outlet)
                if seen != outlet:
                    several.add(key)
        n = len(self.keys)
        need_several = len(set(self.outlets)) >= 2
        pool = [k for k, c in count.items() if c >= 2 and c <= max(0.25 * n, 4) and (several if need_several else count).__contains__(k)]
        pool.sort(key=lambda k: (-count[k] * (1.6 if len(k) == 2 else 1.0), k))
        phrases = {k: _Phrase(k, set(), set(), Counter()) for k in pool[: _CANDIDATES * 4]}
        for i, (keys, outlet) in enumerate(zip(self.keys, self.outlets)):
            for key, shown in keys.items():
                ph = phrases.get(key)
                if ph is not None:
                    ph.statements.add(i)
                    ph.outlets.add(outlet)
                    ph.surface[shown] += 1
        return _cluster(phrases, n, len(set(self.outlets)))

    def assign(self, issues: list[Issue], previous: AssignMemo | None = None,
               keep: AssignMemo | None = None) -> list[list[str]]:
        """For each statement, the ids of the discovered issues it is under: what each issue's
        Whoosh query selects (a prefix term matches a word whose stem starts with the term's stem,
        a phrase its words in a row), found with one regular expression instead of an index.

        `previous`, what a call with the same issues left in `keep` (digest of a statement's
        text -> its issue ids), gives a text's issues again without reading it."""
        pattern, owner = issue_pattern(issues)
        out: list[list[str]] = []
        if pattern is None:
            return [[] for _ in self.statements]
        order = {issue.id: n for n, issue in enumerate(issues)}
        known = previous.get(_issues_key(issues)) if previous is not None else None
        kept: dict[bytes, tuple[str, ...]] = {}
        for st in self.statements:
            digest = _digest(st.text)
            ids = known.get(digest) if known is not None else None
            if ids is None:
                found = {owner[m.lastgroup or ""] for m in pattern.finditer(fold_for_search(st.text).lower())}
                ids = tuple(sorted(found, key=order.__getitem__) if len(found) > 1 else found)
            kept[digest] = ids
            out.append(list(ids))
        if keep is not None:
            keep.clear()
            keep[_issues_key(issues)] = kept
        return out


# what Discovery leaves for the next one: digest of the excluded stems -> text digest -> its phrases
KeysMemo = dict[bytes, dict[bytes, dict[tuple[str, ...], str]]]


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


# what Discovery.assign leaves for the next call: (issue ids and queries) -> text digest -> ids
AssignMemo = dict[tuple[tuple[str, str], ...], dict[bytes, tuple[str, ...]]]


def _issues_key(issues: list[Issue]) -> tuple[tuple[str, str], ...]:
    """Everything of the issues that `assign` reads."""
    return tuple((issue.id, issue.query) for issue in issues)


_QUERY_TERM = re.compile(r'"[^"]+"|[^\s"()*]+(?=\*)')


def _word_rx(word: str, prefix: bool) -> str:
    """A word as the stemming search index matches it: its own letters or its Porter stem."""
    low = word.lower()
    forms = sorted({low, _porter(low)}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(f) for f in forms) + ")" + (r"[\w'\-]*" if prefix else "")


def issue_pattern(issues: list[Issue]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """One pattern over every discovered issue's phrases, and its group names -> issue id."""
    parts: list[str] = []
    owner: dict[str, str] = {}
    for issue in issues:
        for term in _QUERY_TERM.findall(issue.query):  # the terms _query_term wrote: word* or "w1 w2"
            words = _WORD.findall(fold_for_search(term).lower())
            if not words:
                continue
            group = f"i{len(owner)}"
            owner[group] = issue.id
            body = r"\W+".join(_word_rx(w, prefix=True) for w in words)
            parts.append(f"(?P<{group}>" + r"(?<![\w'])" + body + ")")
    if not parts:
        return None, owner
    return re.compile("|".join(parts)), owner


@lru_cache(maxsize=1 << 14)
def _porter(word: str) -> str:
    from whoosh.lang.porter import stem

    return str(stem(word))


def discover_issues(statements: Sequence[StatementLike], excluded_words: Iterable[str] = ()) -> list[Issue]:
    return Discovery(statements, excluded_words).issues()


def _cluster(phrases: dict[tuple[str, ...], _Phrase], n: int, n_outlets: int) -> list[Issue]:
    if not n:
        return []
    need_outlets = 2 if n_outlets >= 2 else 1
    scored: list[tuple[float, _Phrase]] = []
    for ph in phrases.values():
        count = len(ph.statements)
        if count < 2 or len(ph.outlets) < need_outlets or count > max(0.25 * n, 4):
            continue
        score = count * math.log(n / count) * (1.6 if len(ph.key) == 2 else 1.0) * math.sqrt(len(ph.outlets))
        scored.append((score, ph))
    scored.sort(key=lambda s: (-s[0], s[1].key))
    # A phrase joins the issue whose leading phrase shares most of its statements; else, while
    # there is room, it leads an issue of its own. Comparing with the leading phrase (not with
    # everything an issue holds) keeps one big issue from swallowing the others.
    clusters: list[list[_Phrase]] = []
    for _score, ph in scored[:_CANDIDATES]:
        best, overlap = -1, 0.0
        for c, cluster in enumerate(clusters):
            share = len(ph.statements & cluster[0].statements) / len(ph.statements)
            if share > overlap:
                best, overlap = c, share
        if best >= 0 and overlap >= 0.5:
            if len(clusters[best]) < MAX_PHRASES and not any(_contains(o.key, ph.key) for o in clusters[best]):
                clusters[best].append(ph)
            continue
        if len(clusters) < MAX_ISSUES and overlap < 0.34:
            clusters.append([ph])
    issues: list[Issue] = []
    used: set[str] = set()
    for cluster in clusters:
        shown = [ph.shown for ph in cluster]
        label = ", ".join(shown[:3])
        label = label[:1].upper() + label[1:]
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
