"""Phrases matched as arrays: the candidate passages' word positions read off their blocks'
bytes a block at a time, adjacency checked for all of them at once, the words scored at once.

A phrase is mostly common words ("told reporters"): thousands of candidate passages, each
checked one Python step at a time cost tens of milliseconds. Here each block of postings is
decompressed once (its ids read from the same pickle), the values of one position (the word once
in its passage, most of them) are read for the whole block in numpy, and only the others are
decoded one by one. Matches and scores are Whoosh's (a repeated word counts each time, a phrase
scores as the sum of its words' scores, in the order Whoosh's matcher adds them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Ints = NDArray[np.int64]

# A position key is (index of its document among the candidates << _SHIFT) | position: a
# passage's positions stay far below 2**31.
_SHIFT = 32
_LONGEST = 1 << 31


class _Blocks:
    """Per query: the whole pickles of the blocks decompressed so far (a block whose ids are
    read for the intersection is decompressed once, not again for its positions)."""

    def __init__(self) -> None:
        self.pickles: dict[tuple[int, int], bytes] = {}

    def ids(self, postings: Any, j: int, whole: bool = True) -> Any:
        """Block j's ids as an array("I") (read from its whole pickle when not read yet, unless
        not `whole`: then from as much of its start as holds them)."""
        from array import array

        if whole and postings._ids[j] is None:
            data = postings.whole(j)
            if data is not None:
                self.pickles[(id(postings), j)] = data
        ids = postings.ids(j)
        if type(ids) is list:  # postings kept inline in the term info
            return array("I", ids)
        return ids

    def pickle(self, postings: Any, j: int) -> bytes | None:
        """Block j's whole pickle (None for postings kept inline: their values are a list)."""
        data = self.pickles.get((id(postings), j))
        if data is None and postings._values[j] is None and postings._postfile is not None:
            data = postings._data(j)
        return data


def _blocks_meeting(maxids: list[int], docs: "Ints") -> list[int]:
    """The blocks whose id ranges hold some of the sorted `docs`."""
    return [j for j, _count in _blocks_counted(maxids, docs)]


def _blocks_counted(maxids: list[int], docs: "Ints") -> list[tuple[int, int]]:
    """(block, how many of the sorted `docs` its id range holds), for the blocks holding some."""
    import numpy as np

    ends = np.searchsorted(docs, np.asarray(maxids, dtype=np.int64), side="right")
    counts = np.diff(ends, prepend=0)
    chosen = np.flatnonzero(counts)
    return list(zip(chosen.tolist(), counts[chosen].tolist()))


# Candidates in a block's id range from which it is decompressed whole to read its ids: with
# fewer, most such blocks hold none of them (and their positions are never read), and the start
# holding the ids is decompressed alone (about 2/5 of the work)
WHOLE_FROM = 8


def _joined(parts: list[Any]) -> "Ints":
    """Arrays of ids (array("I"), joined as bytes: one numpy call, not one a block) as one."""
    import numpy as np

    return np.frombuffer(b"".join(parts), dtype=np.uint32).astype(np.int64)


def candidates(blocks: _Blocks, postings: list[Any], within: "Ints | None") -> "Ints":
    """The documents (among the sorted `within`) that every one of the postings holds, sorted;
    the rarest postings first, of the others only the blocks whose id ranges meet those left."""
    import numpy as np

    found = within
    for p in sorted(postings, key=lambda p: p.count):
        if found is None:
            found = _joined([blocks.ids(p, j) for j in range(len(p))])
            continue
        ids = _joined([blocks.ids(p, j, count >= WHOLE_FROM) for j, count in _blocks_counted(p.maxids, found)])
        found = found[_within(ids, found)]  # (both sorted: looked up, not sorted together)
        if not len(found):
            break
    assert found is not None
    return found


def _within(sorted_keys: "Ints", keys: "Ints") -> "NDArray[np.bool_]":
    """Which of `keys` the sorted array `sorted_keys` holds."""
    import numpy as np

    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    found: NDArray[np.bool_] = sorted_keys[at] == keys
    return found


_SPAN = 18  # bytes of a piece of one position under 128: its length, ONE_PIECE, the position, APPEND, STOP


class _Word:
    """One distinct word of the phrase over the candidates: its position keys and term weights."""

    __slots__ = ("keys", "tfs")

    def __init__(self, keys: "Ints", tfs: "NDArray[np.float64]") -> None:
        self.keys = keys
        self.tfs = tfs


# Positions.encode of 2-127 positions, all deltas under 128, as a piece's text (UTF-8 of its
# latin-1 bytes): the count (4 bytes, the last one is n), PROTO 2 (0x80 is two bytes in UTF-8),
# EMPTY_LIST, BINPUT 0, MARK, then a BININT1 a delta and APPENDS, STOP
_SEVERAL_HEAD = b"\xc2\x80\x02]q\x00("


