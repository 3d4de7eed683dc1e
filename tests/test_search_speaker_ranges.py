"""The analysis' passages (article id, paragraph) are found among a segment's documents through
the segment's article ranges (index/search/article_ranges.py) exactly as a plain walk of each
article's `source` postings finds them: on indexes written here with several segments, deleted
passages, articles written again, articles whose passages are interleaved with others', out of
order, or with a paragraph number twice."""

from __future__ import annotations

import random

import pytest
from whoosh import index as whoosh_index

import briefing.index.search.fast as fast_path
from briefing.index.search import article_ranges, extra
from briefing.index.search.passages import _schema

WORDS = "talks sanctions border ceasefire envoy minister said aid grain port".split()


def _doc(source: str, paragraph: int, rng: random.Random) -> dict[str, object]:
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9)))
    return {"pid": f"{source}#{paragraph}", "source": source, "outlet": "Wire", "title": "A title",
            "paragraph": paragraph, "text": text, "words": text, "body": text, "speaker": "", "side": ""}


def _paragraphs(rng: random.Random) -> list[int]:
    """An article's paragraph numbers as written: mostly 1..n, sometimes with gaps, out of order
    or with a number twice."""
    n = rng.choice([1, 1, 2, 3, 5, 8, 13])
    numbers = list(range(1, n + 1))
    shape = rng.random()
    if shape < 0.15:
        numbers = sorted(rng.sample(range(0, 4 * n + 3), n))  # gaps
    elif shape < 0.25 and n > 1:
        rng.shuffle(numbers)
    elif shape < 0.3:
        numbers.append(rng.choice(numbers))  # a paragraph written twice
    return numbers


def _write(path, seed: int):
    """An index of random articles over several commits (segments), with deletions and updates."""
    rng = random.Random(seed)
    ix = whoosh_index.create_in(str(path), _schema())
    names = [f"a{seed}-{i:03d}" + ("é" if i % 7 == 0 else "") for i in range(rng.randint(8, 40))]
    for _round in range(rng.randint(1, 3)):
        writer = ix.writer()
        chosen = rng.sample(names, rng.randint(1, len(names)))
        for name in chosen:
            if rng.random() < 0.3:
                writer.delete_by_term("source", name)  # written again: its old passages deleted
        queue = [[_doc(name, n, rng) for n in _paragraphs(rng)] for name in chosen]
        while queue:  # articles one after the other, some interleaved with the next
            article = queue.pop(0)
            if queue and rng.random() < 0.3:
                other = queue.pop(0)
                if rng.random() < 0.5:
                    article = article + other
                    rng.shuffle(article)
                else:  # in turns, odd paragraphs and even: numbers that increase across both
                    odd = [_doc(article[0]["source"], 2 * i + 1, rng) for i in range(len(article))]
                    even = [_doc(other[0]["source"], 2 * i + 2, rng) for i in range(len(other))]
                    article = sorted(odd + even, key=lambda doc: doc["paragraph"])
            for doc in article:
                writer.add_document(**doc)
        for name in rng.sample(names, rng.randint(0, 2)):  # single passages deleted
            writer.delete_by_term("pid", f"{name}#1")
        writer.commit(merge=rng.random() < 0.3)
    return ix


def _plain_walk(reader) -> dict[tuple[str, int], int]:
    """{(article, paragraph): live document}: each article's postings, its documents' stored
    paragraph numbers (the later of two documents with one paragraph)."""
    found = {}
    for term in reader.lexicon("source"):
        matcher = reader.postings("source", term)  # (deleted documents are left out)
        while matcher.is_active():
            doc = matcher.id()
            found[(term.decode("utf-8"), reader.stored_fields(doc)["paragraph"])] = doc
            matcher.next()
    return found


def _asked(walked: dict[tuple[str, int], int]) -> frozenset[tuple[str, int]]:
    """Every passage there is, and some there are not (every other paragraph number up to the
    article's last and a few past it, other articles)."""
    asked = set(walked)
    for source, paragraph in walked:
        asked |= {(source, n) for n in range(-1, paragraph + 3)} | {(source, 1 << 40), (source + "x", paragraph)}
    asked.add(("nowhere", 1))
    return frozenset(asked)


@pytest.mark.parametrize("seed", range(12))
def test_passages_through_ranges_are_the_plain_walks(tmp_path, seed):
    ix = _write(tmp_path, seed)
    with ix.searcher() as searcher:
        leaves = searcher.leaf_searchers()
        for leaf, _offset in leaves:
            reader = leaf.reader()
            walked = _plain_walk(reader)
            table = article_ranges.ranges(leaf, reader)
            assert table is not None and len(table) == len(list(reader.lexicon("source")))
            found = extra._documents(leaf, None, _asked(walked))
            assert {passage: doc for doc, passage in found.items()} == walked


