"""General knowledge about outlets, read from the package's data file (index/data/outlets.toml).

Code holds the rules (what a dateline or a sign-off looks like); the data file holds the names
(which abbreviations are news agencies, which words mark a publication's name).
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "outlets.toml"


@dataclass(frozen=True, slots=True)
class Outlets:
    agencies: dict[str, str]  # casefolded short name -> name to show
    media_word: re.Pattern[str]

    def agency(self, name: str) -> str | None:
        """The agency a dateline or sign-off names, or None when it is no agency we know."""
        return self.agencies.get(" ".join(name.split()).casefold())


@functools.cache
def outlets() -> Outlets:
    data = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    agencies = {str(k).casefold(): str(v) for k, v in data.get("agencies", {}).items()}
    words = [str(w) for w in data.get("words", {}).get("media", [])]
    pattern = r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b"
    return Outlets(agencies, re.compile(pattern if words else r"(?!)"))
