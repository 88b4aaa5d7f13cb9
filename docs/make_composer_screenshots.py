"""Make docs/reply.png and docs/spelling.png (and their ``-zh`` twins) from the composer.

Run headless (``fonts-noto-cjk`` makes the Chinese shots readable):

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_composer_screenshots.py [--lang zh_CN]

``reply``: a realistic message is opened as an .eml, *Message > Reply all* answers it
and a first line of reply is typed above the quote. ``spelling``: a body with a
misspelled word, a Chinese sentence, an address and a URL; once the background
checker has underlined the word, the right-click menu is opened on it and drawn
onto the window's picture. It uses a throwaway home folder.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC
from pathlib import Path

from shotwindow import screenshot_window

DOCS = Path(__file__).resolve().parent
MAX_BYTES = 120_000

ORIGINAL = {
    "en": {
        "from": "Tom Baker <tom@example.org>",
        "to": "Ann Lee <ann@example.com>, Raj Patel <raj@example.net>",
        "cc": "team@example.org",
        "subject": "Planning meeting next week",
        "text": (
            "Hi Ann, hi Raj,\n\n"
            "shall we meet on Tuesday at 10:00 in room 2.14 to plan the Q4 release?\n"
            "Please bring the open issues list.\n\n"
            "Thanks,\nTom\n"
        ),
        "html": (
            "<p>Hi Ann, hi Raj,</p>"
            "<p>shall we meet on <b>Tuesday at 10:00</b> in room 2.14 to plan the Q4 "
            "release?<br>Please bring the open issues list.</p><p>Thanks,<br>Tom</p>"
        ),
        "answer": "Tuesday works for me, I'll bring the list.",
    },
    "zh_CN": {
        "from": "李明 <li.ming@example.cn>",
        "to": "王芳 <wang.fang@example.cn>, 张伟 <zhang.wei@example.cn>",
        "cc": "项目组 <team@example.cn>",
        "subject": "回复: 下周会议安排",
        "text": (
            "王芳、张伟，你们好！\n\n"
            "下周二上午十点在 2.14 会议室讨论第四季度的发布计划，\n"
            "请带上未解决问题的清单。\n\n"
            "谢谢，\n李明\n"
        ),
        "html": (
            "<p>王芳、张伟，你们好！</p>"
            "<p>下周二<b>上午十点</b>在 2.14 会议室讨论第四季度的发布计划，"
            "<br>请带上未解决问题的清单。</p><p>谢谢，<br>李明</p>"
        ),
        "answer": "周二可以，我会带上清单。",
    },
}

SPELLING = {
    "en": (
        "Hi Tom,\n\n"
        "王芳说文件已经发出了。Could you send it again to ann@example.com\n"
        "or put it on https://files.example.org/q3? I did not recieve the file.\n\n"
        "Thanks, Ann"
    ),
    "zh_CN": (
        "李明，你好！\n\n"
        "王芳说文件已经发出了，请重新发到 wang.fang@example.cn\n"
        "或放在 https://files.example.cn/q3 上。I did not recieve the file.\n\n"
        "谢谢，王芳"
    ),
}


def write_original(path: Path, lang: str) -> None:
    """A multipart/alternative message as a mail client would save it."""
    from datetime import datetime
    from email.message import EmailMessage
    from email.utils import format_datetime

    data = ORIGINAL[lang]
    message = EmailMessage()
    message["From"] = data["from"]
    message["To"] = data["to"]
    message["Cc"] = data["cc"]
    message["Subject"] = data["subject"]
    message["Date"] = format_datetime(datetime(2026, 11, 27, 9, 41, tzinfo=UTC))
    message["Message-ID"] = "<20261127094100.4711@mail.example.org>"
    message["References"] = "<20261126170200.1234@mail.example.com>"
    message["In-Reply-To"] = "<20261126170200.1234@mail.example.com>"
    message.set_content(data["text"])
    message.add_alternative(data["html"], subtype="html")
    path.write_bytes(bytes(message))


def wait_until(app, condition, timeout: float = 20.0) -> bool:
    """Run the event loop until ``condition()`` holds; False after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.02)
    return False


