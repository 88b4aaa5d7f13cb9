"""An .eml file that asks for a read receipt (RFC 8098) still asks for it once reopened."""

from __future__ import annotations

from pathlib import Path

from mailcomposer.message.eml import read_eml, write_eml
from mailcomposer.message.mime import build_message
from mailcomposer.message.receipts import READ_RECEIPT_HEADER
from mailcomposer.message.reply import Mode, respond
from tests.unit.message.helpers import draft, parse


def test_a_read_receipt_survives_a_save_and_an_open(tmp_path: Path) -> None:
    path = tmp_path / "asks.eml"
    write_eml(build_message(draft(read_receipt=True, text="Did you read it?")), path)
    assert parse(path.read_bytes())[READ_RECEIPT_HEADER] == "<ann@example.org>"
    reopened = read_eml(path)
    assert reopened.read_receipt is True
    assert reopened.extra_headers == []  # carried as the draft's choice, not a raw header
    again = build_message(reopened).wire().to_bytes()
    assert again.count(b"Disposition-Notification-To:") == 1
    assert parse(again)[READ_RECEIPT_HEADER] == "<ann@example.org>"


def test_no_request_opens_as_none(tmp_path: Path) -> None:
    path = tmp_path / "plain.eml"
    write_eml(build_message(draft(text="Hello.")), path)
    reopened = read_eml(path)
    assert reopened.read_receipt is False
    assert READ_RECEIPT_HEADER not in parse(build_message(reopened).wire().to_bytes())


def test_a_foreign_request_asks_for_a_receipt_at_the_from_address() -> None:
    raw = (
        b"From: Ann <ann@example.org>\r\nTo: bob@example.net\r\nSubject: Hi\r\n"
        b"disposition-notification-to: Ann's assistant <desk@example.org>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nHello.\r\n"
    )
    reopened = read_eml(raw)
    assert reopened.read_receipt is True
    assert parse(build_message(reopened).wire().to_bytes())[READ_RECEIPT_HEADER] == (
        "<ann@example.org>"
    )


def test_a_reply_to_a_message_that_asks_does_not_ask_in_turn() -> None:
    raw = build_message(draft(read_receipt=True, text="Did you read it?")).wire().to_bytes()
    answer = respond(raw, Mode.REPLY, from_addr="bob@example.net")
    assert answer.read_receipt is False
