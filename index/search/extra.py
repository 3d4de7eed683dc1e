"""Postings for the `speaker:` and `side:` fields from the briefing-wide analysis, united with the
indexed fields at query time (no re-index).

The index writes `speaker:` and `side:` from each article's own extraction. The analysis knows
more: quotations an outlet printed without marks, every form of a speaker's name across articles,
and sides it inferred. `QuotePostings` holds, for every token of those fields, the passages the
analysis puts it in; `QuotePostings.rewrite` turns a parsed query's `speaker:`/`side:` terms and
phrases into "the indexed postings OR the analysis' passages not already among them". The second
part is an `ExtraDocs` leaf query, which Whoosh runs like any other (its matcher lists documents
with precomputed scores) and the fast path (fast.py) reads directly: both give the same hits.

A passage found only through the analysis is scored as a posting of weight 1 of each word in that
passage's indexed field (same idf, same length norm); passages the index already finds keep their
scores.

Importing this module does not import Whoosh.
"""

from __future__ import annotations

import itertools
from typing import Any, Iterable

from briefing.index.text import fold_for_search

FIELDS = ("speaker", "side")
Passage = tuple[str, int]  # (article id, paragraph number)

_TOKENS = itertools.count(1)


class QuotePostings:
    """Token -> passages for `speaker:` and `side:`, from (article id, paragraph, names, sides)
    rows. Names and side values are analysed as the index analyses its fields."""

    def __init__(self, rows: Iterable[tuple[str, int, Iterable[str], Iterable[str]]], schema: Any):
        self.token = next(_TOKENS)  # tells caches of two QuotePostings apart (ids are reused)
        self.terms: dict[str, dict[str, set[Passage]]] = {f: {} for f in FIELDS}
        # passage -> the token sequences of every name form quoted there (for phrases)
        self.forms: dict[Passage, set[tuple[str, ...]]] = {}
        speaker_field, side_field = schema["speaker"], schema["side"]
        analysed: dict[tuple[str, str], tuple[str, ...]] = {}

        def tokens(field: Any, name: str, value: str) -> tuple[str, ...]:
            key = (name, value)
            found = analysed.get(key)
            if found is None:
                found = tuple(field.process_text(fold_for_search(value), mode="index"))
                analysed[key] = found
            return found

        # a speaker's quotations repeat the same names (and sides): each collection is analysed
        # once, into its name forms and words
        named: dict[frozenset[str], tuple[frozenset[tuple[str, ...]], tuple[str, ...]]] = {}
        sided: dict[frozenset[str], tuple[str, ...]] = {}
        speaker_terms, side_terms = self.terms["speaker"], self.terms["side"]
        for source, paragraph, names, sides in rows:
            passage = (source, paragraph)
            key = names if type(names) is frozenset else frozenset(names)
            found = named.get(key)
            if found is None:
                forms = frozenset(words for words in (tokens(speaker_field, "speaker", name) for name in key) if words)
                found = named[key] = (forms, tuple({word for form in forms for word in form}))
            forms, words = found
            if forms:
                self.forms.setdefault(passage, set()).update(forms)
            for word in words:
                speaker_terms.setdefault(word, set()).add(passage)
            key = sides if type(sides) is frozenset else frozenset(sides)
            side_words = sided.get(key)
            if side_words is None:
                side_words = sided[key] = tuple({word for side in key for word in tokens(side_field, "side", side)})
            for word in side_words:
                side_terms.setdefault(word, set()).add(passage)

    def __len__(self) -> int:
        return sum(len(passages) for by_term in self.terms.values() for passages in by_term.values())

    def passages(self, fieldname: str, text: str) -> set[Passage]:
        return self.terms.get(fieldname, {}).get(text, set())

    def phrase_passages(self, fieldname: str, words: tuple[str, ...]) -> set[Passage]:
        """Passages where one quoted form of a name has these words side by side."""
        if fieldname != "speaker" or not words:
            return set()
        candidates = set(self.passages(fieldname, words[0]))
        for word in words[1:]:
            candidates &= self.passages(fieldname, word)
        n = len(words)
        return {
            p for p in candidates
            if any(form[i:i + n] == words for form in self.forms.get(p, ()) for i in range(len(form) - n + 1))
        }

    def length(self, fieldname: str, passage: Passage) -> int:
        """How many words the analysis' names (or sides) of a passage have: its field's length."""
        if fieldname == "speaker":
            return max(1, sum(len(form) for form in self.forms.get(passage, ())))
        return 1

    def prefix_terms(self, fieldname: str, prefix: str) -> dict[str, int]:
        """Tokens of a field starting with `prefix` -> how many passages have them."""
        return {t: len(p) for t, p in self.terms.get(fieldname, {}).items() if t.startswith(prefix)}

    # ---- queries ------------------------------------------------------------------------
    def rewrite(self, q: Any) -> Any:
        """The query with every `speaker:`/`side:` term and phrase united with this analysis'
        passages for it (an Or of terms stays one flat Or, so that the fast path takes it)."""
        from whoosh import query as wq

        def united(node: Any) -> list[Any] | None:
            """[node, ExtraDocs] for a term or phrase of our fields with passages, else None."""
            if type(node) is wq.Term and node.fieldname in FIELDS:
                text = node.text.decode("utf-8") if isinstance(node.text, bytes) else str(node.text)
                passages = self.passages(node.fieldname, text)
                if passages:
                    return [node, extra_docs(self, node.fieldname, (text,), frozenset(passages), node.boost)]
            if type(node) is wq.Phrase and node.fieldname in FIELDS and node.slop == 1:
                words = tuple(str(w) for w in node.words)
                passages = self.phrase_passages(node.fieldname, words)
                if passages:
                    return [node, extra_docs(self, node.fieldname, words, frozenset(passages), node.boost, phrase=node)]
            return None

        def walk(node: Any) -> Any:
            pair = united(node)
            if pair is not None:
                return wq.Or(pair)
            if type(node) is wq.Or:
                children: list[Any] = []
                for child in node.subqueries:
                    pair = united(child)
                    children.extend(pair if pair is not None else [walk(child)])
                return wq.Or(children, boost=node.boost)
            return node.apply(walk)

        return walk(q)


