"""After one article is edited, added or removed, the analysis redoes only what that article
touches (its quotations, the unmarked speech that repeats them elsewhere, the utterances and
speakers they are in) and gives exactly what a fresh analysis of the new briefing gives: quotes,
speakers, groups, positions and inferred sides compared whole, on briefings where the changed
article's quotations are repeated unmarked by other outlets and where it repeats theirs."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

import briefing.index.quotes.analysis as quote_analysis
from briefing.index import analysis_store
from briefing.index.engine import Briefing
from support.paths import BUNDLED

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import synth  # noqa: E402


def canonical(analysis) -> str:
    """Everything the reader shows of an analysis, as one JSON text."""
    return json.dumps({
        "quotes": analysis.quotes.to_json(),
        "hidden": [q.to_json() for q in analysis.quotes.hidden],
        "speakers": [repr(s) for s in analysis.quotes.speakers],
        "side_labels": analysis.quotes.side_labels,
        "cells": {f"{k[0]}|{k[1]}": c.to_json() for k, c in analysis.positions.grid.items()},
        "statements": [s.to_json() | {"side": s.side, "issues": s.issues, "group": s.group}
                       for s in analysis.positions.statements],
        "issues": [repr(i) for i in analysis.positions.issues],
        "sides": analysis.positions.sides,
        "manifest_sides": [repr(s) for s in analysis.manifest.sides],
        "evidence": {k: [e.to_json() for e in v] for k, v in (analysis.sides.evidence if analysis.sides else {}).items()},
        "assigned": analysis.sides.assigned if analysis.sides else None,
    }, sort_keys=True, default=str)


def _analysis(corpus: Path, index_dir: Path):
    b = Briefing(corpus, index_dir=index_dir)
    b.open()
    try:
        return b.analysis()
    finally:
        b.close()


def _article(outlet: str, headline: str, *paragraphs: str) -> str:
    return "\n\n".join([outlet, headline, "By A Reporter", "January 10, 2022", *paragraphs]) + "\n"


# Another outlet prints, without quotation marks and after a speech verb, words the bundled
# New York Post article quotes (Sherman's "slam closed" line), and quotes (marked) a sentence
# the bundled Post article gives as narration (Ryabkov "went on to say that ...").
ECHO = _article(
    "Harbour Gazette", "Talks end without a deal",
    "Sherman said the United States will not allow anyone to slam closed NATO's open door policy, "
    "which has always been central to the NATO alliance, and officials said talks would go on.",
    "Officials in Geneva said the talks lasted nearly six hours.",
)
MARKED = _article(
    "Lakeside Courier", "Moscow sets out its terms",
    "“Moscow is resolved to ensure that Ukraine does not become a NATO member,” Ryabkov said on Monday.",
    "“We need iron-clad, waterproof, bulletproof, legally binding guarantees,” he told reporters.",
)
THIRD = _article(
    "Valley Times", "A third voice",
    "“We will not forgo bilateral cooperation with sovereign states that wish to work with the United States,” "
    "said Deputy Secretary of State Wendy Sherman.",
    "Ryabkov said there is no reason to fear some kind of escalatory scenario, according to officials.",
)


def _bundled_with_echoes(dest: Path) -> Path:
    shutil.copytree(BUNDLED, dest)
    (dest / "900_echo.txt").write_text(ECHO, encoding="utf-8")
    (dest / "901_marked.txt").write_text(MARKED, encoding="utf-8")
    return dest


def _post(corpus: Path) -> Path:
    return next(p for p in sorted(corpus.glob("*.txt")) if p.read_text(encoding="utf-8").startswith("New York Post"))


def _edit_quoted(corpus: Path) -> None:
    """The Post's quotation that the echo repeats unmarked changes its words."""
    post = _post(corpus)
    text = post.read_text(encoding="utf-8")
    assert "slam closed" in text
    post.write_text(text.replace("slam closed NATO’s open door policy", "shut NATO’s door on anyone"), encoding="utf-8")


def _edit_echo_away(corpus: Path) -> None:
    (corpus / "900_echo.txt").write_text(ECHO.replace("slam closed", "close"), encoding="utf-8")


