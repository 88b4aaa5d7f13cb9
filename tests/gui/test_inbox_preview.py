"""The inbox's preview pane: each tab shows the selected message, nothing is fetched remotely."""

from __future__ import annotations

import http.server
import smtplib
import threading
from email import policy
from email.message import EmailMessage

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QFontDatabase, QImage, QTextDocument
from PySide6.QtWidgets import QFileDialog, QMessageBox

from mailcomposer import i18n
from mailcomposer.sandbox.preview import SOURCE_LIMIT, Limits
from mailcomposer.sandbox.server import SandboxServer, write_maildir_message
from mailcomposer.ui.inbox import SandboxInboxDialog
from tests.unit.sandbox.previewmail import (
    CHINESE_NAME,
    CID,
    OTHER_CHINESE_NAME,
    png,
    related_message,
    stored,
)

RCPTS = ["bob@example.net", "carol@example.net", "hidden@example.com"]


class CountingHandler(http.server.BaseHTTPRequestHandler):
    """Counts every request: a preview that fetched a remote image would show up here."""

    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        body = png()
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def web():
    """A real HTTP server on 127.0.0.1; yields (base URL, list of requested paths)."""
    requests: list[str] = []
    handler = type("Handler", (CountingHandler,), {"requests": requests})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="web")
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def maildir(tmp_path):
    path = tmp_path / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (path / sub).mkdir(parents=True)
    return path


@pytest.fixture
def inbox(qtbot, maildir):
    """A dialog with the multipart/related message stored and selected."""
    write_maildir_message(maildir, stored(related_message(), "alice@example.org", RCPTS))
    dialog = SandboxInboxDialog(maildir)
    qtbot.add_widget(dialog)
    with qtbot.wait_signal(dialog.previewed):
        dialog.table.selectRow(0)
    return dialog


def cells(table) -> list[list[str]]:
    return [
        [table.item(row, column).text() for column in range(table.columnCount())]
        for row in range(table.rowCount())
    ]


def test_message_sent_through_the_server_renders_with_its_cid_image_and_no_remote_fetch(
    qtbot, maildir, web
):
    base, requests = web
    remote = f"{base}/pixel.png"
    dialog = SandboxInboxDialog(maildir)
    qtbot.add_widget(dialog)
    dialog.show()
    with SandboxServer(maildir) as server, smtplib.SMTP(server.host, server.port) as smtp:
        smtp.sendmail(
            "alice@example.org", RCPTS, related_message(remote).as_bytes(policy=policy.SMTP)
        )
    dialog.refresh()
    with qtbot.wait_signal(dialog.previewed):
        dialog.table.selectRow(0)
    tab = dialog.preview.message_tab
    assert dialog.preview.currentWidget() is tab
    document = tab.body.document()
    assert f"cid:{CID}" in document.toHtml()
    image = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(f"cid:{CID}"))
    assert isinstance(image, QImage) and (image.width(), image.height()) == (2, 2)
    dialog.grab()  # lay out and paint: every image the document wants is asked for now
    assert requests == []  # the remote image was never fetched
    assert remote in tab.body.blocked
    assert tab.note.isVisibleTo(dialog)
    assert "Remote content blocked: 1 image" in tab.note.text()
    summary = {
        tab.summary.itemAt(row, tab.summary.ItemRole.LabelRole).widget().text(): tab.summary.itemAt(
            row, tab.summary.ItemRole.FieldRole
        )
        .widget()
        .text()
        for row in range(tab.summary.rowCount())
    }
    assert summary == {
        "From:": "Alice <alice@example.org>",
        "To:": "Bob <bob@example.net>",
        "Cc:": "carol@example.net",
        "Subject:": "季度报告 Quarterly report",
        "Date:": "Sun, 06 Dec 2026 04:30:00 +0000",
    }


