"""Package boundaries of DESIGN.md: only mailcomposer.ui may import PySide6."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

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
