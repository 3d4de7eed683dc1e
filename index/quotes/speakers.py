"""Who speaks: splitting a noun phrase into name and role, the side a speaker is on, and merging
the forms one name takes ("Deputy Harbour Minister Pavel Orlik", "Pawel Orlik", "Orlik").

Its vocabulary (titles, institution nouns, function words) is general English, read from
`index/data/quotes.toml`. Names of people and sides come from the text and from the manifest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any, Iterable

from briefing.index.model import Manifest
from briefing.index.quotes.lexicon import pronoun_genders, rule_words

# Words that make a phrase a role ("Deputy Secretary of State", "Kremlin spokesman").
TITLE_WORDS = rule_words("title_words")
# Words in -ist that are verbs, not occupations ("insist", "persist").
_NOT_TITLES = rule_words("not_titles")

# Head nouns of institutions and groups ("the Russian Foreign Ministry", "the ministry").
ORG_WORDS = rule_words("org_words")

# Capitalised only because they open a sentence or a clause: never part of a name.
CAP_FUNCTION = rule_words("capitalised_function_words")

WEEKDAYS_MONTHS = rule_words("weekdays_months")

# Lower-case parts of a name ("Ursula von der Leyen", "Bashar al-Assad").
PARTICLES = rule_words("name_particles")
SUFFIXES = rule_words("name_suffixes")
PRONOUNS = pronoun_genders("subjects")
_FEMALE_MARKS = rule_words("female_marks")
_MALE_MARKS = rule_words("male_marks")

_APOSTROPHE_S = re.compile(r"[’']s?$")


@lru_cache(maxsize=1 << 16)
def strip_possessive(token: str) -> str:
    return _APOSTROPHE_S.sub("", token) if len(token) > 2 else token


@lru_cache(maxsize=1 << 16)
def _bare(token: str) -> str:
    return strip_possessive(token).lower().rstrip(".")


@lru_cache(maxsize=1 << 16)
def is_title(token: str) -> bool:
    low = _bare(token)
    if low in TITLE_WORDS:
        return True
    if token[:1].islower() and _is_description(low):
        return True  # "the Idaho developer", "the Republican nominee"
    if _is_office(low):
        return True  # "Councillor Abel Stroud", "the county treasurer"
    if low.endswith("s") and low[:-1] in TITLE_WORDS:  # officials, diplomats, ministers
        return True
    stem = low[:-1] if low.endswith("s") else low
    if stem.endswith("ist") and len(stem) > 5 and stem not in _NOT_TITLES and token[:1].islower():
        return True  # psychologist, economist, journalist
    return "-" in low and any(part in TITLE_WORDS for part in low.split("-"))


def _is_description(low: str) -> bool:
    from briefing.index.quotes.lexicon import lexicon  # data read once, on first use

    lex = lexicon()
    words = lex.descriptions
    return low in words or (low.endswith("s") and low[:-1] in words) or low in lex.described_sources or (
        low.endswith("s") and low[:-1] in lex.described_sources)


def _is_office(low: str) -> bool:
    from briefing.index.quotes.lexicon import lexicon  # data read once, on first use

    words = lexicon().offices
    return low in words or (low.endswith("s") and low[:-1] in words)


def offices(role: str | None) -> frozenset[str]:
    """The offices a role names, abbreviations spelt out and with their other words
    ("Sen." -> senator, lawmaker …; "Property developer" -> developer, businessman …)."""
    if not role:
        return frozenset()
    from briefing.index.quotes.lexicon import lexicon  # data read once, on first use

    lex = lexicon()
    out: set[str] = set()
    for word in role.replace(",", " ").split():
        office = lex.office(strip_possessive(word))
        if is_title(word) or office != word.lower().rstrip("."):
            out.add(office)
            out.update(lex.title_synonyms.get(office, ()))
    return frozenset(out)


@lru_cache(maxsize=1 << 16)
def is_org_word(token: str) -> bool:
    low = _bare(token)
    return low in ORG_WORDS or (low.endswith("s") and low[:-1] in ORG_WORDS)


def is_capitalised(token: str) -> bool:
    return bool(token) and token[0].isupper()


def is_initial(token: str) -> bool:
    return len(token) == 2 and token[0].isupper() and token[1] == "."


def is_acronym(token: str) -> bool:
    core = strip_possessive(token).replace(".", "").replace("-", "")
    return len(core) >= 2 and core.isupper()


def name_like(token: str, side_words: frozenset[str] = frozenset()) -> bool:
    """Could this token be part of a person's name? (Side words such as "Biden" may well be.)"""
    return _name_like(token)


