"""Plain-words explanations of SMTP replies."""

from __future__ import annotations

import pytest

from mailcomposer import i18n
from mailcomposer.smtp.explain import enhanced_code, explain_reply

COMMON_CODES = [
    220, 221, 235, 250, 251, 252, 334, 354, 421, 450, 451, 452, 454,
    500, 501, 502, 503, 504, 530, 534, 535, 538, 550, 551, 552, 553, 554, 555,
]  # fmt: skip


@pytest.mark.parametrize("code", COMMON_CODES)
def test_every_common_code_has_its_own_explanation(code):
    text = explain_reply(code, "")
    assert text
    assert text != explain_reply(code // 100 * 100 + 99, ""), "not just the class fallback"


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("EHLO", "extensions"),
        ("MAIL", "sender"),
        ("RCPT", "recipient"),
        (".", "accepted the message"),
        (None, "accepted the command"),
    ],
)
def test_250_depends_on_the_command(command, words):
    assert words in explain_reply(250, "OK", command)


@pytest.mark.parametrize(
    ("code", "text", "words"),
    [
        (535, "5.7.8 Authentication credentials invalid", "check the user name"),
        (550, "5.1.1 <x@example.test>: Recipient address rejected", "typos"),
        (552, "5.3.4 Message size exceeds fixed limit", "bigger than the server accepts"),
        (550, "5.7.1 Relaying denied", "policy"),
        (421, "4.7.0 Try again later", "greylisting"),
        (552, "5.2.2 Mailbox full", "mailbox is full"),
        (530, "5.7.0 Authentication required", "log in"),
    ],
)
def test_enhanced_codes_refine_the_meaning(code, text, words):
    assert words in explain_reply(code, text)


def test_unknown_codes_fall_back_to_their_class():
    assert "Temporary" in explain_reply(471, "")
    assert "Permanent" in explain_reply(599, "")


def test_enhanced_code_parsing():
    assert enhanced_code("5.7.8 Error: authentication failed") == "5.7.8"
    assert enhanced_code("2.0.0 Ok: queued") == "2.0.0"
    assert enhanced_code("OK") is None
    assert enhanced_code("") is None
    assert enhanced_code("3.1.1 not a class") is None


def test_explanations_are_translated():
    english = explain_reply(535, "5.7.8 bad credentials")
    i18n.set_language("zh_CN")
    chinese = explain_reply(535, "5.7.8 bad credentials")
    assert chinese != english
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese)


def test_220_to_starttls_means_encryption_starts():
    assert "encryption" in explain_reply(220, "Ready to start TLS", "STARTTLS")
    assert "ready" in explain_reply(220, "mx ESMTP")
