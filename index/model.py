"""Plain data the engine hands out. No I/O here, no Whoosh, no Textual."""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, overload

from briefing.index.text import window_around


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One passage of an article body. `n` is stable: 1-based position in the cleaned body."""

    n: int
    text: str
    kind: str = "text"  # "text" or "subhead" (a crosshead printed inside the body)


COMPACT_PARAGRAPHS = 5_000  # from this many paragraphs an article's are held as Paragraphs


_CHUNK = 4_096  # paragraphs of one string of Paragraphs (a power of two: a shift finds it)
_CHUNK_BITS = 12


class Paragraphs(Sequence[Paragraph]):
    """The paragraphs of a very long article, numbered from 1, held as compressed pieces of 4,096
    paragraphs each (UTF-8, zlib) with the offsets where each paragraph ends: ~5 bytes a paragraph
    of a few words and the offsets, where a list of Paragraph objects takes ~190 (a million of them
    were 190 MB) and the pieces as strings ~20 (two bytes a character once a curly quote is in
    one). The piece last read is kept decompressed, so reading the paragraphs in order (indexing,
    quotation finding, the cache, the reader) decompresses each piece once. A Paragraph is made
    when one is read. Never one string of the whole text.

    Compares equal to any sequence of the same paragraphs (a list of Paragraph included).
    """

    __slots__ = ("_chunks", "_ends", "_kind_of", "_kinds", "_open")

    def __init__(self, items: Iterable[tuple[str, str]]):
        """`items`: (text, kind) of each paragraph in order (consumed once, never held whole)."""
        chunks: list[bytes] = []
        parts: list[str] = []
        ends = array("I")  # 4 bytes a paragraph; widened below for a text of over 4 G characters
        kinds = bytearray()
        kind_of: list[str] = []
        end = 0
        for text, kind in items:
            if kind not in kind_of:
                kind_of.append(kind)
            kinds.append(kind_of.index(kind))
            parts.append(text)
            end += len(text)
            try:
                ends.append(end)
            except OverflowError:
                ends = array("Q", ends)
                ends.append(end)
            if len(parts) == _CHUNK:
                chunks.append(_packed("".join(parts)))
                parts.clear()
        if parts:
            chunks.append(_packed("".join(parts)))
        self._chunks = tuple(chunks)
        self._ends = ends
        self._kind_of = tuple(kind_of)
        self._kinds = bytes(kinds)
        self._open: tuple[int, str] = (-1, "")

    def __len__(self) -> int:
        return len(self._ends)

    def _chunk(self, k: int) -> str:
        opened = self._open  # one read of the slot: another thread may replace it meanwhile
        if opened[0] != k:
            opened = (k, _unpacked(self._chunks[k]))
            self._open = opened
        return opened[1]

    def _at(self, i: int) -> Paragraph:
        ends = self._ends
        k = i >> _CHUNK_BITS
        base = ends[(k << _CHUNK_BITS) - 1] if k else 0
        start = ends[i - 1] if i else 0
        return Paragraph(i + 1, self._chunk(k)[start - base : ends[i] - base], self._kind_of[self._kinds[i]])

    @overload
    def __getitem__(self, index: int) -> Paragraph: ...

    @overload
    def __getitem__(self, index: slice) -> list[Paragraph]: ...

    def __getitem__(self, index: int | slice) -> Paragraph | list[Paragraph]:
        if isinstance(index, slice):
            return [self._at(i) for i in range(*index.indices(len(self._ends)))]
        if index < 0:
            index += len(self._ends)
        if not 0 <= index < len(self._ends):
            raise IndexError("paragraph index out of range")
        return self._at(index)

    def __iter__(self) -> Iterator[Paragraph]:
        return (self._at(i) for i in range(len(self._ends)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Paragraphs):
            # equal paragraphs make equal pieces: a piece is always the same 4,096 of them
            return (self._ends, [self._kind_of[k] for k in self._kinds]) == (
                other._ends, [other._kind_of[k] for k in other._kinds]) and all(
                a == b or _unpacked(a) == _unpacked(b) for a, b in zip(self._chunks, other._chunks))
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(other) == len(self) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]  # as a list's

    def __repr__(self) -> str:
        return f"Paragraphs({len(self)} paragraphs)"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_paragraphs_from, (self._chunks, self._ends.tobytes(), self._kind_of, self._kinds, self._ends.typecode))


def _packed(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8", "surrogatepass"))


def _unpacked(data: bytes) -> str:
    return zlib.decompress(data).decode("utf-8", "surrogatepass")


def _paragraphs_from(chunks: tuple[bytes | str, ...], ends: bytes, kind_of: tuple[str, ...], kinds: bytes, typecode: str = "Q") -> Paragraphs:
    out = Paragraphs(())
    # (pieces pickled as strings by an older version are packed now)
    out._chunks = tuple(c if isinstance(c, bytes) else _packed(c) for c in chunks)
    out._kind_of, out._kinds = kind_of, kinds
    out._ends = array(typecode)
    out._ends.frombytes(ends)
    return out


def paragraph_list(items: Iterable[tuple[str, str]]) -> "list[Paragraph] | Paragraphs":
    """The paragraphs (text, kind), numbered from 1, read one at a time: Paragraphs when there
    are COMPACT_PARAGRAPHS or more, else a list."""
    held = Paragraphs(items)
    if len(held) >= COMPACT_PARAGRAPHS:
        return held
    return list(held)


def compacted(paragraphs: list[Paragraph]) -> "list[Paragraph] | Paragraphs":
    """`paragraphs` as Paragraphs when there are COMPACT_PARAGRAPHS or more, numbered 1, 2, ..."""
    if len(paragraphs) >= COMPACT_PARAGRAPHS and all(p.n == i for i, p in enumerate(paragraphs, 1)):
        return Paragraphs((p.text, p.kind) for p in paragraphs)
    return paragraphs


@dataclass(slots=True)
class Article:
    id: str  # the file stem
    outlet: str | None
    title: str
    byline: str | None
    date: str | None
    dateline: str | None
    captions: list[str]
    paragraphs: list[Paragraph] | Paragraphs
    path: str = ""
    sha256: str = ""
    credits: list[str] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(len(p.text.split()) for p in self.paragraphs)

    @property
    def body(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)

    def paragraph(self, n: int) -> Paragraph:
        if not 1 <= n <= len(self.paragraphs):
            raise KeyError(f"{self.id} has no paragraph {n} (it has {len(self.paragraphs)})")
        return self.paragraphs[n - 1]

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "outlet": self.outlet,
            "title": self.title,
            "byline": self.byline,
            "date": self.date,
            "paragraphs": len(self.paragraphs),
            "words": self.words,
        }

    def to_json(self) -> dict[str, Any]:
        data = self.summary()
        data["dateline"] = self.dateline
        data["captions"] = list(self.captions)
        data["credits"] = list(self.credits)
        data["paragraphs"] = [{"n": p.n, "text": p.text, "kind": p.kind} for p in self.paragraphs]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any], path: str = "", sha256: str = "") -> "Article":
        return cls(
            id=data["id"],
            outlet=data.get("outlet"),
            title=data.get("title") or data["id"],
            byline=data.get("byline"),
            date=data.get("date"),
            dateline=data.get("dateline"),
            captions=list(data.get("captions") or []),
            paragraphs=compacted([Paragraph(p["n"], p["text"], p.get("kind", "text")) for p in data["paragraphs"]]),
            path=path,
            sha256=sha256,
            credits=list(data.get("credits") or []),
        )


@dataclass(frozen=True, slots=True)
class Skipped:
    """A corpus file that could not be read as an article, and why."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class Side:
    id: str
    label: str
    cues: tuple[str, ...] = ()
    inferred: bool = False  # found from the text (index/sides.py), not named by the manifest