CHANGES = {
    "edit the quoted article": _edit_quoted,
    "remove the quoted article": lambda c: _post(c).unlink(),
    "edit the echo away": _edit_echo_away,
    "remove the echo": lambda c: (c / "900_echo.txt").unlink(),
    "remove the marked source of an unmarked echo": lambda c: (c / "901_marked.txt").unlink(),
    "edit the marked source": lambda c: (c / "901_marked.txt").write_text(MARKED.replace("Ryabkov said", "Sergei Ryabkov said"), encoding="utf-8"),
    "add an article": lambda c: (c / "902_third.txt").write_text(THIRD, encoding="utf-8"),
    "add a reprint": lambda c: shutil.copy(_post(c), c / "903_reprint.txt"),
    "edit a plain paragraph": lambda c: sorted(c.glob("*.txt"))[2].write_text(
        sorted(c.glob("*.txt"))[2].read_text(encoding="utf-8") + "\nA late paragraph, officials said on Friday.\n", encoding="utf-8"),
    # a person's side given by the manifest's [people] (the quote analysis and the inference of
    # sides share one memo of those answers, kept for the next analysis)
    "manifest people": lambda c: (c / "briefing.toml").write_text(
        (c / "briefing.toml").read_text(encoding="utf-8").replace('[people]\n', '[people]\n"Wendy Sherman" = "ukraine"\n', 1),
        encoding="utf-8"),
    "manifest": lambda c: (c / "briefing.toml").write_text(
        (c / "briefing.toml").read_text(encoding="utf-8").replace('label = "Russia"', 'label = "Russian Federation"', 1), encoding="utf-8"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_one_change_gives_what_a_fresh_analysis_gives(tmp_path, change):
    corpus = _bundled_with_echoes(tmp_path / "corpus")
    before = _analysis(corpus, tmp_path / "ix")
    CHANGES[change](corpus)
    updated = _analysis(corpus, tmp_path / "ix")
    fresh = _analysis(corpus, tmp_path / "fresh")
    assert canonical(updated) == canonical(fresh)
    if change != "edit a plain paragraph":
        assert canonical(updated) != canonical(before)  # the change is one the analysis sees


def test_the_echo_corpus_has_unmarked_quotes_both_ways(tmp_path):
    """What the cases above rely on: the echo repeats the Post unmarked, the Post repeats the
    marked article unmarked, and each is grouped with what it repeats."""
    analysis = _analysis(_bundled_with_echoes(tmp_path / "corpus"), tmp_path / "ix")
    unmarked = [q for q in analysis.quotes.quotes if not q.marked]
    assert any(q.source == "900_echo" and "slam closed" in q.text for q in unmarked)
    post = next(q for q in unmarked if "resolved to ensure" in q.text)
    group = analysis.quotes.group(post.group)
    assert "901_marked" in group.sources


def test_only_what_a_change_touches_is_searched_again(tmp_path, monkeypatch):
    corpus = _bundled_with_echoes(tmp_path / "corpus")
    _analysis(corpus, tmp_path / "ix")
    searched: list[str] = []
    real = quote_analysis.unmarked_in_article
    monkeypatch.setattr(quote_analysis, "unmarked_in_article",
                        lambda article, *a, **k: searched.append(article.id) or real(article, *a, **k))
    (corpus / "900_echo.txt").unlink()
    _analysis(corpus, tmp_path / "ix")
    articles = len(list(corpus.glob("*.txt")))
    # the Post (whose quotation the echo repeated) is not searched again: the echo had no marked
    # quotation of its own; nothing else changed
    assert len(searched) < articles


@pytest.mark.parametrize("change", ["edit", "add", "remove", "two at once"])
def test_synthetic_briefing_changes(tmp_path, change):
    info = synth.generate(tmp_path / "corpus", 80, seed=5)
    corpus = tmp_path / "corpus"
    _analysis(corpus, tmp_path / "ix")
    files = sorted(info.files)
    if change in ("edit", "two at once"):
        with open(files[7], "a", encoding="utf-8") as f:
            f.write("\n\nA late paragraph mentions the checkpoint, officials said on Friday evening.\n")
    if change == "add":
        shutil.copy(files[3], corpus / "zz_reprint.txt")
    if change in ("remove", "two at once"):
        files[11].unlink()
    updated = _analysis(corpus, tmp_path / "ix")
    fresh = _analysis(corpus, tmp_path / "fresh")
    assert canonical(updated) == canonical(fresh)


def test_unchanged_reopen_and_successive_changes_stay_equal(tmp_path):
    """Each update's state is the next one's starting point: three changes in a row."""
    corpus = _bundled_with_echoes(tmp_path / "corpus")
    first = _analysis(corpus, tmp_path / "ix")
    assert canonical(_analysis(corpus, tmp_path / "ix")) == canonical(first)
    for change in ("add an article", "edit the quoted article", "remove the echo"):
        CHANGES[change](corpus)
        updated = _analysis(corpus, tmp_path / "ix")
        assert canonical(updated) == canonical(_analysis(corpus, tmp_path / f"fresh-{len(change)}"))


def test_a_damaged_state_store_means_a_whole_analysis(tmp_path):
    corpus = _bundled_with_echoes(tmp_path / "corpus")
    _analysis(corpus, tmp_path / "ix")
    state = tmp_path / "ix" / analysis_store.STATE_NAME
    data = bytearray(state.read_bytes())
    data[-20] ^= 0xFF
    state.write_bytes(bytes(data))
    _edit_quoted(corpus)
    updated = _analysis(corpus, tmp_path / "ix")
    assert canonical(updated) == canonical(_analysis(corpus, tmp_path / "fresh"))
    # and the state written after it serves the next change
    (corpus / "900_echo.txt").unlink()
    assert canonical(_analysis(corpus, tmp_path / "ix")) == canonical(_analysis(corpus, tmp_path / "fresh2"))


@pytest.mark.parametrize("change, reused", [
    ("edit a plain paragraph", "whole"),  # the same quotations: the very postings serve
    ("add an article", "extended"),  # its quotations come after all the others: keyed alone
    ("remove the marked source of an unmarked echo", "none"),  # its quotations gone: numbered afresh
])
def test_the_shingle_index_of_the_last_analysis_serves_while_its_numbering_holds(tmp_path, monkeypatch, change, reused):
    """The index of the quotations as first read is kept: it serves only where a fresh index
    would number the sequences the same, so every lookup, and the analysis, is the same."""
    from briefing.index.quotes import groups

    corpus = _bundled_with_echoes(tmp_path / "corpus")
    _analysis(corpus, tmp_path / "ix")
    CHANGES[change](corpus)
    seen: list[str] = []
    real = quote_analysis._first_index

    def watched(marked, normaliser, known, kept):
        index = real(marked, normaliser, known, kept)
        if kept is not None and index.postings is kept.postings:
            seen.append("whole")
        elif kept is not None and isinstance(index.postings, groups._Extended) and index.postings.base is kept.postings:
            seen.append("extended")
        else:
            seen.append("none")
        return index

    monkeypatch.setattr(quote_analysis, "_first_index", watched)
    updated = _analysis(corpus, tmp_path / "ix")
    assert seen == [reused]
    monkeypatch.undo()
    assert canonical(updated) == canonical(_analysis(corpus, tmp_path / "fresh"))
