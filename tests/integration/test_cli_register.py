"""``mailcomposer register`` / ``unregister`` on Linux, checked with the real xdg-mime."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from mailcomposer import cli

pytestmark = pytest.mark.skipif(
    shutil.which("xdg-mime") is None, reason="xdg-mime (xdg-utils) is not installed"
)


@pytest.fixture
def xdg_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throwaway desktop home: xdg-mime's generic mode, our own data and config folders."""
    for name in ("XDG_CURRENT_DESKTOP", "DESKTOP_SESSION", "KDE_FULL_SESSION",
                 "GNOME_DESKTOP_SESSION_ID", "MATE_DESKTOP_SESSION_ID"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


def query_default(mime_type: str) -> str:
    out = subprocess.run(
        ["xdg-mime", "query", "default", mime_type],
        capture_output=True, text=True, env=dict(os.environ), check=False,
    )  # fmt: skip
    return out.stdout.strip()


def test_register_makes_xdg_mime_name_the_app(xdg_home: Path, capsys) -> None:
    assert cli.main(["register"]) == 0
    desktop = xdg_home / "data" / "applications" / "mailcomposer.desktop"
    text = desktop.read_text(encoding="utf-8")
    assert "MimeType=x-scheme-handler/mailto;message/rfc822;" in text
    assert "%u" in text
    assert query_default("x-scheme-handler/mailto") == "mailcomposer.desktop"
    assert query_default("message/rfc822") == "mailcomposer.desktop"
    assert str(desktop) in capsys.readouterr().out


def test_unregister_takes_it_back(xdg_home: Path, capsys) -> None:
    assert cli.main(["register"]) == 0
    assert cli.main(["unregister"]) == 0
    assert not (xdg_home / "data" / "applications" / "mailcomposer.desktop").exists()
    assert query_default("x-scheme-handler/mailto") == ""
    assert query_default("message/rfc822") == ""


def test_unregister_when_never_registered_is_quiet_success(xdg_home: Path, capsys) -> None:
    assert cli.main(["unregister"]) == 0
