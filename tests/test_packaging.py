"""Installed, the project is one package, `briefing`, that carries its own briefing.

The wheel is built from a copy of the working tree (so nothing is written into the checkout) and
checked against the tree: every package folder, the bundled corpus, the stylesheets and the data
files are in it, and nothing else sits at its top level. Then it is installed into a directory
of its own and run from outside the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from support.paths import ROOT

SKIP_DIRS = {".git", ".venv", "build", "__pycache__", ".mypy_cache", ".pytest_cache", ".hypothesis", ".ruff_cache"}


def _copy_tree(dest: Path) -> Path:
    def ignore(folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n in SKIP_DIRS or n.endswith(".egg-info")}

    shutil.copytree(ROOT, dest, ignore=ignore, symlinks=True)
    return dest


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("wheel")
    tree = _copy_tree(base / "src")
    out = base / "dist"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(tree)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    (built,) = out.glob("briefing-*.whl")
    return built


def _package_dirs() -> list[str]:
    """Every folder of the tree that is a package, as its path inside the installed `briefing`."""
    found = []
    for top in ("index", "tui"):
        for init in sorted((ROOT / top).rglob("__init__.py")):
            found.append(init.parent.relative_to(ROOT).as_posix())
    return found


def test_the_wheel_holds_every_package_folder_and_the_corpus(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "briefing/__init__.py" in names and "briefing/__main__.py" in names
    for folder in _package_dirs():
        assert f"briefing/{folder}/__init__.py" in names, f"{folder} is not in the wheel (add it to pyproject packages)"
    for article in sorted((ROOT / "corpus").iterdir()):
        assert f"briefing/corpus/{article.name}" in names
    for sheet in (ROOT / "tui").rglob("*.tcss"):
        assert f"briefing/{sheet.relative_to(ROOT).as_posix()}" in names
    data = ROOT / "index" / "data"
    for item in (data.iterdir() if data.is_dir() else ()):
        if item.is_file():
            assert f"briefing/index/data/{item.name}" in names
    tops = {n.split("/", 1)[0] for n in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"briefing"}
    assert not any(n.startswith("briefing/tests/") or n.startswith("briefing/scripts/") for n in names)


def test_the_entry_point_is_the_packaged_cli(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    (points,) = [n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt")]
    assert "briefing = briefing.tui.cli:main" in archive.read(points).decode()


def test_installed_outside_the_checkout_it_lists_its_own_briefing(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, PYTHONPATH=str(target), XDG_CACHE_HOME=str(tmp_path / "cache"), XDG_DATA_HOME=str(tmp_path / "data"))
    env.pop("BRIEFING_CORPUS", None)
    where = subprocess.run([sys.executable, "-c", "import briefing; print(briefing.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60)
    assert where.stdout.strip().startswith(str(target)), where.stdout + where.stderr
    run = subprocess.run([sys.executable, "-m", "briefing", "sources", "--json"],
                         cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    rows = json.loads(run.stdout)
    assert len(rows) == len(list((ROOT / "corpus").glob("*.txt")))
    version = subprocess.run([sys.executable, "-m", "briefing", "--version"],
                             cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("briefing ")
