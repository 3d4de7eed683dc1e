"""The positions pinned on the bundled briefing (issue 4), shared by the sides and init tests."""

from __future__ import annotations

from typing import Any

# The positions pinned for issue 4 (tests/test_positions.py), by side label: found under that side.
PINNED = [
    ("legally binding", "Russia"),
    ("no plans", "Russia"),
    ("quick", "Russia"),
    ("slam", "United States"),
    ("without Ukraine", "United States"),
    ("de-escalate", "United States"),
    ("missile", "United States"),
    ("sanctions", "United States"),
    ("costs and consequences", "United States"),
    ("de-escalation through diplomacy", "Ukraine"),
    ("every nation has the right to decide its alliances", "United States"),
    ("wrong to make this freedom an absolute one", "Russia"),
]
# ...and never under these (the wrong-side list of test_positions.py).
NEVER = [
    ("slam", "Russia"), ("without Ukraine", "Russia"), ("legally binding", "United States"),
    ("no plans to attack", "United States"), ("no plans, intentions or reasons", "United States"),
    ("return to their barracks", "Russia"), ("quick results", "United States"),
    ("unprecedented sanctions", "Russia"), ("wrong to make this freedom an absolute one", "United States"),
    ("every nation has the right to decide its alliances", "Russia"),
    ("remain united in seeking de-escalation", "Russia"),
]


def labels_holding(analysis: Any, phrase: str) -> set[str]:
    label = dict(analysis.positions.sides)
    return {label[c.side] for c in analysis.positions.cells() for st in c.statements if phrase.lower() in st.text.lower()}
