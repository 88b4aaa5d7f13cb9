"""Make docs/log.png: the protocol log after a STARTTLS + AUTH send to the built-in server.

Run headless (a CJK font such as ``fonts-noto-cjk`` makes the Chinese run readable):

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_log_screenshot.py [--lang zh_CN] [OUT]

The window's *Options → Local test server: encryption and login* is switched on, so
the log shows STARTTLS, EHLO again, AUTH, each RCPT's field, and the DATA note
unfolded to what was sent. It uses a throwaway home folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

from shotwindow import screenshot_window, shot_arguments

OUT = Path(__file__).resolve().parent / "log.png"


def main(argv: list[str] | None = None) -> int:
    args = shot_arguments(__doc__, OUT, 1280, 940, argv)
    _work, window, app = screenshot_window(args.lang, "mc-log-shot-")
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QMessageBox

    window.sandbox_secure_action.setChecked(True)
    dock = window.log_dock

    def compose() -> None:
        window.to_field.setText("Tom Baker <tom@example.org>")
        window.cc_button.setChecked(True)
        window.cc_field.setText("team@example.org")
        window.bcc_button.setChecked(True)
        window.bcc_field.setText("archive@example.org")
        window.subject_field.setText("Q3 sales report")
        window.editor.setPlainText("Hi Tom,\n\nthe numbers are in.\n.\nBest, Ann")
        window.controller.finished.connect(lambda: QTimer.singleShot(500, shoot))
        window.send()

    def shoot() -> None:
        for widget in app.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                widget.done(0)
        dock.setFloating(True)
        dock.resize(args.width, args.height)
        dock.set_explain(True)
        model, view = dock.model, dock.view
        data = next(r for r in range(model.rowCount()) if model.detail_at(r))
        view.set_unfolded(data, True)
        first = next(r for r in range(model.rowCount()) if model.line_at(r) == "C: STARTTLS")
        app.processEvents()
        view.scrollTo(model.index(first), view.ScrollHint.PositionAtTop)
        app.processEvents()
        image = dock.grab().toImage()
        # A palette of 256 colours keeps the text crisp at a fraction of the size.
        flags = Qt.ImageConversionFlag.ThresholdDither | Qt.ImageConversionFlag.AvoidDither
        image.convertToFormat(image.Format.Format_Indexed8, flags).save(args.out)
        print(f"wrote {args.out}")
        app.quit()

    QTimer.singleShot(600, compose)
    QTimer.singleShot(30_000, app.quit)
    app.exec()
    window.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
