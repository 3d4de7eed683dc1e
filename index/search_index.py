"""The Whoosh index of passages: one document per paragraph.

Whoosh is imported here only; nothing else in the project touches it.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from index.cleaning import fold_for_search
from index.model import Article, Hit, SearchResult

SCHEMA_VERSION = 3
MAX_PREFIX_TERMS = 64  # bound prefix/wildcard expansion: Whoosh's unbounded union is the slow tail
MIN_PREFIX_CHARS = 2
MAX_QUERY_CHARS = 1000


@dataclass(frozen=True, slots=True)
class PassageExtras:
    """What the quote work adds to a passage: who is quoted in it, and for which side."""

    speakers: tuple[str, ...] = ()
    sides: tuple[str, ...] = ()


def _analyzer():
    from whoosh.analysis import StemmingAnalyzer

    # The default tokenizer keeps "open-door" as two tokens, so "open door" matches both forms.
    return StemmingAnalyzer(minsize=1, stoplist=None)


def _schema():
    from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

    analyzer = _analyzer()
    return Schema(
        pid=ID(stored=True, unique=True),
        source=ID(stored=True),
        outlet=TEXT(stored=True),
        title=TEXT(stored=True),
        paragraph=NUMERIC(stored=True, sortable=True),
        text=TEXT(analyzer=analyzer, phrase=True, spelling=True),
        body=STORED(),
        speaker=TEXT(analyzer=_name_analyzer()),
        side=KEYWORD(lowercase=True, commas=True, scorable=False),
    )


def _name_analyzer():
    from whoosh.analysis import RegexTokenizer, LowercaseFilter

    return RegexTokenizer() | LowercaseFilter()


def _documents(article: Article, extras: dict[int, PassageExtras]) -> Iterable[dict]:
    for p in article.paragraphs:
        extra = extras.get(p.n, PassageExtras())
        yield {
            "pid": f"{article.id}#{p.n}",
            "source": article.id,
            "outlet": article.outlet or "",
            "title": article.title,
            "paragraph": p.n,
            "text": fold_for_search(p.text),
            "body": p.text,
            "speaker": " ".join(extra.speakers),
            "side": ",".join(extra.sides),
        }


class QueryError(ValueError):
    """A query that cannot be run, with an explanation for a person."""


_FIELD_ALIASES = {"source": "source", "outlet": "outlet", "speaker": "speaker", "side": "side", "title": "title", "text": "text"}
_FIELD_RE = re.compile(r"(?<![\w\"])([A-Za-z_]+):")


class PassageIndex:
    """Open (or create) the index in `directory`; keep one searcher for every query."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self._ix = None
        self._searcher = None
        self._lock = threading.RLock()
        self._cache: OrderedDict[tuple, SearchResult] = OrderedDict()

    # ---- lifecycle -------------------------------------------------------------------------
    def open(self) -> str | None:
        """Open the index; a missing, damaged or outdated one is recreated. Returns a message then."""
        from whoosh import index as windex

        message = None
        version_file = self.directory / "schema-version"
        try:
            if windex.exists_in(str(self.directory)) and version_file.read_text().strip() == str(SCHEMA_VERSION):
                self._ix = windex.open_dir(str(self.directory))
                with self._ix.searcher() as s:  # touch every segment: a truncated file fails here
                    s.doc_count()
                return None
            if self.directory.exists() and any(self.directory.iterdir()):
                message = "search index was from another version: rebuilt"
        except Exception as exc:  # noqa: BLE001 - any damage means rebuild, never a traceback
            message = f"search index was damaged ({type(exc).__name__}): rebuilt"
        self._create()
        return message or "search index created"

    def recreate(self) -> None:
        self.close()
        self._create()

    def _create(self) -> None:
        from whoosh import index as windex

        if self.directory.exists():
            shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._ix = windex.create_in(str(self.directory), _schema())
        (self.directory / "schema-version").write_text(str(SCHEMA_VERSION))

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
        changed: list[tuple[Article, dict[int, PassageExtras]]],
        removed: Iterable[str] = (),
        progress: Callable[[int], None] | None = None,
        procs: int = 1,
    ) -> None:
        """Replace the passages of changed articles and drop those of removed ones, in one commit."""
        removed = list(removed)
        if not changed and not removed:
            return
        big = len(changed) > 2000
        kwargs = {"limitmb": 256}
        if big and procs > 1:
            # Whoosh's multi-process writer only pays with multisegment (the final merge is serial).
            kwargs.update(procs=procs, multisegment=True)
        writer = self._ix.writer(**kwargs)
        try:
            fresh = self._ix.doc_count_all() == 0
            for source in removed:
                writer.delete_by_term("source", source)
            for i, (article, extras) in enumerate(changed, 1):
                if not fresh:
                    writer.delete_by_term("source", article.id)
                for doc in _documents(article, extras):
                    writer.add_document(**doc)
                if progress and i % 50 == 0:
                    progress(i)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        if progress:
            progress(len(changed))
        with self._lock:
            self._cache.clear()
            if self._searcher is not None:
                self._searcher = self._searcher.refresh()

    # ---- reading ---------------------------------------------------------------------------
    def _get_searcher(self):
        with self._lock:
            if self._searcher is None:
                self._searcher = self._ix.searcher()
            return self._searcher

    def search(self, query: str, limit: int = 20, source: str | None = None) -> SearchResult:
        key = (query, limit, source)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        result = self._search(query, limit, source)
        with self._lock:
            self._cache[key] = result
            while len(self._cache) > 256:
                self._cache.popitem(last=False)
        return result

    def _parse(self, query: str):
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
        for m in _FIELD_RE.finditer(text):
            name = m.group(1).lower()
            if name not in _FIELD_ALIASES:
                known = ", ".join(f"{f}:" for f in sorted(_FIELD_ALIASES))
                raise QueryError(f"unknown field '{m.group(1)}:' (fields you can use: {known})")
        if text.count('"') % 2:
            raise QueryError('unbalanced quotation mark: a phrase needs an opening and a closing "')
        if text.count("(") != text.count(")"):
            raise QueryError("unbalanced parentheses: every ( needs a matching )")
        if re.fullmatch(r"\s*(AND|OR|NOT|ANDNOT|ANDMAYBE)(\s+(AND|OR|NOT|ANDNOT|ANDMAYBE))*\s*", text):
            raise QueryError(f"'{text}' is only an operator: put words around it, e.g. sherman AND smith")
        if re.search(r"(^|\s)(AND|OR|ANDNOT|ANDMAYBE)\s*$|^\s*(AND|OR|ANDNOT|ANDMAYBE)\s", text):
            raise QueryError("an operator (AND/OR) needs a term on each side")
        parser = QueryParser("text", schema=self._ix.schema)
        parser.remove_plugin_class(GtLtPlugin)
        lowered = _FIELD_RE.sub(lambda m: m.group(1).lower() + ":", fold_for_search(text))
        try:
            parsed = parser.parse(lowered)
        except Exception as exc:  # noqa: BLE001 - Whoosh raises many types; all mean "bad query"
            raise QueryError(f"the query could not be understood ({exc})") from None
        return parsed

    def _bound_expansions(self, q, reader):
        """Replace prefix and wildcard queries by an OR of at most MAX_PREFIX_TERMS real terms."""
        from whoosh import query as wq

        if isinstance(q, (wq.Prefix, wq.Wildcard)):
            if isinstance(q, wq.Prefix) and len(q.text) < MIN_PREFIX_CHARS:
                raise QueryError(f"'{q.text}*' is too short: a prefix needs at least {MIN_PREFIX_CHARS} letters")
            terms = list(q._btexts(reader))
            if len(terms) > MAX_PREFIX_TERMS:
                terms.sort(key=lambda t: reader.doc_frequency(q.fieldname, t), reverse=True)
                terms = terms[:MAX_PREFIX_TERMS]
            if not terms:
                return wq.NullQuery
            return wq.Or([wq.Term(q.fieldname, t) for t in terms], boost=q.boost)
        if hasattr(q, "subqueries"):
            q.subqueries = [self._bound_expansions(s, reader) for s in q.subqueries]
        elif hasattr(q, "child"):
            q.child = self._bound_expansions(q.child, reader)
        return q

    def _search(self, query: str, limit: int, source: str | None) -> SearchResult:
        from whoosh import query as wq

        try:
            parsed = self._parse(query)
        except QueryError as exc:
            return SearchResult(query, [], 0, error=str(exc))
        with self._lock:
            searcher = self._get_searcher()
            reader = searcher.reader()
            try:
                bounded = self._bound_expansions(parsed, reader)
            except QueryError as exc:
                return SearchResult(query, [], 0, error=str(exc))
            if source:
                bounded = wq.And([bounded, wq.Term("source", source)])
            try:
                results = searcher.search(bounded, limit=limit)
            except Exception as exc:  # noqa: BLE001
                return SearchResult(query, [], 0, error=f"the query could not be run ({exc})")
            terms = _text_terms(bounded, reader)
            hits = []
            for hit in results:
                body = hit["body"]
                spans = highlight_spans(body, terms)
                hits.append(
                    Hit(
                        source=hit["source"],
                        paragraph=hit["paragraph"],
                        score=round(float(hit.score), 4),
                        text=body,
                        highlights=spans,
                        outlet=hit.get("outlet") or None,
                        title=hit.get("title"),
                        snippet=make_snippet(body, spans),
                    )
                )
            total = len(results)
            suggestion = None
            if total == 0 or any(reader.doc_frequency("text", t) == 0 for t in _plain_terms(parsed)):
                suggestion = self._suggest(searcher, parsed, query)
        return SearchResult(query, hits, total, suggestion)

    def _suggest(self, searcher, parsed, query: str) -> str | None:
        try:
            corrected = searcher.correct_query(parsed, fold_for_search(query), prefix=1, maxdist=2)
        except Exception:  # noqa: BLE001 - a suggestion is a nicety, never a failure
            return None
        if corrected.query != parsed and corrected.string and corrected.string != fold_for_search(query):
            return corrected.string
        return None

    def passage_count(self) -> int:
        return self._ix.doc_count() if self._ix is not None else 0


def _plain_terms(q) -> list[bytes]:
    from whoosh import query as wq

    out = []
    for term in q.leaves() if q.is_leaf() is False else [q]:
        if isinstance(term, wq.Term) and term.fieldname == "text":
            text = term.text
            out.append(text.encode("utf-8") if isinstance(text, str) else text)
    return out


def _text_terms(q, reader) -> frozenset[str]:
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
    Whoosh's `hit.highlights`, which re-tokenises whole stored texts for every hit.
    """
    if not terms:
        return []
    spans = []
    for m in _TOKEN.finditer(fold_for_search(text)):
        if _stem(m.group(0).lower()) in terms:
            spans.append((m.start(), m.end()))
    return spans


def make_snippet(text: str, spans: list[tuple[int, int]], width: int = 160) -> str:
    """A window of the passage around its first match, cut on word boundaries."""
    if len(text) <= width:
        return text
    centre = spans[0][0] if spans else 0
    start = max(0, centre - width // 3)
    end = min(len(text), start + width)
    if start > 0:
        start = text.find(" ", start) + 1 or start
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    return ("…" if start > 0 else "") + text[start:end] + ("…" if end < len(text) else "")
