"""The reader's widgets, one module per pane."""


def focus_now(widget) -> None:
    """Focus `widget` at once.

    `Widget.focus()` waits for the message queue, so keys typed right after the key that moved
    the focus (`/` then the query, `2` then `j`) would still reach the old widget.
    """
    widget.screen.set_focus(widget)
