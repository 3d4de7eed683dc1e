"""Who said each quotation of one article.

The article is read in order, the way a careful reader does: names are learnt in their fullest
form first ("Deputy Harbour Minister Ana M. Belmonte"), so that a later "Belmonte" or "she" can be
resolved; each quotation takes the speaker of its own sentence's cue, else carries on the speaker
of the paragraph (or of the previous paragraph when it opens its paragraph), else has none. A
pronoun goes to the most recent person named as speaker or subject in this or the previous
paragraph, preferring one whose gender the article has shown; an outlet that calls a woman "he"
still gets her, because no one else is in view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefing.index.model import Article, Manifest
from briefing.index.quotes.lexicon import pronoun_genders, rule_words
from briefing.index.quotes.marks import MASK, QuoteSpan, find_quote_spans, is_headline, non_quote_kind
from briefing.index.quotes.speakers import (
    CAP_FUNCTION,
    strip_possessive,
    offices,
    is_collective,
    SPECIFIC_TITLES,
    describes_someone,
    is_org_word,
    NamePhrase,
    fullness,
    gender_mark,
    is_plural_word,
    is_title,
    name_like,
    names_compatible,
    override_side,
    parse_name_phrase,
    side_from_text,
    side_from_texts,
    side_words,
    surname_key,
    title_surname,
    title_words,
)
from briefing.index.quotes.speech import INITIAL_VERBS, SpeechCue, ReadParagraph

_HONORIFICS = rule_words("courtesy_titles")
# A speaker label opening a quoted transcript line: one or two words in capitals and a colon.
_LABEL = re.compile(r"([A-Z][A-Z'’\-]+(?: [A-Z][A-Z'’\-]+)?):\s")
_OPENING_ENDINGS = ("ly", "ing", "ed")  # of words opening a sentence that are no name ("Hastily", "Doing")
_HEADLINE_NAME = 3  # words of a person's name opening a headline ("Ada M. Roy")
_PRONOUN_PARAGRAPHS = 3  # "he" may point three paragraphs back when no one nearer fits
_LOOKBACK = 64  # actors looked at when resolving "he" or "the spokesman": the story's recent past
_GENERIC_BODIES = rule_words("generic_bodies")
_INDEFINITE = rule_words("indefinite_determiners")
_GENDER_PRONOUNS = {p: g for p, g in pronoun_genders("gendered").items() if g is not None}


@dataclass(slots=True, eq=False)
class Entity:
    """A person or a named institution of one article, under every form the article uses."""

    name: str
    kind: str  # "person" or "org"
    forms: set[str] = field(default_factory=set)
    roles: list[str] = field(default_factory=list)  # role phrases printed with the name
    context: list[str] = field(default_factory=list)  # appositions nearby ("his Russian counterpart")
    gender_votes: dict[str, int] = field(default_factory=dict)
    _side_key: tuple[int, ...] | None = None
    _side: str | None = None

    def add_form(self, name: str) -> None:
        self.forms.add(name)
        if fullness(name) > fullness(self.name):
            self.name = name

    def add_role(self, role: str | None) -> None:
        if role and role.lower() not in _HONORIFICS and role not in self.roles:
            self.roles.append(role)
        mark = gender_mark(role)
        if mark:
            self.vote(mark)

    def vote(self, gender: str) -> None:
        self.gender_votes[gender] = self.gender_votes.get(gender, 0) + 1

    @property
    def gender(self) -> str | None:
        m, f = self.gender_votes.get("m", 0), self.gender_votes.get("f", 0)
        return "m" if m > f else "f" if f > m else None

    @property
    def role(self) -> str | None:
        titled = [r for r in self.roles if any(is_title(w) for w in r.split())]
        pool = titled or self.roles
        return max(pool, key=len) if pool else None

    def side(self, manifest: Manifest) -> str | None:
        key = (id(manifest), len(self.forms), len(self.roles), len(self.context))
        if self._side_key != key:
            self._side_key, self._side = key, self._find_side(manifest)
        return self._side

    def _find_side(self, manifest: Manifest) -> str | None:
        if self.kind == "person":
            return override_side(self.forms | {self.name}, manifest) or side_from_texts(self.roles + self.context, manifest)
        return side_from_text(self.name, manifest) or side_from_texts(self.roles, manifest)


@dataclass(frozen=True, slots=True)
class Resolution:
    """The answer for one quotation or cue: who (or no one), how it was found, and the role/side
    an unnamed speaker still has ("a senior State Department official": side us, no name)."""

    entity: Entity | None
    role: str | None = None
    cue: str | None = None
    via: str = "none"  # "adjacent", "before", "after", "subject", "carried", "continued", "role", "label", "repeated", "signed", "none"
    definite: bool = False  # an unnamed but singular, definite speaker ("Northland's foreign minister")

    def carried(self, via: str = "carried") -> "Resolution":
        return Resolution(self.entity, self.role, self.cue, via, self.definite)

    def with_cue(self, cue: str | None, via: str | None = None) -> "Resolution":
        return Resolution(self.entity, self.role, cue, via or self.via, self.definite)


@dataclass(slots=True)
class AttributedSpan:
    paragraph: int
    span: QuoteSpan
    resolution: Resolution
    chain: int | None = None  # index of the piece this one continues (multi-paragraph quotes)
    kind: str | None = None  # a non-quote kind ("title", "residue", "nickname"), else None


@dataclass(slots=True)
class _Actor:
    paragraph: int
    pos: int
    entity: Entity


class ArticleReader:
    """Reads one article: its people, its speech cues and the speaker of every quotation."""

    def __init__(self, article: Article, manifest: Manifest, extra: dict[int, list[QuoteSpan]] | None = None):
        self.article = article
        self.manifest = manifest
        self.side_words = side_words(manifest)
        self.entities: list[Entity] = []
        self._by_surname: dict[str, list[Entity]] = {}
        self._orgs: dict[str, Entity] = {}
        self.actors: list[_Actor] = []
        self.unnamed: list[Resolution] = []
        self.resolved_cues: list[tuple[int, SpeechCue, Resolution]] = []  # filled by run()
        self.paragraphs: list[tuple[int, ReadParagraph, list[QuoteSpan]]] = []
        self.non_quotes: dict[tuple[int, int], str] = {}  # (paragraph, start) -> non-quote kind
        self._current = 0  # the paragraph being read
        self._first_named: dict[int, int] = {}  # id(person) -> the paragraph first naming them
        for p in article.paragraphs:
            if p.kind != "text" and not p.text.rstrip().endswith(":"):
                continue  # a crosshead; one ending with a colon introduces the next paragraph
            spans = find_quote_spans(p.text)
            names: tuple[QuoteSpan, ...] = ()
            if extra and p.n in extra:
                spans = sorted(spans + extra[p.n], key=lambda s: s.start)
                # words printed without marks that match another outlet's quotation but are only a
                # name ("Black Lives Matter", "White House Press Secretary Josh Earnest"): the
                # sentence still reads through them, so its speaker keeps that name
                names = tuple(sp for sp in extra[p.n] if _only_a_name(p.text[sp.start : sp.end]))
            headline = is_headline(p.text) if spans else False
            kinds = {sp: k for sp in spans if sp.marked and (k := non_quote_kind(p.text, sp, headline))}
            self.non_quotes.update({(p.n, sp.start): k for sp, k in kinds.items()})
            nicknames = tuple(sp for sp, k in kinds.items() if k == "nickname")
            read = [sp for sp in spans if sp not in names]
            self.paragraphs.append((p.n, ReadParagraph(p.text, read, self.side_words, nicknames), spans))
        self.cues: dict[int, list[SpeechCue]] = {n: para.cues() for n, para, _ in self.paragraphs}
        # a word the article capitalises inside a sentence is a name ("a Sanders rally"), so a
        # "Sanders said" is that person, not a plural noun opening a sentence ("Critics said")
        self._mid_sentence_caps: set[str] = set()
        for _n, para, _spans in self.paragraphs:
            toks = para.toks
            for i in para.capitalised:
                t = toks[i].text
                if i and para.tok_sentence[i] == para.tok_sentence[i - 1] \
                        and toks[i - 1].text not in (":", "—", "–", "-", "(", "--", "―"):
                    self._mid_sentence_caps.add(t.lower())
        # a headline written as a sentence names who the story is about ("Mayor Una Brek opened
        # the fair"): its names are learnt first, and it stands as paragraph 0
        title = article.title or ""
        self.title: ReadParagraph | None = None
        if title and any(len(w) > 3 and w.isalpha() and w.islower() for w in title.split()):
            # a sentence, not a headline in title case ("Mayor Says Fair Will Go On")
            self.title = ReadParagraph(title, find_quote_spans(title), self.side_words)
            self._learn_names(0, self.title)
        for n, para, _ in self.paragraphs:
            self._learn_names(n, para)

    # -- people --------------------------------------------------------------------------------

    def _learn_names(self, n: int, para: ReadParagraph) -> None:
        """First pass: every titled or multi-word name, with the role printed beside it."""
        toks = para.toks
        for i in para.capitalised:
            tok = toks[i]
            if not (
                name_like(tok.text) or (i > 0 and title_surname([t.text for t in toks[max(0, i - 2) : i + 1]]))
            ):
                continue
            nxt = toks[i + 1].text if i + 1 < len(toks) else ""
            if nxt and nxt[0].isupper() and not nxt.lower() in ("the", "a", "an", "he", "she"):
                continue  # the name goes on (or it is part of an institution's name)
            lo, _ = para.sentence_token_range(para.tok_sentence[i])
            got, _stop = para.np_before(i, lo)
            if got and got[0] == lo and para.toks[got[0]].text in INITIAL_VERBS:
                got = got[1:]  # "Said Kowalczyk: …" opens with its verb
            np = para.phrase(got)
            if np.kind != "person" or not np.name:
                continue
            if any(w in self.side_words for w in np.name.split()) and not np.role:
                continue  # "Eastern European", "Russian Federation": places, not people
            entity = self._person(np)
            self._first_named.setdefault(id(entity), n)
            if got and got[0] >= 2 and toks[got[0] - 1].text == ",":
                before, _ = para.np_before(got[0] - 2, lo)
                bp = para.phrase(before)
                if bp.kind in ("group", "role", "unknown") and bp.role:
                    entity.context.append(bp.role)
            if i + 2 < len(toks) and toks[i + 1].text == ",":
                after = para.np_after(i + 2, len(toks))
                ap = para.phrase(after)
                if ap.kind in ("group", "role") and ap.role:
                    entity.context.append(ap.role)

    def _person(self, np: NamePhrase) -> Entity:
        assert np.name
        tokens = np.name.split()
        for entity in self._by_surname.get(surname_key(tokens), []):
            # full names are compared with full names only: a bare "Popov" must not let
            # "Peter Popov" and "Ahmed Popov" become one person
            full = [f for f in entity.forms if len(f.split()) > 1] or list(entity.forms)
            if entity.kind == "person" and any(names_compatible(tokens, f.split()) for f in full):
                entity.add_form(np.name)
                entity.add_role(np.role)
                return entity
        entity = Entity(np.name, "person", {np.name})
        entity.add_role(np.role)
        self.entities.append(entity)
        self._by_surname.setdefault(surname_key(tokens), []).append(entity)
        return entity

    def _known_person(self, token: str) -> Entity | None:
        found = [e for e in self._by_surname.get(token.lower(), []) if e.kind == "person"]
        return found[-1] if found else None

    def _org(self, name: str, role: str | None = None) -> Entity:
        key = name.lower()
        if key not in self._orgs:
            entity = Entity(name, "org", {name})
            self._orgs[key] = entity
            self.entities.append(entity)
        entity = self._orgs[key]
        entity.add_role(role)
        return entity

    def resolve(self, np: NamePhrase, n: int, pos: int) -> Resolution:
        """Turn a subject phrase into a speaker, using what the article has said so far."""
        kind = np.kind
        given_role = np.role if np.role and np.role.lower() not in _HONORIFICS else None
        if kind in ("group", "role") and " " not in np.text and np.text[:1].isupper():
            known = self._known_person(strip_possessive(np.text))
            if known is not None:  # "King says …" after "Billie Jean King": a surname, not a title
                return Resolution(known, known.role)
        if kind == "person" and np.name:
            entity = self._person(np)
            return Resolution(entity, given_role or entity.role)
        if kind == "name" and np.name:
            known = self._known_person(np.name)
            if known:
                known.add_form(np.name)
                known.add_role(np.role)
                return Resolution(known, given_role or known.role)
            if np.role and any(is_title(w) for w in np.role.split()):
                entity = self._person(np)
                return Resolution(entity, given_role or entity.role)
            if is_collective(np.name):
                return Resolution(self._group(np.name), None)  # "Police say", "Protesters chanted"
            if is_plural_word(np.name) and np.name.lower() not in self._mid_sentence_caps:
                return self._unnamed(NamePhrase(np.text, "group", role=np.name))  # "Critics said": unnamed people
            return Resolution(self._org(np.name, np.role), np.role)
        if kind == "org" and np.name:
            return Resolution(self._org(np.name, np.role), np.role)
        if kind == "pronoun":
            return Resolution(self._pronoun(np.pronoun or "", n, pos))
        if kind == "role" and np.role:
            return self._definite(np, n, pos)
        if kind == "joint" and np.name:
            return Resolution(self._group(np.name), None)
        if kind == "group" and np.role and is_collective(np.role):
            return Resolution(self._group(_strip_determiner(np.role)), None)
        return self._unnamed(np)

    def _group(self, name: str) -> Entity:
        """A collective source ("Police", "Protesters") or people speaking together."""
        key = "group:" + name.lower()
        if key not in self._orgs:
            entity = Entity(name, "group", {name})
            self._orgs[key] = entity
            self.entities.append(entity)
        return self._orgs[key]

    def _described(self, role: str) -> Entity:
        """Someone the article describes but never names ("the state attorney general")."""
        name = _strip_determiner(role)
        key = "role:" + name.lower()
        if key not in self._orgs:
            entity = Entity(name, "role", {name}, [name])
            self._orgs[key] = entity
            self.entities.append(entity)
        return self._orgs[key]

    def _description(self, text: str) -> Entity:
        """A source the article describes but does not name ("a Nevada Democrat", "a senior
        State Department official"): the description as printed is its name. Within the article
        the same words (with any determiner) are one source; across articles never."""
        key = "description:" + _strip_determiner(text).lower()
        if key not in self._orgs:
            entity = Entity(text, "description", {text}, [_strip_determiner(text)])
            self._orgs[key] = entity
            self.entities.append(entity)
        return self._orgs[key]

    def _unnamed(self, np: NamePhrase) -> Resolution:
        first = np.text.split()[0].lower() if np.text else ""
        definite = bool(np.role) and first not in _INDEFINITE
        specific = definite and bool(title_words(np.role) & SPECIFIC_TITLES)
        entity = None
        if np.role and not specific and describes_someone(np.text):
            # a definite description of one office ("the foreign minister") waits for the end
            # of the article: a named person may fit it
            entity = self._description(_described_as(np.text))
        res = Resolution(entity, np.role, definite=specific)
        if np.role:
            self.unnamed.append(res)
        return res

    def _definite(self, np: NamePhrase, n: int, pos: int) -> Resolution:
        """'the spokesman', 'the agency': the person or body of that description named before."""
        assert np.role
        head = np.role.split()[-1].lower()
        recent: list[_Actor] = []
        for a in reversed(self.actors):
            if a.paragraph < n - 3 or len(recent) >= _LOOKBACK:
                break
            if a.paragraph < n or a.pos < pos:
                recent.append(a)
        want = "org" if is_org_word(head) else "person"
        wanted = offices(head)
        for actor in recent:
            e = actor.entity
            if e.kind == want and (
                any(head in r.lower().split() or wanted & offices(r) for r in e.roles + e.context)
                or head in e.name.lower().split()
            ):
                return Resolution(e, e.role)
        if want == "org" and head in _GENERIC_BODIES:
            for actor in recent:
                if actor.entity.kind == "org":
                    return Resolution(actor.entity, actor.entity.role)
        if want == "person":
            # "Captain Mo Diallo agreed. “…,” the midfielder said.": the person just named
            for actor in recent:
                if actor.paragraph == n and actor.entity.kind == "person":
                    return Resolution(actor.entity, actor.entity.role)
        for res in self.unnamed[: -_LOOKBACK - 1 : -1]:  # "a Southland official … the official"
            if res.role and head in res.role.lower().split():
                return Resolution(res.entity, res.role, definite=res.definite)
        if want == "person" and (named := self._named_with(np.role, head, wanted, n)) is not None:
            return Resolution(named, named.role)
        return self._unnamed(np)

    def _named_with(self, role: str, head: str, wanted: frozenset[str], n: int) -> Entity | None:
        """'Sen. Ada Roy of Vermont and Gov. Ivo Pant of Maine met …' then 'the Vermont senator':
        the one person named so far (not only as a speaker) whose office is the description's and
        whose printed roles carry its capitalised words."""
        marks = [w for w in role.split()[:-1] if w[:1].isupper() and not is_title(w)]
        if not marks:
            return None  # "the senator" alone: too little to pick one person out of the story
        fits = []
        for e in self.entities:
            if e.kind != "person" or self._first_named.get(id(e), n + 1) > n:
                continue
            described = e.roles + e.context
            if any(head in r.lower().split() or wanted & offices(r) for r in described) and all(
                any(m in r.split() or m in r.replace(",", " ").split() for r in described) for m in marks
            ):
                fits.append(e)
        return fits[0] if len(fits) == 1 else None

    def _pronoun(self, pronoun: str, n: int, pos: int) -> Entity | None:
        if pronoun in ("they", "we", "i"):
            return None
        want_kind = "org" if pronoun == "it" else "person"
        gender = _GENDER_PRONOUNS.get(pronoun)
        seen: list[Entity] = []
        near: list[Entity] = []  # in this paragraph or the one before
        for k, actor in enumerate(reversed(self.actors)):
            if actor.paragraph < n - _PRONOUN_PARAGRAPHS or k >= _LOOKBACK:
                break
            if actor.paragraph == n and actor.pos >= pos:
                continue
            if actor.entity.kind == want_kind and actor.entity not in seen:
                seen.append(actor.entity)
                if actor.paragraph >= n - 1:
                    near.append(actor.entity)
        if not seen:
            return None
        if gender == "f":
            # "she" is the last woman named, not the last man, even two paragraphs back ("he" is
            # what copy says of people whose gender it never shows, so it gets the nearest person)
            for entity in seen:
                if entity.gender == gender:
                    return entity
        for entity in near or seen:
            if gender is None or entity.gender in (None, gender):
                if gender is not None and entity.gender is None and entity is seen[0]:
                    # "Ada Roy took the floor. “…,” she said.": the person just named, called
                    # "she", is a woman for the rest of the story ("he" then looks past her)
                    entity.vote(gender)
                return entity
        for entity in seen:  # everyone near is of the other gender: the one further back who fits
            if entity.gender in (None, gender):
                return entity
        return seen[0]

    def _act(self, n: int, pos: int, entity: Entity | None) -> None:
        if entity is None:
            return
        actor = _Actor(n, pos, entity)
        i = len(self.actors)
        while i > 0 and (self.actors[i - 1].paragraph, self.actors[i - 1].pos) > (n, pos):
            i -= 1
        self.actors.insert(i, actor)

    # -- quotations ----------------------------------------------------------------------------

    def run(self) -> list[AttributedSpan]:
        out: list[AttributedSpan] = []
        prev_state: Resolution | None = None
        prev_n: int | None = None
        prev_open_piece: int | None = None
        if self.title is not None:
            for s in range(len(self.title.sentences)):
                lo, hi = self.title.sentence_token_range(s)
                if hi > lo:
                    self._sentence_subject(0, self.title, lo, hi)
        for n, para, spans in self.paragraphs:
            carried_in = prev_state if prev_n == n - 1 else None
            if not spans and prev_n is not None and (signed := self._signature(n, para)) is not None:
                # "“…”" then "- Sen. Ada Roy, on Twitter.": the line under a quotation signs it
                for item in out:
                    if item.paragraph == prev_n and item.kind is None and item.resolution.via in ("none", "carried"):
                        item.resolution = signed
            state, last_piece = self._paragraph(n, para, spans, carried_in, prev_open_piece, out)
            prev_state, prev_n, prev_open_piece = state, n, last_piece
        self._name_definite_speakers(out)
        self._name_introduced_speakers(out)
        self._name_repeated_quotes(out)
        for item in out:  # a definite description no named person fits: that office speaks
            res = item.resolution
            if res.entity is None and res.definite and res.role:
                item.resolution = Resolution(self._described(res.role), res.role, res.cue, res.via, True)
        # a quotation running over paragraphs is one speaker's: fill the first pieces from the last
        for i in range(len(out) - 1, -1, -1):
            piece = out[i]
            if piece.chain is not None:
                first = out[piece.chain]
                if first.resolution.entity is None and piece.resolution.entity is not None:
                    first.resolution = piece.resolution.carried("continued")
        return out

    def _name_repeated_quotes(self, out: list[AttributedSpan]) -> None:
        """A quotation printed twice, once without its speaker: a headline ("‘Carson Is
        Cratering’ While …") or a pull quote set apart from the paragraph that attributes it.
        The unattributed copy takes the speaker of the attributed one, when only one person
        or body is given those words.

        A headline copy whose speaker is only described ("‘Is That All?’; Candidates say …")
        takes the name too: a headline sums up, and its clipped grammar hands the words to
        whichever group stands next to them. In the body a description is that sentence's own
        frame ("a spokeswoman said") and stays, and a copy with a named speaker of its own keeps
        it: another copy's frame never overrides what a quotation's own sentence says."""
        texts = {n: para.text for n, para, _ in self.paragraphs}
        if self.title is not None:
            texts[0] = self.title.text
        headline = self.title.text.rstrip("…. ").strip() if self.title is not None else ""

        def in_headline(n: int) -> bool:
            # plain-text copies print the headline again as their first paragraph
            text = texts.get(n, "").strip()
            return n == 0 or bool(headline) and bool(text) and (text.startswith(headline) or headline.startswith(text))

        def words(item: AttributedSpan) -> tuple[str, ...]:
            text = texts.get(item.paragraph, "")[item.span.start : item.span.end]
            return tuple(_QUOTE_WORD.findall(text.lower().replace("’", "'")))

        attributed = [(words(it), it) for it in out
                      if it.resolution.entity is not None and it.kind is None and it.span.marked]
        for item in out:
            own = item.resolution.entity
            if item.kind is not None or not item.span.marked:
                continue
            if own is not None and (own.kind != "description" or not in_headline(item.paragraph)):
                continue
            mine = words(item)
            if len(mine) < _REPEATED_WORDS:
                continue
            found = {id(it.resolution.entity): it for ws, it in attributed if it.paragraph != item.paragraph
                     and _contains(ws, mine) and (own is None or _named(it.resolution.entity))}
            if len(found) == 1:
                source = next(iter(found.values())).resolution
                item.resolution = Resolution(source.entity, source.role, source.cue, "repeated", source.definite)

    def _name_definite_speakers(self, out: list[AttributedSpan]) -> None:
        """'Northland's foreign minister accused …' and, later, 'Foreign Minister Petro Danko':
        a definite description whose titles fit exactly one named person of the article is that
        person (and lends its words to that person's side)."""
        people = [e for e in self.entities if e.kind == "person"]
        found: dict[str, Entity] = {}
        for res in self.unnamed:
            if not res.definite or not res.role or res.role in found:
                continue
            wanted = title_words(res.role) & SPECIFIC_TITLES
            fits = [e for e in people if any(wanted <= title_words(r) for r in e.roles)]
            if len(fits) == 1:
                found[res.role] = fits[0]
                if res.role not in fits[0].context:
                    fits[0].context.append(res.role)
        if not found:
            return
        for item in out:
            res = item.resolution
            if res.entity is None and res.definite and res.role in found:
                e = found[res.role]
                item.resolution = Resolution(e, e.role, res.cue, "role")

    def _name_introduced_speakers(self, out: list[AttributedSpan]) -> None:
        """'A federal judge on Monday blocked the law, calling it “…”' and, next, 'U.S. District
        Judge Helen Marsh wrote …': a described speaker whose office is that of exactly one person
        first named in the next two paragraphs is that person (the lede names them later)."""
        people = [e for e in self.entities if e.kind == "person"]
        for item in out:
            e = item.resolution.entity
            if e is None or e.kind != "description":
                continue
            wanted = title_words(e.roles[0] if e.roles else e.name) & SPECIFIC_TITLES
            if not wanted:
                continue
            fits = [p for p in people if item.paragraph < self._first_named.get(id(p), -1) <= item.paragraph + 2
                    and any(wanted <= title_words(r) for r in p.roles)]
            if len(fits) == 1:
                item.resolution = Resolution(fits[0], fits[0].role, item.resolution.cue, "role")

    def _subject_of(self, para: ReadParagraph, q: QuoteSpan, s: int, subjects: dict[int, Resolution]) -> Resolution | None:
        """A quotation inside narration with no reporting verb for it ("Minister Dvorak hailed the pact
        as a “turning point.”", "Eklund's claim that lists had “fallen by half”"): the person or
        body the sentence is about, when it names one before the quotation."""
        if _standalone(para, s):
            return None
        a, _b = para.sentences[s]
        if not para.masked[a : q.open_mark].strip():
            return None  # the quotation opens the sentence: its subject comes after it
        lo, _hi = para.sentence_token_range(s)
        owner = para.possessor_before(q.open_mark, lo)
        if owner:
            np = para.phrase(owner)
            if np.kind == "pronoun" or not np.pronoun:
                if np.kind == "pronoun" or (len(owner) == 1 and para.toks[owner[0]].text.lower() in ("his", "her")):
                    word = para.toks[owner[0]].text.lower()
                    clause = self._clause_subject(self._current, para, owner[0], s)
                    if clause is not None and clause.entity is not None and clause.entity.kind == "person" \
                            and clause.entity.gender in (None, _GENDER_PRONOUNS.get(word)):
                        return clause  # "… and Ivo Pant stood by his comment that “…”": his own clause's subject
                    entity = self._pronoun("he" if word == "his" else "she", n=self._current, pos=para.toks[owner[0]].start)
                    if entity is not None:
                        return Resolution(entity, entity.role, None, "subject")
                else:
                    res = self.resolve(np, self._current, para.toks[owner[0]].start)
                    if res.entity is not None:
                        return Resolution(res.entity, res.role, None, "subject")
        subject = subjects.get(s)
        if subject is None or subject.entity is None:
            return None
        got = para.sentence_subject(lo, _hi)
        if got and para.toks[got[0]].start > q.open_mark and (
            clause := self._clause_subject(self._current, para, para.token_at(q.open_mark), s)
        ) is not None:
            return clause  # "As Pant stood by his claim that “…”, Roy tried …": Pant's clause, not Roy's
        if subject.entity.kind == "description" and _full_name_between(para, lo + 1, para.token_at(q.open_mark)):
            return None  # "Critics were irritated, with Sen. Ada Roy calling it “…”": not the critics' words
        return Resolution(subject.entity, subject.role, None, "subject")

    def _clause_subject(self, n: int, para: ReadParagraph, end: int, s: int) -> Resolution | None:
        """The named person or body whose clause holds token `end` ("…, and Sen. Ada Roy kept
        asking why the vote was “rigged”"), when the sentence's own subject names no one."""
        lo, _hi = para.sentence_token_range(s)
        got = para.clause_subject(end, lo)
        if not got:
            return None
        np = para.phrase(got)
        if np.kind not in ("person", "name", "org"):
            return None
        if len(got) == 1 and self._known_person(strip_possessive(para.toks[got[0]].text)) is None:
            # one word is a name only as the surname of someone the article names ("Unless …",
            # "One such document …", "Russian and American officials held …" are no one)
            return None
        res = self.resolve(np, n, para.toks[got[0]].start)
        if res.entity is None or res.entity.kind not in ("person", "org"):
            return None
        return Resolution(res.entity, res.role, None, "subject")

    def _headline_subject(self, para: ReadParagraph, q: QuoteSpan, s: int) -> Resolution | None:
        """A headline that opens with a person the story names ("Ada Roy Explains Why She Felt
        ‘Invisible’"): in title case the name runs into the verb, so the person is found by the
        first words that are a full name the article gives elsewhere."""
        lo, _hi = para.sentence_token_range(s)
        toks = para.toks
        qi = para.token_at(q.open_mark)
        words: list[str] = []
        for k in range(lo, min(qi, lo + _HEADLINE_NAME + 1)):
            if not name_like(toks[k].text) or is_title(toks[k].text):
                break
            words.append(toks[k].text)
        for size in range(min(_HEADLINE_NAME, len(words) - 1), 1, -1):
            name = words[:size]
            for e in self._by_surname.get(surname_key(name), []):
                # a full name the article has learnt (in title case the headline teaches none)
                if e.kind == "person" and any(len(f.split()) > 1 and names_compatible(name, f.split()) for f in e.forms):
                    return Resolution(e, e.role, None, "subject")
        return None

    def _cue_resolutions(
        self, n: int, para: ReadParagraph, cues: list[SpeechCue], subjects: dict[int, Resolution] | None = None
    ) -> list[Resolution]:
        """The speaker of each cue of one sentence, in reading order (actors learnt as we go).
        `subjects` collects each sentence's subject as it is read."""
        out: list[Resolution] = []
        if subjects is None:
            subjects = {}
        named_in: dict[int, list[Resolution]] = {}  # per sentence, the cues' speakers so far
        for cue in cues:
            lo, hi = para.sentence_token_range(cue.sentence)
            if cue.sentence not in subjects:
                subjects[cue.sentence] = self._sentence_subject(n, para, lo, hi)
            earlier = named_in.setdefault(cue.sentence, [])
            if cue.form in ("participle", "conjoined"):
                base = earlier[0] if cue.form == "participle" and earlier else earlier[-1] if earlier else subjects[cue.sentence]
                res = base.with_cue(cue.verb)
            else:
                res = self.resolve(cue.subject, n, cue.subject_start if cue.subject_start >= 0 else cue.start)
                res = res.with_cue(cue.verb)
                base = earlier[-1] if earlier else subjects[cue.sentence]
                if res.entity is None and base.entity is not None and (
                    not cue.subject.text or cue.subject.kind == "unknown"
                    or (cue.verb.endswith("ing") and cue.subject.kind == "group")
                ) or res.entity is not None and res.entity.kind == "description" and base.entity is not None and (
                    cue.verb.endswith("ing") and base.entity.kind == "person"
                ):
                    # "Mr. Okonjo deflected questions before saying …", "The senator emailed
                    # supporters saying …": a verb with no subject of its own is the sentence's
                    res = base.with_cue(cue.verb)
                if res.entity is not None and res.entity.kind == "person":
                    self._gender_hint(para, cue, res.entity)
            if res.entity is None and (not cue.subject.text or cue.subject.kind == "unknown") \
                    and (clause := self._clause_subject(n, para, para.token_at(cue.start), cue.sentence)) is not None:
                # "…, and Sen. Ada Roy (D-Vt.) kept asking", "Mayor Ivo Pant, who backs Roy,
                # trashed the plan, calling it …": the verb's clause names its speaker
                res = clause.with_cue(cue.verb)
            self._act(n, cue.subject_start if cue.subject_start >= 0 else cue.start, res.entity)
            if res.entity is not None:
                earlier.append(res)
            out.append(res)
        return out

    def _sentence_subject(self, n: int, para: ReadParagraph, lo: int, hi: int) -> Resolution:
        got = para.sentence_subject(lo, hi)
        if not got:
            return Resolution(None)
        np = para.with_complement(para.phrase(got), got, hi, subject=True)
        pos = para.toks[got[0]].start
        word = para.toks[got[0]].text
        if len(got) == 1 and got[0] == lo and np.kind in ("name", "org") and (
            re.split("[’']", word)[0].lower() in CAP_FUNCTION or word.lower().endswith(_OPENING_ENDINGS)
            and word.lower() not in self._mid_sentence_caps and self._known_person(word) is None
        ):
            # "Hastily politicizing the tragedy …", "Specifically, …", "Based on the statement …",
            # "There’s still time …", "I'm old enough …": an adverb, a participle or a function
            # word (with its contraction), no one's name
            return Resolution(None)
        if np.kind == "person" or (np.kind == "name" and np.name and self._known_person(np.name)) or np.kind == "pronoun":
            res = self.resolve(np, n, pos)
            self._act(n, pos, res.entity)
            if res.entity is not None and res.entity.kind == "person" and np.kind != "pronoun":
                # "Ida Brenner watched the count with her son": her own pronoun
                for t in para.toks[got[-1] + 1 : min(hi, got[-1] + 12)]:
                    if t.text in (",", ";", ":") or t.text[0].isupper() or t.text[0] == MASK:
                        break  # another clause, another name: not hers any more
                    if t.text.lower() in ("his", "her"):
                        res.entity.vote(_GENDER_PRONOUNS[t.text.lower()])
                        break
            return res
        if np.kind in ("org", "name", "role", "joint") or (np.kind == "group" and is_collective(np.role or "")):
            res = self.resolve(np, n, pos)
            self._act(n, pos, res.entity)
            return res
        return self._unnamed(np)

    def _gender_hint(self, para: ReadParagraph, cue: SpeechCue, entity: Entity) -> None:
        toks = para.toks
        i = para.token_at(cue.end)
        for t in toks[i : i + 3]:
            g = _GENDER_PRONOUNS.get(t.text.lower())
            if g:
                entity.vote(g)
                return

    def _paragraph(
        self,
        n: int,
        para: ReadParagraph,
        spans: list[QuoteSpan],
        carried_in: Resolution | None,
        prev_open_piece: int | None,
        out: list[AttributedSpan],
    ) -> tuple[Resolution | None, int | None]:
        self._current = n
        cues_of: dict[int, list[SpeechCue]] = {}
        for cue in self.cues[n]:
            cues_of.setdefault(cue.sentence, []).append(cue)
        # in reading order, so that "he" only looks back; a sentence without a cue still names
        # someone who may be "he" later ("Belmonte sounded even more pessimistic.")
        by_sentence: dict[int, list[tuple[SpeechCue, Resolution]]] = {}
        subjects: dict[int, Resolution] = {}
        for s in range(len(para.sentences)):
            lo, hi = para.sentence_token_range(s)
            if s in cues_of:
                by_sentence[s] = list(zip(cues_of[s], self._cue_resolutions(n, para, cues_of[s], subjects)))
                self.resolved_cues.extend((n, c, r) for c, r in by_sentence[s])
            elif hi > lo:
                subjects[s] = self._sentence_subject(n, para, lo, hi)
        state: Resolution | None = None
        last_piece: int | None = None
        first_index = len(out)
        quoted = sorted(spans, key=lambda s: s.start)
        headline = bool(spans) and is_headline(para.text)
        by_sentence_quotes: dict[int, list[QuoteSpan]] = {}
        for q in quoted:
            by_sentence_quotes.setdefault(para.sentence_of(q.open_mark), []).append(q)
        for s in range(len(para.sentences)):
            in_sentence = by_sentence_quotes.get(s, [])
            pairs = by_sentence.get(s, [])
            for q in in_sentence:
                kind = self.non_quotes.get((n, q.start))
                if kind is not None:  # a title, a nickname, markup: no one is quoted
                    out.append(AttributedSpan(n, q, Resolution(None), None, kind))
                    continue
                label = _LABEL.match(para.text, q.start, q.end)
                res = None
                if label:  # a transcript: "WALLACE: Will you be there?"
                    res = self.resolve(NamePhrase(label.group(1), "name", name=label.group(1).title()), n, q.start)
                    res = res.with_cue(None, "label") if res.entity is not None else None
                if res is None:
                    res = self._colon_label(para, q, s, n, headline, leads=s == 0 and not any(c.end <= q.open_mark for c, _r in pairs))
                if res is None:
                    res = self._choose(para, q, pairs, by_sentence.get(s + 1, []) if _standalone(para, s) else [])
                if res is None:
                    res = self._subject_of(para, q, s, subjects)
                if res is None and headline:
                    res = self._headline_subject(para, q, s)
                if res is None and not _standalone(para, s):
                    res = self._clause_subject(n, para, para.token_at(q.open_mark), s)
                if res is None:
                    res = self._carry(para, q, s, state, by_sentence_quotes, by_sentence, carried_in)
                chain = None
                if q.opens_paragraph and prev_open_piece is not None and q.marked:
                    chain = prev_open_piece
                    if res.via in ("none", "carried") and out[prev_open_piece].resolution.entity is not None:
                        res = out[prev_open_piece].resolution.carried("continued")
                out.append(AttributedSpan(n, q, res, chain))
                state = res
            if not in_sentence and pairs:
                state = _main(pairs, para.text) or state
            elif not in_sentence and (subj := subjects.get(s)) is not None and subj.entity is not None \
                    and subj.entity.kind == "person":
                state = subj.carried("subject")
            elif in_sentence and not pairs and state is not None and state.entity is None:
                # a sentence whose only quotation is a term no one says ("What “go after them”
                # means is unclear, since Ivo Pant spoke in bromides"): the person it is about
                # is still the one in view, as in a sentence with no quotation
                _lo, hi = para.sentence_token_range(s)
                clause = self._clause_subject(n, para, hi, s)
                if clause is not None and clause.entity is not None and clause.entity.kind == "person":
                    state = clause.carried("subject")
        for i in range(first_index, len(out)):
            if not out[i].span.closed and out[i].span.marked and out[i].span.end >= len(para.text.rstrip()) - 1:
                last_piece = i
        return state, last_piece

    def _signature(self, n: int, para: ReadParagraph) -> Resolution | None:
        """A paragraph that is only a dash and a name, perhaps with a few words on where or how
        ("- Hillary Clinton.", "—Ada Roy, tweeting after the vote."): who said the quotation above."""
        toks = para.toks
        if len(toks) < 2 or toks[0].text not in ("-", "—", "–", "―", "--") or len(para.sentences) > 1:
            return None
        got, _role = para.np_after_with_apposition(1, len(toks))
        if not got or got[0] != 1:
            return None
        rest = [t.text for t in toks[got[-1] + 1 :]]
        if rest and rest[0] not in (",", ".") or len(rest) > 12:
            return None
        np = para.phrase(got)
        if np.kind not in ("person", "name") or not np.name:
            return None
        res = self.resolve(np, n, toks[got[0]].start)
        return res.with_cue(None, "signed") if res.entity is not None else None

    def _colon_label(
        self, para: ReadParagraph, q: QuoteSpan, s: int, n: int, headline: bool, leads: bool = False
    ) -> Resolution | None:
        """A speaker named as a label before a colon: "Rep. Ada Roy (D-Vt.): “…”", a digest's
        "Polls were early - Ivo Pant: “…”", a headline's "Mayor Brek: Fair Is ‘Going Ahead’".
        In a headline the label owns everything after its colon; in running text only a
        quotation straight after it, or, when the label opens a paragraph whose first sentence
        has no reporting verb (a headline printed in sentence case: "Roy: Pant's plan is
        ‘dangerously wrong’; …"), the words after it up to a semicolon."""
        a, _b = para.sentences[s]
        masked = para.masked
        colon = masked.rfind(":", a, q.open_mark)
        if colon < 0:
            return None
        between = masked[colon + 1 : q.open_mark]
        claimed = bool(between.strip())  # words between the label and the quotation
        if claimed and not ((headline or leads) and MASK not in between and ";" not in between):
            return None
        lo, _hi = para.sentence_token_range(s)
        ci = para.token_at(colon)
        if ci >= len(para.toks) or para.toks[ci].start != colon:
            return None
        for k in range(ci - 1, lo - 1, -1):  # a digest's heading ends with a dash before the label
            if para.toks[k].text in ("-", "—", "–", "--", "―"):
                lo = k + 1
                break
        end = ci - 1
        if end >= lo and para.toks[end].text == ")":  # "Rep. Ada Roy (D-Vt.):"
            opening = next((k for k in range(end - 1, max(lo - 1, end - 8), -1) if para.toks[k].text == "("), None)
            if opening is None:
                return None
            end = opening - 1
        got, stop = para.np_before(end, lo)
        np = para.phrase(got)
        if got and stop == "and" and got[0] - 2 >= lo:  # "Ada Roy and Ivo Pant: “…”"
            first, _ = para.np_before(got[0] - 2, lo)
            if first and first[0] == lo and np.kind in ("person", "name"):
                np = para.coordination(got, lo)
                got = first + got
        if not got or got[0] != lo or got[-1] != end or para.toks[lo].text in INITIAL_VERBS:
            return None  # more than a name before the colon ("The plan was simple: “…”"), or "Said Roy: “…”"
        if np.kind not in ("person", "name", "org", "joint") or not np.name:
            return None
        res = self.resolve(np, n, para.toks[got[0]].start)
        if res.entity is None or (claimed and not headline and res.entity.kind != "person"):
            return None  # ("Clinic's fate: ‘…’; Doctors say …": a topic, not a speaker, before the colon)
        self._act(n, para.toks[got[0]].start, res.entity)
        return res.with_cue(None, "label")

    def _choose(
        self,
        para: ReadParagraph,
        q: QuoteSpan,
        pairs: list[tuple[SpeechCue, Resolution]],
        following: list[tuple[SpeechCue, Resolution]] = (),  # type: ignore[assignment]
    ) -> Resolution | None:
        """The speaker given by the quotation's own sentence, or None when it has no cue.

        A quotation that ends with its own full stop or question mark ("“Why now?” Smith asked.")
        sits in a sentence of its own for the splitter: the cue straight after it still counts.
        """
        if not pairs and not following:
            return None
        masked = para.masked
        own = len(pairs)
        for i, (cue, res) in enumerate([*pairs, *following]):
            if cue.start < q.close_mark:
                continue
            if i >= own and cue.form == "finite" and _OPENS_CONTENT.match(masked, cue.end):
                break  # "“…,” Lind said. “…” Mr. Ode said: “…”": the next sentence's verb opens its own words
            gap_end = cue.subject_start if cue.form == "finite" and cue.subject_start >= q.close_mark else cue.start
            if masked[q.close_mark : gap_end].strip(" ,—–-(") == "":
                if cue.form == "according":
                    # "X said the talks were “useful,” according to TASS": TASS is the source
                    speakers = [r for c, r in pairs if c.end <= q.open_mark and r.entity is not None]
                    if speakers:
                        return Resolution(speakers[-1].entity, speakers[-1].role, cue.verb, "before")
                return res.with_cue(cue.verb, "adjacent")
            break
        for cue, res in reversed(pairs):
            # "… and joked, “…”", "Said Kowalczyk: “…”": the verb straight before the quotation
            if cue.end > q.open_mark:
                continue
            gap = masked[cue.subject_end if cue.form == "inverted" and cue.subject_end > cue.end else cue.end : q.open_mark]
            if (gap.strip(" ,:—–-") == "" or _manner_aside(gap) or _setting_aside(gap)) and res.entity is not None:
                return res.with_cue(cue.verb, "adjacent")
            break
        usable = [(c, r) for c, r in pairs if not c.adjacent_only]
        before = [(c, r) for c, r in usable if c.end <= q.open_mark]
        after = [(c, r) for c, r in usable if c.start >= q.close_mark]
        b = before[-1] if before else None
        if len(before) >= 2 and b is not None:
            outer = before[0]
            if (
                outer[0].lemma in ("say", "tell") and outer[0].form == "finite" and outer[1].entity is not None
                and outer[1].entity.kind == "person" and outer[0].end <= b[0].subject_start
                and not any(ch in ",;" for ch in masked[outer[0].end : b[0].subject_start])
            ):
                b = outer  # "Vale told reporters the panel pushed back against “…”": Vale's
        a = after[0] if after else None
        if b and a:
            b_person = b[1].entity is not None and b[1].entity.kind == "person"
            a_person = a[1].entity is not None and a[1].entity.kind == "person"
            if not b_person and a_person:
                b = None
        if b:
            return b[1].with_cue(b[0].verb, "before")
        if a:
            return a[1].with_cue(a[0].verb, "after")
        return None

    def _carry(
        self,
        para: ReadParagraph,
        q: QuoteSpan,
        s: int,
        state: Resolution | None,
        quoted: dict[int, list[QuoteSpan]],
        by_sentence: dict[int, list[tuple[SpeechCue, Resolution]]],
        carried_in: Resolution | None,
    ) -> Resolution:
        """A quotation whose sentence has no cue: the paragraph's speaker, if there is one."""
        if q.marked and not _standalone(para, s) and len(para.text[q.start : q.end].split()) <= 3:
            return Resolution(None)  # a scare-quoted term inside narration has no speaker
        if state is not None:
            return state.carried()
        later = quoted.get(s + 1, [])
        if later and by_sentence.get(s + 1):
            res = self._choose(para, later[0], by_sentence[s + 1])
            if res is not None and res.via == "adjacent":
                return res.carried()
        if q.opens_paragraph and carried_in is not None:
            return carried_in.carried()
        return Resolution(None)


# after a reporting verb, what opens the reported words themselves ("said: …", "said he would …")
_OPENS_CONTENT = re.compile(r"\s*:|\s+(?:that|he|she|they|it|i|we|there|his|her|their|its)\b", re.IGNORECASE)


_NAME_GLUE = rule_words("name_glue")


def _only_a_name(text: str) -> bool:
    """Whether some words are nothing but a name or title in capitals ("Black Lives Matter")."""
    words = text.split()
    if not 0 < len(words) <= 8 or not words[0][:1].isupper():
        return False
    if all(w[:1].isupper() or w.lower() in _NAME_GLUE for w in words):
        return True
    return parse_name_phrase(words).kind == "person"  # "White House press secretary Josh Earnest"


_QUOTE_WORD = re.compile(r"[a-z0-9']+")
_REPEATED_WORDS = 3  # fewer words than this are a stock phrase, not one speaker's words printed twice


def _named(entity: Entity | None) -> bool:
    return entity is not None and entity.kind != "description"


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """Whether the word sequence `shorter` appears, in order and unbroken, in `longer`."""
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


_MANNER_OPENERS = rule_words("manner_openers")


def _manner_aside(gap: str) -> bool:
    """Whether the words between a verb and its quotation are an aside on how it was said
    ("joked, again using a drawl, “…”", "said, smiling, “…”"): set off by commas, short,
    opening with a participle or an adverb."""
    inner = gap.strip()
    if not (inner.startswith(",") and inner.endswith((",", ":"))) or MASK in inner:
        return False
    words = inner.strip(",: ").split()
    if not words or len(words) > 10 or any(ch in inner.strip(",: ") for ch in ",;:.!?—–"):
        return False
    first = words[0].lower()
    return words[0].islower() and (first.endswith(("ing", "ly")) or first in _MANNER_OPENERS)


_SETTING_PREPOSITIONS = rule_words("setting_prepositions")


def _setting_aside(gap: str) -> bool:
    """Whether the words between a verb and its quotation say only where or when it was said
    ("put it at a rally outside the board offices, “…”"): one phrase opening with a preposition
    of time or place, short, closed by the comma before the quotation."""
    inner = gap.strip()
    if not inner.endswith((",", ":")) or MASK in inner:
        return False
    body = inner.rstrip(",: ")
    words = body.split()
    if not words or len(words) > 10 or any(ch in body for ch in ",;:.!?—–()“”\""):
        return False
    return words[0] in _SETTING_PREPOSITIONS


def _full_name_between(para: ReadParagraph, lo: int, hi: int) -> bool:
    """Whether two name-like capitalised words in a row stand between tokens lo and hi."""
    toks = para.toks
    return any(name_like(toks[k].text) and name_like(toks[k + 1].text) and not is_title(toks[k].text)
               for k in range(lo, hi - 1))


def _described_as(text: str) -> str:
    """A description as the article prints it, without a sentence's capital on a determiner
    ("A senior official said" -> "a senior official")."""
    first, _, rest = text.partition(" ")
    if rest and first in ("A", "An", "The", "One", "Another", "Some", "Two", "Three", "Several", "Many"):
        return first.lower() + " " + rest
    return text


def _strip_determiner(text: str) -> str:
    words = text.split()
    while len(words) > 1 and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def _standalone(para: ReadParagraph, s: int) -> bool:
    """Whether sentence s is nothing but a quotation."""
    a, b = para.sentences[s]
    return not para.masked[a:b].replace(MASK, "").strip(" .,;:!?—–-")


# "had not explained", "never said", "didn't say": the words right before a denied reporting verb.
_DENIED = re.compile(r"(?:\b(?:not|never)|n[’']t)\s+(?:\w+\s+)?$", re.IGNORECASE)


def _denied(text: str, cue: SpeechCue) -> bool:
    """Whether the article says the cue's subject did not speak ("the utility had not explained
    where the money went"): a subject said not to have spoken is no speaker in view."""
    return cue.form == "finite" and bool(_DENIED.search(text, max(0, cue.start - 24), cue.start))


def _main(pairs: list[tuple[SpeechCue, Resolution]], text: str) -> Resolution | None:
    """The speaker a sentence of reported speech leaves in view: its last person, else its last
    named speaker ("He said …, according to Sputnik": he). A denied cue leaves none."""
    pairs = [(c, r) for c, r in pairs if not _denied(text, c)]
    if not pairs:
        return None
    people = [r for _c, r in pairs if r.entity is not None and r.entity.kind == "person"]
    if people:
        return people[-1]
    named = [r for _c, r in pairs if r.entity is not None]
    return named[-1] if named else pairs[-1][1]


@dataclass(frozen=True, slots=True)
class SpeechAct:
    """One reported utterance, quoted or not: who (resolved within the article) and what."""

    paragraph: int
    cue: SpeechCue
    speaker: str | None
    role: str | None
    side: str | None
    content_start: int  # what is reported, as offsets in the paragraph text
    content_end: int

    def content(self, article: Article) -> str:
        return article.paragraph(self.paragraph).text[self.content_start : self.content_end]


_TRAILING = rule_words("trailing_words")


def speech_acts(article: Article, manifest: Manifest) -> list[SpeechAct]:
    """Every speech cue of the article with its speaker resolved ("he" -> the named person) and
    the stretch it reports: after the cue ("X said that …") or before it ("…, X said.")."""
    reader = ArticleReader(article, manifest)
    reader.run()
    paras = {n: para for n, para, _ in reader.paragraphs}
    out: list[SpeechAct] = []
    for n, cue, res in reader.resolved_cues:
        para = paras[n]
        a, b = para.sentences[cue.sentence]
        text = para.text
        tail = text[cue.end : b].strip().rstrip(".!?”\"").strip()
        tail_words = [w.lower().strip(",:") for w in tail.split()]
        if cue.subject_start > a and (not tail_words or all(w in _TRAILING or w[:1].isupper() for w in tail_words[:4])
                                      and len(tail_words) <= 4):
            start, end = a, cue.subject_start  # "…, X said." / "“…,” X said"
        else:
            start, end = cue.end, b
            if cue.form == "inverted" or cue.form == "according":
                start = cue.subject_end if cue.subject_end > 0 else cue.end
        chunk = text[start:end]
        lead = len(chunk) - len(chunk.lstrip(" ,:;—–“\"‘«"))
        start += lead
        chunk = text[start:end]
        if chunk.lower().startswith("that "):
            start += 5
        end = start + len(text[start:end].rstrip(" ,.;:—–”\"’»"))
        entity = res.entity
        side = entity.side(manifest) if entity else side_from_text(res.role, manifest)
        out.append(SpeechAct(n, cue, entity.name if entity else None, res.role, side, start, max(start, end)))
    return out


def attribute_article(
    article: Article, manifest: Manifest, extra: dict[int, list[QuoteSpan]] | None = None
) -> tuple[list[AttributedSpan], ArticleReader]:
    reader = ArticleReader(article, manifest, extra)
    return reader.run(), reader
