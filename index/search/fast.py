"""The fast path for the common query shapes, and every read of Whoosh's private layout.

It reads Whoosh's codec internals (leaf matchers' stored blocks, field-length norms), so it runs
only on the Whoosh version whose layout it was written against (`LAYOUT_VERSION`); on any other
version `fast_search` returns None and the plain Whoosh search runs, with the same results.
"""

from __future__ import annotations

import re
import zlib
from array import array
from bisect import bisect_left, bisect_right
from heapq import nlargest
from itertools import accumulate, repeat
from math import log
from pickle import load, loads
from struct import Struct, pack, unpack_from
from typing import TYPE_CHECKING, Any, Callable, Iterator

from briefing.index.search.value_bytes import ENCODE as _ENCODE, ONE_PIECE as _ONE_PIECE, ONE_POSITION as _ONE_POSITION
from briefing.index.search.value_bytes import piece_value as _piece_value

if TYPE_CHECKING:  # numpy's types for mypy; numpy itself is imported where it is used (first search)
    import numpy as np
    import numpy.typing as npt

LAYOUT_VERSION = (2, 7, 5)  # whoosh-reloaded 2.7.5; pyproject pins the same version


def layout_matches() -> bool:
    import whoosh

    return tuple(whoosh.__version__[:3]) == LAYOUT_VERSION


# ---- a fast path for the common query shapes ------------------------------------------------
#
# Whoosh walks postings one Python method call at a time, scores an OR of many terms with a binary
# tree of union matchers that it re-plans every few documents (`replace`, `max_quality`), and
# counts a result set by running the query a second time. A prefix expanding to 64 common terms
# took 1-3 s at 10,000 articles. Terms, ORs of terms (prefix and wildcard expansions), ANDs of
# those, and phrases are evaluated here instead, a stored block of postings at a time, with the
# same BM25F scores, order and match count (tests/test_search_fast.py compares the two). Anything
# else (NOT, nested groups, non-BM25F weighting, another codec) returns None: Whoosh runs it.


class _Unsupported(Exception):
    """This query (or index) is not for the fast path."""


Clause = tuple[list[Any], float]  # items united (Term, Phrase, ExtraDocs), and the boost of their Or


def _scored_leaf(node: Any) -> bool:
    """A leaf query that scores its own documents (extra.py's ExtraDocs: the analysis' passages,
    `leaf_scores` and `passages`), known by that method: extra.py reads postings through this
    module, so this one does not import it."""
    return node.is_leaf() and callable(getattr(type(node), "leaf_scores", None)) and hasattr(node, "passages")


def _clauses(q: Any) -> list[Clause]:
    """The query as a conjunction of clauses, each an Or (boost) of terms, phrases, and the extra
    documents of `speaker:`/`side:` from the analysis (extra.py)."""
    from whoosh import query as wq


    def item(node: Any) -> Any:
        if type(node) is wq.Term or _scored_leaf(node):
            return node
        if type(node) is wq.Phrase and node.slop == 1 and len(node.words) >= 1:
            return node
        raise _Unsupported

    def clause(node: Any) -> Clause:
        if type(node) is wq.Or and node.subqueries:
            if getattr(node, "minmatch", 0) or getattr(node, "scale", None):
                raise _Unsupported
            return ([item(sub) for sub in node.subqueries], node.boost)
        return ([item(node)], 1.0)

    if type(q) is wq.And and q.subqueries:
        if q.boost != 1.0:
            raise _Unsupported
        return [clause(sub) for sub in q.subqueries]
    return [clause(q)]


