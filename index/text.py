"""The one copy of each text rule: control characters, search folding, sentences.

Every module that cleans, shows, exports or splits text uses these, so a rule is changed once:
- control characters and terminal escapes: removed from article text, replaced by U+FFFD in what
  is shown, copied or exported, escaped as \\xNN in file names;
- folding for search: curly and straight quotes, dashes, with every offset kept;
- windows: a stretch of a passage around its first match, for a result list;
- sentences: bounds that abbreviations ("Mr.", "U.S.", "Sept.") and initials do not end.
"""

from __future__ import annotations

import os
import re
import unicodedata

# ---- control characters -------------------------------------------------------------------

# C0 controls but tab and newline, DEL, C1 controls.
_C0_C1 = "\x00-\x08\x0b-\x1f\x7f-\x9f"
# Bidi embeddings, overrides and isolates, and the two marks: they reorder what a terminal shows.
_BIDI = "\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Invisible in a terminal and never meant as text: zero-width space, line/paragraph separators,
# BOM, and lone surrogates (no decoder makes them, but printing one fails).
_INVISIBLE = "\u200b\u2028\u2029\ufeff\ud800-\udfff"

_CONTROL = re.compile(f"[{_C0_C1}{_INVISIBLE}]")
_SHOWN_CONTROL = re.compile(f"[{_C0_C1}{_BIDI}]")
_NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Terminal escape sequences, removed whole so no parameters are left behind as text:
# CSI (7- and 8-bit), OSC/DCS/SOS/PM/APC strings up to their terminator (bounded, on one line),
# and the short ones (charset selection "ESC ( B", reset "ESC c", keypad "ESC =").
_ANSI = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]{0,4096}(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[!-/]*[0-~]"
)


def sanitize(text: str) -> str:
    """Article text: strip escape sequences and control characters; normalise newlines and
    Unicode form. The result holds no control character but "\\n"."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _ANSI.sub("", text)
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def display_safe(value: str, *, keep_newlines: bool = False) -> str:
    """What is shown, copied or exported: control and bidi characters become U+FFFD, so it cannot
    drive (or reorder) a terminal it reaches; tabs and newlines become spaces unless kept."""
    if not keep_newlines:
        value = value.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    value = value.replace("\t", " ")
    return _SHOWN_CONTROL.sub("\ufffd", value)


def has_name_controls(name: str) -> bool:
    return _NAME_CONTROL.search(name) is not None


def display_name(name: str) -> str:
    """A file name safe to print: undecodable bytes and control characters become \\xNN escapes."""
    raw = os.fsencode(name)
    text = raw.decode("utf-8", errors="backslashreplace")
    return _NAME_CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


# ---- folding for search -------------------------------------------------------------------

# Same-length substitutions so offsets into the shown text stay valid.
_SEARCH_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "‐": "-", "‑": "-"})


def fold_for_search(text: str) -> str:
    """Curly and straight quotes match; dashes match. Keeps every character offset."""
    return text.translate(_SEARCH_FOLD)


# ---- windows ------------------------------------------------------------------------------


def window_around(text: str, spans: list[tuple[int, int]], width: int) -> tuple[str, list[tuple[int, int]], int]:
    """A window of `text` about `width` characters long around its first highlight, starting at
    a word. Returns the window, the highlights shifted into it, and the offset it starts at."""
    if len(text) <= width:
        return text, list(spans), 0
    centre = spans[0][0] if spans else 0
    start = max(0, min(centre - width // 4, len(text) - width))
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < centre else start
    window = text[start : start + width]
    shifted = [(max(0, s - start), min(len(window), e - start)) for s, e in spans if e > start and s < start + width]
    return window, shifted, start


# ---- sentences ----------------------------------------------------------------------------

# Words whose full stop does not end a sentence (titles, months, company forms, Latin).
ABBREVIATIONS = (
    "Mr Mrs Ms Mx Dr St Jr Sr Gen Lt Col Sen Rep Gov Prof Capt Sgt Maj Adm Rev Ft Mt No vs "
    "Jan Feb Aug Sept Sep Oct Nov Dec Inc Corp Co Ltd etc approx est"
).split()
ABBREVIATION = r"(?:" + "|".join(ABBREVIATIONS) + r")\."
_SENTENCE_END = re.compile(r"[.!?…]+[)\]\"”’']*\s+(?=[A-Z0-9\ue000“\"‘(\[])")
_ABBREV_BEFORE = re.compile(rf"(?:\b{ABBREVIATION}|\b[A-Z]\.|(?:\b[A-Z]\.){{2,}})$")
_INITIALISM = re.compile(r"(?:[A-Z]\.){2,}$")
# After "U.S." a sentence ends only when one of these clearly starts the next.
_NEW_SENTENCE_WORD = frozenset(
    "The A An He She It They We I But And In On At After Before While When This That There Its His Her Their".split()
)


# _ABBREV_BEFORE is anchored at the end of what it reads and its longest match that matters is an
# abbreviation and the character before it (a run of initials matches as its last one): searched
# over this many characters before a full stop instead of the whole sentence, which made its 40
# alternatives tried at every character the largest cost of splitting.
_ABBREV_WINDOW = max(map(len, ABBREVIATIONS)) + 3


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence bounds (start, end) in `text`, each sentence with the spaces after it; abbreviations
    and initials do not end a sentence."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        stop = m.start() + 1
        # from a sentence's start, \b sees the space before it (or the text's start) as a slice would
        if _ABBREV_BEFORE.search(text, max(start, stop - _ABBREV_WINDOW), stop):
            head = text[start:stop]
            nxt = text[m.end() :].split(" ", 1)[0]
            if not (_INITIALISM.search(head) and nxt in _NEW_SENTENCE_WORD):
                continue
        bounds.append((start, m.end()))
        start = m.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return [(a, b) for a, b in bounds if text[a:b].strip()]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The same sentences without the spaces around them; text with no sentence is one span."""
    spans = []
    for a, b in split_sentences(text):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            spans.append((a, b))
    return spans or [(0, len(text))]
