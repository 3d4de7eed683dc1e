"""An Or of terms (a prefix's expansions) scored and counted as arrays, and a query's postings read in
one pass (`fast.read_arrays`): the same postings, scores, order (ties in document order) and counts as
Whoosh's own reading and search, on small indexes written here (several segments, deletions, boosts,
many tied documents) and on a synthetic briefing."""

from __future__ import annotations

import pickle
import random

import pytest
from hypothesis import given, settings, strategies as st

import briefing.index.search.fast as fast_path
from support.segmented import segmented_briefing

WORDS = ["harbour", "harvest", "harness", "hardly", "harsh", "hart", "market", "marker", "marble", "march"]


def _whoosh_index(tmp_path, rng: random.Random, docs: int, segments: int, deleted: int):
    """A Whoosh index of short texts from WORDS (many repeated: tied scores), written in
    `segments` commits (so several segments), with `deleted` documents deleted at the end."""
    from whoosh import fields, index

    schema = fields.Schema(n=fields.ID(stored=True, unique=True), text=fields.TEXT(),
                           title=fields.TEXT(field_boost=2.0))
    ix = index.create_in(str(tmp_path), schema)
    per = docs // segments
    n = 0
    for _ in range(segments):
        writer = ix.writer()
        for _ in range(per):
            pool = WORDS[:rng.choice((2, 4, 10))]
            text = " ".join(rng.choice(pool) for _ in range(rng.choice((1, 1, 2, 3, 8))))
            writer.add_document(n=str(n), text=text, title=rng.choice(pool))
            n += 1
        writer.commit(merge=False)
    if deleted:
        writer = ix.writer()
        for doc in rng.sample(range(n), deleted):
            writer.delete_by_term("n", str(doc))
        writer.commit(merge=False)
    return ix


def _queries(rng: random.Random):
    from whoosh import query as wq

    for _ in range(40):
        terms = rng.sample(WORDS, rng.choice((1, 2, 5, 10)))
        field = rng.choice(("text", "text", "title"))
        subs = [wq.Term(field, t, boost=rng.choice((1.0, 1.0, 2.0, 0.5))) for t in terms]
        yield wq.Or(subs)  # (Whoosh boosts an Or's sum, or drops the boost of an Or of one: the parser's
        # queries are normalized, their boosts on the terms)


@pytest.mark.parametrize("seed", range(4))
def test_ors_scored_as_arrays_are_whooshs_search(tmp_path, seed):
    rng = random.Random(seed)
    ix = _whoosh_index(tmp_path, rng, docs=rng.choice((60, 300, 1200)), segments=rng.choice((1, 3)),
                       deleted=rng.choice((0, 7)))
    with ix.searcher() as searcher:
        for q in _queries(rng):
            every = {hit.fields()["n"]: hit.score for hit in searcher.search(q, limit=None)}
            for limit in (1, 3, 10, 50):
                found = fast_path.fast_search(searcher, q, limit, None)
                assert found is not None, q
                results = searcher.search(q, limit=limit)
                assert found[1] == len(results) == len(every), q
                mine = [(fields["n"], score) for fields, score in found[0]]
                # Whoosh sums an Or's terms in another order: a last bit can differ, so documents
                # whose scores differ by a bit may stand in either order; nothing else may differ
                assert [round(score, 9) for _n, score in mine] == [round(hit.score, 9) for hit in results], (q, limit)
                assert all(round(every[n], 9) == round(score, 9) for n, score in mine), (q, limit)
                numbers = {fields["n"]: fields for fields, _score in found[0]}
                assert mine == sorted(mine, key=lambda hit: (-hit[1], searcher.document_number(n=hit[0]))), (q, limit)
                assert len(numbers) == len(mine)


def _whoosh_postings(reader, fieldname, text):
    """(document, weight) of every posting, deleted documents too (the fast path leaves them out
    later, as its callers ask)."""
    matcher = reader._terms.matcher(fieldname, text, reader.schema[fieldname].format)
    found = []
    while matcher.is_active():
        found.append((matcher.id(), matcher.weight()))
        matcher.next()
    return found


@pytest.fixture(scope="module")
def segmented(tmp_path_factory):
    built = segmented_briefing(tmp_path_factory.mktemp("prefix-arrays"), 160, seed=5, every=19,
                               late="A later paragraph about the harbour and the market.")
    b, info = next(built)
    yield b, info
    built.close()


