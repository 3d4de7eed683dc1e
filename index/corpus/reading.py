"""Read one corpus file as text, or say plainly why it cannot be an article.

Web pastes arrive in every encoding; decoding is repaired only where the repair is certain
(a BOM says so, or a mojibake run decodes as valid UTF-8).
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path

MAX_BYTES = 16 * 1024 * 1024

_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or Office document)",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
    b"SQLite format 3": "an SQLite database",
}

# What each byte 0x80-0xFF looks like when UTF-8 is misread as cp1252 (Latin-1 where cp1252 has
# no character: 0x81, 0x8D, 0x8F, 0x90, 0x9D).
_AS_CP1252 = {b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0x100)}
_TO_BYTE = {ch: b for b, ch in _AS_CP1252.items()}


def _chars(lo: int, hi: int) -> str:
    return "".join(re.escape(_AS_CP1252[b]) for b in range(lo, hi + 1))


_CONT = f"[{_chars(0x80, 0xBF)}]"
# One misread UTF-8 sequence, only of the kinds that are unmistakable:
# - two bytes with lead Â Ã Ä Å (U+0080-U+017F, the Latin letters of European languages: "Ã©" é);
# - three bytes E2 80-84 xx (U+2000-U+213F, punctuation, € and ™: "â€™" ’, "â€œ" “, "â„¢" ™);
# - four bytes F0 9F xx xx (U+1F000-U+1FFFF, emoji: "ðŸŽ‰" 🎉).
# Other leads are ordinary letters that meet ordinary punctuation in real text: "ß“" in
# „Straße“ is valid UTF-8 for U+07D3, and "é" + no-break space + "»" in French for U+983B.
_MOJIBAKE_RUN = re.compile(
    f"[{_chars(0xC2, 0xC5)}]{_CONT}"
    f"|{re.escape(_AS_CP1252[0xE2])}[{_chars(0x80, 0x84)}]{_CONT}"
    f"|{re.escape(_AS_CP1252[0xF0])}{re.escape(_AS_CP1252[0x9F])}{_CONT}{{2}}"
)


class Unreadable(Exception):
    """The file is not an article; the message says why, in words a user understands."""


def read_text(path: Path) -> tuple[str, bytes]:
    """Return (text, raw bytes). Raises Unreadable with the reason (see read_bytes)."""
    raw = read_bytes(path)
    if not raw or raw.isspace():  # as `not raw.strip()`, without a copy of the file
        raise Unreadable("empty file")
    text = decode(raw)
    from briefing.index.text import sanitize

    clean = sanitize(text)
    if not clean or clean.isspace():
        raise Unreadable("no text after removing control characters and escape sequences")
    return text, raw


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, at most `limit` of them. Raises Unreadable with the reason.

    The file is opened without blocking and checked to be a regular file before anything is read
    (a FIFO or device swapped in after the scan is refused, never waited on), and never more than
    `limit` bytes are read, whatever the file grows to.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except PermissionError:
        raise Unreadable("cannot be read: permission denied") from None
    except OSError as exc:
        raise Unreadable(f"cannot be read: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Unreadable("not a regular file")
        if st.st_size > limit:
            raise Unreadable(_too_large(st.st_size, limit))
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        raw = b"".join(chunks)
    except PermissionError:
        raise Unreadable("cannot be read: permission denied") from None
    except OSError as exc:
        raise Unreadable(f"cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise Unreadable(_too_large(len(raw), limit))
    return raw


def _too_large(size: int, limit: int = MAX_BYTES) -> str:
    return f"too large ({size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:g} MB)"


_BOMS = (  # UTF-32 first: its little-endian BOM begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


def decode(raw: bytes) -> str:
    """Bytes to text: a byte-order mark decides; else UTF-8 (with mojibake repaired), UTF-16
    without a BOM when its zero bytes say so unmistakably, else cp1252 / Latin-1. Raises
    Unreadable for binary data. Control characters are left for cleaning.sanitize."""
    for magic, what in _MAGIC.items():
        if raw.startswith(magic):
            raise Unreadable(f"binary file ({what}), not text")
    if raw.startswith(codecs.BOM_UTF8):
        return repair_mojibake(raw[3:].decode("utf-8", errors="replace"))
    declared: str | None = None
    for bom, codec, name in _BOMS:  # FF FE 00 00 is UTF-32, or UTF-16 text that starts with NUL
        if raw.startswith(bom):
            try:
                return raw[len(bom):].decode(codec)
            except UnicodeDecodeError:
                declared = declared or name
    if declared:
        raise Unreadable(f"declares {declared} (byte-order mark) but does not decode as {declared}")
    sample = raw[:8192]
    if sample.count(b"\x00") > len(sample) // 100 + 1:
        bomless = _bomless_utf16(sample)
        if bomless:
            try:
                return raw.decode(bomless)
            except UnicodeDecodeError:
                pass
        raise Unreadable("binary file (contains NUL bytes), not text")
    try:
        return repair_mojibake(raw.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _bomless_utf16(sample: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when (nearly) every other byte is zero and the rest are not: mostly
    Latin text in UTF-16 saved without a byte-order mark. None when that is not unmistakable."""
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    for codec, zeros, chars in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) >= 0.9 * half and chars.count(0) == 0:
            return codec
    return None


def repair_mojibake(text: str) -> str:
    """Undo UTF-8-read-as-cp1252 sequences, one at a time, only where the bytes are valid UTF-8."""

    def fix(match: re.Match[str]) -> str:
        run = match.group(0)
        try:
            return bytes(_TO_BYTE[ch] for ch in run).decode("utf-8")
        except UnicodeDecodeError:
            return run

    return _MOJIBAKE_RUN.sub(fix, text)