@dataclass(frozen=True, slots=True)
class Issue:
    id: str
    label: str
    description: str
    query: str
    inferred: bool = False  # discovered from the statements (index/issues.py), not in the manifest
    phrases: tuple[str, ...] = ()  # a discovered issue's key phrases (its query is built from them)


@dataclass(frozen=True, slots=True)
class ManifestProblem:
    """One thing wrong in a manifest, where it is (line and column when known) and what to do."""

    path: str  # the manifest file, as shown
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        return f"{where}: {self.message}"


@dataclass(slots=True)
class Manifest:
    """Per-briefing facts that the article texts do not state (corpus/briefing.toml)."""

    title: str | None = None
    sides: list[Side] = field(default_factory=list)
    people: dict[str, str] = field(default_factory=dict)  # person name -> side id
    issues: list[Issue] = field(default_factory=list)
    articles: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> overrides
    # What was wrong in the file (each part that was wrong is left out, the rest applies) and the
    # sha256 of the bytes read ("none" without a manifest): set by corpus.manifest.load_manifest.
    problems: list[ManifestProblem] = field(default_factory=list)
    signature: str = "none"

    def side_label(self, side_id: str | None) -> str | None:
        for side in self.sides:
            if side.id == side_id:
                return side.label
        return side_id


@dataclass(frozen=True, slots=True)
class Hit:
    """A ranked passage that matched a query. `highlights` are offsets into `text`."""

    source: str
    paragraph: int
    score: float
    text: str
    highlights: list[tuple[int, int]]
    outlet: str | None = None
    title: str | None = None
    snippet: str = ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["highlights"] = [list(span) for span in self.highlights]
        return data

    def window(self, width: int) -> tuple[str, list[tuple[int, int]], int]:
        """The passage around its first match, about `width` characters: the text, the matches
        in it, and where it starts in the passage."""
        return window_around(self.text, list(self.highlights), width)


@dataclass(slots=True)
class SearchResult:
    query: str
    hits: list[Hit]
    total: int
    suggestion: str | None = None
    error: str | None = None  # a plain explanation when the query cannot be parsed
