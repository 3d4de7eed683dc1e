"""briefing: a terminal reader for a news briefing.

Installed, this repository is one package: `briefing.index` (the engine, no Textual),
`briefing.tui` (the reader and the command line) and `briefing/corpus` (the bundled briefing,
package data). The folders stay where the design card puts them; pyproject.toml maps them.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("briefing")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