@lru_cache(maxsize=1 << 16)
def _name_like(token: str) -> bool:
    if is_initial(token):
        return True
    head, dash, rest = token.partition("-")
    if dash and head.lower() in PARTICLES and is_capitalised(rest):  # al-Assad, bin-Salman
        return True
    if not is_capitalised(token) or is_acronym(token):
        return False
    bare = strip_possessive(token)
    low = bare.lower()
    month = low in WEEKDAYS_MONTHS and (low in _FULL_DAYS_MONTHS or bare.endswith("."))  # "Jun" may be a name, "Jun." not
    return not (low in CAP_FUNCTION or month or is_title(bare) or is_org_word(bare))


_FULL_DAYS_MONTHS = rule_words("full_days_months")


_HONORIFIC_WORDS = rule_words("honorifics")


def is_honorific(token: str) -> bool:
    """"Mr.", "Ms", "Dr.": a courtesy title, which takes no modifier before it as a role does."""
    return _bare(token) in _HONORIFIC_WORDS
# Who speaks for a person: "X's office said", "X's aides say".
_STAFF = rule_words("staff_words")


def title_surname(toks: list[str], side_words: frozenset[str] = frozenset()) -> bool:
    """Whether the last of `toks`, a capitalised title word, is a surname: after a first name or
    an honorific ("Mara Judge", "Ms. Cardinal"), not after a demonym or party adjective
    ("Republican Leader") nor with a determiner before ("the Ukrainian President")."""
    if len(toks) < 2:
        return False
    last, prev = toks[-1], toks[-2]
    if not is_capitalised(last) or not is_title(last) or is_acronym(last):
        return False
    if _bare(prev) in _HONORIFIC_WORDS:
        return True
    if not _name_like(prev) or prev in side_words or is_initial(prev):
        return False
    from briefing.index.quotes.lexicon import lexicon  # data read once, on first use

    if prev.lower().endswith(lexicon().adjective_endings):
        return False
    before = toks[-3].lower() if len(toks) >= 3 else ""
    return before not in ("the", "a", "an") and not before.endswith(("’s", "'s"))


def _affiliation_split(toks: list[str]) -> int | None:
    """Where "of", "from", "at" or "for" divides a person's name from a place or employer that
    runs on with its own article or title words ("X Y of the Z Institute"), else None."""
    for k in range(2, len(toks) - 1):
        if toks[k].lower() not in ("of", "from", "at", "for"):
            continue
        names = 0
        m = k
        while m > 0 and _name_like(toks[m - 1]):
            m -= 1
            names += 1
        if names >= 2 or (names == 1 and m > 0 and is_title(toks[m - 1])):
            return k
        return None
    return None


def _owner(toks: list[str]) -> list[str]:
    """The possessor or issuer named before a document or speech noun ("the OECD survey" -> OECD,
    "Achterberg's campaign page" -> Achterberg), else []."""
    from briefing.index.quotes.lexicon import lexicon  # data read once, on first use

    lex = lexicon()
    if len(toks) < 2 or toks[-1].lower() not in lex.documents | lex.speech_nouns:
        return []
    for k, t in enumerate(toks[:-1]):
        if t.endswith(("’s", "'s", "s’", "s'")) and is_capitalised(t) and not pronoun_of(t):
            return toks[: k + 1]
    lead: list[str] = []
    for t in toks[:-1]:
        if is_capitalised(t) and t.lower() not in CAP_FUNCTION:
            lead.append(t)
        else:
            break
    return lead if lead and len(lead) == len(toks) - 1 and not any(is_title(t) for t in lead) else []


