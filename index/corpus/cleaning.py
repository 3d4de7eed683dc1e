"""Turn text pasted from the web into an Article: header facts, body paragraphs, no furniture.

Everything here is a general rule about how news pages look once copied as plain text
(sign-up prompts, comment forms, counters, repeated headlines, photo captions, date lines).
Nothing refers to a particular file or line number.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from briefing.index.corpus.outlets import outlets
from briefing.index.model import Article, paragraph_list
from briefing.index.text import sanitize


@dataclass(slots=True)
class Document:
    """A text to clean, and what its format said about it (HTML metadata, a feed entry, Markdown
    front matter). What is said here fills what the manifest leaves out, before what the text's
    own lines suggest. `key` tells a feed's entries apart (the article id is `stem-key`)."""

    text: str
    title: str | None = None
    byline: str | None = None
    outlet: str | None = None
    date: str | None = None
    key: str | None = None
    captions: list[str] = field(default_factory=list)

# Web furniture, whole lines that belong to the page, not to the report: lines that begin as
# one of these (and end as it says) ...
_FURNITURE_START = r"""
    sign\ (?:up|in)\b.* | already\ a\ (?:member|subscriber)\b.* |
    start\ reading | read\ more\b.* | continue\ reading\b.* | subscribe\b.* |
    get\ all\ your\ news\b.* | one\ app\b.* | download\ (?:the|our)\ app\b.* | get\ the\ app\b.* |
    free\ trial\b.* | related\ (?:stories|articles|content|news)\b.* | top\ stories\b.* | our\ picks |
    more\ (?:stories|from)\b.* | recommended(?:\ for\ you)?\b.* | most\ (?:read|popular)\b.* |
    read\ news\ from\b.* | leave\ a\ (?:reply|comment)\b.* | required\ fields\ are\ marked\b.* |
    (?:post\ )?comment\s*\*?:? | name\s*\*:? | email\s*\*:? |
    website:? | save\ my\ name,?\ email\b.* | post\ comment | cancel\ reply |
    newspapers\ in\ \w+ | newspapers\ from\ .* | printed\ and\ distributed\ by\b.* |
    share\ (?:this|on)\b.* | follow\ us\b.* | advertisement | advert | sponsored(?:\ content)? |
    (?:click|tap)\ here\b.* | listen\ to\ (?:this|the)\ article\b.* | \d+\ min(?:ute)?s?\ read |
    image\ (?:source|caption)\b.* | copyright\ \d{4}\b.* | all\ rights\ reserved\.? |
    newsletter\b.* | sign\ up\ for\b.* | (?:log|sign)\ ?in | register
"""
# ... and lines with one of these words anywhere (ending the line where it says so)
_FURNITURE_WORDS = r"""
    \bsign\ in\ here\.?$ | \bpremium\ titles\.?$ | \btrusted\ global\ sources\.?$ |
    \b(?:days?|weeks?|months?)\ free\.?$ | \bsubscription\ that\ gives\ you\b.* |
    \byour\ email\ address\ will\ not\ be\ published\b.*
"""
_FLAGS = re.IGNORECASE | re.VERBOSE
_FURNITURE = re.compile(rf"^(?:{_FURNITURE_START} | .*(?:{_FURNITURE_WORDS}))$", _FLAGS)
# The same, in the two parts _is_furniture asks: "^.*" before the words tries every end of a line
# before it fails (a paragraph of report took ~40 µs), so those words are searched for first,
# which fails at once on a line of report.
_FURNITURE_AT_START = re.compile(rf"(?:{_FURNITURE_START})$", _FLAGS)
_FURNITURE_HINT = re.compile(_FURNITURE_WORDS, _FLAGS)
_FURNITURE_ANYWHERE = re.compile(rf".*(?:{_FURNITURE_WORDS})$", _FLAGS)

# After one of these, the rest of the page is comment form, paywall or link lists.
_END_OF_REPORT = re.compile(
    r"^(?:leave\ a\ (?:reply|comment)|sign\ up\ to\ read\b|related\ (?:stories|articles)|"
    r"newspapers\ in\ \w+|comments?\ \(\d+\)|you\ may\ also\ like)",
    re.IGNORECASE | re.VERBOSE,
)

