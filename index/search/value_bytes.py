"""The bytes of Whoosh's Positions values as a block pickle holds them: what the fast search
path (fast.py) and the phrase arrays (phrases.py) read positions off without unpickling."""

from __future__ import annotations

ENCODE = b"c_codecs\nencode\n"  # protocol 2 pickles bytes as a call of codecs.encode on their latin-1 text

ONE_POSITION = b"\x00\x00\x00\x01\x80\x02]q\x00"  # Positions.encode of one position: count 1, then pickle [p]
# a piece (see fast._value_pieces) of one position under 128: text length 14, then ONE_POSITION in
# UTF-8 (0x80 is two bytes there), BININT1; the position and APPEND, STOP follow
ONE_PIECE = b"\x0e\x00\x00\x00" + ONE_POSITION.decode("latin-1").encode("utf-8") + b"K"


def piece_value(piece: bytes) -> bytes | None:
    """The value of a piece cut by `fast._value_pieces`: its UTF-8 text (of the stated length)
    back to the latin-1 bytes it was pickled from; None if the piece is not such a text."""
    size = int.from_bytes(piece[:4], "little")
    if len(piece) < 5 + size or piece[4 + size] not in (0x71, 0x72):  # the text, then its memo (BINPUT)
        return None
    try:
        return piece[4:4 + size].decode("utf-8").encode("latin-1")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return None