def settle(app, seconds: float = 0.4) -> None:
    """Let timers and repaints run for a moment."""
    wait_until(app, lambda: False, seconds)


def discard_question(app, window) -> None:
    """Answer *Discard* when replacing the message asks about unsaved edits."""
    from PySide6.QtWidgets import QMessageBox

    box = window.pending_question()
    if box is not None:
        box.button(QMessageBox.StandardButton.Discard).click()
        settle(app)


def save_small(image, out: Path) -> int:
    """Save ``image`` as PNG; palette it when the full-colour file is over the budget."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    image.save(str(out))
    if out.stat().st_size > MAX_BYTES:
        flags = Qt.ImageConversionFlag.ThresholdDither | Qt.ImageConversionFlag.AvoidDither
        image.convertToFormat(QImage.Format.Format_Indexed8, flags).save(str(out))
    return out.stat().st_size


def shoot_reply(app, window, work: Path, lang: str, out: Path) -> None:
    from PySide6.QtGui import QAction, QTextCursor

    window.new_message()
    settle(app)
    discard_question(app, window)
    source = work / "original.eml"
    write_original(source, lang)
    if not window.open_eml(source):
        raise SystemExit(f"could not open {source}")
    settle(app)
    action = window.findChild(QAction, "replyAllAction")
    action.trigger()
    settle(app)
    discard_question(app, window)  # the opened file counts as unsaved edits
    editor = window.editor
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    editor.setTextCursor(cursor)
    editor.setFocus()
    editor.insertPlainText(ORIGINAL[lang]["answer"] + "\n")
    settle(app, 1.0)
    size = save_small(window.grab().toImage(), out)
    print(f"wrote {out} ({size} bytes)")


def shoot_spelling(app, window, lang: str, out: Path) -> None:
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QImage, QPainter, QTextCursor, QTextDocument

    window.to_field.setText(
        "Tom Baker <tom@example.org>" if lang == "en" else "李明 <li.ming@example.cn>"
    )
    window.subject_field.setText("The Q3 file" if lang == "en" else "第三季度的文件")
    editor = window.editor
    editor.setPlainText(SPELLING[lang])
    editor.setFocus()
    spelling = editor.spelling
    if not wait_until(
        app,
        lambda: spelling.highlighter is not None and spelling.highlighter.is_misspelled("recieve"),
    ):
        raise SystemExit("the spelling checker never marked 'recieve'")
    settle(app, 0.5)  # the rehighlight and its repaint
    found = editor.document().find("recieve", 0, QTextDocument.FindFlag.FindCaseSensitively)
    cursor = QTextCursor(found)
    cursor.setPosition(found.selectionStart() + 3)
    rect = editor.cursorRect(cursor)
    pos = QPoint(rect.center().x(), rect.center().y())
    menu = spelling.context_menu(pos)
    menu.popup(editor.viewport().mapToGlobal(QPoint(pos.x(), rect.bottom() + 4)))
    settle(app, 0.6)
    picture = window.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    painter = QPainter(picture)
    painter.drawPixmap(window.mapFromGlobal(menu.pos()), menu.grab())
    painter.end()
    menu.close()
    size = save_small(picture, out)
    print(f"wrote {out} ({size} bytes)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en", choices=sorted(ORIGINAL))
    parser.add_argument("--width", type=int, default=1000)
    parser.add_argument("--height", type=int, default=600)
    args = parser.parse_args(argv)
    suffix = "" if args.lang == "en" else "-zh"
    work, window, app = screenshot_window(args.lang, "mc-composer-shot-")
    window.resize(args.width, args.height)
    window.log_dock.hide()  # these shots are about writing; the log has its own
    window.show()
    settle(app, 1.0)
    shoot_spelling(app, window, args.lang, DOCS / f"spelling{suffix}.png")
    shoot_reply(app, window, work, args.lang, DOCS / f"reply{suffix}.png")
    window.shutdown()
    window.close_without_questions()
    return 0


if __name__ == "__main__":
    sys.exit(main())