def test_local_files_are_not_loaded_either(qtbot, inbox, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(png())
    body = inbox.preview.message_tab.body
    body.show_html(f'<img src="{secret.as_uri()}"><img src="{secret}">', {})
    inbox.grab()
    assert body.blocked == [secret.as_uri(), str(secret)]


def test_headers_tab_puts_the_envelope_beside_the_headers(inbox):
    tab = inbox.preview.headers_tab
    assert cells(tab.envelope_table) == [
        ["MAIL FROM", "alice@example.org", "From"],
        ["RCPT TO", "bob@example.net", "To"],
        ["RCPT TO", "carol@example.net", "Cc"],
        ["RCPT TO", "hidden@example.com", "Bcc (in no header)"],
    ]
    labels = [tab.envelope_table.horizontalHeaderItem(c).text() for c in range(3)]
    assert labels == ["SMTP command", "Address (envelope)", "Named in header"]
    rows = {row[0]: row for row in cells(tab.header_table)}
    assert rows["Subject"][1] == "季度报告 Quarterly report"
    assert rows["Subject"][2].startswith("=?utf-8?b?")
    assert "X-RcptTo" not in rows  # the server's envelope lines are not headers
    assert tab.peer.text().endswith("127.0.0.1:50000")


def test_source_tab_is_monospace_and_bounded(qtbot, maildir):
    msg = EmailMessage()
    msg["Subject"] = "big"
    msg.set_content("see attachment")
    msg.add_attachment(b"z" * (2 * SOURCE_LIMIT), maintype="application", subtype="octet-stream")
    write_maildir_message(maildir, stored(msg, "a@example.org", ["b@example.org"]))
    dialog = SandboxInboxDialog(maildir)
    qtbot.add_widget(dialog)
    with qtbot.wait_signal(dialog.previewed):  # over SYNC_BYTES: read on a worker thread
        dialog.table.selectRow(0)
    tab = dialog.preview.source_tab
    assert tab.text.toPlainText().startswith("X-Peer: ('127.0.0.1', 50000)\nX-MailFrom:")
    assert len(tab.text.toPlainText()) <= SOURCE_LIMIT
    assert "Showing the first 1.0 MiB of 2.7 MiB" in tab.note.text()
    fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    assert tab.text.font().family() == fixed.family()


def test_mime_tree_tab(inbox):
    tree = inbox.preview.parts_tab.tree
    root = tree.topLevelItem(0)
    assert (tree.topLevelItemCount(), root.text(0), root.childCount()) == (1, "multipart/mixed", 3)
    related = root.child(0).child(1)
    image = related.child(1)
    assert [image.text(c) for c in range(7)] == [
        "image/png",
        f"{len(png())} bytes",
        "",
        "base64",
        "inline",
        "",
        CID,
    ]
    pdf = root.child(1)
    assert pdf.text(5) == CHINESE_NAME
    assert "filename*=utf-8''" in pdf.text(7) and "=?utf-8?b?" in pdf.text(7)
    assert root.child(2).text(5) == "../../" + OTHER_CHINESE_NAME


def test_attachments_save_one_and_all_with_safe_names(inbox, monkeypatch, tmp_path):
    tab = inbox.preview.attachments_tab
    assert inbox.preview.tabText(4) == "Attachments (2)"
    assert cells(tab.table)[1][0] == OTHER_CHINESE_NAME  # "../../" dropped
    target = tmp_path / "chosen.pdf"
    asked = []

    def save_name(parent, caption, suggested, *args):
        asked.append(suggested)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    with_saved = []
    tab.saved.connect(with_saved.append)
    tab.table.selectRow(0)
    tab.save_button.click()
    assert asked[0].endswith(CHINESE_NAME)
    assert target.read_bytes() == b"%PDF-1.4 fake\n"
    assert with_saved == [[target]]

    folder = tmp_path / "all"
    folder.mkdir()
    (folder / CHINESE_NAME).write_bytes(b"keep me")
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder))
    )
    tab.save_all_button.click()
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [CHINESE_NAME, "季度报告 (2).pdf", OTHER_CHINESE_NAME]
    )
    assert (folder / CHINESE_NAME).read_bytes() == b"keep me"  # never overwritten
    assert (folder / OTHER_CHINESE_NAME).read_bytes() == b"minutes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Maildir", "all", "chosen.pdf"]


def test_plain_text_message_and_no_attachments(qtbot, maildir):
    msg = EmailMessage()
    msg["From"] = "a@example.org"
    msg["Subject"] = "plain"
    msg.set_content("only text here\n")
    write_maildir_message(maildir, stored(msg, "a@example.org", ["b@example.org"]))
    dialog = SandboxInboxDialog(maildir)
    qtbot.add_widget(dialog)
    dialog.table.selectRow(0)
    tab = dialog.preview.message_tab
    assert tab.body.toPlainText() == "only text here\n"
    assert not tab.note.isVisibleTo(dialog)
    assert not dialog.preview.attachments_tab.empty.isHidden()  # its tab is not current
    assert not dialog.preview.attachments_tab.save_all_button.isEnabled()
    assert cells(dialog.preview.headers_tab.envelope_table)[1] == [
        "RCPT TO",
        "b@example.org",
        "Bcc (in no header)",
    ]


def test_preview_follows_the_selection_and_clears_after_delete(qtbot, inbox, maildir, monkeypatch):
    assert inbox.preview.isEnabled()
    with qtbot.assert_not_emitted(inbox.previewed):
        inbox.refresh()  # the same message stays previewed: not parsed again
    assert inbox.preview.preview is not None
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    assert inbox.delete_selected() == 1
    assert inbox.preview.preview is None and not inbox.preview.isEnabled()
    assert inbox.preview.message_tab.body.toPlainText().startswith("Select a message")


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("en", 1, "1 message in "),
        ("en", 2, "2 messages in "),
        ("zh_CN", 1, "中有 1 封邮件"),
        ("zh_CN", 2, "中有 2 封邮件"),
    ],
)
def test_counts_use_plural_forms(qtbot, maildir, language, count, expected):
    i18n.set_language(language)
    for number in range(count):
        msg = EmailMessage()
        msg["Subject"] = f"n{number}"
        msg.set_content("x")
        write_maildir_message(maildir, stored(msg, "a@example.org", ["b@example.org"]))
    dialog = SandboxInboxDialog(maildir)
    qtbot.add_widget(dialog)
    assert expected in dialog.status.text()


def test_a_big_message_waits_for_show_the_whole_message(qtbot, maildir):
    write_maildir_message(maildir, stored(related_message(), "alice@example.org", RCPTS))
    dialog = SandboxInboxDialog(maildir)
    qtbot.add_widget(dialog)
    dialog.limits = Limits(auto_bytes=1000)
    dialog.table.selectRow(0)
    tab = dialog.preview.message_tab
    assert dialog.preview.preview.deferred
    assert "This message is large" in tab.note.text()
    assert tab.whole_button.isVisibleTo(dialog)
    assert cells(dialog.preview.headers_tab.envelope_table)[3][2] == "Bcc (in no header)"
    with qtbot.wait_signal(dialog.previewed):
        tab.whole_button.click()
    assert not dialog.preview.preview.deferred and not tab.whole_button.isVisibleTo(dialog)
    assert f"cid:{CID}" in tab.body.document().toHtml()
