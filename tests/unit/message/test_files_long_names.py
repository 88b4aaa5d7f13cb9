"""Atomic writes of files whose names are as long as the file system allows."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailcomposer.message.eml import write_eml
from mailcomposer.message.files import atomic_write
from mailcomposer.message.mime import build_message
from tests.unit.message.helpers import draft


@pytest.mark.parametrize(
    "name",
    [
        "r" * 250 + ".eml",  # 254 characters: Windows and Linux both take it
        "季度报告" * 20 + ".eml",  # 84 characters, 244 UTF-8 bytes: ext4 takes it
    ],
)
def test_a_name_at_the_limit_is_written(tmp_path: Path, name: str):
    target = tmp_path / name
    atomic_write(target, b"data")
    assert target.read_bytes() == b"data"
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary left over


def test_an_eml_with_the_longest_name_is_saved(tmp_path: Path):
    target = tmp_path / ("m" * 251 + ".eml")
    write_eml(build_message(draft(subject="x")), target)
    assert b"\r\nSubject: x\r\n" in target.read_bytes()


def test_the_temporary_name_is_never_longer_than_a_long_target(tmp_path: Path, monkeypatch):
    from mailcomposer.message import files

    made: list[str] = []
    real = files.make_temp_file

    def spy(folder, prefix, suffix):
        fd, path = real(folder, prefix, suffix)
        made.append(Path(path).name)
        return fd, path

    monkeypatch.setattr(files, "make_temp_file", spy)
    name = "n" * 200 + ".pdf"  # a Windows path near 260 stays under it for the temporary too
    atomic_write(tmp_path / name, b"%PDF")
    assert len(made) == 1 and len(made[0]) <= len(name)
