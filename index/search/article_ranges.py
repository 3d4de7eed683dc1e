"""Where each article's passages are among a segment's document numbers, read in one pass over
the segment's `source` terms (for the analysis' `speaker:`/`side:` passages, extra.py).

The analysis names passages as (article id, paragraph); a search needs their document numbers.
Asking the index article by article (a look-up in Whoosh's term hash, then the article's postings
decompressed and decoded) cost ~0.1 ms an article, and a speaker's quotations span a hundred
articles and more. Here, once per segment reader, every `source` term's TermInfo is read straight
off the term file (its position from the file's sorted index of keys), all at once as arrays:
its document count and its first and last document. An article whose count is its last document
minus its first plus one has exactly the documents of that range (a term's postings are distinct
documents); when the range's paragraph numbers also strictly increase, its passages are keyed by
(article, paragraph) in one sorted array of the segment, and a query's passages are looked up in
it all at once (numpy). Any other article (written interleaved with others, or with a paragraph
twice) is left to the caller, which reads its postings, as before.

Reads Whoosh's private layout, like fast.py, and only where `fast.layout_matches()`: elsewhere
`ranges` is None and the caller asks Whoosh. Importing this module imports neither Whoosh nor
numpy.
"""

from __future__ import annotations

from itertools import repeat
from typing import TYPE_CHECKING, Any, Iterable, Sequence

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

_NO_ID = 0xFFFFFFFF  # W3TermInfo's first/last document when the term has none
_INFO_SIZE = 23  # W3TermInfo "!BfIBBfII": flags, weight, count, two lengths, max weight, first, last
_INDEX_TYPES = {"B": ">u1", "H": ">u2", "i": ">i4", "I": ">u4", "q": ">i8"}  # OrderedHashWriter's key index
_HALF = 1 << 31  # paragraph numbers are kept as 32-bit NUMERIC values: shifted by this, under 2**32


class ArticleRanges:
    """A segment's articles (`rows`: article id -> row) and, for those whose passages are their
    whole range with strictly increasing paragraph numbers (`plain`), every passage's document,
    looked up by (row, paragraph) in one sorted array of keys."""

    def __init__(self, rows: dict[str, int], plain: npt.NDArray[np.bool_], keys: npt.NDArray[np.int64],
                 docs: npt.NDArray[np.int64], width: int) -> None:
        self.rows = rows
        self._plain = plain
        self._keys = keys  # row << 32 | (paragraph + _HALF) of every document of a plain row, sorted
        self._docs = docs  # the document of each key
        self._width = width  # documents in the segment

    def __len__(self) -> int:
        return len(self.rows)

    def documents(self, sources: Sequence[str], paragraphs: Sequence[int], deleted: Iterable[int]
                  ) -> tuple[list[int], list[int], list[int]]:
        """For passages given as (sources[i], paragraphs[i]): the indices i of those found here,
        their live documents, and the indices of those whose article is not a plain range (their
        postings say). The others have no live document in this segment."""
        import numpy as np

        n = len(sources)
        rows = np.fromiter(map(self.rows.get, sources, repeat(-1)), dtype=np.int64, count=n)
        numbers = np.fromiter(paragraphs, dtype=np.int64, count=n)
        known = rows >= 0
        plain = known & self._plain[np.where(known, rows, 0)]
        unknown = np.flatnonzero(known & ~plain).tolist()
        # (the column's numbers all fit in 32 bits: a paragraph that does not is in no document)
        plain &= (numbers >= -_HALF) & (numbers < _HALF)
        if not len(self._keys) or not plain.any():
            return [], [], unknown
        keys = (rows << 32) | (numbers + _HALF)
        at = np.minimum(np.searchsorted(self._keys, keys), len(self._keys) - 1)
        docs = self._docs[at]
        hit = plain & (self._keys[at] == keys)
        gone = np.fromiter(deleted, dtype=np.int64)
        if len(gone):
            hit &= ~np.isin(docs, gone)
        found = np.flatnonzero(hit)
        return found.tolist(), docs[found].tolist(), unknown


def ranges(searcher: Any, reader: Any) -> ArticleRanges | None:
    """The segment's `ArticleRanges` (made on first use, kept per searcher), or None when the
    segment is not laid out as expected."""
    cache: dict[int, ArticleRanges | None] = searcher.__dict__.setdefault("_briefing_article_ranges", {})
    key = id(reader)
    if key not in cache:
        cache[key] = _read(searcher, reader)
    return cache[key]


