"""A term's postings read from its extent alone (`fast._Postings.from_extent`: every block header
matched in the extent's bytes, the start of every block's pickle cut from the same bytes, as little
of it inflated as its ids and weights need) are Whoosh's own: the same headers as its block walk,
the same ids and weights as its matcher, on small indexes written here (several segments, blocks of
many postings, deletions, document boosts that give weights under 1.0 in blocks whose highest
weight is 1.0), and Whoosh's own reading when a header is not laid out as expected."""

from __future__ import annotations

import random
import re

import pytest

import briefing.index.search.fast as fast_path

WORDS = ["harbour", "harvest", "harness", "hardly", "harsh", "market", "marker", "march"]


def _whoosh_index(tmp_path, rng: random.Random, docs: int, segments: int, deleted: int):
    from whoosh import fields, index

    schema = fields.Schema(n=fields.ID(stored=True, unique=True), text=fields.TEXT())
    ix = index.create_in(str(tmp_path), schema)
    n = 0
    for _ in range(segments):
        writer = ix.writer()
        for _ in range(docs // segments):
            pool = WORDS[:rng.choice((2, 4, 8))]
            text = " ".join(rng.choice(pool) for _ in range(rng.choice((1, 1, 2, 3, 9))))
            # a boost of 0.5 weighs a word once in its passage 0.5, twice 1.0: blocks whose highest
            # weight is 1.0 but whose weights are not all 1.0
            writer.add_document(n=str(n), text=text, _boost=rng.choice((1.0, 1.0, 0.5, 2.0)))
            n += 1
        writer.commit(merge=False)
    if deleted:
        writer = ix.writer()
        for doc in rng.sample(range(n), deleted):
            writer.delete_by_term("n", str(doc))
        writer.commit(merge=False)
    return ix


def _whoosh_walk(reader, text):
    """(headers, postings) as Whoosh's own block matcher reads them."""
    matcher = reader._terms.matcher("text", text, reader.schema["text"].format)
    walked = fast_path._Postings(matcher)
    matcher = reader._terms.matcher("text", text, reader.schema["text"].format)
    postings = []
    while matcher.is_active():
        postings.append((matcher.id(), matcher.weight()))
        matcher.next()
    return walked, postings


@pytest.mark.parametrize("seed", range(3))
def test_postings_read_from_their_extent_are_whooshs(tmp_path, seed):
    rng = random.Random(seed)
    ix = _whoosh_index(tmp_path, rng, docs=rng.choice((400, 900)), segments=rng.choice((1, 2)), deleted=rng.choice((0, 9)))
    checked = 0
    with ix.searcher() as searcher:
        for leaf, _offset in searcher.leaf_searchers():
            reader = leaf.reader()
            terms = list(reader.lexicon("text"))
            for heads in (False, True):
                searcher.__dict__.pop("_briefing_postings", None)
                read = [fast_path._postings(searcher, reader, "text", text, heads) for text in terms]
                fast_path.read_arrays([p for p in read if p is not None])
                for text, p in zip(terms, read):
                    walked, postings = _whoosh_walk(reader, text)
                    assert p is not None and p._heads_read is None
                    if type(walked._byteids) is bool:  # (inline postings: no blocks on file)
                        continue
                    assert (p.maxids, p.maxweights, p.minlengths, p.count) == (
                        walked.maxids, walked.maxweights, walked.minlengths, walked.count), text
                    assert [span[1:] for span in p.spans] == [span[1:] for span in walked.spans], text
                    ids, weights = p.arrays()
                    assert list(zip(ids.tolist(), weights.tolist())) == postings, text
                    assert [(doc, w) for j in range(len(p)) for doc, w in zip(p.ids(j), _weights(p, j))] == postings
                    checked += len(p)
    assert checked > len(WORDS)  # (some terms with several blocks)


def _weights(p, j):
    weights = p.weights(j)
    return [weights] * len(p.ids(j)) if isinstance(weights, float) else list(weights)


def test_a_header_not_laid_out_as_expected_is_read_by_whoosh(tmp_path, monkeypatch):
    ix = _whoosh_index(tmp_path, random.Random(7), docs=600, segments=1, deleted=0)
    monkeypatch.setattr(fast_path, "_HEADER", re.compile(rb"(?!)"))  # matches nothing
    with ix.searcher() as searcher:
        leaf, _offset = searcher.leaf_searchers()[0]
        reader = leaf.reader()
        for text in reader.lexicon("text"):
            info = reader._terms.term_info("text", text)
            offset, length = info.extent()
            assert fast_path._Postings.from_extent(reader._terms._postfile, offset, length[0], heads=True) is None
            p = fast_path._postings(searcher, reader, "text", text, heads=True)
            fast_path.read_arrays([p])
            ids, weights = p.arrays()
            assert list(zip(ids.tolist(), weights.tolist())) == _whoosh_walk(reader, text)[1]


def test_a_block_head_inflates_as_far_as_its_ids_and_weights(tmp_path):
    """Whatever its weights, a head cut holds the block's ids and weights (`_ids_and_weights` reads
    them), or, for a block whose highest weight misled the cut, is read whole instead."""
    import pickle
    import zlib

    rng = random.Random(3)
    for _ in range(200):
        n = rng.choice((4, 50, 128))
        ids = tuple(rng.choice((1, 3, 200, 300, 70_000)) for _ in range(n))
        weights = rng.choice((None, 2.0, tuple(rng.choice((0.5, 1.0)) for _ in range(n)),
                              tuple(rng.choice((1.0, 2.0, 3.5)) for _ in range(n))))
        values = tuple(bytes(rng.randrange(256) for _ in range(rng.choice((10, 40)))) for _ in range(n))
        block = zlib.compress(pickle.dumps((ids, weights, values), 2), 3)
        top = 1.0 if weights is None else weights if isinstance(weights, float) else max(weights)
        head = fast_path._head(block, 3, n, top == 1.0)
        found = fast_path._ids_and_weights(head)
        if found is None:  # (only weights of 0.5 under a highest weight of 1.0 are cut short)
            assert top == 1.0 and weights is not None
            continue
        assert found == (ids, weights)


def _and_queries(rng: random.Random):
    from whoosh import query as wq

    for _ in range(30):
        a, b, c = rng.sample(WORDS, 3)
        boost = rng.choice((1.0, 2.0, 0.5))
        yield wq.And([wq.Term("text", a), wq.Term("text", b, boost=boost)])
        yield wq.And([wq.Or([wq.Term("text", a), wq.Term("text", c)]), wq.Term("text", b)])


@pytest.mark.parametrize("seed", range(3))
def test_ands_of_terms_read_whole_are_whooshs_search(tmp_path, seed):
    """An And whose clauses are read whole (every block of their terms in one pass, looked up as
    arrays) gives Whoosh's hits, scores, order and count: its full ranking (with a limit, Whoosh's
    own pruning of an And over an Or can miss the best document of an index with boosts)."""
    rng = random.Random(seed)
    ix = _whoosh_index(tmp_path, rng, docs=rng.choice((700, 1500)), segments=rng.choice((1, 3)), deleted=rng.choice((0, 11)))
    with ix.searcher() as searcher:
        for q in _and_queries(rng):
            every = [(hit["n"], hit.score) for hit in searcher.search(q, limit=None)]
            scores = dict(every)
            for limit in (1, 10, 1000):
                found = fast_path.fast_search(searcher, q, limit, None)
                assert found is not None, q
                assert found[1] == len(every), q
                mine = [(fields["n"], score) for fields, score in found[0]]
                # (Whoosh's own searches, with and without a limit, can differ in a score's last bit)
                assert [round(score, 9) for _n, score in mine] == [round(score, 9) for _n, score in every[:limit]], (q, limit)
                assert all(round(scores[n], 9) == round(score, 9) for n, score in mine), (q, limit)
