"""Wire form: exact size, CRLF, 7bit/8bit choice, dot-stuffing, streamed attachments."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from mailcomposer.message.draft import Attachment, InlineImage
from mailcomposer.message.errors import InputError
from mailcomposer.message.mime import build_message
from mailcomposer.message.wire import base64_size
from tests.unit.message.helpers import PDF, PNG, assert_wire_clean, draft, parse


def unstuff(data: bytes) -> bytes:
    lines = data.split(b"\r\n")
    return b"\r\n".join(line[1:] if line.startswith(b".") else line for line in lines)


@pytest.mark.parametrize("raw_size", [0, 1, 2, 3, 56, 57, 58, 113, 114, 171, 1000, 65536])
def test_base64_size_formula(raw_size: int) -> None:
    data = os.urandom(raw_size)
    expected = base64.encodebytes(data).replace(b"\n", b"\r\n")
    assert base64_size(raw_size) == len(expected)


@pytest.mark.parametrize("size", [0, 1, 56, 57, 58, 4096, 200_001])
@pytest.mark.parametrize("eight_bit", [False, True])
def test_size_equals_bytes(tmp_path: Path, size: int, eight_bit: bool) -> None:
    path = tmp_path / "f.bin"
    data = os.urandom(size)
    path.write_bytes(data)
    built = build_message(
        draft(
            subject="Größe",
            html='<p>ü<img src="i.png"></p>',
            inline_images=[InlineImage("i.png", PNG, "image/png")],
            attachments=[Attachment("f.bin", path=path), Attachment("d.txt", data=b"abc")],
        )
    )
    wire = built.wire(eight_bit)
    raw = wire.to_bytes()
    assert wire.size == len(raw)
    assert_wire_clean(raw)
    assert b"".join(wire.chunks()) == raw
    att = next(iter(parse(raw).iter_attachments()))
    assert att.get_content() == data


@pytest.mark.parametrize("chunk_size", [1, 7, 100, 65536])
def test_data_chunks_dot_stuffing(chunk_size: int) -> None:
    text = ".starts with a dot\nmiddle\n..two dots\n.\nend"
    built = build_message(
        draft(text=text, attachments=[Attachment("x.bin", data=os.urandom(5000))])
    )
    wire = built.wire()
    raw = wire.to_bytes()
    chunks = list(wire.data_chunks(chunk_size))
    assert all(0 < len(c) <= chunk_size for c in chunks)
    stuffed = b"".join(chunks)
    assert b"\r\n..starts with a dot\r\n" in stuffed
    assert b"\r\n...two dots\r\n" in stuffed
    assert b"\r\n..\r\n" in stuffed
    assert not stuffed.endswith(b".\r\n") or stuffed.endswith(b"--\r\n")
    assert unstuff(stuffed) == raw
    # No unstuffed line starting with "." remains.
    assert all(
        not line.startswith(b".") or line.startswith(b"..") for line in stuffed.split(b"\r\n")
    )


def test_dot_stuffing_first_line_of_message_body() -> None:
    built = build_message(draft(text=".only"))
    stuffed = b"".join(built.wire().data_chunks())
    assert b"\r\n\r\n..only\r\n" in stuffed


def test_seven_bit_by_default() -> None:
    built = build_message(draft(text="Grüße\n" + "x" * 1500, html="<p>你好</p>"))
    raw = built.wire().to_bytes()
    assert raw.isascii()
    assert_wire_clean(raw)
    assert b"Content-Transfer-Encoding: quoted-printable" in raw
    msg = parse(raw)
    assert msg.get_body(("plain",)).get_content().startswith("Grüße\n" + "x" * 100)


def test_eight_bit_when_allowed() -> None:
    built = build_message(draft(text="Grüße 你好\n", html="<p>你好</p>"))
    raw = built.wire(eight_bit=True).to_bytes()
    assert b"Content-Transfer-Encoding: 8bit" in raw
    assert "Grüße 你好".encode() in raw
    assert parse(raw).get_body(("plain",)).get_content() == "Grüße 你好\n"


def test_eight_bit_still_qp_for_long_lines() -> None:
    built = build_message(draft(text="ü" * 600))
    raw = built.wire(eight_bit=True).to_bytes()
    assert b"quoted-printable" in raw
    assert_wire_clean(raw)


def test_ascii_text_is_7bit() -> None:
    raw = build_message(draft(text="plain ascii")).wire(eight_bit=True).to_bytes()
    assert b"Content-Transfer-Encoding: 7bit" in raw


def test_bare_line_ends_in_text_become_crlf() -> None:
    raw = build_message(draft(text="a\rb\nc\r\nd")).wire().to_bytes()
    assert_wire_clean(raw)
    assert parse(raw).get_content() == "a\nb\nc\nd\n"


def test_long_headers_are_folded() -> None:
    built = build_message(
        draft(text="x", subject="word " * 400 + "y" * 1200, extra_headers=[("X-Long", "z" * 3000)])
    )
    raw = built.wire().to_bytes()
    assert_wire_clean(raw)
    msg = parse(raw)
    assert msg["Subject"] == "word " * 400 + "y" * 1200


def test_write_to_matches(tmp_path: Path) -> None:
    built = build_message(draft(text="x", attachments=[Attachment("a.pdf", data=PDF)]))
    wire = built.wire()
    target = tmp_path / "out.eml"
    with target.open("wb") as fh:
        assert wire.write_to(fh) == wire.size
    assert target.read_bytes() == wire.to_bytes()


def test_file_that_shrinks_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"x" * 10000)
    wire = build_message(draft(text="x", attachments=[Attachment("f.bin", path=path)])).wire()
    path.write_bytes(b"x" * 10)
    with pytest.raises(InputError) as info:
        wire.to_bytes()
    assert info.value.field == "attachments"


def test_big_attachment_streams_in_chunks(tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    data = os.urandom(3 * 1024 * 1024 + 17)
    path.write_bytes(data)
    built = build_message(draft(text="x", attachments=[Attachment("big.bin", path=path)]))
    # The message tree never holds the file's bytes.
    assert len(built.message.as_bytes()) < 2000
    wire = built.wire()
    total = 0
    for chunk in wire.data_chunks(65536):
        assert len(chunk) <= 65536
        total += len(chunk)
    assert total == wire.size
    assert next(iter(parse(wire.to_bytes()).iter_attachments())).get_content() == data


def test_no_bcc_on_the_wire_ever() -> None:
    built = build_message(draft(text="x", bcc="Hidden <h@example.org>", cc="c@example.org"))
    for eight_bit in (False, True):
        raw = built.wire(eight_bit).to_bytes()
        assert b"\r\nBcc:" not in raw and b"h@example.org" not in raw
    assert b"\r\nBcc: Hidden <h@example.org>\r\n" in built.sent_copy_bytes()
    assert "h@example.org" in built.envelope.recipients
