"""A statement as the issue finder reads it (index/issues.py `StatementLike`), for the issues tests."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class St:
    text: str
    outlet: str
    speaker: str | None = None
    source: str = "s"
    issues: list[str] = field(default_factory=list)
