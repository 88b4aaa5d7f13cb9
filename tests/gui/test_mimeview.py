"""Tests for the MIME view dialog."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QModelIndex, Qt
from PySide6.QtGui import QColor, QImage

from mailcomposer.ui.inboxloader import wait_for_loads
from mailcomposer.ui.mimeview import SOURCE_LIMIT, MimeViewDialog, lint_findings


@pytest.fixture(autouse=True)
def no_load_left():
    yield
    assert wait_for_loads(), "a load is still running"


# The offscreen platform warns about top-level size hints; harmless here.


def png_bytes() -> bytes:
    image = QImage(8, 6, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7bd5"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


PDF = b"%PDF-1.4\n" + bytes(range(256)) * 4


def multipart_message() -> bytes:  # needs a QGuiApplication for the PNG
    """mixed > (alternative > (plain, related > (html, png)), pdf) like the composer builds."""
    msg = EmailMessage()
    msg["From"] = "Alice <alice@example.org>"
    msg["To"] = "Bob <bob@example.net>"
    msg["Subject"] = "Report 季度报告"
    msg.set_content("Hello Bob,\nthe report is attached.\n")
    msg.add_alternative('<p>Hello <img src="cid:logo@example.org"></p>', subtype="html")
    html = msg.get_payload()[1]
    html.add_related(
        png_bytes(),
        "image",
        "png",
        cid="<logo@example.org>",
        filename="logo.png",
        disposition="inline",
    )
    msg.add_attachment(PDF, maintype="application", subtype="pdf", filename="报告.pdf")
    return msg.as_bytes(policy=policy.SMTP)


def rows(dialog: MimeViewDialog, parent: QModelIndex | None = None) -> list[list[str]]:
    parent = parent if parent is not None else QModelIndex()
    found = []
    for row in range(dialog.model.rowCount(parent)):
        index = dialog.model.index(row, 0, parent)
        found.append([dialog.model.index(row, c, parent).data() for c in range(6)])
        found.extend(rows(dialog, index))
    return found


@pytest.fixture
def dialog(qtbot):
    dialog = MimeViewDialog(multipart_message())
    qtbot.add_widget(dialog)
    return dialog


def test_shows_the_part_tree(dialog):
    assert dialog.objectName() == "mimeView"
    assert dialog.part_paths() == [
        "multipart/mixed",
        "  multipart/alternative",
        "    text/plain",
        "    multipart/related",
        "      text/html",
        "      image/png",
        "  application/pdf",
    ]
    table = {r[0]: r for r in rows(dialog)}
    assert table["image/png"][1:5] == ["inline", "logo.png", "", "base64"]
    assert table["application/pdf"][1:3] == ["attachment", "报告.pdf"]
    assert table["application/pdf"][4] == "base64"
    assert table["text/plain"][3] == "utf-8"
    pdf = dialog.model.index(1, 5, dialog.model.index(0, 0))
    assert dialog.model.part(pdf).get_filename() == "报告.pdf"


def _select(dialog: MimeViewDialog, content_type: str) -> None:
    def find(parent: QModelIndex) -> QModelIndex | None:
        for row in range(dialog.model.rowCount(parent)):
            index = dialog.model.index(row, 0, parent)
            if index.data() == content_type:
                return index
            found = find(index)
            if found is not None:
                return found
        return None

    index = find(QModelIndex())
    assert index is not None
    dialog.tree.setCurrentIndex(index)


def test_text_part_shows_headers_and_decoded_text(dialog):
    _select(dialog, "text/plain")
    assert "Content-Type: text/plain" in dialog.headers_view.toPlainText()
    assert dialog.content_view.toPlainText() == "Hello Bob,\nthe report is attached.\n"


def test_binary_part_says_binary_and_its_size(dialog):
    _select(dialog, "application/pdf")
    assert dialog.content_view.toPlainText() == f"binary, {len(PDF):,} bytes"
    assert "filename" in dialog.headers_view.toPlainText()


def test_image_part_is_previewed(qtbot, dialog):
    with qtbot.wait_signal(dialog.image_shown):  # decoded on a worker thread
        _select(dialog, "image/png")
    assert dialog.content_stack.currentIndex() == 1
    assert not dialog.image_view.pixmap().isNull()


def test_top_level_headers_are_decoded(dialog):
    assert "Subject: Report 季度报告" in dialog.headers_view.toPlainText()


def test_source_tab_shows_at_most_one_megabyte(qtbot):
    raw = multipart_message()
    big = raw + b"x" * (SOURCE_LIMIT + 10)
    dialog = MimeViewDialog()
    qtbot.add_widget(dialog)
    with qtbot.wait_signal(dialog.loaded):  # a big message is parsed on a worker thread
        dialog.set_raw(big)
    # The text view shows CRLF as one line break.
    expected = big[:SOURCE_LIMIT].decode().replace("\r\n", "\n")
    assert dialog.source_view.toPlainText() == expected
    assert "1.0 MiB" in dialog.source_note.text()


def test_findings_listed_under_the_tree(dialog):
    texts = [dialog.findings.item(i).text() for i in range(dialog.findings.count())]
    assert texts  # lint findings, "no problems", or "lint unavailable": never blank
    if lint_findings(multipart_message()) is None:
        assert "not available" in texts[0]


def test_parser_defects_are_findings(qtbot):
    broken = (
        b"Content-Type: multipart/mixed; boundary=x\r\nSubject: s\r\n\r\n"
        b"--x\r\nContent-Type: text/plain\r\n\r\nhi\r\n"  # no closing boundary
    )
    dialog = MimeViewDialog(broken)
    qtbot.add_widget(dialog)
    texts = [dialog.findings.item(i).text() for i in range(dialog.findings.count())]
    assert any("closing boundary is missing" in t for t in texts)  # said in words


def test_unknown_charset_still_shows_text(qtbot):
    raw = (
        b"Content-Type: text/plain; charset=x-no-such-charset\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\nplain words\r\n"
    )
    dialog = MimeViewDialog(raw)
    qtbot.add_widget(dialog)
    assert "plain words" in dialog.content_view.toPlainText()


def test_large_message_is_linted_on_request(qtbot, monkeypatch):
    from mailcomposer.ui import mimeview

    monkeypatch.setattr(mimeview, "LINT_AUTO_LIMIT", 1000)  # any message is "large" now
    broken = multipart_message().replace(b"Hello Bob,\r\n", b"Hello Bob,\n" + b"y" * 1200 + b"\r\n")
    dialog = MimeViewDialog(broken)
    qtbot.add_widget(dialog)
    texts = [dialog.findings.item(i).text() for i in range(dialog.findings.count())]
    assert "Check the message" in texts[0]
    assert not dialog.lint_button.isHidden()
    with qtbot.wait_signal(dialog.checked):  # linted on a worker thread
        dialog.lint_button.click()
    texts = [dialog.findings.item(i).text() for i in range(dialog.findings.count())]
    if mimeview.lint_findings(broken) is not None:
        assert any("998" in t for t in texts)
    assert dialog.lint_button.isHidden()


@pytest.mark.timeout(30)
def test_a_hostile_message_is_described_not_parsed(qtbot) -> None:
    """A message from the sandbox inbox may be anything: 10,000 nested multiparts."""
    from tests.unit.message.test_inspect import deep_multipart

    raw = deep_multipart(10_000)
    dialog = MimeViewDialog()
    qtbot.addWidget(dialog)
    with qtbot.wait_signal(dialog.loaded, timeout=25000):  # big: parsed on a worker thread
        dialog.set_raw(raw)
    assert dialog.message is None
    assert "levels deep" in dialog.summary.text()
    assert dialog.part_paths() == []
    assert dialog.source_view.toPlainText().startswith("From: a@example.org")


def to_cc_bcc_draft():
    from mailcomposer.message.draft import Draft

    return Draft(
        from_addr="Ann <ann@example.org>",
        to="Bob <bob@example.org>",
        cc="dave@example.org",
        bcc="Carol <carol@example.org>, bob@example.org",
        subject="Lab",
        text="Hello\n",
    )


def test_a_draft_preview_shows_what_will_be_sent(qtbot) -> None:
    """Issue 9: the preview had a Bcc header and flagged it while --dry-run saw no problem."""
    from mailcomposer.cli.mimetree import lint
    from mailcomposer.message.mime import build_message

    built = build_message(to_cc_bcc_draft())
    dialog = MimeViewDialog.from_built(built)
    qtbot.add_widget(dialog)
    assert dialog.loading  # the wire bytes are built on a worker thread
    qtbot.waitUntil(lambda: not dialog.loading, timeout=30000)
    assert b"\r\nBcc:" not in b"\r\n" + dialog.raw
    assert "carol" not in dialog.source_view.toPlainText()
    assert "Bcc:" not in dialog.headers_view.toPlainText()
    assert dialog.envelope_rows() == [
        ("MAIL FROM", "ann@example.org", "From"),
        ("RCPT TO", "bob@example.org", "To"),
        ("RCPT TO", "dave@example.org", "Cc"),
        ("RCPT TO", "carol@example.org", "Bcc"),
    ]
    assert not dialog.envelope_box.isHidden()
    envelope_texts = [dialog.envelope_view.item(i).text() for i in range(4)]
    assert envelope_texts[3].startswith("RCPT TO:<carol@example.org>")
    assert "Bcc" in envelope_texts[3]
    shown = [
        dialog.findings.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(dialog.findings.count())
    ]
    assert [level for level, _text in filter(None, shown)] == [
        str(f.level) for f in lint(built.wire().to_bytes())
    ]
    assert not any(level == "error" for level, _text in filter(None, shown))


def test_a_message_without_an_envelope_hides_the_envelope(dialog) -> None:
    assert dialog.envelope_box.isHidden()
    assert dialog.envelope_rows() == []
