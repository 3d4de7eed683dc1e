"""Speakers across outlets: one person under every outlet's spelling, title and pronoun.

The quote analysis has already merged each person's forms ("Sergei Ryabkov", "Sergey Ryabkov",
"Ryabkov"); here each outlet's own form and role are read back from its quotes, and the pronoun
it uses is read from its text (a name followed within a few words by "he" or "she", no other
name between). Different spellings, roles that do not contain one another, or pronouns that
disagree make a discrepancy, with every outlet's version listed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from briefing.index.compare.knowledge import knowledge
from briefing.index.compare.model import AGREEMENT, DISCREPANCY, NAME, Item, Version, item_id, some
from briefing.index.model import Article
from briefing.index.quotes.analysis import QuoteAnalysis

PRONOUN_REACH = 3  # words after the name
_WORDS = re.compile(r"[^\W\d_]+(?:['’.][^\W\d_]+)*\.?")
_INITIAL = re.compile(r"^[A-Z]\.?$")
_PRONOUN = {"m": "he", "f": "she"}


@dataclass(slots=True)
class _Seen:
    """One person in one outlet."""

    forms: Counter[str] = field(default_factory=Counter)
    roles: Counter[str] = field(default_factory=Counter)
    place: tuple[int, int, int, str] | None = None  # paragraph, start, end, text: first quote
    votes: Counter[str] = field(default_factory=Counter)
    pronoun_place: tuple[int, int, int, str] | None = None
    name_place: tuple[int, int, int, str] | None = None


class People:
    """Fed each article once (`read`), then `items()`."""

    def __init__(self, quotes: QuoteAnalysis):
        self.persons = {s.name: s for s in quotes.speakers if s.kind == "person"}
        self.seen: dict[str, dict[str, _Seen]] = {}  # source -> person -> what that outlet prints
        for q in quotes.quotes:
            if q.speaker not in self.persons:
                continue
            seen = self.seen.setdefault(q.source, {}).setdefault(q.speaker, _Seen())
            if q.speaker_as_given:
                seen.forms[q.speaker_as_given] += 1
            if q.role:
                seen.roles[q.role] += 1
            if seen.place is None:
                seen.place = (q.paragraph, q.start, q.end, q.text)

    def read(self, article: Article) -> None:
        """The outlet's pronoun for each person it quotes, and where it first names them: one
        scan of the article for all their surnames."""
        people = self.seen.get(article.id)
        if not people:
            return
        k = knowledge()
        by_surname: dict[str, list[tuple[str, _Seen]]] = {}
        for name, seen in people.items():
            by_surname.setdefault(name.split()[-1], []).append((name, seen))
        for p in article.paragraphs:
            if p.kind != "text":
                continue
            text = p.text
            for surname, found in by_surname.items():
                for start in _occurrences(text, surname):
                    self._met(p.n, text, start, start + len(surname), found, k.pronouns)

    @staticmethod
    def _met(n: int, text: str, start: int, end: int, found: list[tuple[str, _Seen]], pronouns: dict[str, str]) -> None:
        """A surname at text[start:end]: where the person is first named, and a pronoun after it."""
        for name, seen in found:
            if seen.name_place is None:
                form = seen.forms.most_common(1)[0][0] if seen.forms else name
                at = text.find(form)
                if at >= 0:
                    seen.name_place = (n, at, at + len(form), form)
        if len(found) != 1:
            return  # two people of one surname: a pronoun after it is nobody's for sure
        seen = found[0][1]
        for i, w in enumerate(_WORDS.finditer(text, end, min(len(text), end + 40))):
            word = w.group()
            if i >= PRONOUN_REACH or (word[0].isupper() and word.lower() not in pronouns):
                return
            gender = pronouns.get(word.lower())
            if gender is not None:
                seen.votes[gender] += 1
                if seen.pronoun_place is None:
                    seen.pronoun_place = (n, start, w.end(), text[start : w.end()])
                return


    def items(self, outlets: dict[str, str | None]) -> list[Item]:
        by_person: dict[str, dict[str, _Seen]] = {}
        for source, people in self.seen.items():
            for name, seen in people.items():
                by_person.setdefault(name, {})[source] = seen
        items: list[Item] = []
        for name, per_source in sorted(by_person.items()):
            if len(per_source) < 2:
                continue
            item = _person(name, per_source, outlets)
            if item is not None:
                items.append(item)
        return items


def _spelling(form: str) -> str:
    """A name without middle initials, for telling spellings apart ("Wendy R. Sherman" = "Wendy Sherman")."""
    return " ".join(w for w in form.split() if not _INITIAL.match(w)).lower()


def _role_words(role: str) -> frozenset[str]:
    stop = knowledge().stop
    return frozenset(w for w in re.findall(r"[^\W_]+", role.replace(".", "").lower()) if w not in stop)


def _person(name: str, per_source: dict[str, _Seen], outlets: dict[str, str | None]) -> Item | None:
    forms = {s: (seen.forms.most_common(1)[0][0] if seen.forms else name) for s, seen in per_source.items()}
    roles = {s: seen.roles.most_common(1)[0][0] for s, seen in per_source.items() if seen.roles}
    pronouns: dict[str, str] = {}
    for s, seen in per_source.items():
        if seen.votes:
            (g, n), *rest = seen.votes.most_common()
            if not rest or rest[0][1] < n:
                pronouns[s] = g
    spellings = {_spelling(f) for f in forms.values() if len(f.split()) > 1}
    role_sets = [_role_words(r) for r in roles.values()]
    role_conflict = any(not (a <= b or b <= a) for i, a in enumerate(role_sets) for b in role_sets[i + 1 :])
    pronoun_conflict = len(set(pronouns.values())) > 1
    distinct_forms = {f for f in forms.values() if len(f.split()) > 1}
    if len(distinct_forms) < 2 and not role_conflict and not pronoun_conflict:
        return None
    versions: list[Version] = []
    for s in sorted(per_source):
        seen = per_source[s]
        place = (seen.pronoun_place if pronoun_conflict else None) or seen.name_place or seen.place
        if place is None:
            continue
        n, start, end, text = place
        parts = [forms[s]]
        if s in roles:
            parts.append(roles[s])
        if s in pronouns:
            parts.append(_PRONOUN[pronouns[s]])
        versions.append(Version(s, outlets.get(s), n, start, end, text, " · ".join(parts)))
    if len(versions) < 2:
        return None
    said: list[str] = []
    if len(distinct_forms) > 1:
        said.append("named " + " / ".join(_tally(forms, outlets)))
    if role_conflict:
        said.append("titled " + " / ".join(_tally(roles, outlets)))
    if pronoun_conflict:
        said.append("called " + " / ".join(_tally({s: _PRONOUN[g] for s, g in pronouns.items()}, outlets)))
    spelled_apart = len(spellings) > 1
    status = DISCREPANCY if spelled_apart or role_conflict or pronoun_conflict else AGREEMENT
    vs = tuple(versions)
    return Item(item_id(NAME, vs), NAME, status, name, "; ".join(said) if said else "one person", vs)


def _tally(values: dict[str, str], outlets: dict[str, str | None]) -> list[str]:
    by: dict[str, list[str]] = {}
    for s, v in sorted(values.items()):
        by.setdefault(v, []).append(outlets.get(s) or s)
    return [f"“{v}” ({some(names)})" for v, names in sorted(by.items(), key=lambda kv: (-len(kv[1]), kv[0]))]


def _occurrences(text: str, word: str) -> list[int]:
    """Where `word` stands as a whole word in `text` (str.find, no pattern to compile)."""
    out: list[int] = []
    i = text.find(word)
    while i >= 0:
        j = i + len(word)
        if (i == 0 or not text[i - 1].isalnum()) and (j >= len(text) or not text[j].isalnum()):
            out.append(i)
        i = text.find(word, j)
    return out
