"""The shown composer window has not loaded what only later actions need (launch budget)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Each is first needed after the window has painted (answering a message, pasting,
# sending, exporting HTML, a list or link edit, an RFC reference, the send checks);
# loaded at start, it would count against benchmarks/gui_launch.py's budget.
LATER = (
    "mailcomposer.message.reply",
    "mailcomposer.message.eml",
    "mailcomposer.message.mime",
    "mailcomposer.message.pastesafe",
    "mailcomposer.message.screening",
    "mailcomposer.store.history",
    "mailcomposer.smtp.rfc",
    "mailcomposer.ui.htmlexport",
    "mailcomposer.ui.linkdialog",
    "mailcomposer.ui.paragraphs",
    "mailcomposer.ui.protocollog.reference",
    "mailcomposer.spelling",
    "mailcomposer.ui.spellservice",
    "mailcomposer.smtp.transcript",
    "mailcomposer.store.imapsettings",
    "mailcomposer.store.oauth",
    "mailcomposer.message.addresses",
    "mailcomposer.ui.outboxrunner",
    "mailcomposer.store.templates",
    "email.utils",
    "datetime",  # only Send Later, kept drafts and the tool windows use it
)

SCRIPT = """
import os, sys
from mailcomposer.ui.app import create_window
import mailcomposer.ui.preload as preload
preload.PRELOAD_DELAY_MS = preload.WARM_UP_DELAY_MS = 10**7  # only what the launch loads
window = create_window(["mailcomposer"])
from PySide6.QtWidgets import QApplication
QApplication.processEvents()
print("shown", window.isVisible())
print(",".join(name for name in {later!r} if name in sys.modules))
import PySide6.QtWidgets as widgets
# A canary: nothing shown uses QMdiArea, so its type exists only when shiboken built
# every QWidget subclass (the first viewport() of Qt's own making does that).
print(isinstance(vars(widgets).get("QMdiArea"), type))
# The text types (QTextFormat builds a 116-member enum) wait for the first formatting;
# QEvent's ~50 subclasses for the first event a Python handler takes whole
# (ui/eventwatch.py): QChildEvent stands for them.
import PySide6.QtCore as core, PySide6.QtGui as gui
early = [("QTextFormat", gui), ("QTextCursor", gui), ("QTextBlock", gui), ("QChildEvent", core)]
print(",".join(name for name, module in early if isinstance(vars(module).get(name), type)))
# Data classes whose methods dataclasses compiled (~0.5 ms each): @record instead.
import dataclasses, mailcomposer.records as records
print(",".join(sorted(
    cls.__module__ + "." + cls.__qualname__
    for module in list(sys.modules.values()) if module.__name__.startswith("mailcomposer")
    for cls in vars(module).values()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls)
    and cls.__module__ == module.__name__ and cls.__init__ is not records._init
)))
sys.stdout.flush()
os._exit(0)
"""


def run_fresh(script: str, home: Path, lines: int = 2) -> tuple[str, ...]:
    """Run ``script`` in a fresh interpreter; return its first ``lines`` lines and stderr."""
    env = dict(
        os.environ, QT_QPA_PLATFORM="offscreen", MAILCOMPOSER_HOME=str(home), MAILCOMPOSER_LANG="en"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    return (*[*out.stdout.splitlines(), *[""] * lines][:lines], out.stderr[-2000:])


def test_the_shown_window_has_not_loaded_what_later_actions_need(tmp_path: Path) -> None:
    shown, loaded, every_widget_type, early_types, compiled, stderr = run_fresh(
        SCRIPT.format(later=LATER), tmp_path / "home", lines=5
    )
    assert shown == "shown True", stderr
    assert loaded == "", f"loaded before the first paint: {loaded}"
    assert every_widget_type == "False", "a viewport() of Qt's making was asked at start"
    assert early_types == "", f"Qt types built before the first paint: {early_types}"
    assert compiled == "", f"dataclasses compiled before the first paint (use @record): {compiled}"


SOURCE_READS = """
import inspect, sys
import mailcomposer.ui  # imports PySide6 and tells it about our modules
read = []
original = inspect.getsource
def recording(obj):
    read.append(getattr(obj, "__name__", "?"))
    return original(obj)
inspect.getsource = recording
import mailcomposer.ui.window, mailcomposer.message.mime, smtplib
ours = ("mailcomposer", *sys.stdlib_module_names)
print(",".join(name for name in read if name.partition(".")[0] in ours))
"""


def test_pyside_reads_the_source_of_none_of_our_modules(tmp_path: Path) -> None:
    # PySide6's __feature__ hook reads each new module's source unless told first: none
    # of ours, and none of the standard library's (email.*, smtplib, json...).
    read, _rest, _stderr = run_fresh(SOURCE_READS, tmp_path)
    assert read == "", f"PySide read the source of: {read}"


def test_our_modules_are_told_to_pyside_as_using_qt_only_in_the_ui() -> None:
    import importlib.util
    import sys

    from mailcomposer.ui import TellPySide

    known: dict[str, int] = {"mailcomposer.ui.window": 5}
    teller = TellPySide(known)
    for name in ("mailcomposer.ui.editor", "mailcomposer.store.history", "json",
                 "email.parser", "mailcomposer.ui.window", "mailcomposer.uix", "mailcomposer",
                 "keyring.backend", "PySide6.QtNetwork", "mailcomposerx"):  # fmt: skip
        assert teller.find_spec(name) is None  # the usual finders still load it
    assert known == {
        "mailcomposer.ui.window": 5,  # an answer already there stays
        "mailcomposer.ui.editor": 0,  # uses PySide
        "mailcomposer.store.history": -1,  # never does (tests/unit/test_boundaries.py)
        "json": -1,  # the standard library never does
        "email.parser": -1,
        "mailcomposer.uix": -1,
        "mailcomposer": -1,
    }  # third-party modules (and PySide's own) are left to PySide to read
    assert any(isinstance(finder, TellPySide) for finder in sys.meta_path)
    assert importlib.util.find_spec("mailcomposer.ui.editor") is not None


FIRST_SEND = """
import os, sys, threading, time
from mailcomposer.ui.app import create_window
from PySide6.QtWidgets import QApplication
window = create_window(["mailcomposer"])
app = QApplication.instance()

def spin(seconds, until=lambda: False):
    end = time.monotonic() + seconds
    while time.monotonic() < end and not until():
        app.processEvents()
        time.sleep(0.005)

spin(20, lambda: window.preloader.is_done())
spin(0.5)  # the warm-up and the outbox runner, as a user writing
window.to_field.setText("bob@example.org")
window.subject_field.setText("first send")
window.editor.setPlainText("hello")
imported = []

class Recorder:
    def find_spec(self, name, path=None, target=None):
        if threading.current_thread() is threading.main_thread() and name not in sys.modules:
            imported.append(name)
        return None

sys.meta_path.insert(0, Recorder())
window.send_action.trigger()
spin(0.2)
spin(30, lambda: not window.is_sending())
sys.meta_path.pop(0)
print("sent", not window.is_sending())
print(",".join(name for name in imported if name.startswith("mailcomposer")))
sys.stdout.flush()
os._exit(0)
"""


def test_the_first_send_imports_nothing_on_the_gui_thread(tmp_path: Path) -> None:
    # The preloader loads what Send needs on a thread; an import left to the first
    # Send runs on the GUI thread and stalls the window (benchmarks/gui_send_stall.py).
    sent, loaded, stderr = run_fresh(FIRST_SEND, tmp_path / "home")
    assert sent == "sent True", stderr
    assert loaded == "", f"imported on the GUI thread by the first send: {loaded}"