class _Postings:
    """One term's postings in one segment: every block's header at once, a block's document ids
    and weights when first asked (read straight from the stored pickle, without unpickling the
    positions after them), its values (positions) only when a phrase asks."""

    __slots__ = ("maxids", "maxweights", "minlengths", "spans", "_ids", "_weights", "_values", "count", "_postfile", "_byteids", "_arrays",
                 "_heads_read")

    def __init__(self, matcher: Any) -> None:
        from whoosh.codec.whoosh3 import W3LeafMatcher

        self.maxids: list[int] = []
        self.maxweights: list[float] = []
        self.minlengths: list[int] = []
        self.spans: list[tuple[int, int, int, int]] = []  # (data offset, data length, compression, postings)
        self._ids: list[Any] = []  # per block: array("I") of document numbers once read
        self._weights: list[Any] = []
        self._values: list[Any] = []
        self._arrays: Any = None
        self._heads_read: list[bytes] | None = None
        self.count = 0
        if type(matcher) is W3LeafMatcher:
            self._postfile = matcher._postfile
            self._byteids = matcher._byteids
            if not self._walk(matcher):  # not the header expected: as W3LeafMatcher reads them
                self._walk(matcher, slow=True)
        else:  # postings kept inline in the term info: a handful at most, one block
            ids, weights, values = [], [], []
            while matcher.is_active():
                ids.append(matcher.id())
                weights.append(matcher.weight())
                values.append(matcher.value())
                matcher.next()
            if ids:
                self.maxids.append(ids[-1])
                self.maxweights.append(max(weights))
                self.minlengths.append(0)
                self.spans.append((0, 0, 0, len(ids)))
                self.count = len(ids)
            self._postfile = None
            self._byteids = True
            self._ids.append(ids)
            self._weights.append(weights)
            self._values.append(values)
            return
        n = len(self.maxids)
        self._ids = [None] * n
        self._weights = [None] * n
        self._values = [None] * n

    def _walk(self, matcher: Any, slow: bool = False) -> bool:
        """Read every block's header: (length, then a pickled (postings, last id, max weight,
        compression, min length byte, max length byte)), straight from the file."""
        from whoosh.util.numeric import byte_to_length

        file = getattr(matcher._postfile, "file", None)
        if slow or file is None or not hasattr(file, "seek"):
            while matcher.is_active():
                self.maxids.append(matcher._maxid)
                self.maxweights.append(matcher._maxweight)
                self.minlengths.append(matcher._minlength)
                self.spans.append((matcher._dataoffset, matcher._nextoffset - matcher._dataoffset, matcher._compression,
                                   matcher._blocklength))
                self.count += matcher._blocklength
                if matcher._lastblock:
                    break
                matcher._next_block()
            return True
        unpack = Struct("!i").unpack
        position = matcher._baseoffset
        while True:
            file.seek(position)
            length = unpack(file.read(4))[0]
            info = load(file)
            if not (isinstance(info, tuple) and len(info) == 6):
                del self.maxids[:], self.maxweights[:], self.minlengths[:], self.spans[:]
                self.count = 0
                return False
            count, maxid, maxweight, compression, minlength, _maxlength = info
            data = file.tell()
            end = position + 4 + abs(length)
            self.maxids.append(maxid)
            self.maxweights.append(maxweight)
            self.minlengths.append(byte_to_length(minlength))
            self.spans.append((data, end - data, compression, count))
            self.count += count
            if length < 0:  # the last block
                return True
            position = end

    @classmethod
    def from_extent(cls, postfile: Any, offset: int, length: int, heads: bool = False) -> "_Postings | None":
        """A term's postings from where its TermInfo says they are (the whole extent read in one
        go, each block's header matched as Whoosh 2.7.5 pickles it), without a W3LeafMatcher,
        whose start reads the first header through the file again; None if the extent is not
        laid out as expected. With `heads`, the start of every block's pickle is cut from the same
        bytes for `read_arrays` (`_head`), instead of the extent being read again."""
        data = bytes(postfile.get(offset, length))
        length_of = _BYTE_LENGTHS or _byte_lengths()
        if data[:4] != _MAGIC[0]:
            return None
        self = cls.__new__(cls)
        maxids: list[int] = []
        maxweights: list[float] = []
        minlengths: list[int] = []
        spans: list[tuple[int, int, int, int]] = []
        cut: list[bytes] | None = [] if heads else None
        self.maxids, self.maxweights, self.minlengths, self.spans = maxids, maxweights, minlengths, spans
        self._postfile, self._byteids = postfile, None  # (W3 postings: ids stored as deltas)
        self._arrays = None
        unpack, match, position, total, size_of = _INT.unpack_from, _HEADER.match, 4, 0, len(data)
        while True:
            if position + 4 > size_of:
                return None
            size = unpack(data, position)[0]
            found = match(data, position + 4)
            if found is None:
                return None
            count, maxid, maxweight, compression, minlength, _maxlength = loads(found.group())
            start, end = found.end(), position + 4 + abs(size)
            if end > size_of or start > end:
                return None
            maxids.append(maxid)
            maxweights.append(maxweight)
            minlengths.append(length_of[minlength])
            spans.append((offset + start, end - start, compression, count))
            total += count
            if cut is not None:
                cut.append(_head(data[start:end], compression, count, maxweight == 1.0))
            position = end
            if size < 0:  # the last block
                break
        if position != size_of:
            return None
        self.count = total
        n = len(maxids)
        self._ids, self._weights, self._values = [None] * n, [None] * n, [None] * n
        self._heads_read = cut
        return self

    def __len__(self) -> int:
        return len(self.maxids)

    def _data(self, j: int, head: bool = False) -> bytes:
        """The block's pickle; with `head`, only as much of its start as holds the ids and the
        weights (`_head`)."""
        offset, length, compression, count = self.spans[j]
        data = bytes(self._postfile.get(offset, length))
        if head:
            return _head(data, compression, count, self.maxweights[j] == 1.0)
        if compression:
            data = zlib.decompress(data)
        return data

    def ids(self, j: int) -> Any:
        """The block's document numbers, ascending (an array of ints)."""
        ids = self._ids[j]
        if ids is None:
            self._load(j)
            ids = self._ids[j]
            assert ids is not None
        return ids

    def weights(self, j: int) -> Any:
        """The block's weights: a list, or a float that all its postings have."""
        if self._ids[j] is None:
            self._load(j)
        return self._weights[j]

    def values(self, j: int) -> Any:
        """The block's values (not kept: positions are large, and only phrases ask)."""
        values = self._values[j]
        if values is None:
            values = loads(self._data(j))[2]
        return values

    def pieces(self, j: int) -> list[bytes] | None:
        """Block j's pickle cut into one piece per value (`_value_pieces`), or None."""
        if self._values[j] is not None:
            return None
        return _value_pieces(self._data(j), self.spans[j][3])

    def values_at(self, j: int, wanted: list[int], pieces: list[bytes] | None = None) -> list[bytes]:
        """The values of the postings at indexes `wanted` of block j, from its `pieces` where
        they are given (only those turned into bytes), else from the whole pickle."""
        if pieces is not None:
            found = [_piece_value(pieces[i]) for i in wanted]
            if None not in found:
                return found  # type: ignore[return-value]
        values = self.values(j)
        return [values[i] for i in wanted]

    def arrays(self) -> tuple[Any, Any]:
        """Every block's document numbers and weights, concatenated (uint32 and float64 arrays:
        see arrays.py), made once."""
        if self._arrays is None:
            read_arrays([self])
        assert self._arrays is not None
        return self._arrays  # type: ignore[no-any-return]

    def _heads(self) -> list[bytes] | None:
        """The start of every block's pickle (as `_head` cuts it: the ids and weights), the whole
        extent read at once, or as `from_extent` cut them; None when the blocks are not all still
        unread on file (`_joined` then)."""
        heads, self._heads_read = self._heads_read, None
        spans = self.spans
        if self._postfile is None or not spans or any(ids is not None for ids in self._ids):
            return None
        if heads is not None:
            return heads
        start = spans[0][0]
        whole = bytes(self._postfile.get(start, spans[-1][0] + spans[-1][1] - start))
        return [_head(whole[offset - start:offset - start + length], compression, count, top == 1.0)
                for (offset, length, compression, count), top in zip(spans, self.maxweights)]

    def _joined(self) -> tuple[Any, Any]:
        """The blocks' ids and weights, each block read alone (and kept), concatenated."""
        import numpy as np

        from briefing.index.search.arrays import float_array, id_array

        blocks = [id_array(self.ids(j)) for j in range(len(self.spans))]
        return np.concatenate(blocks), np.concatenate([float_array(self.weights(j), len(ids)) for j, ids in enumerate(blocks)])

    def _decoded(self, j: int, head: bytes) -> tuple[Any, Any]:
        """(ids as stored, weights: None for all 1.0, a float, or one per posting) of block j,
        from `head` (the start of its pickle: see `_data`), else from the whole pickle."""
        count = self.spans[j][3]
        found = _ids_alone(head, count)
        if found is None:
            found = _ids_and_weights(head)
        if found is not None and (len(found[0]) != count or not isinstance(found[1], (float, type(None))) and len(found[1]) != count):
            found = None
        if found is None:  # not the layout expected: unpickle it all
            whole = loads(self._data(j))
            found = (whole[0], whole[1])
        return found

    def _load(self, j: int) -> None:
        ids, weights = self._decoded(j, self._data(j, head=True))
        # kept compact (4 bytes an id, 8 a weight) for the next queries: see POSTINGS_KEPT
        self._ids[j] = array("I", ids if self._byteids else accumulate(ids))  # stored as deltas
        self._weights[j] = 1.0 if weights is None else weights if isinstance(weights, float) else array("d", weights)

    def whole(self, j: int) -> bytes | None:
        """Block j's whole pickle, its ids and weights read from it too when they are not read
        yet (a phrase needs the positions after them: one decompression, not two); None for
        postings kept inline (their values are a list, see `values`)."""
        if self._values[j] is not None or self._postfile is None:
            return None
        data = self._data(j)
        if self._ids[j] is None:
            found = _ids_before_values(data, self.spans[j][3])
            if found is None:  # not the layout expected: read as the ids alone are
                self._load(j)
                return data
            ids, weights = found
            self._ids[j] = array("I", ids if self._byteids else accumulate(ids))
            self._weights[j] = 1.0 if weights is None else weights if isinstance(weights, float) else array("d", weights)
        return data


_INT = Struct("!i")
# A block header as Whoosh 2.7.5 pickles it (protocol 2): MARK, the postings (BININT1 or 2), the
# last id (BININT1, 2 or 4), the highest weight (BINFLOAT), compression, shortest and longest
# length bytes (BININT1), TUPLE, BINPUT 0, STOP
_HEADER = re.compile(rb"\x80\x02\((?:K.|M..)(?:K.|M..|J....)G.{8}K.K.K.tq\x00\.", re.S)


def _head(block: bytes, compression: int, count: int, ones: bool = False) -> bytes:
    """As much of the start of a block's pickle as holds its ids and weights (they come first:
    the positions after them are most of the block, and are left compressed): at most 5 bytes an
    id and 9 a weight with their opcodes. With `ones` (the block's highest weight is 1.0, so its
    weights are pickled as None), as much as the ids need."""
    if not compression:
        return block

    return zlib.decompressobj().decompress(block, (24 + 5 * count) if ones else (16 + 14 * count))


