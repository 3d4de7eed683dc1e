"""The briefing-wide analysis kept beside the index, so an unchanged briefing reopens with its
quotes, speakers, groups and positions at once instead of analysing again.

The store is keyed by everything the analysis depends on: each article's id and content hash,
the manifest, and the engine's own code and data (any change to the extraction or analysis
rules gives another key). A store with another key is old; one whose checksum does not match its
bytes is damaged. Either is ignored (and replaced after the next analysis) with a message, never
trusted. Loading admits only the engine's own classes, so even a file put there by someone else
cannot make the loader run anything.

A file is the head (magic, key, sha256 of the rest) and one pickle, in which the engine's plain
dataclasses are calls of their class with their field values (see _Compact). It is written and
read as a stream, hashed on the way, and nothing read from it is used unless the whole matches.

Writing takes seconds at 10,000 articles, so the engine hands the analysis back first and writes
it on a thread (`save_later`). Every reader of a store in this process waits for the write
pending in its directory (`wait`), and the process waits for all of them before it ends
(`finish`): a store is never read half-written, and an interrupted write leaves the old one.
"""

from __future__ import annotations

import atexit
import dataclasses
import gc
import hashlib
import inspect
import io
import operator
import os
import pickle
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

MAGIC = b"briefing-analysis\n"
FILE_NAME = "analysis.pickle"
# What the analysis leaves for the next one (briefing.index.analysis.AnalysisState): per article
# results and the links between quotations. Apart from the analysis, so that a reopen of an
# unchanged briefing reads only the analysis; read when the briefing changed.
STATE_NAME = "analysis-state.pickle"
_HEAD = len(MAGIC) + 64 + 1 + 64 + 1  # magic, key, checksum (sha256 of the payload)
_ALLOWED_OUTSIDE = {("builtins", "set"), ("builtins", "frozenset"), ("collections", "defaultdict"),
                    ("collections", "OrderedDict"), ("collections", "Counter"), ("array", "array")}
# The one function a store may call: array's reconstructor, which makes an array of a type code
# and its bytes and nothing else (the shingle postings kept for the next analysis are arrays).
_ALLOWED_FUNCTIONS = {("array", "_array_reconstructor")}


@dataclass(frozen=True, slots=True)
class Loaded:
    """What `load` found: the analysis (None when there is none to use) and why not."""

    analysis: object | None
    note: str | None = None


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the engine's code and data files: the analysis is only as current as they are."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".toml", ".json") and p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def store_key(articles: Iterable[tuple[str, str]], manifest_signature: str) -> str:
    """The key of an analysis of these (article id, content hash) pairs under this manifest."""
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(manifest_signature.encode())
    for article_id, sha in sorted(articles):
        digest.update(f"\n{article_id}\t{sha}".encode())
    return digest.hexdigest()


def state_key(manifest_signature: str) -> str:
    """The key of the analysis state: its per-article parts say which article versions they are
    of, so only the code and the manifest are in it."""
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(b"state\n")
    digest.update(manifest_signature.encode())
    return digest.hexdigest()


def _fields_in_order(cls: type) -> tuple[str, ...] | None:
    """The field names an engine dataclass' own __init__ takes, in order, when calling it with
    them rebuilds an instance: no __post_init__, no field left out of __init__ or keyword-only,
    no pickling of its own. None for any other class (pickled the usual way)."""
    if not cls.__module__.startswith("briefing.index.") or "__dataclass_fields__" not in cls.__dict__:
        return None
    own = ("__post_init__", "__reduce__", "__reduce_ex__", "__new__")
    if any(name in klass.__dict__ for klass in cls.__mro__[:-1] for name in own):
        return None
    getstate = cls.__dict__.get("__getstate__")
    setstate = cls.__dict__.get("__setstate__")
    if any(f is not None and getattr(f, "__module__", None) != "dataclasses" for f in (getstate, setstate)):
        return None
    fields = dataclasses.fields(cls)
    if any(not f.init or f.kw_only for f in fields):
        return None
    try:
        params = list(inspect.signature(cls).parameters.values())
    except (TypeError, ValueError):
        return None
    names = tuple(f.name for f in fields)
    if tuple(p.name for p in params) != names or any(p.kind is not p.POSITIONAL_OR_KEYWORD for p in params):
        return None
    return names


class _Compact(pickle.Pickler):
    """Engine dataclasses pickled as a call of the class with its field values: one tuple per
    object instead of a dict of field names to set one by one on load. At 10,000 articles
    (~270,000 quotes, statements and groups) the analysis loads in about half the time and is a
    fifth smaller. The fields are the class' own, read when it is first seen, so whatever fields
    the analysis objects gain are carried without a list of them here."""

    def __init__(self, file: _Hashing):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.layouts: dict[type, Callable[[object], tuple[Any, ...]] | None] = {}

    def reducer_override(self, obj: object) -> Any:
        cls = type(obj)
        try:
            values = self.layouts[cls]
        except KeyError:
            values = self.layouts[cls] = _values_getter(cls)
        if values is None:
            return NotImplemented
        try:
            return cls, values(obj)
        except AttributeError:  # a field deleted from this instance: as it is, the usual way
            return NotImplemented


