"""Whoosh field types of the passage schema that index the same terms with less work.

Indexing a passage is most of the build, and most of that is Whoosh's analysis: a chain of
generators and a Token object per word (for `text`), and the article's title and outlet analysed
again for every one of its passages. These fields give Whoosh exactly the (term, frequency,
weight, value) tuples its own `TEXT.index` gives (tests/test_build_fields.py compares them), so
the index written is the same; the analyzers themselves are Whoosh's, untouched, for queries.

Imported by the schema only (briefing.index.search.passages), and by Whoosh when it unpickles a
schema from an index's table of contents.
"""

from __future__ import annotations

import pickle
import re
from typing import Any, Callable, Iterator, cast

from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import NUMERIC, TEXT
from whoosh.formats import Positions
from whoosh.analysis.tokenizers import default_pattern
from whoosh.lang.porter import stem as porter_stem

_STEMS: dict[str, str] = {}
_STEMS_KEPT = 200_000  # distinct words whose stems are remembered (Whoosh's own cache keeps 50,000)
_LONE_POSITION: dict[int, tuple[bytes, bytes]] = {}  # Positions.encode([p]) cut in two, by p
_LONE_KEPT = 10_000  # positions below this have their encoding remembered (a passage is rarely longer)


def passage_analyzer() -> Any:
    # The default tokenizer keeps "open-door" as two tokens, so "open door" matches both forms.
    return StemmingAnalyzer(minsize=1, stoplist=None)


_PLAIN = pickle.dumps(passage_analyzer())  # its state: a StemFilter's cached wrapper is left out


def _stem(word: str) -> str:
    found = _STEMS.get(word)
    if found is None:
        found = porter_stem(word)
        if len(_STEMS) < _STEMS_KEPT:
            _STEMS[word] = found
    return found


class PassageText(TEXT):  # type: ignore[misc]
    """A passage's words, stemmed, with positions: one regular-expression pass over the text
    instead of Whoosh's tokenizer, lower-case, stop and stem filters (none of which drops or
    renumbers a word with this analyzer: every match is a term at the next position)."""

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        if kwargs or type(value) is not str or not self._plain():
            return super().index(value, **kwargs)  # type: ignore[no-any-return]
        return self._terms(value)

    def _plain(self) -> bool:
        plain = self.__dict__.get("_briefing_plain")
        if plain is None:
            fmt = self.format
            plain = (type(fmt) is Positions and fmt.field_boost == 1.0
                     and pickle.dumps(self.analyzer) == _PLAIN)
            self.__dict__["_briefing_plain"] = plain
        return bool(plain)

    def __getstate__(self) -> dict[str, Any]:
        # what the check found is this process's: never written into the index's schema
        return {k: v for k, v in self.__dict__.items() if k != "_briefing_plain"}

    def _terms(self, value: str) -> Iterator[tuple[bytes, int, float, bytes]]:
        # the very expression of the analyzer's tokenizer (it counts "*" as a letter); words and
        # known stems by C-level maps, a Python call only for a word not seen before
        words = list(map(str.lower, map(re.Match.group, default_pattern.finditer(value))))
        known = list(map(_STEMS.get, words))
        stems = cast("list[str]", known) if None not in known else [
            found if found is not None else _stem(word) for word, found in zip(words, known)
        ]
        where: dict[str, list[int]] = {}
        for pos, term in enumerate(stems):
            found = where.get(term)
            if found is None:
                where[term] = [pos]
            else:
                found.append(pos)
        # Most words occur once in a passage, and a lone position's value depends on nothing but
        # that position: Whoosh's own encoding of it is kept, not made again for every word. Kept
        # in two pieces, joined anew for each posting: the same bytes object given to several
        # postings of a block would be pickled once and referred to after (a different file).
        encode: Callable[[list[int]], bytes] = self.format.encode
        lone = _LONE_POSITION
        out: list[tuple[bytes, int, float, bytes]] = []
        data: bytes
        for term, positions in where.items():
            n = len(positions)
            if n == 1:
                pieces = lone.get(positions[0])
                if pieces is None:
                    data = encode(positions)
                    if positions[0] < _LONE_KEPT and len(data) > 1:
                        lone[positions[0]] = (data[:1], data[1:])
                else:
                    data = pieces[0] + pieces[1]
            else:
                data = encode(positions)
            out.append((term.encode("utf-8"), n, float(n), data))
        return iter(out)


class ArticleText(TEXT):  # type: ignore[misc]
    """A field every passage of an article repeats (its title, its outlet): analysed once for
    the article, and the same terms given again for its other passages."""

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        last = self.__dict__.get("_briefing_last")
        if last is not None and not kwargs and type(value) is str and last[0] == value:
            return iter(last[1])
        terms = list(super().index(value, **kwargs))
        if not kwargs and type(value) is str:
            self.__dict__["_briefing_last"] = (value, terms)
        return iter(terms)

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_briefing_last"}


class ParagraphNumber(NUMERIC):  # type: ignore[misc]
    """A passage's paragraph number: stored, and a column (search reads it as an array), never a
    term. No query names it, and as terms one article of a million paragraphs had a million of its
    own, each in the term table and the postings pool of the segment being written."""

    indexed = False

    def __init__(self) -> None:
        super().__init__(stored=True, sortable=True, shift_step=0)