def read_arrays(terms: list[_Postings]) -> None:
    """Make the `arrays` of every term of `terms` that has none, in one pass over all their
    blocks (a query's terms have a few hundred: a Python step or two each, instead of a dozen).

    Each block's ids and weights are cut out of the start of its pickle (`_cut`): the ids' int
    opcodes of every block are joined into one pickled tuple, unpickled in one call, and turned
    from deltas into document numbers in one cumulative sum; the weights, fixed-size BINFLOATs,
    are read as big-endian doubles without unpickling. A block that does not cut so is read
    alone (`_decoded`); a term whose blocks were read before, a block at a time (`_joined`)."""
    import numpy as np

    batch: list[tuple[_Postings, list[bytes]]] = []
    for postings in dict.fromkeys(terms):
        if postings._arrays is not None:
            continue
        heads = postings._heads() if not postings._byteids else None
        if heads is None:
            postings._arrays = postings._joined()
        else:
            batch.append((postings, heads))
    if not batch:
        return
    counts: list[int] = []
    cuts: list[tuple[bytes, Any] | None] = []
    for postings, heads in batch:
        for head, span in zip(heads, postings.spans):
            counts.append(span[3])
            cuts.append(_cut(head, span[3]))
    runs = [found[0] for found in cuts if found is not None]
    flat: Any = ()
    if runs:
        try:
            flat = loads(b"\x80\x02(" + b"".join(runs) + b"t.")
        except Exception:  # noqa: BLE001 - a cut inside an id's bytes: every block alone
            flat = ()
        if type(flat) is not tuple or len(flat) != sum(n for n, found in zip(counts, cuts) if found is not None):
            flat, cuts = (), [None] * len(cuts)
    heads_all = [(postings, j, head) for postings, heads in batch for j, head in enumerate(heads)]
    cut_ids = np.frombuffer(array("I", flat), dtype=np.uint32)
    parts: list[Any] = []  # per block, when some are read alone: its ids as stored
    weights: list[float] = []  # per block: the weight of all its postings (1.0), or NaN: one each
    each: list[bytes] = []  # BINFLOAT runs of the blocks with a weight each, in order
    alone = any(found is None for found in cuts)
    at = 0
    for (postings, j, head), found, n in zip(heads_all, cuts, counts):
        if found is None:
            ids, w = postings._decoded(j, head)
            if alone:
                parts.append(np.array(ids, dtype=np.uint32))
            if w is not None and not isinstance(w, float):
                w = b"".join(pack(">cd", b"G", x) for x in w)
        else:
            w = found[1]
            if alone:
                parts.append(cut_ids[at:at + n])
            at += n
        if isinstance(w, bytes):
            each.append(w)
            weights.append(float("nan"))
        else:
            weights.append(1.0 if w is None else w)
    deltas = np.concatenate(parts) if alone else cut_ids
    ends = np.fromiter(accumulate(counts), dtype=np.int64, count=len(counts))
    ids = np.cumsum(deltas, dtype=np.uint32)  # deltas from 0 in every block (W3 postings): < 2**32
    if len(counts) > 1:
        ids -= np.repeat(np.concatenate((np.zeros(1, dtype=np.uint32), ids[ends[:-1] - 1])), counts)
    tfs = np.repeat(np.array(weights, dtype=np.float64), counts)
    if each:
        floats = np.frombuffer(b"".join(each), dtype=np.uint8).reshape(-1, 9)[:, 1:].copy().view(">f8").ravel()
        tfs[np.isnan(tfs)] = floats
    lasts = ids[ends - 1].tolist()
    at = block = 0
    for postings, heads in batch:
        size, n = postings.count, len(heads)
        if lasts[block:block + n] == postings.maxids:  # (a block cut wrongly: its last id is in its header)
            postings._arrays = (ids[at:at + size].copy(), tfs[at:at + size].copy())
        else:
            postings._arrays = postings._joined()
        at += size
        block += n


def _cut(head: bytes, count: int) -> tuple[bytes, Any] | None:
    """(the int opcodes of the ids, the weights) at the start of a block's pickle `head`, or None
    when the block does not start so: more than three ids (a MARK, their ints, TUPLE, BINPUT 0),
    then NONE (every weight 1.0: None), one BINFLOAT (one weight for all: that float), or a MARK,
    `count` BINFLOATs and TUPLE (a weight each: the BINFLOATs' bytes). Only the ends are looked
    at: a cut inside an id's bytes gives a wrong count or wrong ids, which the caller checks (the
    count, and every block's last id, which its header holds)."""
    if head[2:3] != b"(":
        return None
    end = head.find(b"tq\x00", 3)
    if end < 0:
        return None
    after = end + 3
    kind = head[after:after + 1]
    if kind == b"N":
        return head[3:end], None
    if kind == b"G":
        return (head[3:end], float(unpack_from(">d", head, after + 1)[0])) if len(head) >= after + 9 else None
    if kind == b"(":
        close = after + 1 + 9 * count
        if head[after + 1:after + 2] == b"G" and head[close:close + 1] == b"t":
            return head[3:end], head[after + 1:close]
    return None


def _ids_alone(head: bytes, count: int) -> tuple[Any, None] | None:
    """(ids, None) of a block whose postings all weigh 1.0 (most blocks: each word once in its
    passage), cut at the end of the ids tuple (its memo, then NONE) without a regex walk over them;
    None otherwise (`_ids_and_weights` reads it then)."""
    if head[2:3] != b"(":  # MARK: more than three ids
        return None
    end = head.find(b"tq\x00N", 3)
    if end < 0:
        return None
    try:
        ids = loads(head[:end + 1] + b".")
    except Exception:  # noqa: BLE001 - a "tq\0N" inside an id's bytes: read the slow way
        return None
    if type(ids) is not tuple or len(ids) != count:
        return None
    return ids, None




def _ids_before_values(data: bytes, count: int) -> tuple[Any, Any] | None:
    """(ids, weights) of a whole block pickle, unpickled from the bytes before its first value
    (where codecs.encode is first named: the values' MARK, if any, just before it) with a TUPLE2
    and STOP put after them; None unless that reads as `count` ids and their weights."""
    at = data.find(_ENCODE)
    if at < 3 or data[:2] != b"\x80\x02":
        return None
    end = at - 1 if data[at - 1] == 0x28 else at  # MARK of a tuple of more than three values
    try:
        found = loads(data[:end] + b"\x86.")
    except Exception:  # noqa: BLE001 - not cut where a value starts: the caller reads it another way
        return None
    if type(found) is not tuple or len(found) != 2 or type(found[0]) is not tuple or len(found[0]) != count:
        return None
    weights = found[1]
    if not (weights is None or type(weights) is float or type(weights) is tuple and len(weights) == count):
        return None
    return found[0], weights


