"""One rule for "the same recipient" (RFC 5321 §2.4): local part as written, domain any case."""

from __future__ import annotations

import pytest

from mailcomposer.message.addresses import envelope_key, parse_address_list
from mailcomposer.message.draft import Draft
from mailcomposer.message.mime import build_message


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("bob@example.org", "bob@example.org"),
        ("Bob@Example.ORG", "Bob@example.org"),
        ("BOB@example.org", "BOB@example.org"),
        ("zoe@Bücher.example", "zoe@xn--bcher-kva.example"),
        ("zoe@xn--BCHER-kva.example", "zoe@xn--bcher-kva.example"),
        ("用户@例子.中国", "用户@xn--fsqu00a.xn--fiqs8s"),
        ('"Odd@Name"@Example.org', '"Odd@Name"@example.org'),
        ('"a.b"@x.org', "a.b@x.org"),  # quoted for nothing: the same mailbox
        ('"John Doe"@x.org', '"John Doe"@x.org'),
        ('"a..b"@x.org', '"a..b"@x.org'),  # not a dot-atom: the quotes are needed
        ('"A\\.B"@x.org', "A.B@x.org"),  # a quoted-pair of an ordinary character
        ("Postmaster", "postmaster"),  # no @: all of it is compared in any case
    ],
)
def test_the_local_part_keeps_its_case_and_the_domain_does_not(address: str, key: str) -> None:
    assert envelope_key(address) == key


def test_an_invalid_idn_is_compared_as_written_in_any_case() -> None:
    bad = "a@" + "ü" * 70 + ".example"  # a label too long for IDNA
    assert envelope_key(bad) == bad.lower()


def test_two_local_parts_that_differ_in_case_are_two_keys() -> None:
    assert envelope_key("Bob@example.org") != envelope_key("bob@example.org")
    assert envelope_key("bob@EXAMPLE.org") == envelope_key("bob@example.ORG")


def test_the_envelope_counts_recipients_by_this_key() -> None:
    draft = Draft(
        from_addr="ann@example.org",
        to="bob@example.org, zoe@bücher.example",
        cc="bob@Example.ORG, Bob@example.org",
        bcc="zoe@XN--BCHER-KVA.example",
        text="x",
    )
    built = build_message(draft)
    assert built.envelope.recipients == (
        "bob@example.org",
        "zoe@xn--bcher-kva.example",
        "Bob@example.org",
    )
    typed = parse_address_list(f"{draft.to}, {draft.cc}, {draft.bcc}", "to")
    keys = {envelope_key(a.addr_spec) for a in typed}
    assert len(keys) == len(built.envelope.recipients)
    assert keys == {envelope_key(r) for r in built.envelope.recipients}
