"""Make docs/step.png: the composer paused by *Send step by step* before the first RCPT.

Run headless (a CJK font such as ``fonts-noto-cjk`` makes the Chinese run readable):

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_step_screenshot.py [--lang zh_CN] [OUT]

It steps with Next up to the first RCPT TO, so the protocol log shows the greeting,
EHLO and MAIL with their replies and the pause bar explains the RCPT to come. It uses
a throwaway home folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

from shotwindow import screenshot_window, shot_arguments

OUT = Path(__file__).resolve().parent / "step.png"


def main(argv: list[str] | None = None) -> int:
    args = shot_arguments(__doc__, OUT, 1100, 820, argv)
    _work, window, app = screenshot_window(args.lang, "mc-step-shot-")
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QWidget

    window.resize(args.width, args.height)

    def compose() -> None:
        window.to_field.setText("Tom Baker <tom@example.org>")
        window.subject_field.setText("Q3 sales report")
        window.editor.setPlainText("Hi Tom,\n\nthe numbers are in.\n\nBest, Ann")
        window.composer_actions.send_step_action.trigger()
        QTimer.singleShot(200, step)

    def step() -> None:
        panel = window.findChild(QWidget, "stepPanel")
        waiting = panel.gate.waiting
        if waiting is None or not panel.next_button.isEnabled():
            QTimer.singleShot(100, step)
        elif waiting.verb == "RCPT":
            QTimer.singleShot(300, shoot)  # the log's last batch and the repaint
        else:
            panel.next_button.click()
            QTimer.singleShot(100, step)

    def shoot() -> None:
        app.processEvents()
        image = window.grab().toImage()
        flags = Qt.ImageConversionFlag.ThresholdDither | Qt.ImageConversionFlag.AvoidDither
        image.convertToFormat(image.Format.Format_Indexed8, flags).save(args.out)
        print(f"wrote {args.out}")
        app.quit()

    QTimer.singleShot(600, compose)
    QTimer.singleShot(30_000, app.quit)
    app.exec()
    window.shutdown()
    window.close_without_questions()
    return 0


if __name__ == "__main__":
    sys.exit(main())
