"""`make bench`: build, reopen, update, extraction, search and first paint on a synthetic briefing.

    python scripts/bench.py --n 10000

Everything happens in fresh temporary directories (corpus, index cache, XDG cache and data dirs),
nothing is kept between runs. Prints a Rich table, then, as the last line, one JSON object:
n, build_s, extract_kb_s, reopen_s, update_s, search_p50_ms, search_p95_ms, first_paint_ms,
first_paint_bundled_ms, first_paint_bundled_cold_ms, hello_ms, rss_mb, fts5_build_s, fts5_search_p95_ms, search_fts5_ratio
(search_p95_ms / fts5_search_p95_ms: the same queries in SQLite FTS5, in the same run),
analysis_first_s, analysis_reopen_s, analysis_update_s, compare_s (the comparison of the outlets
after the analysis, Briefing.compare) and compare_ratio = compare_s / analysis_first_s (null where
a part of the app that the measurement needs does not exist yet).

First paint (scripts/first_paint.py, a fresh child process each, from just before its spawn to its
first frame; medians of --paint-runs): hello_ms is a bare Textual app (Header, Static, Footer),
first_paint_bundled_ms the reader on the bundled briefing opened before (its index and stored
analysis on disk), first_paint_bundled_cold_ms the same with empty cache and data dirs (reported,
no target); the three are taken in turn so that the machine's load falls on all of them alike.

Targets at N = 10,000 on a 2-core machine (TARGETS below): search_p95_ms <= 25 (with highlight
offsets) and search_fts5_ratio <= 1/3, reopen_s <= 1, update_s <= 2, build_s <= 90,
first_paint_ms <= 1500, first_paint_bundled_ms <= 1.5 x hello_ms, rss_mb <= 400,
analysis_first_s <= 45, analysis_reopen_s <= 2 (open to quotes and positions, unchanged corpus),
analysis_update_s <= 5 (the same after one article changed), compare_ratio <= 0.2,
inference_ratio <= 0.1 (what inferring sides and issues adds to the analysis, both run from the
same cached quote records), compare_open_ms <= 200 (from `c` in a loaded reader to the Compare
view's first frame).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for p in (str(ROOT), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

import synth  # noqa: E402

TARGETS = {  # key: (limit, "max"); first_paint_bundled_ms is checked against 1.5 x hello_ms
    "build_s": 90,
    "reopen_s": 1,
    "update_s": 2,
    "search_p95_ms": 25,
    "first_paint_ms": 1500,
    "rss_mb": 400,
    "analysis_first_s": 45,
    "analysis_reopen_s": 2,
    "analysis_update_s": 5,
    "compare_ratio": 0.2,  # the comparison adds at most 20 % to the analysis
    "inference_ratio": 0.1,  # inferring sides and issues adds at most 10 % to the analysis
    "compare_open_ms": 200,  # from `c` to the Compare view's first frame, at N
}
BUNDLED_PAINT_FACTOR = 1.5
# search p95 at most a third of FTS5's in the same run: the machine's speed and load cancel out
FTS5_RATIO = 1 / 3
KEYS = ("n", "build_s", "extract_kb_s", "reopen_s", "update_s", "search_p50_ms", "search_p95_ms",
        "first_paint_ms", "first_paint_bundled_ms", "first_paint_bundled_cold_ms", "hello_ms", "rss_mb", "fts5_build_s", "fts5_search_p95_ms",
        "search_fts5_ratio", "analysis_first_s", "analysis_reopen_s", "analysis_update_s", "compare_s", "compare_ratio", "inference_ratio",
        "compare_open_ms")


@dataclass
class Results:
    values: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)  # shown in the table, not in the JSON


def _pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q
    lo, hi = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


# ---- the engine ----------------------------------------------------------------------------

def bench_build(corpus: Path, index_dir: Path, progress=None):
    """Cold build: parse, extract quotes, index. Returns (seconds, Briefing)."""
    from briefing.index.engine import Briefing

    b = Briefing(corpus, index_dir=index_dir)
    t = time.perf_counter()
    b.open(progress=progress)
    return time.perf_counter() - t, b


def bench_reopen(corpus: Path, index_dir: Path, repeat: int = 3) -> tuple[float, object]:
    """Median seconds to open the unchanged corpus again (a new Briefing each time)."""
    from briefing.index.engine import Briefing

    times, b = [], None
    for _ in range(repeat):
        if b is not None:
            b.close()
        b = Briefing(corpus, index_dir=index_dir)
        t = time.perf_counter()
        report = b.open()
        times.append(time.perf_counter() - t)
        assert report.parsed == 0, f"reopen re-parsed {report.parsed} articles"
    return statistics.median(times), b


def bench_update(corpus: Path, index_dir: Path, files: list[Path], repeat: int = 3) -> tuple[float, bool]:
    """Median seconds to open after one file changed; also checks the change is searchable."""
    from briefing.index.engine import Briefing

    times, found = [], True
    for k in range(repeat):
        path = files[(k * 7919 + 3) % len(files)]
        marker = f"benchmarker{k}zq"
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"\n\nA late paragraph mentions the {marker} checkpoint, officials said on Friday evening.\n")
        b = Briefing(corpus, index_dir=index_dir)
        t = time.perf_counter()
        report = b.open()
        times.append(time.perf_counter() - t)
        found &= report.parsed == 1 and any(h.source == path.stem for h in b.search(marker).hits)
        b.close()
    return statistics.median(times), found


def bench_analysis(briefing) -> float:
    """Seconds for the briefing-wide analysis of an opened briefing (no stored analysis yet)."""
    t = time.perf_counter()
    briefing.analysis()
    return time.perf_counter() - t


def bench_inference(briefing) -> tuple[float, float]:
    """The analysis without and with inference (sides, issues) from the same cached quote
    records, back to back: what inference adds."""
    from briefing.index import engine
    from briefing.index.analysis import analyse

    times = []
    for infer in (False, True):
        read = engine._CachedQuotes(briefing._state, briefing.manifest)
        t = time.perf_counter()
        analyse(engine._OneAtATime(briefing.articles), briefing.manifest, read, infer=infer)
        times.append(time.perf_counter() - t)
    return times[0], times[1]


def bench_open_analysed(corpus: Path, index_dir: Path) -> float:
    """Seconds from opening the briefing to its quotes and positions (stored or analysed again)."""
    from briefing.index.engine import Briefing

    t = time.perf_counter()
    b = Briefing(corpus, index_dir=index_dir)
    b.open()
    analysis = b.analysis()
    assert analysis.quotes is not None
    elapsed = time.perf_counter() - t
    b.close()
    return elapsed


def store_sizes(index_dir: Path) -> dict[str, float]:
    """Megabytes of the stored analysis (read on every reopen) and of the state it leaves for
    the next incremental analysis (read only after a change)."""
    from briefing.index import analysis_store

    out = {}
    for name in (analysis_store.FILE_NAME, getattr(analysis_store, "STATE_NAME", "")):
        path = index_dir / name if name else None
        if path is not None and path.is_file():
            out[name] = round(path.stat().st_size / 2**20, 1)
    return out


def bench_extract(articles: list, manifest, limit: int | None = None) -> tuple[float | None, float, dict]:
    """KB/s of article text through briefing.index.quotes.extract.extract_quotes alone (None if it does not exist).

    Also returns who is quoted in each passage, {(article id, paragraph): names}, the same names the
    engine indexes in `speaker:`, so the FTS5 anchor gets them without a second extraction pass.
    """
    try:
        import briefing.index.quotes.extract as quotes_module
    except ImportError:
        return None, 0.0, {}
    if getattr(quotes_module, "__file__", None) is None:  # a test stand-in, not the real module
        return None, 0.0, {}
    extract_quotes = quotes_module.extract_quotes
    sample = articles[:limit] if limit else list(articles)
    kb = sum(len(p.text.encode("utf-8")) for a in sample for p in a.paragraphs) / 1024  # bodies loaded here
    speakers: dict[tuple[str, int], set[str]] = {}
    t = time.perf_counter()
    found = [extract_quotes(a, manifest) for a in sample]
    elapsed = time.perf_counter() - t
    for quotes in found:
        for q in quotes:
            names = speakers.setdefault((q.source, q.paragraph), set())
            names.update(n for n in (q.speaker, q.speaker_as_given) if n)
    per_article = sum(len(q) for q in found) / max(1, len(sample))
    return (kb / elapsed if elapsed > 0 else None), per_article, speakers


def bench_compare(briefing) -> tuple[float, str]:
    """The comparison of the outlets, on a briefing already analysed (timed alone)."""
    briefing.analysis()
    t = time.perf_counter()
    comparison = briefing.compare()
    compare_s = time.perf_counter() - t
    counts = comparison.counts()
    return compare_s, ", ".join(f"{n} {k}" for k, n in counts.items())


def make_queries(info: synth.SynthInfo, count: int = 200, seed: int = 11) -> list[str]:
    """A fixed, distinct mix: single terms, AND, phrases, prefixes and speaker: queries."""
    rng = random.Random(seed)
    vocab = info.vocabulary
    mid = vocab[40:3000]  # content words: neither stop-words nor hapaxes
    per = count // 5
    seen: set[str] = set()
    out: list[str] = []

    def add(q: str) -> bool:
        if q in seen:
            return False
        seen.add(q)
        out.append(q)
        return True

    kinds = {
        "term": lambda: rng.choice(mid),
        "and": lambda: f"{rng.choice(mid)} AND {rng.choice(vocab[20:1500])}",
        "phrase": lambda: f'"{rng.choice(info.bigrams)}"' if info.bigrams else f'"{rng.choice(mid)} {rng.choice(mid)}"',
        "prefix": lambda: rng.choice([w for w in mid[:1500] if len(w) >= 5])[: rng.choice((3, 3, 4, 5))] + "*",
        "speaker": lambda: f"speaker:{rng.choice(info.people).last.lower()}"
        + (f" {rng.choice(vocab[30:800])}" if rng.random() < 0.3 else ""),
    }
    for name, make in kinds.items():
        made, tries = 0, 0
        while made < per and tries < per * 50:
            tries += 1
            made += add(make())
    rng.shuffle(out)
    return out


def bench_search(briefing, queries: list[str], warmup: list[str], limit: int = 10) -> dict:
    """Latency of distinct queries (no cache hits), with highlight offsets for the first `limit` hits."""
    for q in warmup:
        briefing.search(q, limit=limit)
    times, hits, errors = [], 0, 0
    per_kind: dict[str, list[float]] = {}
    for q in queries:
        t = time.perf_counter()
        r = briefing.search(q, limit=limit)
        dt = (time.perf_counter() - t) * 1000
        times.append(dt)
        hits += len(r.hits)
        errors += bool(r.error)
        kind = "speaker" if q.startswith("speaker:") else "phrase" if q.startswith('"') else "prefix" if q.endswith("*") else "and" if " AND " in q else "term"
        per_kind.setdefault(kind, []).append(dt)
    cached = []
    for q in queries[:50]:
        t = time.perf_counter()
        briefing.search(q, limit=limit)
        cached.append((time.perf_counter() - t) * 1000)
    return {
        "p50": _pct(times, 0.5),
        "p95": _pct(times, 0.95),
        "max": max(times),
        "cached_p50": _pct(cached, 0.5),
        "hits_per_query": hits / len(queries),
        "errors": errors,
        "per_kind_p95": {k: round(_pct(v, 0.95), 1) for k, v in per_kind.items()},
    }


# ---- SQLite FTS5, the anchor ----------------------------------------------------------------

def _fts5_query(q: str) -> str:
    if q.startswith("speaker:"):
        name, _, rest = q[len("speaker:"):].partition(" ")
        return f'speaker:"{name}"' + (f" AND text:{rest}" if rest else "")
    if q.startswith('"'):
        return "text:" + q
    if q.endswith("*"):
        return f'text:"{q[:-1]}"*'
    if " AND " in q:
        a, b = q.split(" AND ")
        return f'text:"{a}" AND text:"{b}"'
    return f'text:"{q}"'


def bench_fts5(briefing, db_path: Path, queries: list[str], warmup: list[str], limit: int = 10,
               speakers: dict | None = None) -> dict:
    """Index the same passages (text, speakers) in FTS5 and run the same queries, with offsets."""
    import sqlite3

    from briefing.index.text import fold_for_search

    if speakers is None:
        speakers = bench_extract(briefing.articles, briefing.manifest)[2]
    rows = []
    for a in briefing.articles:
        for p in a.paragraphs:
            names = speakers.get((a.id, p.n), ())
            rows.append((f"{a.id}#{p.n}", a.id, p.n, fold_for_search(p.text), " ".join(sorted(names))))
    db = sqlite3.connect(db_path)
    t = time.perf_counter()
    db.execute("create virtual table passages using fts5(pid unindexed, source unindexed, paragraph unindexed,"
               " text, speaker, tokenize='porter unicode61')")
    with db:
        db.executemany("insert into passages values (?, ?, ?, ?, ?)", rows)
    build = time.perf_counter() - t
    sql = ("select pid, highlight(passages, 3, char(1), char(2)) from passages where passages match ?"
           " order by rank limit ?")

    def run(q: str) -> int:
        try:
            found = db.execute(sql, (_fts5_query(q), limit)).fetchall()
        except sqlite3.OperationalError:
            return 0
        for _pid, marked in found:  # offsets, as the engine returns them
            spans, pos, removed = [], 0, 0
            while (s := marked.find("\x01", pos)) >= 0:
                e = marked.find("\x02", s)
                spans.append((s - removed, e - removed - 1))
                removed += 2
                pos = e + 1
        return len(found)

    for q in warmup:
        run(q)
    times = []
    for q in queries:
        t = time.perf_counter()
        run(q)
        times.append((time.perf_counter() - t) * 1000)
    db.close()
    return {"build_s": build, "p50": _pct(times, 0.5), "p95": _pct(times, 0.95), "passages": len(rows)}


# ---- the TUI ------------------------------------------------------------------------------

def tui_available() -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec("briefing.tui.app") is not None
    except (ImportError, ValueError):
        return False


READY_TIMEOUT_S = 300.0  # how long the RSS child may take to open and analyse the briefing (~60 s at 10k)


def first_paint(app: str, corpus: Path | None = None, ready: bool = False, env: dict | None = None,
                timeout: float = 120.0, ready_timeout: float = READY_TIMEOUT_S,
                extra: dict | None = None, compare: bool = True) -> tuple[float | None, float | None, float, str]:
    """One child process: (paint_ms, ready_ms, peak RSS MB of that child, stderr tail). With
    `ready`, the child runs until the reader is loaded (and, with `compare`, opens the Compare view).

    The peak RSS is the child's own VmHWM (since its exec); wait4()'s ru_maxrss is the fallback
    where /proc is missing, and it over-counts: it includes the parent's RSS at spawn time."""
    fd, out = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    cmd = [sys.executable, str(HERE / "first_paint.py"), app, "--out", out]
    if corpus is not None:
        cmd += ["--corpus", str(corpus)]
    if ready:
        cmd += ["--ready", "--timeout", str(ready_timeout)] + (["--compare"] if compare else [])
    child_env = dict(env or os.environ)
    child_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), child_env.get("PYTHONPATH")]))
    err_file = tempfile.TemporaryFile()
    child_env["BENCH_T0_NS"] = str(time.monotonic_ns())
    proc = subprocess.Popen(cmd, env=child_env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err_file)
    deadline = time.monotonic() + timeout
    status, usage = 0, None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.005)
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss_mb = usage.ru_maxrss / 1024 if usage else 0.0  # Linux: KiB
    err_file.seek(0)
    err = err_file.read().decode("utf-8", "replace")[-2000:]
    err_file.close()
    try:
        data = json.loads(Path(out).read_text() or "{}")
    except (OSError, ValueError):
        data = {}
    finally:
        Path(out).unlink(missing_ok=True)
    if extra is not None:
        extra.update(data)  # what else the child measured (compare_open_ms)
    return data.get("paint_ms"), data.get("ready_ms"), data.get("peak_rss_mb") or rss_mb, err


