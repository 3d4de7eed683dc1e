"""The briefing-wide analysis kept beside the index, so an unchanged briefing reopens with its
quotes, speakers, groups and positions at once instead of analysing again.

The store is keyed by everything the analysis depends on: each article's id and content hash,
the manifest, and the engine's own code and data (any change to the extraction or analysis
rules gives another key). A store with another key is old; one whose checksum does not match its
bytes is damaged. Either is ignored (and replaced after the next analysis) with a message, never
trusted. Loading admits only the engine's own classes, so even a file put there by someone else
cannot make the loader run anything.
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
import pickle
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MAGIC = b"briefing-analysis\n"
FILE_NAME = "analysis.pickle"
# What the analysis leaves for the next one (briefing.index.analysis.AnalysisState): per article
# results and the links between quotations. Apart from the analysis, so that a reopen of an
# unchanged briefing reads only the analysis; read when the briefing changed.
STATE_NAME = "analysis-state.pickle"
_ALLOWED_OUTSIDE = {("builtins", "set"), ("builtins", "frozenset"), ("collections", "defaultdict"),
                    ("collections", "OrderedDict"), ("collections", "Counter"), ("array", "array")}


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


class _EngineOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> type:
        if module.startswith("briefing.index.") or (module, name) in _ALLOWED_OUTSIDE:
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a stored analysis")


def load(directory: Path, key: str, name: str = FILE_NAME) -> Loaded:
    path = directory / name
    try:
        with path.open("rb") as handle:
            head = handle.read(len(MAGIC) + 64 + 1 + 64 + 1)
            payload = handle.read()
    except FileNotFoundError:
        return Loaded(None)
    except OSError as exc:
        return Loaded(None, f"the stored analysis in {path} cannot be read ({exc.strerror or exc}): analysing again")
    if not head.startswith(MAGIC) or len(head) != len(MAGIC) + 130:
        return Loaded(None, f"the stored analysis in {path} is damaged: analysing again")
    stored_key = head[len(MAGIC) : len(MAGIC) + 64].decode("ascii", "replace")
    checksum = head[len(MAGIC) + 65 : len(MAGIC) + 129].decode("ascii", "replace")
    if stored_key != key:
        return Loaded(None, "the briefing, its manifest or briefing itself changed since the analysis was stored: analysing again")
    if hashlib.sha256(payload).hexdigest() != checksum:
        return Loaded(None, f"the stored analysis in {path} is damaged: analysing again")
    # Hundreds of thousands of small objects: the cyclic collector would run over them again and
    # again while they are made, for nothing (they are all alive). Off during the load.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return Loaded(_EngineOnly(io.BytesIO(payload)).load())
    except Exception as exc:  # noqa: BLE001 - any failure to load means: do not trust it
        return Loaded(None, f"the stored analysis in {path} cannot be used ({type(exc).__name__}): analysing again")
    finally:
        if collecting:
            gc.enable()


def save(directory: Path, key: str, analysis: object, name: str = FILE_NAME) -> str | None:
    """Write the analysis atomically; a message when it cannot be kept (the briefing still works)."""
    payload = pickle.dumps(analysis, protocol=pickle.HIGHEST_PROTOCOL)
    head = MAGIC + key.encode("ascii") + b"\n" + hashlib.sha256(payload).hexdigest().encode("ascii") + b"\n"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".analysis-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(head)
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, directory / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        return f"the analysis cannot be stored in {directory} ({exc.strerror or exc}): the next start analyses again"
    return None