def describes_someone(text: str | None) -> bool:
    """Whether a phrase with no name in it still says who speaks, as printed: its head noun is
    a title, a body or a description of a person ("a Nevada Democrat", "senior officials", "one
    campaign source", "Critics"), not a thing ("the plan"), a document ("a statement": its
    issuer speaks), a modifier left without its noun ("the first", "a former senior") or a bare
    word standing for a name ("professor" in "Ada Roe, professor of law, …", "Media")."""
    if not text:
        return False
    words = text.replace(",", " ").split()
    if not words or not any(ch.isalpha() for ch in words[-1]):
        return False
    from briefing.index.quotes.lexicon import lexicon  # data read once, on first use

    lex = lexicon()
    first = words[0].lower()
    if first in _RELATIVE_WORDS or first in WEEKDAYS_MONTHS or first.endswith("ing"):
        return False  # "which hits liberals", "Tuesday at the university", "releasing a statement"
    at = next((k for k, w in enumerate(words) if k > 0 and w.lower() in _HEAD_ENDS), len(words))
    if at < len(words) and words[at].lower() == "of" and words[at - 1].lower() in _PARTITIVE:
        at = len(words)  # "one of those advisers": the advisers
    head = strip_possessive(words[at - 1])  # "a longtime adviser to the mayor": the adviser
    low = head.lower().rstrip(".")
    if low in lex.documents or low in lex.modifier_titles:
        return False
    if at == 1 and not is_plural_word(head) and low not in lex.described_sources:
        return False  # a bare singular word: part of a name or an apposition, not a description
    if low in lex.described_sources or (low.endswith("s") and low[:-1] in lex.described_sources):
        return True
    return is_title(low) or is_org_word(low) or _is_description(low) or low in lex.collective


_RELATIVE_WORDS = rule_words("relative_words")
_HEAD_ENDS = rule_words("head_ends")
_PARTITIVE = rule_words("partitive_words")


def is_collective(phrase: str) -> bool:
    """Whether a phrase's head is a collective source that speaks as one ("police", "the crowd",
    "protesters"), unlike anonymous individuals ("officials", "critics")."""
    from briefing.index.quotes.lexicon import lexicon  # data read once, on first use

    words = phrase.split()
    return bool(words) and strip_possessive(words[-1]).lower() in lexicon().collective


_PRONOUN_FORMS: dict[str, str] = {}  # "he", "he’s", "it’d" ... -> the pronoun; made on first use


def _pronoun_forms() -> dict[str, str]:
    from briefing.index.quotes.lexicon import lexicon  # data read once, on first use

    forms = {p: p for p in PRONOUNS}
    for ending in lexicon().contraction_endings:  # the first ending that fits wins, as it did
        for p in PRONOUNS:
            if ending:
                forms.setdefault(p + ending, p)
    return forms


def pronoun_of(token: str) -> str | None:
    """The subject pronoun a token holds ("he", or "He’s" / "It’d" with a contraction), else None."""
    if not _PRONOUN_FORMS:
        _PRONOUN_FORMS.update(_pronoun_forms())
    return _PRONOUN_FORMS.get(token.lower())


@dataclass(frozen=True, slots=True)
class NamePhrase:
    """A subject phrase read apart: `name` for a person or a named institution, `role` as written."""

    text: str
    kind: str  # "person", "name" (one capitalised word: a surname or an institution), "org",
    #            "group" (unnamed people or bodies), "pronoun", "role" (the spokesman), "unknown"
    name: str | None = None
    role: str | None = None
    pronoun: str | None = None

    @property
    def named(self) -> bool:
        return self.kind in ("person", "name", "org") and bool(self.name)


def parse_name_phrase(tokens: list[str], side_words: frozenset[str] = frozenset()) -> NamePhrase:
    return _parse_name_phrase(tuple(tokens), side_words)


