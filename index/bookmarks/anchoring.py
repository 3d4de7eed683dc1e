"""Find a saved passage again in the current text of its article.

Pure functions over `Article` objects: no I/O, no SQLite, no Textual.

A passage is saved the way W3C Web Annotation (and Hypothesis) saves one, with two selectors:

* TextQuoteSelector: the exact text plus ~32 characters of context on each side;
* TextPositionSelector: start/end offsets into `article.body` (paragraphs joined by "\\n\\n").

plus the paragraph number and the offsets inside that paragraph, which is what the reader shows.

Re-anchoring, cheapest first:

1. the saved paragraph still holds the exact text at the saved offsets, between the same
   context -> "anchored".
   An article whose sha256 is unchanged always ends here: one string comparison, no layout,
   no search, exact or fuzzy (bookmarks.resolve does this check before building anything);
2. the exact text occurs elsewhere -> "moved" (the occurrence whose context agrees best with the
   saved prefix/suffix, then the one nearest the saved body position);
3. an approximate occurrence (edit distance, Myers' bit-parallel algorithm) of a passage of at
   least MIN_FUZZY_CHARS, whose similarity to the saved text is at least FUZZY_THRESHOLD, weighed
   together with its context, and where at least one side of the saved context is still mostly
   there (MIN_FUZZY_CONTEXT) -> "changed";
4. otherwise, or when the article is gone -> "orphaned" (the caller still shows the saved text).

The saved selector is never rewritten here: this computes where the passage is *now*.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from difflib import SequenceMatcher

from briefing.index.model import Article

ANCHORED = "anchored"
MOVED = "moved"
CHANGED = "changed"
ORPHANED = "orphaned"
STATES = (ANCHORED, MOVED, CHANGED, ORPHANED)

CONTEXT = 32  # characters of prefix/suffix kept around a saved passage
FUZZY_THRESHOLD = 0.75
MIN_FUZZY_CHARS = 24  # a shorter passage ("P9 said.") is found exactly or not at all
MIN_FUZZY_CONTEXT = 0.5  # a fuzzy match keeps at least half of one side's saved context
SEPARATOR = "\n\n"  # what Article.body puts between paragraphs

_MAX_EXACT = 500  # occurrences of the exact text weighed before giving up on better ones
_MAX_FUZZY_PER_PARAGRAPH = 4
_MAX_FUZZY_PARAGRAPHS = 5  # paragraphs given the edit-distance pass, best q-gram overlap first
_Q = 3  # q-gram length for the cheap filter before the edit-distance pass
_FUZZY_MAX_PATTERN = 4000  # longer saved texts are compared paragraph-to-paragraph instead


class AnchorError(ValueError):
    """A passage that cannot be saved: no such paragraph, offsets outside it, text not in it."""


@dataclass(frozen=True, slots=True)
class Selector:
    """Where a passage was when it was saved."""

    paragraph: int
    start: int  # offsets inside the paragraph's text
    end: int
    text: str  # TextQuoteSelector.exact
    prefix: str
    suffix: str
    position_start: int  # TextPositionSelector, offsets into article.body
    position_end: int


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a passage is now. Offsets are None when it is orphaned."""

    state: str
    paragraph: int | None = None
    start: int | None = None
    end: int | None = None
    score: float = 0.0  # 1.0 for exact matches; the similarity for "changed"


class Layout:
    """An article's body and where each paragraph starts in it; build once per article."""

    __slots__ = ("texts", "starts", "body", "_grams")

    def __init__(self, article: Article) -> None:
        self.texts = [p.text for p in article.paragraphs]
        starts: list[int] = []
        pos = 0
        for text in self.texts:
            starts.append(pos)
            pos += len(text) + len(SEPARATOR)
        self.starts = starts
        self.body = SEPARATOR.join(self.texts)
        self._grams: list[frozenset[str]] | None = None

    def grams(self, index: int) -> frozenset[str]:
        """The q-grams of paragraph `index` (0-based), computed once for all paragraphs."""
        if self._grams is None:
            self._grams = [frozenset(t[j : j + _Q] for j in range(len(t) - _Q + 1)) for t in self.texts]
        return self._grams[index]

    def body_offset(self, paragraph: int, offset: int) -> int:
        return self.starts[paragraph - 1] + offset

    def paragraph_at(self, body_offset: int) -> tuple[int, int]:
        """(paragraph n, offset inside it) for an offset into the body."""
        i = max(bisect.bisect_right(self.starts, body_offset) - 1, 0)
        return i + 1, body_offset - self.starts[i]

    def context(self, paragraph: int, start: int, end: int) -> tuple[str, str]:
        b_start = self.body_offset(paragraph, start)
        b_end = self.body_offset(paragraph, end)
        return self.body[max(0, b_start - CONTEXT) : b_start], self.body[b_end : b_end + CONTEXT]


def find_span(article: Article, paragraph: int, text: str) -> tuple[int, int]:
    """Offsets of the first occurrence of `text` inside paragraph `paragraph`.

    Raises AnchorError with a message fit to show when the paragraph or the text is not there.
    """
    para = _paragraph(article, paragraph)
    if not text:
        raise AnchorError("the text to bookmark is empty")
    at = para.find(text)
    if at < 0:
        raise AnchorError(f"{article.id} paragraph {paragraph} does not contain that text")
    return at, at + len(text)