def _value_pieces(data: bytes, count: int) -> list[bytes] | None:
    """A block pickle's values (a tuple of bytes) cut into one piece per value, each starting at
    its text's 4-byte length: or None when the block is not laid out so.

    Unpickling rebuilds every value through a codecs.encode call, most of a phrase's time; the
    values are cut at the bytes that call every value after the first (BINGET of the memoised
    function, BINUNICODE) instead, in C. A value whose bytes held that separator would add a
    piece: exactly `count` pieces means every cut is a real one."""
    at = data.find(_ENCODE)
    if at < 0:
        return None
    memo = data[at + len(_ENCODE):at + len(_ENCODE) + 3]  # BINPUT n, then the first value's X
    if len(memo) < 3 or memo[0] != 0x71 or memo[2] != 0x58:
        return None
    pieces = data[at + len(_ENCODE) + 3:].split(b"h" + memo[1:])  # BINGET n, BINUNICODE
    return pieces if len(pieces) == count else None


_IDS = re.compile(rb"\(?(?:K.|M..|J....)*", re.S)  # MARK? then BININT1/BININT2/BININT opcodes
_FLOATS = re.compile(rb"\(?(?:G.{8})*", re.S)  # MARK? then BINFLOAT opcodes
_TUPLES = {1: 0x85, 2: 0x86, 3: 0x87}  # TUPLE1..TUPLE3


def _ids_and_weights(data: bytes) -> tuple[Any, Any] | None:
    """(ids, weights) of a block's pickled (ids, weights, values) tuple, unpickling only those two.

    The values (a pickled bytes object per posting, which protocol 2 rebuilds through a call to
    codecs.encode) are most of the block and of its unpickling time; they are cut off. None when
    the pickle is not laid out as Whoosh 2.7.5 writes it (the caller unpickles it all then).
    """
    if data[:2] != b"\x80\x02":
        return None
    end = len(data)

    def memo(pos: int) -> int:
        if pos < end and data[pos] == 0x71:  # BINPUT
            return pos + 2
        if pos < end and data[pos] == 0x72:  # LONG_BINPUT
            return pos + 5
        return pos

    def closed(start: int, stop: int, size: int) -> int | None:
        """After a run of `size`-byte items from `start` to `stop`: past the tuple's end (and
        its memo), or None if no tuple ends there."""
        if stop >= end:
            return None
        marked = data[start] == 0x28
        count = (stop - start - marked) // size
        op = data[stop]
        if marked and op == 0x74 or not marked and _TUPLES.get(count) == op or op == 0x29 and stop == start:
            return memo(stop + 1)  # TUPLE, TUPLE1-3, EMPTY_TUPLE
        return None

    ids = _IDS.match(data, 2)
    if ids is None:
        return None
    # ints are 2, 3 or 5 bytes: without a MARK (three ids at most) the run is walked to count them
    start, stop = 2, ids.end()
    if stop >= end:
        return None
    op = data[stop]
    if data[start] == 0x28:
        pos = memo(stop + 1) if op == 0x74 else None
    elif op == 0x29 and stop == start:
        pos = memo(stop + 1)
    else:
        count, i = 0, start
        while i < stop:
            i += {0x4B: 2, 0x4D: 3, 0x4A: 5}[data[i]]
            count += 1
        pos = memo(stop + 1) if _TUPLES.get(count) == op else None
    if pos is None or pos >= end:
        return None
    if data[pos] == 0x4E:  # NONE: every weight 1.0
        pos += 1
    else:
        floats = _FLOATS.match(data, pos)
        assert floats is not None  # (the pattern matches the empty string)
        after = closed(pos, floats.end(), 9)
        if after is None:
            if data[pos] == 0x47 and floats.end() == pos + 9:
                after = pos + 9  # one float: the weight of every posting
            else:
                return None
        pos = after
    try:
        found = loads(data[:pos] + b"\x86.")  # TUPLE2 of the two, STOP
    except Exception:  # noqa: BLE001 - then the whole pickle is read
        return None
    if not isinstance(found, tuple) or len(found) != 2:
        return None
    return found[0], found[1]


def _postings(searcher: Any, reader: Any, fieldname: str, text: bytes, heads: bool = False) -> _Postings | None:
    """A term's postings in a segment (kept per searcher for the next queries, within a budget);
    with `heads`, read for `read_arrays` next (see `_Postings.from_extent`)."""
    from collections import OrderedDict

    cache: OrderedDict[Any, _Postings | None] = searcher.__dict__.setdefault("_briefing_postings", OrderedDict())
    key = (id(reader), fieldname, text)
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    found = None
    from whoosh.reading import SegmentReader, TermNotFound

    matcher = None
    terms = getattr(reader, "_terms", None)
    if type(reader) is SegmentReader and terms is not None and not reader.is_closed:
        info = _term_info(reader, fieldname, text, checked=True)
        if info is None:  # no lexicon copy: one look-up in the term hash
            try:
                info = terms.term_info(fieldname, text)
            except TermNotFound:
                info = _ABSENT
        if type(info) is tuple:  # (offset, length) of postings on file
            found = _Postings.from_extent(terms._postfile, info[0], info[1], heads)
            if found is None:  # not laid out as expected: Whoosh's own reader, below
                info = terms.term_info(fieldname, text)
        elif info is not _ABSENT and not info.is_inlined():
            offset, length = info.extent()
            if isinstance(length, tuple):  # (TermInfo.from_bytes leaves the length unpacked)
                length = length[0]
            found = _Postings.from_extent(terms._postfile, offset, length, heads)
        if found is None and info is not _ABSENT:
            # SegmentReader.postings without its FilterMatcher for deletions, whose start
            # unpickles the first block whole (positions too) to find a live document
            matcher = terms._codec.postings_reader(terms._postfile, info, reader.schema[fieldname].format,
                                                   term=(fieldname, text), scorer=None)
    elif (fieldname, text) in reader:
        try:
            matcher = reader.postings(fieldname, text)
        except TermNotFound:
            matcher = None
    if matcher is not None:
        from whoosh.matching.wrappers import FilterMatcher

        if type(matcher) is FilterMatcher:  # deleted documents are left out by the callers
            matcher = matcher.child
        found = _Postings(matcher)
    cache[key] = found
    kept = searcher.__dict__.get("_briefing_kept", 0) + (found.count if found is not None else 1)
    while kept > POSTINGS_KEPT and len(cache) > 1:
        _old, dropped = cache.popitem(last=False)
        kept -= dropped.count if dropped is not None else 1
    searcher.__dict__["_briefing_kept"] = kept
    return found


_ABSENT = object()


def _term_info(reader: Any, fieldname: str, text: bytes, checked: bool = False) -> Any:
    """A term's TermInfo read where the segment's lexicon copy (made for prefixes, see
    `_lexicon`) says it is, instead of two look-ups in Whoosh's term hash (`in`, then
    `term_info`): for postings on file only their (offset, length), unpacked here; `_ABSENT` if
    the copy has no such term, None when there is no copy."""
    if not checked:  # (`checked`: the caller knows the reader is an open SegmentReader)
        from whoosh.reading import SegmentReader

        if type(reader) is not SegmentReader or reader.is_closed:
            return None
    found = _lexicon(reader, fieldname, build=False)
    if found is None:
        return None
    terms, _counts, offsets, lengths = found
    i = bisect_left(terms, text)
    if i == len(terms) or terms[i] != text:
        return _ABSENT
    data = reader._terms._tindex.dbfile.get(offsets[i], lengths[i])
    if len(data) == _EXTENT_INFO.size and not data[0]:  # postings on file, not inline
        found = _EXTENT_INFO.unpack(data)
        return (found[-2], found[-1])
    from whoosh.codec.whoosh3 import W3TermInfo

    return W3TermInfo.from_bytes(data)


