"""The house rules of the package that a type checker and the import contracts do not see:
no module imports another module's private names, and no two modules import each other, even
through a function-level import."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

from support.paths import ROOT

PACKAGE_DIRS = ("index", "tui")


def _sources() -> list[Path]:
    return sorted(p for top in PACKAGE_DIRS for p in (ROOT / top).rglob("*.py"))


def _private_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("briefing"):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{path.name}:{node.lineno} imports {node.module}.{alias.name}")
    return found


def test_no_module_imports_another_modules_private_names() -> None:
    offenders = [line for path in _sources() for line in _private_imports(path)]
    assert offenders == []


def test_the_check_sees_a_private_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from briefing.index.text import _CONTROL\nfrom briefing.index.text import sanitize\n")
    assert len(_private_imports(sample)) == 1


def test_no_import_cycles() -> None:
    # Imports under `if TYPE_CHECKING:` are annotations only (never run); every other import
    # counts, a function-level one too.
    graph = grimp.build_graph("briefing", exclude_type_checking_imports=True)
    cycles = set()
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            if imported.startswith("briefing") and graph.chain_exists(importer=imported, imported=importer):
                cycles.add(tuple(sorted((importer, imported))))
    assert sorted(cycles) == []