def _read(searcher: Any, reader: Any) -> ArticleRanges | None:
    from whoosh.fields import FieldType

    from briefing.index.search.fast import layout_matches, paragraph_column

    if not layout_matches():
        return None
    if type(reader.schema["source"]).to_bytes is not FieldType.to_bytes:
        return None  # (article ids are looked up as the UTF-8 of their text)
    column = paragraph_column(searcher, reader)
    if column is None:
        return None
    try:
        found = _source_infos(reader)
    except Exception:  # noqa: BLE001 - another layout: the caller reads each article's postings
        return None
    if found is None:
        return None
    terms, first, last, count = found
    import numpy as np

    width = len(column)
    if width and (int(column.min()) < -_HALF or int(column.max()) >= _HALF):
        return None
    lo = first.astype(np.int64)
    end = last.astype(np.int64) + 1
    # every document of the range is a posting of the term (and inside the column)
    whole = (first != _NO_ID) & (last != _NO_ID) & (end - lo == count) & (count > 0) & (end <= width)
    # paragraph numbers strictly increasing across the range: no step back between lo and end - 1
    backs = np.zeros(width + 1, dtype=np.int64)
    if width > 1:
        np.cumsum(column[1:] <= column[:-1], out=backs[2:])
    plain = whole & (backs[np.where(whole, end, 0)] == backs[np.where(whole, lo + 1, 0)])
    # every document of the plain rows with its (row, paragraph) key, row after row: sorted by
    # key as made (rows in order, a row's paragraph numbers increasing)
    rows_of = np.flatnonzero(plain)
    sizes = (end - lo)[rows_of]
    row_of_doc = np.repeat(rows_of, sizes)
    starts = np.repeat(lo[rows_of] - (np.cumsum(sizes) - sizes), sizes)
    docs = starts + np.arange(len(row_of_doc), dtype=np.int64)
    keys = (row_of_doc << 32) | (column[docs] + _HALF)
    rows = {term.decode("utf-8"): i for i, term in enumerate(terms)}
    return ArticleRanges(rows, plain, keys, docs, width)


def _source_infos(reader: Any) -> tuple[list[bytes], npt.NDArray[np.uint32], npt.NDArray[np.uint32], npt.NDArray[np.int64]] | None:
    """(terms, first documents, last documents, document counts) of the segment's `source`
    field, read off the term file's records, or None for another layout."""
    import numpy as np
    from whoosh.codec.whoosh3 import W3TermInfo
    from whoosh.filedb.filetables import OrderedHashReader
    from whoosh.reading import SegmentReader

    if type(reader) is not SegmentReader or reader.is_closed:
        return None
    terms_reader = reader._terms
    tindex = terms_reader._tindex
    if type(tindex) is not OrderedHashReader or W3TermInfo._struct.format != "!BfIBBfII":
        return None
    dtype = _INDEX_TYPES.get(tindex.extras.get("indextype"))
    if dtype is None:
        return None
    empty = np.zeros(0, dtype=np.uint32)
    number = terms_reader._fieldmap.get("source")
    if number is None:  # no article in this segment
        return [], empty, empty, np.zeros(0, dtype=np.int64)
    head = terms_reader._keycoder("source", b"")  # every key of the field starts with its number
    if len(head) != 2 or int.from_bytes(head, "big") != number:
        return None
    lo = _key_index(tindex, head)
    hi = _key_index(tindex, (number + 1).to_bytes(2, "big")) if number < 0xFFFF else tindex.indexlen
    if hi <= lo:
        return [], empty, empty, np.zeros(0, dtype=np.int64)
    size = tindex.indexsize
    where = np.frombuffer(bytes(tindex.dbfile.get(tindex.indexbase + lo * size, (hi - lo) * size)), dtype=dtype)
    where = where.astype(np.int64)
    start = int(where.min())
    last_key = int(where.max())
    keylen, datalen = _read_lengths(tindex, last_key)
    stop = last_key + 8 + keylen + datalen
    data = bytes(tindex.dbfile.get(start, stop - start))
    raw = np.frombuffer(data, dtype=np.uint8)
    at = where - start
    keylens = _uint32(raw, at).astype(np.int64)
    datalens = _uint32(raw, at + 4).astype(np.int64)
    info = at + 8 + keylens
    if int(datalens.min()) < _INFO_SIZE or int((info + datalens).max()) > len(data):
        return None
    for i, byte in enumerate(head):  # every record is one of the field's
        if not bool((raw[at + 8 + i] == byte).all()):
            return None
    skip = 8 + len(head)
    terms = [data[a + skip:a + 8 + k] for a, k in zip(at.tolist(), keylens.tolist())]
    count = _uint32(raw, info + 5).astype(np.int64)
    return terms, _uint32(raw, info + 15), _uint32(raw, info + 19), count


def _key_index(tindex: Any, key: bytes) -> int:
    """How many keys of the term file sort before `key` (a bisection of its index of keys)."""
    lo, hi = 0, tindex.indexlen
    base, size, position, key_at = tindex.indexbase, tindex.indexsize, tindex._get_pos, tindex.key_at
    while lo < hi:
        mid = (lo + hi) // 2
        if key_at(position(base + mid * size)) < key:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _read_lengths(tindex: Any, pos: int) -> tuple[int, int]:
    from struct import unpack

    keylen, datalen = unpack("!ii", bytes(tindex.dbfile.get(pos, 8)))
    return int(keylen), int(datalen)


def _uint32(raw: npt.NDArray[np.uint8], at: npt.NDArray[np.int64]) -> npt.NDArray[np.uint32]:
    """The big-endian 32-bit unsigned numbers starting at each of `at` in `raw`."""
    import numpy as np

    out = raw[at].astype(np.uint32) << np.uint32(24)
    out |= raw[at + 1].astype(np.uint32) << np.uint32(16)
    out |= raw[at + 2].astype(np.uint32) << np.uint32(8)
    out |= raw[at + 3].astype(np.uint32)
    return out