# ---- the leaf query ------------------------------------------------------------------------

_CLASS: Any = None


def extra_docs(postings: QuotePostings, fieldname: str, words: tuple[str, ...], passages: frozenset[Passage],
               boost: float = 1.0, phrase: Any = None) -> Any:
    """An `ExtraDocs` query (the class is made on first use: Whoosh is imported then)."""
    global _CLASS
    if _CLASS is None:
        _CLASS = _make_class()
    return _CLASS(postings, fieldname, words, passages, boost, phrase)


def is_extra(node: Any) -> bool:
    return _CLASS is not None and type(node) is _CLASS


def _make_class() -> Any:
    from whoosh import query as wq
    from whoosh.matching import ListMatcher, NullMatcher

    class ScoredList(ListMatcher):  # type: ignore[misc]
        """Documents with their scores already computed."""

        def score(self) -> float:
            return float(self._weights[self._i])

    class ExtraDocs(wq.Query):  # type: ignore[misc]
        """The analysis' passages for a `speaker:`/`side:` term or phrase that the index does not
        already find, scored as postings of weight 1 (see the module's docstring)."""

        def __init__(self, postings: QuotePostings, fieldname: str, words: tuple[str, ...],
                     passages: frozenset[Passage], boost: float, phrase: Any) -> None:
            self.postings = postings
            self.fieldname = fieldname
            self.words = words
            self.passages = passages
            self.boost = boost
            self.phrase = phrase  # the indexed phrase query (its hits are left out), or None

        def __repr__(self) -> str:
            return f"ExtraDocs({self.fieldname!r}, {list(self.words)!r}, {len(self.passages)} passages)"

        def __eq__(self, other: object) -> bool:
            if type(other) is not type(self):
                return False
            mine = (self.fieldname, self.words, self.boost)
            return bool(other.postings is self.postings and (other.fieldname, other.words, other.boost) == mine)

        def __hash__(self) -> int:
            return hash((self.postings.token, self.fieldname, self.words, self.boost))

        def is_leaf(self) -> bool:
            return True

        def estimate_size(self, ixreader: Any) -> int:
            return len(self.passages)

        def normalize(self) -> Any:
            return self

        def leaf_scores(self, searcher: Any) -> dict[int, float]:
            """{segment document: score} in the segment of this (leaf) searcher."""
            return leaf_scores(self, searcher)

        def matcher(self, searcher: Any, context: Any = None) -> Any:
            scores = self.leaf_scores(searcher)
            if not scores:
                return NullMatcher()
            ids = sorted(scores)
            return ScoredList(ids, [scores[d] for d in ids])

    return ExtraDocs