@lru_cache(maxsize=1 << 14)
def _parse_name_phrase(tokens: tuple[str, ...], side_words: frozenset[str]) -> NamePhrase:
    """Read a subject noun phrase: 'Ministry spokesman Ivo Brandl' -> person Ivo Brandl, role
    'Ministry spokesman'; 'the Kremlin' -> org; 'officials' -> group; 'he' -> pronoun.

    A lone capitalised word comes back as kind "name": only the article can tell a surname
    introduced earlier ("Brandl") from a capital or a company ("Lisbon", "Meridian").
    """
    toks = [t for t in tokens if t != ","]
    text = " ".join(toks)
    if not toks:
        return NamePhrase("", "unknown")
    if len(toks) == 1 and pronoun_of(toks[0]):
        return NamePhrase(text, "pronoun", pronoun=pronoun_of(toks[0]))
    det = None
    while len(toks) > 1 and toks[0].lower() in CAP_FUNCTION:
        det = toks[0].lower()
        toks = toks[1:]
    split = _affiliation_split(toks)
    if split:
        # "Greta Sorvino of the Civic Budget Institute": the person, then where they work
        person = _parse_name_phrase(tuple(toks[:split]), side_words)
        if person.kind == "person" and person.name:
            where = " ".join(toks[split + 1 :])
            placed = f"{person.role}, {where}" if person.role else where
            return NamePhrase(text, "person", name=person.name, role=placed)
    outlet = next((k for k in range(len(toks) - 3, -1, -1) if toks[k].endswith(("’s", "'s", "s’", "s'"))), None)
    if outlet is not None and 2 <= len(toks) - outlet - 1 <= 3 and all(
        name_like(t, side_words) and not is_org_word(t) and not is_title(t) for t in toks[outlet + 1 :]
    ) and is_capitalised(toks[outlet]):
        # "The Post's Ruth Marcus", "Harlow Radio's Ivo Pant": a person of the body before them
        body = " ".join(toks[:outlet] + [strip_possessive(toks[outlet])])
        return NamePhrase(text, "person", name=" ".join(toks[outlet + 1 :]), role=body)
    owner = _owner(toks)
    if owner:
        # "the OECD survey", "Commissioner Lars Eklund’s claim": the body or person behind the words
        return _parse_name_phrase(tuple(owner), side_words)
    end = len(toks)
    while end > 1 and _bare(toks[end - 1]) in SUFFIXES:
        end -= 1
    i = end
    while i > 0:
        t = toks[i - 1]
        if name_like(t, side_words) or (i == end and title_surname(toks[:end], side_words)):
            i -= 1
        elif t.lower() in PARTICLES and i < end:
            k = i - 1
            while k > 0 and toks[k - 1].lower() in PARTICLES:
                k -= 1
            if k > 0 and name_like(toks[k - 1], side_words):
                i = k
            else:
                break
        else:
            break
    affiliation: list[str] = []
    if i >= 2 and toks[i - 1].lower() in ("of", "from", "at", "for"):
        # "Sen. Arturo Ruiz of New Mexico", "Gene Mazur of Halcyon Research": the name comes
        # before the place or employer
        k = i - 1
        m = k
        while m > 0 and _name_like(toks[m - 1]):
            m -= 1
        if (k - m >= 2 or (k - m == 1 and m > 0 and is_title(toks[m - 1]))) and not any(
            is_org_word(t) for t in toks[m:k]
        ):  # ("the Federal Bureau of Investigation" is one body's name, no one's name and place)
            affiliation = [t for t in toks[k + 1 : end]]
            i, end = m, k
    if not affiliation and i >= 2 and toks[i - 1].lower() in ("of", "for", "at") and any(
        is_title(t) for t in toks[: i - 1]
    ):
        # "the director of the Federal Bureau of Investigation": an office of a body, no name
        return NamePhrase(text, "role", role=" ".join(strip_possessive(t) for t in toks))
    if i > 0 and toks[i - 1].lower() == "the" and end - i >= 3:
        # "ambassador to the United Nations Sergei Lebedev": a body's name runs into the person's
        keep = 3 if is_initial(toks[end - 2]) or toks[end - 2].lower() in PARTICLES else 2
        i = end - keep
    if end - i >= 3 and _is_description(_bare(toks[i])) and not is_initial(toks[i + 1]):
        i += 1  # "Organizer Teodor Valk", "Pollster Ines Roh": a role word opening the name
    name_toks = [strip_possessive(t) for t in toks[i:end]]
    role_toks = list(toks[:i])
    while role_toks and role_toks[-1].lower() in ("of", "for", "to", "and", "at", "the", "with"):
        role_toks.pop()
    role = " ".join(role_toks[:-1] + [strip_possessive(role_toks[-1])]) if role_toks else None
    if affiliation:
        role = f"{role}, {' '.join(affiliation)}" if role else " ".join(affiliation)
    titled = any(is_title(t) for t in role_toks)
    whole = " ".join(strip_possessive(t) for t in toks)
    if name_toks and not titled and any(is_org_word(t) for t in role_toks) and all(
        is_capitalised(t) or t.lower() in ("of", "for", "and", "&") for t in toks
    ):
        return NamePhrase(text, "org", name=whole)  # "Bank of America", "University of Ghana"
    if name_toks:
        if det in ("a", "an"):
            return NamePhrase(text, "unknown", role=whole)
        if det == "the" and not titled:
            return NamePhrase(text, "org", name=whole)  # "the Kremlin", "the Washington Post"
        kind = "person" if len(name_toks) >= 2 or titled else "name"
        return NamePhrase(text, kind, name=" ".join(name_toks), role=role)
    head = toks[-1]
    all_caps_words = all(is_capitalised(t) or t.lower() in ("of", "for", "and") for t in toks)
    if all_caps_words and not is_title(head) and not (len(toks) == 1 and is_org_word(head)):
        if toks[-1] in side_words and is_plural_word(toks[-1]):
            return NamePhrase(text, "group", role=whole)  # "the Russians"
        return NamePhrase(text, "org", name=whole)  # "the State Department", "NATO"
    if is_title(head):
        if det == "the" and not is_plural_word(strip_possessive(head)):
            return NamePhrase(text, "role", role=whole)  # "the spokesman": someone named before
        return NamePhrase(text, "group", role=whole)  # "officials", "a senior diplomat"
    if (is_org_word(head) or head.lower() in _STAFF) and len(toks) >= 2 and toks[-2].endswith(("’s", "'s")) and all(
        is_capitalised(t) for t in toks[:-1]
    ):
        return NamePhrase(text, "org", name=" ".join(toks))  # "Mrs. Vale's campaign", "Senator Ada Roy’s office"
    if is_org_word(head):
        if det == "the" and not is_plural_word(head) and not any(is_capitalised(t) for t in toks):
            return NamePhrase(text, "role", role=whole)  # "the agency": a body named before
        if det in (None, "the") and not is_plural_word(head) and len(toks) >= 2 and all(
            is_capitalised(t) and t.lower() not in CAP_FUNCTION for t in toks[:-1]
        ) and not any(is_title(t) for t in toks):
            return NamePhrase(text, "org", name=whole)  # "the Ferris campaign", "the Biden administration"
        return NamePhrase(text, "group", role=whole)  # "the Biden administration", "police"
    return NamePhrase(text, "unknown", role=whole)


