"""The stored analysis' file format: engine dataclasses are written as their class and field
values, read back equal (shared objects still shared, objects that refer to each other too), the
checksum still covers every byte although the file is read as it is unpickled, and whatever is
wrong with a file is said and the file is never used."""

from __future__ import annotations

import dataclasses
import shutil
import sys
import types
from pathlib import Path

import pytest

from briefing.index import analysis_store
from briefing.index.analysis import AnalysisState
from briefing.index.engine import Briefing
from briefing.index.quotes.extract import Quote
from support.paths import BUNDLED

KEY = "a" * 64


def _quote(n: int, **changes: object) -> Quote:
    fields = dict(id=f"q{n}", source="001_test", paragraph=n, start=0, end=12, text=f"we will talk {n}",
                  kind="statement", speaker="Ann Example", speaker_as_given="Ann Example", role="minister",
                  side=None, cue="said")
    fields.update(changes)
    return Quote(**fields)  # type: ignore[arg-type]


def _round_trip(tmp_path: Path, obj: object) -> object:
    assert analysis_store.save(tmp_path, KEY, obj) is None
    loaded = analysis_store.load(tmp_path, KEY)
    assert loaded.note is None
    return loaded.analysis


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory):
    """The bundled briefing analysed once, with the state it leaves."""
    root = tmp_path_factory.mktemp("analysed")
    corpus = root / "corpus"
    shutil.copytree(BUNDLED, corpus)
    b = Briefing(corpus, index_dir=root / "ix")
    b.open()
    try:
        analysis = b.analysis()
    finally:
        b.close()
    state = analysis_store.load(root / "ix", analysis_store.state_key(b.manifest.signature), analysis_store.STATE_NAME)
    assert isinstance(state.analysis, AnalysisState)
    return analysis, state.analysis


def test_a_whole_analysis_reads_back_equal_with_its_shared_objects_shared(analysed, tmp_path):
    analysis, _ = analysed
    again = _round_trip(tmp_path, analysis)
    assert again.quotes.quotes == analysis.quotes.quotes
    assert again.quotes.speakers == analysis.quotes.speakers
    assert again.quotes.groups == analysis.quotes.groups
    assert again.quotes.hidden == analysis.quotes.hidden
    assert again.positions == analysis.positions
    assert again.manifest == analysis.manifest
    assert again.sides == analysis.sides

    def sharing(a) -> list[int]:
        """For each quote of each group: its place in the quote list, -1 if it is another object."""
        where = {id(q): i for i, q in enumerate(a.quotes.quotes)}
        return [where.get(id(q), -1) for g in a.quotes.groups for q in g.quotes]

    assert sharing(analysis).count(-1) < len(sharing(analysis))  # the briefing's groups do share quotes
    assert sharing(again) == sharing(analysis)


def test_the_state_for_the_next_analysis_reads_back_equal(analysed, tmp_path):
    _, state = analysed
    assert analysis_store.save(tmp_path, KEY, state, analysis_store.STATE_NAME) is None
    again = analysis_store.load(tmp_path, KEY, analysis_store.STATE_NAME)
    assert again.note is None and again.analysis == state


def test_engine_dataclasses_are_written_as_their_field_values(tmp_path):
    """No field name goes into the file per object: a thousand quotes weigh far less than the
    usual pickle of them, which names every field of every one."""
    import pickle

    quotes = [_quote(n) for n in range(1000)]
    assert _round_trip(tmp_path, quotes) == quotes
    stored = (tmp_path / analysis_store.FILE_NAME).stat().st_size
    assert stored < 0.8 * len(pickle.dumps(quotes, protocol=pickle.HIGHEST_PROTOCOL))


def test_objects_that_refer_to_each_other_read_back_so(tmp_path):
    first, second = _quote(1), _quote(2)
    first.group, second.group = second, first  # type: ignore[assignment]
    again = _round_trip(tmp_path, [first, second, [first]])
    assert isinstance(again, list)
    a, b, inner = again
    assert a.group is b and b.group is a and inner[0] is a
    assert a.text == first.text and b.paragraph == 2


def test_an_object_in_its_own_field_reads_back_so(tmp_path):
    quote = _quote(1)
    quote.names = [quote]  # type: ignore[assignment]
    again = _round_trip(tmp_path, quote)
    assert isinstance(again, Quote) and again.names[0] is again