def _documents(searcher: Any, postings: QuotePostings, passages: frozenset[Passage]) -> dict[int, Passage]:
    """The live documents of these passages in this searcher's segment: most looked up at once
    in the segment's article ranges (article_ranges.py, read once per segment), the others an
    article at a time (its `source` postings, their `paragraph` numbers), kept."""
    from briefing.index.search.article_ranges import ranges

    reader = searcher.reader()
    table = ranges(searcher, reader)
    out: dict[int, Passage] = {}
    left: Iterable[Passage] = passages
    if table is not None and passages:
        from briefing.index.search.fast import deleted_documents

        items = list(passages)
        sources, paragraphs = zip(*items)
        found, docs, unknown = table.documents(sources, paragraphs, deleted_documents(reader))
        out = dict(zip(docs, map(items.__getitem__, found)))
        left = map(items.__getitem__, unknown)
    cache: dict[tuple[int, str], dict[int, int]] = searcher.__dict__.setdefault("_briefing_sources", {})
    column = searcher.__dict__.setdefault("_briefing_paragraphs", {})
    for passage in left:
        source, paragraph = passage
        key = (id(reader), source)
        article = cache.get(key)
        if article is None:
            article = cache[key] = _passages_of(searcher, reader, column, source, present=table is not None)
        doc = article.get(paragraph)
        if doc is not None:
            out[doc] = passage
    return out


def _passages_of(searcher: Any, reader: Any, columns: dict[int, Any], source: str, present: bool = False) -> dict[int, int]:
    """{paragraph: live document} of one article in a segment (`present`: the caller knows the
    segment has the article)."""
    found: dict[int, int] = {}
    term = reader.schema["source"].to_bytes(source)
    if not present:
        sources = columns.get(-id(reader))  # the segment's articles: one pass over its `source` terms
        if sources is None:
            sources = columns[-id(reader)] = set(reader.lexicon("source"))
        if term not in sources:
            return found
    from briefing.index.search.fast import article_passages

    quick = article_passages(searcher, reader, term)
    if quick is not None:
        return quick
    paragraphs = columns.get(id(reader))
    if paragraphs is None and reader.has_column("paragraph"):
        paragraphs = columns[id(reader)] = reader.column_reader("paragraph")
    matcher = reader.postings("source", term)  # (deleted documents are left out)
    while matcher.is_active():
        doc = matcher.id()
        n = paragraphs[doc] if paragraphs is not None else reader.stored_fields(doc).get("paragraph")
        if n is not None:
            found[int(n)] = doc
        matcher.next()
    return found


def leaf_scores(q: Any, searcher: Any) -> dict[int, float]:
    """What `ExtraDocs.leaf_scores` computes (kept out of the class for the cache's sake)."""
    from whoosh import query as wq
    from whoosh.matching import ListMatcher

    reader = searcher.reader()
    cache: dict[tuple[Any, ...], dict[int, float]] = searcher.__dict__.setdefault("_briefing_extra", {})
    key = (q.postings.token, id(reader), q.fieldname, q.words, q.boost)
    found = cache.get(key)
    if found is not None:
        return found
    where = _documents(searcher, q.postings, q.passages)
    docs = sorted(where)
    if docs:  # leave out what the indexed field finds itself: a passage is counted once
        from briefing.index.search.fast import term_docs

        known = term_docs(searcher, reader, q.fieldname, q.words[0]) if q.phrase is None else None
        if known is None:  # a phrase (or another layout): Whoosh's matcher, skipped along
            indexed = wq.Term(q.fieldname, q.words[0]) if q.phrase is None else q.phrase
            matcher = indexed.matcher(searcher)
            known = set()
            for doc in docs:
                if not matcher.is_active():
                    break
                matcher.skip_to(doc)
                if matcher.is_active() and matcher.id() == doc:
                    known.add(doc)
        docs = [d for d in docs if d not in known]
    scores: dict[int, float] = {}
    if docs:
        from whoosh.scoring import BM25FScorer

        if searcher.schema[q.fieldname].scorable:
            scorers = [searcher.weighting.scorer(searcher, q.fieldname, word) for word in q.words]
        else:  # (Whoosh scores such a field by weight; its scorer wants the term in the index)
            scorers = [None for _word in q.words]
        for doc in docs:
            total = 0.0
            for scorer in scorers:
                if scorer is None:
                    total += 1.0
                elif isinstance(scorer, BM25FScorer):
                    # the passage's indexed field, or (when the index has no names there) the
                    # words of the names the analysis quotes in it
                    length = searcher.doc_field_length(doc, q.fieldname, None) or q.postings.length(q.fieldname, where[doc])
                    total += scorer._score(1.0, length)
                else:
                    total += scorer.score(ListMatcher([doc], [1.0]))
            scores[doc] = float(total) * q.boost
    cache[key] = scores
    return scores
