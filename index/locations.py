"""Every path the engine reads or writes, in one place (platformdirs honours XDG_* variables)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

APP_NAME = "briefing"
BUNDLED_CORPUS = Path(__file__).resolve().parent.parent / "corpus"
MANIFEST_NAME = "briefing.toml"


def corpus_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--corpus DIR, else $BRIEFING_CORPUS, else the bundled briefing."""
    chosen = explicit or os.environ.get("BRIEFING_CORPUS") or BUNDLED_CORPUS
    return Path(chosen).expanduser().resolve()


def corpus_key(corpus: Path) -> str:
    """A short stable name for a corpus directory, used to key its cache and its bookmarks."""
    resolved = str(Path(corpus).resolve())
    digest = hashlib.sha1(resolved.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    name = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in Path(resolved).name)[:40]
    return f"{name or 'corpus'}-{digest}"


def cache_root() -> Path:
    from platformdirs import user_cache_dir  # deferred: only callers that write need it

    return Path(user_cache_dir(APP_NAME, appauthor=False))


def data_root() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def index_dir(corpus: Path) -> Path:
    return cache_root() / "index" / corpus_key(corpus)


def bookmarks_path(corpus: Path) -> Path:
    return data_root() / "bookmarks" / f"{corpus_key(corpus)}.sqlite3"


def settings_path() -> Path:
    return config_root() / "settings.json"


def config_root() -> Path:
    """The user's config dir ($XDG_CONFIG_HOME/briefing/): settings and the keymap."""
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def keymap_path() -> Path:
    return config_root() / "keymap.toml"


def legacy_settings_path() -> Path:
    """Where settings were kept before they moved to the config dir (read once, if present)."""
    return data_root() / "settings.json"


def reading_path(corpus: Path) -> Path:
    """Reading positions and read state of one corpus (keyed like its bookmarks)."""
    return data_root() / "reading" / f"{corpus_key(corpus)}.json"
