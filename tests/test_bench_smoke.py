"""`make bench` on 200 articles: every measurement runs and reports; nothing is timed here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
sys.path.insert(0, str(SCRIPTS))

import bench  # noqa: E402
import synth  # noqa: E402


def test_synthetic_corpus_is_deterministic_and_news_like(tmp_path):
    from briefing.index.corpus.scan import load_corpus

    a = synth.generate(tmp_path / "a", 30, seed=5)
    b = synth.generate(tmp_path / "b", 30, seed=5)
    assert [p.read_bytes() for p in a.files] == [p.read_bytes() for p in b.files]
    corpus = load_corpus(a.root)
    assert len(corpus.articles) == 30 and not corpus.skipped
    words = sum(x.words for x in corpus.articles) / 30
    paragraphs = sum(len(x.paragraphs) for x in corpus.articles) / 30
    assert 450 < words < 750 and 7 <= paragraphs <= 11
    text = "\n".join(p.read_text(encoding="utf-8") for p in a.files)
    assert "“" in text and '"' in text and " said" in text and "According to" in text
    assert corpus.manifest.sides and corpus.manifest.people


def test_queries_are_distinct_and_mixed(tmp_path):
    info = synth.generate(tmp_path / "c", 50)
    queries = bench.make_queries(info)
    assert len(queries) == len(set(queries)) >= 190
    assert {q.startswith("speaker:") for q in queries} == {True, False}
    assert any(q.endswith("*") for q in queries) and any(" AND " in q for q in queries)
    assert any(q.startswith('"') for q in queries)


def test_engine_measurements_on_200_articles(tmp_path):
    from briefing.index import locations

    info = synth.generate(tmp_path / "corpus", 200)
    index_dir = locations.index_dir(info.root)
    stages = set()
    build_s, b = bench.bench_build(info.root, index_dir, progress=lambda stage, done, total: stages.add(stage))
    assert build_s > 0 and {"parse", "index"} <= stages
    assert b.report.articles == 200 and b.report.passages == sum(len(a.paragraphs) for a in b.articles)
    b.close()

    reopen_s, b = bench.bench_reopen(info.root, index_dir, repeat=2)
    assert reopen_s > 0 and len(b.articles) == 200
    queries = bench.make_queries(info, count=50)
    s = bench.bench_search(b, queries, warmup=["talks"])
    assert s["errors"] == 0 and 0 < s["p50"] <= s["p95"] <= s["max"] and s["hits_per_query"] > 1
    kb_s, _quotes, _speakers = bench.bench_extract(b.articles, b.manifest, limit=20)
    assert kb_s is None or kb_s > 0
    f = bench.bench_fts5(b, tmp_path / "fts.sqlite3", queries, warmup=[])
    assert f["passages"] == b.report.passages and f["build_s"] > 0 and f["p95"] >= 0
    b.close()

    update_s, found = bench.bench_update(info.root, index_dir, info.files, repeat=2)
    assert update_s > 0 and found


def test_first_paint_of_the_hello_app():
    paint_ms, _ready, rss_mb, err = bench.first_paint("hello")
    assert paint_ms is not None and paint_ms > 0, err
    assert rss_mb > 10


def test_peak_rss_is_the_childs_own_not_the_parents():
    # wait4() would charge the child with this process's RSS at spawn time (vfork/fork until exec)
    ballast = bytearray(256 * 1024 * 1024)
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    paint_ms, _ready, rss_mb, err = bench.first_paint("hello")
    assert paint_ms is not None, err
    assert 10 < rss_mb < 200
    del ballast


def test_main_prints_a_table_then_one_json_line(capsys):
    assert bench.main(["--n", "200", "--skip-tui"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert "briefing benchmark" in "\n".join(out[:-1])
    data = json.loads(out[-1])
    assert list(data) == list(bench.KEYS)
    assert data["n"] == 200 and data["build_s"] > 0 and data["search_p95_ms"] > 0 and data["reopen_s"] > 0
    assert data["first_paint_ms"] is None  # --skip-tui
    assert data["analysis_first_s"] > 0 and data["analysis_reopen_s"] > 0 and data["analysis_update_s"] > 0


@pytest.mark.parametrize("key", ["search_p95_ms", "first_paint_bundled_ms"])
def test_verdicts(key):
    assert bench.verdict(key, {"search_p95_ms": 10.0, "first_paint_bundled_ms": 300.0, "hello_ms": 200.0}) == "ok"
    assert bench.verdict(key, {"search_p95_ms": 80.0, "first_paint_bundled_ms": 500.0, "hello_ms": 200.0}).startswith("over")


def test_bundled_paints_are_warm_after_a_warm_up_that_ran_until_ready(tmp_path, monkeypatch):
    """The warm-up reader runs until loaded, so the measured warm children find the bundled
    briefing's index and stored analysis (a child that leaves at its first frame writes neither)."""
    import os

    from briefing.index import locations

    env = bench._fresh_dirs(dict(os.environ), tmp_path / "warm")
    env.pop("BRIEFING_CORPUS", None)
    paints = bench.bundled_paints(1, env, tmp_path)
    assert "error" not in paints, paints.get("error")
    assert all(paints[kind] > 0 for kind in ("hello", "warm", "cold"))
    monkeypatch.setenv("XDG_CACHE_HOME", env["XDG_CACHE_HOME"])
    stored = {p.name for p in locations.index_dir(locations.BUNDLED_CORPUS).iterdir()}
    assert "articles.sqlite3" in stored and any(name.startswith("analysis") for name in stored)
