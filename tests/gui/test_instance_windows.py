"""Handing over to the running composer as a Windows user meets it.

The later start runs in another folder and is the one Windows lets take the
foreground; the real local socket carries the arguments (``hand_over`` plays the
later start in this process, as ``main()`` calls it).
"""

from __future__ import annotations

import ctypes
import os
import sys
from types import SimpleNamespace

from mailcomposer.store.paths import Home
from mailcomposer.ui.instance import InstanceServer, absolute_arguments, hand_over, server_name


def listening(home: Home, parent) -> InstanceServer:
    server = InstanceServer(parent)
    assert server.listen(server_name(home))
    return server


def test_a_relative_eml_reaches_the_running_composer_as_an_absolute_path(
    qtbot, make_window, home, tmp_path, monkeypatch
):
    elsewhere = tmp_path / "张三的文件"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    window = make_window()
    server = listening(home, window)
    try:
        with qtbot.wait_signal(server.arguments_received, timeout=5000) as received:
            assert hand_over(server_name(home), ["report.eml"])
        assert received.args == [[str(elsewhere / "report.eml")]]
    finally:
        server.close()


def test_only_the_message_file_is_made_absolute():
    cwd = os.path.join(os.sep, "work")
    arguments = ["--reply", "--template", "Weekly", "mailto:a@example.org", "../in/a.eml"]
    assert absolute_arguments(arguments, cwd) == [
        "--reply",
        "--template",
        "Weekly",
        "mailto:a@example.org",
        os.path.join(os.sep, "in", "a.eml"),
    ]


def test_on_windows_the_later_start_lets_the_running_window_come_forward(
    qtbot, make_window, home, monkeypatch
):
    calls: list[tuple[str, int]] = []

    def allow(process_id: int) -> int:
        calls.append(("allow", process_id))
        return 1

    monkeypatch.setattr(sys, "platform", "win32")
    user32 = SimpleNamespace(AllowSetForegroundWindow=allow)
    monkeypatch.setattr(ctypes, "windll", SimpleNamespace(user32=user32), raising=False)
    window = make_window()
    server = listening(home, window)
    server.arguments_received.connect(lambda args: calls.append(("opened", len(args))))
    try:
        with qtbot.wait_signal(server.arguments_received, timeout=5000):
            assert hand_over(server_name(home), ["mailto:bo@example.org"])
    finally:
        server.close()
    assert calls == [("allow", -1), ("opened", 1)]  # ASFW_ANY, before the link is sent
