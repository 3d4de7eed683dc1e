"""Read one corpus file as text, or say plainly why it cannot be an article.

Web pastes arrive in every encoding; decoding is repaired only where the repair is certain
(a BOM says so, or a mojibake run decodes as valid UTF-8).
"""

from __future__ import annotations

import codecs
import re
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

# Runs of characters that UTF-8 bytes become when misread as cp1252 ("â€™" for "’").
_MOJIBAKE_RUN = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{1,3}")


class Unreadable(Exception):
    """The file is not an article; the message says why, in words a user understands."""


def read_text(path: Path) -> tuple[str, bytes]:
    """Return (text, raw bytes). Raises Unreadable with the reason."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise Unreadable(f"cannot be read: {exc.strerror or exc}") from None
    if size > MAX_BYTES:
        raise Unreadable(f"too large ({size / 1_048_576:.1f} MB; the limit is {MAX_BYTES // 1_048_576} MB)")
    try:
        raw = path.read_bytes()
    except PermissionError:
        raise Unreadable("cannot be read: permission denied") from None
    except OSError as exc:
        raise Unreadable(f"cannot be read: {exc.strerror or exc}") from None
    if not raw.strip():
        raise Unreadable("empty file")
    text = decode(raw)
    if not text.strip():
        raise Unreadable("no text after removing control characters")
    return text, raw


def decode(raw: bytes) -> str:
    for magic, what in _MAGIC.items():
        if raw.startswith(magic):
            raise Unreadable(f"binary file ({what}), not text")
    if raw.startswith(codecs.BOM_UTF8):
        return repair_mojibake(raw[3:].decode("utf-8", errors="replace"))
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise Unreadable("declares UTF-16 (byte-order mark) but does not decode as UTF-16") from None
    sample = raw[:8192]
    if sample.count(b"\x00") > len(sample) // 100 + 1:
        raise Unreadable("binary file (contains NUL bytes), not text")
    try:
        return repair_mojibake(raw.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def repair_mojibake(text: str) -> str:
    """Undo UTF-8-read-as-cp1252 runs, one run at a time, only where the bytes are valid UTF-8."""
    if "â" not in text and "Ã" not in text and "Â" not in text:
        return text

    def fix(match: re.Match[str]) -> str:
        run = match.group(0)
        try:
            return run.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return run

    return _MOJIBAKE_RUN.sub(fix, text)