# W3TermInfo.to_bytes of postings on file: its struct ("!BfIBBfII", flags first), then the
# postings' offset ("!Q") and length ("!i")
_EXTENT_INFO = Struct("!BfIBBfIIQi")


POSTINGS_KEPT = 2_000_000  # postings of recent terms whose ids and weights a searcher keeps (~12 bytes each)


_BYTE_LENGTHS: list[int] = []  # whoosh.util.numeric.byte_to_length of every byte
_MAGIC: list[bytes] = []  # whoosh.codec.whoosh3.WHOOSH3_HEADER_MAGIC (the start of a term's postings)


def _byte_lengths() -> list[int]:
    """Fill `_BYTE_LENGTHS` and `_MAGIC` from Whoosh (imported at the first search, not with
    this module)."""
    from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
    from whoosh.util.numeric import byte_to_length

    if not _BYTE_LENGTHS:
        _MAGIC.append(WHOOSH3_HEADER_MAGIC)
        _BYTE_LENGTHS.extend(byte_to_length(i) for i in range(256))
    return _BYTE_LENGTHS


def _norms(searcher: Any, reader: Any, fieldname: str, b: float, k1: float, avgfl: float) -> list[float]:
    """K1 * ((1 - B) + B * length / avgfl) for every document of a segment (cached per searcher)."""
    cache = searcher.__dict__.setdefault("_briefing_norms", {})
    key = (id(reader), fieldname, b, k1, avgfl)
    norms: list[float] | None = cache.get(key)
    if norms is not None:
        return norms
    table = [k1 * ((1 - b) + b * length / avgfl) for length in _BYTE_LENGTHS or _byte_lengths()]
    try:  # the whole lengths column in one read
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None or column._fixedlen != 1:
            raise _Unsupported
        data = bytes(column._dbfile.get(column._basepos, column._count))
    except _Unsupported:
        raise
    except Exception:  # noqa: BLE001 - another codec or layout
        raise _Unsupported from None
    data += bytes(max(0, reader.doc_count_all() - len(data)))
    norms = [table[byte] for byte in data]
    cache[key] = norms
    return norms


SKIP_BELOW = 512  # candidates left: read only the blocks of a term's postings that may hold them


def _bm25_params(searcher: Any, fieldname: str) -> tuple[float, float, float] | None:
    """(B, K1, average field length) as BM25F.scorer and BM25FScorer take them, or None for a
    field Whoosh scores by weight alone (not scorable)."""
    cache: dict[str, tuple[float, float, float] | None] = searcher.__dict__.setdefault("_briefing_bm25", {})
    if fieldname in cache:
        return cache[fieldname]
    weighting = searcher.weighting
    params = None
    if searcher.schema[fieldname].scorable:
        b = weighting._field_B.get(fieldname, weighting.B)
        params = (b, weighting.K1, searcher.get_parent().avg_field_length(fieldname) or 1)
    cache[fieldname] = params
    return params


def _idf(parent: Any, fieldname: str, text: bytes) -> float:
    """`parent.idf(fieldname, text)` (cached there as Whoosh caches it), with the document count
    read from the segments' lexicon copies when they have been made: Whoosh looks the term up
    in every segment's term hash."""
    from whoosh.scoring import WeightingModel

    cache = parent._idf_cache
    key = (fieldname, text)
    if key in cache or type(parent.weighting).idf is not WeightingModel.idf:
        return float(parent.idf(fieldname, text))

    count = 0
    for sub, _offset in parent.reader().leaf_readers():
        found = _lexicon(sub, fieldname, build=False)
        if found is None:
            return float(parent.idf(fieldname, text))
        terms, counts = found[0], found[1]
        i = bisect_left(terms, text)
        if i < len(terms) and terms[i] == text:
            count += counts[i]
    idf = log(parent.doc_count_all() / (count + 1)) + 1  # WeightingModel.idf, with that count
    cache[key] = idf
    return idf


class _Scorer:
    """BM25F as Whoosh scores one term in one segment: `top * tf / (tf + norms[doc])`."""

    __slots__ = ("postings", "top", "norms", "k1", "b", "avgfl")

    def __init__(self, searcher: Any, leaf: Any, reader: Any, term: Any, boost: float, heads: bool = False) -> None:
        fieldname, text = term.fieldname, term.text
        if isinstance(text, str):
            text = searcher.schema[fieldname].to_bytes(text)
        self.postings = _postings(searcher, reader, fieldname, text, heads)
        self.norms: list[float] | None = None
        self.top = boost * term.boost
        self.k1 = self.b = self.avgfl = 0.0
        if self.postings is None:
            return
        # As Whoosh's BM25F.scorer: idf and average length from the top searcher (global), B
        # per field; a field without lengths is scored by weight. Looked up once per searcher.
        params = _bm25_params(searcher, fieldname)
        if params is not None:
            b, k1, avgfl = params
            idf = _idf(searcher.get_parent(), fieldname, text)
            self.norms = _norms(searcher, reader, fieldname, b, k1, avgfl)
            self.top = idf * (k1 + 1) * self.top
            self.k1, self.b, self.avgfl = k1, b, avgfl

    def highest(self) -> float:
        """The highest score any of the term's postings can have, from its blocks' headers (highest
        weight, shortest field)."""
        assert self.postings is not None
        weights, top = self.postings.maxweights, self.top
        if not weights:
            return 0.0
        if self.norms is None:
            return float(max(w * top for w in weights))
        k1, b, avgfl = self.k1, self.b, self.avgfl
        return float(max(top * w / (w + k1 * ((1 - b) + b * length / avgfl)) for w, length in zip(weights, self.postings.minlengths)))

    def add_hits(self, into: dict[int, float], hits: Any, tfs: Any) -> None:
        """Add to `into` the scores of the documents `hits` (distinct), whose term weights are
        `tfs` (in the same order, or one float for all): `top * tf / (tf + norms[doc])`, each
        added onto what `into` holds for the document. The same operations in the same order as
        one posting at a time, so the same floats, but run in C over the whole list (map)."""
        from operator import add, mul, truediv

        if not len(hits):
            return
        top, norms = self.top, self.norms
        scores: Any
        if isinstance(tfs, float):
            if norms is None:
                scores = repeat(tfs * top)
            else:
                scores = map(truediv, repeat(top * tfs), map(add, repeat(tfs), map(norms.__getitem__, hits)))
        elif norms is None:
            scores = map(mul, tfs, repeat(top))
        else:
            scores = map(truediv, map(mul, repeat(top), tfs), map(add, tfs, map(norms.__getitem__, hits)))
        into.update(zip(hits, list(map(add, map(into.get, hits, repeat(0.0)), scores))))

    def hits_in(self, j: int, docs: Any) -> tuple[list[int], Any]:
        """The documents of `docs` (a set, or an iterable) in block j, and their weights (as
        `add_hits` takes them)."""
        assert self.postings is not None
        ids, weights = self.postings.ids(j), self.postings.weights(j)
        hits = list((docs if isinstance(docs, (set, frozenset)) else set(docs)).intersection(ids))
        if isinstance(weights, float) or not hits:
            return hits, weights
        return hits, list(map(weights.__getitem__, map(bisect_left, repeat(ids), hits)))

    def docs(self, within: list[int] | None = None) -> set[int]:
        """The term's documents (among the sorted `within`, reading only the blocks they fall in)."""
        postings = self.postings
        if postings is None:
            return set()
        out: set[int] = set()
        if within is None and postings._arrays is not None:
            return set(postings._arrays[0].tolist())
        if within is None:
            for j in range(len(postings)):
                out.update(postings.ids(j))
            return out
        for j, lo, hi in self._blocks_of(within):
            out.update(set(postings.ids(j)).intersection(within[lo:hi]))
        return out

    def _blocks_of(self, within: list[int]) -> Iterator[tuple[int, int, int]]:
        """(block, start, end): the blocks holding the sorted documents within[start:end]."""
        assert self.postings is not None
        maxids = self.postings.maxids
        i, n = 0, len(within)
        while i < n:
            j = bisect_left(maxids, within[i])
            if j == len(maxids):
                return
            end = bisect_right(within, maxids[j], i)
            yield j, i, end
            i = end

    def scores(self, within: list[int], into: dict[int, float]) -> None:
        """Add the scores of the sorted documents `within` that have the term to `into`."""
        if self.postings is None:
            return
        if self.postings._arrays is not None and within and len(self.postings._arrays[0]):  # (read whole: looked up in C)
            import numpy as np

            ids, tfs = self.postings._arrays
            docs = np.asarray(within, dtype=np.int64)
            at = np.minimum(np.searchsorted(ids, docs), len(ids) - 1)
            hit = ids[at] == docs
            self.add_hits(into, docs[hit].tolist(), tfs[at[hit]].tolist())
            return
        wanted = set(within) if len(within) > 64 else None
        for j, lo, hi in self._blocks_of(within):
            self.add_hits(into, *self.hits_in(j, wanted if wanted is not None and hi - lo > 8 else within[lo:hi]))

    def positions_of(self, within: list[int], decoded: Callable[[bytes], Any]) -> dict[int, Any]:
        """{doc: positions} for the sorted documents `within` that have the term: an int for a
        word once in its passage at a position under 128 (read off its piece of the block's
        pickle, see `_value_pieces`), else `decoded(value)`."""
        postings = self.postings
        out: dict[int, Any] = {}
        if postings is None:
            return out
        one, tail = _ONE_PIECE, b"a."
        for j, lo, hi in self._blocks_of(within):
            ids = postings.ids(j)
            size = len(ids)
            at: dict[int, int] = {}  # posting index -> document
            for doc in within[lo:hi]:
                i = bisect_left(ids, doc)
                if i < size and ids[i] == doc:
                    at[i] = doc
            if not at:
                continue
            pieces = postings.pieces(j)
            if pieces is not None:
                rest = {}
                for i, doc in at.items():
                    piece = pieces[i]
                    if piece.startswith(one) and piece[16:18] == tail:  # its length says 14: nothing more
                        out[doc] = piece[15]
                    else:
                        rest[i] = doc
                at = rest
                if not at:
                    continue
            for doc, value in zip(at.values(), postings.values_at(j, list(at), pieces)):
                out[doc] = decoded(value)
        return out


