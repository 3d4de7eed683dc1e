"""Content styles shared by the panes, and the colours of a briefing's sides.

Styles are Content style strings (theme variables resolve when drawn) rather than component
classes: each component class is a stylesheet pass whenever its widget is restyled, which is on
every focus change. Colour is never the only signal: wherever a side colour is used, the side's
label is written too.
"""

from __future__ import annotations

MUTED = "$foreground 60%"  # $text-muted is "auto 60%", which a Content style cannot resolve

SIDE_COLORS = (
    "$error-lighten-1",
    "$primary-lighten-2",
    "$warning-lighten-1",
    "$success-lighten-1",
    "$secondary-lighten-2",
    "$accent-lighten-1",
)


UNKNOWN_SIDE = "underline"


def side_style(index: int | None) -> str:
    """The Content style of the side at `index` in the manifest (underlined when unknown)."""
    return UNKNOWN_SIDE if index is None else SIDE_COLORS[index % len(SIDE_COLORS)]


class SideNames:
    """Side id -> position and label, from the manifest's sides."""

    def __init__(self, sides=()):
        self.index = {s.id: i for i, s in enumerate(sides)}
        self.labels = {s.id: s.label for s in sides}
        self.order = [s.id for s in sides]

    def label(self, side: str | None) -> str:
        if side is None:
            return "side unknown"
        return self.labels.get(side, side)

    def style(self, side: str | None) -> str:
        return side_style(self.position(side))

    def position(self, side: str | None) -> int | None:
        if side is None:
            return None
        return self.index.get(side, len(self.index) + sum(map(ord, side)) % 3)