_COUNTER = re.compile(r"^[\d.,]{1,6}$")
_RULE = re.compile(r"^[\s_\-=*~#•·.]{3,}$")
_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE_IN_LINE = re.compile(
    rf"(?:{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTHS}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})",
    re.IGNORECASE,
)
_DATE_LINE = re.compile(
    r"^(?:(?:originally\ )?(?:published|updated|republished|posted|original\ publication\ date)\b|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day\b)",
    re.IGNORECASE | re.VERBOSE,
)
_BYLINE = re.compile(r"^[-–—•\s]*by\s+(?P<names>[^\d].{2,80})$", re.IGNORECASE)
_NAME = r"[A-Z][a-zA-Z'’\-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-zA-Z'’\-]+){1,2}"
_NAME_LIST = re.compile(rf"^{_NAME}(?:(?:,\s*|\s+and\s+){_NAME})*$")
_CAPTION_CREDIT = re.compile(
    r"\((?:[^()]*\b(?:photo|pool|via|getty|afp|reuters|ap|file|epa|images?|credit)\b[^()]*)\)\s*$",
    re.IGNORECASE,
)
_CAPTION_POSITION = re.compile(r",\s*(?:center|centre|left|right|second (?:left|right)|top|bottom),", re.I)
_DATELINE = re.compile(
    r"^(?P<dateline>(?:[A-Z][A-Z .,'’\-]{1,40}?(?:,\s*[A-Z][a-z]+\.?\s*\d{0,2})?\s*)?\((?P<agency>[A-Za-z .&\-]{2,30})\)\s*[—–-]+)\s*"
)
# A wire report signed at its end: "— The Associated Press", "-- Reuters" (the name must be an
# agency of index/data/outlets.toml: an em dash before a name is also how quotes are attributed).
_SIGN_OFF = re.compile(r"^(?:[—–]|-{1,2})\s*(?P<name>[A-Za-z][A-Za-z .&\-]{1,40}?)\.?$")
# "Copyright 2022 The Harbour Gazette. All rights reserved." / "(c) 2021, Some Outlet"
# The word alone needs a year after it ("Copyright law was changed" is a sentence, not a notice).
_COPYRIGHT_LEAD = re.compile(
    r"^(?:(?:copyright\s*)?(?:©|\(c\))\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?|copyright\s+\d{4}(?:\s*[-–]\s*\d{4})?)\s*,?\s*"
    r"(?P<owner>[A-Z][^©\d]{2,60}?)[.,]?(?:\s*all rights reserved\.?)?\s*$",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"©\s*(?:copyright\s*)?(?:\d{4}\s+)?(?P<owner>[^,©\d]{3,60}?)(?:,?\s*\d{4})?\.?\s*$", re.I)
_CREDIT_LINE = re.compile(r"\b(?:contributed(?: to this (?:report|story))?|reporting by|editing by|writing by)\b.*$", re.I)
_MEDIA_WORD = outlets().media_word  # words of publication names: index/data/outlets.toml
_SENTENCE_END = re.compile(r"[.!?…][\"”’'“)\]]*$|[\"”“]$")
_ORPHAN_WORD = re.compile(r"(?<=[.!?”\"])([A-Z][a-z]{1,12})$")  # a page-jump remnant: "week.With"

def _words(line: str) -> int:
    return len(line.split())


def _is_prose(line: str) -> bool:
    """A sentence of report: long enough and ending like a sentence."""
    return _words(line) >= 12 and bool(_SENTENCE_END.search(line))


def _is_caption(line: str) -> bool:
    return bool(_CAPTION_CREDIT.search(line)) or (
        bool(_CAPTION_POSITION.search(line)) and bool(re.search(r"\b(?:arrives?|attends?|speaks?|walks?|looks? on|gestures?|poses?)\b", line))
    )


def _is_furniture(line: str) -> bool:
    if _FURNITURE_AT_START.match(line) or (_FURNITURE_HINT.search(line) and _FURNITURE_ANYWHERE.match(line)):
        return True
    return bool(_COUNTER.match(line)) or bool(_RULE.match(line))


def _lines(text: str) -> Iterator[str]:
    """The lines of `text` (split at "\n" only), one at a time. Neither text.split(), two million
    lines being ~100 MB as a list, nor io.StringIO, which copies the text at four bytes a character."""
    at = 0
    while at < len(text):
        end = text.find("\n", at)
        if end < 0:
            yield text[at:]
            return
        yield text[at:end]
        at = end + 1


def _join_lines(text: str) -> Iterator[str]:
    """Blocks of text, one at a time: blank lines always separate; a single newline separates
    too, unless the line was hard-wrapped mid-sentence (no sentence end, next line starts in lower
    case). A generator: a million-paragraph paste is a million blocks (~70 MB as a list)."""
    current: list[str] = []
    for raw in _lines(text):
        line = " ".join(raw.split())  # collapse runs of spaces and tabs
        if not line:
            if current:
                yield " ".join(current)
                current = []
            continue
        if current:
            prev = current[-1]
            wrapped = not _SENTENCE_END.search(prev) and (line[0].islower() or prev.endswith((",", ";", "-")))
            if not wrapped:
                yield " ".join(current)
                current = []
        current.append(line)
    if current:
        yield " ".join(current)


