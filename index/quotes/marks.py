"""Where quotation marks open and close in one paragraph, as real news copy prints them.

Copy mixes curly and straight marks, opens with a closing glyph (AP's ”We see…), closes with an
opening one (“ at the end of a quote), nests single quotes inside double ones, and runs quotes over
paragraphs without a closing mark. So a mark's role is read from what stands on either side of it,
and the glyph only breaks ties. Apostrophes never take part: inside double-quoted copy single
marks are ignored altogether, and a paragraph is read in single-quote style only when it has no
double marks at all.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_DOUBLE = re.compile(r"``|'''|''|[“”\"„‟«»]")
_GLYPH_OPENS = {"“": True, "„": True, "‟": True, "«": True, "``": True, "”": False, "»": False, "''": False}
# What may follow an opening mark / precede a closing one besides letters and digits.
_AFTER_OPEN = set("‘'([…$£€#@-–—.¿¡")
_BEFORE_CLOSE = set(".,!?;:…)]’'-–—%*")
_BEFORE_OPEN = set("([{—–-/:")

_SINGLE_CANDIDATE = re.compile(r"[‘’']")
_QUOTE_CHARS = set("“”\"„‟«»'`")
MASK = "\ue000"  # a private-use character: never a letter, never punctuation, never a quote mark


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quotation in a paragraph: `start`/`end` bound the quoted words, marks excluded."""

    start: int
    end: int
    open_mark: int  # offset of the opening mark (== start when the quote has none)
    close_mark: int  # offset just past the closing mark (== end when the quote runs on)
    closed: bool = True
    opens_paragraph: bool = False
    marked: bool = True

    @property
    def outer(self) -> tuple[int, int]:
        return self.open_mark, self.close_mark


def _roles(text: str, pos: int, width: int) -> tuple[bool, bool]:
    before = text[pos - 1] if pos > 0 else ""
    after = text[pos + width] if pos + width < len(text) else ""
    can_open = bool(after) and (after.isalnum() or after in _AFTER_OPEN) and (
        not before or before.isspace() or before in _BEFORE_OPEN or not before.isalnum()
    )
    can_close = bool(before) and (before.isalnum() or before in _BEFORE_CLOSE) and (
        not after or after.isspace() or not after.isalnum()
    )
    return can_open, can_close


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


