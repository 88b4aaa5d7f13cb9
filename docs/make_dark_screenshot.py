"""Make docs/dark.png: the composer in a dark palette, with an error notice and spelling marks.

Run headless from the checkout's root:

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_dark_screenshot.py [OUT]

The palette is the dark one the palette tests use (``tests/gui/test_palette.py``), on
Qt's Fusion style, as a dark desktop would give it. It uses a throwaway home folder.
"""

from __future__ import annotations

import time
from pathlib import Path

from shotwindow import ROOT, screenshot_window, shot_arguments

OUT = Path(__file__).resolve().parent / "dark.png"


def main(argv: list[str] | None = None) -> int:
    args = shot_arguments(__doc__, OUT, 900, 620, argv)
    import sys

    from PySide6.QtWidgets import QApplication

    app = QApplication(["mailcomposer"])  # the style and palette before the window
    app.setStyle("Fusion")
    sys.path.insert(0, str(ROOT))
    from tests.gui.test_palette import dark_palette

    app.setPalette(dark_palette())
    _work, window, app = screenshot_window(args.lang, "mc-dark-shot-")
    window.resize(args.width, args.height)
    window.to_field.setText("Bo Lin <bo@example.org>")
    window.subject_field.setText("Minutes of Tuesday's meeting")
    window.editor.setPlainText(
        "Hi Bo,\n\nI did not recieve the minutes yet; could you send them to "
        "ann@example.org?\nThe notes are at https://wiki.example.org/meetings.\n\n谢谢！\nAnn"
    )
    window.status_area.show_error(
        "Sending failed: the server answered 550 5.1.1 (mailbox unavailable). Nothing was sent."
    )
    deadline = time.monotonic() + 2.0  # the spelling marks come from a background check
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    window.grab().save(args.out, "PNG")
    window.close_without_questions()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