# Titles that single out one person ("the foreign minister", "Germany's economy minister"), unlike
# "official", "analyst" or "source", which anonymous speakers share.
SPECIFIC_TITLES = rule_words("specific_titles")


def title_words(role: str | None) -> frozenset[str]:
    """The title words of a role, lower-cased ("Northland's foreign minister" -> foreign, minister)."""
    if not role:
        return frozenset()
    return frozenset(_bare(w) for w in role.split() if is_title(w) and _bare(w) not in ("senior", "top", "former"))


def is_plural_word(token: str) -> bool:
    low = token.lower()
    return low.endswith("s") and not low.endswith(("ss", "us", "is")) and len(low) > 3


def gender_mark(role: str | None) -> str | None:
    if not role:
        return None
    words = {w.lower() for w in role.split()}
    if words & _FEMALE_MARKS:
        return "f"
    if words & _MALE_MARKS:
        return "m"
    return None


# ---------------------------------------------------------------------------------------------
# Sides


@lru_cache(maxsize=32)
def _side_pattern(sides: tuple[tuple[str, tuple[str, ...]], ...]) -> re.Pattern[str] | None:
    alternatives = []
    for index, (_sid, cues) in enumerate(sides):
        for cue in sorted(cues, key=len, reverse=True):
            alternatives.append((len(cue), index, cue))
    if not alternatives:
        return None
    alternatives.sort(key=lambda a: -a[0])
    body = "|".join(f"(?P<s{index}_{n}>{re.escape(cue)})" for n, (_l, index, cue) in enumerate(alternatives))
    return re.compile(rf"(?<![\w.])(?:{body})(?![\w])")


def _sides_key(manifest: Manifest) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((s.id, tuple(s.cues)) for s in manifest.sides)


def side_words(manifest: Manifest) -> frozenset[str]:
    """Single-word side cues: demonyms and places, never part of a person's name."""
    return frozenset(c for s in manifest.sides for c in s.cues if " " not in c and "." not in c)


def side_from_text(text: str | None, manifest: Manifest) -> str | None:
    """The side whose cue word appears first in `text` (a role, an institution's name)."""
    if not text:
        return None
    key = _sides_key(manifest)
    pattern = _side_pattern(key)
    if pattern is None:
        return None
    m = pattern.search(text)
    if not m:
        return None
    group = m.lastgroup or ""
    return key[int(group[1:].split("_")[0])][0]


def side_from_texts(texts: Iterable[str | None], manifest: Manifest) -> str | None:
    votes: dict[str, int] = {}
    order: list[str] = []
    for text in texts:
        side = side_from_text(text, manifest)
        if side:
            if side not in votes:
                order.append(side)
            votes[side] = votes.get(side, 0) + 1
    if not votes:
        return None
    return max(order, key=lambda s: (votes[s], -order.index(s)))