def _several(raw: "NDArray[np.uint8]", starts: "Ints", grid: "NDArray[np.uint8]") -> tuple["Ints", "Ints"]:
    """(which, positions) of the pieces starting at `starts` (`grid`: their first _SPAN bytes)
    that hold 2 to 127 positions, every delta under 128 (the word a few times in its passage):
    read off their bytes together, every byte of the pickle checked; `which` indexes `starts`.
    The others are left out (decoded one by one)."""
    import numpy as np

    last = len(raw) - 1  # (a zero of the padding: no check passes there)

    def take(where: "Ints") -> "NDArray[np.uint8]":
        return raw[np.minimum(where, last)]

    size = grid[:, :4].astype(np.int64) @ np.array([1, 1 << 8, 1 << 16, 1 << 24], dtype=np.int64)
    n = grid[:, 7].astype(np.int64)
    head = np.frombuffer(_SEVERAL_HEAD, dtype=np.uint8)
    fits = ((grid[:, 4:7] == 0).all(axis=1) & (n >= 2) & (n < 128) & (size == 13 + 2 * n)
            & (grid[:, 8:15] == head).all(axis=1))
    memo = take(starts + 4 + np.where(fits, size, 0))
    fits &= (memo == 0x71) | (memo == 0x72)  # then its memo (BINPUT)
    chosen = np.flatnonzero(fits)
    if not len(chosen):
        return chosen, chosen
    counts = n[chosen]
    firsts = np.cumsum(counts) - counts  # each piece's first delta among all of them
    which = np.repeat(chosen, counts)
    nth = np.arange(int(counts.sum())) - np.repeat(firsts, counts)
    at = starts[which] + 15 + 2 * nth  # BININT1, then its byte
    deltas = take(at + 1).astype(np.int64)
    tail = starts[chosen] + 15 + 2 * counts
    bad = np.zeros(len(starts), dtype=bool)
    bad[which[(take(at) != 0x4B) | (deltas >= 128)]] = True
    bad[chosen[(take(tail) != 0x65) | (take(tail + 1) != 0x2E)]] = True  # APPENDS, STOP
    positions = np.cumsum(deltas)
    positions -= np.repeat(positions[firsts] - deltas[firsts], counts)  # each piece's own running sum
    keep = ~bad[which]
    return which[keep], positions[keep]


def _word(blocks: _Blocks, postings: Any, docs: "Ints", quick: bool,
          decoded: Callable[[bytes], Any]) -> _Word | None:
    """The word's position keys and weights over the sorted `docs` (all of which it has), the
    blocks holding them read together; None if a position is too large for a key.

    The blocks' pickles are joined, and each value's start found at once as
    `fast._value_pieces` cuts them (the same separator, BINGET of codecs.encode then BINUNICODE,
    and the same check: exactly one cut a value after the first); with `quick` (Whoosh's
    Positions format) the values of one position under 128 are read off their bytes together,
    and only the others decoded one by one."""
    from array import array

    import numpy as np

    from briefing.index.search.value_bytes import ENCODE, ONE_PIECE, piece_value

    chosen = _blocks_meeting(postings.maxids, docs)
    id_parts: list[Any] = []
    weight_parts: list[Any] = []  # array("d") of each block's weights
    datas: list[bytes] = []
    bases: list[int] = []  # per block: where its first value starts in the joined pickles, or -1
    memos: list[int] = []  # per block: the memo of its codecs.encode
    block_ends: list[int] = []  # per block: where its pickle ends in the joined pickles
    offset = 0
    for j in chosen:
        ids = blocks.ids(postings, j)
        id_parts.append(ids)
        weights = postings.weights(j)
        if isinstance(weights, float):
            weight_parts.append(array("d", (weights,)) * len(ids))
        elif type(weights) is list:
            weight_parts.append(array("d", weights))
        else:
            weight_parts.append(weights)
        data = blocks.pickle(postings, j) if quick else None
        base, memo = -1, 0
        if data is not None:
            named = data.find(ENCODE) + len(ENCODE)
            head = data[named:named + 3] if named >= len(ENCODE) else b""
            if len(head) == 3 and head[0] == 0x71 and head[2] == 0x58:  # BINPUT n, then the first value's X
                base, memo = offset + named + 3, head[1]
            datas.append(data)
            offset += len(data)
        bases.append(base)
        memos.append(memo)
        block_ends.append(offset)
    counts = np.array([len(ids) for ids in id_parts], dtype=np.int64)
    firsts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)  # each block's first posting
    at = np.searchsorted(_joined(id_parts), docs)  # each document's posting, over the blocks read
    tfs = np.frombuffer(b"".join(weight_parts), dtype=np.float64)[at]
    joined = b"".join(datas)
    raw = np.frombuffer(joined + bytes(_SPAN), dtype=np.uint8)
    starts = np.full(int(counts.sum()) + 1, -1, dtype=np.int64)  # each posting's value, where found
    ends = np.array(block_ends, dtype=np.int64)
    base_of = np.array(bases, dtype=np.int64)
    if datas:
        memo_of = np.array(memos, dtype=np.uint8)
        cuts = np.flatnonzero(raw[:offset] == 0x68)
        block = np.searchsorted(ends, cuts, side="right")  # the block each candidate cut is in
        # BINGET of the block's codecs.encode, then BINUNICODE: this cannot overlap itself, so
        # its matches are the cuts bytes.split makes
        real = ((base_of[block] >= 0) & (cuts >= base_of[block]) & (cuts + 2 < ends[block])
                & (raw[cuts + 1] == memo_of[block]) & (raw[cuts + 2] == 0x58))
        cuts, block = cuts[real], block[real]
        per = np.bincount(block, minlength=len(chosen))
        good = (base_of >= 0) & (per == counts - 1)  # else its values are unpickled
        starts[firsts[good]] = base_of[good]
        rank = np.arange(len(cuts)) - np.concatenate(([0], np.cumsum(per)[:-1]))[block]
        kept = good[block]
        starts[firsts[block[kept]] + 1 + rank[kept]] = cuts[kept] + 3
    found = starts[at]
    keys: list[Any] = []
    rest = np.arange(len(docs))
    if datas:
        grid = raw[np.where(found >= 0, found, offset)[:, None] + np.arange(_SPAN)]  # (the padding: no match)
        one = ((grid[:, :15] == np.frombuffer(ONE_PIECE, dtype=np.uint8)).all(axis=1)
               & (grid[:, 16] == 0x61) & (grid[:, 17] == 0x2E))  # then APPEND, STOP: nothing more
        single = np.flatnonzero(one)
        keys.append((single << _SHIFT) | grid[single, 15].astype(np.int64))
        rest = np.flatnonzero(~one & (found >= 0))
        read, several = _several(raw, found[rest], grid[rest])
        keys.append((rest[read] << _SHIFT) | several)
        rest = np.setdiff1d(np.flatnonzero(~one), rest[np.unique(read)], assume_unique=True)
    if len(rest):
        more: list[int] = []
        of_block = (np.searchsorted(firsts, at[rest], side="right") - 1).tolist()
        values: dict[int, Any] = {}
        for r, g, k, start in zip(rest.tolist(), at[rest].tolist(), of_block, found[rest].tolist()):
            i = g - int(firsts[k])
            value = None
            if start >= 0:
                stop = int(starts[g + 1]) - 3 if i < int(counts[k]) - 1 else int(ends[k])
                value = piece_value(joined[start:stop])
            if value is None:
                j = chosen[k]
                if j not in values:
                    values[j] = postings.values(j)
                value = values[j][i]
            row = r << _SHIFT
            for position in decoded(value):
                if not 0 <= position < _LONGEST:
                    return None
                more.append(row | position)
        keys.append(np.array(more, dtype=np.int64))
    return _Word(np.concatenate(keys) if keys else np.empty(0, dtype=np.int64), tfs)


