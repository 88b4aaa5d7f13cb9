"""Packaging: what a plain ``pip install .`` ships (resources included, every package listed)."""

from __future__ import annotations

import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "mailcomposer").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


@pytest.mark.slow
def test_the_wheel_carries_icons_presets_and_catalogs(tmp_path: Path) -> None:
    import subprocess
    import sys

    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("mailcomposer-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for resource in (ROOT / "resources").rglob("*"):
        if resource.is_file():
            inside = "mailcomposer/resources/" + resource.relative_to(ROOT / "resources").as_posix()
            assert inside in names, f"{inside} is missing from the wheel"
