"""GUI fixtures: the composer window, quick autosave, and a guard against leaked send threads."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from mailcomposer.store.paths import Home


@contextlib.contextmanager
def send_thread_guard() -> Iterator[None]:
    """Raise AssertionError if the block leaves a send QThread registered as running."""
    from mailcomposer.ui.sendcontroller import live_threads

    before = set(map(id, live_threads()))
    yield
    leaked = [t for t in live_threads() if id(t) not in before]
    for thread in leaked:
        thread.wait(5000)  # let it end so the rest of the session survives
    assert not leaked, f"send threads left running: {[t.objectName() for t in leaked]}"


@pytest.fixture(autouse=True)
def no_running_send_threads() -> Iterator[None]:
    """Fail a test that leaves a send QThread running (it would abort the interpreter)."""
    with send_thread_guard():
        yield


@pytest.fixture
def home(mailcomposer_home: Path) -> Home:
    return Home(mailcomposer_home)


def close_window(window) -> None:
    """Tear a window down whatever state a test left it in (questions open, send running)."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            widget.done(0)
    window.shutdown()
    window.close_without_questions()
    window.deleteLater()
    QApplication.processEvents()


@pytest.fixture
def make_window(qtbot, mailcomposer_home: Path):
    """Return a factory creating composer windows through ``create_window`` (closed after)."""
    from mailcomposer.ui.app import create_window

    windows = []

    def make(argv: list[str] | None = None):
        window = create_window(["mailcomposer", *(argv or [])])
        window.draft_keeper.set_autosave_delay(50)  # the 2 s burst delay, shortened for tests
        windows.append(window)
        return window

    yield make
    for window in windows:
        close_window(window)


@pytest.fixture
def window(make_window):
    """A fresh composer window on an empty home folder."""
    return make_window()


def find_box(name: str) -> QMessageBox | None:
    """The visible QMessageBox with objectName ``name``, if any."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.objectName() == name and widget.isVisible():
            return widget
    return None


def click(box: QMessageBox, button: QMessageBox.StandardButton) -> None:
    box.button(button).click()


def shown_dock(qtbot, width: int, height: int):
    """A protocol log dock at the foot of a shown ``width`` x ``height`` window.

    The window owns the dock and must outlive the test: qtbot closes it at the end.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMainWindow

    from mailcomposer.ui.protocollog import ProtocolLogDock

    window = QMainWindow()
    qtbot.add_widget(window)
    dock = ProtocolLogDock(window)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    window.resize(width, height)
    window.show()
    qtbot.wait_exposed(window)
    dock.test_window = window  # qtbot keeps no strong reference: the window lives with the dock
    return dock


@pytest.fixture(params=["en", "zh_CN"])
def language(request):
    """Run the test in English and in Simplified Chinese (the two shipped languages)."""
    from mailcomposer import i18n

    i18n.set_language(request.param)
    yield request.param
    i18n.set_language("en")