def median_paint(app: str, corpus: Path | None, runs: int, env: dict, warmup: int = 1) -> tuple[float | None, str]:
    for _ in range(warmup):
        first_paint(app, corpus, env=env)
    values, err = [], ""
    for _ in range(runs):
        paint, _ready, _rss, err = first_paint(app, corpus, env=env)
        if paint is None:
            return None, err
        values.append(paint)
    return statistics.median(values), err


def _fresh_dirs(env: dict, where: Path) -> dict:
    """`env` with its own empty XDG cache and data dirs: a reader that never opened anything."""
    fresh = dict(env)
    fresh["XDG_CACHE_HOME"] = str(where / "xdg-cache")
    fresh["XDG_DATA_HOME"] = str(where / "xdg-data")
    return fresh


def bundled_paints(runs: int, env: dict, work: Path) -> dict[str, object]:
    """hello, the bundled briefing warm and cold: medians of `runs` first paints each, taken in turn
    (hello, warm, cold, hello, ...) so that a change in the machine's load falls on all three.

    Warm is the honest first paint: a reader who opened this briefing before, its index and stored
    analysis on disk. A warm-up child that left at its first paint would write neither (the
    briefing opens in a worker after the first frame), so the warm-up runs until the reader is
    ready. Cold (fresh cache and data dirs, every child) is reported, not a target: each such
    child starts parsing and indexing in its worker right after the first frame."""
    from briefing.index import locations

    bundled = locations.BUNDLED_CORPUS
    _paint, ready_ms, _rss, err = first_paint("briefing", bundled, ready=True, env=env, compare=False)
    if ready_ms is None:
        return {"error": err or "the warm-up reader did not get ready"}
    first_paint("hello", None, env=env)  # the interpreter and Textual in the page cache
    values: dict[str, list[float]] = {"hello": [], "warm": [], "cold": []}
    for i in range(runs):
        for kind in ("hello", "warm", "cold"):
            if kind == "hello":
                paint, _r, _m, err = first_paint("hello", None, env=env)
            elif kind == "warm":
                paint, _r, _m, err = first_paint("briefing", bundled, env=env)
            else:
                paint, _r, _m, err = first_paint("briefing", bundled, env=_fresh_dirs(env, work / f"cold-{i}"))
            if paint is None:
                return {"error": err or f"the {kind} child did not paint"}
            values[kind].append(paint)
    return {kind: statistics.median(v) for kind, v in values.items()}


