from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support.paths import BUNDLED


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory, monkeypatch):
    """Every test gets its own cache and data dirs: no test sees another's index or bookmarks."""
    base = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config"))
    monkeypatch.delenv("BRIEFING_CORPUS", raising=False)
    return base


@pytest.fixture
def bundled_copy(tmp_path) -> Path:
    """A writable copy of the bundled briefing."""
    dest = tmp_path / "corpus"
    shutil.copytree(BUNDLED, dest)
    return dest


@pytest.fixture(scope="session")
def bundled_articles():
    from briefing.index.corpus.scan import load_corpus

    return {a.id: a for a in load_corpus(BUNDLED).articles}
