"""Receipts in the draft and the built message: parsing, header, envelope, round trip."""

from __future__ import annotations

import pytest

from mailcomposer.message.draft import Draft
from mailcomposer.message.errors import InputError
from mailcomposer.message.mime import build_message
from mailcomposer.message.receipts import parse_notify
from mailcomposer.smtp.dsn import dsn_request, xtext


def _draft(**fields) -> Draft:
    return Draft(from_addr="Ann <ann@example.org>", to="bob@example.org", text="hi", **fields)


def test_parse_notify_orders_and_dedupes():
    assert parse_notify("failure, SUCCESS,failure") == ("SUCCESS", "FAILURE")
    assert parse_notify(["delay"]) == ("DELAY",)
    assert parse_notify("") == ()


def test_parse_notify_refuses_unknown_names():
    with pytest.raises(InputError) as info:
        parse_notify("success,never")
    assert info.value.field == "dsn"
    assert "never" in info.value.message


def test_build_refuses_a_bad_dsn_choice():
    with pytest.raises(InputError):
        build_message(_draft(dsn=["sometimes"]))


def test_envelope_carries_notify_and_header_the_from_address():
    built = build_message(_draft(read_receipt=True, dsn=["failure", "success"]))
    assert built.envelope.notify == ("SUCCESS", "FAILURE")
    assert built.message["Disposition-Notification-To"] == "<ann@example.org>"


def test_draft_round_trip_keeps_both_options():
    draft = _draft(read_receipt=True, dsn=["SUCCESS", "DELAY"])
    again = Draft.from_dict(draft.to_dict())
    assert again.read_receipt is True
    assert again.dsn == ["SUCCESS", "DELAY"]
    assert Draft.from_dict(_draft().to_dict()).read_receipt is False


def test_old_draft_files_load_without_the_options():
    data = _draft().to_dict()
    del data["read_receipt"], data["dsn"]
    assert Draft.from_dict(data).dsn == []


def test_a_non_boolean_read_receipt_is_refused():
    data = {**_draft().to_dict(), "read_receipt": "yes"}
    with pytest.raises(TypeError):
        Draft.from_dict(data)


def test_xtext_encodes_plus_equals_and_blanks():
    assert xtext("a+b=c d@x") == "a+2Bb+3Dc+20d@x"


def test_dsn_request_when_not_offered_is_only_a_note():
    request = dsn_request(("SUCCESS",), False, "<id@x>")
    assert request.mail == () and request.rcpt == ()
    assert "does not offer DSN" in request.note


def test_a_read_receipt_header_given_by_hand_is_not_doubled():
    draft = _draft(read_receipt=True)
    draft.extra_headers.append(("Disposition-Notification-To", "<other@example.org>"))
    built = build_message(draft)
    assert built.message.get_all("Disposition-Notification-To") == ["<other@example.org>"]
