"""Positions: what each side holds on each issue, built from attributed statements.

A statement is a direct quote (from the quote work) or reported speech ("Ryabkov said that…",
"Moscow says it has no plans to attack"). Institutions and capitals speak for their side through
the manifest's cue words. Each issue is a Whoosh query from the manifest, run over the statements.
"""

from __future__ import annotations

import hashlib
import marshal
import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from briefing.index.model import Article, Issue, Manifest
from briefing.index.quotes.groups import pack_keys, text_key
from briefing.index.quotes.analysis import meets, plain_article
from briefing.index.quotes.speech import SPEECH_VERB_FORMS, STANCE_VERB_FORMS, verb_alternation
from briefing.index.text import sentence_spans
from briefing.index.workers import heaviest_first, ordered_map, spreads

OTHER = Issue("other", "Other", "Statements that match no configured issue.", "")
ALL = Issue("all", "All statements", "No issues are configured for this briefing.", "")
UNKNOWN_SIDE = "unknown"

# Verbs that report what someone holds: the reporting verbs of quote attribution
# (briefing.index.quotes.speech) and the verbs that state a position ("rejects", "wants").
# "According to X" names its speaker after it, which this reader does not look for.
_VERB_FORMS = set(SPEECH_VERB_FORMS - {"according to"}) | set(STANCE_VERB_FORMS)
_SPEECH_VERBS = verb_alternation(_VERB_FORMS) + (
    r"|(?:is|are|was|were) (?:insisting|demanding|seeking|ready|willing|open|prepared|committed|not prepared)"
)
_AUX_WORDS = ("went on to", "goes on to", "continued to", "tried to", "has", "have", "had", "will", "would", "could",
              "did", "does", "do", "also", "again", "firmly", "still", "repeatedly", "not", "never", "then", "now")
_AUX = rf"(?:(?:{'|'.join(_AUX_WORDS)})\s+){{0,3}}"
_VERB_RE = re.compile(rf"\b{_AUX}(?:{_SPEECH_VERBS})\b", re.IGNORECASE)
_WORD_RUN = re.compile(r"\w+")
# The first word of every way a match of _VERB_RE can begin (an auxiliary, a verb form, "is ...").
# A match begins at a word boundary with one of these words whole: scanning the sentence for them
# and trying the pattern only there finds what scanning with the pattern finds, much faster (the
# pattern is an alternation of hundreds of forms, tried at every word otherwise).
_VERB_STARTS = frozenset(
    m.group(0).lower()
    for form in (*_AUX_WORDS, *_VERB_FORMS, "is", "are", "was", "were")
    for m in [_WORD_RUN.match(form)] if m
)


def _verbs(sentence: str) -> list[re.Match[str]]:
    """`list(_VERB_RE.finditer(sentence))`."""
    out: list[re.Match[str]] = []
    end = 0
    if sentence.isascii():
        # (lower case keeps an ASCII text's offsets: the words that can start a match are picked
        # in one comprehension, the pattern tried only there)
        for at in [w.start() for w in _WORD_RUN.finditer(sentence.lower()) if w.group() in _VERB_STARTS]:
            if at < end:
                continue
            m = _VERB_RE.match(sentence, at)
            if m:
                out.append(m)
                end = m.end()
        return out
    for w in _WORD_RUN.finditer(sentence):
        if w.start() < end:
            continue
        word = w.group(0)
        # (the pattern ignores case as `re` does, per character; beyond ASCII that is not always
        # str.lower, so such a word is simply tried)
        if word.isascii() and word.lower() not in _VERB_STARTS:
            continue
        m = _VERB_RE.match(sentence, w.start())
        if m:
            out.append(m)
            end = m.end()
    return out
_PRONOUN = re.compile(r"^(?:he|she|they)$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[;:]|,\s+(?:while|but|whereas|although)\b|\b(?:while|whereas)\b")


@dataclass(slots=True)
class Statement:
    text: str
    speaker: str | None
    side: str
    source: str
    paragraph: int
    start: int
    end: int
    kind: str  # "quote", "fragment" or "reported"
    outlet: str | None = None
    group: str | None = None
    outlets: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text, "speaker": self.speaker, "source": self.source, "paragraph": self.paragraph,
            "start": self.start, "end": self.end, "kind": self.kind, "outlets": list(self.outlets),
        }


