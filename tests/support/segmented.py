"""A synthetic briefing (scripts/synth.py) indexed, then partly changed and indexed again, so
that its index has several segments and deleted passages: the shape the fast search path must
read exactly as Whoosh does."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from briefing.index.engine import Briefing

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import synth  # noqa: E402


def segmented_briefing(root: Path, count: int, seed: int, every: int, late: str) -> Iterator[tuple[Briefing, Any]]:
    """Open briefing and synth info; every `every`-th article gains the paragraph `late` after
    the first build."""
    info = synth.generate(root / "c", count, seed=seed)
    b = Briefing(info.root, index_dir=root / "ix")
    b.open()
    b.close()
    for path in info.files[::every]:
        path.write_text(path.read_text(encoding="utf-8") + f"\n\n{late}\n", encoding="utf-8")
    b = Briefing(info.root, index_dir=root / "ix")
    b.open()
    try:
        yield b, info
    finally:
        b.close()
