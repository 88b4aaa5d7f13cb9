"""Package boundaries of docs/design.md: only mailcomposer.ui may import PySide6."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import mailcomposer


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(mailcomposer.__path__, "mailcomposer."):
        if info.name.startswith("mailcomposer.ui") or info.name == "mailcomposer.__main__":
            continue
        names.append(info.name)
    return names


def test_core_never_loads_pyside6() -> None:
    modules = core_modules()
    assert "mailcomposer.cli" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(','.join(loaded))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"PySide6 loaded by the core: {out.stdout}"


# docs/design.md's table: what each core package may import from mailcomposer (besides
# itself and the top-level helpers every module may use). The sandbox also needs the
# smtp types (its settings() returns a ServerSettings).
ALLOWED = {
    "message": {"message"},
    "smtp": {"smtp", "message"},
    "store": {"store", "message", "smtp"},
    "sandbox": {"sandbox", "message", "smtp"},
    "oauth": {"oauth", "message", "smtp", "store"},
    # The command line may use everything but the Qt code.
    "cli": {
        "cli",
        "message",
        "smtp",
        "store",
        "sandbox",
        "submission",
        "terminal",
        "selftest",
        "oauth",
        "lessons",
    },
    "lessons": {"lessons", "sandbox", "smtp", "message"},
}
SHARED = {"mailcomposer", "mailcomposer.i18n", "mailcomposer.records"}
# The command line hands "mailcomposer FILE.eml" (no command) to the window, importing
# it only then; nothing else of the CLI touches mailcomposer.ui.
EXCEPTIONS: dict[str, set[str]] = {"cli": {"mailcomposer.ui"}}


def imported_mailcomposer_modules(path: Path) -> set[str]:
    """Every ``mailcomposer...`` module ``path`` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return {name for name in found if name.split(".")[0] == "mailcomposer"}


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_core_packages_import_only_what_design_allows(package: str) -> None:
    root = Path(mailcomposer.__file__).parent / package
    wrong = []
    for path in sorted(root.rglob("*.py")):
        allowed_here = SHARED | EXCEPTIONS.get(package, set())
        for name in sorted(imported_mailcomposer_modules(path) - allowed_here):
            if name.split(".")[1] not in ALLOWED[package]:
                wrong.append(f"{path.relative_to(root.parent)} imports {name}")
    assert wrong == []