def deleted_documents(reader: Any) -> set[int] | frozenset[int]:
    """A segment's deleted documents (the fast path's and the modules' around it)."""
    if not reader.has_deletions():
        return frozenset()
    found = getattr(reader, "deleted_docs_set", None)
    if isinstance(found, (set, frozenset)):
        return found
    return {doc for doc in range(reader.doc_count_all()) if reader.is_deleted(doc)}


def _phrase_docs(searcher: Any, leaf: Any, reader: Any, phrase: Any, within: list[int] | None) -> dict[int, float]:
    """Documents (among `within`) where the phrase's words stand side by side, scored as
    Whoosh's phrase matcher scores them: its words' scores (a repeated word counts each time)
    summed as its binary tree of intersections sums them (`phrase_total`), then times the
    phrase's boost (its wrapping matcher)."""
    from whoosh import query as wq

    field = searcher.schema[phrase.fieldname]
    fmt = field.format
    if not fmt or not fmt.supports("positions"):
        raise _Unsupported
    words = []
    for word in phrase.words:
        try:
            words.append(field.to_bytes(word))
        except ValueError:
            return {}
    scorers = {w: _Scorer(searcher, leaf, reader, wq.Term(phrase.fieldname, w), 1.0) for w in dict.fromkeys(words)}
    if any(sc.postings is None for sc in scorers.values()):
        return {}
    from whoosh.formats import Positions

    from briefing.index.search.phrases import phrase_scores, phrase_total

    arrays = phrase_scores(scorers, words, type(fmt) is Positions, _positions_decoder(fmt), within)
    if arrays is not None:
        return arrays if phrase.boost == 1.0 else {doc: score * phrase.boost for doc, score in arrays.items()}
    candidates = within
    for sc in sorted(scorers.values(), key=lambda sc: sc.postings.count if sc.postings else 0):
        found = sc.docs(candidates if candidates is not None and len(candidates) <= SKIP_BELOW * 8 else None)
        if candidates is not None:
            found.intersection_update(candidates)
        candidates = sorted(found)
        if not candidates:
            return {}
    assert candidates is not None
    decoded = _positions_decoder(fmt)
    values = {w: sc.positions_of(candidates, decoded) for w, sc in scorers.items()}
    matched = []
    if len(words) == 2:
        first_of, second_of = values[words[0]], values[words[1]]
        for doc in candidates:
            a, b = first_of[doc], second_of[doc]
            if type(a) is int and type(b) is int:  # each word once (most passages)
                if b == a + 1:
                    matched.append(doc)
                continue
            second = (b,) if type(b) is int else b
            if any(p + 1 in second for p in ((a,) if type(a) is int else a)):
                matched.append(doc)
    else:
        for doc in candidates:
            positions = [(x,) if type(x) is int else x for x in (values[w][doc] for w in words)]
            if any(all(p + i in positions[i] for i in range(1, len(words))) for p in positions[0]):
                matched.append(doc)
    per_word: dict[bytes, dict[int, float]] = {}
    for w, sc in scorers.items():
        scored: dict[int, float] = {}
        sc.scores(matched, scored)
        per_word[w] = scored
    return {doc: phrase_total([per_word[w][doc] for w in words]) * phrase.boost for doc in matched}


def _positions_decoder(fmt: Any) -> Callable[[bytes], set[int] | tuple[int, ...]]:
    """Positions.decode_positions, with the commonest value (one position under 65,536: the
    word once in the passage) read from its bytes instead of unpickled."""
    from whoosh.formats import Positions

    decode = fmt.decode_positions
    if type(fmt) is not Positions:
        return lambda value: set(decode(value))

    def decoded(value: bytes) -> set[int] | tuple[int, ...]:
        if len(value) == 13 and value[9] == 0x4B and value[-2:] == b"a." and value.startswith(_ONE_POSITION):
            return (value[10],)  # BININT1
        if len(value) == 14 and value[9] == 0x4D and value[-2:] == b"a." and value.startswith(_ONE_POSITION):
            return (value[10] | value[11] << 8,)  # BININT2
        return set(decode(value))

    return decoded


def _size(reader: Any, clause: Clause) -> int:
    from whoosh import query as wq

    items, _boost = clause
    if len(items) > 8:
        return 1 << 40  # a prefix expansion: large, and not worth 64 look-ups to know
    df = reader.doc_frequency
    total = 0
    for node in items:
        if type(node) is wq.Term:
            total += df(node.fieldname, node.text)
        elif type(node) is wq.Phrase:
            total += min((df(node.fieldname, w) for w in node.words), default=0)
        else:
            total += len(node.passages)
    return total


