"""Sides without a manifest: who each speaker speaks for, from what the text says about them.

Evidence is read from the words printed with each speaker: the role attribution found ("Russian
Deputy Foreign Minister"), the premodifier before a name ("Meridian spokeswoman Jane Roe"), an
apposition after it (", R-Ky.,", "(D-Ore.)", ", a Democrat from Oregon,", ", chief executive of
Acme Corp"). Three kinds of words place a speaker:

- general world knowledge (index/data/world.toml): countries with their names, demonyms, capitals
  and government bodies, international organisations, the parties of a country and their tags;
- an organisation named in a relation ("spokesman for X", "X chief executive", "president of X"),
  which becomes a side of its own when at least two speakers are placed on it, or one speaker by
  two articles;
- a relation to another speaker ("aide to X", "X's campaign", "supporter of X"), which puts the
  speaker on X's side once X's own side is known.

Parties become sides only when two parties of one country have speakers (a national-politics
story); otherwise a party word places its member in the party's country.

The manifest wins wherever it speaks: its `[people]` and its sides are kept; inference adds sides
only when the manifest names none, and then fills only speakers the manifest leaves out.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Iterator, Protocol, Sequence

from briefing.index.model import Article, Manifest, Side
from briefing.index.quotes.analysis import PeopleSides, meets, plain_article
from briefing.index.quotes.groups import pack_keys, text_key
from briefing.index.workers import ordered_map
from briefing.index.quotes.speakers import CAP_FUNCTION, is_org_word, is_title

# ---- world knowledge ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WorldEntity:
    id: str
    label: str
    kind: str  # "country", "organisation" or "party"
    terms: tuple[str, ...]
    country: str | None = None  # a party's country
    tags: tuple[str, ...] = ()  # a party's letters in "(D-Ore.)"


@dataclass(slots=True)
class World:
    entities: dict[str, WorldEntity]
    term_of: dict[str, str]  # term -> entity id
    pattern: re.Pattern[str] | None
    tag_of: dict[str, str]  # party tag letter -> entity id

    def find(self, text: str) -> Iterator[tuple[int, str, WorldEntity]]:
        """(offset, term, entity) for every world term in `text`, in text order."""
        if self.pattern is None:
            return
        for m in self.pattern.finditer(text):
            yield m.start(), m.group(0), self.entities[self.term_of[m.group(0)]]

    def tags(self, text: str) -> Iterator[tuple[int, str, WorldEntity]]:
        for m in _TAG.finditer(text):
            party = self.tag_of.get(m.group("tag"))
            if party:
                yield m.start(), m.group(0), self.entities[party]


# "(D-Ore.)", "R-Ky.", "D-NY", "I-Vt.": a party letter, a hyphen, a state's abbreviation or name
_TAG = re.compile(r"(?<![\w-])(?P<tag>[A-Z])-(?:[A-Z][a-z]{1,10}\.?|[A-Z]{2})(?![\w-])")


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


@lru_cache(maxsize=1)
def load_world() -> World:
    """index/data/world.toml, read once."""
    raw = resources.files("briefing.index").joinpath("data/world.toml").read_text(encoding="utf-8")
    data = tomllib.loads(raw)
    entities: dict[str, WorldEntity] = {}
    for kind, key in (("country", "countries"), ("organisation", "organisations"), ("party", "parties")):
        for item in data.get(key, []):
            terms: list[str] = []
            for field_name in ("names", "demonyms", "capitals", "bodies"):
                terms.extend(_strings(item.get(field_name)))
            entities[str(item["id"])] = WorldEntity(
                str(item["id"]), str(item.get("label") or item.get("name") or item["id"]), kind,
                tuple(dict.fromkeys(terms)), item.get("country"), _strings(item.get("tags")),
            )
    term_of: dict[str, str] = {}
    for entity in entities.values():
        for term in entity.terms:
            term_of.setdefault(term, entity.id)
    tag_of = {tag: e.id for e in entities.values() for tag in e.tags}
    pattern = None
    if term_of:
        body = "|".join(re.escape(t) for t in sorted(term_of, key=len, reverse=True))
        pattern = re.compile(rf"(?<![\w.])(?:{body})(?![\w]|\.\w)")
    return World(entities, term_of, pattern, tag_of)


# ---- what the text says about a speaker -----------------------------------------------------


class SpeakerLike(Protocol):
    name: str
    aliases: list[str]
    side: str | None
    kind: str
    quotes: int


@dataclass(frozen=True, slots=True)
class Evidence:
    """The words that placed a speaker on a side."""

    side: str  # side id
    words: str  # the phrase printed with the speaker ("Russian Deputy Foreign Minister")
    cue: str  # the word in it that decided ("Russian"), or the related speaker's name
    how: str  # "manifest", "cue" (a side's cue word), "world", "party", "organisation", "relation"
    source: str | None = None  # the article it was read in

    def to_json(self) -> dict[str, Any]:
        return {"side": self.side, "words": self.words, "cue": self.cue, "how": self.how, "source": self.source}


@dataclass(slots=True)
class SideInference:
    """What was inferred: the sides added to the manifest's (marked inferred), and for every
    speaker the evidence for its side (empty when nothing placed it)."""

    sides: list[Side] = field(default_factory=list)
    evidence: dict[str, list[Evidence]] = field(default_factory=dict)  # speaker name -> evidence
    assigned: dict[str, str] = field(default_factory=dict)  # speaker name -> side id, as inferred
    texts: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)  # what was read

    @property
    def inferred(self) -> bool:
        return bool(self.sides)

    def unassigned(self, speakers: Iterable[SpeakerLike]) -> list[str]:
        return [s.name for s in speakers if not s.side]


_WORD = re.compile(r"[\w’'.\-]+|[,;:()“”\"—]")
_CAP_RUN = r"[A-Z][\w’'&.\-]*(?:\s+(?:of|for|and|&|de|the)?\s*[A-Z][\w’'&.\-]*)*"
_RELATION_WORDS = frozenset(
    "aide adviser advisor ally supporter backer loyalist confidant spokesman spokeswoman spokesperson "
    "member campaign lawyer attorney counsel".split()
)
# "aide to X", "spokeswoman for X", "president of X", "supporter of X", "member of the X"
_TO_X = re.compile(rf"\b(?P<rel>[\w\-]+)\s+(?:to|for|of|at|with)\s+(?:the\s+)?(?P<x>{_CAP_RUN})")
# "X's campaign", "X's spokesman", "X’s chief executive"
_X_POSSESSIVE = re.compile(rf"(?P<x>{_CAP_RUN})[’']s\s+(?:[\w\-]+\s+){{0,2}}?(?P<rel>[\w\-]+)")
# "Acme spokeswoman", "Acme chief executive": a name phrase leading the role
_X_LEADING = re.compile(rf"^(?:the\s+|a\s+|an\s+)?(?P<x>{_CAP_RUN})\s+(?P<rel>[a-zA-Z][\w\-]*)")
# "spokesman for the union", "union president", "chairs the school board": a body named by its
# kind; the word before it, when lower-case, says which ("school board")
_KIND_WORD = re.compile(r"(?P<word>[A-Za-z][\w\-]*?)(?:[’']s)?(?=[\s,;:.)]|$)")


# Relations that put a speaker on the other side: "Sherman's counterpart", "a rival of X".
_OPPOSED = frozenset("counterpart counterparts rival rivals opponent opponents challenger critic critics adversary".split())


def _relation_word(word: str) -> bool:
    low = word.lower()
    if low in _OPPOSED:
        return False
    return low in _RELATION_WORDS or is_title(word) or is_org_word(word)


@dataclass(slots=True)
class _Target:
    name: str  # as printed (possessive stripped)
    words: str


def _targets(text: str) -> list[_Target]:
    """Names in `text` that the speaker is related to ("aide to Brandt" -> Brandt)."""
    out: list[_Target] = []
    words = text.split()
    while len(words) > 2 and words[0][:1].islower() and (is_title(words[0]) or words[0] in ("a", "an", "the")):
        words.pop(0)  # "senior Acme official", "a chief Acme negotiator": the name leads what is left
    lead = " ".join(words)
    for rx in (_TO_X, _X_POSSESSIVE, _X_LEADING):
        for m in rx.finditer(lead if rx is _X_LEADING else text):
            if rx is _TO_X and _POSTED_TO.search(m.string, 0, m.start("x")):
                continue
            if _relation_word(m.group("rel")):
                name = re.sub(r"[’']s$", "", m.group("x")).strip(" .")
                words = name.split()
                # "Senior Acme official", "Acme Foreign Minister": title words are not the name;
                # "But Acme spokesman": a word capitalised because it opens the sentence is not either
                while words and (words[0] in ("The", "A", "An") or is_title(words[0]) or words[0].lower() in CAP_FUNCTION):
                    words.pop(0)
                while words and (is_title(words[-1]) or words[-1] in ("of", "for", "and", "the", "&")):
                    words.pop()
                if len(words) == 1 and is_org_word(words[0]):
                    continue  # "Union president" opening a sentence: a body by its kind, not its name
                if words:
                    out.append(_Target(" ".join(words), text))
    return out


def _premodifier(text: str, start: int) -> str | None:
    """The role words just before a name: 'said Acme spokeswoman |Jane Roe' -> 'Acme spokeswoman'."""
    before = text[max(0, start - 100): start]
    cut = max(before.rfind(c) for c in ",;:(“”\"—")
    before = before[cut + 1:] if cut >= 0 else before
    words = before.split()
    keep: list[str] = []
    for word in reversed(words):
        bare = word.strip("’'")
        if bare[:1].isupper() or is_title(bare) or is_org_word(bare) or bare in ("of", "for", "to", "the", "press"):
            keep.append(word)
        else:
            break
    if not keep or keep[0] in ("of", "for", "to", "the"):
        return None  # "aide to |Brandt": a relation to the name, not a description of it
    while keep and keep[-1] in ("of", "for", "to", "the", "The"):
        keep.pop()
    while keep and keep[-1].lower() in CAP_FUNCTION:  # "But", "When": capitalised by the sentence only
        keep.pop()
    keep.reverse()
    if not keep:
        return None
    phrase = " ".join(keep)
    if any(is_title(w) or is_org_word(w) for w in keep) or keep[-1].endswith(("’s", "'s")):
        return phrase
    return None


_APPOSITION_END = re.compile(r",|\)|;|\.(?=\s+[A-Z“\"]|\s*$)|\s(?:said|says|told|who|which|and)\s")
_APPOSITION_START = frozenset("a an the his her their its our chief".split())


def _apposition(text: str, end: int) -> str | None:
    """The noun phrase set off after a name: ', R-Ky., who' -> 'R-Ky.'; ' (D-Ore.)' -> 'D-Ore.'."""
    rest = text[end:end + 120]
    m = re.match(r"[’']s\s|,\s+|\s*\(", rest)
    if not m or m.group(0).startswith(("’", "'")):
        return None
    body = rest[m.end():]
    stop = _APPOSITION_END.search(body)
    segment = (body[: stop.start()] if stop else body).strip()
    if not segment or len(segment.split()) > 12:
        return None
    first = segment.split()[0]
    if _TAG.match(segment):
        return segment
    if first.lower() in _APPOSITION_START or is_title(first) or is_org_word(first) or first[:1].isupper():
        if first.lower().endswith(("ing", "ed")) and first[:1].islower():
            return None
        words = segment.split()
        if any(is_title(w) or is_org_word(w) or w.strip(".,").lower() in _RELATION_WORDS for w in words) or any(
            w[:1].isupper() for w in words[1:]
        ) or first[:1].isupper():
            return segment
    return None


class _Mentions:
    """Every printed mention of a known speaker, found by surname in one pass over the text."""

    def __init__(self, speakers: Iterable[SpeakerLike]):
        self.by_last: dict[str, list[tuple[str, str]]] = {}  # surname -> (alias, speaker name)
        for sp in speakers:
            if sp.kind != "person":
                continue
            for alias in {sp.name, *sp.aliases}:
                last = alias.split()[-1] if alias.split() else ""
                if len(last) > 1:
                    self.by_last.setdefault(last, []).append((alias, sp.name))
        for forms in self.by_last.values():
            forms.sort(key=lambda f: -len(f[0]))

    def find(self, text: str, looked: set[str] | None = None) -> Iterator[tuple[str, int, int]]:
        """(speaker name, start, end) of each mention; `looked` receives every surname looked up."""
        for m in re.finditer(r"[A-Z][\w’'\-]+", text):
            word = m.group(0)
            for suffix in ("’s", "'s"):
                if word.endswith(suffix):
                    word = word[: -len(suffix)]
            if looked is not None:
                looked.add(word)
            forms = self.by_last.get(word)
            if not forms:
                continue
            end = m.start() + len(word)
            owners = {name for _alias, name in forms}
            for alias, name in forms:
                if text.endswith(alias, 0, end):
                    if len(alias.split()) == 1 and len(owners) > 1:
                        break  # a bare surname two speakers share says nothing
                    yield name, end - len(alias), end
                    break


@dataclass(slots=True)
class _MentionMemo:
    sha: str | None
    looked: bytes  # stable keys of the surnames it looked up (groups.pack_keys)
    found: list[tuple[str, str]]  # (speaker, phrase) in the order read


@dataclass(slots=True)
class TextsState:
    """What collect_texts leaves for the next analysis: each article's phrases and the surname
    table they were found with."""

    by_last: dict[str, list[tuple[str, tuple[str, ...]]]]  # as _canonical gives it
    articles: dict[str, _MentionMemo]


def _canonical(forms: list[tuple[str, str]]) -> list[tuple[str, tuple[str, ...]]]:
    """What `_Mentions.find` reads of one surname's forms. Forms of one length come in the
    order of a set of names, which differs from process to process; only the order of the
    speakers sharing one form decides anything (two different forms of one length cannot both
    end a word at one place)."""
    names: dict[str, list[str]] = {}
    for alias, name in forms:
        names.setdefault(alias, []).append(name)
    return sorted(((alias, tuple(owners)) for alias, owners in names.items()), key=lambda f: (-len(f[0]), f[0]))


_key = text_key


def collect_texts(articles: Iterable[Article], speakers: Sequence[SpeakerLike],
                  seeded: dict[str, list[tuple[str, str | None]]] | None = None,
                  previous: TextsState | None = None, keep: list[TextsState] | None = None) -> dict[str, list[tuple[str, str | None]]]:
    """speaker name -> (phrase, article id) for every role phrase printed with the speaker: the
    `seeded` ones (attribution's roles and appositions) and, from one pass over the articles, the
    premodifier and apposition of every mention.

    `previous`, what an earlier call left in `keep`, gives an article's phrases again when the
    article and the surname entries it looked up are the same."""
    texts: dict[str, list[tuple[str, str | None]]] = {s.name: [] for s in speakers}
    seen: dict[str, set[str]] = {s.name: set() for s in speakers}

    def add(name: str, phrase: str, source: str | None) -> None:
        phrase = " ".join(phrase.split())
        # once per article: the same title printed by two outlets is two articles' evidence
        key = f"{source}\x00{phrase}"
        if phrase and key not in seen[name] and len(seen[name]) < 40:
            seen[name].add(key)
            texts[name].append((phrase, source))

    for name, phrases in (seeded or {}).items():
        if name in texts:
            for phrase, source in phrases:
                add(name, phrase, source)
    mentions = _Mentions(speakers)
    changed: set[int] = set()
    table = {k: _canonical(v) for k, v in mentions.by_last.items()}
    if previous is not None:
        old = previous.by_last
        changed = {_key(k) for k in old.keys() | table.keys() if old.get(k) != table.get(k)}
    memos: dict[str, _MentionMemo] = {}
    listed: list[Article] = []
    again: list[str] = []
    for article in articles:  # (no body is read in this pass)
        listed.append(article)
        sha = getattr(article, "sha256", None)
        memo = previous.articles.get(article.id) if previous is not None else None
        if memo is None or not memo.sha or memo.sha != sha or meets(changed, memo.looked):
            again.append(article.id)
            memo = _MentionMemo(sha, b"", [])
        memos[article.id] = memo

    def read(article: Article) -> tuple[list[tuple[str, str]], bytes]:
        """One article's phrases printed with speakers, and the surnames it looked up (in a worker)."""
        looked: set[str] = set()
        found: list[tuple[str, str]] = []
        for p in article.paragraphs:
            if p.kind != "text":
                continue
            for name, start, end in mentions.find(p.text, looked):
                pre = _premodifier(p.text, start)
                if pre:
                    found.append((name, pre))
                post = _apposition(p.text, end)
                if post:
                    found.append((name, post))
        return found, pack_keys(_key(k) for k in looked)

    wanted = set(again)
    bodies = (plain_article(a) for a in articles if a.id in wanted)
    for aid, (found, looked) in zip(again, ordered_map(read, bodies, len(again)), strict=True):
        memos[aid].found, memos[aid].looked = found, looked
    for article in listed:
        for name, phrase in memos[article.id].found:
            add(name, phrase, article.id)
    if keep is not None:
        keep.append(TextsState(table, memos))
    for sp in speakers:
        if sp.kind != "person":
            add(sp.name, sp.name, None)
    return texts


# ---- deciding -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Candidate:
    key: str  # world entity id, "org:<name>" or "person:<name>"
    kind: str  # "world", "party", "organisation", "relation"
    words: str
    cue: str
    source: str | None
    at: int  # offset of the cue in its phrase (earlier words describe the speaker first)


_POSTED_TO = re.compile(r"\b(?:[Aa]mbassador|[Ee]nvoy|[Ee]missary|[Rr]epresentative|[Dd]elegate|[Oo]bserver)s?\s+to\s+(?:the\s+)?$")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "side"


def _candidates(phrase: str, source: str | None, world: World, person_names: dict[str, str],
                self_name: str) -> list[_Candidate]:
    out: list[_Candidate] = []
    for at, term, entity in world.find(phrase):
        if _POSTED_TO.search(phrase, 0, at):
            continue  # "ambassador to the United Nations": where the speaker is posted, not whose
        out.append(_Candidate(entity.id, "party" if entity.kind == "party" else "world", phrase, term, source, at))
    for at, term, entity in world.tags(phrase):
        out.append(_Candidate(entity.id, "party", phrase, term, source, at))
    if out:
        return out
    for target in _targets(phrase):
        low = target.name.lower()
        person = person_names.get(low) or person_names.get(low.split()[-1])
        if person and person != self_name:
            out.append(_Candidate(f"person:{person}", "relation", phrase, target.name, source, phrase.find(target.name)))
        elif not person and not any(w in person_names for w in low.split()):
            out.append(_Candidate(f"org:{target.name}", "organisation", phrase, target.name, source, phrase.find(target.name)))
    if not out:
        kind = _kind_word(phrase)
        if kind:
            word, cue, at = kind
            out.append(_Candidate(f"kind:{word}", "organisation", phrase, cue, source, at))
    return out


def _kind_word(phrase: str) -> tuple[str, str, int] | None:
    """The first organisation word of `phrase` that names a body by its kind, lower-case or
    capitalised only because it opens the phrase ("Union president"): (word, cue, offset), the
    cue with a lower-case modifier before it ("school board")."""
    words = list(_KIND_WORD.finditer(phrase))
    for i, m in enumerate(words):
        word = m.group("word")
        if (word[:1].islower() or i == 0) and is_org_word(word) and not is_title(word):
            mod = words[i - 1] if i else None
            if mod is not None and (not mod.group("word")[:1].islower() or mod.group(0) != mod.group("word")
                                    or mod.group("word") in CAP_FUNCTION or is_title(mod.group("word"))
                                    or mod.group("word").endswith(("ing", "ed", "s"))):
                mod = None
            cue = f"{mod.group('word')} {word.lower()}" if mod else word.lower()
            return word.lower(), cue, mod.start() if mod else m.start()
    return None


def _person_names(speakers: Sequence[SpeakerLike]) -> dict[str, str]:
    """Lower-cased forms of every person's name -> the speaker; a surname only when no other
    speaker has it."""
    out: dict[str, str] = {}
    owners: dict[str, set[str]] = {}
    for sp in speakers:
        if sp.kind != "person":
            continue
        for alias in {sp.name, *sp.aliases}:
            out[alias.lower()] = sp.name
            if alias.split():
                owners.setdefault(alias.split()[-1].lower(), set()).add(sp.name)
    for last, names in owners.items():
        if len(names) == 1:
            out.setdefault(last, next(iter(names)))
        elif out.get(last) and len(names) > 1 and last not in {a.lower() for a in names}:
            out.pop(last, None)
    return out


def infer_sides(manifest: Manifest, speakers: Sequence[SpeakerLike],
                texts: dict[str, list[tuple[str, str | None]]], world: World | None = None,
                people: PeopleSides | None = None) -> SideInference:
    """Sides and every speaker's side. Speakers are updated in place (`side`) only where the
    manifest leaves them out; the returned inference says what was added and why.

    `people`, when given, answers the manifest's `[people]` sides (the quote analysis' memo)."""
    world = world or load_world()
    if people is None:
        people = PeopleSides.following(manifest, None)
    result = SideInference(texts=texts)
    # A described source ("a senior official") is its article's own: identical words in two
    # articles are not one speaker, so nothing is inferred for it by name (its quotes take their
    # side from their own words, briefing.index.analysis._apply_sides).
    speakers = [sp for sp in speakers if sp.kind != "description"]
    person_names = _person_names(speakers)

    if manifest.sides:
        _fill_from_manifest(manifest, speakers, texts, person_names, result, people)
        return result

    candidates: dict[str, list[_Candidate]] = {}
    for sp in speakers:
        found: list[_Candidate] = []
        for phrase, source in texts.get(sp.name, []):
            found.extend(_candidates(phrase, source, world, person_names, sp.name))
        candidates[sp.name] = found

    # Which sides exist: parties when two of one country have speakers; a named organisation
    # when two speakers are placed on it; countries and world organisations with any speaker.
    party_speakers: dict[str, set[str]] = {}
    for name, found in candidates.items():
        for c in found:
            if c.kind == "party":
                party_speakers.setdefault(c.key, set()).add(name)
    parties_by_country: Counter[str] = Counter(
        world.entities[p].country or p for p in party_speakers
    )
    active_parties = {p for p in party_speakers if parties_by_country[world.entities[p].country or p] >= 2}

    org_forms = _merge_org_names([c.key[4:] for found in candidates.values() for c in found if c.key.startswith("org:")])
    org_speakers: dict[str, set[str]] = {}
    org_sources: dict[str, set[str]] = {}  # the articles that place someone on it
    for name, found in candidates.items():
        for c in found:
            if c.key.startswith("org:"):
                c.key = "org:" + org_forms[c.key[4:]]
                org_speakers.setdefault(c.key, set()).add(name)
                if c.source:
                    org_sources.setdefault(c.key, set()).add(c.source)
    for sp in speakers:  # an organisation quoted itself supports its own side
        if sp.kind != "person":
            key = "org:" + org_forms.get(sp.name, sp.name)
            if key in org_speakers:
                org_speakers[key].add(sp.name)
    by_kind: dict[str, list[str]] = {}
    for key in org_speakers:
        by_kind.setdefault(key[4:].rsplit(" ", 1)[-1].lower(), []).append(key)  # "org:Acme Union" -> "union"
    for name, found in candidates.items():  # "spokesman for the union": the one union named
        for c in found:
            owners = by_kind.get(c.key[5:], []) if c.key.startswith("kind:") else []
            if len(owners) == 1:
                org_speakers[owners[0]].add(name)
                if c.source:
                    org_sources.setdefault(owners[0], set()).add(c.source)
    # An organisation is a side when two of its people speak, or when one does and two articles
    # say so (a union whose one leader every outlet quotes); one mention in one article is not.
    active_orgs = {k for k, v in org_speakers.items() if len(v) >= 2 or len(org_sources.get(k, ())) >= 2}
    # A body never named, only by its kind ("the school board" in every outlet): a side of its
    # own when two articles place one speaker on it (a kind word met once per speaker, as in a
    # mixed collection of stories, is no body); never when a named body of that kind exists.
    kind_cues: dict[str, Counter[str]] = {}
    active_kinds: set[str] = set()
    for found in candidates.values():
        placed: dict[str, set[str]] = {}
        for c in found:
            # ("a campaign spokesman" is someone's campaign: a relation, not a body)
            if c.key.startswith("kind:") and not by_kind.get(c.key[5:]) and c.source and c.key[5:] not in _RELATION_WORDS:
                placed.setdefault(c.key, set()).add(c.source)
                kind_cues.setdefault(c.key, Counter())[c.cue] += 1
        active_kinds.update(k for k, v in placed.items() if len(v) >= 2)
    kind_cues = {k: v for k, v in kind_cues.items() if k in active_kinds}

    def resolve(c: _Candidate) -> tuple[str, int] | None:
        """The side key a candidate points to and its strength (higher decides)."""
        if c.kind == "party":
            if c.key in active_parties:
                return c.key, 3
            country = world.entities[c.key].country
            return (country, 1) if country else None
        if c.key.startswith("org:"):
            return (c.key, 2) if c.key in active_orgs else None
        if c.key.startswith("kind:"):
            owners = by_kind.get(c.key[5:], [])
            if not owners:
                return (c.key, 2) if c.key in active_kinds else None
            return (owners[0], 2) if len(owners) == 1 and owners[0] in active_orgs else None
        if c.kind == "world":
            return c.key, 1
        return None

    chosen: dict[str, tuple[str, list[_Candidate]]] = {}
    for sp in speakers:
        override = people.side([sp.name, *sp.aliases], manifest)
        if override:
            chosen[sp.name] = (override, [])
            continue
        votes: dict[str, list[_Candidate]] = {}
        strength: dict[str, int] = {}
        first: dict[str, tuple[int, int]] = {}
        for i, c in enumerate(candidates[sp.name]):
            r = resolve(c)
            if r is None:
                continue
            key, s = r
            if c.kind == "world" and any(o.source == c.source and o.words == c.words and o.at < c.at
                                         and resolve(o) is not None for o in candidates[sp.name] if o is not c):
                continue  # "U.S. Ambassador to NATO": the first body named is the speaker's own
            votes.setdefault(key, []).append(c)
            strength[key] = max(strength.get(key, 0), s)
            first.setdefault(key, (i, c.at))
        if votes:
            best = max(votes, key=lambda k: (strength[k], len(votes[k]), -first[k][0]))
            chosen[sp.name] = (best, votes[best])

    # relations: "aide to X" takes X's side, once X has one (chains resolve in a few rounds)
    for _round in range(3):
        changed = False
        for sp in speakers:
            if sp.name in chosen:
                continue
            for c in candidates[sp.name]:
                if c.key.startswith("person:") and c.key[7:] in chosen:
                    chosen[sp.name] = (chosen[c.key[7:]][0], [c])
                    changed = True
                    break
        if not changed:
            break

    # the sides: in order of the quotes their speakers have
    weight: Counter[str] = Counter()
    for sp in speakers:
        if sp.name in chosen:
            weight[chosen[sp.name][0]] += max(1, sp.quotes)
    manifest_ids = {s.id for s in manifest.sides}
    side_of_key: dict[str, Side] = {}
    for key, _n in weight.most_common():
        if key in manifest_ids:
            continue
        if key in kind_cues:
            side_of_key[key] = _kind_side(key, kind_cues[key])
        else:
            side_of_key[key] = _side_for(key, world, org_forms)
    result.sides = list(side_of_key.values())

    for sp in speakers:
        if sp.name not in chosen:
            result.evidence[sp.name] = []
            continue
        key, evidence = chosen[sp.name]
        side_id = side_of_key[key].id if key in side_of_key else key
        if not evidence:  # the manifest's [people]
            result.evidence[sp.name] = [Evidence(side_id, sp.name, sp.name, "manifest")]
        else:
            result.evidence[sp.name] = [
                Evidence(side_id, c.words, c.cue, c.kind if c.kind != "world" else "world", c.source) for c in evidence
            ]
        result.assigned[sp.name] = side_id
        sp.side = side_id
    return result


def _fill_from_manifest(manifest: Manifest, speakers: Sequence[SpeakerLike], texts: dict[str, list[tuple[str, str | None]]],
                        person_names: dict[str, str], result: SideInference, people: PeopleSides) -> None:
    """With the manifest's sides: its cue words place speakers (as the quote analysis did);
    record which words did, and let "aide to X" fill a speaker the cues leave out."""
    world = World({}, {}, None, {})
    cues = _cue_pattern(tuple((s.id, tuple(s.cues)) for s in manifest.sides))
    for sp in speakers:
        evidence: list[Evidence] = []
        if people.side([sp.name, *sp.aliases], manifest):
            evidence.append(Evidence(sp.side or "", sp.name, sp.name, "manifest"))
        elif sp.side and cues is not None:
            for phrase, source in texts.get(sp.name, []):
                m = cues[0].search(phrase)
                if m and cues[1][m.lastgroup or ""] == sp.side:
                    evidence.append(Evidence(sp.side, phrase, m.group(0), "cue", source))
                    if len(evidence) >= 5:
                        break
        result.evidence[sp.name] = evidence
    by_name = {s.name: s for s in speakers}
    for sp in speakers:  # the cue words in a role printed where attribution did not look
        if sp.side or cues is None:
            continue
        for phrase, source in texts.get(sp.name, []):
            m = cues[0].search(phrase)
            if m:
                sp.side = cues[1][m.lastgroup or ""]
                result.assigned[sp.name] = sp.side
                result.evidence[sp.name] = [Evidence(sp.side, phrase, m.group(0), "cue", source)]
                break
    for sp in speakers:
        if sp.side:
            continue
        for phrase, source in texts.get(sp.name, []):
            for c in _candidates(phrase, source, world, person_names, sp.name):
                other = by_name.get(c.key[7:]) if c.key.startswith("person:") else None
                if other is not None and other.side:
                    sp.side = other.side
                    result.assigned[sp.name] = other.side
                    result.evidence[sp.name] = [Evidence(other.side, phrase, c.cue, "relation", source)]
                    break
            if sp.side:
                break


@lru_cache(maxsize=8)
def _cue_pattern(sides: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """One pattern over every side's cue words (longest first, as side_from_text matches them)
    and its group name -> side id."""
    alternatives = sorted(((cue, sid) for sid, cues in sides for cue in cues), key=lambda a: -len(a[0]))
    if not alternatives:
        return None
    groups = {f"c{n}": sid for n, (_cue, sid) in enumerate(alternatives)}
    body = "|".join(f"(?P<c{n}>{re.escape(cue)})" for n, (cue, _sid) in enumerate(alternatives))
    return re.compile(rf"(?<![\w.])(?:{body})(?![\w])"), groups


def _merge_org_names(names: list[str]) -> dict[str, str]:
    """Each organisation name -> the fullest form it is a leading part of ("Acme" -> "Acme Corp")."""
    forms = sorted(set(names), key=lambda n: (-len(n.split()), n))
    out: dict[str, str] = {}
    for name in forms:
        words = name.split()
        full = next((f for f in forms if len(f.split()) > len(words) and f.split()[: len(words)] == words), None)
        out[name] = out.get(full, full) if full else name
    return out


def _kind_side(key: str, cues: Counter[str]) -> Side:
    """A body named only by its kind: labelled as most often printed, the fullest form first
    ("school board" before "board"), and found again by every form."""
    label = max(cues, key=lambda cue: (cues[cue] + sum(n for c, n in cues.items() if c != cue and cue.endswith(c)),
                                       len(cue.split()), cue))
    forms = tuple(sorted(set(cues), key=len, reverse=True))
    return Side(_slug(label), label[:1].upper() + label[1:], forms, inferred=True)


def _side_for(key: str, world: World, org_forms: dict[str, str]) -> Side:
    if key in world.entities:
        entity = world.entities[key]
        return Side(entity.id, entity.label, entity.terms, inferred=True)
    if ":" not in key:  # a side id only the manifest's [people] gives
        return Side(key, key.replace("-", " ").title(), (), inferred=True)
    name = key.split(":", 1)[1]
    cues = sorted({f for f, full in org_forms.items() if full == name} | {name}, key=len, reverse=True)
    return Side(_slug(name), name, tuple(cues), inferred=True)


def merged_manifest(manifest: Manifest, inference: SideInference) -> Manifest:
    """The manifest with the inferred sides after its own (it wins where it speaks)."""
    if not inference.sides:
        return manifest
    return Manifest(
        title=manifest.title,
        sides=list(manifest.sides) + [s for s in inference.sides if s.id not in {m.id for m in manifest.sides}],
        people=dict(manifest.people),
        issues=list(manifest.issues),
        articles=dict(manifest.articles),
    )
