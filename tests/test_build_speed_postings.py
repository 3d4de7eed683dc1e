"""The build's own copies of Whoosh's writer steps (passages._tune_whoosh: a passage's postings
given to the pool at once, the pool sorted in one-key passes and its runs pickled in chunks, the
postings written with the field lengths read directly) write the very files Whoosh's own do: a
passage index written by a Python that never tunes Whoosh is compared byte for byte."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

from whoosh import writing
from whoosh.filedb.filestore import FileStorage

from briefing.index.search import passages

WORDS = (
    "border talks resume minister said the envoy harbour grain deal ceasefire north south convoy "
    "shelling corridor pledge aid summit tariff"
).split()

# Writes the documents of argv[2] (JSON) into an index at argv[1] with the passage schema, the
# pool limited to 1 MB so that it is written out as runs and merged, as in a large build.
_WRITE = """
import json, sys
from whoosh.filedb.filestore import FileStorage
from briefing.index.search import passages
if sys.argv[3] == "tuned":
    passages._tune_whoosh()
ix = FileStorage(sys.argv[1]).create_index(passages._schema())
w = ix.writer(limitmb=1, compound=False)
for doc in json.load(open(sys.argv[2])):
    w.add_document(**doc)
w.commit()
"""


def _documents(count: int) -> list[dict[str, object]]:
    rng = random.Random(5)
    docs: list[dict[str, object]] = []
    seen: set[str] = set()
    for n in range(count):
        article = n // 6
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 60)))
        words = set(text.split()) - seen
        seen |= words
        doc: dict[str, object] = {
            "pid": f"a{article}#{n % 6}", "source": f"a{article}", "outlet": "The Harbour Gazette",
            "title": f"Talks on the {WORDS[article % len(WORDS)]} resume", "paragraph": n % 6,
            "text": text, "body": text, "words": " ".join(sorted(words)) or None,
        }
        if n % 4 == 0:
            doc["speaker"] = "Anna Kovalenko"
            doc["side"] = "north,south"
        docs.append(doc)
    return docs


def _files(directory: Path) -> dict[str, bytes]:
    """Each segment file's bytes, by its name without the (random) segment name."""
    (terms,) = directory.glob("*.trm")
    segment = terms.stem.split("_", 1)[1]
    return {
        path.name.replace(segment, "SEGMENT"): path.read_bytes()
        for path in directory.iterdir()
        if path.suffix in (".pst", ".trm", ".col")
    }


def test_the_tuned_writer_writes_what_whoosh_writes(tmp_path: Path) -> None:
    docs = tmp_path / "docs.json"
    docs.write_text(json.dumps(_documents(1500)))
    written = {}
    for how in ("plain", "tuned"):
        target = tmp_path / how
        target.mkdir()
        subprocess.run([sys.executable, "-c", _WRITE, str(target), str(docs), how], check=True)
        written[how] = _files(target)
    assert any(name.endswith(".pst") for name in written["plain"])
    assert written["tuned"].keys() == written["plain"].keys()
    for name, data in written["plain"].items():
        assert written["tuned"][name] == data, name


def test_postings_sort_as_whole_tuples_whatever_order_they_came_in() -> None:
    rng = random.Random(9)
    postings = [
        (rng.choice(["text", "title", "words"]), rng.choice(WORDS).encode(), doc, rng.choice([1.0, 2.0]), rng.choice([None, b"", b"\x01"]))
        for doc in range(400)
        for _ in range(5)
    ]
    unique = list({p[:3]: p for p in postings}.values())  # one posting per term and document
    rng.shuffle(unique)
    ordered = list(unique)
    passages._sort_postings(ordered)
    assert ordered == sorted(unique)


def test_a_pool_over_its_limit_reads_back_every_posting_in_order(tmp_path: Path) -> None:
    passages._tune_whoosh()
    pool = writing.PostingPool(FileStorage(str(tmp_path)), None, limitmb=1)
    items = [("text", f"w{n % 997}".encode(), n, 1.0, bytes([n % 7])) for n in range(3 * passages.RUN_CHUNK + 5)]
    for item in reversed(items):
        pool.add(item)
        if len(pool.current) == passages.RUN_CHUNK + 3:
            pool.save()  # runs of more than one chunk, and a last one shorter
    assert len(pool.runs) >= 2
    assert list(pool.items()) == sorted(items)
