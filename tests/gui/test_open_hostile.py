"""File → Open .eml on a hostile file: a banner that says what is wrong, the draft untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.message.test_inspect import deep_multipart, many_parts


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (deep_multipart(10_000), "levels deep"),
        (many_parts(30_000), "parts"),
        (b"Subject: " + b"x" * 3_000_000 + b"\r\n\r\n", "header"),
        (b"", "empty"),
    ],
    ids=["deep", "parts", "header", "empty"],
)
def test_opening_a_hostile_file_shows_why(window, tmp_path: Path, raw: bytes, says: str) -> None:
    window.subject_field.setText("kept")
    path = tmp_path / "hostile.eml"
    path.write_bytes(raw)
    assert not window.open_eml(path)
    text = window.banner.text()
    assert window.banner.isVisible() and says in text and "hostile.eml" in text
    assert f"{path}: eml:" not in text  # the sentence alone, not the field name
    assert window.subject_field.text() == "kept"
