"""briefing: a terminal reader for a news briefing.

Installed, this repository is one package: `briefing.index` (the engine, no Textual),
`briefing.tui` (the reader and the command line) and `briefing/corpus` (the bundled briefing,
package data). The folders stay where the design card puts them; pyproject.toml maps them.
"""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # Looked up on first use: importlib.metadata (with zipfile, email and csv behind it) costs the
    # reader's start-up ~20 ms, and only `--version` and the web fetcher's User-Agent need it.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("briefing")
        except PackageNotFoundError:  # run from a source tree that was never installed
            value = "0+unknown"
        globals()["__version__"] = value
        return value
    raise AttributeError(f"module 'briefing' has no attribute {name!r}")