def make_selector(
    article: Article,
    paragraph: int,
    start: int | None = None,
    end: int | None = None,
    layout: Layout | None = None,
) -> Selector:
    """The selectors for a passage of `article`: the whole paragraph unless start/end are given."""
    para = _paragraph(article, paragraph)
    start = 0 if start is None else start
    end = len(para) if end is None else end
    if isinstance(start, bool) or isinstance(end, bool) or not isinstance(start, int) or not isinstance(end, int):
        raise AnchorError("offsets must be integers")
    if not 0 <= start < end <= len(para):
        raise AnchorError(
            f"offsets {start}..{end} are not a non-empty span of {article.id} paragraph {paragraph}"
            f" ({len(para)} characters)"
        )
    layout = layout or Layout(article)
    prefix, suffix = layout.context(paragraph, start, end)
    return Selector(
        paragraph=paragraph,
        start=start,
        end=end,
        text=para[start:end],
        prefix=prefix,
        suffix=suffix,
        position_start=layout.body_offset(paragraph, start),
        position_end=layout.body_offset(paragraph, end),
    )


def reanchor(
    selector: Selector,
    article: Article | None,
    *,
    whole_paragraph: bool = False,
    layout: Layout | None = None,
) -> Anchor:
    """Where `selector`'s passage is in the current `article` (None: the article is gone).

    `whole_paragraph`: the bookmark is of a paragraph, so a changed passage is shown as the whole
    paragraph it became rather than the approximate span.
    """
    if article is None or not article.paragraphs or not selector.text:
        return Anchor(ORPHANED)
    layout = layout or Layout(article)
    texts = layout.texts
    # 1. Same words, same context, same place. (With an unchanged sha256 the caller never gets
    # here.) The saved place alone proves nothing: after two paragraphs that open alike swap,
    # the old number holds the same words in the other paragraph's context.
    if 1 <= selector.paragraph <= len(texts) and texts[selector.paragraph - 1][selector.start : selector.end] == selector.text:
        b_start = layout.body_offset(selector.paragraph, selector.start)
        if _context_agreement(selector, layout, b_start, b_start + len(selector.text)) == 1.0:
            return Anchor(ANCHORED, selector.paragraph, selector.start, selector.end, 1.0)
    # 2. The same words: the occurrence whose context agrees best, then the nearest one.
    exact = _best_exact(selector, layout)
    if exact is not None:
        n, start, end = exact
        state = ANCHORED if (n, start, end) == (selector.paragraph, selector.start, selector.end) else MOVED
        return Anchor(state, n, start, end, 1.0)
    # 3. Words that are nearly the same.
    fuzzy = _best_fuzzy(selector, layout)
    if fuzzy is not None:
        n, start, end, score = fuzzy
        if whole_paragraph:
            start, end = 0, len(texts[n - 1])
        return Anchor(CHANGED, n, start, end, round(score, 3))
    return Anchor(ORPHANED)


# -- internals ---------------------------------------------------------------------------------


def _paragraph(article: Article, paragraph: int) -> str:
    if isinstance(paragraph, bool) or not isinstance(paragraph, int):
        raise AnchorError("the paragraph must be a number")
    if not 1 <= paragraph <= len(article.paragraphs):
        raise AnchorError(
            f"{article.id} has no paragraph {paragraph} (it has {len(article.paragraphs)})"
        )
    return article.paragraphs[paragraph - 1].text


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b)):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _context_agreement(selector: Selector, layout: Layout, b_start: int, b_end: int) -> float:
    """0..1: how much of the saved prefix and suffix sit right next to this occurrence."""
    body = layout.body
    before = body[max(0, b_start - CONTEXT) : b_start]
    after = body[b_end : b_end + CONTEXT]
    pre = 1.0 if before == selector.prefix else _common_suffix(before, selector.prefix) / max(len(selector.prefix), 1)
    suf = 1.0 if after == selector.suffix else _common_prefix(after, selector.suffix) / max(len(selector.suffix), 1)
    return (pre + suf) / 2


def _distance(selector: Selector, layout: Layout, b_start: int) -> float:
    return abs(b_start - selector.position_start) / max(len(layout.body), 1)


def _best_exact(selector: Selector, layout: Layout) -> tuple[int, int, int] | None:
    best: tuple[float, float, int, int, int] | None = None
    seen = 0
    text = selector.text
    for i, para in enumerate(layout.texts):
        at = para.find(text)
        while at >= 0 and seen < _MAX_EXACT:
            seen += 1
            b_start = layout.starts[i] + at
            agreement = _context_agreement(selector, layout, b_start, b_start + len(text))
            key = (agreement, -_distance(selector, layout, b_start), i + 1, at, at + len(text))
            if best is None or key[:2] > best[:2]:
                best = key
            at = para.find(text, at + 1)
    if best is None:
        return None
    return best[2], best[3], best[4]


