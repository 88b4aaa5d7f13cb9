"""One composer per home folder: a later start hands its mailto: link to the running one.

The real local socket (a named pipe on Windows) carries the arguments; the later
start is played by ``hand_over`` in this process, as ``main()`` calls it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from mailcomposer.store.paths import Home
from mailcomposer.ui.instance import InstanceServer, hand_over, server_name
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
    from mailcomposer.ui.app import _hand_over_to_running, _listen_for_later_starts

    assert not _hand_over_to_running(["mailcomposer"])  # none running: this start runs
    window = make_window()
    _listen_for_later_starts(window)
    (server,) = window.findChildren(InstanceServer)
    try:
        with qtbot.wait_signal(server.arguments_received, timeout=5000):
            assert _hand_over_to_running(["mailcomposer", "mailto:bo@example.org"])
        assert window.to_field.text() == "bo@example.org"
    finally:
        server.close()