# ---- the run ------------------------------------------------------------------------------

def run(n: int, work: Path, paint_runs: int = 7, console=None, seed: int = 7, tui: bool = True) -> Results:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from briefing.index import locations

    res = Results()
    v = res.values
    v["n"] = n
    say = (lambda msg: console.log(msg)) if console is not None else (lambda msg: None)

    # Fresh cache and data dirs for the engine and every child: nothing leaks in or out.
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = str(work / "xdg-cache")
    env["XDG_DATA_HOME"] = str(work / "xdg-data")
    env.pop("BRIEFING_CORPUS", None)
    os.environ.update({k: env[k] for k in ("XDG_CACHE_HOME", "XDG_DATA_HOME")})
    os.environ.pop("BRIEFING_CORPUS", None)

    corpus = work / "corpus"
    t = time.perf_counter()
    info = synth.generate(corpus, n, seed=seed)
    res.extra["generate_s"] = time.perf_counter() - t
    say(f"generated {n:,} articles in {res.extra['generate_s']:.1f} s")

    index_dir = locations.index_dir(corpus)  # where the TUI child will look for it
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=console is None) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task({"parse": "Reading articles", "index": "Indexing passages"}.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        v["build_s"], b = bench_build(corpus, index_dir, progress)
    expected = sum(len(a.paragraphs) for a in b.articles)
    res.extra["passages"] = f"{b.report.passages:,} of {expected:,}"
    if b.report.passages != expected or b.report.articles != n:
        res.notes.append(f"index holds {b.report.passages} passages of {expected} ({b.report.articles} articles of {n})")
    say(f"built in {v['build_s']:.1f} s ({b.report.passages:,} passages)")
    b.close()

    v["reopen_s"], b = bench_reopen(corpus, index_dir)
    say(f"reopened in {v['reopen_s']:.3f} s")

    v["analysis_first_s"] = bench_analysis(b)
    say(f"first analysis in {v['analysis_first_s']:.1f} s")
    # The store is written after the analysis is handed back (the reader shows it meanwhile); a
    # reopen is a later start, which finds it written: the process that analysed waited for it.
    t = time.perf_counter()
    b.wait_stored()
    res.extra["analysis_store_write_s"] = time.perf_counter() - t
    v["analysis_reopen_s"] = bench_open_analysed(corpus, index_dir)
    say(f"reopened with the stored analysis in {v['analysis_reopen_s']:.2f} s")
    res.extra["analysis_store_mb"] = store_sizes(index_dir)

    queries = make_queries(info)
    warmup = make_queries(info, count=20, seed=99)
    warmup = [q for q in warmup if q not in set(queries)]
    s = bench_search(b, queries, warmup)
    v["search_p50_ms"], v["search_p95_ms"] = s["p50"], s["p95"]
    res.extra.update({"search_max_ms": s["max"], "search_cached_p50_ms": s["cached_p50"],
                      "hits_per_query": s["hits_per_query"], "search_p95_by_kind": s["per_kind_p95"]})
    if s["errors"]:
        res.notes.append(f"{s['errors']} benchmark queries returned an error")
    say(f"search p50 {s['p50']:.1f} ms, p95 {s['p95']:.1f} ms")

    plain_s, inferred_s = bench_inference(b)
    v["inference_ratio"] = inferred_s / plain_s - 1 if plain_s else None
    res.extra["analysis_without_inference_s"] = plain_s
    say(f"analysis without inference {plain_s:.1f} s, with {inferred_s:.1f} s")

    v["compare_s"], compared = bench_compare(b)
    v["compare_ratio"] = v["compare_s"] / v["analysis_first_s"] if v["analysis_first_s"] else None
    res.extra["compare_items"] = compared
    say(f"comparison {v['compare_s']:.2f} s ({compared})")

    kb_s, quotes_per_article, speakers = bench_extract(b.articles, b.manifest)
    v["extract_kb_s"] = kb_s
    res.extra["quotes_per_article"] = quotes_per_article
    if kb_s is None:
        res.notes.append("briefing.index.quotes.extract is not there yet: extract_kb_s is null")
    else:
        say(f"extraction: {kb_s:,.0f} KB/s")

    f = bench_fts5(b, work / "fts5.sqlite3", queries, warmup, speakers=speakers)
    v["fts5_build_s"], v["fts5_search_p95_ms"] = f["build_s"], f["p95"]
    res.extra["fts5_search_p50_ms"] = f["p50"]
    v["search_fts5_ratio"] = v["search_p95_ms"] / f["p95"] if f["p95"] else None
    say(f"FTS5: built in {f['build_s']:.1f} s, p95 {f['p95']:.1f} ms")
    b.close()

    v["update_s"], found = bench_update(corpus, index_dir, info.files)
    if not found:
        res.notes.append("an updated article was not found by search after the update")
    say(f"updated in {v['update_s']:.3f} s")
    v["analysis_update_s"] = bench_open_analysed(corpus, index_dir)
    say(f"analysis after one changed article in {v['analysis_update_s']:.1f} s")

    if not tui:
        v.update(hello_ms=None, first_paint_ms=None, first_paint_bundled_ms=None, first_paint_bundled_cold_ms=None,
                 rss_mb=None, compare_open_ms=None)
        res.notes.append("--skip-tui: first paint and RSS not measured")
        return res
    if tui_available():
        paints = bundled_paints(paint_runs, env, work)
        v["hello_ms"] = paints.get("hello")
        bundled = v["first_paint_bundled_ms"] = paints.get("warm")
        v["first_paint_bundled_cold_ms"] = paints.get("cold")
        err = str(paints.get("error", ""))
        at_n, err_n = median_paint("briefing", corpus, paint_runs, env)
        v["first_paint_ms"] = at_n
        child: dict = {}
        _, ready_ms, rss, err_r = first_paint("briefing", corpus, ready=True, env=env, ready_timeout=READY_TIMEOUT_S, extra=child)
        v["compare_open_ms"] = child.get("compare_open_ms")
        v["rss_mb"] = rss
        res.extra["tui_ready_ms"] = ready_ms if ready_ms is not None else f"not idle within {READY_TIMEOUT_S:.0f} s (RSS taken then)"
        for e in (err, err_n, err_r):
            if e.strip() and (bundled is None or at_n is None):
                res.notes.append("TUI child failed: " + e.strip().splitlines()[-1])
                break
    else:
        v["hello_ms"], _ = median_paint("hello", None, paint_runs, env)
        v.update(first_paint_ms=None, first_paint_bundled_ms=None, first_paint_bundled_cold_ms=None, rss_mb=None, compare_open_ms=None)
        res.notes.append("briefing.tui.app is not there yet: first paint and RSS are null")
    say(f"first paint: hello {v['hello_ms']}, bundled {v.get('first_paint_bundled_ms')} "
        f"(cold {v.get('first_paint_bundled_cold_ms')}), N {v.get('first_paint_ms')} ms")
    return res


def verdict(key: str, values: dict) -> str:
    value = values.get(key)
    if value is None:
        return ""
    if key == "first_paint_bundled_ms":
        hello = values.get("hello_ms")
        return "" if hello is None else ("ok" if value <= BUNDLED_PAINT_FACTOR * hello else f"over (≤ {BUNDLED_PAINT_FACTOR * hello:.0f})")
    if key == "search_fts5_ratio":
        fts5 = values.get("fts5_search_p95_ms")
        limit = "" if fts5 is None else f", p95 ≤ {fts5 * FTS5_RATIO:.1f} ms"
        return "ok" if value <= FTS5_RATIO else f"over (≤ 1/3{limit})"
    if key in TARGETS:
        return "ok" if value <= TARGETS[key] else f"over (≤ {TARGETS[key]})"
    return ""


def render(res: Results, console) -> None:
    from rich.table import Table

    units = {"_s": "s", "_ms": "ms", "_mb": "MB", "_kb_s": "KB/s"}
    table = Table(title=f"briefing benchmark, N = {res.values['n']:,}", show_lines=False)
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("target")
    for key in KEYS[1:]:
        value = res.values.get(key)
        unit = next((u for suffix, u in sorted(units.items(), key=lambda kv: -len(kv[0])) if key.endswith(suffix)), "")
        shown = "—" if value is None else f"{value:,.3f} {unit}" if isinstance(value, float) and value < 10 else f"{value:,.1f} {unit}"
        target = (f"≤ {BUNDLED_PAINT_FACTOR} × hello" if key == "first_paint_bundled_ms"
                  else "≤ 1/3 of FTS5" if key == "search_fts5_ratio"
                  else f"≤ {TARGETS[key]}" if key in TARGETS else "")
        v = verdict(key, res.values)
        table.add_row(key, shown, f"{target} {('[green]' + v + '[/]') if v == 'ok' else ('[red]' + v + '[/]') if v else ''}".strip())
    for key, value in res.extra.items():
        shown = f"{value:,.3f}" if isinstance(value, float) else str(value)
        table.add_row(f"[dim]{key}[/]", f"[dim]{shown}[/]", "")
    console.print(table)
    for note in res.notes:
        console.print(f"[yellow]note:[/] {note}")


def paint_only(runs: int) -> int:
    """`--paint-only`: the first-paint figures of `make bench` without the synthetic briefing."""
    work = Path(tempfile.mkdtemp(prefix="briefing-paint-"))
    try:
        env = _fresh_dirs(dict(os.environ), work)
        env.pop("BRIEFING_CORPUS", None)
        paints = bundled_paints(runs, env, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if "error" in paints:
        print(paints["error"], file=sys.stderr)
        return 1
    hello = paints["hello"]
    print(json.dumps({"runs": runs, "hello_ms": round(hello, 1), "first_paint_bundled_ms": round(paints["warm"], 1),
                      "first_paint_bundled_cold_ms": round(paints["cold"], 1),
                      "warm_ratio": round(paints["warm"] / hello, 3), "cold_ratio": round(paints["cold"] / hello, 3)}))
    return 0


def main(argv: list[str] | None = None) -> int:
    from rich.console import Console

    parser = argparse.ArgumentParser(description="Benchmark the briefing engine and TUI on a synthetic corpus.")
    parser.add_argument("--n", type=int, default=10_000, help="number of synthetic articles")
    parser.add_argument("--paint-runs", type=int, default=7, help="child processes per first-paint median")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (prints its path)")
    parser.add_argument("--skip-tui", action="store_true", help="engine only: no first-paint or RSS children")
    parser.add_argument("--paint-only", action="store_true",
                        help="only hello and the bundled briefing's first paint (warm and cold): one JSON line")
    args = parser.parse_args(argv)
    if args.paint_only:
        return paint_only(args.paint_runs)

    console = Console(stderr=True)
    out = Console(highlight=False)
    work = Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    started = time.perf_counter()
    try:
        res = run(args.n, work, paint_runs=args.paint_runs, console=console, seed=args.seed, tui=not args.skip_tui)
    finally:
        if args.keep:
            console.log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    res.extra["bench_wall_s"] = time.perf_counter() - started
    render(res, out)
    values = {k: (round(res.values[k], 4) if isinstance(res.values.get(k), float) else res.values.get(k)) for k in KEYS}
    sys.stdout.flush()
    print(json.dumps(values))
    return 0


if __name__ == "__main__":
    sys.exit(main())
