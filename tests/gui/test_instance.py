"""One composer per home folder: a later start hands its mailto: link to the running one.

The real local socket (a named pipe on Windows) carries the arguments; the later
start is played by ``hand_over`` in this process, as ``main()`` calls it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QMessageBox

from mailcomposer.store.paths import Home
from mailcomposer.ui.instance import InstanceServer, claim, hand_over, server_name
from tests.gui.conftest import click, find_box


def listening(home: Home, parent) -> InstanceServer:
    server = InstanceServer(parent)
    assert server.listen(server_name(home))
    return server


def test_nobody_listening_means_this_start_runs(home: Home) -> None:
    assert not hand_over(server_name(home), ["mailto:bo@example.org"], timeout_ms=200)


def test_the_name_follows_the_home_folder(tmp_path) -> None:
    assert server_name(Home(tmp_path / "a")) != server_name(Home(tmp_path / "b"))
    assert server_name(Home(tmp_path / "a")) == server_name(Home(tmp_path / "a"))


def test_a_later_start_hands_its_mailto_to_the_running_window(qtbot, make_window, home) -> None:
    window = make_window()
    server = listening(home, window)
    server.arguments_received.connect(window.open_from_another_start)
    try:
        with qtbot.wait_signal(server.arguments_received, timeout=5000) as received:
            assert hand_over(server_name(home), ["mailto:bo@example.org?subject=From%20a%20link"])
        assert received.args == [["mailto:bo@example.org?subject=From%20a%20link"]]
        assert window.to_field.text() == "bo@example.org"
        assert window.subject_field.text() == "From a link"
    finally:
        server.close()


def test_the_running_window_asks_before_replacing_unsaved_work(qtbot, make_window, home) -> None:
    window = make_window()
    window.subject_field.setText("being written")
    window.open_from_another_start(["--", "mailto:bo@example.org"])
    click(find_box("unsavedDialog"), QMessageBox.StandardButton.Cancel)
    assert window.subject_field.text() == "being written"


def test_main_hands_over_when_a_composer_runs_and_listens_when_none_does(
    qtbot, make_window, home
) -> None:
    from mailcomposer.ui import app
    from mailcomposer.ui.app import _hand_over_to_running, _listen_for_later_starts

    try:
        assert not _hand_over_to_running(["mailcomposer"])  # none running: this start runs
        assert app._instance_lock  # and holds the home folder's lock
        window = make_window()
        _listen_for_later_starts(window)
        (server,) = window.findChildren(InstanceServer)
        try:
            with qtbot.wait_signal(server.arguments_received, timeout=5000):
                assert _hand_over_to_running(["mailcomposer", "mailto:bo@example.org"])
            assert window.to_field.text() == "bo@example.org"
        finally:
            server.close()
    finally:
        app._instance_lock.clear()


RUNNING = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QTimer
from mailcomposer.store.paths import Home
from mailcomposer.ui.instance import InstanceServer, claim, server_name
home = Home(Path(sys.argv[1]))
app = QCoreApplication([])
lock, held = claim(home)
print("locked" if lock else "not locked", flush=True)
server = InstanceServer()
server.arguments_received.connect(lambda args: (print(*args, flush=True), app.quit()))
if sys.argv[2] == "listen-late":
    QTimer.singleShot(400, lambda: server.listen(server_name(home)))  # still painting
    QTimer.singleShot(20000, app.quit)
    app.exec()
else:
    time.sleep(60)  # never listens: killed below
"""


def running_composer(home: Home, mode: str) -> subprocess.Popen:
    """Another process holding ``home``'s lock (``listen-late`` or ``hang``), once it holds it."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    process = subprocess.Popen(
        [sys.executable, "-c", RUNNING, str(home.root), mode],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "locked"
    return process


def test_a_later_start_waits_for_a_composer_still_starting(home) -> None:
    # The lock is held, but the running app listens only once its window has painted.
    process = running_composer(home, "listen-late")
    try:
        assert claim(home) == (None, True)
        assert hand_over(server_name(home), ["mailto:bo@example.org"])
        assert process.stdout.readline().strip() == "mailto:bo@example.org"
        process.wait(timeout=10)
    finally:
        process.kill()
        process.stdout.close()
        process.wait(timeout=10)
    lock, held = claim(home)  # its lock went with it: the next start is the first
    assert lock is not None and not held
    lock.unlock()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_the_lock_of_a_composer_that_crashed_does_not_stop_the_next_start(home) -> None:
    process = running_composer(home, "hang")
    try:
        assert claim(home) == (None, True)  # alive: a composer runs there
    finally:
        process.send_signal(signal.SIGKILL)  # a crash: the lock file stays behind
        process.stdout.close()
        process.wait(timeout=10)
    assert (home.root / "instance.lock").exists()
    lock, held = claim(home)
    assert lock is not None and not held
    lock.unlock()


LOCKED_START = """
import sys
from mailcomposer.ui.app import _hand_over_to_running
before = set(sys.modules)
taken = not _hand_over_to_running(["mailcomposer"])
loaded = sorted(set(sys.modules) - before)
print(taken, "PySide6.QtNetwork" in loaded, "_hashlib" in loaded)
"""


def test_the_first_start_loads_no_networking_and_no_openssl(home) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MAILCOMPOSER_HOME=str(home.root))
    out = subprocess.run(
        [sys.executable, "-c", LOCKED_START], capture_output=True, text=True, env=env, timeout=60
    )
    assert out.stdout.split() == ["True", "False", "False"], out.stderr[-2000:]


def test_a_home_folder_that_cannot_be_made_is_nobodys_lock(tmp_path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert claim(Home(blocker / "home")) == (None, False)