def _matches(searcher: Any, leaf: Any, reader: Any, clauses: list[Clause]) -> dict[int, float]:
    """{segment doc: score} of every document matching all clauses (the most selective first),
    reading only the blocks of later clauses' postings that may hold the documents left."""
    from whoosh import query as wq

    ordered = sorted(clauses, key=lambda c: _size(reader, c)) if len(clauses) > 1 else clauses
    within: list[int] | None = None  # the documents matching the clauses so far, sorted
    scorers: dict[int, _Scorer] = {}  # by id() of the Term
    phrases: dict[int, dict[int, float]] = {}  # by id() of the Phrase: its documents, scored
    for items, boost in ordered:
        docs: set[int] = set()
        small = within if within is not None and len(within) <= SKIP_BELOW else None
        for node in items:
            if type(node) is wq.Term:
                scorers[id(node)] = _Scorer(searcher, leaf, reader, node, boost, heads=small is None)
        if small is None:  # every block of the clause's terms is read: all in one pass
            read_arrays([sc.postings for node in items if type(node) is wq.Term
                         and (sc := scorers[id(node)]).postings is not None])
        for node in items:
            if type(node) is wq.Term:
                docs |= scorers[id(node)].docs(small)
            elif type(node) is wq.Phrase:
                found = phrases[id(node)] = _phrase_docs(searcher, leaf, reader, node, within)
                docs.update(found)
            else:
                docs.update(node.leaf_scores(leaf))
        within = sorted(docs if within is None else docs.intersection(within))
        if not within:
            return {}
    assert within is not None
    deleted = deleted_documents(reader)
    if deleted:
        within = [doc for doc in within if doc not in deleted]
    keep = set(within)
    result: dict[int, float] = {}
    for n, (items, boost) in enumerate(ordered):
        part: dict[int, float] = {}
        if len(items) == 1 and type(items[0]) is wq.Phrase:  # (every document left has it)
            more = phrases[id(items[0])]
            part = {doc: more[doc] for doc in within} if boost == 1.0 else {doc: more[doc] * boost for doc in within}
            result = part if n == 0 else {doc: score + part[doc] for doc, score in result.items()}
            continue
        for node in items:  # summed in the order Whoosh sums them
            if type(node) is wq.Term:
                scorers[id(node)].scores(within, part)
                continue
            more = phrases[id(node)] if type(node) is wq.Phrase else node.leaf_scores(leaf)
            factor = boost
            for doc, score in more.items():
                if doc in keep:
                    part[doc] = part.get(doc, 0.0) + score * factor
        if n == 0:
            result = {doc: part[doc] for doc in within if doc in part}
        else:
            result = {doc: score + part[doc] for doc, score in result.items() if doc in part}
    return result


def _top_of_union(searcher: Any, leaf: Any, reader: Any, clause: Clause, offset: int, limit: int,
                  heap: list[tuple[float, int]]) -> int:
    """An Or of terms (and extra documents) alone: the match count of this segment, and its best
    documents pushed onto `heap` (the `limit` best so far, as (score, -document)).

    The count needs every term's ids read anyway; with them in arrays, every posting is scored
    too (arrays.py): cheaper than choosing which to score (max-score, or pruning by how many terms
    a document has, both walked the surviving candidates in Python). Every document's terms are
    added in one order (highest possible score first), so documents with the same postings get
    the same score bit for bit, and ties keep document order, as in Whoosh.
    """
    from whoosh import query as wq

    from briefing.index.search.arrays import Part, extra_part, norms_array, terms_part, union_top

    items, boost = clause
    scored: list[tuple[float, int, Any]] = []  # (highest score, place in the Or, _Scorer or extra scores)
    for place, node in enumerate(items):
        if type(node) is wq.Term:
            sc = _Scorer(searcher, leaf, reader, node, boost, heads=True)
            postings = sc.postings
            if postings is not None:
                scored.append((sc.highest(), place, sc))
        else:
            exact = {doc: score * boost for doc, score in node.leaf_scores(leaf).items()}
            scored.append((max(exact.values(), default=0.0), place, exact))
    scored.sort(key=lambda entry: (-entry[0], entry[1]))
    read_arrays([sc.postings for _bound, _place, sc in scored if isinstance(sc, _Scorer) and sc.postings is not None])
    parts: list[Part] = []
    run: list[_Scorer] = []  # consecutive terms with the same norms: scored together

    def flush() -> None:
        if run:
            norms = run[0].norms
            parts.append(terms_part([sc.postings.arrays() for sc in run], [sc.top for sc in run],  # type: ignore[union-attr]
                                    norms_array(searcher, norms) if norms is not None else None))
            run.clear()

    for _bound, _place, sc in scored:
        if isinstance(sc, _Scorer):
            if run and run[0].norms is not sc.norms:
                flush()
            run.append(sc)
        else:
            flush()
            parts.append(extra_part(sc))
    flush()
    count, final = union_top(parts, reader.doc_count_all(), deleted_documents(reader), limit)
    _push(final, offset, limit, heap)
    return count


def _push(final: dict[int, float], offset: int, limit: int, heap: list[tuple[float, int]]) -> None:
    """Keep the `limit` best of `final` on `heap`, as (score, -document): ties in document order."""
    from heapq import heapify, heappushpop

    if len(final) > limit:  # only the segment's `limit` best can reach the heap: picked in C
        entries = nlargest(limit, zip(final.values(), [-(doc + offset) for doc in final]))
    else:
        entries = [(score, -(doc + offset)) for doc, score in final.items()]
    room = limit - len(heap)
    if room > 0:
        heap.extend(entries[:room])
        heapify(heap)
        entries = entries[room:]
    for entry in entries:
        if entry > heap[0]:
            heappushpop(heap, entry)


def fast_search(searcher: Any, q: Any, limit: int, source: str | None) -> tuple[list[tuple[Any, float]], int] | None:
    """Top `limit` (stored fields, score) and the match count, or None when Whoosh should run it."""
    if not layout_matches():
        return None
    from whoosh import query as wq
    from whoosh.scoring import BM25F

    if type(searcher.weighting) is not BM25F:
        return None
    try:
        clauses = _clauses(q)
        if source is not None:  # scored as Whoosh scores And([query, Term("source", source)])
            clauses.append(([wq.Term("source", source)], 1.0))
        union = len(clauses) == 1 and not any(type(node) is wq.Phrase for node in clauses[0][0]) and limit > 0
        scores: dict[int, float] = {}
        heap: list[tuple[float, int]] = []
        total = 0
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            if union:
                total += _top_of_union(searcher, leaf, reader, clauses[0], offset, limit, heap)
                continue
            found = _matches(searcher, leaf, reader, clauses)
            total += len(found)
            if offset:
                found = {doc + offset: score for doc, score in found.items()}
            scores.update(found)
    except _Unsupported:
        return None
    if union:
        best = [(-negdoc, score) for score, negdoc in heap]
    elif len(scores) > limit:
        cut = nlargest(limit, scores.values())[-1] if limit > 0 else float("inf")
        best = [(doc, score) for doc, score in scores.items() if score >= cut]
    else:
        best = list(scores.items())
    if not total:
        return [], 0
    best.sort(key=lambda item: (-item[1], item[0]))  # as Whoosh: score, then document order
    return [(searcher.stored_fields(doc), score) for doc, score in best[:limit]], total


# ---- prefix expansion from a sorted copy of a field's lexicon -------------------------------

