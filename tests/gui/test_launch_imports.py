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
    "email.utils",
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
sys.stdout.flush()
os._exit(0)
"""


def test_the_shown_window_has_not_loaded_what_later_actions_need(tmp_path: Path) -> None:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        MAILCOMPOSER_HOME=str(tmp_path / "home"),
        MAILCOMPOSER_LANG="en",
    )
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(later=LATER)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    shown, loaded = [*out.stdout.splitlines(), "", ""][:2]
    assert shown == "shown True", out.stderr[-2000:]
    assert loaded == "", f"loaded before the first paint: {loaded}"