@pytest.fixture
def engine_module(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """A module of the engine made for the test: the loader admits only engine classes."""
    module = types.ModuleType("briefing.index._store_test_classes")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return module


def _engine_class(module: types.ModuleType, cls: type) -> type:
    cls.__module__ = module.__name__
    cls.__qualname__ = cls.__name__
    setattr(module, cls.__name__, cls)
    return cls


def test_fields_a_class_gains_are_carried_without_a_list_of_them(engine_module, tmp_path):
    @dataclasses.dataclass(slots=True)
    class Grown:
        a: str
        b: list[int] = dataclasses.field(default_factory=list)
        c: dict[str, int] | None = None
        later: tuple[str, ...] = ()

    cls = _engine_class(engine_module, Grown)
    objects = [cls("x", [1, 2], {"k": 3}, ("p", "q")), cls("y")]
    assert analysis_store._fields_in_order(cls) == ("a", "b", "c", "later")
    assert _round_trip(tmp_path, objects) == objects


def test_a_class_that_does_more_than_set_its_fields_is_stored_the_usual_way(engine_module, tmp_path):
    @dataclasses.dataclass(slots=True)
    class Derived:
        words: list[str]
        count: int = dataclasses.field(init=False, default=0)

        def __post_init__(self) -> None:
            self.count = len(self.words) * 10

    @dataclasses.dataclass(slots=True)
    class OwnInit:
        a: int
        b: int

        def __init__(self, b: int, a: int) -> None:  # another order than the fields'
            self.a, self.b = a, b

    derived, own = _engine_class(engine_module, Derived), _engine_class(engine_module, OwnInit)
    assert analysis_store._fields_in_order(derived) is None
    assert analysis_store._fields_in_order(own) is None
    item = derived(["a", "b"])
    item.count = 7  # changed after __init__: the stored value, not the one __post_init__ gives
    again = _round_trip(tmp_path, [item, own(b=2, a=1)])
    assert again[0].count == 7 and again[0].words == ["a", "b"]
    assert (again[1].a, again[1].b) == (1, 2)


def _stored(tmp_path: Path) -> Path:
    assert analysis_store.save(tmp_path, KEY, [_quote(n) for n in range(300)]) is None
    return tmp_path / analysis_store.FILE_NAME


@pytest.mark.parametrize("damage", ["flip a byte in the middle", "cut in the middle", "bytes after the end",
                                    "flip a byte of the checksum"])
def test_a_damaged_file_is_said_to_be_damaged_and_not_used(tmp_path, damage):
    path = _stored(tmp_path)
    data = bytearray(path.read_bytes())
    head = len(analysis_store.MAGIC) + 130
    if damage == "flip a byte in the middle":
        data[head + (len(data) - head) // 2] ^= 0x20
    elif damage == "cut in the middle":
        del data[head + (len(data) - head) // 2 :]
    elif damage == "bytes after the end":
        data += b"\x00more"
    else:
        data[head - 10] = ord("0") if data[head - 10] != ord("0") else ord("1")
    path.write_bytes(bytes(data))
    loaded = analysis_store.load(tmp_path, KEY)
    assert loaded.analysis is None
    assert loaded.note is not None and "damaged" in loaded.note and str(path) in loaded.note


def test_another_programs_file_and_another_key_are_not_used(tmp_path):
    path = _stored(tmp_path)
    other = analysis_store.load(tmp_path, "b" * 64)
    assert other.analysis is None and other.note is not None and "changed" in other.note
    path.write_bytes(b"PK\x03\x04 a zip file, not an analysis" * 20)
    foreign = analysis_store.load(tmp_path, KEY)
    assert foreign.analysis is None and foreign.note is not None and "damaged" in foreign.note


def test_a_failed_save_keeps_the_stored_analysis_and_leaves_no_scratch_file(tmp_path):
    _stored(tmp_path)
    before = (tmp_path / analysis_store.FILE_NAME).read_bytes()
    with pytest.raises(Exception):
        analysis_store.save(tmp_path, KEY, [_quote(1, text=lambda: None)])  # a function cannot be stored
    assert (tmp_path / analysis_store.FILE_NAME).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [analysis_store.FILE_NAME]
    assert analysis_store.load(tmp_path, KEY).analysis == [_quote(n) for n in range(300)]