def _values_getter(cls: type) -> Callable[[object], tuple[Any, ...]] | None:
    """A function of an instance giving its field values in order (one C call per object: the
    pickler asks for every quote, statement and group)."""
    names = _fields_in_order(cls)
    if not names:
        return None
    if len(names) == 1:
        one = operator.attrgetter(names[0])
        return lambda obj: (one(obj),)
    return operator.attrgetter(*names)


class _EngineOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> type:
        if module.startswith("briefing.index.") or (module, name) in _ALLOWED_OUTSIDE:
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        if (module, name) in _ALLOWED_FUNCTIONS:
            return super().find_class(module, name)  # type: ignore[no-any-return]
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a stored analysis")


class Cancelled(Exception):
    """A write given up on (the process is being interrupted): its scratch file is removed."""


class _Hashing:
    """The file as the unpickler reads it, hashed on the way: the payload is never held whole
    beside the objects made from it (at 10,000 articles that was ~50 MB more at the reader's
    peak). Pickle frames are read a frame at a time, so this sees a few calls per megabyte."""

    def __init__(self, handle: io.BufferedIOBase, cancel: threading.Event | None = None):
        self.handle = handle
        self.digest = hashlib.sha256()
        self.cancel = cancel

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:
        count = self.handle.readinto(buffer)
        self.digest.update(memoryview(buffer)[:count])
        return count

    def readline(self) -> bytes:
        data = self.handle.readline()
        self.digest.update(data)
        return data

    def write(self, data: bytes | memoryview) -> int:
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled
        self.digest.update(data)
        return self.handle.write(data)


def load(directory: Path, key: str, name: str = FILE_NAME) -> Loaded:
    """The store `name` in `directory` if its key is `key` and its bytes are whole; one being
    written by this process (`save_later`) is read once it is written, never half-way."""
    wait(directory, name)
    path = directory / name
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return Loaded(None)
    except OSError as exc:
        return Loaded(None, _unreadable(path, exc))
    with handle:
        try:
            head = handle.read(_HEAD)
        except OSError as exc:
            return Loaded(None, _unreadable(path, exc))
        if not head.startswith(MAGIC) or len(head) != _HEAD:
            return Loaded(None, f"the stored analysis in {path} is damaged: analysing again")
        stored_key = head[len(MAGIC) : len(MAGIC) + 64].decode("ascii", "replace")
        checksum = head[len(MAGIC) + 65 : len(MAGIC) + 129].decode("ascii", "replace")
        if stored_key != key:
            return Loaded(None, "the briefing, its manifest or briefing itself changed since the analysis was stored: analysing again")
        reader = _Hashing(handle)
        # Hundreds of thousands of small objects: the cyclic collector would run over them again
        # and again while they are made, for nothing (they are all alive). Off during the load.
        collecting = gc.isenabled()
        gc.disable()
        try:
            loaded, failure = _EngineOnly(reader).load(), None
        except OSError as exc:
            return Loaded(None, _unreadable(path, exc))
        except Exception as exc:  # noqa: BLE001 - any failure to load means: do not trust it
            loaded, failure = None, exc
        finally:
            if collecting:
                gc.enable()
        try:
            reader.read()  # what follows the pickle is covered by the checksum too
        except OSError as exc:
            return Loaded(None, _unreadable(path, exc))
    # Only what the whole checksum vouches for is used: the objects made from a damaged file are
    # dropped (the loader admits only engine classes, so making them ran nothing).
    if reader.digest.hexdigest() != checksum:
        return Loaded(None, f"the stored analysis in {path} is damaged: analysing again")
    if failure is not None:
        return Loaded(None, f"the stored analysis in {path} cannot be used ({type(failure).__name__}): analysing again")
    return Loaded(loaded)


def _unreadable(path: Path, exc: OSError) -> str:
    return f"the stored analysis in {path} cannot be read ({exc.strerror or exc}): analysing again"