def _has_words(text: str, start: int, end: int) -> bool:
    return any(ch.isalnum() for ch in text[start:end])


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Every top-level quotation in `text`, in order. An unclosed one runs to the paragraph end."""
    marks = [(m.start(), m.end() - m.start(), m.group()) for m in _DOUBLE.finditer(text)]
    if not marks:
        return _single_quote_spans(text)
    spans: list[QuoteSpan] = []
    open_at: int | None = None  # offset of the pending opening mark
    open_width = 0
    for pos, width, glyph in marks:
        if glyph == "'''":  # two marks and an inner one: the inner one closes first, or opens last
            pos, width, glyph = (pos + 1, 2, "''") if open_at is not None else (pos, 2, "''")
        can_open, can_close = _roles(text, pos, width)
        inside = open_at is not None
        if inside and glyph in ("”", "''", '"') and pos > 0 and text[pos - 1] in ",.?!" and not can_close:
            can_open, can_close = False, True  # “… too late,”Brek said: a space lost after the mark
        if can_open and can_close:
            opens = not inside if glyph == '"' else (_GLYPH_OPENS.get(glyph, True) and not inside)
        elif can_open:
            opens = True
        elif can_close:
            opens = False
        elif glyph in ("«", "„", "»"):  # French spacing: « Nous sommes prêts »
            opens = glyph != "»"
            if opens == inside:
                continue
        else:  # a mark with space on both sides (or at the very end): only a closing one makes sense
            if not inside:
                continue
            opens = False
        if opens:
            if open_at is not None:
                # A second opening mark before any closing one: the earlier quote lost its closing
                # mark. End it where the new one starts rather than swallow both.
                _add(spans, text, open_at, open_width, pos, pos, closed=False)
            open_at, open_width = pos, width
        elif open_at is not None:
            _add(spans, text, open_at, open_width, pos, pos + width, closed=True)
            open_at = None
        # a closing mark while outside any quote is stray (inches, a lost opening mark): ignored
    if open_at is not None:
        _add(spans, text, open_at, open_width, len(text), len(text), closed=False)
    return spans


def _add(spans: list[QuoteSpan], text: str, open_at: int, width: int, end: int, close_mark: int, closed: bool) -> None:
    start, stop = _trim(text, open_at + width, end)
    if stop <= start or not _has_words(text, start, stop):
        return
    opens_paragraph = not text[:open_at].strip()
    spans.append(QuoteSpan(start, stop, open_at, close_mark, closed, opens_paragraph))


def _single_quote_spans(text: str) -> list[QuoteSpan]:
    """Single-quote house style (‘…’): read only when the paragraph has no double marks.

    An opening mark must start a word; a closing one must end a word and not be the apostrophe of
    a plural possessive ("the banks’ demands": an s, the mark, then a lower-case word).
    """
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    possessive: int | None = None  # a closing mark read as a plural possessive, kept in case
    for m in _SINGLE_CANDIDATE.finditer(text):
        pos = m.start()
        before = text[pos - 1] if pos else ""
        after = text[pos + 1] if pos + 1 < len(text) else ""
        opens = after.isalpha() and (not before or before.isspace() or before in _BEFORE_OPEN)
        if open_at is None:
            if opens and m.group() != "’":
                open_at, possessive = pos, None
            continue
        if opens and m.group() == "‘" and possessive is not None:
            # ‘Boasters’ and ‘Bullies’: a new opening mark shows the "possessive" closed the quote
            _add(spans, text, open_at, 1, possessive, possessive + 1, closed=True)
            open_at, possessive = pos, None
            continue
        if not before or before.isspace() or after.isalnum():
            continue
        if before == "s" and after == " " and text[pos + 2 : pos + 3].islower():
            possessive = pos if possessive is None else possessive
            continue
        _add(spans, text, open_at, 1, pos, pos + 1, closed=True)
        open_at = None
    if open_at is not None and possessive is not None:  # no other mark closes it: that one did
        _add(spans, text, open_at, 1, possessive, possessive + 1, closed=True)
    return spans


def mask_spans(text: str, spans: list[QuoteSpan]) -> str:
    """`text` with every quotation (marks included) blanked out, offsets unchanged.

    A quotation that ends a sentence keeps a full stop at its last position, so that sentence
    splitting still sees the boundary (“…deeply.” Ryabkov went on…).
    """
    if not spans:
        return text
    chars = list(text)
    for span in spans:
        a, b = span.outer
        chars[a:b] = MASK * (b - a)
        if span.closed and b > a:
            j = b - 1
            while j > span.start and (text[j] in _QUOTE_CHARS or text[j].isspace()):
                j -= 1
            if text[j] in ".!?…":  # "…deeply.”" ends a sentence; "…the U.S.,”" does not
                chars[b - 1] = "."
    return "".join(chars)


# ---------------------------------------------------------------------------------------------
# Quotation marks that do not quote anyone: titles of works, markup residue, nicknames

NON_QUOTE_KINDS = frozenset({"title", "residue", "nickname"})
_WORD = re.compile(r"[^\W\d_][\w’'\-]*")
_SMALL_WORDS = frozenset("a an the of in on and or to for at by with from as but nor vs via into is it".split())
_RESIDUE = re.compile(
    r"""^(?:(?=(?:\D*\d){5})[\d\s.,:;/\-+#%]+   # ids, timestamps, dates in figures (5 digits or more)
        |[@#][\w.]+                           # a handle or a hashtag
        |(?:https?://|www\.)\S*               # a link
        |[\w.\-]+\.(?:com|org|net|gov|ly|co|io|tv)(?:/\S*)?   # a bare domain
        )$""",
    re.VERBOSE | re.IGNORECASE,
)
_INITIALS = re.compile(r"(?:[A-Z]\.){1,3}")  # C.L. “Butch” Otter
_POSSESSIVE_END = ("’s", "'s", "s’", "s'")


def title_case(text: str) -> bool:
    """Whether quoted words read as a title ("Face the Voters", "Count Every Penny")."""
    words = _WORD.findall(text)
    if not words or not words[0][0].isupper():
        return False
    return all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words)


def is_headline(text: str) -> bool:
    """Whether a paragraph is set in title case, as headlines are (its quotes cannot be told
    from titles by their capitals)."""
    return _headline(text)


def _headline(text: str) -> bool:
    words = _WORD.findall(text)
    significant = len(words) - sum(map(_SMALL_WORDS.__contains__, map(str.lower, words)))
    if significant < 4:
        return False
    # At most a tenth of the significant words in lower case: prose fails within its first few
    # dozen words, so the count stops there.
    allowed = significant // 10
    lower = 0
    for w in words:
        if w[0].islower() and len(w) >= 4 and w.lower() not in _SMALL_WORDS:
            lower += 1
            if lower > allowed:
                return False
    return True


def _word_before(text: str, pos: int) -> str:
    head = text[max(0, pos - 80) : pos].rstrip(" ,:")
    return head.rsplit(None, 1)[-1].lstrip("“”\"‘(") if head.strip() else ""


def _word_after(text: str, pos: int) -> str:
    m = re.match(r"[\s,]*([^\s,.;:!?“”\"]+)", text[pos : pos + 80])
    return m.group(1) if m else ""


def non_quote_kind(text: str, span: QuoteSpan, headline: bool | None = None) -> str | None:
    """"title", "residue" or "nickname" for quotation marks that quote no one, else None.

    - residue: attribute values of pasted markup (tweet-id="…"), ids, handles, links, and
      transcript stage directions ("(CROSSTALK)");
    - nickname: one or two capitalised words inside a name (Rep. Thaddeus “Tad” Morrow), or a
      name announced as one (under the pseudonym “…”);
    - title: words in title case announced as a work (a network's “Face the Voters”, his book “…”,
      the “…” star, “…”, the 1990s sitcom), a title-case line on its own (a subhead printed in
      quote marks), titles listed together, or a title naming the noun after it (the “…” rally).
    """
    found = non_quote_rule(text, span, headline)
    return found[0] if found else None


def non_quote_rule(text: str, span: QuoteSpan, headline: bool | None = None) -> tuple[str, str] | None:
    """The non-quote kind and the name of the rule that found it (for measuring each rule)."""
    from briefing.index.quotes.lexicon import lexicon  # data read once, on first use

    lex = lexicon()
    quoted = text[span.start : span.end]
    if span.open_mark > 0 and text[span.open_mark - 1] == "=":
        return "residue", "markup"
    core = quoted.strip()
    directions = core[:1] in "([" or core.isupper()  # (CROSSTALK), [LAUGHTER], APPLAUSE
    if _RESIDUE.match(core) or (directions and core.strip("()[].").lower() in lex.transcript_residue):
        return "residue", "residue"
    words = _WORD.findall(quoted)
    if (
        not text[: span.open_mark].strip()
        and not text[span.close_mark :].strip()
        and len(words) <= 8
        and title_case(quoted)
    ):
        return "title", "subhead"  # a title-case line of its own in quote marks
    head, rest = text[: span.open_mark], text[span.close_mark :]
    if _BETWEEN_DASHES.fullmatch(head) and _BETWEEN_DASHES.fullmatch(rest) and _has_dash(head) and _has_dash(rest):
        return "title", "crosshead"  # “– ‘We made it’ –”: a crosshead set between dashes
    tail = text[span.close_mark : span.close_mark + 80]
    if len(words) <= 20 and _BY_LINE.match(tail):
        return "title", "headline by-line"  # “Ferry fares rise,” by Gazette’s Lena Moss: another article
    if _CITED_YEAR.match(tail):
        return "title", "year cited"  # “Vote No” (2009): a work or a poster cited with its year
    lead_words = _lead_words(text, span.open_mark)
    if lead_words[-1:] and lead_words[-1] in _not_quotation_words("interface_before") \
            or _word_after(text, span.close_mark).lower() in _not_quotation_words("interface_after"):
        return "residue", "page interface"  # click “sign up”, the “subscribe” button
    if len(words) <= 12 and _printed_after(tail):
        return "title", "printed on a thing"  # “Vote Harbor Line” hats, “No Toll” stickers
    if len(words) <= 10 and len(lead_words) >= 2 and lead_words[-1] == "for" \
            and lead_words[-2] in _not_quotation_words("languages"):
        return "title", "gloss"  # Latin for “…”: a translation, not anyone's words
    if len(words) <= 6 and _HASHTAG_GLOSS.search(head):
        return "title", "gloss"  # the hashtag #PortOuvert - “open port” -: its words translated
    if _headline(text) if headline is None else headline:
        return None  # a headline in title case: every word is capitalised, titles cannot be told
    before = _word_before(text, span.open_mark)
    after = _word_after(text, span.close_mark)
    if (
        1 <= len(words) <= 2
        and title_case(quoted)
        and not quoted.rstrip()[-1:] in ".!?,"
        and before[:1].isupper()
        and (before.isalpha() or _INITIALS.fullmatch(before) is not None)
        and after[:1].isupper()
        and after.replace("-", "").isalpha()
        and text[span.open_mark - 1 : span.open_mark].isspace()
        and text[span.close_mark : span.close_mark + 1].isspace()
    ):
        return "nickname", "nickname"
    if (
        1 <= len(words) <= 2
        and title_case(quoted)
        and not any(ch in ".!?,;:" for ch in text[span.end - 1 : span.close_mark])  # “Morning Desk,” Ida Brek
        and (name := _FULL_NAME_AFTER.match(text, span.close_mark)) is not None
        and (name.group(1) or "").lower() not in lex.speech_forms  # not “Thank You” Ana Ruiz said
        and text[span.open_mark - 1 : span.open_mark].isspace()
    ):
        return "nickname", "epithet before a name"  # the “Iron” Ana Ruiz of the port board
    lead = " ".join(text[max(0, span.open_mark - 40) : span.open_mark].replace(",", " ").split()[-2:]).lower()
    if len(words) <= 4 and _ends_with_phrase(lead, lex.name_before):
        return "nickname", "named as a name"  # "under the pseudonym “…”", "his alias “…”"
    if not title_case(quoted) or len(words) > 12:
        return None
    low_before = before.lower()
    if low_before in lex.work_before or (before[:1].isupper() and before.endswith(_POSSESSIVE_END)):
        return "title", "work noun before"
    if low_before in lex.more_work_before or (before[:2].isupper() and before.endswith(("S’", "S'"))):
        return "title", "work noun before 2"  # "his biography “…”", "on CBS’ “…”"
    if before.endswith(_POSSESSIVE_END) and before[:-2].lower() in lex.media_possessives:
        return "title", "media possessive"  # "television’s “Harbour Lights”"
    if _ends_with_phrase(lead, lex.work_before_phrases):
        return "title", "work phrase before"  # "star of “…”", "starred in “…”"
    if low_before in lex.broadcast_prepositions and re.search(r"\b(?:on|to|with)[\s,]*$", text[: span.open_mark]):
        return "title", "broadcast preposition"
    if after and after.lower() in lex.work_after and after[:1].islower():
        return "title", "work noun after"
    if after and after.lower() in _not_quotation_words("work_after") and (after[:1].islower() or after.isupper()):
        return "title", "work noun after 2"  # the “…” pageant, “…” TV show
    if _names_a_thing(tail):
        return "title", "name of a thing"  # the “Coastline First” rally, a “…” Facebook page
    if low_before in _not_quotation_words("name_nouns_before") or low_before.endswith("-named") \
            or low_before in _not_quotation_words("naming_verbs"):
        return "title", "name after its noun"  # the super PAC “Keep Faith”, the cheekily-named “…”
    if _ends_with_phrase(lead, lex.more_work_before_phrases):
        return "title", "work phrase before 2"
    if _BY_AUTHOR.match(text[span.close_mark : span.close_mark + 40]):
        return "title", "by an author"
    if _listed_with_title(text, span, lex.speech_forms):
        return "title", "title list"
    tail = text[span.close_mark : span.close_mark + 60].lower()
    if _work_apposition(tail, lex.work_nouns, lex.work_noun_followers):
        return "title", "work apposition"
    if _thing_called(text[max(0, span.open_mark - 70) : span.open_mark], lex.named_things | lex.work_nouns):
        return "title", "thing called"
    if low_before in ("told", "telling", "tells"):
        return "title", "told a programme"
    return None


# “…,” the 1960s procedural that … / “…” is an AMC drama about …: a determiner, up to three
# modifiers, then the noun for a work, closing the phrase
_APPOSITION = re.compile(r"[\s,—–-]+(?:(?:is|was)\s+)?(?:the|a|an|his|her|their)\s+(.*)", re.DOTALL)
_TOKEN = re.compile(r"[\w’'\-]+|[,.;:)—–]")


def _work_apposition(tail: str, nouns: frozenset[str], followers: frozenset[str]) -> bool:
    head = _APPOSITION.match(tail)
    if head is None:
        return False
    toks = _TOKEN.findall(head.group(1))[:5]
    for i, word in enumerate(toks[:4]):
        if not word[0].isalnum():
            return False  # the phrase ended before any noun for a work
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if word in nouns and (not nxt or not nxt[0].isalnum() or nxt in followers):
            return True  # "the 1960s procedural that …", but not "the talk show host said"
    return False


# “…,” by Gwenda Blair: a work and its author (an initial or a capitalised name after "by")
_BY_AUTHOR = re.compile(r"[\s,]*\bby\s+(?:[A-Z]\.\s*)*[A-Z][a-z]+(?:\s+[A-Z][\w.’'\-]+)*[\s,.;)]")
_CALLED = frozenset("called named titled entitled dubbed".split())
_OF = frozenset("from by of for with".split())


def _thing_called(lead: str, things: frozenset[str]) -> bool:
    """“…” after a noun for a thing and "called" ("an account called “…”", "a collection from
    the cartoonist … called “…”"): the head noun is just before "called", or before the
    preposition that opens its modifier."""
    toks = [w.strip(",").lower() for w in lead.split()]
    if len(toks) < 2 or toks[-1] not in _CALLED:
        return False
    if toks[-2] in things:
        return True
    near = toks[-8:-1]
    return any(w in _OF and i > 0 and near[i - 1] in things for i, w in enumerate(near))


_OTHER_TITLE = re.compile(r"^[\s,]*(?:(?:and|or|&)\s+)?(?:“|\"|'')([^“”\"]{1,80}?)(?:”|\"|'')")
_TITLE_BEFORE = re.compile(r"(?:“|\"|'')([^“”\"]{1,80}?)(?:”|\"|'')[\s,]*(?:(?:and|or|&)\s+)?$")


def _listed_with_title(text: str, span: QuoteSpan, speech_words: frozenset[str]) -> bool:
    """“The View” and “The Late Show”; ''24,'' ''Prison Break'' and ''Gilmore Girls'': titles in a
    list, each one short and in title case. A list after a reporting verb is of things said
    (chanting “Lock Her Up” and “Build The Wall”; he called them “…” and “…”)."""
    listed = False
    for m in (_OTHER_TITLE.match(text[span.close_mark :]), _TITLE_BEFORE.search(text[: span.open_mark])):
        if m and len(_WORD.findall(m.group(1))) <= 8 and title_case(m.group(1)):
            listed = True
    if not listed:
        return False
    first = span.open_mark  # walk back to the list's first item
    while (m := _TITLE_BEFORE.search(text[:first])) and title_case(m.group(1)):
        first = m.start()
    lead = text[max(0, first - 60) : first].replace(",", " ").lower().split()[-3:]
    return not any(w in speech_words for w in lead)  # "chanting “…”", "calling them “…”"


def _ends_with_phrase(lead: str, phrases: tuple[str, ...] | frozenset[str]) -> bool:
    return any(lead == phrase or lead.endswith(" " + phrase) for phrase in phrases)


@lru_cache(maxsize=None)
def _not_quotation_words(key: str) -> frozenset[str]:
    """One word list of quotes.toml [not_quotations], lower-cased (read once per key)."""
    text = resources.files("briefing.index").joinpath("data/quotes.toml").read_text(encoding="utf-8")
    return frozenset(str(w).lower() for w in tomllib.loads(text)["not_quotations"][key])


_BETWEEN_DASHES = re.compile(r"[\s\-–—.,:;]*")


def _has_dash(s: str) -> bool:
    return any(ch in s for ch in "-–—")


# “…,” by Gazette’s Lena Moss / by the Ledger's Ola Berg: the by-line of another article, its
# headline in quote marks (an outlet's possessive, then a capitalised name)
_BY_LINE = re.compile(r"[\s,]*by\s+(?:the\s+)?(?:[A-Z][\w.&\-]*\s+){0,3}[A-Z][\w.&\-]*(?:’s|'s|’|')\s+[A-Z]")
# “…” (2009), “…” (1998-2001): a work, a poster or a song cited with its year, as quotations are not
_CITED_YEAR = re.compile(r"\s*\((?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?\)")


def _lead_words(text: str, pos: int) -> list[str]:
    return [w.strip(",;:()“”\"‘’'").lower() for w in text[max(0, pos - 60) : pos].split()][-5:]


# a given name and a family name straight after the closing mark (“Iron” Ana Ruiz)
_FULL_NAME_AFTER = re.compile(r" [A-Z][a-z]+(?: [A-Z]\.)? [A-Z][a-z]+\b(?: (\w+))?")

# #PortOuvert - “…”: a hashtag, a dash, then its gloss
_HASHTAG_GLOSS = re.compile(r"#\w+\s*[-–—(,]+\s*$")


def _names_a_thing(tail: str) -> bool:
    """the “…” rally, a “…” Facebook page: a noun for an event or a group straight after the
    quotation, or after one capitalised word (the platform or the place)."""
    m = re.match(r"\s*(?:[A-Z][\w\-]*\s+)?([a-z][\w\-]*)", tail)
    return m is not None and m.group(1) in _not_quotation_words("name_of_after")


def _printed_after(tail: str) -> bool:
    """“…” shirts, “…” campaign pins, “…” tote bag: the quoted words are printed on the thing
    named right after them (the first or second word, before any punctuation)."""
    toks = re.match(r"[\s]*([a-z][\w\-]*)(?:\s+([a-z][\w\-]*))?", tail)
    if toks is None:
        return False
    things = _not_quotation_words("printed_on")
    return any(t in things for t in toks.groups() if t)
