"""The word lists of quote finding and attribution, read once from `briefing/index/data/quotes.toml`.

They are general knowledge of English news writing (reporting verbs, collective source nouns,
document nouns, title-of-work cues, pronoun genders, and the function words and nouns each
speaker rule looks for), kept as data so that a rule's vocabulary can grow without touching
the rule.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class Lexicon:
    verbs: dict[str, tuple[str, ...]]  # lemma -> every form ("pointed out" with a space)
    adjacent_only: frozenset[str]
    object_verbs: frozenset[str]
    speech_nouns: frozenset[str]
    documents: frozenset[str]
    issued_by: tuple[str, ...]
    collective: frozenset[str]
    described_sources: frozenset[str]
    modifier_titles: frozenset[str]
    title_abbreviations: dict[str, str]
    title_synonyms: dict[str, frozenset[str]]
    descriptions: frozenset[str]
    offices: frozenset[str]
    adjective_endings: tuple[str, ...]
    male_pronouns: frozenset[str]
    female_pronouns: frozenset[str]
    contraction_endings: tuple[str, ...]
    female_words: frozenset[str]
    male_words: frozenset[str]
    work_before: frozenset[str]
    work_after: frozenset[str]
    work_before_phrases: tuple[str, ...]
    media_possessives: frozenset[str]
    broadcast_prepositions: frozenset[str]
    transcript_residue: frozenset[str]
    name_before: tuple[str, ...]
    more_work_before_phrases: tuple[str, ...]
    work_nouns: frozenset[str]
    more_work_before: frozenset[str]
    speech_forms: frozenset[str]  # every one-word form of a reporting verb
    named_things: frozenset[str]
    work_noun_followers: frozenset[str]

    def office(self, word: str) -> str:
        """The full word of an abbreviated title ("Sen." -> "senator"), else the word lower-cased."""
        low = word.lower().rstrip(".")
        return self.title_abbreviations.get(low, low)


def _words(data: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in data.get(key, []))


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    text = resources.files("briefing.index").joinpath("data/quotes.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def rule_words(key: str) -> frozenset[str]:
    """One list of `[rule_words]`, exactly as written: the function words and nouns one speaker
    rule looks for (a missing key fails at import, naming the key)."""
    return frozenset(str(w) for w in _data()["rule_words"][key])


def pronoun_genders(key: str) -> dict[str, str | None]:
    """One map of `[pronoun_genders]`: pronoun -> "m", "f", or None where it says no gender."""
    return {str(k): (str(v) or None) for k, v in _data()["pronoun_genders"][key].items()}


def stance_verbs() -> dict[str, str]:
    """`[stance_verbs]`: lemma -> its forms, space-separated, "_" inside a multi-word form."""
    return {str(k): str(v) for k, v in _data()["stance_verbs"].items()}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = _data()
    verbs = {
        lemma: tuple(form.replace("_", " ") for form in str(forms).split())
        for lemma, forms in data["verbs"].items()
    }
    titles = data["titles"]
    works = data["titles_of_works"]
    not_quotes = data.get("not_quotations", {})
    return Lexicon(
        verbs=verbs,
        adjacent_only=_words(data["adjacent_only"], "verbs"),
        object_verbs=_words(data["verbs_taking_object_then_quote"], "verbs"),
        speech_nouns=_words(data["speech_nouns"], "nouns"),
        documents=_words(data["documents"], "nouns"),
        issued_by=tuple(str(p) for p in data["documents"].get("issued_by", [])),
        collective=_words(data["collective_sources"], "nouns"),
        described_sources=_words(data["described_sources"], "nouns"),
        modifier_titles=_words(data["described_sources"], "not_heads"),
        title_abbreviations={str(k): str(v) for k, v in titles["abbreviations"].items()},
        title_synonyms={str(k): frozenset(str(x) for x in v) for k, v in titles["synonyms"].items()},
        descriptions=_words(titles, "descriptions"),
        offices=_words(titles, "offices"),
        adjective_endings=tuple(str(e) for e in titles.get("adjective_endings", [])),
        male_pronouns=_words(data["pronouns"], "male"),
        female_pronouns=_words(data["pronouns"], "female"),
        contraction_endings=tuple(str(e) for e in data["pronouns"].get("contraction_endings", [])),
        female_words=_words(data["gender_words"], "female"),
        male_words=_words(data["gender_words"], "male"),
        work_before=_words(works, "before"),
        work_after=_words(works, "after"),
        work_before_phrases=tuple(str(p).lower() for p in works.get("before_phrases", [])),
        media_possessives=_words(works, "media_possessives"),
        broadcast_prepositions=_words(works, "broadcast_prepositions"),
        transcript_residue=_words(data["transcript"], "residue"),
        name_before=tuple(sorted(_words(not_quotes, "name_before"))),
        more_work_before_phrases=tuple(sorted(_words(not_quotes, "work_before_phrases"))),
        work_nouns=_words(not_quotes, "work_nouns") | _words(works, "before"),
        more_work_before=_words(not_quotes, "work_before"),
        speech_forms=frozenset(f for forms in verbs.values() for f in forms if " " not in f),
        named_things=_words(not_quotes, "named_things"),
        work_noun_followers=_words(not_quotes, "work_noun_followers"),
    )