@dataclass(slots=True)
class Cell:
    issue: str
    issue_label: str
    side: str
    side_label: str
    statements: list[Statement]  # one per utterance, most outlets first; [0] is the headline

    @property
    def headline(self) -> Statement | None:
        return self.statements[0] if self.statements else None

    def to_json(self) -> dict[str, Any]:
        return {
            "issue": self.issue, "issue_label": self.issue_label, "side": self.side,
            "side_label": self.side_label, "statements": [s.to_json() for s in self.statements],
        }


@dataclass(slots=True)
class Positions:
    issues: list[Issue]
    sides: list[tuple[str, str]]  # (id, label)
    grid: dict[tuple[str, str], Cell]
    statements: list[Statement]
    inferred_sides: frozenset[str] = frozenset()  # ids of sides found from the text, not the manifest

    @property
    def inferred_issues(self) -> bool:
        return any(i.inferred for i in self.issues)

    def cells(self, issue: str | None = None, side: str | None = None) -> list[Cell]:
        out = []
        for iss in self.issues:
            if issue and not _matches(issue, iss.id, iss.label):
                continue
            for side_id, side_label in self.sides:
                if side and not _matches(side, side_id, side_label):
                    continue
                out.append(self.grid[(iss.id, side_id)])
        return out


def _matches(wanted: str, *names: str) -> bool:
    w = wanted.casefold()
    return any(w == n.casefold() or (len(w) >= 3 and w in n.casefold()) for n in names)


# ---- who speaks ---------------------------------------------------------------------------------

