"""Make docs/inbox.png and docs/inbox-zh.png: the local server inbox previewing a rich message.

Offscreen, with a CJK font installed for the Chinese one (Debian: ``fonts-noto-cjk``):

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/inbox_screenshots.py
    QT_QPA_PLATFORM=offscreen MAILCOMPOSER_LANG=zh_CN .venv/bin/python docs/inbox_screenshots.py

Messages go through the real built-in server into a throwaway Maildir. English shows the
Message tab, Chinese the Headers & envelope tab.
"""

from __future__ import annotations

import smtplib
import sys
import tempfile
from email import policy
from email.message import EmailMessage
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))


def chart_png() -> bytes:
    """A small bar chart, drawn with Qt, to embed as a cid: image."""
    from PySide6.QtCore import QBuffer, QRectF, Qt
    from PySide6.QtGui import QColor, QImage, QPainter

    image = QImage(300, 120, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor("#888888"))
    painter.drawLine(20, 100, 290, 100)
    for index, (label, value) in enumerate([("Q1", 35), ("Q2", 58), ("Q3", 47), ("Q4", 80)]):
        x = 40 + index * 62
        painter.fillRect(QRectF(x, 100 - value, 34, value), QColor("#3b7dd8"))
        painter.setPen(QColor("#333333"))
        painter.drawText(QRectF(x - 10, 102, 54, 16), int(Qt.AlignmentFlag.AlignCenter), label)
    painter.end()
    buffer = QBuffer()
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def report() -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Alice Wang <alice@example.org>"
    msg["To"] = "Bob Li <bob@example.net>"
    msg["Cc"] = "carol@example.net"
    msg["Subject"] = "季度报告 Quarterly report"
    msg["Date"] = "Sun, 06 Dec 2026 09:30:00 +0800"
    msg["Message-ID"] = "<q4-report.1@example.org>"
    msg.set_content("Hi Bob,\n\nthe Q4 numbers are in the attached report.\n\nAlice\n")
    msg.add_alternative(
        "<html><body style='font-family: sans-serif'>"
        "<p>Hi Bob,</p><p>the <b>Q4</b> numbers are in the attached report:</p>"
        '<p><img src="cid:chart.q4@example.org" alt="chart"></p>'
        '<p><img src="https://newsletter.example.com/open.gif" width="1" height="1"></p>'
        "<p>Alice</p></body></html>",
        subtype="html",
    )
    msg.get_payload()[1].add_related(
        chart_png(), "image", "png", cid="<chart.q4@example.org>", disposition="inline"
    )
    msg.add_attachment(
        b"%PDF-1.4 ...\n", maintype="application", subtype="pdf", filename="季度报告.pdf"
    )
    return msg


def simple(subject: str, sender: str, to: str, hour: int) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Date"] = f"Sun, 06 Dec 2026 0{hour}:12:05 +0800"
    msg.set_content("ok\n")
    return msg


def main() -> None:
    from mailcomposer import i18n

    i18n.set_language(i18n.detect_language())
    from PySide6.QtWidgets import QApplication

    from mailcomposer.sandbox.server import SandboxServer
    from mailcomposer.ui.inbox import SandboxInboxDialog

    app = QApplication.instance() or QApplication([])
    maildir = Path(tempfile.mkdtemp()) / "mailcomposer" / "sandbox" / "Maildir"
    older = [
        (simple("Build 142 passed", "ci@example.org", "dev@example.org", 8), ["dev@example.org"]),
        (simple("Password reset", "noreply@example.com", "u1@example.org", 7), ["u1@example.org"]),
        (simple("Welcome aboard!", "hello@example.com", "new@example.org", 6), ["new@example.org"]),
    ]
    with SandboxServer(maildir) as server, smtplib.SMTP(server.host, server.port) as smtp:
        for msg, rcpts in reversed(older):
            smtp.sendmail(msg["From"], rcpts, msg.as_bytes(policy=policy.SMTP))
        smtp.sendmail(
            "alice@example.org",
            ["bob@example.net", "carol@example.net", "audit@example.org"],
            report().as_bytes(policy=policy.SMTP),
        )
    dialog = SandboxInboxDialog(maildir)
    dialog.resize(1000, 720)
    dialog.show()
    dialog.table.selectRow(0)
    chinese = i18n.language() == "zh_CN"
    dialog.preview.setCurrentIndex(1 if chinese else 0)
    app.processEvents()
    out = DOCS / ("inbox-zh.png" if chinese else "inbox.png")
    dialog.grab().save(str(out))
    print(out, out.stat().st_size)


if __name__ == "__main__":
    main()
