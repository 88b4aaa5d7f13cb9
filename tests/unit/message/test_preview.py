"""The envelope of a built message, each recipient with the field it was typed in."""

from __future__ import annotations

from mailcomposer.message.draft import Draft
from mailcomposer.message.mime import build_message
from mailcomposer.message.preview import EnvelopeStep, envelope_steps, wire_bytes


def test_each_recipient_is_labelled_with_its_field() -> None:
    built = build_message(
        Draft(
            from_addr="ann@example.org",
            to="Bob <Bob@Example.ORG>",
            cc="carol@bücher.example",
            bcc="x@example.org, bob@example.org",
            text="hi",
        )
    )
    assert envelope_steps(built) == (
        EnvelopeStep("MAIL FROM", "ann@example.org", "From"),
        EnvelopeStep("RCPT TO", "Bob@Example.ORG", "To"),
        EnvelopeStep("RCPT TO", "carol@xn--bcher-kva.example", "Cc"),
        EnvelopeStep("RCPT TO", "x@example.org", "Bcc"),
        EnvelopeStep("RCPT TO", "bob@example.org", "Bcc"),
    )
    assert envelope_steps(built)[3].line == "RCPT TO:<x@example.org>"


def test_the_wire_bytes_have_no_bcc_header() -> None:
    built = build_message(Draft(from_addr="ann@example.org", bcc="x@example.org", text="hi"))
    assert b"x@example.org" not in wire_bytes(built)
    assert b"Bcc: x@example.org" in built.sent_copy_bytes()
