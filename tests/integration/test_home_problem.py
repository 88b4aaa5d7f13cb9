"""A MAILCOMPOSER_HOME that cannot hold files is said in words at the start, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mailcomposer.store.paths import Home


@pytest.fixture
def unusable(tmp_path: Path) -> Path:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    return blocker / "home"


def run(args: list[str], home: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MAILCOMPOSER_HOME=str(home), MAILCOMPOSER_LANG="en", **extra)
    return subprocess.run(
        [sys.executable, "-m", "mailcomposer", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_the_problem_names_the_folder_and_what_to_do(unusable: Path, tmp_path: Path) -> None:
    assert "MAILCOMPOSER_HOME" in Home(unusable).problem()
    assert str(unusable) in Home(unusable).problem()
    assert Home(tmp_path / "fine").problem() == ""
    assert (tmp_path / "fine").is_dir() and list((tmp_path / "fine").iterdir()) == []


@pytest.mark.parametrize("args", [["send", "--to", "bo@example.org", "--text", "x"], ["history"]])
def test_a_command_that_needs_the_folder_exits_2_with_the_reason(args, unusable: Path) -> None:
    done = run(args, unusable)
    assert done.returncode == 2
    assert "MAILCOMPOSER_HOME" in done.stderr and "Traceback" not in done.stderr


def test_inspect_needs_no_home_folder(unusable: Path, tmp_path: Path) -> None:
    message = tmp_path / "m.eml"
    message.write_bytes(b"From: a@example.org\r\nSubject: hi\r\n\r\nbody\r\n")
    assert run(["inspect", str(message)], unusable).returncode == 0


GUI = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from mailcomposer.ui import app

def close_the_box():
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == "homeProblemBox" and widget.isVisible():
            print("box:", widget.text(), flush=True)
            widget.done(0)
            return
    QTimer.singleShot(20, close_the_box)

real = app._ensure_application
def ensure(argv):
    made = real(argv)
    QTimer.singleShot(20, close_the_box)
    return made
app._ensure_application = ensure
sys.exit(app.main(["mailcomposer"]))
"""


def test_the_window_says_it_in_a_box_and_exits_1(unusable: Path) -> None:
    env = dict(
        os.environ,
        MAILCOMPOSER_HOME=str(unusable),
        MAILCOMPOSER_LANG="en",
        QT_QPA_PLATFORM="offscreen",
    )
    done = subprocess.run(
        [sys.executable, "-c", GUI], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert "box: mailcomposer cannot keep its files" in done.stdout
    assert "MAILCOMPOSER_HOME" in done.stderr and "Traceback" not in done.stderr