def _myers(pattern: str, text: str, anchored: bool) -> list[int]:
    """Edit distances, Myers' bit-parallel algorithm (Hyyrö's formulation).

    Element j is the least edit distance between `pattern` and a substring of `text` ending at
    j (inclusive); with `anchored`, between `pattern` and exactly text[: j + 1].
    """
    m = len(pattern)
    peq: dict[str, int] = {}
    for i, ch in enumerate(pattern):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    carry_in = 1 if anchored else 0
    pv, mv, score = mask, 0, m
    scores: list[int] = []
    append = scores.append
    for ch in text:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | carry_in) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
        append(score)
    return scores


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _candidate_ends(scores: list[int], limit: int, k: int) -> list[int]:
    """End positions with the paragraph's least distance (<= k), one per run of equal scores."""
    if not scores:
        return []
    least = min(scores)
    if least > k:
        return []
    ends: list[int] = []
    previous = False
    for j, s in enumerate(scores):
        hit = s == least
        if hit and not previous:
            ends.append(j)
            if len(ends) >= limit:
                break
        previous = hit
    return ends


def _fuzzy_paragraphs(selector: Selector, layout: Layout, k: int) -> list[int]:
    """Paragraphs (0-based) worth an edit-distance pass, most promising first.

    q-gram lemma: a string within k edits of the m-character quote still contains at least
    (m - q + 1) - k*q of the quote's q-gram positions, so a paragraph with fewer cannot hold a
    match. Of those that can, the few sharing the most q-grams are searched, plus the saved
    paragraph, its neighbours and the paragraph now at the saved body offset (edits are local).
    """
    quote = selector.text
    m = len(quote)
    grams = [quote[j : j + _Q] for j in range(m - _Q + 1)]
    need = len(grams) - k * _Q
    ranked: list[tuple[int, int, int]] = []
    for i, para in enumerate(layout.texts):
        if len(para) < m - k:
            continue  # too short to be within k edits
        present = layout.grams(i)
        hits = sum(1 for g in grams if g in present)
        if hits >= need:
            ranked.append((hits, -abs(i + 1 - selector.paragraph), i))
    if not ranked:
        return []
    ranked.sort(reverse=True)
    floor = ranked[0][0] / 2
    chosen = [i for hits, _, i in ranked[:_MAX_FUZZY_PARAGRAPHS] if hits >= floor]
    near = {selector.paragraph - 2, selector.paragraph - 1, selector.paragraph}
    near.add(layout.paragraph_at(min(selector.position_start, max(len(layout.body) - 1, 0)))[0] - 1)
    eligible = {i for _, _, i in ranked}
    chosen += sorted(i for i in near if i in eligible and i not in chosen)
    return chosen


def _best_fuzzy(selector: Selector, layout: Layout) -> tuple[int, int, int, float] | None:
    quote = selector.text
    m = len(quote)
    if m < MIN_FUZZY_CHARS:
        return None
    k = int(m * (1 - FUZZY_THRESHOLD))
    quote_weight = max(m, 2 * CONTEXT)
    prefix_weight = len(selector.prefix)
    suffix_weight = len(selector.suffix)
    total_weight = quote_weight + prefix_weight + suffix_weight
    best: tuple[float, float, int, int, int] | None = None
    for i in _fuzzy_paragraphs(selector, layout, k):
        para = layout.texts[i]
        spans: list[tuple[int, int, int]] = []  # (start, end, distance)
        if m > _FUZZY_MAX_PATTERN:
            sim = _ratio(quote, para)
            if sim >= FUZZY_THRESHOLD:
                spans.append((0, len(para), round((1 - sim) * m)))
        else:
            scores = _myers(quote, para, anchored=False)
            for j in _candidate_ends(scores, _MAX_FUZZY_PER_PARAGRAPH, k):
                end = j + 1
                window_start = max(0, end - (m + k))
                back = _myers(quote[::-1], para[window_start:end][::-1], anchored=True)
                # the longest length with the least distance keeps as much of the passage as possible
                least = min(back)
                length = max(n + 1 for n, s in enumerate(back) if s == least)
                spans.append((end - length, end, least))
        for start, end, dist in spans:
            quote_sim = 1 - dist / m
            if quote_sim < FUZZY_THRESHOLD:
                continue
            b_start = layout.starts[i] + start
            b_end = layout.starts[i] + end
            prefix_sim = _ratio(selector.prefix, layout.body[max(0, b_start - CONTEXT) : b_start])
            suffix_sim = _ratio(selector.suffix, layout.body[b_end : b_end + CONTEXT])
            if max(prefix_sim, suffix_sim) < MIN_FUZZY_CONTEXT:
                continue  # the words alone, in another context: another passage (or article)
            combined = (
                quote_sim * quote_weight + prefix_sim * prefix_weight + suffix_sim * suffix_weight
            ) / total_weight
            if combined < FUZZY_THRESHOLD:
                continue
            key = (combined, -_distance(selector, layout, b_start), i + 1, start, end)
            if best is None or key[:2] > best[:2]:
                best = key
    if best is None:
        return None
    return best[2], best[3], best[4], best[0]
