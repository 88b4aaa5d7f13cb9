"""Start the GUI: the QApplication, translations, the composer window and what it opens first."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from mailcomposer.ui import startup_objects

if TYPE_CHECKING:
    from PySide6.QtCore import QLockFile, QTranslator

with startup_objects():
    from PySide6.QtWidgets import QApplication

    from mailcomposer import APP_NAME, __version__, i18n
    from mailcomposer.store.paths import Home
    from mailcomposer.ui.icons import app_icon
    from mailcomposer.ui.replies import start_mode
    from mailcomposer.ui.templates import template_argument
    from mailcomposer.ui.window import ComposerWindow, initial_argument

ORGANIZATION = "mailcomposer"

# Kept alive for the application's lifetime (a collected QTranslator stops translating).
_translators: list[QTranslator] = []


def _ensure_application(argv: Sequence[str]) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication([*argv] if argv else [APP_NAME])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("mailcomposer")
    app.setApplicationVersion(__version__)
    app.setOrganizationName(ORGANIZATION)
    app.setDesktopFileName(APP_NAME)
    app.setWindowIcon(app_icon())
    return app


def _install_translations(app: QApplication) -> None:
    language = i18n.detect_language()
    i18n.set_language(language, Home.from_env().cache)
    for old in _translators:
        app.removeTranslator(old)
    _translators.clear()
    if language == "en":
        return
    # Imported here: an English start has no use for these types (each costs to build).
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    # Qt's own strings (standard dialog buttons: "Cancel", "Save" ...).
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(language), "qtbase", "_", folder):
        app.installTranslator(translator)
        _translators.append(translator)


def create_window(argv: Sequence[str] | None = None) -> ComposerWindow:
    """Create the application if needed and return the shown composer window.

    The event loop is not started. An ``.eml`` path or a ``mailto:`` URL in
    ``argv`` prefills the message; otherwise an autosaved draft is restored.
    """
    # Freeze only at the process's own start-up (we create the QApplication), not in
    # a test session that builds many windows in one long-lived process.
    with startup_objects(freeze=QApplication.instance() is None):
        return _build_window(list(sys.argv if argv is None else argv))


def _build_window(argv: list[str]) -> ComposerWindow:
    app = _ensure_application(argv)
    _install_translations(app)
    home = Home.from_env()
    home.root.mkdir(parents=True, exist_ok=True)
    window = ComposerWindow(home)
    app.aboutToQuit.connect(window.shutdown)
    argument = initial_argument(argv[1:])
    mode = start_mode(argv[1:])
    template = template_argument(argv[1:])
    if template is not None:
        window.tool_windows.templates.open_at_start(template)
    elif argument and mode is not None:
        window.replies.open_at_start(argument, mode)
    elif argument:
        window.files.open_at_start(argument)
    else:
        window.draft_keeper.restore()
    window.check_outbox()
    window.show()
    if not window.to_field.text():
        window.to_field.setFocus()
    else:
        window.editor.setFocus()
    return window


def main(argv: Sequence[str] | None = None) -> int:
    """Run the composer until its window closes; return the exit status.

    If the composer already runs on this home folder, the arguments go to it (it
    opens the mailto: link or .eml there) and this start ends at once: two
    windows would overwrite each other's draft.
    """
    argv = list(sys.argv if argv is None else argv)
    from mailcomposer.ui.qtplatform import platform_can_start

    if not platform_can_start():  # Qt would abort, Python could not say why
        return 1
    if Home.from_env().problem():
        _say_home_problem(argv)
        return 1
    if _hand_over_to_running(argv):
        return 0
    window = create_window(argv)
    # Listening loads QtNetwork: after the first paint, with the preloader's work.
    from PySide6.QtCore import QTimer

    from mailcomposer.ui.preload import PRELOAD_DELAY_MS

    QTimer.singleShot(PRELOAD_DELAY_MS, window, partial(_listen_for_later_starts, window))
    app = QApplication.instance()
    assert app is not None
    status = app.exec()
    window.shutdown()
    _instance_lock.clear()  # the lock file goes: the next start is the first
    return status


def _say_home_problem(argv: list[str]) -> None:
    """Say why the window cannot open (the home folder): on standard error and in a box."""
    from PySide6.QtWidgets import QMessageBox

    i18n.set_language(i18n.detect_language())  # no cache: it would live in that folder
    problem = Home.from_env().problem()
    print(problem, file=sys.stderr)
    _ensure_application(argv)
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, problem)
    box.setObjectName("homeProblemBox")
    box.exec()


# The lock that makes this process the composer of its home folder, held until exit.
_instance_lock: list[QLockFile] = []


def _hand_over_to_running(argv: list[str]) -> bool:
    """True when a composer already runs on this home folder and took ``argv``.

    Else this start holds the home folder's lock from now on (see ``ui/instance.py``).
    """
    from mailcomposer.ui.instance import claim, hand_over, server_name

    home = Home.from_env()
    lock, held_by_another = claim(home)
    if lock is not None:
        _instance_lock[:] = [lock]
        return False
    if not held_by_another:
        return False  # the folder cannot be locked: nobody can tell, start as the first
    _ensure_application(argv)
    return hand_over(server_name(home), argv[1:])


def _listen_for_later_starts(window: ComposerWindow) -> None:
    """Let later starts on the same home folder hand their arguments to ``window``."""
    from mailcomposer.ui.instance import InstanceServer, server_name

    server = InstanceServer(window)
    if server.listen(server_name(window.home)):
        server.arguments_received.connect(window.open_from_another_start)
        server.arguments_received.connect(window.tool_windows.templates.open_argument)


if __name__ == "__main__":
    sys.exit(main())
