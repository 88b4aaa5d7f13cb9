"""Writing .eml files and reading them back into a Draft that rebuilds the same message."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailcomposer.message.draft import Attachment, InlineImage, Priority
from mailcomposer.message.eml import read_eml, write_eml
from mailcomposer.message.errors import InputError
from mailcomposer.message.mime import build_message
from tests.unit.message.helpers import JPEG, PDF, PNG, draft, parse, shape


def content(raw: bytes) -> list[tuple[str, object, str | None]]:
    """The leaves: type, decoded content (cid references masked), file name."""
    out = []
    for part in parse(raw).walk():
        if part.is_multipart():
            continue
        body = part.get_content()
        if isinstance(body, str):
            import re

            body = re.sub(r"cid:[^\"']+", "cid:X", body)
        out.append((part.get_content_type(), body, part.get_filename()))
    return out


def test_round_trip(tmp_path: Path) -> None:
    pdf = tmp_path / "报告.pdf"
    pdf.write_bytes(PDF)
    original = draft(
        to='"Lee, K" <k@z.org>; zoe@bücher.de',
        cc="Carl <c@example.org>",
        bcc="hidden@example.org",
        reply_to="help@example.org",
        subject="Grüße 你好",
        text="Plain part\n.dot line\n",
        html='<p>Hi <img src="logo.png"><img src="p.jpg"></p>',
        inline_images=[
            InlineImage("logo.png", PNG, "image/png"),
            InlineImage("p.jpg", JPEG, "image/jpeg", filename="photo.jpg"),
        ],
        attachments=[Attachment("报告.pdf", path=pdf), Attachment("notes.txt", data=b"n\n")],
        priority=Priority.HIGH,
    )
    first = build_message(original)
    path = tmp_path / "saved.eml"
    write_eml(first, path)
    saved = path.read_bytes()
    assert saved == first.sent_copy_bytes()
    assert b"\r\n" in saved and b"\r\n.." not in saved  # CRLF, not dot-stuffed

    reopened = read_eml(path)
    assert reopened.subject == "Grüße 你好"
    assert reopened.bcc == "hidden@example.org"
    assert reopened.to == '"Lee, K" <k@z.org>, zoe@bücher.de'  # the domain as typed
    assert reopened.priority == Priority.HIGH
    assert [a.filename for a in reopened.attachments] == ["报告.pdf", "notes.txt"]
    assert all(i.name.startswith("cid:") for i in reopened.inline_images)

    second = build_message(reopened)
    a, b = first.wire().to_bytes(), second.wire().to_bytes()
    assert shape(parse(a)) == shape(parse(b))
    assert content(a) == content(b)
    assert second.envelope.recipients == first.envelope.recipients


def test_read_text_only_from_bytes() -> None:
    raw = build_message(draft(text="hello\n")).wire().to_bytes()
    reopened = read_eml(raw)
    assert reopened.text == "hello\n" and reopened.html is None
    assert reopened.from_addr == "Ann <ann@example.org>"


def test_write_without_bcc(tmp_path: Path) -> None:
    built = build_message(draft(text="x", bcc="h@example.org"))
    write_eml(built, tmp_path / "a.eml", include_bcc=False)
    assert b"Bcc" not in (tmp_path / "a.eml").read_bytes()


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        read_eml(tmp_path / "missing.eml")


def test_round_trip_smtputf8_and_8bit() -> None:
    original = draft(
        from_addr="Zoë <用户@例子.中国>", to="李 <li@example.org>", subject="你好", text="正文 ü\n"
    )
    first = build_message(original)
    raw = first.wire(eight_bit=True).to_bytes()
    reopened = read_eml(raw)
    assert reopened.from_addr == "Zoë <用户@例子.中国>"  # the domain as typed
    assert reopened.to == "李 <li@example.org>"
    assert reopened.subject == "你好"
    assert reopened.text == "正文 ü\n"
    second = build_message(reopened)
    assert second.envelope == first.envelope