def phrase_scores(scorers: dict[bytes, Any], words: list[bytes], quick: bool,
                  decoded: Callable[[bytes], Any], within: list[int] | None) -> dict[int, float] | None:
    """{document: score} of the documents (among the sorted `within`) where `words` stand side by
    side, each scored as the sum of its words (`phrase_total`; a word as `_Scorer.add_hits`
    scores it: `top * tf / (tf + norm)` added onto 0.0); None when a position does not fit a key
    (the caller reads the phrase one document at a time then)."""
    import numpy as np

    blocks = _Blocks()
    postings = {w: sc.postings for w, sc in scorers.items()}
    start = None if within is None else np.asarray(within, dtype=np.int64)
    docs = candidates(blocks, [p for p in postings.values() if p is not None], start)
    if not len(docs):
        return {}
    found: dict[bytes, _Word] = {}
    for w, p in postings.items():
        assert p is not None
        word = _word(blocks, p, docs, quick, decoded)
        if word is None:
            return None
        found[w] = word
    keys = found[words[0]].keys
    ordered: dict[bytes, Ints] = {}
    for i, w in enumerate(words[1:], 1):  # the first word's positions with the i-th word i after
        if w not in ordered:
            ordered[w] = np.sort(found[w].keys)
        keys = keys[_within(ordered[w], keys + i)]
    hit = np.zeros(len(docs), dtype=bool)
    hit[keys >> _SHIFT] = True
    at = np.flatnonzero(hit)
    if not len(at):
        return {}
    matched = docs[at]
    listed = matched.tolist()
    scores: dict[bytes, NDArray[np.float64]] = {}
    for w, sc in scorers.items():
        tf = found[w].tfs[at]
        if sc.norms is None:
            score = tf * sc.top
        else:
            norms = np.fromiter(map(sc.norms.__getitem__, listed), dtype=np.float64, count=len(listed))
            score = (sc.top * tf) / (tf + norms)
        scores[w] = 0.0 + score
    total: NDArray[np.float64] = phrase_total([scores[w] for w in words])
    return dict(zip(listed, total.tolist()))


def phrase_total(scores: list[Any]) -> Any:
    """The sum of a phrase's word scores (floats, or arrays of them) in Whoosh's order: its
    phrase matcher intersects the words' matchers as a binary tree (`make_binary_tree`: the
    first half, then the rest), each node adding its two sides' scores."""
    if len(scores) == 1:
        return scores[0]
    half = len(scores) // 2
    return phrase_total(scores[:half]) + phrase_total(scores[half:])