def prefix_counts(reader: Any, fieldname: str, prefix: str) -> dict[bytes, int] | None:
    """{term: document count} of a segment's terms of `fieldname` starting with `prefix`, or None
    when the segment is not laid out as expected (the caller walks Whoosh's term list then).

    Whoosh reads a prefix's terms one lexicon entry at a time, through several Python calls and
    a TermInfo each (4-7 ms for a 3-letter prefix at 10,000 articles). The field's terms and
    counts are read once per segment reader in one pass over the raw term file, kept sorted, and
    each prefix is then two bisections.
    """
    found = _lexicon(reader, fieldname)
    if found is None:
        return None
    try:
        start = reader._text_to_bytes(fieldname, prefix)  # as Whoosh's iter_prefix turns it to bytes
    except Exception:  # noqa: BLE001 - then Whoosh's walk, which says what is wrong
        return None
    terms, counts = found[0], found[1]
    lo = bisect_left(terms, start)
    hi = bisect_left(terms, start + b"\xff", lo)  # (0xff never occurs in UTF-8)
    return dict(zip(terms[lo:hi], counts[lo:hi]))


Lexicon = tuple[list[bytes], Any, Any, Any]  # sorted terms; their document counts, TermInfo offsets and lengths


def _lexicon(reader: Any, fieldname: str, build: bool = True) -> Lexicon | None:
    """(sorted terms, their document counts, where their TermInfos are in the term file and how
    long) of a segment's field, kept on the segment reader (a segment never changes: its reader
    and this copy go together). Without `build`, only a copy already made."""
    made: dict[str, Lexicon | None] | None = reader.__dict__.get("_briefing_lexicon")
    if made is not None and fieldname in made:  # (asked once per term and segment: the common case first)
        return made[fieldname] if layout_matches() else None
    if not build or not layout_matches():
        return None
    cache: dict[str, Lexicon | None] = reader.__dict__.setdefault("_briefing_lexicon", {})
    found: Lexicon | None = None
    try:
        from whoosh.codec.whoosh3 import W3TermInfo
        from whoosh.filedb.filetables import OrderedHashReader
        from whoosh.reading import SegmentReader

        tindex = reader._terms._tindex
        if type(reader) is not SegmentReader or type(tindex) is not OrderedHashReader or W3TermInfo._struct.format != "!BfIBBfII":
            raise _Unsupported
        head = reader._terms._keycoder(fieldname, b"")  # the field's number: every key starts with it
        start = tindex.closest_key_pos(head)
        terms: list[bytes] = []
        counts, offsets, lengths = array("I"), array("Q"), array("I")
        if start is not None:
            end = tindex.endofdata
            data = bytes(tindex.dbfile.get(start, end - start))
            sizes, count_at = Struct("!ii").unpack_from, Struct("!I").unpack_from
            pos, stop, skip = 0, len(data), 8 + len(head)
            append, add, at, size = terms.append, counts.append, offsets.append, lengths.append
            while pos < stop:
                keylen, datalen = sizes(data, pos)
                if data[pos + 8:pos + skip] != head:
                    break  # the next field's terms
                append(data[pos + skip:pos + 8 + keylen])
                value = pos + 8 + keylen
                add(count_at(data, value + 5)[0])  # TermInfo: flags, weight, then the count
                at(start + value)
                size(datalen)
                pos = value + datalen
        found = (terms, counts, offsets, lengths)
    except Exception:  # noqa: BLE001 - another layout: Whoosh's own term walk is used
        found = None
    cache[fieldname] = found
    return found



# ---- an article's passages in a segment (for the analysis' `speaker:`/`side:` passages) -----

def article_passages(searcher: Any, reader: Any, term: bytes) -> dict[int, int] | None:
    """{paragraph number: live document} of the article whose `source` term is `term`, in a
    segment; None when the segment is not laid out as expected (extra.py asks Whoosh then).

    Whoosh walks the article's `source` postings a Python call per posting and reads each
    document's paragraph number from its column a byte string at a time (a quarter of a
    millisecond an article): the postings are read here a block at a time, and the column once
    per segment reader, whole."""
    if not layout_matches():
        return None
    numbers = _paragraph_numbers(searcher, reader)
    if numbers is None:
        return None
    postings = _postings(searcher, reader, "source", term)
    found: dict[int, int] = {}
    if postings is None:
        return found
    deleted = deleted_documents(reader)
    count = len(numbers)
    for j in range(len(postings)):
        for doc in postings.ids(j):
            if doc in deleted:
                continue
            n = numbers[doc] if doc < count else None
            if n is None:
                return None  # past the column's end: Whoosh's default value, read its way
            found[n] = doc
    return found


def term_docs(searcher: Any, reader: Any, fieldname: str, text: str) -> set[int] | None:
    """The documents of a segment that have a term (deleted ones too: callers ask about live
    ones), read a block at a time; None when the segment is not laid out as expected (extra.py
    walks Whoosh's matcher then)."""
    if not layout_matches():
        return None
    try:
        term = reader.schema[fieldname].to_bytes(text)
    except Exception:  # noqa: BLE001 - then Whoosh's matcher, which says what is wrong
        return None
    postings = _postings(searcher, reader, fieldname, term)
    found: set[int] = set()
    if postings is not None:
        for j in range(len(postings)):
            found.update(postings.ids(j))
    return found


def _paragraph_numbers(searcher: Any, reader: Any) -> list[int] | None:
    """The `paragraph` column of a segment as a list of ints (kept per searcher), or None."""
    cache: dict[int, list[int] | None] = searcher.__dict__.setdefault("_briefing_paragraph_numbers", {})
    key = id(reader)
    if key not in cache:
        column = paragraph_column(searcher, reader)
        cache[key] = column.tolist() if column is not None else None
    return cache[key]


def paragraph_column(searcher: Any, reader: Any) -> npt.NDArray[np.int64] | None:
    """The `paragraph` column of a segment as an array (kept per searcher), or None when it is
    not laid out as expected. Read whole, as numbers; each distinct stored value is translated
    once (Whoosh translates every read of one)."""
    cache: dict[int, npt.NDArray[np.int64] | None] = searcher.__dict__.setdefault("_briefing_paragraph_column", {})
    key = id(reader)
    if key in cache:
        return cache[key]
    found: npt.NDArray[np.int64] | None = None
    try:
        import numpy as np
        from whoosh.columns import NumericColumn, TranslatingColumnReader

        if layout_matches() and reader.has_column("paragraph"):
            column = reader.column_reader("paragraph")
            raw: Any = column.raw_column() if type(column) is TranslatingColumnReader else None
            # (struct's standard sizes, "!": numpy's are the same for these codes, not for "l")
            if type(raw) is NumericColumn.Reader and raw._typecode in "bBhHiIqQ" \
                    and np.dtype(">" + raw._typecode).itemsize == raw._fixedlen:
                data = bytes(raw._dbfile.get(raw._basepos, raw._count * raw._fixedlen))
                values = np.frombuffer(data, dtype=">" + raw._typecode)
                distinct, where = np.unique(values, return_inverse=True)
                translate = column._translate
                numbers = np.array([int(translate(value)) for value in distinct.tolist()], dtype=np.int64)
                found = numbers[where.reshape(-1)] if len(values) else np.zeros(0, dtype=np.int64)
    except Exception:  # noqa: BLE001 - another layout: Whoosh reads it
        found = None
    cache[key] = found
    return found