def save(directory: Path, key: str, analysis: object, name: str = FILE_NAME,
         cancel: threading.Event | None = None) -> str | None:
    """Write the analysis atomically; a message when it cannot be kept (the briefing still works).

    The pickle goes to the file as it is made (no 50 MB copy in memory) and the checksum, known
    only at the end, is written into the head last. Once `cancel` is set the write stops at its
    next block (Cancelled), leaving whatever store was there."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".analysis-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(MAGIC + key.encode("ascii") + b"\n" + b"0" * 64 + b"\n")
                writer = _dump(handle, analysis, cancel)
                handle.seek(len(MAGIC) + 65)
                handle.write(writer.digest.hexdigest().encode("ascii"))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, directory / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        return f"the analysis cannot be stored in {directory} ({exc.strerror or exc}): the next start analyses again"
    return None


def _dump(handle: io.BufferedIOBase, analysis: object, cancel: threading.Event | None = None) -> _Hashing:
    """The pickle after the head, and what hashed it. Two engine objects that refer to each other
    cannot both be rebuilt by a call that takes the other: then the whole is pickled again
    the usual way, which rebuilds each object before setting its fields."""
    start = handle.tell()
    writer = _Hashing(handle, cancel)
    try:
        _Compact(writer).dump(analysis)
    except RecursionError:
        handle.seek(start)
        handle.truncate()
        writer = _Hashing(handle, cancel)
        pickle.Pickler(writer, protocol=pickle.HIGHEST_PROTOCOL).dump(analysis)
    return writer


# ---- writing after the analysis is handed back ------------------------------------------------

class Pending:
    """One background write of an analysis (and what it leaves for the next one) to a directory.
    A write that fails adds its note to `notes` (the analysis' own list, when given one);
    `follow` hears each as it comes."""

    def __init__(self, directory: Path, notes: list[str] | None = None):
        self.directory = directory
        self.notes: list[str] = notes if notes is not None else []
        self.done = threading.Event()
        self.cancel = threading.Event()
        self.written: set[str] = set()  # the files of it written (or given up on) so far
        self._written = threading.Condition()
        self._listeners: list[Callable[[str], None]] = []
        self._lock = threading.Lock()

    def wait_for(self, name: str) -> None:
        """Until the file `name` of this write is written or given up on (the reopen of an
        unchanged briefing reads the analysis alone: it need not wait for the state too)."""
        with self._written:
            self._written.wait_for(lambda: name in self.written or self.done.is_set())

    def _wrote(self, name: str) -> None:
        with self._written:
            self.written.add(name)
            self._written.notify_all()

    def follow(self, listener: Callable[[str], None], seen: int = 0) -> None:
        """`listener(note)` for each of `notes` after the first `seen`: those there now at once,
        the others from the writing thread as they come."""
        with self._lock:
            now = self.notes[seen:]
            if not self.done.is_set():
                self._listeners.append(listener)
        for note in now:
            listener(note)

    def _add(self, note: str) -> None:
        with self._lock:
            self.notes.append(note)
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(note)
            except Exception:  # noqa: BLE001 - one listener's failure must not stop the write
                pass

    def _finish(self) -> None:
        with self._lock:
            self._listeners.clear()
            self.done.set()
        with self._written:
            self._written.notify_all()


_pending: dict[str, Pending] = {}
_pending_lock = threading.Lock()


def _place(directory: Path) -> str:
    """The registry's key of a directory: one per place, however it was spelled."""
    return os.path.realpath(directory)


def save_later(directory: Path, items: list[tuple[str, object, str]], notes: list[str] | None = None,
               drop: object = None) -> Pending:
    """`save` each (key, object, file name) in turn on a thread, after any write still pending in
    that directory; a note added to `notes` for each that could not be stored. `drop` is let go
    of on that thread, after the write (the caller's last reference to something big)."""
    pending = Pending(directory, notes)
    with _pending_lock:
        before = _pending.get(_place(directory))
        _pending[_place(directory)] = pending
    held = [items, drop]
    del items, drop
    thread = threading.Thread(target=_write, args=(pending, before, held), name="analysis-store", daemon=True)
    thread.start()
    return pending


def _write(pending: Pending, before: Pending | None, held: list[Any]) -> None:
    try:
        if before is not None:
            before.done.wait()  # two writes to one file: the later analysis is the one kept
        for i in range(len(held[0])):
            key, name = held[0][i][0], held[0][i][2]
            try:
                note = save(pending.directory, key, held[0][i][1], name, pending.cancel)
            except Cancelled:
                return
            except Exception as exc:  # noqa: BLE001 - e.g. a field that cannot be pickled: said, not raised
                note = f"the analysis cannot be stored in {pending.directory} ({type(exc).__name__}: {exc}): the next start analyses again"
            if note:
                pending._add(note)
            pending._wrote(name)
    finally:
        held.clear()  # the objects written, and `drop`, are freed here, on this thread
        with _pending_lock:
            if _pending.get(_place(pending.directory)) is pending:
                del _pending[_place(pending.directory)]
        pending._finish()


def wait(directory: Path, name: str | None = None) -> None:
    """Until the write pending in this directory (if any) is done, or has written the file `name`
    (a write started after it waits for it, so the latest one tells)."""
    with _pending_lock:
        pending = _pending.get(_place(directory))
    if pending is None:
        return
    if name is None:
        pending.done.wait()
    else:
        pending.wait_for(name)


def finish(saying: Callable[[], None] | None = None, patience: float = 0.5) -> bool:
    """Until every pending write of this process is done; `saying()` once if that takes longer
    than `patience` seconds. Ctrl-C meanwhile gives the writes up, leaving the stores that were
    there (False), never a traceback."""
    with _pending_lock:
        pending = list(_pending.values())
    if not pending:
        return True
    try:
        if not all(p.done.wait(patience) for p in pending) and saying is not None:
            saying()
        for p in pending:
            p.done.wait()
        return True
    except KeyboardInterrupt:
        for p in pending:
            p.cancel.set()
        for p in pending:  # each stops at its next block and removes its scratch file
            try:
                p.done.wait(5)
            except KeyboardInterrupt:
                break
        return False


# A process that ends with a write pending (a command that analysed and returned) waits for it:
# the thread is a daemon only so that an interrupted wait ends the process at once.
atexit.register(finish)