def test_the_indexes_written_have_every_shape(tmp_path):
    """(So that the test above sees them all: several segments, deletions, and articles that are
    not one plain range, which the caller reads from their postings.)"""
    segments = deletions = unplain = 0
    for seed in range(12):
        path = tmp_path / str(seed)
        path.mkdir()
        ix = _write(path, seed)
        with ix.searcher() as searcher:
            leaves = searcher.leaf_searchers()
            segments = max(segments, len(leaves))
            for leaf, _offset in leaves:
                reader = leaf.reader()
                deletions += reader.has_deletions()
                table = article_ranges.ranges(leaf, reader)
                sources = [t.decode("utf-8") for t in reader.lexicon("source")]
                unknown = table.documents(sources, [1] * len(sources), ())[2]
                unplain += len(unknown)
    assert segments >= 3 and deletions and unplain


@pytest.mark.parametrize("seed", range(6))
def test_source_term_infos_read_off_the_file_are_whooshs(tmp_path, seed):
    ix = _write(tmp_path, seed)
    with ix.reader() as top:
        for reader, _offset in top.leaf_readers():
            terms, first, last, count = article_ranges._source_infos(reader)
            expected = [(t, i.min_id(), i.max_id(), i.doc_frequency()) for t, i in reader.iter_field("source")]
            assert list(zip(terms, first.tolist(), last.tolist(), count.tolist())) == expected


@pytest.mark.parametrize("seed", range(4))
def test_the_paragraph_column_read_whole_is_whooshs(tmp_path, seed):
    ix = _write(tmp_path, seed)
    with ix.searcher() as searcher:
        for leaf, _offset in searcher.leaf_searchers():
            reader = leaf.reader()
            column = reader.column_reader("paragraph")
            expected = [column[doc] for doc in range(reader.doc_count_all())]
            assert fast_path.paragraph_column(leaf, reader).tolist() == expected
            assert fast_path._paragraph_numbers(leaf, reader) == expected


def test_on_another_layout_the_postings_are_walked(tmp_path, monkeypatch):
    ix = _write(tmp_path, 3)
    monkeypatch.setattr(fast_path, "LAYOUT_VERSION", (0, 0, 0))
    with ix.searcher() as searcher:
        for leaf, _offset in searcher.leaf_searchers():
            reader = leaf.reader()
            assert article_ranges.ranges(leaf, reader) is None
            assert fast_path.paragraph_column(leaf, reader) is None
            walked = _plain_walk(reader)
            found = extra._documents(leaf, None, _asked(walked))
            assert {passage: doc for doc, passage in found.items()} == walked


def test_a_segment_without_articles_has_an_empty_table(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), _schema())
    writer = ix.writer()
    writer.add_document(**_doc("only", 1, random.Random(1)))
    writer.commit()
    writer = ix.writer()
    writer.delete_by_term("source", "only")
    writer.add_document(**_doc("next", 4, random.Random(2)))
    writer.commit(merge=False)
    with ix.searcher() as searcher:
        found = {}
        for leaf, offset in searcher.leaf_searchers():
            found.update({doc + offset: p for doc, p in extra._documents(leaf, None, frozenset({("only", 1), ("next", 4)})).items()})
        assert list(found.values()) == [("next", 4)]


# ---- the analysis' postings, made with each collection of names analysed once ---------------

def _naive(rows, schema):
    """What QuotePostings holds, made the plain way: every name of every row analysed."""
    from briefing.index.text import fold_for_search

    terms = {"speaker": {}, "side": {}}
    forms = {}
    for source, paragraph, names, sides in rows:
        for name in names:
            words = tuple(schema["speaker"].process_text(fold_for_search(name), mode="index"))
            if words:
                forms.setdefault((source, paragraph), set()).add(words)
            for word in words:
                terms["speaker"].setdefault(word, set()).add((source, paragraph))
        for side in sides:
            for word in schema["side"].process_text(fold_for_search(side), mode="index"):
                terms["side"].setdefault(word, set()).add((source, paragraph))
    return terms, forms


def test_quote_postings_are_the_plain_ones():
    rng = random.Random(11)
    people = ["Wendy R. Sherman", "Sherman", "Sergei Ryabkov", "Jens Stoltenberg", "J. Stoltenberg", "Ó Briain", "", "..."]
    sides = ["us", "russia", "United States", "nato alliance", ""]
    rows = []
    for i in range(400):
        names = set(rng.sample(people, rng.randint(0, 3)))
        chosen = set(rng.sample(sides, rng.randint(0, 2)))
        rows.append((f"a{i % 37}", rng.randint(1, 9), names if i % 2 else frozenset(names), chosen if i % 3 else frozenset(chosen)))
    schema = _schema()
    made = extra.QuotePostings(iter(rows), schema)
    terms, forms = _naive(rows, schema)
    assert made.terms == terms and made.forms == forms
