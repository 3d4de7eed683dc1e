"""`speaker:` and `side:` agree with the quotes pane once the analysis is there (issue #14).

The index writes both fields from each article's own extraction; the briefing-wide analysis adds
quotations printed without marks, every form of a speaker's name across articles and inferred
sides. `Briefing.search` unites the analysis' passages with the indexed fields at query time
(briefing.index.search.extra): these tests build real briefings and compare search with
`analysis().quotes.filter`, which is what the quotes pane and `briefing quotes` show.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

import briefing.index.search.fast as fast_path
from briefing.index.engine import Briefing
from support.paths import BUNDLED

FIXTURES = Path(__file__).parent / "fixtures" / "briefings"
MANIFEST = """title = "Islands"

[[sides]]
id = "north"
label = "Northland"
cues = ["Northland", "Northern"]

[[sides]]
id = "south"
label = "Southland"
cues = ["Southland"]
"""


def write_briefing(root: Path, articles: dict[str, str], manifest: str | None = MANIFEST) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    if manifest is not None:
        (root / "briefing.toml").write_text(manifest, encoding="utf-8")
    for name, text in articles.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def opened(root: Path, tmp_path: Path) -> Briefing:
    b = Briefing(root, index_dir=tmp_path / "ix")
    b.open()
    return b


def passages(result) -> set[tuple[str, int]]:
    assert result.error is None, result.error
    assert result.total == len(result.hits), "asked for every hit"
    return {(h.source, h.paragraph) for h in result.hits}


def pane(b: Briefing, speaker: str | None = None, side: str | None = None) -> set[tuple[str, int]]:
    return {(q.source, q.paragraph) for q in b.analysis().quotes.filter(speaker=speaker, side=side)}


def search(b: Briefing, query: str) -> set[tuple[str, int]]:
    return passages(b.search(query, limit=10_000))


# ---- small briefings --------------------------------------------------------------------------

UNMARKED = {
    "a.txt": "Marked Wire\nIslands talks\n\n"
             "“We will not sign any deal that leaves the islands without protection,” Northern Foreign Minister Jana Vok said.\n",
    "b.txt": "Plain Herald\nNo deal yet\n\n"
             "The ministry issued a statement on Monday about the talks.\n\n"
             "Northern Foreign Minister Jana Vok told reporters that we will not sign any deal that leaves the islands without protection.\n",
}


def test_an_unmarked_quotation_is_found_once_the_analysis_is_there(tmp_path):
    b = opened(write_briefing(tmp_path / "c", UNMARKED), tmp_path)
    unmarked = [q for q in b.analysis().quotes.quotes if not q.marked]
    assert [(q.source, q.speaker) for q in unmarked] == [("b", "Jana Vok")]
    where = (unmarked[0].source, unmarked[0].paragraph)
    b._analysis = None  # as before the analysis was computed: the fields as indexed
    assert where not in search(b, "speaker:vok")
    b.analysis()
    for query in ("speaker:vok", 'speaker:"jana vok"', "speaker:jana", "speaker:Vok", "speaker:vo*",
                  "speaker:vok AND islands", "speaker:vok protection"):
        assert where in search(b, query), query
    assert search(b, "speaker:vok") == pane(b, speaker="vok")
    assert where not in search(b, "speaker:vok AND tariffs")
    # the unmarked quotation is Northland's as the marked one is (the minister's side)
    north = pane(b, side="north")
    assert where in north and north <= search(b, "side:north") and north <= search(b, "side:northland")


SPELLINGS = {
    "a.txt": "Wire A\nTalks\n\n“We are ready to talk,” Northern Deputy Minister Sergei Lavrenko said on Monday.\n",
    "b.txt": "Wire B\nMore talks\n\n"
             "Northern Deputy Minister Sergey Lavrenko spoke to the press after the meeting.\n\n"
             "“We wait for an answer,” Lavrenko said.\n",
}


def test_every_spelling_of_a_merged_speaker_finds_every_article(tmp_path):
    b = opened(write_briefing(tmp_path / "c", SPELLINGS), tmp_path)
    (speaker,) = [s for s in b.analysis().quotes.speakers if "Lavrenko" in s.name]
    assert {"Sergei Lavrenko", "Sergey Lavrenko"} <= set(speaker.aliases) | {speaker.name}
    everywhere = pane(b, speaker="lavrenko")
    assert {source for source, _ in everywhere} == {"a", "b"}
    for query in ("speaker:lavrenko", 'speaker:"sergei lavrenko"', 'speaker:"sergey lavrenko"',
                  "speaker:sergei", "speaker:sergey"):
        assert everywhere <= search(b, query), query
    b._analysis = None  # as indexed: each article knows its own spelling only
    assert ("b", 2) not in search(b, 'speaker:"sergei lavrenko"')


def test_inferred_sides_are_searchable_by_id_and_label(tmp_path):
    root = tmp_path / "statehouse"
    shutil.copytree(FIXTURES / "statehouse", root)
    b = opened(root, tmp_path)
    analysis = b.analysis()
    inferred = [s for s in analysis.manifest.sides if s.inferred]
    assert {s.label for s in inferred} >= {"Democrats", "Republicans"}
    b._analysis = None
    before = {s.id: search(b, f"side:{s.id}") for s in inferred}
    b.analysis()
    for side in inferred:
        wanted = pane(b, side=side.id)
        assert wanted and not wanted <= before[side.id], side.id  # the index alone does not know it
        assert wanted <= search(b, f"side:{side.id}")
        assert wanted <= search(b, f'side:"{side.label}"')
        assert wanted <= search(b, f"side:{side.label.lower()}")


def test_before_the_analysis_search_is_as_indexed(tmp_path):
    b = opened(write_briefing(tmp_path / "c", UNMARKED), tmp_path)
    assert b._analysis is None
    for query in ("speaker:vok", "side:north", "islands"):
        b._index._cache.clear()
        assert b.search(query) == b._index.search(query)
    assert b._analysis is None  # search never starts the analysis


# ---- the bundled briefing ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    b = Briefing(BUNDLED, index_dir=tmp_path_factory.mktemp("ix"))
    b.open()
    b.analysis()
    yield b
    b.close()


def test_bundled_every_quote_of_a_speaker_is_found_under_every_form_of_the_name(bundled):
    quotes = bundled.analysis().quotes
    assert quotes.speakers
    for speaker in quotes.speakers:
        wanted = {(q.source, q.paragraph) for q in quotes.quotes if q.speaker == speaker.name}
        surname = speaker.name.split()[-1].lower()
        assert wanted <= search(bundled, f"speaker:{surname}"), speaker.name
        assert pane(bundled, speaker=surname) <= search(bundled, f"speaker:{surname}"), speaker.name
        for form in {speaker.name, *speaker.aliases}:
            assert wanted <= search(bundled, f'speaker:"{form.lower()}"'), form
    assert pane(bundled, speaker="sherman") <= search(bundled, 'speaker:"wendy sherman"')


def test_bundled_every_quote_of_a_side_is_found_by_id_and_label(bundled):
    analysis = bundled.analysis()
    for side in analysis.manifest.sides:
        wanted = pane(bundled, side=side.id)
        assert wanted <= search(bundled, f"side:{side.id}"), side.id
        assert wanted <= search(bundled, f'side:"{side.label}"'), side.label


def test_the_reader_asks_the_same_engine_method():
    source = (Path(__file__).resolve().parents[1] / "tui" / "app.py").read_text(encoding="utf-8")
    assert "self.briefing.search(" in source and "_index.search(" not in source


# ---- the fast path and Whoosh agree with the analysis' postings too --------------------------------


def both_ways(b: Briefing, query: str, limit: int, monkeypatch):
    b._index._cache.clear()
    fast = b.search(query, limit=limit)
    b._index._cache.clear()
    monkeypatch.setattr(fast_path, "LAYOUT_VERSION", (0, 0, 0))
    slow = b.search(query, limit=limit)
    monkeypatch.undo()
    b._index._cache.clear()
    return fast, slow


def shape(result):
    return [(h.source, h.paragraph, h.score, h.highlights) for h in result.hits], result.total, result.error


SPEAKER_QUERIES = ["speaker:sherman", 'speaker:"wendy sherman"', "speaker:ryabkov guarantees", "speaker:sher*",
                   "side:russia", 'side:"united states"', "speaker:sherman OR speaker:ryabkov",
                   "speaker:sherman AND nato", "side:us talks", "speaker:sergey", "speaker:sherman^2 russia"]


@pytest.mark.parametrize("query", SPEAKER_QUERIES)
def test_bundled_speaker_queries_fast_and_whoosh_agree(bundled, query, monkeypatch):
    for limit in (3, 100):
        fast, slow = both_ways(bundled, query, limit, monkeypatch)
        assert shape(fast) == shape(slow)


def test_queries_whoosh_runs_alone_see_the_analysis_too(bundled):
    every = search(bundled, "speaker:sherman")
    without = search(bundled, "speaker:sherman NOT nato")
    assert without <= every and without == every - search(bundled, "nato")
    assert search(bundled, "(speaker:sherman AND nato) OR speaker:ryabkov") == (
        (every & search(bundled, "nato")) | search(bundled, "speaker:ryabkov"))


def test_random_speaker_queries_agree_with_whoosh(bundled, monkeypatch):
    rng = random.Random(5)
    quotes = bundled.analysis().quotes
    words = sorted({w for a in bundled.articles for p in a.paragraphs for w in p.text.lower().split() if w.isalpha()})
    forms = sorted({w.lower() for s in quotes.speakers for f in [s.name, *s.aliases] for w in f.split()})
    sides = sorted({s.id for s in bundled.analysis().manifest.sides})
    for _ in range(40):
        field = rng.choice([f"speaker:{rng.choice(forms)}", f"side:{rng.choice(sides)}"])
        query = rng.choice([field, f"{field} {rng.choice(words)}", f"{field} AND {rng.choice(words)}",
                            f"{field} OR {rng.choice(words)}"])
        fast, slow = both_ways(bundled, query, 10, monkeypatch)
        assert shape(fast) == shape(slow), query


def test_the_command_line_search_finds_what_briefing_quotes_found(tmp_path, capsys):
    """`briefing search speaker:…` uses the stored analysis once `briefing quotes` (or the reader)
    made it: the passage quoted without marks is found there too; never analysed, it is not."""
    import json

    from briefing.tui.cli import main

    corpus = write_briefing(tmp_path / "c", UNMARKED)

    def cli_search() -> set[tuple[str, int]]:
        assert main(["search", "speaker:vok", "--corpus", str(corpus), "--json"]) == 0
        return {(h["source"], h["paragraph"]) for h in json.loads(capsys.readouterr().out)}

    before = cli_search()  # no analysis stored yet: the fields as indexed
    assert main(["quotes", "--corpus", str(corpus), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    quotes = shown["quotes"] if isinstance(shown, dict) else shown
    unmarked = {(q["source"], q["paragraph"]) for q in quotes if q["speaker"] == "Jana Vok" and q["source"] == "b"}
    assert unmarked and not unmarked & before
    assert cli_search() == before | unmarked
