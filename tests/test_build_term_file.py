"""The term dictionary written with compact buckets (passages._compact_hash_buckets: a million
passages' terms no longer held as tuples until the segment closes) is the file Whoosh writes."""

from __future__ import annotations

import subprocess
import sys

from briefing.index.search import passages

WRITE = """
import sys
from whoosh.filedb.filestore import RamStorage
from whoosh.filedb.filetables import OrderedHashWriter
storage = RamStorage()
writer = OrderedHashWriter(storage.create_file("terms"))
for i in range(int(sys.argv[1])):
    writer.add(b"pid\\x00" + f"huge#{i:07d}".encode(), f"{i * 7}".encode() * (1 + i % 3))
writer.add(b"text\\x00zeal", b"")
writer.close()
sys.stdout.buffer.write(storage.open_file("terms").read())
"""


def _written(terms: int, tuned: bool) -> bytes:
    code = ("from briefing.index.search.passages import _compact_hash_buckets; _compact_hash_buckets()\n" if tuned else "") + WRITE
    return subprocess.run([sys.executable, "-c", code, str(terms)], capture_output=True, check=True).stdout


def test_compact_buckets_write_the_same_file():
    for terms in (0, 1, 3000):
        plain, tuned = _written(terms, False), _written(terms, True)
        assert len(plain) > 1000 and plain == tuned


def test_terms_are_found_again_after_the_compact_writer():
    from whoosh.filedb.filestore import RamStorage
    from whoosh.filedb.filetables import HashWriter, OrderedHashReader, OrderedHashWriter

    passages._compact_hash_buckets()
    assert getattr(HashWriter, "_briefing_compact", False)
    storage = RamStorage()
    writer = OrderedHashWriter(storage.create_file("terms"))
    keys = sorted({f"word{i * 7919 % 5000}".encode() for i in range(5000)})
    for key in keys:
        writer.add(key, key[::-1])
    writer.close()
    reader = OrderedHashReader(storage.open_file("terms"))
    assert all(reader[key] == key[::-1] for key in keys)
    assert b"absent" not in reader and reader.closest_key(b"word4999x") == b"word5" and reader.closest_key(b"x") is None
