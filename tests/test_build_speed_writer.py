"""The leaner copies of Whoosh's posting pool and postings writer (passages._lean_postings) write
what Whoosh's own would: every posting of every term read back, and each term's statistics
(document frequency, shortest and longest field, highest weight) across several blocks."""

from __future__ import annotations

import random

from whoosh import writing
from whoosh.codec import whoosh3
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage

from briefing.index.search import passages

WORDS = "border talks resume minister said the envoy harbour grain deal ceasefire north south".split()


def _documents(count: int) -> list[dict[str, str]]:
    rng = random.Random(11)
    docs = []
    for n in range(count):
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 40)))
        docs.append({"pid": f"a{n}", "text": body, "tags": " ".join(sorted(set(body.split()[:3])))})
    return docs


def test_lean_methods_are_the_ones_whoosh_uses() -> None:
    passages._tune_whoosh()
    assert getattr(writing.PostingPool, "_briefing_lean", False)
    assert writing.PostingPool.add.__module__ == passages.__name__
    assert whoosh3.W3PostingsWriter.add_posting.__module__ == passages.__name__


def test_pool_counts_memory_as_whoosh_does_and_spills_at_its_limit(tmp_path) -> None:
    passages._tune_whoosh()
    pool = writing.PostingPool(FileStorage(str(tmp_path)), None, limitmb=1)
    item = ("text", b"harbour", 3, 2.0, b"\x00\x01")
    pool.add(item)
    # Whoosh's estimate: tuple, field name, text (twice its length), docnum, weight, value
    assert pool.currentsize == 28 + 4 * 5 + 21 + len("text") + 26 + 2 * len(b"harbour") + 18 + 16 + 21 + 2
    assert pool.fieldnames == {"text"} and pool.current == [item]
    pool.add(("tags", b"grain", 4, 1.0, None))
    assert pool.currentsize == 2 * 150 + len("text") + 14 + 2 + len("tags") + 10
    pool.limit = pool.currentsize  # the next posting goes over: the pool is written out as a run
    pool.add(("tags", b"deal", 5, 1.0, b""))
    assert pool.runs and pool.currentsize == 0
    assert [p for p in pool.items()] == sorted([item, ("tags", b"grain", 4, 1.0, None), ("tags", b"deal", 5, 1.0, b"")])


def test_every_posting_and_term_statistic_reads_back() -> None:
    passages._tune_whoosh()
    schema = Schema(pid=ID(stored=True), text=TEXT(phrase=True), tags=KEYWORD(scorable=True))
    ix = RamStorage().create_index(schema)
    docs = _documents(700)  # the commonest words take several 128-posting blocks
    with ix.writer() as w:
        for d in docs:
            w.add_document(**d)
    expected: dict[tuple[str, bytes], list[tuple[int, float, bytes]]] = {}
    lengths: dict[tuple[str, int], int] = {}
    for docnum, d in enumerate(docs):
        for name in ("text", "tags"):
            field = schema[name]
            for term, freq, weight, value in field.index(d[name]):
                expected.setdefault((name, term), []).append((docnum, weight, value))
                lengths[(name, docnum)] = lengths.get((name, docnum), 0) + freq
    with ix.searcher() as s:
        r = s.reader()
        for (name, term), want in expected.items():
            m = r.postings(name, term)
            got = []
            while m.is_active():
                got.append((m.id(), m.weight(), m.value()))
                m.next()
            assert got == want, (name, term)
            info = r.term_info(name, term)
            docs_len = [lengths[(name, doc)] for doc, _w, _v in want]
            assert info.doc_frequency() == len(want)
            assert info.weight() == sum(w for _d, w, _v in want)
            assert info.max_weight() == max(w for _d, w, _v in want)
            assert info.min_length() == min(docs_len) and info.max_length() == max(docs_len)
