"""`make devset`: the quote development set's figures and its constructed cases, in one command.

    python scripts/devset.py [--set ../shared/eval/news-quotes] [--keep PRED.json]

The set lives outside the repository (its texts are third-party news, kept for measurement only),
so this script reads it where it is and copies nothing. It runs `briefing quotes --json` over the
set's corpus with a private, empty cache (the article cache is shared by every checkout of a
corpus path, so another working copy's quote records would otherwise be read back), scores the
output with the set's own score.py, then runs each case of cases.json through the extractor and
prints the ones whose speakers differ from the expected ones (by the scorer's rule: a shared
capitalised word; None only for None).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SET = ROOT.parent / "shared" / "eval" / "news-quotes"
_PRONOUNS = {"He", "She", "They", "It", "We", "I", "The", "A", "An", "His", "Her", "Their"}


def _caps(s: str | None) -> set[str]:
    return {w for w in re.findall(r"\b[A-Z][\w'’-]+", s or "") if w not in _PRONOUNS}


def _same_speaker(expected: str | None, got: str | None) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    return bool(_caps(expected) & _caps(got)) or expected.lower() == got.lower()


def score(set_dir: Path, keep: Path | None) -> dict:
    briefing = Path(sys.executable).with_name("briefing")
    with tempfile.TemporaryDirectory(prefix="briefing-devset-") as tmp:
        env = dict(os.environ, XDG_CACHE_HOME=str(Path(tmp) / "cache"), XDG_DATA_HOME=str(Path(tmp) / "data"))
        pred = keep or Path(tmp) / "pred.json"
        with pred.open("w") as out:
            subprocess.run([str(briefing), "quotes", "--corpus", str(set_dir / "corpus"), "--json"],
                           stdout=out, env=env, check=True)
        done = subprocess.run([sys.executable, str(set_dir / "score.py"), str(set_dir / "gold.json"), str(pred)],
                              capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def cases(set_dir: Path) -> tuple[int, list[str]]:
    from briefing.index.model import Article, Manifest, Paragraph
    from briefing.index.quotes.extract import extract_quotes

    failures = []
    all_cases = json.loads((set_dir / "cases.json").read_text())
    for case in all_cases:
        title, *body = case["text"].split("\n\n")
        article = Article(case["id"], "case", title, None, None, None, [],
                          [Paragraph(i + 1, text) for i, text in enumerate(body)])
        got = [q.speaker for q in extract_quotes(article, Manifest())]
        expected = case["expected_speakers_in_order"]
        if len(got) != len(expected) or not all(_same_speaker(e, g) for e, g in zip(expected, got)):
            failures.append(f"{case['id']} ({case['category']}): expected {expected}, got {got}")
    return len(all_cases), failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET, help="the development set's directory")
    parser.add_argument("--keep", type=Path, help="also write the predictions to this file")
    args = parser.parse_args()
    if not (args.set / "score.py").is_file():
        print(f"devset: no development set at {args.set} (score.py missing); pass --set DIR", file=sys.stderr)
        return 2
    figures = score(args.set, args.keep)
    print(json.dumps(figures))
    total, failures = cases(args.set)
    print(f"cases.json: {total - len(failures)}/{total} give their expected speakers")
    for line in failures:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
