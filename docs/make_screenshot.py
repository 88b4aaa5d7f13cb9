"""Make docs/screenshot.png: a realistic message sent to the built-in server, log included.

Run under a real X server with a CJK font installed (Debian: ``xvfb fonts-noto-cjk``):

    xvfb-run -a -s "-screen 0 1280x1024x24" .venv/bin/python docs/make_screenshot.py [OUT]

It uses a throwaway home folder, so it never touches your accounts or drafts.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from shotwindow import screenshot_window, shot_arguments

OUT = Path(__file__).resolve().parent / "screenshot.png"


def chart_png(path: Path) -> None:
    """A small bar chart, drawn with Qt, to insert as an inline image."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter, QPen

    image = QImage(340, 150, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#888888"), 1))
    painter.drawLine(20, 10, 20, 125)
    painter.drawLine(20, 125, 330, 125)
    for index, (label, value) in enumerate([("Q1", 40), ("Q2", 65), ("Q3", 52), ("Q4", 90)]):
        x = 40 + index * 70
        bar = QRectF(x, 125 - value, 36, value)
        gradient = QLinearGradient(bar.topLeft(), bar.bottomLeft())
        gradient.setColorAt(0, QColor("#4a90d9"))
        gradient.setColorAt(1, QColor("#2f6db3"))
        painter.fillRect(bar, gradient)
        painter.setPen(QColor("#333333"))
        painter.drawText(QRectF(x - 10, 128, 56, 18), int(Qt.AlignmentFlag.AlignCenter), label)
    painter.end()
    image.save(str(path), "PNG")


def main(argv: list[str] | None = None) -> int:
    args = shot_arguments(__doc__, OUT, 1100, 940, argv)
    work, window, app = screenshot_window(args.lang, "mc-shot-")
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QMessageBox

    window.resize(args.width, args.height)
    window.resizeDocks([window.log_dock], [250], Qt.Orientation.Vertical)

    report = work / "2024年第三季度销售报告.pdf"
    report.write_bytes(b"%PDF-1.4\n" + os.urandom(1_800_000))
    sheet = work / "customers-q3.xlsx"
    sheet.write_bytes(os.urandom(240_000))
    chart = work / "chart.png"
    chart_png(chart)

    def compose() -> None:
        window.to_field.setText("王芳 <wang.fang@example.cn>, Tom Baker <tom@example.org>")
        window.cc_button.setChecked(True)
        window.cc_field.setText("team@example.org")
        window.subject_field.setText("第三季度销售报告 — Q3 sales report")
        window.editor.setHtml(
            "<p>王芳，你好！</p>"
            "<p>附件是<b>第三季度</b>的销售报告，要点如下：</p>"
            "<ul><li>销售额同比增长 <b><span style='color:#2e8b57'>18%</span></b></li>"
            "<li>新客户 <i>42</i> 家，华东区表现最好</li>"
            "<li>Q4 目标：<u>突破 1,200 万</u></li></ul>"
            "<p>季度走势如下图：</p>"
        )
        cursor = window.editor.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        cursor.insertBlock()
        window.editor.setTextCursor(cursor)
        window.editor.insert_image_file(str(chart))
        window.attachments.model.add_files([report, sheet])
        window.controller.finished.connect(lambda: QTimer.singleShot(700, shoot))
        window.send()

    def shoot() -> None:
        for widget in app.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                widget.done(0)
        window.editor.verticalScrollBar().setValue(0)
        app.processEvents()
        window.grab().save(args.out)
        print(f"wrote {args.out}")
        app.quit()

    QTimer.singleShot(600, compose)
    QTimer.singleShot(30_000, app.quit)
    app.exec()
    window.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