def _normal_title(line: str) -> str:
    return re.sub(r"\W+", " ", line).strip().casefold()


def _copyright_owner(line: str) -> str | None:
    """The owner a copyright line names ("Copyright 2022 The Gazette. All rights reserved.")."""
    m = _COPYRIGHT_LEAD.match(line)
    if not m or _words(line) > 14:
        return None
    owner = m.group("owner").strip(" .,")
    return owner if owner and owner.casefold() not in {"all rights reserved"} else None


def _report_blocks(text: str) -> Iterator[str]:
    """The blocks of the report: it ends where the page's comment form, paywall or link lists begin."""
    for i, block in enumerate(_join_lines(text)):
        if i > 0 and _END_OF_REPORT.match(block):
            return
        yield block


def _header_and_body(blocks: Iterator[str]) -> tuple[list[str], Iterator[str]]:
    """The header's blocks (before the first sentence of report) and the body's, still to be read.
    Only a paste without any such sentence is read whole here, to find where its title ends."""
    seen: list[str] = []
    for block in blocks:
        if _is_prose(block) and not _is_caption(block) and not _is_furniture(block):
            return seen, itertools.chain((block,), blocks)
        seen.append(block)
    # no long sentence at all: treat the first line as title, the rest as body
    lead = 1 if len(seen) > 1 and not _SENTENCE_END.search(seen[0]) else 0
    return seen[:lead], iter(seen[lead:])


@dataclass(slots=True)
class _BodyFacts:
    """What the body's blocks say besides its paragraphs, gathered as they are read."""

    outlet: str | None
    captions: list[str]
    credits: list[str] = field(default_factory=list)
    first: str | None = None  # the first paragraph, before any cut into passages


def _body_paragraphs(blocks: Iterator[str], seen_titles: set[str], facts: _BodyFacts) -> Iterator[tuple[str, str]]:
    """(text, kind) of the body's paragraphs, one at a time. A paragraph is given once the next
    text paragraph is read: the last one loses a page-jump remnant, and subheads with nothing
    after them are dropped, so only those few wait."""

    def given(text: str, kind: str) -> Iterator[tuple[str, str]]:
        if facts.first is None:
            facts.first = text
        # A paste that lost its line breaks arrives as one enormous block: cut it into passages of
        # readable size at sentence ends, so reading, search hits and quote finding stay bounded.
        if len(text) > MAX_PARAGRAPH_CHARS:
            yield from ((piece, kind) for piece in _split_long(text))
        else:
            yield text, kind

    waiting: list[tuple[str, str]] = []  # the last text paragraph and the subheads after it
    for block in blocks:
        if owner := _copyright_owner(block):
            facts.outlet = facts.outlet or owner
            continue
        if (m := _SIGN_OFF.match(block)) and (agency := outlets().agency(m.group("name"))):
            facts.outlet = facts.outlet or agency
            facts.credits.append(block)
            continue
        if _is_furniture(block) or _normal_title(block) in seen_titles:
            continue
        if _is_caption(block):
            facts.captions.append(block)
            continue
        if m := _COPYRIGHT.search(block):
            if _words(block) <= 12:
                facts.outlet = facts.outlet or m.group("owner").strip()
                continue
        if _CREDIT_LINE.search(block) and _words(block) <= 30 and not _SENTENCE_END.search(block.split(",")[0]):
            facts.credits.append(block)
            continue
        short_heading = _words(block) <= 6 and not _SENTENCE_END.search(block.rstrip("’'\"”"))
        kind = "subhead" if short_heading and (waiting or facts.first is not None) else "text"
        if kind == "text":
            for text, was in waiting:
                yield from given(text, was)
            waiting.clear()
        waiting.append((block, kind))
    if waiting:
        # A trailing one-word remnant of the next page ("...through the week.With").
        text, kind = waiting[-1]
        waiting[-1] = (_ORPHAN_WORD.sub("", text), kind)
        # A subhead with nothing after it is page furniture that slipped through.
        while waiting and waiting[-1][1] == "subhead":
            waiting.pop()
        for text, kind in waiting:
            yield from given(text, kind)


