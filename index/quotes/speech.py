"""Speech cues in a paragraph: "said", "told reporters", "according to", ", saying" ... and the
phrase that names who speaks, in every order news copy uses:

    "Q," X said · "Q," said X · X said: "Q" · X, the role, said "Q" · X said that ... "Q" ·
    X denied ..., claiming: "Q" · X described it as "Q" · according to X

Everything here works on one paragraph and knows nothing of other paragraphs: turning "he" into a
name is the article-level job of `briefing.index.quotes.attribution`. Quoted words are blanked out first
(`quote_marks.mask_spans`) so that a cue inside a quotation is never read as narration.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import compress, repeat
from operator import itemgetter
from typing import NamedTuple

from briefing.index.text import ABBREVIATION, ABBREVIATIONS
from briefing.index.text import split_sentences
from briefing.index.quotes.lexicon import lexicon, rule_words, stance_verbs
from briefing.index.quotes.marks import MASK, QuoteSpan, find_quote_spans, mask_spans
from briefing.index.quotes.speakers import (
    CAP_FUNCTION,
    PARTICLES,
    PRONOUNS,
    WEEKDAYS_MONTHS,
    NamePhrase,
    is_acronym,
    is_honorific,
    is_initial,
    is_capitalised,
    is_collective,
    is_plural_word,
    is_org_word,
    is_title,
    name_like,
    parse_name_phrase,
    pronoun_of,
)

# An abbreviation's letters and its full stop ahead: the one test most tokens fail, made before
# the abbreviations' long alternation is tried (same tokens, a large part of tokenising saved).
_ABBREVIATION_AHEAD = "(?=[{}]{{{},{}}}\\.)".format(
    re.escape("".join(sorted(set("".join(ABBREVIATIONS))))),
    min(map(len, ABBREVIATIONS)),
    max(map(len, ABBREVIATIONS)),
)
_TOKEN = re.compile(
    rf"""
    {MASK}+                                   # a blanked-out quotation
    | (?:[A-Z]\.){{2,}}(?:[’']s)?             # U.S., U.N.
    | {_ABBREVIATION_AHEAD}{ABBREVIATION}
    | [A-Z]\.(?=\s)                           # an initial
    | [^\W_](?:[\w’'\-]*[^\W_])?[’']?         # a word, inner apostrophes and hyphens kept
    | [,;:()\[\]—–]
    | \S
    """,
    re.VERBOSE,
)
# Reporting verbs, every inflection (lemma -> forms), from the package's quote lexicon; base
# forms count only after to / a modal.
_LEX = lexicon()
_VERBS = _LEX.verbs
# These mark speech only right beside a quotation ("“…,” she continued"); elsewhere they narrate.
_ADJACENT_ONLY = _LEX.adjacent_only
_FORM_LEMMA = {form: lemma for lemma, forms in _VERBS.items() for form in forms}
_BASE_FORMS = frozenset(lemma for lemma in _VERBS if " " not in lemma)
_Trie = dict[str, "_Trie"]


def _trie_pattern(words: list[str]) -> str:
    """One regular expression for many words, as a prefix tree ("sa(?:id|ys|ying)"): Python's re
    tries an alternation branch by branch, a tree only along the letters that match."""
    tree: _Trie = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: _Trie) -> str:
        branches = [(r"\s+" if ch == " " else re.escape(ch)) + emit(child) for ch, child in sorted(node.items()) if ch]
        if "" in node:
            return f"(?:{'|'.join(branches)})?" if branches else ""
        return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"

    return emit(tree)


CUE = re.compile(
    r"(?<![\w’'\-])(?:[Aa]ccording\s+to|"
    + _trie_pattern([f for fs in _VERBS.values() for f in fs])
    + r")(?![\w’'\-])"
)

# Public, for other readers of reported speech (briefing.index.positions), so that there is one
# list of reporting verbs: every inflected form above ("said", "pointed out", "according to").
SPEECH_VERB_FORMS: frozenset[str] = frozenset(_FORM_LEMMA)
# Verbs that state a position rather than report words ("Moscow rejects …", "the Kremlin wants
# …"). Attribution does not use them (they introduce no quotation); positions do.
STANCE_VERBS = stance_verbs()
STANCE_VERB_FORMS: frozenset[str] = frozenset(f.replace("_", " ") for forms in STANCE_VERBS.values() for f in forms.split())


def verb_alternation(forms: frozenset[str] | set[str]) -> str:
    """A regex alternation of verb forms, longest first, spaces as any whitespace."""
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in sorted(forms, key=lambda f: (-len(f), f)))


_SKIP_BEFORE_CUE = rule_words("skip_before_cue")
_MODALS = rule_words("modals")
_DETERMINERS = rule_words("determiners")
_PASSIVE = rule_words("passive_auxiliaries")
_PROGRESSIVE = rule_words("progressive_auxiliaries")
_LISTENERS = rule_words("listeners")
_RELATIVE = rule_words("relative_openers")
_CONJ = rule_words("conjunctions")
_CONNECTORS = rule_words("name_connectors")
_NP_DETERMINERS = rule_words("np_determiners")
_INTRO_WORDS = rule_words("intro_words")
_SUBORDINATORS = rule_words("subordinators")
_CLAUSE_OPENERS = rule_words("clause_openers")
_AGE = re.compile(r"\d+-year-old", re.IGNORECASE)
_MAX_NP = 14
_PARTY_TAG = re.compile(r"[RDIL](?:-[A-Z][A-Za-z.]*(?:[A-Z][A-Za-z.]*)*)?\.?")  # R, D-Ore., R-S.C., I-Vt.
_PLACE_PREPOSITIONS = rule_words("place_prepositions")
_CLAUSE_BOUNDARIES = rule_words("clause_boundaries")
_COMPLEMENTS = rule_words("description_complements")
_COMPLEMENT_STOPS = rule_words("complement_stops")
_COMPLEMENT_WORDS = 8  # words after the opener: a description, not a clause
_NOT_AFTER_SUBJECT = rule_words("not_after_subject")
# "… about fixing inequality, said Ivo Marchetti": verbs that invert after narration too.
_NARRATION_INVERTED = rule_words("narration_inverted")
# A capitalised verb opening a sentence before its speaker ("Said Kowalczyk: …", "Continued
# Stone: …"): the lexicon's one-word past and present forms.
INITIAL_VERBS = frozenset(
    f.capitalize() for f in _FORM_LEMMA if " " not in f and not f.endswith("ing") and f not in _BASE_FORMS
)
_INITIAL_TOKENS = INITIAL_VERBS | {"—", "–", "―", "--", "-"}  # what _initial_cues looks at
_TIME_AFTER = rule_words("time_after")
# Nouns for something said or written ("a statement", "a letter"), which an -ing verb after them describes.
_SPEECH_NOUNS = _LEX.speech_nouns | _LEX.documents
# Words that open an aside between a subject and its verb: "Orrin Pike, after a short pause, said".
_ASIDE = rule_words("aside_openers")


class Token(NamedTuple):
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SpeechCue:
    """One reporting verb and the phrase that says who speaks (as written, not yet resolved).

    form: "finite" (X said), "inverted" (said X), "participle" (…, saying), "according" (according
    to X), "conjoined" (X said … and added: the subject is the previous cue's). `subject_start` and
    `subject_end` are character offsets of the subject phrase (-1 when there is none).
    """

    start: int
    end: int
    verb: str
    lemma: str
    form: str
    subject: NamePhrase
    subject_start: int
    subject_end: int
    sentence: int
    adjacent_only: bool = False

    @property
    def content_after(self) -> bool:
        """Whether what is reported follows the cue (X said that …) rather than precedes it."""
        return self.form in ("finite", "participle", "conjoined") and self.subject_end <= self.start


def _tokens(text: str) -> tuple[list[Token], list[int], list[int]]:
    """The tokens of `text` with their start and end offsets as two lists. Built by C-level
    maps (no bytecode runs per token): tokenising is a large share of extraction time."""
    found = list(_TOKEN.finditer(text))
    starts = list(map(re.Match.start, found))
    ends = list(map(re.Match.end, found))
    toks = list(map(tuple.__new__, repeat(Token), zip(map(re.Match.group, found), starts, ends)))
    return toks, starts, ends


def tokenize(text: str) -> list[Token]:
    return _tokens(text)[0]


def _is_mask(tok: Token) -> bool:
    return tok.text[0] == MASK


def _cue_tokens(ends: list[int], start: int, end: int) -> tuple[int, int]:
    """First and last token of the cue words between `start` and `end` (token ends sorted)."""
    first = bisect_right(ends, start)
    return first, max(first, bisect_left(ends, end))


class ReadParagraph:
    """A masked paragraph, its tokens and sentences, for reading cues."""

    def __init__(
        self, text: str, spans: list[QuoteSpan], side_words: frozenset[str], transparent: tuple[QuoteSpan, ...] = ()
    ):
        self.text = text
        masked = mask_spans(text, [sp for sp in spans if sp not in transparent])
        for sp in transparent:  # a nickname inside a name (Thaddeus “Tad” Morrow): read through it
            a, b = sp.outer
            masked = masked[:a] + " " * (b - a) + masked[b:]
        self.masked = masked
        self.toks, self._tok_starts, self._tok_ends = _tokens(masked)
        self.side_words = side_words
        self.sentences = split_sentences(masked)
        self._starts = [a for a, _b in self.sentences]
        # A token belongs to the last sentence not ended before it starts (the last sentence takes
        # the rest): each sentence's tokens are one run, found by bisecting at its end, so the
        # work is per sentence, not per token.
        self.tok_sentence: list[int] = []
        self._ranges: dict[int, tuple[int, int]] = {}
        count = len(self.toks)
        lo = 0
        last = len(self.sentences) - 1
        for s, (_a, end) in enumerate(self.sentences):
            hi = count if s >= last else max(lo, bisect_left(self._tok_starts, end, lo))
            if hi > lo:
                self._ranges[s] = (lo, hi)
                self.tok_sentence.extend(repeat(s, hi - lo))
            lo = hi
        if last < 0 and count:  # no sentence at all: every token is in sentence 0
            self._ranges[0] = (0, count)
            self.tok_sentence.extend(repeat(0, count))
        # Most rules start only at a capitalised token (a name) or at a dash or an opening verb:
        # their indices, found without a Python loop over every token.
        heads = list(map(itemgetter(0), map(itemgetter(0), self.toks)))
        self.capitalised = list(compress(range(count), map(str.isupper, heads)))
        self._initial_candidates = list(compress(range(count), map(_INITIAL_TOKENS.__contains__, map(itemgetter(0), self.toks))))

    def sentence_of(self, offset: int) -> int:
        return max(0, bisect_right(self._starts, offset) - 1)

    def token_at(self, offset: int) -> int:
        """Index of the first token starting at or after `offset`."""
        return bisect_left(self._tok_starts, offset)

    def sentence_token_range(self, n: int) -> tuple[int, int]:
        return self._ranges.get(n, (0, 0))

    # -- noun phrases --------------------------------------------------------------------------

    def np_before(self, j: int, lo: int) -> tuple[list[int], str | None]:
        """Token indices of the noun phrase ending at j (inclusive), reading backwards, and why it
        stopped ("and" when it stopped on a coordination: "Biden and Putin said")."""
        toks = self.toks
        got: list[int] = []
        while j >= lo and len(got) < _MAX_NP:
            t = toks[j].text
            low = t.lower()
            if _is_mask(toks[j]):
                break
            if not got and pronoun_of(t):
                return [j], None
            if low in _NP_DETERMINERS or (t in ("The", "A", "An")):
                got.append(j)
                if low == "the" and j - 1 >= lo and toks[j - 1].text in _CONNECTORS and got[:-1]:
                    j -= 1
                    continue
                if low in ("a", "an", "the") and got[:-1] and j - 2 >= lo and toks[j - 1].text in ("from", "for", "at") \
                        and toks[j - 2].text.islower() and is_title(toks[j - 2].text):
                    got.append(j - 1)  # "an observer from a campaign group": the observer speaks
                    j -= 2
                    continue
                break
            if is_capitalised(t):
                if low in CAP_FUNCTION:
                    break
                got.append(j)
            elif is_title(t) or is_org_word(t):
                got.append(j)
            elif t in _CONNECTORS and got and j - 1 >= lo and (
                is_capitalised(toks[j - 1].text) or is_title(toks[j - 1].text)
            ):
                got.append(j)
            elif (low in PARTICLES or low.split("-")[0] in PARTICLES) and got:
                got.append(j)
            elif got and len(got) <= 2 and not is_honorific(toks[got[0]].text) and (
                is_title(toks[got[0]].text) or is_org_word(toks[got[0]].text)
            ):
                # a plain modifier of a role or body ("the harbour authority", "state news
                # agency"): kept only when a name or a determiner comes just before it
                k = j
                while k > j - 2 and k >= lo and toks[k].text.islower() and toks[k].text.lower() not in _NP_DETERMINERS:
                    k -= 1
                if k >= lo and k < j + 1 and (toks[k].text.lower() in _NP_DETERMINERS or (
                    is_capitalised(toks[k].text) and toks[k].text.lower() not in CAP_FUNCTION
                )):
                    got.extend(range(j, k, -1))
                    j = k
                    continue
                break
            else:
                break
            j -= 1
        got.reverse()
        while got and toks[got[0]].text in _CONNECTORS:
            got.pop(0)
        stop = toks[j].text.lower() if j >= lo else None
        return got, stop

    def np_after(self, i: int, hi: int) -> list[int]:
        toks = self.toks
        got: list[int] = []
        j = i
        if j < hi and toks[j].text.lower() in _NP_DETERMINERS:
            got.append(j)
            j += 1
        while j < hi and len(got) < _MAX_NP:
            t = toks[j].text
            low = t.lower()
            if _is_mask(toks[j]):
                break
            if not got and pronoun_of(t):
                return [j]
            if is_capitalised(t) and low not in CAP_FUNCTION:
                got.append(j)
            elif is_title(t) or is_org_word(t):
                got.append(j)
            elif (t in _CONNECTORS or low == "the") and got and j + 1 < hi and (
                is_capitalised(toks[j + 1].text) or is_title(toks[j + 1].text) or toks[j + 1].text == "the"
            ):
                got.append(j)
            elif low in PARTICLES and got and j + 1 < hi and is_capitalised(toks[j + 1].text):
                got.append(j)
            elif (t.islower() or (t[:1].isdigit() and got and toks[got[-1]].text.lower() in _NP_DETERMINERS)) \
                    and low not in _CONJ and len(got) <= 3 and not (
                got and name_like(toks[got[-1]].text) and low.endswith("ed")  # "Ivo Pant attacked former …": a verb
            ) and not (
                got and name_like(toks[got[-1]].text) and not toks[got[-1]].text.endswith(("’s", "'s"))
                and not (j + 2 < hi and (is_title(toks[j + 1].text) or is_org_word(toks[j + 1].text))
                         and not is_honorific(toks[j + 1].text)  # "Ada Roy met Mr. Pant": a verb, then a name
                         and is_capitalised(toks[j + 2].text))  # "Radio talk host Bram …" reads on
            ) and any(
                is_title(toks[k].text) or is_org_word(toks[k].text) for k in range(j + 1, min(hi, j + 3))
            ):
                got.append(j)  # a plain modifier before a role or body: "a federal judge"
            elif t.isalpha() and t.islower() and low not in _CONJ and low not in PARTICLES and all(
                toks[x].text.islower() for x in got
            ) and len(got) <= 1 and j + 1 < hi and is_capitalised(toks[j + 1].text) and not _is_mask(toks[j + 1]):
                got.append(j)  # a role word before a name: "said pollster Ivo Marchetti"
            elif not got and _role_words_before_name(toks, j, hi):
                got.extend((j, j + 1))  # "said retired surgeon Ivo Pant", "said election lawyer Ada Roy"
                j += 2
                continue
            else:
                break
            j += 1
        while got and _dangling(toks[got[-1]].text):
            got.pop()
        return got

    def np_after_with_apposition(self, i: int, hi: int) -> tuple[list[int], list[int]]:
        """A subject read forwards, with a name or a role in apposition: "said the Prime
        Minister, Rishi Sunak" (name), "said Peskov, the Kremlin spokesman" (role)."""
        toks = self.toks
        got = self.np_after(i, hi)
        if not got or got[-1] + 2 >= hi or toks[got[-1] + 1].text != ",":
            return got, []
        nxt = self.np_after(got[-1] + 2, hi)
        if not nxt:
            return got, []
        first, second = self.phrase(got), self.phrase(nxt)
        if first.kind in ("role", "group", "unknown") and second.kind in ("person", "name"):
            return nxt, got
        if first.kind in ("person", "name") and (
            second.kind in ("role", "group") or (second.kind == "unknown" and any(is_title(toks[x].text) for x in nxt))
        ):
            return got, nxt
        return got, []

    def appositive_before(self, j: int, lo: int) -> tuple[int, list[int]] | None:
        """At a comma ending ", the role," or ", who led …," before a cue: where the subject ends,
        and the appositive's tokens when it is a role."""
        toks = self.toks
        k = j - 1
        while k >= lo and toks[k].text != "," and not _is_mask(toks[k]) and j - k < 30:
            k -= 1
        if k < lo or toks[k].text != ",":
            return None
        inner = list(range(k + 1, j))
        if not inner:
            return None
        first = toks[inner[0]].text.lower()
        if first in _RELATIVE:
            return k - 1, []
        if all(
            toks[x].text.lower() in _SKIP_BEFORE_CUE or toks[x].text.lower().endswith("ly") or toks[x].text.isdigit()
            for x in inner
        ):
            return k - 1, []  # ", meanwhile,", ", 45,"
        words = [toks[x].text for x in inner]
        if any(is_title(w) or is_org_word(w) for w in words) or first in _NP_DETERMINERS:
            return k - 1, inner
        return None

    def apposition(self, j: int, lo: int) -> tuple[int, list[int], str] | None:
        """The comma-bounded stretch ending at the comma j, when it is an apposition of the name
        before it: (index of its opening comma, its tokens, kind). Kinds: "relative" (", who …,"),
        "number" (", 61,"), "party" (", R-Neb.,"), "place" (", of Flint, Michigan,"), "role"
        (", the party's chairman,"). None when it is not one (it is the name itself)."""
        toks = self.toks
        k = j - 1
        while k >= lo and toks[k].text != "," and not _is_mask(toks[k]) and j - k < 30:
            k -= 1
        inner = list(range(k + 1, j))
        if not inner or k < lo or toks[k].text != ",":
            return None
        words = [toks[x].text for x in inner if toks[x].text != "."]
        if not words:
            return None
        first = words[0].lower()
        if first in _SUBORDINATORS and len(words) > 1 and all(is_capitalised(w) for w in words[1:]):
            return None  # ", when Mr. Pant, who …, called": a clause opening with its subject
        if first in _RELATIVE:
            return k, inner, "relative"
        if all(w.lower() in _SKIP_BEFORE_CUE or w.isdigit() or (w.lower().endswith("ly") and w.islower()) for w in words):
            return k, inner, "number"
        if _PARTY_TAG.fullmatch("".join(words)):
            return k, inner, "party"
        if first in _ASIDE and not is_capitalised(words[0]):
            return k, inner, "aside"
        if first in _PLACE_PREPOSITIONS and len(words) > 1 and is_capitalised(words[1]):
            return k, inner, "place"
        if all(is_capitalised(w) for w in words) and len(words) <= 3:
            k2 = k - 1
            while k2 >= lo and toks[k2].text != "," and not _is_mask(toks[k2]) and k - k2 < 30:
                k2 -= 1
            if k2 >= lo and toks[k2].text == "," and (toks[k2 + 1].text.lower() in _PLACE_PREPOSITIONS or (
                k - 2 > k2 and is_capitalised(toks[k - 1].text) and toks[k - 2].text.lower() in _PLACE_PREPOSITIONS
            )) and not any(is_initial(w) for w in words) and not any(
                is_org_word(toks[x].text) for x in range(k2 + 1, k) if is_capitalised(toks[x].text)
            ):
                # (", of the Federal Bureau of Investigation, Ivo B. Pant,": a body, then a name)
                return k, inner, "place"  # the state after the city: ", of Flint, Michigan,"
            return None
        if any(is_title(w) or is_org_word(w) for w in words) or first in _NP_DETERMINERS:
            return k, inner, "role"
        if len(words) >= 3 and is_title(first) and words[1].lower() in _PLACE_PREPOSITIONS:
            return k, inner, "role"  # ", Republican of Minnesota,", ", Democrat from Ohio,"
        if words[0].islower():
            return k, inner, "aside"  # ", now 70 and retired in Eugene,"
        return None

    def _opens_clause(self, j: int, lo: int) -> bool:
        """Whether no comma comes between the clause's start and the comma j: the words before j
        are the subject itself ("Dario Kent, R-Neb., said")."""
        toks = self.toks
        k = j - 1
        while k >= lo and toks[k].text != "," and not _is_mask(toks[k]) and j - k < 30:
            k -= 1
        return k < lo or _is_mask(toks[k]) or j - k >= 30

    def _unclosed_apposition(self, j: int, lo: int) -> list[int] | None:
        """"Ada Roe, who chairs the fund said …", "Ivo Dag, the pollster who founded the site
        tweeted …": an apposition the copy never closed with a comma; the person before it."""
        toks = self.toks
        k = j
        while k >= lo and toks[k].text != "," and not _is_mask(toks[k]) and j - k < 20:
            k -= 1
        if k <= lo or toks[k].text != "," or k + 2 > j:
            return None  # ", who said": the relative pronoun is the verb's own subject
        inner = [t.text.lower() for t in toks[k + 1 : j + 1]]
        if not (inner[0] in _RELATIVE or (inner[0] in _NP_DETERMINERS and any(w in ("who", "whose") for w in inner))):
            return None
        person, _stop = self.np_before(k - 1, lo)
        return person if person and self.phrase(person).kind == "person" else None

    def _name_after_intro(self, j: int, lo: int) -> bool:
        """Whether the words between the comma before and the comma j are a person's name
        (after an opening phrase: "Just last week, Ida Brek, editor of the Courier, wrote")."""
        toks = self.toks
        got, stop = self.np_before(j - 1, lo)
        if not got or stop != "," or self.phrase(got).kind not in ("person", "name"):
            return False
        m = got[0] - 2  # the last word of the stretch before: an opening phrase, not a clause
        while m >= lo and toks[m].text != "," and not _is_mask(toks[m]):
            m -= 1
        return toks[m + 1].text.lower() not in _RELATIVE  # ", whose hometown, Miami, is …"

    def _name_after_subordinator(self, j: int, lo: int) -> bool:
        """Whether a person's name opens a subordinate clause just before the comma j ("…, when
        Mr. Pant, who had lost, called …")."""
        got, stop = self.np_before(j - 1, lo)
        return bool(got) and stop in _SUBORDINATORS and self.phrase(got).kind in ("person", "name")

    def _name_in_apposition(self, j: int, lo: int) -> tuple[list[int], list[int]] | None:
        """", NAME," after a role: "The Prime Minister, Rishi Sunak, said"."""
        toks = self.toks
        k = j - 1
        inner: list[int] = []
        while k >= lo and name_like(toks[k].text) and len(inner) < 5:
            inner.insert(0, k)
            k -= 1
        if not inner or k < lo or toks[k].text != ",":
            return None
        if len(inner) >= 2 and k - 1 >= lo and toks[k - 1].text[:1].islower():
            # "Another delegate on the slate, Una Brek, said": the name after a description
            before, _ = self.np_before(k - 1, lo)
            m = k - 1
            while m >= lo and toks[m].text != "," and not _is_mask(toks[m]) and k - m < 30:
                m -= 1
            if m - 1 >= lo and toks[m].text == ",":
                person, _ = self.np_before(m - 1, lo)
                if person and self.phrase(person).kind == "person":
                    # "Ivo Vian, the editor of the city's paper, The Courier, said": the name
                    # is the paper's, an apposition inside the person's apposition
                    return person, list(range(m + 1, k))
            return inner, before
        before, _ = self.np_before(k - 1, lo)
        kind = self.phrase(before).kind if before else None
        if before and (kind in ("role", "group", "unknown") or (
            kind == "org" and toks[before[0]].text.lower() in _NP_DETERMINERS  # "the director of the Bureau, Ivo Pant,"
        )) and any(is_title(toks[x].text) for x in before):
            return inner, before
        return None

    def possessor_before(self, pos: int, lo: int) -> list[int]:
        """The owner of the speech noun nearest before offset `pos` in the sentence starting at
        token lo ("Commissioner Lars Eklund’s claim that lists had “fallen”", "his warning that “…”"):
        its tokens, or []."""
        toks = self.toks
        j = self.token_at(pos) - 1
        steps = 0
        while j > lo and steps < 25:
            t = toks[j]
            if _is_mask(t):
                return []
            if t.text.lower() in _LEX.speech_nouns:
                k = j - 1
                while k >= lo and toks[k].text.islower() and toks[k].text.lower() not in _DETERMINERS and j - k <= 2:
                    k -= 1  # "Eklund's latest claim", "her repeated warnings"
                if k >= lo:
                    owner = toks[k].text
                    if owner.lower() in ("his", "her"):
                        return [k]
                    if is_capitalised(owner) and owner.endswith(("’s", "'s", "s’", "s'")) and not pronoun_of(owner):
                        got, _stop = self.np_before(k, lo)
                        return got
            j -= 1
            steps += 1
        return []

    def _with_subject(self, ci: int, lo: int) -> bool:
        """"…, with Councillor Piet Arendse calling it “…”": a named subject of an -ing verb after
        "with" (an absolute clause), or a person named in full just before it, speaks."""
        end = ci - 1
        if end - 1 >= lo and _adverb(self.toks[end].text):
            end -= 1  # "with Ada Roy recently promising to “…”"
        if end < lo or not is_capitalised(self.toks[end].text):
            return False
        got, _stop = self.np_before(end, lo)
        if not got:
            return False
        np = self.phrase(got)
        kind = np.kind
        # the word before the phrase, past its determiner ("with the Teachers Union calling her “…”")
        opener = self.toks[got[0] - 1].text if got[0] - 1 >= lo else ""
        named_body = kind == "group" and bool(np.role) and all(w[:1].isupper() or w in _CONNECTORS for w in (np.role or "").split())
        if opener == "with" and (kind in ("person", "name", "org") or named_body):
            return True
        # "… the same as Justice Ana Ruiz referring to herself as “…”", "From Ivo Dag writing in
        # the Herald:": a person named in full, the quotation right after (not "results in Ivo
        # Dag claiming the nomination", narration)
        _lo, hi = self.sentence_token_range(self.tok_sentence[ci])
        near = self.toks[ci + 1 : min(hi, ci + 7)]
        return kind == "person" and (any(_is_mask(t) for t in near) or self.text.rstrip().endswith(":"))

    def with_complement(self, np: NamePhrase, got: list[int], hi: int, subject: bool = False) -> NamePhrase:
        """A described speaker with the words that say whose or which one it is, when they close
        the sentence or its clause ("said a person close to the family.", "says a source involved
        in the deal,") or, for a subject, run up to its verb ("a source familiar with the talks
        said"): the description as printed. The role stays the head ("person")."""
        toks = self.toks
        if np.kind not in ("group", "role", "unknown") or not got or toks[got[0]].text.lower() not in _NP_DETERMINERS:
            return np
        k = got[-1] + 1
        if k + 1 < hi and f"{toks[k].text} {toks[k + 1].text}".lower() in _COMPLEMENTS:
            start = k + 2
        elif k < hi and toks[k].text.lower() in _COMPLEMENTS:
            start = k + 1
        else:
            return np
        end = start
        while end < hi and end - start < _COMPLEMENT_WORDS and (word := toks[end].text).lower() not in _COMPLEMENT_STOPS \
                and word not in (",", ".", ";", ":", "—", "–", "(", ")", "?", "!") and not _is_mask(toks[end]) \
                and word.lower() not in _FORM_LEMMA and word.lower() not in WEEKDAYS_MONTHS \
                and not (word.islower() and word.endswith("ed")):
            end += 1
        closed = end >= hi or toks[end].text in (",", ".", ";", "—", "–") or (
            subject and toks[end].text.islower() and (toks[end].text in _FORM_LEMMA or toks[end].text.endswith("ed")))
        if end == start or not closed:
            return np  # the phrase runs on into more of the sentence: not only a description
        text = self.text[toks[got[0]].start : toks[end - 1].end]
        return NamePhrase(text, np.kind, np.name, np.role, np.pronoun)

    def clause_subject(self, end: int, lo: int) -> list[int]:
        """The named subject of the nearest clause before token `end` in its sentence: a name
        opening the sentence or a clause ("…, and Sen. Ada Roy (D-Vt.) kept asking why …",
        "such as when Ivo Pant called him", "strange that Roy would denounce") and followed by
        a word that can be its verb. Not a possessive ("Roy's claim"), an object ("met Ivo
        Pant"), or a name inside a phrase ("the plan of Ivo Pant"): []."""
        toks = self.toks
        for k in range(end - 1, lo - 1, -1):
            t = toks[k].text
            if not name_like(t, self.side_words) or t.endswith(("’s", "'s", "s’", "s'")):
                continue
            after = k + 1
            if after < end and toks[after].text == "(":  # a party tag: "Sen. Ada Roy (D-Vt.) kept"
                close = next((x for x in range(after + 1, min(end, after + 8)) if toks[x].text == ")"), None)
                after = close + 1 if close is not None else end
            if after < end and toks[after].text == ",":  # "Ivo Pant, who backs Roy, trashed …"
                close = next((x for x in range(after + 1, min(end, after + 30))
                              if toks[x].text == "," or _is_mask(toks[x])), None)
                seg = self.apposition(close, lo) if close is not None and toks[close].text == "," else None
                after = close + 1 if seg is not None and seg[0] == after and close is not None else end
            word = toks[after].text if after < end else ""
            if not (word.isalpha() and word.islower()) or word in _NOT_AFTER_SUBJECT:
                continue
            got, _stop = self.np_before(k, lo)
            if not got or got[-1] != k:
                continue
            before = toks[got[0] - 1].text.lower() if got[0] - 1 >= lo else None
            if before is None or before in (",", "—", "–", "―", "--") or before in _CLAUSE_BOUNDARIES \
                    or _is_mask(toks[got[0] - 1]) or (word.endswith("ing") and len(got) >= 2):
                # (a name before an -ing verb is that clause's subject wherever it stands: "I
                # remember President Ivo Pant going on the radio, declaring …")
                return got
        return []

    def _as_before(self, ci: int, lo: int) -> int | None:
        """The "as" that opens "as X put it" before the cue at ci, or None."""
        for k in range(ci - 1, max(lo, ci - 25) - 1, -1):
            if _is_mask(self.toks[k]):
                return None
            if self.toks[k].text.lower() == "as":
                return k
        return None

    def _plural_subject(self, ci: int, lo: int) -> bool:
        """Whether the words before a bare base form are a plural subject, making it a present
        tense ("Police say", "Protesters call", "they say", "Idris Pohl and Seren Ashe call")."""
        toks = self.toks
        prev = toks[ci - 1].text
        low = prev.lower()
        if low in ("they", "we", "i", "you") or is_collective(prev):
            return True
        if is_plural_word(prev) and low not in _DETERMINERS and (is_title(prev) or is_org_word(prev) or prev[0].isupper()):
            return True
        got, stop = self.np_before(ci - 1, lo)
        return bool(got) and stop == "and" and is_capitalised(prev)

    def coordination(self, second: list[int], lo: int) -> NamePhrase:
        """"Mayor Idris Pohl and Governor Seren Ashe call …": two people named in full speak together
        (kind "joint", name "Idris Pohl and Seren Ashe"); bare words ("Vok and Lind") stay a group."""
        toks = self.toks
        text = " ".join(toks[x].text for x in second)
        first, _stop = self.np_before(second[0] - 2, lo) if second[0] - 2 >= lo else ([], None)
        a, b = self.phrase(first), self.phrase(second)
        if a.kind == "person" and b.kind == "person" and a.name and b.name:
            return NamePhrase(f"{a.text} and {b.text}", "joint", name=f"{a.name} and {b.name}")
        return NamePhrase(text, "group")

    def _issuer(self, i: int, hi: int) -> int | None:
        """After "according to": where the issuer of a document starts ("a 30-page lawsuit filed
        by the state attorney general" -> the token after "by"), or None."""
        toks = self.toks
        for k in range(i, min(hi, i + 8)):
            if _is_mask(toks[k]):
                return None
            if toks[k].text.lower() in _LEX.documents:
                for phrase in _LEX.issued_by:
                    words = phrase.split()
                    got = [t.text.lower() for t in toks[k + 1 : k + 1 + len(words)]]
                    if got == words and k + 1 + len(words) < hi:
                        return k + 1 + len(words)
                return None
        return None

    def phrase(self, idx: list[int]) -> NamePhrase:
        return parse_name_phrase([self.toks[x].text for x in idx], self.side_words)

    def span_of(self, idx: list[int]) -> tuple[int, int]:
        return (self.toks[idx[0]].start, self.toks[idx[-1]].end) if idx else (-1, -1)

    # -- subjects ------------------------------------------------------------------------------

    def _issuing_verb(self, noun: int, lo: int) -> int | None:
        """The verb whose object is the noun at `noun` ("issued" of "issued a joint statement"):
        a lower-case word before the noun's determiner, at most two modifiers away."""
        toks = self.toks
        j = noun - 1
        while j >= lo and noun - j <= 3 and toks[j].text.lower() not in _NP_DETERMINERS:
            if not toks[j].text.isalpha() or not toks[j].text.islower():
                return None
            j -= 1
        if j - 1 < lo or toks[j].text.lower() not in _NP_DETERMINERS:
            return None
        verb = toks[j - 1].text
        if not (verb.isalpha() and verb.islower()) or verb in _DETERMINERS or verb in _MODALS or verb in _PASSIVE:
            return None
        return j - 1

    def subject_before(self, ci: int, lo: int, lemma: str) -> tuple[str, list[int], list[int]]:
        """The subject of a cue at token ci: (form, subject tokens, appositive role tokens)."""
        toks = self.toks
        j = ci - 1
        if lemma == "say" and j - 1 >= lo and toks[j].text == "as" and toks[j - 1].text == "quoted":
            j -= 2  # "was quoted as saying"
        while j >= lo:
            low = toks[j].text.lower()
            if (low in _SKIP_BEFORE_CUE and not (low in _MODALS and is_capitalised(toks[j].text))) or (
                low.endswith("ly") and not is_capitalised(toks[j].text) and len(low) > 4
            ):  # a capital is a name, not a modal: "columnist George Will wrote"
                j -= 1
            elif low == "to":  # "went on to say", "declined to say"
                j -= 1
                steps = 0
                while j >= lo and steps < 3 and toks[j].text.islower() and not is_title(toks[j].text) and not is_org_word(toks[j].text) and toks[j].text.lower() not in PRONOUNS:
                    j -= 1
                    steps += 1
            else:
                break
        if j < lo:
            return "finite", [], []
        if toks[j].text.lower() in _CONJ:
            return "conjoined", [], []
        role: list[int] = []
        stripped = False
        for _step in range(6):
            t = toks[j].text
            if t == ")":  # "Gov. Gavin Newsom (D) said", "Rep. Corin Vale (D-Ore.), a member …, said"
                k = j - 1
                while k >= lo and toks[k].text != "(" and j - k <= 8:
                    k -= 1
                if k < lo or toks[k].text != "(":
                    break
                j = k - 1
                stripped = True
                if j < lo:
                    return "finite", [], []
                continue
            if t in ("—", "–", "--") and not stripped:  # "Roy — named by a paper as the favourite — told"
                k = j - 1
                while k >= lo and toks[k].text != t and not _is_mask(toks[k]) and j - k <= 25:
                    k -= 1
                if k - 1 < lo or toks[k].text != t or toks[k - 1].text in (",", t) or _is_mask(toks[k - 1]):
                    break
                j = k - 1
                stripped = True
                continue
            if t != ",":
                break
            if j - 1 >= lo and _is_mask(toks[j - 1]):
                return "finite", [], []
            if not stripped:
                named = self._name_in_apposition(j, lo)
                if named is not None:
                    return "finite", named[0], named[1]
            seg = self.apposition(j, lo)
            if seg is None:
                if not stripped or not (self._opens_clause(j, lo) or self._name_after_intro(j, lo)
                                        or self._name_after_subordinator(j, lo)):
                    return "finite", [], []
                # the comma after the name: "Dario Kent, R-Neb., said", "For now, Ivo Pant, at
                # the institute, said"
                j -= 1
                continue
            k, inner, kind = seg
            if kind == "role":
                role = inner
            stripped = True
            j = k
            if j < lo:
                return "finite", [], []
            if toks[j].text != ",":
                break
        if j < lo or toks[j].text in (",", ")"):
            return "finite", [], []
        got, stop = self.np_before(j, lo)
        if len(got) == 1 and toks[got[0]].text.lower() in WEEKDAYS_MONTHS and stripped:
            return "finite", [], []  # "On Wednesday, however, …, said": a day opening the sentence speaks for no one
        if len(got) == 1 and got[0] == lo and toks[lo].text.lower().endswith("ing") and len(toks[lo].text) > 5:
            return "finite", [], []  # "Continuing to explain …": a participle opening the sentence, no name
        if got and got[0] - 3 >= lo and toks[got[0] - 1].text.lower() in ("to", "with", "on") \
                and toks[got[0] - 2].text.islower() and toks[got[0] - 2].text.endswith("ing"):
            # "Another source speaking to Fox News said": the source speaks, not the outlet
            speaker, _stop = self.np_before(got[0] - 3, lo)
            if speaker and self.phrase(speaker).kind in ("person", "name", "role", "group", "unknown"):
                got = speaker
        if not stripped and self.phrase(got).kind not in ("person", "pronoun", "name") and (
            unclosed := self._unclosed_apposition(j, lo)
        ) is not None:
            return "finite", unclosed, []
        if got and stop == "and" and got[0] - 2 >= lo and name_like(toks[got[0] - 2].text, self.side_words):
            return "group", got, role
        return "finite", got, role

    def sentence_subject(self, lo: int, hi: int) -> list[int]:
        """The noun phrase that opens a sentence (after an opening phrase such as "In 2014,")."""
        toks = self.toks
        i = self._after_dateline(lo, hi) if lo == 0 else lo
        for _opener in range(2):  # "And then Ivo Pant went …": a conjunction, not an opening phrase to its comma
            if not (i + 1 < hi and toks[i].text.lower() in _CLAUSE_OPENERS and (
                name_like(toks[i + 1].text) or toks[i + 1].text.lower() in _CLAUSE_OPENERS
            )):
                break
            i += 1
        first = toks[i].text if i < hi else ""
        second = toks[i + 1].text if i + 1 < hi else ""
        if i < hi and (first.lower() in _INTRO_WORDS or (
            is_capitalised(first) and first.lower().endswith(("ing", "ly", "ed")) and len(first) > 5
            and second.islower() and second not in _FORM_LEMMA and second not in _PASSIVE
            and second not in ("has", "had", "will", "would", "also", "later", "then")
            and not second.endswith(("ed", "s"))
        )):  # "In 2014, …", "Facing mounting criticism, …", "Shortly after the call ended, …"
            # a subordinate clause ("When told that …, Pant said") may run long before its comma
            reach = 30 if first.lower() in _SUBORDINATORS else 15
            comma = next((k for k in range(i, min(hi, i + reach)) if toks[k].text == ","), None)
            if comma is not None:
                i = comma + 1
                for _place in range(3):  # "At a rally in Flint, Michigan, on Saturday, …": places, dates
                    nxt = next((k for k in range(i, min(hi, i + 5)) if toks[k].text == ","), None)
                    if nxt is None or nxt == i or not all(
                        is_capitalised(toks[x].text) or toks[x].text.isdigit() or toks[x].text.lower() in ("on", "in", "at", ".")
                        for x in range(i, nxt)
                    ) or (self.phrase(list(range(i, nxt))).kind == "person" and not self._state_after_city(i, lo)):
                        break
                    i = nxt + 1
                for _clause in range(2):  # "On Thursday, after weeks of silence, Ada Roy …": a second opening phrase
                    if not (i < hi and toks[i].text.islower() and toks[i].text in _INTRO_WORDS):
                        break
                    nxt = next((k for k in range(i + 1, min(hi, i + 12)) if toks[k].text == "," or _is_mask(toks[k])), None)
                    if nxt is None or toks[nxt].text != ",":
                        break
                    i = nxt + 1
            elif toks[i].text.lower() in _CLAUSE_OPENERS:
                i += 1
        if i < hi and toks[i].text.lower() in _FORM_LEMMA:
            return []  # "Adding, “…”": a speech verb opens the sentence, no subject names anyone
        if i + 1 < hi and _AGE.fullmatch(toks[i].text):
            i += 1  # "76-year-old Ivo Pant, …": the age printed before the name
        got = self.np_after(i, hi)
        if got and got[-1] + 1 < hi and toks[got[-1] + 1].text == "(":
            close = next((k for k in range(got[-1] + 2, min(hi, got[-1] + 9)) if toks[k].text == ")"), None)
            if close is not None and close + 1 < hi and (toks[close + 1].text[0].islower() or toks[close + 1].text == ","):
                return got  # "Sen. Ada Roy (D-Vt.) visited …": the party tag is no part of the sentence
        if got and got[-1] + 2 < hi and toks[got[-1] + 1].text.lower() in _TIME_AFTER and toks[got[-1] + 2].text == ",":
            got = self.np_after(got[-1] + 3, hi)  # "Hours later, Brek …", "Days ago, …"
        if got and got[-1] + 1 < hi and toks[got[-1] + 1].text == ",":
            # "Her colleague, the psychologist Ben Adler, is …": the named apposition is the subject
            named, _role = self.np_after_with_apposition(i, hi)
            if named and named != got and self.phrase(named).kind in ("person", "name"):
                return named
        nxt = got[-1] + 1 if got else None
        if not got or (nxt is not None and nxt < hi and toks[nxt].text not in (",",) and not toks[nxt].text[0].islower()):
            return []
        if nxt is not None and nxt + 1 < hi and toks[nxt].text.lower() in _CONJ and is_capitalised(toks[nxt + 1].text):
            return []  # "Russian and American officials held …": no one subject
        return got

    def _state_after_city(self, i: int, lo: int) -> bool:
        """Whether the words at i follow "in <Place>," as a state or country follows its city
        ("in Salem, New Hampshire, …"): a place, even when it reads like a name."""
        toks = self.toks
        k = i - 2
        if k < lo or toks[i - 1].text != ",":
            return False
        while k >= lo and is_capitalised(toks[k].text):
            k -= 1
        return k < i - 2 and k >= lo and toks[k].text.lower() in ("in", "at", "from", "near", "outside")

    def _after_dateline(self, lo: int, hi: int) -> int:
        """The first token after a dateline opening the paragraph ("HARLOW, Essex — ", "KETTLE
        FALLS (Reuters) - "): a place in capitals, then a dash. `lo` when there is none."""
        toks = self.toks
        first = toks[lo].text if lo < hi else ""
        if lo + 4 < hi and first[:1].isupper() and toks[lo + 1].text == "(" and toks[lo + 2].text.isupper() \
                and toks[lo + 3].text == ")" and toks[lo + 4].text in ("—", "–", "-", "--", "―"):
            return lo + 5  # "Washington (AFP) – …": a place and an agency in brackets
        if not (len(first) > 1 and first.isalpha() and first.isupper()):
            return lo
        for k in range(lo + 1, min(hi, lo + 12)):
            t = toks[k].text
            if t in ("—", "–", "-", "--", "―"):
                return k + 1 if k + 1 < hi else lo
            if not (t in (",", "(", ")", ".") or t[0].isupper() or t.isdigit()):  # "PARIS, July 25 (UPI) —"
                return lo
        return lo

    def _initial_cues(self) -> list[SpeechCue]:
        """Cues the verb list cannot see: a capitalised verb opening a sentence ("Said Kowalczyk:
        “…”") and a speaker named after a dash at the end of a quotation (“…” — Tamsin Achebe)."""
        out: list[SpeechCue] = []
        toks = self.toks
        for i in self._initial_candidates:
            tok = toks[i]
            t = tok.text
            if t in ("—", "–", "―", "--") or (t == "-" and i + 1 < len(toks)):
                k = i - 1
                while k >= 0 and toks[k].text in (",", "."):
                    k -= 1
                if k < 0 or not _is_mask(toks[k]):
                    continue
                sent = self.tok_sentence[i]
                _lo, hi = self.sentence_token_range(sent)
                got, role = self.np_after_with_apposition(i + 1, hi)
                np = self.phrase(got)
                end = got[-1] + 1 if got else i + 1
                rest = [x for x in toks[end:hi] if x.text not in (",", ".")]
                if np.kind not in ("person", "name") or (rest and not _is_mask(rest[0]) and not role and not (
                    rest[0].text.isdigit() or rest[0].text.lower() in _PLACE_PREPOSITIONS
                )):
                    continue  # "“…” — and they did", a dash inside narration
                s0, s1 = self.span_of(got)
                out.append(SpeechCue(tok.start, tok.end, t, "dash", "inverted", np, s0, s1, sent))
            elif t in INITIAL_VERBS and (i == 0 or self.tok_sentence[i - 1] != self.tok_sentence[i]):
                sent = self.tok_sentence[i]
                _lo, hi = self.sentence_token_range(sent)
                got, role = self.np_after_with_apposition(i + 1, hi)
                if got and got[-1] + 1 < hi and toks[got[-1] + 1].text in (":", ",") or (got and got[-1] + 1 < hi and _is_mask(toks[got[-1] + 1])):
                    np = self.phrase(got)
                    if np.kind in ("person", "name", "role", "pronoun"):
                        s0, s1 = self.span_of(got)
                        out.append(SpeechCue(tok.start, tok.end, t.lower(), _FORM_LEMMA.get(t.lower(), "say"), "inverted", np, s0, s1, sent))
        return out

    def cues(self) -> list[SpeechCue]:
        out: list[SpeechCue] = self._initial_cues()
        toks = self.toks
        for m in CUE.finditer(self.masked):
            verb = " ".join(m.group().split())
            lemma = _FORM_LEMMA.get(verb.lower() if verb.startswith("According") else verb, verb)
            ci, cj = _cue_tokens(self._tok_ends, m.start(), m.end())
            sent = self.tok_sentence[ci]
            lo, hi = self.sentence_token_range(sent)
            prev = toks[ci - 1].text if ci - 1 >= lo else None
            nxt = toks[cj + 1].text if cj + 1 < hi else None
            if prev is not None and lemma != "according to" and (
                prev.lower() in _DETERMINERS or (prev.endswith(("’s", "'s", "s’", "s'")) and not pronoun_of(prev))
            ):
                continue  # a noun or an adjective: "the call", "his claims", "Russia’s continued"
            head = verb if lemma == "according to" else verb.split()[0]  # "referring" of "referring to"
            if nxt == "by" and lemma != "according to" and not head.endswith(("ing", "s")) and cj + 2 < hi \
                    and not (toks[cj + 2].text.islower() and toks[cj + 2].text.endswith("ing")):
                # ("that tweet by calling Una Brek “…”": a gerund after "by" is how, not who)
                # "was asked by moderator Ida Brek whether …", "as described by Director Tomas Vance":
                # a passive speech verb names its speaker after "by"
                got, role = self.np_after_with_apposition(cj + 2, hi)
                np = self.phrase(got)
                if got and np.kind in ("person", "name", "org"):
                    s0, s1 = self.span_of(got)
                    out.append(SpeechCue(m.start(), m.end(), verb, lemma, "inverted", np, s0, s1, sent,
                                         lemma in _ADJACENT_ONLY))
                    continue
                if prev is not None and prev.lower() in _PASSIVE | {"as"}:
                    continue
                # "said by telephone", "said by email": no agent after "by", an ordinary cue
            if prev is not None and prev.lower() in _PASSIVE and not head.endswith(("ing", "s")) and lemma != "according to":
                continue  # "was told", "were asked", "been described": the subject is not speaking
            issued = (self._issuing_verb(ci - 1, lo) if head.endswith("ing") and prev is not None
                      and prev.lower() in _SPEECH_NOUNS else None)
            # "answered by calling her “…”": the means of the sentence's own verb, so its subject speaks
            by_means = head.endswith("ing") and prev == "by" and lemma != "according to"
            if head.endswith("ing") and prev != "," and not by_means and lemma != "say" and issued is None and (
                prev is None or prev.lower() not in _PROGRESSIVE
            ) and not self._with_subject(ci, lo):
                continue  # "not admitting", "a warning": no one is speaking here
            if (
                verb.endswith("s") and not verb.endswith("ss") and ci - 2 >= lo and prev is not None
                and toks[ci - 2].text.lower() in _DETERMINERS and not is_title(prev) and not pronoun_of(prev)
                and (prev[0].islower() or prev.lower().endswith(_LEX.adjective_endings))
            ):
                continue  # "the Republican claims", "of public comments": a plural noun
            # "could only quip", "will likely say": an adverb between the modal and its verb
            modal_before = prev is not None and (prev.lower() in _MODALS or (
                ci - 2 >= lo and prev.islower() and prev.endswith("ly") and toks[ci - 2].text.lower() in _MODALS))
            if verb == lemma and lemma in _BASE_FORMS and not modal_before and not (
                prev is not None and self._plural_subject(ci, lo)
            ):
                continue  # a bare base form is a noun or an imperative, not reported speech
            described = False  # an inverted subject read with no apposition after it
            framed = False
            if lemma == "ask" and ci == lo:
                continue  # "Asked about …, X said": the question is not the speech
            if lemma == "according to":
                issuer = self._issuer(cj + 1, hi)
                got, role = self.np_after_with_apposition(cj + 1 if issuer is None else issuer, hi)
                form = "according"
            elif issued is not None:
                # "The ministry issued a statement calling it …": the words are the statement's, so
                # whoever issued it speaks
                form, got, role = self.subject_before(issued, lo, lemma)
                if not got:
                    form = "participle"
            elif (prev == "," and head.endswith("ing") and lemma != "according to") or by_means:
                form, got, role = "participle", [], []
            elif prev is not None and (toks[ci - 1].text[0] == MASK or prev in (",", "—", "–", ".")) and (
                nxt is not None
                and (is_capitalised(nxt) or nxt.lower() in _NP_DETERMINERS or is_title(nxt) or nxt.lower() in _LISTENERS
                     or (nxt.isalpha() and cj + 2 < hi and is_capitalised(toks[cj + 2].text))
                     or _role_words_before_name(toks, cj + 1, hi))
            ) and lemma not in _LEX.object_verbs and (
                _inverted_ok(toks, ci, lo)
                or (prev == "," and (name_like(nxt) or is_acronym(nxt)) and (ci > lo + 2 or (
                    ci == lo + 2 and toks[lo].text.lower() in _CONJ)) and lemma in _NARRATION_INVERTED
                    and toks[ci - 2].text not in (".", ")"))
            ):
                k = cj + 1
                if lemma == "tell" and k < hi and toks[k].text.lower() in _LISTENERS:
                    k += 1  # "“…,” told reporters Popov"
                got, role = self.np_after_with_apposition(k, hi)
                form = "inverted"
                described = not role
                last = (role or got)[-1] + 1 if got else k
                if role and role[0] > got[-1] and toks[got[-1] + 1].text == ",":
                    last = got[-1] + 1  # "…, said Ivo Pant, an analyst at the non-partisan …": the comma ends the name
                if got and not _inverted_ok(toks, ci, lo) and last < hi and toks[last].text not in (",", ".", ";", ":"):
                    # "…, said Trump's messages have …", "…, said Fiorina “was involved”": what
                    # follows is no speaker (an inverted speaker ends its clause)
                    got, role = [], []
                if not got:
                    form, got, role = self.subject_before(ci, lo, lemma)
            elif lemma == "put" and (as_at := self._as_before(ci, lo)) is not None:
                got, role = self.np_after_with_apposition(as_at + 1, ci)  # "as Tom Vance, the …, put it"
                form = "finite"
                framed = True  # "As Ivo Pant puts it, the mayor is making them “an offer …”": the frame is his
            else:
                form, got, role = self.subject_before(ci, lo, lemma)
            if form == "finite" and not got and not head.endswith(("ed", "ut")) and lemma not in ("say", "tell", "write"):
                continue  # "amid calls for", "a warning": a noun with no one speaking
            if form == "group":
                np = self.coordination(got, lo)
                form = "finite"
            else:
                np = self.phrase(got)
                if form == "inverted" and described:
                    np = self.with_complement(np, got, hi)
                if role and np.kind in ("person", "name") and not np.role:
                    rp = " ".join(toks[x].text for x in role)
                    np = NamePhrase(np.text, np.kind, np.name, _strip_det(rp), np.pronoun)
            s0, s1 = self.span_of(got)
            out.append(SpeechCue(m.start(), m.end(), verb, lemma, form, np, s0, s1, sent, lemma in _ADJACENT_ONLY and not framed))
        out.sort(key=lambda c: c.start)
        return out


_NOT_ROLE_WORDS = (_CONJ | PARTICLES | _INTRO_WORDS | _ASIDE | _MODALS | _DETERMINERS | _PASSIVE | _TIME_AFTER
                   | rule_words("time_words"))


def _role_words_before_name(toks: list[Token], j: int, hi: int) -> bool:
    """Whether two plain lower-case words at j stand before a capitalised name, as a role
    printed before it does ("retired surgeon Ivo Pant"); not a time ("last week Ivo …")."""
    if j + 2 >= hi or _is_mask(toks[j + 2]) or not is_capitalised(toks[j + 2].text):
        return False
    words = (toks[j].text, toks[j + 1].text)
    return all(w.isalpha() and w.islower() and w not in _NOT_ROLE_WORDS and w not in _FORM_LEMMA for w in words)


def _adverb(word: str) -> bool:
    """A plain adverb in -ly ("recently", "sharply")."""
    return word.islower() and word.endswith("ly") and len(word) > 4


def _dangling(word: str) -> bool:
    """A word that cannot end a subject phrase: "of", "the", or a modifier without its noun."""
    if word in _CONNECTORS or word.lower() in _NP_DETERMINERS:
        return True
    return word.islower() and not (is_title(word) or is_org_word(word))


def _inverted_ok(toks: list[Token], ci: int, lo: int) -> bool:
    """'“…,” said X': the verb comes straight after a quotation (or its comma)."""
    k = ci - 1
    while k >= lo and (toks[k].text in (",", "—", "–") or (
        toks[k].text == "." and k - 1 >= lo and toks[k - 1].text[0] == MASK and toks[k - 1].end == toks[k].start
    )):  # "“Why now?” said X": the quotation's own end mark was kept as a full stop
        k -= 1
    return k >= lo and toks[k].text[0] == MASK


def _strip_det(text: str) -> str:
    words = text.split()
    while words and words[0].lower() in _NP_DETERMINERS:
        words = words[1:]
    return " ".join(words)


def read_paragraph(text: str, spans: list[QuoteSpan] | None = None, side_words: frozenset[str] = frozenset()) -> ReadParagraph:
    return ReadParagraph(text, find_quote_spans(text) if spans is None else spans, side_words)


def find_speech_cues(text: str, spans: list[QuoteSpan] | None = None, side_words: frozenset[str] = frozenset()) -> list[SpeechCue]:
    """Every reporting verb in a paragraph (outside quotations) with its subject phrase as written.

    Pronouns and surnames are not resolved here; see `briefing.index.quotes.attribution.ArticleReader`.
    """
    return read_paragraph(text, spans, side_words).cues()
