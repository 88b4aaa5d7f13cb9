"""Lint of raw messages: line ends, lengths, 8-bit, Bcc, required headers, cid references."""

from __future__ import annotations

from mailcomposer.message.draft import Attachment, InlineImage
from mailcomposer.message.lint import Level, lint
from mailcomposer.message.mime import build_message
from tests.unit.message.helpers import PNG, draft

GOOD_HEAD = (
    b"From: a@example.org\r\nTo: b@example.org\r\nDate: Mon, 06 May 2024 07:08:09 +0000\r\n"
    b"Message-ID: <1@example.org>\r\nSubject: x\r\n"
)


def texts(raw: bytes, **kwargs) -> list[str]:
    return [f.text for f in lint(raw, **kwargs) if f.level == Level.ERROR]


def test_built_messages_are_clean() -> None:
    built = build_message(
        draft(
            subject="Grüße",
            html='<p>x<img src="i.png"></p>',
            inline_images=[InlineImage("i.png", PNG, "image/png")],
            attachments=[Attachment("报告.pdf", data=b"%PDF-1.4")],
            text="ü" * 2000,
        )
    )
    assert lint(built.wire().to_bytes()) == []
    assert lint(built.wire(eight_bit=True).to_bytes()) == []


def test_smtputf8_message_is_clean_with_an_info() -> None:
    raw = build_message(draft(to="用户@例子.中国", text="x")).wire().to_bytes()
    findings = lint(raw)
    assert [f.level for f in findings] == [Level.INFO]


def test_good_handwritten_message() -> None:
    assert texts(GOOD_HEAD + b"\r\nbody\r\n") == []


def test_bare_lf_and_cr() -> None:
    found = texts(GOOD_HEAD + b"\r\nline\nother\rthird\r\n")
    assert "1 line ends are a bare LF instead of CRLF" in found
    assert "1 bare CR characters" in found


def test_long_line() -> None:
    found = texts(GOOD_HEAD + b"\r\n" + b"x" * 999 + b"\r\n")
    assert found == ["Line 7 is 999 bytes long; the limit is 998"]


def test_missing_crlf_at_end() -> None:
    assert "The message does not end with CRLF" in texts(GOOD_HEAD + b"\r\nbody")


def test_eight_bit_undeclared() -> None:
    found = texts(GOOD_HEAD + "\r\nGrüße\r\n".encode())
    assert found == ["A text/plain part has 8-bit bytes but says 7bit"]
    raw = GOOD_HEAD + b"Content-Transfer-Encoding: 8bit\r\n" + "\r\nGrüße\r\n".encode()
    assert texts(raw) == []


def test_eight_bit_headers() -> None:
    found = texts(GOOD_HEAD.replace(b"Subject: x", "Subject: ü".encode()) + b"\r\nx\r\n")
    assert any("headers contain 8-bit" in f for f in found)


def test_bcc_and_missing_headers() -> None:
    raw = b"To: b@example.org\r\nBcc: c@example.org\r\n\r\nx\r\n"
    found = texts(raw)
    assert "A Bcc header would reveal the hidden recipients to everyone" in found
    for name in ("From", "Date", "Message-ID"):
        assert f"The required header {name} is missing" in found


def test_header_defects_are_reported() -> None:
    raw = GOOD_HEAD.replace(b"To: b@example.org", b"To: <b@example.org") + b"\r\nx\r\n"
    assert any(f.level == Level.WARNING for f in lint(raw))


def test_cid_checks() -> None:
    raw = (
        GOOD_HEAD + b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n'
        b'--b\r\nContent-Type: text/html\r\n\r\n<img src="cid:one@x"><img src="cid:two@x">\r\n'
        b"--b\r\nContent-Type: image/png\r\nContent-ID: <one@x>\r\n\r\nAA==\r\n"
        b"--b\r\nContent-Type: image/png\r\nContent-ID: <one@x>\r\n\r\nAA==\r\n"
        b"--b--\r\n"
    )
    found = texts(raw)
    assert "The Content-ID <one@x> is used by 2 parts" in found
    assert "The HTML refers to cid:two@x but no part has that Content-ID" in found


def test_a_cut_multipart_says_what_is_wrong_in_words() -> None:
    # The parser's defects carry no text: the finding ended in "malformed: " and nothing.
    cut = (
        b"From: a@example.org\r\nDate: Sun, 06 Dec 2026 10:00:00 +0800\r\n"
        b"Message-ID: <c@example.org>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
    )
    texts = [f.text for f in lint(cut)]
    assert any("closing boundary is missing" in t for t in texts), texts
    assert not any(t.rstrip().endswith(":") for t in texts), texts


def test_every_part_defect_is_described() -> None:
    from email import errors

    from mailcomposer.message.defects import describe_defect

    for name in dir(errors):
        kind = getattr(errors, name)
        if isinstance(kind, type) and issubclass(kind, errors.MessageDefect):
            defect = kind("x") if kind is errors.NonPrintableDefect else kind()
            text = describe_defect(defect)
            assert text and not text.endswith("Defect"), (name, text)
