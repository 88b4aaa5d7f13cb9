"""An answer to an HTML message leaves a line to write on, and the cursor waits there."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from mailcomposer.message.replymode import Mode

pytestmark = pytest.mark.usefixtures("qapp")


def html_message(path: Path) -> Path:
    msg = EmailMessage()
    msg["From"] = "王五 <wangwu@example.com>"
    msg["To"] = "Me <me@localhost>"
    msg["Subject"] = "会议安排"
    msg["Message-ID"] = "<m1@example.com>"
    msg["Date"] = "Fri, 05 Dec 2026 15:30:00 +0800"
    msg.set_content("你好，\n下周一开会。\n")
    msg.add_alternative("<p>你好，</p><p><b>下周一</b>开会。</p>", subtype="html")
    path.write_bytes(msg.as_bytes())
    return path


def block_texts(window) -> list[str]:
    texts, block = [], window.editor.document().begin()
    while block.isValid():
        texts.append(block.text())
        block = block.next()
    return texts


@pytest.mark.parametrize("mode", [Mode.REPLY, Mode.FORWARD])
def test_the_answer_starts_with_an_empty_line(window, tmp_path, mode) -> None:
    """The empty <p></p> above the quote vanished: typing went into "On …, X wrote:"."""
    assert window.replies.load(html_message(tmp_path / "m.eml"), mode)
    texts = block_texts(window)
    assert texts[0] == ""
    assert texts[1].startswith(("On ", "----------"))


def test_a_reply_puts_the_cursor_on_that_line(qtbot, window, tmp_path) -> None:
    """The recipients are filled in: the reply is written next, at the top of the body."""
    window.show()
    window.activateWindow()
    window.to_field.setFocus()
    assert window.replies.load(html_message(tmp_path / "m.eml"), Mode.REPLY)
    qtbot.wait_until(lambda: QApplication.focusWidget() is window.editor)
    assert window.editor.textCursor().position() == 0


def test_a_forward_asks_for_the_recipient_first(qtbot, window, tmp_path) -> None:
    window.show()
    window.activateWindow()
    window.editor.setFocus()
    assert window.replies.load(html_message(tmp_path / "m.eml"), Mode.FORWARD)
    qtbot.wait_until(lambda: QApplication.focusWidget() is window.to_field)