def _terms(reader, fieldname, step):
    return list(reader.lexicon(fieldname))[::step]


def test_postings_read_in_one_pass_are_whooshs(segmented):
    """Many terms' blocks unpickled together, every block's ids undeltaed in one sum."""
    b, _info = segmented
    searcher = b._index._ix.searcher()  # (fresh: no block read yet)
    for leaf, _offset in searcher.leaf_searchers():
        reader = leaf.reader()
        for fieldname, step in (("text", 7), ("speaker", 1), ("source", 3)):
            terms = _terms(reader, fieldname, step)
            postings = [fast_path._postings(searcher, reader, fieldname, text) for text in terms]
            fast_path.read_arrays([p for p in postings if p is not None])
            for text, p in zip(terms, postings):
                assert p is not None
                ids, weights = p.arrays()
                assert list(zip(ids.tolist(), weights.tolist())) == _whoosh_postings(reader, fieldname, text), text
                # the block reads the phrase path uses still give the same postings
                assert [doc for j in range(len(p)) for doc in p.ids(j)] == ids.tolist()
    searcher.close()


def test_a_block_cut_wrongly_is_read_again_alone(segmented, monkeypatch):
    """A cut whose ids are not the block's (an id's bytes can look like the tuple's end) gives a wrong
    count or a wrong last id: those blocks' terms are read a block at a time, and are still right."""
    b, _info = segmented
    real = fast_path._cut
    spoiled: list[int] = []

    def cut(head, count):
        found = real(head, count)
        if found is None or found[0][:1] != b"K":
            return found
        run, weights = found
        spoiled.append(count)
        if len(spoiled) % 2:
            return b"K" + bytes([(run[1] + 1) % 256]) + run[2:], weights  # the first id changed: every id shifted
        return run[2:], weights  # one id fewer

    monkeypatch.setattr(fast_path, "_cut", cut)
    searcher = b._index._ix.searcher()
    for leaf, _offset in searcher.leaf_searchers():
        reader = leaf.reader()
        terms = _terms(reader, "text", 5)
        postings = [fast_path._postings(searcher, reader, "text", text) for text in terms]
        fast_path.read_arrays([p for p in postings if p is not None])
        for text, p in zip(terms, postings):
            ids, weights = p.arrays()
            assert list(zip(ids.tolist(), weights.tolist())) == _whoosh_postings(reader, "text", text), text
    searcher.close()
    assert len(spoiled) > 10


_DELTA = st.one_of(st.integers(0, 255), st.integers(256, 65_535), st.integers(65_536, 2**31 - 1))


@settings(max_examples=400, deadline=None)
@given(
    ids=st.lists(_DELTA, min_size=1, max_size=130),
    weights=st.one_of(st.none(), st.floats(0.5, 50, allow_nan=False), st.just("per posting")),
    data=st.data(),
)
def test_ids_and_weights_cut_out_of_a_block_pickle_are_its_own(ids, weights, data):
    """`_cut`'s ids (int opcodes) and weights are the block's whenever no id's bytes look like the end
    of the ids tuple (`read_arrays` checks the rest), or None: never another pair."""
    import struct

    n = len(ids)
    if weights == "per posting":
        weights = tuple(data.draw(st.lists(st.floats(0.5, 50, allow_nan=False), min_size=n, max_size=n)))
    values = tuple(data.draw(st.lists(st.binary(max_size=12), min_size=n, max_size=n)))
    block = pickle.dumps((tuple(ids), weights, values), 2)
    head = block[:16 + 14 * n]
    found = fast_path._cut(head, n)
    alone = pickle.dumps(tuple(ids), 2)
    if n <= 3:
        assert found is None  # (no MARK: read the slow way)
    elif head.find(b"tq\x00", 3) == len(alone) - 4:  # the first such bytes are the tuple's end
        assert found is not None
        run, got = found
        assert pickle.loads(b"\x80\x02(" + run + run + b"t.") == tuple(ids) * 2
        if isinstance(got, bytes):
            assert len(got) == 9 * n and got[::9] == b"G" * n
            got = tuple(struct.unpack(">d", got[i + 1:i + 9])[0] for i in range(0, len(got), 9))
        assert got == weights
