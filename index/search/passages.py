"""The Whoosh index of passages: one document per paragraph.

Whoosh stays inside the engine (`briefing.index`; the import contracts keep it out of the reader).
This module owns the index; `fast.py`, `extra.py` and `passage_fields.py` read and write its
postings, and `positions.py` / `issues.py` use its stemmer and a small in-memory index.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
import pickle
from itertools import islice
from operator import itemgetter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Protocol

from briefing.index.search.fast import fast_search

if TYPE_CHECKING:
    from briefing.index.search.extra import QuotePostings
from briefing.index.text import fold_for_search, window_around
from briefing.index.model import Article, Hit, SearchResult

log = logging.getLogger(__name__)

SCHEMA_VERSION = 6  # 6: `paragraph` a column only; 5: `pid` stored only; 4: `words` (spelling lexicon, each word once per update)
MAX_PREFIX_TERMS = 64  # bound prefix/wildcard expansion: Whoosh's unbounded union is the slow tail
MIN_PREFIX_CHARS = 2
LONG_ARTICLE_PARAGRAPHS = 20_000  # an article this long is followed passage by passage, and named as slow
PASSAGE_PROGRESS_EVERY = 1000
MAX_RANGE_SCAN = 50_000  # lexicon entries a range query reads before it stops looking
MAX_QUERY_CHARS = 1000
WRITER_LIMIT_MB = 256  # postings held before Whoosh sorts them into a temporary run
# ... once an update reaches a long article: its million passages would fill the whole pool
# (Whoosh's estimate runs under what Python holds: 256 "MB" were ~300 MB of RSS), and more runs
# of 32 MB cost little next to indexing a passage at a time.
LONG_ARTICLE_LIMIT_MB = 32
RUN_CHUNK = 4096  # postings pickled together in a run the posting pool writes out
GENERATION_FILE = "generation"  # bumped after every commit on disk; the article cache records it
FILES_MANIFEST = "files.json"  # size, mtime and CRC-32 of every index file, written after each commit
_UNCHECKED = {GENERATION_FILE, FILES_MANIFEST, "schema-version"}


def _crc(path: Path) -> int:
    import zlib

    crc = 0
    with open(path, "rb") as handle:
        while True:
            chunk = handle.read(1 << 20)
            if not chunk:
                return crc
            crc = zlib.crc32(chunk, crc)


def _checked(name: str) -> bool:
    return name not in _UNCHECKED and not name.endswith(("WRITELOCK", ".lock", ".tmp")) and not name.startswith(".")


class Batch(Protocol):
    """What `PassageIndex.update` indexes: (article, extras) pairs, with a known length (a list,
    or the engine's stream of articles parsed as they are indexed)."""

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[tuple[Article, dict[int, "PassageExtras"]]]: ...


@dataclass(frozen=True, slots=True)
class PassageExtras:
    """What the quote work adds to a passage: who is quoted in it, and for which side."""

    speakers: tuple[str, ...] = ()
    sides: tuple[str, ...] = ()


def _analyzer() -> Any:
    from briefing.index.search.passage_fields import passage_analyzer

    return passage_analyzer()


def _schema() -> Any:
    from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

    from briefing.index.search.passage_fields import ArticleText, ParagraphNumber, PassageText

    analyzer = _analyzer()
    return Schema(
        # Stored only: no query names it (it is not a field of the query language), and as a
        # term it was one of its own per passage, in the term table of the segment being written
        # (16 bytes each) and in the postings pool: a million of them for one long article.
        pid=STORED(),
        source=ID(stored=True),
        outlet=ArticleText(stored=True),
        title=ArticleText(stored=True),
        paragraph=ParagraphNumber(),
        text=PassageText(analyzer=analyzer, phrase=True),
        # The unstemmed words of `text`, for "did you mean": only their presence matters, so a
        # word is added with the first passage of an update that has it, not with every passage
        # (Whoosh's spelling=True adds one posting per passage and word: a fifth of the build).
        words=KEYWORD(lowercase=True, scorable=False),
        body=STORED(),
        speaker=TEXT(analyzer=_name_analyzer()),
        side=KEYWORD(lowercase=True, commas=True, scorable=False),
    )


def _name_analyzer() -> Any:
    from whoosh.analysis import RegexTokenizer, LowercaseFilter

    return RegexTokenizer() | LowercaseFilter()


_WORD = re.compile(r"\w+(?:\.?\w+)*", re.UNICODE)  # Whoosh's RegexTokenizer default


def _parent_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return int(handle.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _documents(article: Article, extras: dict[int, PassageExtras], seen_words: set[str] | None = None) -> Iterable[dict[str, Any]]:
    for p in article.paragraphs:
        extra = extras.get(p.n, PassageExtras())
        folded = fold_for_search(p.text)
        words = set(_WORD.findall(folded.lower()))
        if seen_words is not None:
            words -= seen_words
            seen_words |= words
        yield {
            "pid": f"{article.id}#{p.n}",
            "source": article.id,
            "outlet": article.outlet or "",
            "title": article.title,
            "paragraph": p.n,
            "text": folded,
            "words": " ".join(sorted(words)) or None,
            "body": p.text,
            # None, not "", where nothing is quoted: Whoosh then skips the field, as it skips
            # the terms of an empty one (the index is the same), without analysing it
            "speaker": " ".join(extra.speakers) or None,
            "side": ",".join(extra.sides) or None,
        }


class QueryError(ValueError):
    """A query that cannot be run, with an explanation for a person."""


_FIELD_ALIASES = {"source": "source", "outlet": "outlet", "speaker": "speaker", "side": "side", "title": "title", "text": "text"}
_FIELD_RE = re.compile(r"(?<![\w\"])([A-Za-z_]+):")
_EMPTY_FIELD_RE = re.compile(r"(?<![\w\"])([A-Za-z_]+):(?=\s|$|\))")
_PHRASE_RE = re.compile(r'"[^"]*"')
_OPERATORS = r"(?:AND|OR|NOT|ANDNOT|ANDMAYBE)"


def _outside_phrases(text: str) -> str:
    """The query with the inside of every quoted phrase blanked out: a colon in a phrase is a word."""
    return _PHRASE_RE.sub(lambda m: '"' + "_" * (len(m.group(0)) - 2) + '"', text)


def memory_storage() -> Any:
    """Whoosh's RamStorage, but its writers' scratch files stay in memory too (the stock one puts
    them in the temp dir, which is no help when the disk is full)."""
    from io import BytesIO

    from whoosh.filedb.filestore import RamStorage
    from whoosh.filedb.structfile import StructFile

    class KeptBytes(BytesIO):
        """A memory file kept in its storage when it is closed, however it is closed: Whoosh's
        posting pool writes its sorted runs through `raw_file()` and closes that, which skips
        RamStorage's on-close hook (the run was lost, and reading it back raised NameError)."""

        def __init__(self, files: dict[str, bytes], name: str) -> None:
            super().__init__()
            self._files = files
            self._name = name

        def close(self) -> None:
            if not self.closed:
                self._files[self._name] = self.getvalue()
            super().close()

    class MemoryStorage(RamStorage):  # type: ignore[misc]
        def create_file(self, name: str, **kwargs: Any) -> Any:
            return StructFile(KeptBytes(self.files, name), name=name)

        def temp_storage(self, name: str | None = None) -> Any:
            return MemoryStorage()

    return MemoryStorage()


def _disk_storage(directory: Path) -> Any:
    """Whoosh's FileStorage, reading each index file through a read-only memory map.

    The stock storage reads with seek()+read() system calls (a compound segment instead is mapped
    and then copied whole into a BytesIO: the index size again in RAM). A map is read at memory
    speed, and its pages are the page cache's, not a private copy.
    """
    import mmap

    from whoosh.filedb.filestore import FileStorage
    from whoosh.filedb.structfile import StructFile

    class MappedFileStorage(FileStorage):  # type: ignore[misc]
        def open_file(self, name: str, **kwargs: Any) -> Any:
            try:
                with open(self._fpath(name), "rb") as f:
                    mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            except (ValueError, OSError):  # an empty file cannot be mapped
                return super().open_file(name, **kwargs)
            return StructFile(mapped, name=name, **kwargs)

    return MappedFileStorage(str(directory))


_WHOOSH_TUNED = False


def _tune_whoosh() -> None:
    """Fix two Whoosh costs that are pure waste (idempotent; same results, less work).

    While a segment is written, every posting asks the per-document reader for its field length
    (for the block statistics), and BM25F asks again for every document it scores:
    - for a field without a lengths column (ids, numbers, keywords) the reader forgot that the
      column is missing and stat()ed the file again: one `os.stat` per posting, a fifth of the build;
    - for the others it read one byte from the column file per call, through four Python calls.
    Remember a missing column, and read a column's lengths once per segment as one bytes object.
    """
    global _WHOOSH_TUNED
    if _WHOOSH_TUNED:
        return
    from whoosh.codec import whoosh3
    from whoosh.util.numeric import byte_to_length

    reader_class = whoosh3.W3PerDocReader
    if not all(hasattr(reader_class, name) for name in ("_cached_reader", "doc_field_length", "column_reader")):
        _WHOOSH_TUNED = True  # another Whoosh: leave it alone
        return
    to_length = [byte_to_length(i) for i in range(256)]

    def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
        try:
            return self._readers[fieldname]
        except KeyError:
            reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
            self._readers[fieldname] = reader
            return reader

    def doc_field_length(self: Any, docnum: int, fieldname: str, default: Any = 0) -> Any:
        if docnum > self._doccount:
            raise IndexError("Asked for docnum %r of %d" % (docnum, self._doccount))
        lengths = length_bytes(self, fieldname)
        if lengths is False:
            return default
        lbyte = lengths[docnum] if docnum < len(lengths) else 0
        if lbyte:
            return to_length[lbyte]
        return None  # as Whoosh: a zero length byte reads as None

    def length_bytes(self: Any, fieldname: str) -> Any:
        """The field's length byte of every document (False: the field has no lengths)."""
        cache = self.__dict__.setdefault("_briefing_lengths", {})
        lengths = cache.get(fieldname)
        if lengths is None:
            column = self._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
            if column is None:
                lengths = False
            else:
                try:
                    lengths = bytes(column._dbfile.get(column._basepos, column._count))
                except Exception:  # noqa: BLE001 - an unexpected layout: one byte at a time
                    lengths = bytes(column[i] for i in range(min(self._doccount, column._count)))
            cache[fieldname] = lengths
        return lengths

    reader_class._cached_reader = _cached_reader
    reader_class.doc_field_length = doc_field_length
    _lean_field_writer(reader_class, length_bytes, to_length)
    _compact_hash_buckets()
    _lean_postings()
    _WHOOSH_TUNED = True


def _lean_field_writer(reader_class: Any, length_bytes: Callable[[Any, str], Any], to_length: list[int]) -> None:
    """Whoosh's `FieldWriter.add_postings` makes, for each of a segment's postings, a call for the
    document's field length (through the per-document reader) and one through the field writer
    to the postings writer: the loop with the lengths read from the field's length bytes and the
    postings writer's method called directly, for the segment's own W3 per-document reader
    (what a segment being written uses); any other goes to Whoosh's loop."""
    from whoosh.codec import whoosh3
    from whoosh.codec.base import OutOfOrderError

    writer_class = whoosh3.W3FieldWriter
    if getattr(writer_class, "_briefing_lean", False):
        return
    if not all(hasattr(writer_class, name) for name in ("add_postings", "start_field", "start_term", "finish_term", "finish_field")):
        return
    plain = writer_class.add_postings

    def add_postings(self: Any, schema: Any, lengths: Any, items: Iterable[Any]) -> None:
        if type(self) is not writer_class or type(lengths) is not reader_class:
            return plain(self, schema, lengths, items)  # type: ignore[no-any-return]
        start_field, start_term = self.start_field, self.start_term
        finish_term, finish_field = self.finish_term, self.finish_field
        doccount = lengths._doccount
        lastfn: str | None = None
        lasttext: bytes | None = None
        lens: Any = False
        known = 0
        post: Any = None
        for fieldname, btext, docnum, weight, value in items:
            if fieldname != lastfn:
                if lastfn is not None and fieldname < lastfn:
                    raise OutOfOrderError("Field %r .. %r" % (lastfn, fieldname))
                if lasttext is not None:
                    finish_term()
                if lastfn is not None:
                    finish_field()
                start_field(fieldname, schema[fieldname])
                lastfn = fieldname
                lasttext = None
                lens = length_bytes(lengths, fieldname)
                known = len(lens) if lens is not False else 0
            elif lasttext and btext < lasttext:
                raise OutOfOrderError("Term %s:%r .. %s:%r" % (lastfn, lasttext, fieldname, btext))
            if docnum == -1:  # Whoosh's mark of a spelling word: not a posting
                continue
            if btext != lasttext:
                if lasttext is not None:
                    finish_term()
                start_term(btext)
                lasttext = btext
                post = self._postwriter.add_posting
            # as doc_field_length: 0 for a field without lengths, None for a zero length byte
            length: int | None
            if lens is False:
                length = 0
            else:
                if docnum > doccount:
                    raise IndexError("Asked for docnum %r of %d" % (docnum, doccount))
                lbyte = lens[docnum] if docnum < known else 0
                length = to_length[lbyte] if lbyte else None
            post(docnum, weight, b"" if value is None else value, length)
        if lasttext is not None:
            finish_term()
        if lastfn is not None:
            finish_field()

    writer_class.add_postings = add_postings
    writer_class._briefing_lean = True


def _lean_postings() -> None:
    """Every posting of a build passes through two Whoosh methods that spend most of their time
    on assertions of types the schema's fields always give (bytes terms and values, int document
    numbers) and on adding up six constants: the same work without them, the same index written.
    Whoosh's own tests hold the types; a field of ours that broke them fails in the arrays the
    postings go into."""
    from whoosh import writing
    from whoosh.codec import whoosh3

    pool_class = writing.PostingPool
    postings_class = whoosh3.W3PostingsWriter
    if getattr(pool_class, "_briefing_lean", False):
        return
    if not (hasattr(pool_class, "add") and hasattr(postings_class, "add_posting")):
        return  # another Whoosh: leave it alone
    # Whoosh's estimate of an item's memory: tuple 28 + 4 * 5, fieldname 21, text 26, docnum 18,
    # weight 16, value 21, plus the lengths (text counted twice)
    overhead = 28 + 4 * 5 + 21 + 26 + 18 + 16 + 21

    def add(self: Any, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        self.fieldnames.add(item[0])
        self.currentsize += overhead + len(item[0]) + len(item[1]) * 2 + len(item[4] or "")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)

    def add_posting(self: Any, id_: Any, weight: float, vbytes: bytes, length: int | None = None) -> None:
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            minlength = self._minlength
            if minlength is None or length < minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length

    def save(self: Any) -> None:
        current = self.current
        if current:
            _sort_postings(current)
            path, f = self._new_run()
            self._write_run(f, current)
            self._add_run(path)
            self.current = []
        self.currentsize = 0

    def items(self: Any, maxfiles: int = 128) -> Any:
        if self.runs or maxfiles < 2:
            return plain_items(self, maxfiles)
        ordered = list(self.current)
        _sort_postings(ordered)
        return ordered

    def _write_run(self: Any, f: Any, items: Iterable[Any]) -> None:
        # A run holds lists of postings, not one pickle each: one call of the pickler for
        # RUN_CHUNK postings (a run is only ever read back by _read_run, in this build). Without
        # the pickler's memo, as one pickle a posting: postings that shared a value object share
        # none when read back (the postings writer pickles a block's values, and a value it met
        # twice would be written as a reference to the first: another file).
        it = iter(items)
        try:
            pickler = pickle.Pickler(f, pickle.HIGHEST_PROTOCOL)
            pickler.fast = True
            while chunk := list(islice(it, RUN_CHUNK)):
                pickler.dump(chunk)
        finally:
            f.close()

    def _read_run(self: Any, path: str) -> Iterator[Any]:
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = pickle.load(f)
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self._remove_run(path)

    plain_items = pool_class.items
    pool_class._write_run = _write_run
    pool_class._read_run = _read_run
    pool_class.add = add
    pool_class.save = save
    pool_class.items = items
    postings_class.add_posting = add_posting
    pool_class._briefing_lean = True
    _lean_documents(overhead)


def _sort_postings(postings: list[tuple[str, bytes, int, float, bytes | None]]) -> None:
    """Sort (field name, term, document, weight, value) postings as Whoosh's pool does, by the
    whole tuple, in three stable passes by one element each: a sort by one str, bytes or int
    key compares at C speed, a sort of tuples calls the tuples' comparison for every pair (the
    one sort was a seventh of a build). A term has one posting per document, so the weight and
    value never decide an order."""
    postings.sort(key=itemgetter(2))
    postings.sort(key=itemgetter(1))
    postings.sort(key=itemgetter(0))


def _lean_documents(overhead: int) -> None:
    """Whoosh's `SegmentWriter.add_document` hands every posting to the pool by a method call
    that re-adds the field's name to a set and tests the pool's size: a passage's postings are
    gathered, then given to the pool at once, and the pool written out as a run when it is over
    its limit after the passage, not at the posting that went over (the run is sorted and merged
    with the others as before: the same postings written, in the same order). Only for documents
    and schemas that use nothing else of `add_document` (no boosts, custom stored values,
    separate spelling words or term vectors): anything else goes to Whoosh's own."""
    from whoosh import writing

    writer_class = writing.SegmentWriter
    if getattr(writer_class, "_briefing_lean", False) or not hasattr(writer_class, "add_document"):
        return
    plain = writer_class.add_document

    def lean_schema(self: Any) -> bool:
        lean = self.__dict__.get("_briefing_lean_schema")
        if lean is None:
            lean = all(not f.separate_spelling() and not f.vector for f in self.schema)
            self.__dict__["_briefing_lean_schema"] = lean
        return bool(lean)

    def add_document(self: Any, **fields: Any) -> None:
        if not lean_schema(self) or any(name[:1] == "_" for name in fields):
            return plain(self, **fields)  # type: ignore[no-any-return]
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        fieldnames = sorted(fields)
        self._check_fields(schema, fieldnames)
        posts: list[tuple[str, bytes, int, float, bytes | None]] = []
        indexed: list[str] = []
        size = 0
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields[fieldname]
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    before = len(posts)
                    for tbytes, freq, weight, vbytes in field.index(value):
                        length += freq
                        size += len(tbytes) * 2 + (len(vbytes) if vbytes else 0)
                        posts.append((fieldname, tbytes, docnum, weight * 1.0, vbytes))
                    count = len(posts) - before
                    if count:
                        indexed.append(fieldname)
                        size += count * (overhead + len(fieldname))
                    if not field.scorable:
                        length = 0
                perdocwriter.add_field(fieldname, field, value if field.stored else None, length)
                column = field.column_type
                if column:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(value))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        pool = self.pool
        pool.fieldnames.update(indexed)
        pool.current.extend(posts)
        pool.currentsize += size
        if pool.currentsize > pool.limit:
            pool.save()
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    writer_class.add_document = add_document
    writer_class._briefing_lean = True


def _compact_hash_buckets() -> None:
    """Whoosh's term dictionary writer keeps a (hash, position) tuple per term until the segment is
    closed: ~120 bytes a term, and every passage has a term of its own (its `paragraph`),
    so a million-paragraph article held ~250 MB of them. Kept as two 64-bit numbers in an array
    per bucket instead; the file written is the same, byte for byte."""
    from array import array

    from whoosh.filedb import filetables

    writer_class = filetables.HashWriter
    if not all(hasattr(writer_class, name) for name in ("add", "_write_hashes", "__init__")):
        return
    if getattr(writer_class, "_briefing_compact", False):
        return
    plain_init = writer_class.__init__
    lengths, pointer = filetables._lengths, filetables._pointer

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        plain_init(self, *args, **kwargs)
        self.buckets = [array("Q") for _ in range(256)]

    def add(self: Any, key: bytes, value: bytes) -> None:
        assert isinstance(key, bytes) and isinstance(value, bytes)
        dbfile = self.dbfile
        pos = dbfile.tell()
        dbfile.write(lengths.pack(len(key), len(value)))
        dbfile.write(key)
        dbfile.write(value)
        h = self.hashfn(key)
        bucket = self.buckets[h & 255]
        bucket.append(h)
        bucket.append(pos)

    def _write_hashes(self: Any) -> None:
        # As Whoosh's: per bucket an open-addressing table of twice its entries, (0, 0) empty.
        dbfile = self.dbfile
        null = (0, 0)
        for bucket in self.buckets:
            pos = dbfile.tell()
            numslots = len(bucket)  # two numbers an entry: twice the entries
            self.directory.append((pos, numslots))
            hashtable = [null] * numslots
            for k in range(0, numslots, 2):
                hashval, position = bucket[k], bucket[k + 1]
                slot = (hashval >> 8) % numslots
                while hashtable[slot] != null:
                    slot = (slot + 1) % numslots
                hashtable[slot] = (hashval, position)
            dbfile.write(b"".join(pointer.pack(h, p) for h, p in hashtable))

    writer_class.__init__ = __init__
    writer_class.add = add
    writer_class._write_hashes = _write_hashes
    writer_class._briefing_compact = True


_WORKERS_GUARDED = False
MP_MIN_ARTICLES = 2000  # an update of more articles than this uses Whoosh's writer processes


def _die_with_parent(parent: int) -> None:
    """First thing in a Whoosh writer process (briefing.index.lock.start_worker)."""
    from briefing.index.lock import start_worker

    start_worker(parent)


def _guard_workers() -> None:
    """Whoosh's MpWriter starts plain, non-daemon processes that block forever on their job queue
    when the parent is killed, holding the index's write lock. Make them daemons that die with
    their parent and close the inherited lock descriptors (idempotent)."""
    global _WORKERS_GUARDED
    if _WORKERS_GUARDED:
        return
    import os

    from whoosh import multiproc

    task_class = multiproc.SubWriterTask
    original_run = task_class.run

    def run(self: Any) -> Any:
        _die_with_parent(getattr(self, "_briefing_parent", os.getppid()))
        return original_run(self)

    def _new_task(self: Any) -> Any:
        task = task_class(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment)
        task.daemon = True  # ended by multiprocessing when the parent exits normally
        task._briefing_parent = os.getpid()
        self.tasks.append(task)
        task.start()
        from briefing.index.lock import note_worker

        if task.pid is not None:
            note_worker(task.pid)
        return task

    task_class.run = run
    multiproc.MpWriter._new_task = _new_task
    _WORKERS_GUARDED = True


def _limit_pool(writer: Any, limitmb: int) -> None:
    """Lower the postings pool of a writer being filled (one process: Whoosh's multi-process
    writer keeps a pool in each worker, each at the limit it was opened with)."""
    pool: Any = getattr(writer, "pool", None)
    limit = getattr(pool, "limit", None)
    if isinstance(limit, int) and limit > limitmb << 20:
        pool.limit = limitmb << 20


def _stop_workers(writer: Any) -> None:
    """End a cancelled MpWriter's processes (its cancel() only flips a flag in the parent's copy)."""
    for task in getattr(writer, "tasks", ()) or ():
        try:
            if task.is_alive():
                task.kill()
            task.join(2)
        except Exception:  # noqa: BLE001 - best effort on the way out
            log.debug("stopping an index worker failed", exc_info=True)


class _Damage(Exception):
    """An index file is not what was committed."""


class IndexLocked(Exception):
    """Whoosh's own write lock is held by processes this one cannot account for."""


class PassageIndex:
    """Open (or create) the index in `directory`; keep one searcher for every query.

    With `directory=None`, or when the directory cannot be written (read-only, disk full), the
    index lives in memory for this session: the briefing still reads and searches, and `open()`
    says what could not be saved.
    """

    def __init__(self, directory: Path | None):
        self.directory = Path(directory) if directory is not None else None
        self._ix: Any = None  # a Whoosh index (untyped)
        self._searcher: Any = None
        self._lock = threading.RLock()
        self._cache: OrderedDict[tuple[str, int, str | None, int], SearchResult] = OrderedDict()
        self.generation = 0  # of the index on disk; see `stamp`

    @property
    def in_memory(self) -> bool:
        return self.directory is None

    @property
    def stamp(self) -> int:
        """The generation to record with articles just indexed: the disk index's, or -1 when the
        index is in memory (what it holds was never saved: the next start indexes it again)."""
        return -1 if self.directory is None else self.generation

    def moved(self) -> bool:
        """True when another process has committed to this index since it was opened here: its
        passages may now be numbered after an article's new text (see Briefing.reload)."""
        if self.directory is None:
            return False
        try:
            on_disk = int((self.directory / GENERATION_FILE).read_text().strip())
        except (OSError, ValueError):
            return False
        return on_disk > self.generation  # generations only grow (a rebuild continues the count)

    def _read_generation(self) -> int:
        try:
            return int((self.directory / GENERATION_FILE).read_text().strip())  # type: ignore[operator]
        except (OSError, ValueError, TypeError):
            return 0

    def _bump_generation(self) -> None:
        """After a commit on disk. If the stamp cannot be written, the disk keeps the older one and
        the articles just written (stamped newer) are indexed again at the next start: safe."""
        from briefing.index.atomic import write_atomically

        self.generation += 1
        if self.directory is None:
            return
        try:
            write_atomically(self.directory / GENERATION_FILE, str(self.generation).encode())
        except OSError as exc:
            log.warning("cannot record the index generation in %s: %s", self.directory, exc)

    def _record_files(self) -> None:
        """After a commit on disk: what every index file should be (for `_verify` at open).
        Segment files never change once written, so a file with the size and mtime already
        recorded keeps its checksum."""
        import json

        from briefing.index.atomic import write_atomically

        if self.directory is None or self._ix is None:
            return
        try:
            old = json.loads((self.directory / FILES_MANIFEST).read_text()).get("files", {})
        except (OSError, ValueError, AttributeError):
            old = {}
        try:
            files: dict[str, list[int]] = {}
            for path in self.directory.iterdir():
                if not _checked(path.name) or not path.is_file():
                    continue
                st = path.stat()
                known = old.get(path.name)
                if isinstance(known, list) and len(known) == 3 and known[0] == st.st_size and known[1] == st.st_mtime_ns:
                    files[path.name] = known
                else:
                    files[path.name] = [st.st_size, st.st_mtime_ns, _crc(path)]
            data = {"toc": self._ix.latest_generation(), "files": files}
            write_atomically(self.directory / FILES_MANIFEST, json.dumps(data, sort_keys=True).encode())
        except OSError as exc:  # the index stands; it is only not verifiable at the next open
            log.warning("cannot record the index files in %s: %s", self.directory, exc)

    def _verify(self) -> str | None:
        """What is wrong with the index files on disk (missing, truncated, not matching their
        checksum), or None. An index without a record of its files (older, or the record is of
        another commit) is taken as it is."""
        import json

        if self.directory is None or self._ix is None:
            return None
        try:
            data = json.loads((self.directory / FILES_MANIFEST).read_text())
            files = data["files"]
            toc = data["toc"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if toc != self._ix.latest_generation() or not isinstance(files, dict):
            return None
        for name, entry in sorted(files.items()):
            if not (isinstance(entry, list) and len(entry) == 3):
                continue
            size, _mtime, crc = entry
            path = self.directory / name
            try:
                actual = path.stat().st_size
            except OSError:
                return f"{name} is missing"
            if actual != size:
                return f"{name} is {'truncated' if actual < size else 'too long'} ({actual:,} of {size:,} bytes)"
            try:
                if _crc(path) != crc:
                    return f"{name} does not match its checksum"
            except OSError as exc:
                return f"{name} cannot be read ({exc.strerror or exc})"
        return None

    def sources(self) -> set[str]:
        """The article ids that have passages in the index (deleted documents left out)."""
        out: set[str] = set()
        with self._ix.reader() as reader:
            for sub, _offset in reader.leaf_readers():
                deletions = sub.has_deletions()
                for term in sub.lexicon("source"):
                    text = term.decode("utf-8") if isinstance(term, bytes) else str(term)
                    if text in out:
                        continue
                    if deletions:
                        postings = sub.postings("source", term)
                        live = False
                        while postings.is_active():
                            if not sub.is_deleted(postings.id()):
                                live = True
                                break
                            postings.next()
                        if not live:
                            continue
                    out.add(text)
        return out

    # ---- lifecycle -------------------------------------------------------------------------
    def open(self) -> str | None:
        """Open the index; a missing, damaged or outdated one is recreated. Returns a message then."""
        from whoosh import index as windex

        _tune_whoosh()
        if self.directory is None:
            self._create_in_memory()
            return None
        message = None
        version_file = self.directory / "schema-version"
        try:
            if windex.exists_in(str(self.directory)) and version_file.read_text().strip() == str(SCHEMA_VERSION):
                self._ix = _disk_storage(self.directory).open_index()
                with self._ix.searcher() as s:  # touch every segment: a truncated file fails here
                    s.doc_count()
                problem = self._verify()  # sizes and a checksum per file: what opening cannot see
                if problem is None:
                    self.generation = self._read_generation()
                    return None
                self._ix.close()
                self._ix = None
                raise _Damage(problem)
            if self.directory.exists() and (not self.directory.is_dir() or any(self.directory.iterdir())):
                message = "search index was from another version: rebuilt"
        except _Damage as damage:
            message = f"search index in {self.directory} was damaged ({damage}): rebuilt"
        except Exception as exc:  # noqa: BLE001 - any damage means rebuild, never a traceback
            message = f"search index in {self.directory} was damaged ({type(exc).__name__}): rebuilt"
        fallback = self._create_or_fall_back()
        if fallback:
            return f"{message}; {fallback}" if message else fallback
        return message or "search index created"

    def recreate(self) -> str | None:
        """Start again from an empty index. Returns a message if it had to go in memory."""
        self.close()
        if self.directory is None:
            self._create_in_memory()
            return None
        return self._create_or_fall_back()

    def _create_or_fall_back(self) -> str | None:
        try:
            self._create()
            return None
        except OSError as exc:
            log.warning("cannot write the search index in %s: %s", self.directory, exc)
            where = self.directory
            self.directory = None
            self._create_in_memory()
            return f"search index cannot be saved in {where} ({exc.strerror or exc}): it is kept in memory for this session"

    def _create(self) -> None:
        assert self.directory is not None
        if self.directory.is_symlink() or self.directory.is_file():
            self.directory.unlink()
        # An existing directory is not emptied: a new, empty table of contents is written over the
        # old ones and Whoosh's next commit cleans up the segments nothing refers to. Another
        # process still reading the old segments keeps them (open files outlive their names),
        # and nothing another process may be writing is deleted under it.
        self.directory.mkdir(parents=True, exist_ok=True)
        self._ix = _disk_storage(self.directory).create_index(_schema())
        (self.directory / "schema-version").write_text(str(SCHEMA_VERSION))
        # The count continues across rebuilds, so that another process's reader sees it grow.
        self.generation = self._read_generation() + 1
        (self.directory / GENERATION_FILE).write_text(str(self.generation))
        self._record_files()

    def _create_in_memory(self) -> None:
        self._ix = memory_storage().create_index(_schema())

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            if self._ix is not None:
                self._ix.close()

    @property
    def is_empty(self) -> bool:
        return self._ix is None or self._ix.doc_count() == 0

    # ---- writing ---------------------------------------------------------------------------
    def update(
        self,
        changed: "Batch",
        removed: Iterable[str] = (),
        progress: Callable[[int], None] | None = None,
        procs: int = 1,
        passages: Callable[[str, int, int], None] | None = None,
    ) -> str | None:
        """Replace the passages of changed articles and drop those of removed ones, in one commit.

        `passages(article id, done, total)` follows an article of LONG_ARTICLE_PARAGRAPHS or more
        passage by passage (every PASSAGE_PROGRESS_EVERY): one such article can take minutes.

        If the index directory cannot be written (the disk is full, it became read-only), the index
        moves to memory with everything it held, the update is applied there, and a message saying
        so is returned (None otherwise).
        """
        removed = list(removed)
        if not changed and not removed:
            return None
        message = None
        try:
            self._write(changed, removed, progress, procs, passages)
            if not self.in_memory:
                self._bump_generation()
                self._record_files()
        except OSError as exc:
            if self.in_memory:
                raise
            log.warning("cannot write the search index in %s: %s", self.directory, exc)
            message = (
                f"search index cannot be saved in {self.directory} ({exc.strerror or exc}): "
                "it is kept in memory for this session"
            )
            self._move_to_memory()
            self._write(changed, removed, progress, procs, passages)
        if progress:
            progress(len(changed))
        with self._lock:
            self._cache.clear()
            if self._searcher is not None:
                self._searcher = self._searcher.refresh()
        return message

    def _write(
        self,
        changed: "Batch",
        removed: list[str],
        progress: Callable[[int], None] | None,
        procs: int,
        passages: Callable[[str, int, int], None] | None = None,
    ) -> None:
        # Not compound: Whoosh reads a compound segment through an mmap that it then copies whole
        # into a BytesIO, so a reader held ~1.5x the index size in RAM (300 MB at 10k articles);
        # separate files are read in place. Writing skips the final copy into one file, too.
        kwargs = {"limitmb": WRITER_LIMIT_MB, "compound": False}
        big = len(changed) > MP_MIN_ARTICLES
        if big and procs > 1 and not self.in_memory:
            # Whoosh's multi-process writer only pays with multisegment (the final merge is serial).
            kwargs.update(procs=procs, multisegment=True)
        if "procs" in kwargs:
            _guard_workers()
        writer = self._writer(kwargs)
        from briefing.index.lock import forget_descriptor, register_descriptor

        lock_fd = getattr(getattr(writer, "writelock", None), "fd", None)
        if isinstance(lock_fd, int):
            register_descriptor(lock_fd)  # closed by forked workers (see _die_with_parent)
        try:
            fresh = self._ix.doc_count_all() == 0
            seen_words: set[str] = set()
            for source in removed:
                writer.delete_by_term("source", source)
            for i, (article, extras) in enumerate(changed, 1):
                if not fresh:
                    writer.delete_by_term("source", article.id)
                long = len(article.paragraphs) >= LONG_ARTICLE_PARAGRAPHS
                if long:
                    _limit_pool(writer, LONG_ARTICLE_LIMIT_MB)
                follow = passages if passages is not None and long else None
                for n, doc in enumerate(_documents(article, extras, seen_words), 1):
                    writer.add_document(**doc)
                    if follow is not None and n % PASSAGE_PROGRESS_EVERY == 0 and n < len(article.paragraphs):
                        follow(article.id, n, len(article.paragraphs))
                if follow is not None:
                    follow(article.id, len(article.paragraphs), len(article.paragraphs))
                if progress and i % 50 == 0:
                    progress(i)
            writer.commit()
        except BaseException:
            _stop_workers(writer)
            try:
                writer.cancel()
            except Exception:  # noqa: BLE001 - the first error is the one to report
                log.debug("cancelling the index writer failed", exc_info=True)
            raise
        finally:
            if isinstance(lock_fd, int):
                forget_descriptor(lock_fd)

    def _writer(self, kwargs: dict[str, Any]) -> Any:
        """Whoosh's writer. Its WRITELOCK is normally free (briefing's own lock, taken by the
        engine, keeps other briefing writers out); if it is held, the holders are processes left
        over from a killed writer of an older version: orphaned ones (their parent gone) are
        ended, others are named in the error."""
        from whoosh.index import LockError

        try:
            return self._ix.writer(**kwargs)
        except LockError:
            if self.directory is None:
                raise
        from briefing.index.lock import command_of, holders

        path = self.directory / f"{getattr(self._ix, 'indexname', 'MAIN')}_WRITELOCK"
        found = holders(path)
        orphans = [pid for pid in found if _parent_of(pid) == 1]
        for pid in orphans:
            try:
                import os
                import signal

                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if orphans:
            import time

            time.sleep(0.5)
            try:
                return self._ix.writer(**kwargs)
            except LockError:
                pass
        others = [pid for pid in holders(path) if pid not in orphans] or found
        who = ", ".join(f"{pid} ({command_of(pid)[:60]})" for pid in others) or "a process that cannot be seen"
        raise IndexLocked(
            f"the search index {self.directory} is locked by {who}: stop it (kill {' '.join(map(str, others))})"
            " and run the command again"
        )

    def _move_to_memory(self) -> None:
        """Copy the committed index (still intact: the failed commit was cancelled) into memory."""
        with self._lock:
            old = self._ix
            memory = memory_storage().create_index(_schema())
            with old.reader() as reader:
                if reader.doc_count():
                    writer = memory.writer()
                    writer.add_reader(reader)
                    writer.commit()
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            old.close()
            self._ix = memory
            self.directory = None

    # ---- reading ---------------------------------------------------------------------------
    def _get_searcher(self) -> Any:
        with self._lock:
            if self._searcher is None:
                self._searcher = self._ix.searcher()
            return self._searcher

    def quote_postings(self, rows: Iterable[tuple[str, int, Iterable[str], Iterable[str]]]) -> "QuotePostings":
        """`speaker:`/`side:` postings from the analysis, (article id, paragraph, names, sides) per
        quotation, analysed as this index analyses the fields; pass them to `search`."""
        from briefing.index.search.extra import QuotePostings

        return QuotePostings(rows, _schema())

    def search(self, query: str, limit: int = 20, source: str | None = None, extra: "QuotePostings | None" = None) -> SearchResult:
        """Hits, or an explanation in `error`: never an exception for what a person types.

        With `extra` (the analysis' quotations, see `quote_postings`), `speaker:` and `side:` find
        the passages of the analysis' quotes too (extra.py)."""
        key = (query, limit, source, extra.token if extra is not None else 0)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        try:
            result = self._search(query, limit, source, extra)
        except Exception as exc:  # noqa: BLE001 - a query must never crash the reader
            log.exception("search failed for %r", query)
            return SearchResult(query, [], 0, error=f"the query could not be run ({type(exc).__name__})")
        with self._lock:
            self._cache[key] = result
            while len(self._cache) > 256:
                self._cache.popitem(last=False)
        return result

    def _parse(self, query: str) -> Any:
        from whoosh.qparser import MultifieldParser, OrGroup, AndGroup  # noqa: F401
        from whoosh.qparser import QueryParser
        from whoosh.qparser.plugins import GtLtPlugin

        text = query.strip()
        if not text:
            raise QueryError("the query is empty")
        if len(text) > MAX_QUERY_CHARS:
            raise QueryError(f"the query is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,}")
        if any(ord(ch) < 32 or 0x7f <= ord(ch) < 0xa0 for ch in text):
            raise QueryError("the query contains control characters")
        if text.count('"') % 2:
            raise QueryError('unbalanced quotation mark: a phrase needs an opening and a closing "')
        bare = _outside_phrases(text)
        for m in _FIELD_RE.finditer(bare):
            name = m.group(1).lower()
            if name not in _FIELD_ALIASES:
                known = ", ".join(f"{f}:" for f in sorted(_FIELD_ALIASES))
                raise QueryError(f"unknown field '{m.group(1)}:' (fields you can use: {known})")
        if empty := _EMPTY_FIELD_RE.search(bare):
            m = empty
            raise QueryError(f"'{m.group(1)}:' needs something to look for after it, e.g. {m.group(1).lower()}:reuters")
        if text.count("(") != text.count(")"):
            raise QueryError("unbalanced parentheses: every ( needs a matching )")
        if re.fullmatch(rf"\s*{_OPERATORS}(\s+{_OPERATORS})*\s*", text):
            raise QueryError(f"'{text}' is only an operator: put words around it, e.g. sherman AND smith")
        if re.search(r"(^|\s)(AND|OR|ANDNOT|ANDMAYBE)\s*$|^\s*(AND|OR|ANDNOT|ANDMAYBE)\s", bare):
            raise QueryError("an operator (AND/OR) needs a term on each side")
        if re.search(r"(^|\s)NOT\s*$", bare):
            raise QueryError("NOT needs a term after it, e.g. sherman NOT smith")
        if twice := re.search(rf"(?:^|\s){_OPERATORS}\s+{_OPERATORS}(?=\s|$)", bare):
            m = twice
            if not m.group(0).split()[1] == "NOT":  # "a AND NOT b" is fine; "a AND OR b" is not
                raise QueryError(f"'{m.group(0).strip()}': two operators in a row need a term between them")
        if re.search(r"(?:^|\s)NOT\s+NOT(?=\s|$)", bare):
            raise QueryError("'NOT NOT': two operators in a row need a term between them")
        # the searcher's schema: the index's own (`Index.schema`) reads the table of contents from
        # disk again, a directory listing and an unpickling per query
        parser = QueryParser("text", schema=self._get_searcher().schema)
        parser.remove_plugin_class(GtLtPlugin)
        lowered = _FIELD_RE.sub(lambda m: m.group(1).lower() + ":", fold_for_search(text))
        try:
            parsed = parser.parse(lowered)
        except Exception as exc:  # noqa: BLE001 - Whoosh raises many types; all mean "bad query"
            log.debug("query %r: %s", text, exc)
            raise QueryError("the query could not be understood: check its operators, quotation marks and brackets") from None
        return parsed

    def _bound_expansions(self, q: Any, reader: Any, extra: "QuotePostings | None" = None) -> Any:
        """Replace prefix and wildcard queries by an OR of at most MAX_PREFIX_TERMS real terms
        (of the index, and for `speaker:`/`side:` of the analysis' postings `extra` too)."""
        from whoosh import query as wq

        if isinstance(q, wq.Every):
            raise QueryError(f"'*' alone would match every passage: put at least {MIN_PREFIX_CHARS} letters before it, e.g. nego*")
        if isinstance(q, (wq.Prefix, wq.Wildcard)):
            if isinstance(q, wq.Prefix) and len(q.text) < MIN_PREFIX_CHARS:
                raise QueryError(f"'{q.text}*' is too short: a prefix needs at least {MIN_PREFIX_CHARS} letters")
            if isinstance(q, wq.Wildcard) and len(re.sub(r"[*?]", "", q.text)) < MIN_PREFIX_CHARS:
                raise QueryError(f"'{q.text}' has too few letters: a wildcard needs at least {MIN_PREFIX_CHARS}, e.g. nego*")
            if type(q) is wq.Prefix:
                terms = _prefix_terms(reader, q.fieldname, q.text, extra)
            else:
                terms = list(q._btexts(reader))
                if len(terms) > MAX_PREFIX_TERMS:
                    terms.sort(key=lambda t: reader.doc_frequency(q.fieldname, t), reverse=True)
            terms = terms[:MAX_PREFIX_TERMS]
            if not terms:
                return wq.NullQuery
            return wq.Or([wq.Term(q.fieldname, t) for t in terms], boost=q.boost)
        if isinstance(q, wq.TermRange):  # [a TO z]: bounded as a prefix is (Whoosh expands it all)
            terms = _range_terms(reader, q)
            if not terms:
                return wq.NullQuery
            return wq.Or([wq.Term(q.fieldname, t) for t in terms], boost=q.boost)
        # Every kind of node (And, Or, Not, AndNot, boosts...) rebuilds itself from its children.
        if extra is None:  # (called as before when there is no analysis: tests spy on the two-argument call)
            return q.apply(lambda child: self._bound_expansions(child, reader))
        return q.apply(lambda child: self._bound_expansions(child, reader, extra))

    def _search(self, query: str, limit: int, source: str | None, extra: "QuotePostings | None" = None) -> SearchResult:
        from whoosh import query as wq

        try:
            parsed = self._parse(query)
        except QueryError as exc:
            return SearchResult(query, [], 0, error=str(exc))
        with self._lock:
            searcher = self._get_searcher()
            reader = searcher.reader()
            try:
                bounded = self._bound_expansions(parsed, reader) if extra is None else self._bound_expansions(parsed, reader, extra)
            except QueryError as exc:
                return SearchResult(query, [], 0, error=str(exc))
            if extra is not None:
                bounded = extra.rewrite(bounded)
            try:
                found = fast_search(searcher, bounded, limit, source)
                if found is None:
                    if source:
                        bounded = wq.And([bounded, wq.Term("source", source)])
                    results = searcher.search(bounded, limit=limit)
                    found = ([(hit.fields(), hit.score) for hit in results], len(results))
            except Exception as exc:  # noqa: BLE001
                return SearchResult(query, [], 0, error=f"the query could not be run ({exc})")
            top, total = found
            terms = _text_terms(bounded, reader)
            hits = []
            for fields, score in top:
                body = fields["body"]
                spans = highlight_spans(body, terms)
                hits.append(
                    Hit(
                        source=fields["source"],
                        paragraph=fields["paragraph"],
                        score=round(float(score), 4),
                        text=body,
                        highlights=spans,
                        outlet=fields.get("outlet") or None,
                        title=fields.get("title"),
                        snippet=make_snippet(body, spans),
                    )
                )
            suggestion = None
            if total == 0 or any(reader.doc_frequency("text", t) == 0 for t in _plain_terms(parsed)):
                suggestion = self._suggest(searcher, parsed, query)
        return SearchResult(query, hits, total, suggestion)

    def _suggest(self, searcher: Any, parsed: Any, query: str) -> str | None:
        try:
            typed = _typed_words(searcher.schema["text"].analyzer, fold_for_search(query))
            corrected = searcher.correct_query(
                parsed, fold_for_search(query), correctors={"text": _words_corrector(searcher.reader(), typed)}, prefix=1, maxdist=2
            )
        except Exception:  # noqa: BLE001 - a suggestion is a nicety, never a failure
            return None
        if corrected.query != parsed and corrected.string and corrected.string != fold_for_search(query):
            return str(corrected.string)
        return None

    def passage_count(self) -> int:
        return self._ix.doc_count() if self._ix is not None else 0


def _prefix_terms(reader: Any, fieldname: str, prefix: str, extra: "QuotePostings | None" = None) -> list[bytes]:
    """The terms starting with `prefix`, most documents first (ties in term order).

    Two bisections in each segment's sorted copy of its lexicon, which carries the document counts
    (fast.prefix_counts; Whoosh's own walk of the term list, 4-7 ms for a 3-letter prefix at 10k
    articles, where there is no copy). With `extra`, the analysis' `speaker:`/`side:` tokens count too (their passages, once each).
    """
    from briefing.index.search.fast import prefix_counts

    counts: dict[bytes, int] = {}
    for sub, _offset in reader.leaf_readers():
        found = prefix_counts(sub, fieldname, prefix)
        if found is None:
            found = {text: info.doc_frequency() for text, info in sub.iter_prefix(fieldname, prefix)}
        for text, count in found.items():
            counts[text] = counts.get(text, 0) + count
    if extra is not None:
        for token, count in extra.prefix_terms(fieldname, prefix).items():
            text = token.encode("utf-8")
            counts[text] = max(counts.get(text, 0), count)
    terms = sorted(counts)
    if len(terms) > MAX_PREFIX_TERMS:
        terms.sort(key=counts.__getitem__, reverse=True)
    return terms


def _range_terms(reader: Any, q: Any) -> list[bytes]:
    """The MAX_PREFIX_TERMS commonest terms of a term range (ties in term order), reading at most
    MAX_RANGE_SCAN lexicon entries per segment."""
    field = reader.schema[q.fieldname]
    try:
        start = field.to_bytes(q.start) if q.start is not None else b""
        end = field.to_bytes(q.end) if q.end is not None else None
    except ValueError:
        return []
    counts: dict[bytes, int] = {}
    for sub, _offset in reader.leaf_readers():
        scanned = 0
        for (fieldname, text), info in sub.iter_from(q.fieldname, start):
            if fieldname != q.fieldname:
                break
            if text == start and q.startexcl:
                continue
            if end is not None and (text > end or (text == end and q.endexcl)):
                break
            counts[text] = counts.get(text, 0) + info.doc_frequency()
            scanned += 1
            if scanned >= MAX_RANGE_SCAN:
                break
    return sorted(counts, key=lambda t: (-counts[t], t))[:MAX_PREFIX_TERMS]


def _typed_words(analyzer: Any, query: str) -> dict[str, str]:
    """Each query word's stemmed term -> the word as typed: the `words` lexicon holds whole words,
    so a misspelling is corrected as typed ("guarentees"), not as stemmed ("guarente")."""
    import re

    typed: dict[str, str] = {}
    for word in re.findall(r"\w+", query):
        try:
            for token in analyzer(word):
                typed.setdefault(token.text, word.lower())
        except Exception:  # noqa: BLE001 - then the stemmed term is corrected, as before
            continue
    return typed


def _words_corrector(reader: Any, typed: dict[str, str] | None = None) -> Any:
    """Whoosh's ReaderCorrector for `text`, with suggestions from the `words` lexicon for the
    word as typed (`typed`: stemmed term -> typed word)."""
    from whoosh.spelling import Corrector

    as_typed: dict[str, str] = typed or {}

    class WordsCorrector(Corrector):  # type: ignore[misc]
        def _suggestions(self, text: Any, maxdist: int, prefix: int) -> Iterator[tuple[float, Any]]:
            freq = reader.frequency
            word = as_typed.get(text.decode("utf-8") if isinstance(text, bytes) else text, text)
            for sug in reader.terms_within("words", word, maxdist, prefix=prefix):
                f = freq("text", sug) or 1  # ranked as Whoosh ranks its spell field's words
                yield (0 - (maxdist + (1.0 / f * 0.5)), sug)

    return WordsCorrector()


def _plain_terms(q: Any) -> list[bytes]:
    from whoosh import query as wq

    out = []
    for term in q.leaves() if q.is_leaf() is False else [q]:
        if isinstance(term, wq.Term) and term.fieldname == "text":
            text = term.text
            out.append(text.encode("utf-8") if isinstance(text, str) else text)
    return out


def _text_terms(q: Any, reader: Any) -> frozenset[str]:
    """The stemmed terms of the `text` field that a hit can contain (phrases included)."""
    terms = set()
    try:
        for fieldname, text in q.iter_all_terms(phrases=True):
            if fieldname == "text":
                terms.add(text.decode("utf-8") if isinstance(text, bytes) else text)
    except Exception:  # noqa: BLE001
        pass
    return frozenset(terms)


_TOKEN = re.compile(r"\w+(?:\.?\w+)*", re.UNICODE)
_STEM_CACHE: dict[str, str] = {}


def _stem(word: str) -> str:
    stem = _STEM_CACHE.get(word)
    if stem is None:
        from whoosh.lang.porter import stem as porter

        stem = porter(word)
        if len(_STEM_CACHE) < 200_000:
            _STEM_CACHE[word] = stem
    return stem


def highlight_spans(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """Character spans of every token of `text` whose stem is one of `terms`.

    Computed on the passage alone with the same tokenising and stemming as the index, instead of
    Whoosh's `hit.highlights`, which re-tokenises whole stored texts for every hit. Only tokens
    starting as some term starts are stemmed: Porter's stemmer only ever rewrites a word's end
    (words of one or two letters it leaves alone), so a stem begins with its word's first letter.
    """
    if not terms:
        return []
    firsts = {term[:1] for term in terms}
    spans = []
    for m in _TOKEN.finditer(fold_for_search(text)):
        word = m.group(0).lower()
        if word[:1] in firsts and _stem(word) in terms:
            spans.append((m.start(), m.end()))
    return spans


def make_snippet(text: str, spans: list[tuple[int, int]], width: int = 160) -> str:
    """A window of the passage around its first match (index/text.py), with ellipses where cut."""
    window, _shifted, start = window_around(text, spans, width)
    return ("…" if start > 0 else "") + window + ("…" if start + len(window) < len(text) else "")
