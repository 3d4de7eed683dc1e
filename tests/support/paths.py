"""Where the tests find the bundled briefing and the shared seed articles."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "corpus"
SEEDS = ROOT.parent / "shared" / "seed-articles"
