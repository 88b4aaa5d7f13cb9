"""Plain-words explanations of SMTP replies."""

from __future__ import annotations

import pytest

from mailcomposer import i18n
from mailcomposer.smtp.explain import enhanced_code, explain_command, explain_reply

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


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("EHLO [127.0.0.1]", "extensions"),
        ("HELO [127.0.0.1]", "old-style"),
        ("STARTTLS", "encryption"),
        ("AUTH PLAIN ****", "PLAIN method"),
        ("auth login", "LOGIN method"),
        ("MAIL FROM:<ann@example.org>", "bounces"),
        ("RCPT TO:<bo@example.org>", "Bcc"),
        ("DATA", "headers, then body"),
        (".", "ends the message"),
        ("QUIT", "goodbye"),
        ("RSET", "abandon"),
        ("NOOP", "still there"),
    ],
)
def test_client_commands_are_explained(line: str, words: str) -> None:
    assert words in explain_command(line)


def test_mail_parameters_are_explained_after_the_command() -> None:
    text = explain_command("MAIL FROM:<ann@example.org> SIZE=1234 BODY=8BITMIME SMTPUTF8")
    assert text.startswith(explain_command("MAIL FROM:<ann@example.org>"))
    assert "SIZE" in text and "8-bit" in text and "non-ASCII" in text


def test_login_lines_are_explained_without_their_content() -> None:
    assert "hidden" in explain_command("****", login_data=True)
    assert "user name" in explain_command("YW5u  (user name ann, base64)", login_data=True)
    assert "empty answer" in explain_command("", login_data=True)  # XOAUTH2 after a 334


def test_unknown_lines_get_no_explanation() -> None:
    assert explain_command("XCLIENT NAME=x") == ""
    assert explain_command("") == ""


def test_command_explanations_are_translated() -> None:
    i18n.set_language("zh_CN")
    try:
        assert "密送" in explain_command("RCPT TO:<bo@example.org>")
        assert "PLAIN" in explain_command("AUTH PLAIN ****")
    finally:
        i18n.set_language("en")


def test_a_reply_explained_in_chinese_has_no_gap_between_its_sentences() -> None:
    # "邮件太大。 邮件超过了…": the English join left a space after the full stop.
    i18n.set_language("zh_CN")
    try:
        text = explain_reply(552, "5.3.4 Message too big")
    finally:
        i18n.set_language("en")
    assert "。邮件超过了" in text and "。 " not in text
    english = explain_reply(552, "5.3.4 Message too big")
    assert "full. The message is bigger" in english