class _Looked(dict[str, tuple[str, str | None]]):
    """The people table, noting every key looked up in it while `log` is set: what one article's
    reported speech depended on, so that a change to other entries leaves it as it was."""

    log: set[str] | None = None

    def __contains__(self, key: object) -> bool:
        if self.log is not None and isinstance(key, str):
            self.log.add(key)
        return dict.__contains__(self, key)

    def __getitem__(self, key: str) -> tuple[str, str | None]:
        if self.log is not None:
            self.log.add(key)
        return dict.__getitem__(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        if self.log is not None:
            self.log.add(key)
        return dict.get(self, key, default)


class _Speakers:
    """Surface forms → (canonical name, side), from the quote analysis and the manifest."""

    def __init__(self, manifest: Manifest, speakers: Iterable[Any]):
        self.people: _Looked = _Looked()
        for sp in speakers:
            for alias in {sp.name, *getattr(sp, "aliases", ())}:
                self.people[alias.casefold()] = (sp.name, sp.side)
                surname = alias.split()[-1]
                if len(surname) > 2 and surname[0].isupper():
                    self.people.setdefault(surname.casefold(), (sp.name, sp.side))
        for name, side in manifest.people.items():
            self.people.setdefault(name.casefold(), (name, side))
            self.people.setdefault(name.split()[-1].casefold(), (name, side))
        cues: list[tuple[str, str]] = []
        for each in manifest.sides:
            for cue in each.cues:
                cues.append((cue, each.id))
        cues.sort(key=lambda c: -len(c[0]))  # "White House" before "White"
        self.cues = cues
        alternatives = "|".join(re.escape(c) for c, _ in cues) or r"(?!x)x"
        # An institution speaking: "Moscow says", "the Kremlin denies", "The U.S. and its allies reject".
        inst = rf"(?:the\s+)?(?:{alternatives})"
        role = r"(?:\s+(?:and\s+(?:its|their)\s+(?:European\s+)?allies|military|government|delegation|side|officials|diplomats|envoy|leadership))?"
        self.institution_tail = re.compile(
            rf"(?:^|(?<=[\s,(]))(?P<a>{inst}){role}(?:\s+and\s+(?P<b>{inst}){role})?\s*(?:,[^,]{{0,60}},\s*)?$"
        )

    def person(self, words: str) -> tuple[str, str | None] | None:
        key = words.casefold()
        if key in self.people:
            return self.people[key]
        last = key.split()[-1] if key.split() else key
        found: tuple[str, str | None] | None = self.people.get(last)
        return found

    def side_of_words(self, words: str) -> str | None:
        for cue, side in self.cues:
            if re.search(rf"(?<![\w.]){re.escape(cue)}(?![\w])", words, re.IGNORECASE if not cue.isupper() else 0):
                return side
        return None


_NAME_NEAR_END = re.compile(r"((?:[A-Z][\w’'\-]+\.?\s+){0,3}[A-Z][\w’'\-]+)\s*(?:,[^,]{0,80},\s*)?$")
_JOINT = re.compile(r"\band\s*$")


_EMBEDDING = re.compile(r"\b(?:whether|if|about|how|why|what|when|that|than|unless)\s*$", re.IGNORECASE)


_Person = tuple[str, str | None]  # (name, side id)


def _subject(prefix: str, speakers: _Speakers, last_person: _Person | None) -> tuple[list[_Person], int]:
    """The speakers of a verb, from the words just before it in the same clause: a list of
    (name, side) and where the subject starts in `prefix`; empty when nobody can be named
    without guessing."""
    tail = prefix.rstrip()
    words = tail.split()
    if not words:
        return [], 0
    last_word = words[-1].strip(",")
    if _PRONOUN.match(last_word) and len(words) <= 6:
        if last_word.lower() == "they" or last_person is None:
            return [], 0  # "they" is too often the other side
        return [last_person], tail.rfind(last_word)
    m = _NAME_NEAR_END.search(tail)
    if m:
        person = speakers.person(m.group(1))
        if person:
            if _JOINT.search(tail[: m.start()]) or _EMBEDDING.search(tail[: m.start()]):
                return [], 0  # "Biden and Putin agreed", "whether Sherman agreed": nobody's position
            return [person], m.start()
    m = speakers.institution_tail.search(tail)
    if m and not _EMBEDDING.search(tail[: m.start()]):
        found = [(_institution_name(m.group("a")), speakers.side_of_words(m.group("a")))]
        if m.group("b"):
            found.append((_institution_name(m.group("b")), speakers.side_of_words(m.group("b"))))
        return [f for f in found if f[1]], m.start()
    return [], 0


_NEGATION = re.compile(r"\b(?:not|never)\b|n[’']t\b", re.IGNORECASE)


def _unspoken(verb: str) -> bool:
    """Whether a reporting verb is denied ("has not explained", "did not say", "never commented"):
    its subject is said not to have spoken, so holds nothing by it. A stance verb denied still
    states a position ("does not want", "has not ruled out")."""
    if not _NEGATION.search(verb):
        return False
    low = verb.lower()
    if any(low.endswith(form.lower()) for form in STANCE_VERB_FORMS):
        return False
    return any(low.endswith(form.lower()) for form in SPEECH_VERB_FORMS)  # not "is not prepared"


_QUOTE_MARK = re.compile("[\"“”]")
_AFTER_COMMA = re.compile(r",\s*(?:also\s+|however,\s+)?$")


def _leading_subject(sentence: str, speakers: _Speakers, last_person: _Person | None) -> tuple[list[_Person], int]:
    """The subject of a whole sentence, for participles: "X met Y on Tuesday, saying …"."""
    for vm in re.finditer(r"\s(?=[a-z])", sentence):  # the first lower-case word ends the subject
        return _subject(sentence[: vm.start()], speakers, last_person)
    return [], 0


def _institution_name(word: str) -> str:
    return word if word[:1].isupper() else word.title()


def reported_statements(article: Article, speakers: _Speakers,
                        quote_spans: dict[tuple[str, int], list[tuple[int, int]]] | None = None) -> list[Statement]:
    """Sentences in which a named person, a pronoun for one, or an institution reports a view."""
    out: list[Statement] = []
    last_person: _Person | None = None
    quote_spans = quote_spans or {}
    for p in article.paragraphs:
        if p.kind != "text":
            continue
        text = p.text
        quoted = quote_spans.get((article.id, p.n), [])
        for s_start, s_end in sentence_spans(text):
            sentence = text[s_start:s_end]
            verbs = _verbs(sentence)
            resume = 0  # after a statement cut short by another side's clause: where that clause begins
            for i, vm in enumerate(verbs):
                if vm.start() < resume:
                    continue
                prefix = sentence[: vm.start()]
                clause_start = 0
                for br in _CLAUSE_BREAK.finditer(prefix):
                    clause_start = br.end()
                if vm.group(0).lower().endswith("ing") and _AFTER_COMMA.search(prefix):
                    found, at = _leading_subject(sentence, speakers, last_person)
                    clause_start = 0
                else:
                    found, at = _subject(prefix[clause_start:], speakers, last_person)
                if not found:
                    continue
                subject_at = s_start + clause_start + at
                if any(qs <= subject_at < qe for qs, qe in quoted):
                    continue  # speech reported inside a quotation belongs to the quote's speaker
                if _unspoken(vm.group(0)):
                    continue  # "the utility had not explained where …": what it is said not to have said
                for name, side in found:
                    if name and name.casefold() in speakers.people:
                        last_person = (name, side)
                start = s_start + clause_start + (len(prefix[clause_start:]) - len(prefix[clause_start:].lstrip()))
                lead_in = text[start:subject_at]
                if not _QUOTE_MARK.search(lead_in) and len(sentence[vm.end():].split()) >= 3:
                    # "In 2019, after …, Washington said …": the statement begins with its clause
                    cut = max(lead_in.rfind(","), lead_in.rfind(";"), lead_in.rfind("—"))
                    if cut >= 0:
                        start += cut + 1 + (len(lead_in[cut + 1:]) - len(lead_in[cut + 1:].lstrip()))
                    if len(text[start:subject_at].split()) >= 6:
                        start = subject_at
                end = s_end
                sides = {side for _, side in found}
                # Stop before a later clause in which someone of another side speaks.
                for later in verbs[i + 1:]:
                    comma = max(sentence.rfind(",", 0, later.start()), sentence.rfind(";", 0, later.start()))
                    if comma <= vm.end():
                        continue
                    other, _ = _subject(sentence[comma + 1: later.start()], speakers, None)
                    if other and {s for _, s in other} != sides:
                        end = s_start + comma
                        break
                # A sentence that is mostly a direct quote is already a statement (the quote's).
                inside = sum(max(0, min(e, s_end) - max(qs, s_start)) for qs, e in quoted)
                if inside >= 0.5 * (s_end - s_start):
                    break
                for name, side in found:
                    out.append(Statement(text[start:end].strip().rstrip(",;:"), name, side or UNKNOWN_SIDE, article.id, p.n,
                                         start, end, "reported", article.outlet))
                if end < s_end:  # "X said …, and Y said …": Y's clause is a statement of its own
                    resume = end - s_start + 1
                    continue
                break  # one statement per sentence
            # A named person anywhere in the sentence becomes the referent for a later "he"/"she".
            for m in re.finditer(r"[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)*", sentence):
                person = speakers.person(m.group(0))
                if person and m.group(0).casefold() in speakers.people:
                    last_person = person
    return out


# ---- issues -------------------------------------------------------------------------------------

def assign_issues(statements: list[Statement], issues: list[Issue]) -> None:
    """Run each issue's Whoosh query over the statements (a small in-memory index)."""
    if not issues or not statements:
        return
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import NUMERIC, TEXT, Schema
    from whoosh.qparser import QueryParser

    from briefing.index.search.passages import memory_storage
    from briefing.index.text import fold_for_search

    schema = Schema(i=NUMERIC(stored=True), text=TEXT(analyzer=StemmingAnalyzer(minsize=1, stoplist=None)))
    # Whoosh's stock RamStorage puts its writer's scratch files in $TMPDIR/MAIN.tmp, one path for
    # every process: two briefings analysed at once removed each other's files.
    ix = memory_storage().create_index(schema)
    with ix.writer() as w:
        for i, st in enumerate(statements):
            w.add_document(i=i, text=fold_for_search(st.text))
    parser = QueryParser("text", schema)
    with ix.searcher() as s:
        for issue in issues:
            try:
                q = parser.parse(fold_for_search(issue.query))
            except Exception:  # noqa: BLE001 - a bad manifest query selects nothing
                continue
            for hit in s.search(q, limit=None):
                statements[hit["i"]].issues.append(issue.id)


# ---- the matrix ---------------------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset("the a an of to and in on that it is was be for with as by at this its from their they he she we not would will".split())


def _content(text: str) -> frozenset[str]:
    return frozenset(w[:6] for w in _WORD.findall(text.lower()) if w not in _STOP)


def _cluster(statements: list[Statement], outlets_of_group: dict[str, set[str]],
             content_of: dict[int, frozenset[str]] | None = None) -> list[Statement]:
    """One entry per utterance: quote groups first, then near-identical reported sentences.

    Near-identical means a word-set Jaccard of at least one half with a cluster of another source.
    Candidates come from prefix filtering (Bayardo et al., "Scaling up all pairs similarity
    search"): with the words of every set in one global order, rarest first, two sets of Jaccard
    >= 1/2 share a word among the first len - ceil(len/2) + 1 of each. Only those prefix words
    are indexed and probed, so the result is the same as comparing with every cluster, without
    the n² work.
    """
    if content_of is None:
        content_of = {}
    contents = []
    for st in statements:  # a statement under several issues is read once
        words = content_of.get(id(st))
        if words is None:
            words = content_of[id(st)] = _content(st.text)
        contents.append(words)
    freq: dict[str, int] = {}
    for words in contents:
        for w in words:
            freq[w] = freq.get(w, 0) + 1

    # the global order, rarest first (then by spelling), as one number per word: each set is
    # sorted by it with a key read in C
    rank = {w: r for r, w in enumerate(sorted(freq, key=lambda w: (freq[w], w)))}

    def prefix(words: frozenset[str]) -> list[str]:
        ordered = sorted(words, key=rank.__getitem__)
        return ordered[: len(words) - math.ceil(len(words) / 2) + 1]

    clusters: list[tuple[Statement, set[str], frozenset[str]]] = []
    by_group: dict[str, int] = {}
    # Listed by the source of the cluster's representative: a cluster of the statement's own source
    # is never joined, and one long article saying "No" ten thousand times would otherwise make every
    # statement probe every earlier one.
    postings: dict[str, dict[str, list[int]]] = {}
    # and all of a word's clusters in one list: a word listed under thousands of articles is read
    # in one C call where the statement's own article holds few of them (those few are skipped
    # when compared)
    listed_all: dict[str, list[int]] = {}
    indexed: list[set[str]] = []  # prefix words each cluster is listed under

    def index_prefix(idx: int, words: frozenset[str]) -> None:
        source = clusters[idx][0].source
        for w in prefix(words):
            if w not in indexed[idx]:
                indexed[idx].add(w)
                postings.setdefault(w, {}).setdefault(source, []).append(idx)
                listed_all.setdefault(w, []).append(idx)

    def move(idx: int, old: str, new: str) -> None:
        for w in indexed[idx]:
            by_source = postings[w]
            by_source[old].remove(idx)
            if not by_source[old]:
                del by_source[old]
            by_source.setdefault(new, []).append(idx)

    sizes: list[int] = []  # each cluster's number of words, read for every candidate
    for st, words in zip(statements, contents):
        idx = by_group.get(st.group) if st.group else None
        if idx is None and words:
            n = len(words)
            found: set[int] = set()
            for w in prefix(words):
                by_source = postings.get(w)
                if not by_source:
                    continue
                own = by_source.get(st.source)
                if own is None or 4 * len(own) < len(listed_all[w]):
                    found.update(listed_all[w])
                    continue
                for source, listed in by_source.items():
                    if source != st.source:
                        found.update(listed)
            # a Jaccard of 1/2 needs sizes within a factor of two: the others are never compared
            low, high = (n + 1) // 2, 2 * n
            for i in sorted([i for i in found if low <= sizes[i] <= high]):
                rep, _, rep_words = clusters[i]
                if rep.source == st.source:
                    continue
                inter = len(words & rep_words)
                if 2 * inter >= n + sizes[i] - inter:
                    idx = i
                    break
        outlets = set(outlets_of_group.get(st.group, set())) if st.group else set()
        outlets.add(st.outlet or st.source)
        if idx is None:
            clusters.append((st, outlets, words))
            sizes.append(len(words))
            indexed.append(set())
            index_prefix(len(clusters) - 1, words)
            if st.group:
                by_group[st.group] = len(clusters) - 1
        else:
            rep, seen, rep_words = clusters[idx]
            seen |= outlets
            # the fuller version (a quote over a paraphrase, then the longer text) represents the utterance
            if (st.kind == "quote", len(st.text)) > (rep.kind == "quote", len(rep.text)):
                clusters[idx] = (st, seen, rep_words | words)
                sizes[idx] = len(clusters[idx][2])
                if st.source != rep.source:
                    move(idx, rep.source, st.source)
                index_prefix(idx, rep_words | words)
            if st.group:
                by_group[st.group] = idx
    out = []
    for rep, outlets, _ in clusters:
        out.append(_with_outlets(rep, sorted(outlets)))
    kind_rank = {"quote": 0, "reported": 1, "fragment": 2}
    out.sort(key=lambda s: (-len(s.outlets), kind_rank.get(s.kind, 3), s.source, s.paragraph, s.start))
    return out


def _with_outlets(st: Statement, outlets: list[str]) -> Statement:
    """`dataclasses.replace(st, outlets=outlets)` (its issues list shared, as replace shares it),
    without replace's generic field walk: every cell's representatives are copied so."""
    return Statement(st.text, st.speaker, st.side, st.source, st.paragraph, st.start, st.end, st.kind, st.outlet,
                     st.group, outlets, st.issues)


def _cell_digest(statements: list[Statement], outlets_of_group: dict[str, set[str]],
                 sorted_outlets: dict[str, list[str]] | None = None) -> bytes:
    """Everything `_cluster` reads of a cell's statements, as a digest (one repr of them all;
    `sorted_outlets` keeps each group's outlets sorted once for every cell)."""
    if sorted_outlets is None:
        sorted_outlets = {}
    fields = []
    for st in statements:
        outlets = None
        if st.group:
            outlets = sorted_outlets.get(st.group)
            if outlets is None:
                outlets = sorted_outlets[st.group] = sorted(outlets_of_group.get(st.group, ()))
        fields.append((st.text, st.kind, st.source, st.paragraph, st.start, st.group, st.outlet, outlets))
    # marshal's first version writes plain values by value alone (no references, no interning
    # flags), so equal fields give equal bytes; a third of repr's time, for every cell of every
    # analysis
    return hashlib.sha1(marshal.dumps(fields, 0)).digest()


def _clustered(statements: list[Statement], outlets_of_group: dict[str, set[str]],
               content_of: dict[int, frozenset[str]]) -> tuple[list[Statement], list[tuple[int, list[str]]]]:
    """`_cluster`, and its result as the memo keeps it: each representative's position among the
    statements, with its outlets (the representatives are copies: found again by what makes a
    statement itself)."""
    out = _cluster(statements, outlets_of_group, content_of)
    by_fields: dict[tuple[Any, ...], list[int]] = {}
    for i, st in enumerate(statements):
        by_fields.setdefault((st.text, st.speaker, st.kind, st.source, st.paragraph, st.start, st.end), []).append(i)
    known = []
    taken: set[int] = set()
    for rep in out:
        i = next(i for i in by_fields[(rep.text, rep.speaker, rep.kind, rep.source, rep.paragraph, rep.start, rep.end)]
                 if i not in taken)
        taken.add(i)
        known.append((i, list(rep.outlets)))
    return out, known


def _cluster_again(statements: list[Statement], outlets_of_group: dict[str, set[str]], content_of: dict[int, frozenset[str]],
                   previous: dict[bytes, list[tuple[int, list[str]]]] | None,
                   keep: dict[bytes, list[tuple[int, list[str]]]],
                   sorted_outlets: dict[str, list[str]] | None = None) -> list[Statement]:
    """`_cluster`, or what it gave for the same statements last time (as their positions)."""
    digest = _cell_digest(statements, outlets_of_group, sorted_outlets)
    known = previous.get(digest) if previous is not None else None
    if known is None:
        out, keep[digest] = _clustered(statements, outlets_of_group, content_of)
        return out
    keep[digest] = known
    return [_with_outlets(statements[i], list(outlets)) for i, outlets in known]


_Known = list[tuple[int, list[str]]]  # a cell's clustering as the memo keeps it
# Statements to cluster anew below which the cells are clustered here (about a second of work:
# a pool's start is not worth it).
PARALLEL_CELL_STATEMENTS = 10_000


def cluster_cells(cells: list[list[Statement]], outlets_of_group: dict[str, set[str]],
                  content_of: dict[int, frozenset[str]], previous: dict[bytes, _Known] | None,
                  keep: dict[bytes, _Known], sorted_outlets: dict[str, list[str]] | None = None) -> list[list[Statement]]:
    """`[_cluster_again(members, outlets_of_group, content_of, previous, keep, sorted_outlets)
    for members in cells]`: the same representatives, the same memo in `keep`.

    At 10,000 articles five of the matrix's thirty-five cells hold ~60,000 statements and take a
    second or two each, one after another while a core idles. The cells are independent: those
    no earlier analysis clustered go to forked workers, the largest first, each handed back as
    the memo keeps it (its representatives' positions among its statements, with their
    outlets), which is what a cell found in the memo is rebuilt from."""
    if sorted_outlets is None:
        sorted_outlets = {}
    digests = [_cell_digest(members, outlets_of_group, sorted_outlets) for members in cells]
    fresh = [k for k, digest in enumerate(digests) if previous is None or digest not in previous]
    weights = [len(cells[k]) for k in fresh]

    def clustered(k: int) -> _Known:
        """One cell's clustering, as the memo keeps it (in a worker)."""
        return _clustered(cells[k], outlets_of_group, {})[1]

    found: dict[int, _Known] = {}
    if spreads(weights, PARALLEL_CELL_STATEMENTS):
        found = dict(zip(fresh, heaviest_first(clustered, fresh, weights, PARALLEL_CELL_STATEMENTS)))
    out: list[list[Statement]] = []
    for k, members in enumerate(cells):
        known: _Known | None = found.get(k)
        if known is None and previous is not None:
            known = previous.get(digests[k])
        if known is None:  # (here, as it always was: the work was too small to fork)
            representatives, keep[digests[k]] = _clustered(members, outlets_of_group, content_of)
            out.append(representatives)
            continue
        keep[digests[k]] = known
        out.append([_with_outlets(members[i], list(outlets)) for i, outlets in known])
    return out


_Fields = tuple[str, "str | None", str, str, int, int, int]  # text, speaker, side, source, paragraph, start, end


@dataclass(slots=True)
class _ReportedMemo:
    sha: str | None
    spans: tuple[tuple[int, int, int], ...]  # the article's quotation spans its reported speech steps around
    looked: bytes  # stable keys of the people-table entries it looked up (groups.pack_keys)
    statements: list[_Fields]


@dataclass(slots=True)
class PositionState:
    """What build_positions leaves for the next analysis: each article's reported speech and
    what it was read against."""

    cues: tuple[tuple[str, str], ...]
    people: dict[str, tuple[str, str | None]]
    reported: dict[str, _ReportedMemo]
    # each cell's utterances (positions of their representatives, outlets) by a digest of the
    # cell's statements: a cell no change reached is not clustered again
    cells: dict[bytes, list[tuple[int, list[str]]]] = field(default_factory=dict)
    # the discovered issues each statement text is under (briefing.index.issues.Discovery.assign)
    assigned: dict[Any, Any] = field(default_factory=dict)
    # the key phrases of the statements discovery read (briefing.index.issues.KeysMemo)
    phrases: dict[Any, Any] = field(default_factory=dict)


_key = text_key


def build_positions(articles: Iterable[Article], manifest: Manifest, quotes: Any, discover: bool = False,
                    previous: PositionState | None = None, keep: list[PositionState] | None = None) -> Positions:
    """The issue × side matrix. `quotes` is the QuoteAnalysis of the same articles. With
    `discover`, a manifest that names no issue gets issues discovered from the statements
    (briefing.index.issues); else every statement is under "All statements".

    `previous`, what an earlier call left in `keep`, gives each article's reported speech again
    when the article, its quotations and the names and cues it was read against are the same."""
    speakers = _Speakers(manifest, getattr(quotes, "speakers", ()))
    outlet_of = {a.id: a.outlet or a.id for a in articles}
    statements: list[Statement] = []
    quote_spans: dict[tuple[str, int], list[tuple[int, int]]] = {}
    spans_of: dict[str, list[tuple[int, int, int]]] = {}
    for q in getattr(quotes, "quotes", ()):
        if not q.side and not q.speaker:
            continue  # nobody's position
        kind = "fragment" if q.kind == "fragment" else "quote"
        statements.append(Statement(q.text, q.speaker, q.side or UNKNOWN_SIDE, q.source, q.paragraph, q.start, q.end, kind,
                                    outlet_of.get(q.source), q.group))
        quote_spans.setdefault((q.source, q.paragraph), []).append((q.start, q.end))
        spans_of.setdefault(q.source, []).append((q.paragraph, q.start, q.end))
    people = dict(speakers.people)
    if previous is not None and previous.cues != tuple(speakers.cues):
        previous = None  # other cue words read every institution's speech differently
    changed: set[int] = set()
    if previous is not None:
        before = previous.people
        changed = {_key(k) for k in people.keys() | before.keys() if people.get(k) != before.get(k)}
    memos: dict[str, _ReportedMemo] = {}
    listed: list[Article] = []
    again: list[str] = []
    for article in articles:  # (no body is read in this pass)
        listed.append(article)
        spans = tuple(sorted(spans_of.get(article.id, ())))
        memo = previous.reported.get(article.id) if previous is not None else None
        if (memo is None or not memo.sha or memo.sha != getattr(article, "sha256", None) or memo.spans != spans
                or meets(changed, memo.looked)):
            again.append(article.id)
            memo = _ReportedMemo(getattr(article, "sha256", None), spans, b"", [])
        memos[article.id] = memo

    def read(article: Article) -> tuple[list[_Fields], bytes]:
        """One article's reported speech and the people-table keys it looked up (in a worker)."""
        looked: set[str] = set()
        speakers.people.log = looked
        try:
            found = reported_statements(article, speakers, quote_spans)
        finally:
            speakers.people.log = None
        return ([(st.text, st.speaker, st.side, st.source, st.paragraph, st.start, st.end) for st in found],
                pack_keys(_key(k) for k in looked))

    wanted = set(again)
    bodies = (plain_article(a) for a in articles if a.id in wanted)
    for aid, (fields, looked) in zip(again, ordered_map(read, bodies, len(again)), strict=True):
        memos[aid].statements, memos[aid].looked = fields, looked
    for article in listed:
        outlet = article.outlet
        statements.extend(Statement(*fields, "reported", outlet) for fields in memos[article.id].statements)
    # A fragment inside a reported sentence of the same side is evidence for that sentence, not a position.
    reported: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for s in statements:
        if s.kind == "reported":
            reported.setdefault((s.source, s.paragraph), []).append((s.start, s.end))
    statements = [
        s for s in statements
        if s.kind != "fragment" or not any(a <= s.start and s.end <= b for a, b in reported.get((s.source, s.paragraph), ()))
    ]

    for st in statements:
        if not st.side:
            st.side = UNKNOWN_SIDE  # a named speaker whose side nothing in the text gives

    issues = list(manifest.issues)
    assigned: dict[Any, Any] = {}
    phrases: dict[Any, Any] = {}
    if issues:
        assign_issues(statements, issues)
    elif discover and statements:
        from briefing.index.issues import Discovery

        discovery = Discovery(statements, [c for side in manifest.sides for c in side.cues] + [
            n for sp in getattr(quotes, "speakers", ()) for n in (sp.name, *sp.aliases)
        ], previous=getattr(previous, "phrases", None), keep=phrases)
        issues = discovery.issues()
        for st, ids in zip(statements, discovery.assign(issues, getattr(previous, "assigned", None), assigned)):
            st.issues.extend(ids)
    issues = issues + [OTHER] if issues else [ALL]
    for st in statements:
        if not st.issues:
            st.issues.append(issues[-1].id)

    sides = [(s.id, s.label) for s in manifest.sides]
    if any(st.side == UNKNOWN_SIDE for st in statements) or not sides:
        sides.append((UNKNOWN_SIDE, "Side unknown"))
    outlets_of_group: dict[str, set[str]] = {}
    for q in getattr(quotes, "quotes", ()):
        if q.group:
            outlets_of_group.setdefault(q.group, set()).add(outlet_of.get(q.source, q.source))

    grid: dict[tuple[str, str], Cell] = {}
    cells: dict[bytes, list[tuple[int, list[str]]]] = {}
    content_of: dict[int, frozenset[str]] = {}
    by_cell: dict[tuple[str, str], list[Statement]] = {}
    sorted_outlets: dict[str, list[str]] = {}
    for st in statements:
        for issue_id in st.issues:
            by_cell.setdefault((issue_id, st.side), []).append(st)
    places = [(issue, side_id, side_label) for issue in issues for side_id, side_label in sides]
    clustered = cluster_cells([by_cell.get((issue.id, side_id), []) for issue, side_id, _ in places], outlets_of_group,
                              content_of, previous.cells if previous is not None else None, cells, sorted_outlets)
    for (issue, side_id, side_label), representatives in zip(places, clustered):
        grid[(issue.id, side_id)] = Cell(issue.id, issue.label, side_id, side_label, representatives)
    inferred = frozenset(s.id for s in manifest.sides if s.inferred)
    if keep is not None:
        keep.append(PositionState(tuple(speakers.cues), people, memos, cells, assigned, phrases))
    return Positions(issues, sides, grid, statements, inferred)