@dataclass(frozen=True, slots=True)
class _People:
    """A manifest's `[people]` as override_side reads it, made once per manifest: every entity's
    side asked about every listed person, name by name, was a large part of extraction."""

    people: dict[str, str]
    count: int  # len(people) when made: a dict changed in place is read again
    sides: list[str]
    by_name: dict[str, int]  # the name, lower-case, single-spaced -> its first place in the list
    # first letter of the surname -> (place, name tokens, side) in list order: names_compatible
    # needs surnames that share their first letter
    by_initial: dict[str, list[tuple[int, list[str], str]]]


_PEOPLE: dict[int, tuple[Manifest, _People]] = {}
_PEOPLE_KEPT = 8  # manifests remembered (one briefing is open at a time; tests make many)


def _people(manifest: Manifest) -> _People:
    got = _PEOPLE.get(id(manifest))
    if got is not None and got[0] is manifest and got[1].people is manifest.people \
            and got[1].count == len(manifest.people):
        return got[1]
    by_name: dict[str, int] = {}
    by_initial: dict[str, list[tuple[int, list[str], str]]] = {}
    for place, (person, side) in enumerate(manifest.people.items()):
        by_name.setdefault(" ".join(person.lower().split()), place)
        key = person.split()
        surname = surname_key(key)
        if surname:
            by_initial.setdefault(surname[0], []).append((place, key, side))
    table = _People(manifest.people, len(manifest.people), list(manifest.people.values()), by_name, by_initial)
    if len(_PEOPLE) >= _PEOPLE_KEPT:
        _PEOPLE.clear()
    _PEOPLE[id(manifest)] = (manifest, table)  # the manifest is held, so its id is not reused
    return table


def override_side(names: Iterable[str], manifest: Manifest) -> str | None:
    """The manifest's `[people]` side for any form of this name (the first listed that fits)."""
    if not manifest.people:
        return None
    table = _people(manifest)
    names = [n for n in names if n]
    lowered = {" ".join(n.lower().split()) for n in names}
    places = [table.by_name[n] for n in lowered if n in table.by_name]
    if places:
        return table.sides[min(places)]
    # a bare surname says nothing about which "X Price" the manifest means
    forms = [n.split() for n in names if len(n.split()) > 1] or [n.split() for n in names]
    initials = {key[0] for key in map(surname_key, forms) if key}
    candidates = sorted(c for i in initials for c in table.by_initial.get(i, ()))
    for _place, key, side in candidates:
        if any(names_compatible(key, form) for form in forms):
            return side
    return None


# ---------------------------------------------------------------------------------------------
# Name forms


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _core(tokens: list[str]) -> list[str]:
    return [t for t in tokens if _bare(t) not in SUFFIXES]


def surname_key(tokens: list[str]) -> str:
    core = _core(tokens)
    return core[-1].lower() if core else ""


def names_compatible(a: list[str], b: list[str]) -> bool:
    """One person? Same (or near-same) surname and first names that do not contradict.

    'Sergei Ryabkov' ~ 'Sergey Ryabkov' ~ 'Ryabkov'; 'Wendy R. Sherman' ~ 'Wendy Sherman';
    'Joe Biden' is not 'Hunter Biden'.
    """
    a, b = _core(a), _core(b)
    if not a or not b:
        return False
    sa, sb = a[-1].lower(), b[-1].lower()
    if sa != sb and not (sa[0] == sb[0] and min(len(sa), len(sb)) >= 5 and _similar(sa, sb) >= 0.85):
        return False
    fa = [t for t in a[:-1] if not is_initial(t)]
    fb = [t for t in b[:-1] if not is_initial(t)]
    if not fa or not fb:
        return True
    x, y = fa[0].lower(), fb[0].lower()
    return x == y or (x[0] == y[0] and _similar(x, y) >= 0.7)


def fullness(name: str) -> tuple[int, int]:
    return len(name.split()), len(name)


@dataclass(slots=True)
class Speaker:
    """A person or institution quoted in the briefing, with every form of the name seen."""

    name: str
    aliases: list[str]
    role: str | None
    side: str | None
    quotes: int = 0
    kind: str = "person"  # or "org"
    sources: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "aliases": list(self.aliases),
            "role": self.role,
            "side": self.side,
            "quotes": self.quotes,
            "kind": self.kind,
            "sources": list(self.sources),
        }

    def matches(self, query: str) -> bool:
        q = " ".join(query.lower().split())
        if not q:
            return False
        forms = [self.name, *self.aliases]
        if any(q == f.lower() for f in forms):
            return True
        words = q.split()
        return any(all(w in f.lower().split() for w in words) for f in forms)