def clean_article(raw: str, article_id: str, overrides: dict[str, Any] | None = None, found: Document | None = None) -> Article:
    """Parse one pasted article. `overrides` (from the manifest) win over what `found` (the
    format's metadata) says, which wins over what the text's own lines say.

    The body is read block by block into the article's paragraphs: a paste of a million short
    paragraphs is never a list of its blocks."""
    overrides = {k: " ".join(sanitize(str(v)).split()) for k, v in (overrides or {}).items() if v is not None}
    meta = _found_facts(found)
    header, body = _header_and_body(_report_blocks(sanitize(raw)))

    outlet = byline = date = dateline = None
    captions: list[str] = []
    title_candidates: list[str] = []
    for line in header:
        if owner := _copyright_owner(line):
            outlet = outlet or owner
            continue
        if _is_furniture(line):
            continue
        if _is_caption(line):
            captions.append(line)
        elif _DATE_LINE.match(line) or (_DATE_IN_LINE.search(line) and _words(line) <= 8):
            match = _DATE_IN_LINE.search(line)
            date = date or (match.group(0) if match else None)
        elif m := _BYLINE.match(line):
            byline = byline or m.group("names").strip()
        elif _MEDIA_WORD.search(line) and _words(line) <= 5 and not _SENTENCE_END.search(line):
            outlet = outlet or line
        elif _NAME_LIST.match(line) and byline is None and _words(line) <= 10:
            byline = line
        elif _words(line) == 1 and line[:1].isupper():
            continue  # a section label ("World") or kicker word
        else:
            title_candidates.append(line)

    # A kicker in capitals ("DAY 1 TOUGH TALK") stands above the real headline.
    titles = [t for t in title_candidates if not (t.isupper() and len(title_candidates) > 1)]
    title = titles[-1] if titles else None
    seen_titles = {_normal_title(t) for t in title_candidates}

    facts = _BodyFacts(outlet, captions)
    paragraphs = paragraph_list(_body_paragraphs(body, seen_titles, facts))
    outlet = facts.outlet

    if facts.first is not None and (m := _DATELINE.match(facts.first)):
        dateline = m.group("dateline").rstrip(" —–-")
        if outlet is None:
            outlet = _agency_name(m.group("agency"))

    if meta.get("title"):
        title = meta["title"]
    if title is None:
        title = _shorten(facts.first if facts.first is not None else article_id, 90)
    title = _shorten(title, MAX_TITLE_CHARS)  # a header line of a hundred thousand characters is no title

    return Article(
        id=article_id,
        outlet=overrides.get("outlet") or meta.get("outlet") or outlet,
        title=overrides.get("title") or title,
        byline=overrides.get("byline") or meta.get("byline") or byline,
        date=overrides.get("date") or meta.get("date") or date,
        dateline=dateline,
        captions=[*meta_captions(found), *(c for c in captions if c not in meta_captions(found))],
        paragraphs=paragraphs,
        credits=facts.credits,
    )


MAX_TITLE_CHARS = 300
MAX_PARAGRAPH_CHARS = 3000  # news paragraphs run to a few hundred characters; 3,000 is no paragraph
_SENTENCE_BREAK = re.compile(r"[.!?…][\"”’')\]]*\s+")


def _split_long(text: str, limit: int = MAX_PARAGRAPH_CHARS) -> list[str]:
    """`text` in pieces of at most `limit` characters: cut after the last sentence end that fits,
    else at the last space, else anywhere."""
    pieces: list[str] = []
    while len(text) > limit:
        window = text[: limit + 1]
        cut = 0
        for m in _SENTENCE_BREAK.finditer(window):
            if m.end() <= limit + 1:
                cut = m.end()
        if cut < limit // 3:
            space = window.rfind(" ")
            cut = space + 1 if space > limit // 3 else limit
        pieces.append(text[:cut].strip())
        text = text[cut:].strip()
    pieces.append(text)
    return [piece for piece in pieces if piece]


def _shorten(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    cut = text[: width - 3].rsplit(" ", 1)[0] or text[: width - 3]
    return cut + "…"


def _agency_name(code: str) -> str:
    """The agency a dateline names ("AP" -> "The Associated Press", index/data/outlets.toml)."""
    return outlets().agency(code) or code.strip()


def _found_facts(found: Document | None) -> dict[str, str]:
    """The format's metadata as shown: one line each, no control characters, bounded."""
    if found is None:
        return {}
    facts: dict[str, str] = {}
    for key in ("title", "byline", "outlet", "date"):
        value = getattr(found, key)
        if value:
            cleaned = " ".join(sanitize(str(value)).split())
            if cleaned:
                facts[key] = _shorten(cleaned, MAX_TITLE_CHARS)
    return facts


def meta_captions(found: Document | None) -> list[str]:
    if found is None:
        return []
    return [c for c in (" ".join(sanitize(x).split()) for x in found.captions) if c]
