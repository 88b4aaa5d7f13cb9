"""format_address_header: address headers as every built message (and the outbox) writes them."""

from __future__ import annotations

from email import policy as email_policy
from email.message import EmailMessage
from email.parser import BytesParser

from mailcomposer.message.addresses import parse_address_list
from mailcomposer.message.mime import build_message, format_address_header
from tests.unit.message.helpers import draft


def addresses(text: str):
    return tuple(parse_address_list(text, "to"))


def test_names_keep_their_spaces_and_domains_go_as_punycode() -> None:
    value = format_address_header("To", addresses("Ann Lee 李安 <ann@bücher.example>"), False)
    assert "xn--bcher-kva.example" in value and "bücher" not in value
    message = EmailMessage(policy=email_policy.SMTP)
    message.set_raw("To", value)
    raw = message.as_bytes()
    parsed = BytesParser(policy=email_policy.default).parsebytes(raw)
    (one,) = parsed["To"].addresses
    assert one.display_name == "Ann Lee 李安"
    assert one.addr_spec == "ann@xn--bcher-kva.example"


def test_long_lists_fold_between_addresses_and_stay_short() -> None:
    many = ", ".join(f"Person {n} <person.number.{n}@example.org>" for n in range(8))
    value = format_address_header("Cc", addresses(many), False)
    lines = value.split("\n")
    assert len(lines) > 1 and all(line.startswith(" ") for line in lines[1:])
    assert len("Cc: " + lines[0]) <= 78 and all(len(line) <= 78 for line in lines[1:])


def test_utf8_keeps_names_raw_in_quotes() -> None:
    assert format_address_header("To", addresses("李安 <li@example.org>"), True) == (
        '"李安" <li@example.org>'
    )


def test_a_built_message_writes_its_headers_with_it() -> None:
    built = build_message(draft(to="Ann Lee <ann@example.org>, bob@example.net", text="x"))
    head = built.wire().to_bytes().partition(b"\r\n\r\n")[0].decode("ascii")
    value = format_address_header(
        "To", addresses("Ann Lee <ann@example.org>, bob@example.net"), False
    )
    assert f"\r\nTo: {value}\r\n" in head
