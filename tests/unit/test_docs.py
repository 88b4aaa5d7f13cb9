"""The documentation stays inside the repository and in step with the code it describes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mailcomposer.smtp.errors import ExitCode

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.MULTILINE)
EXTERNAL = ("http://", "https://", "mailto:")


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to -."""
    text = re.sub(r"[`*_]", "", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    return {slug(h) for h in HEADING.findall(path.read_text(encoding="utf-8"))}


def links(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)  # code blocks hold no links
    return LINK.findall(text)


def test_there_are_docs_to_check() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in DOCS}
    assert {"README.md", "docs/design.md", "docs/pitfalls.md"} <= names


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_links_point_to_files_in_the_repository(doc: Path) -> None:
    wrong = []
    for target in links(doc):
        if target.startswith(EXTERNAL):
            continue
        path_part, _sep, anchor = target.partition("#")
        resolved = (doc.parent / path_part).resolve() if path_part else doc
        if not resolved.is_relative_to(ROOT) or not resolved.exists():
            wrong.append(f"{target}: no such file in the repository")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            wrong.append(f"{target}: no heading #{anchor} in {resolved.name}")
    assert wrong == []


def test_nothing_points_at_the_shared_folder_outside_the_repository() -> None:
    outside = re.compile(r"\.\./shared|shared/(DESIGN|PITFALLS|STYLE)\.md")
    places = [*DOCS, ROOT / "mailcomposer.spec", ROOT / "pyproject.toml"]
    for folder in ("mailcomposer", "tests", "benchmarks", "docs"):
        places += sorted((ROOT / folder).rglob("*.py"))
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in places
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if outside.search(line)
    ]
    assert found == []


def exit_code_rows() -> dict[int, str]:
    """The rows of design.md's exit-code table: code -> the rest of the row."""
    text = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    section = text.split("### Exit codes", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\|\s*(\d+)\s*\|(.*)\|\s*$", section, re.MULTILINE)
    return {int(code): rest for code, rest in rows}


def test_every_exit_code_is_in_the_design_table() -> None:
    rows = exit_code_rows()
    assert sorted(rows) == sorted(code.value for code in ExitCode)
    for code in ExitCode:
        name, meaning = (cell.strip() for cell in rows[code.value].split("|", 1))
        assert name == f"`{code.name}`"
        assert meaning


def test_the_tests_named_in_the_pitfalls_exist() -> None:
    """Each ``file.py::test_name`` (or ``::test_name`` after one) is a real test function."""
    text = (ROOT / "docs" / "pitfalls.md").read_text(encoding="utf-8")
    current: Path | None = None
    missing, named = [], 0
    for file_part, test in re.findall(r"`((?:[\w]+/)*test_\w+\.py)?::(test_\w+)`", text):
        if file_part:
            current = ROOT / "tests" / file_part
        assert current is not None, f"::{test} before any test file"
        source = current.read_text(encoding="utf-8") if current.is_file() else ""
        named += 1
        if not re.search(rf"^def {test}\(", source, re.MULTILINE):
            missing.append(f"{current.relative_to(ROOT)}::{test}")
    assert named > 50
    assert missing == []
