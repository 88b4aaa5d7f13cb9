"""Every line explained with its source: keywords, mechanisms, codes and commands cite RFCs."""

from __future__ import annotations

import pytest

from mailcomposer import i18n
from mailcomposer.smtp.explain import (
    explain_command_full,
    explain_dot_stuffing,
    explain_enhanced,
    explain_reply_full,
)
from mailcomposer.smtp.keywords import (
    capability_diff,
    ehlo_keywords,
    explain_keyword,
    explain_mechanism,
    format_size,
    keyword_names,
    mechanism_names,
)
from mailcomposer.smtp.rfc import RFC_TITLES, SUMMARIES, Ref

# What the issue names, what our sandbox offers, and what Postfix, Exchange Online,
# Gmail and QQ Mail put in their EHLO replies.
KEYWORDS = [
    "8BITMIME", "SMTPUTF8", "SIZE 35882577", "SIZE", "STARTTLS", "AUTH PLAIN LOGIN",
    "PIPELINING", "CHUNKING", "BINARYMIME", "DSN", "ENHANCEDSTATUSCODES", "DELIVERBY",
    "ETRN", "VRFY", "EXPN", "HELP", "REQUIRETLS", "MT-PRIORITY", "FUTURERELEASE",
    "AUTH=LOGIN", "AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH",
    "AUTH LOGIN XOAUTH2", "AUTH CRAM-MD5 SCRAM-SHA-256 GSSAPI NTLM",
]  # fmt: skip
COMMON_CODES = [
    211, 214, 220, 221, 235, 250, 251, 252, 334, 354, 421, 450, 451, 452, 454,
    500, 501, 502, 503, 504, 530, 534, 535, 538, 550, 551, 552, 553, 554, 555,
]  # fmt: skip
SUCCESS_ENHANCED = ["2.0.0", "2.1.0", "2.1.5", "2.6.0", "2.7.0"]
COMMANDS = [
    "EHLO client.example", "HELO client.example", "STARTTLS", "AUTH PLAIN ****",
    "MAIL FROM:<a@example.org> SIZE=1234 BODY=8BITMIME", "RCPT TO:<b@example.org>",
    "DATA", ".", "QUIT", "RSET", "NOOP", "VRFY bob", "EXPN staff", "HELP",
]  # fmt: skip


@pytest.fixture(autouse=True)
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def _check_refs(refs: tuple[Ref, ...]) -> None:
    for r in refs:
        assert (r.rfc, r.section) in SUMMARIES, f"{r.label} has no offline summary"
        assert r.rfc in RFC_TITLES, f"RFC {r.rfc} has no title"
        assert r.label == f"RFC {r.rfc} §{r.section}"
        assert r.url.startswith("https://www.rfc-editor.org/rfc/rfc")


@pytest.mark.parametrize("line", KEYWORDS)
def test_every_common_ehlo_keyword_has_words_and_a_reference(line):
    explained = explain_keyword(line)
    assert explained.text
    assert "not a standard extension" not in explained.text
    assert explained.refs, line
    _check_refs(explained.refs)


def test_unknown_keywords_are_called_non_standard():
    explained = explain_keyword("X-MAILCOMPRESS gzip")
    assert "X-MAILCOMPRESS" in explained.text
    assert "not a standard extension" in explained.text
    assert explained.refs == ()


def test_each_auth_mechanism_is_explained_in_the_auth_line():
    explained = explain_keyword("AUTH PLAIN LOGIN XOAUTH2 OAUTHBEARER")
    for words in ("PLAIN:", "LOGIN:", "XOAUTH2:", "OAUTHBEARER:"):
        assert words in explained.text
    labels = explained.ref_labels
    assert "RFC 4954 §3" in labels and "RFC 4616 §2" in labels and "RFC 7628 §3.1" in labels
    for name in mechanism_names():
        assert explain_mechanism(name).text.startswith(name.split("-")[0])
    assert "do not know" in explain_mechanism("FROBNICATE").text


def test_size_is_read_in_sensible_units():
    assert "9.8 MiB" in explain_keyword("SIZE 10240000").text
    assert "500 bytes" in explain_keyword("SIZE 500").text
    assert "no fixed size limit" in explain_keyword("SIZE 0").text
    assert format_size(0) == "0 bytes"
    assert format_size(1023) == "1023 bytes"
    assert format_size(1536) == "1.5 KiB"
    assert format_size(35 * 1024 * 1024) == "35 MiB"
    assert format_size(3 * 1024**3) == "3 GiB"


@pytest.mark.parametrize("code", COMMON_CODES)
def test_every_common_reply_code_cites_rfc_5321(code):
    explained = explain_reply_full(code, "")
    assert explained.text
    assert any(r.rfc == 5321 for r in explained.refs)
    _check_refs(explained.refs)


def test_auth_replies_cite_rfc_4954_and_size_refusal_rfc_1870():
    assert "RFC 4954 §6" in explain_reply_full(535, "5.7.8 Bad credentials").ref_labels
    assert "RFC 1870 §6" in explain_reply_full(552, "5.3.4 Too big", "MAIL").ref_labels
    assert "RFC 3207 §4" in explain_reply_full(220, "Ready", "STARTTLS").ref_labels
    assert "RFC 5321 §4.1.1.4" in explain_reply_full(354, "Go ahead", "DATA").ref_labels


@pytest.mark.parametrize("code", SUCCESS_ENHANCED)
def test_success_enhanced_codes_are_explained(code):
    explained = explain_enhanced(code)
    assert explained.text.startswith(code)
    assert any(r.rfc == 3463 for r in explained.refs)
    _check_refs(explained.refs)
    reply = explain_reply_full(250, f"{code} Ok", "RCPT")
    assert code in reply.text, "a 2xx reply names its enhanced code too"


def test_any_enhanced_code_gets_at_least_its_subject():
    explained = explain_enhanced("5.4.9")
    assert "network or routing" in explained.text
    assert explained.refs[0].label == "RFC 3463 §3.5"
    assert "greylisting" in explain_enhanced("4.7.1").text
    assert "RFC 6647 §2" in explain_enhanced("4.7.1").ref_labels
    assert not explain_enhanced("9.9.9")


def test_a_garbage_line_is_not_explained_as_a_reply():
    explained = explain_reply_full(-1, "HELLO")
    assert "Not a valid SMTP reply" in explained.text
    assert explained.ref_labels == "RFC 5321 §4.2"


@pytest.mark.parametrize("line", COMMANDS)
def test_every_client_command_cites_its_section(line):
    explained = explain_command_full(line)
    assert explained.text
    assert explained.refs
    _check_refs(explained.refs)


def test_mail_parameters_are_each_explained():
    explained = explain_command_full("MAIL FROM:<a@example.org> SIZE=99 BODY=8BITMIME SMTPUTF8")
    for rfc in ("RFC 1870 §6", "RFC 6152 §2", "RFC 6531 §3.2"):
        assert rfc in explained.ref_labels
    notify = explain_command_full("RCPT TO:<b@example.org> NOTIFY=SUCCESS,FAILURE")
    assert "RFC 3461 §4" in notify.ref_labels


def test_the_second_ehlo_after_starttls_is_explained_differently():
    first = explain_command_full("EHLO me.example")
    second = explain_command_full("EHLO me.example", after_tls=True)
    assert first.text != second.text
    assert second.refs[0].label == "RFC 3207 §4.2"
    assert "forgets" in second.text


def test_each_rcpt_says_which_field_its_address_came_from():
    texts = {
        origin: explain_command_full("RCPT TO:<x@example.org>", origin=origin)
        for origin in ("to", "cc", "bcc")
    }
    assert "To field" in texts["to"].text
    assert "Cc field" in texts["cc"].text
    assert "Bcc field" in texts["bcc"].text and "no header" in texts["bcc"].text
    assert "RFC 5322 §3.6.3" in texts["bcc"].ref_labels
    assert len({e.text for e in texts.values()}) == 3


def test_login_lines_never_show_their_content():
    explained = explain_command_full("****", login_data=True)
    assert "hidden" in explained.text
    assert "RFC 4954 §4" in explained.ref_labels


def test_dot_stuffing_is_pointed_out_with_plural_forms():
    one = explain_dot_stuffing(1)
    two = explain_dot_stuffing(2)
    assert one.text.startswith("1 line ") and two.text.startswith("2 lines ")
    assert one.ref_labels == "RFC 5321 §4.5.2"


def test_capabilities_before_and_after_tls_are_a_difference():
    before = ehlo_keywords(["sandbox.local", "SIZE 1000", "8BITMIME", "STARTTLS", "HELP"])
    assert before == ["SIZE", "8BITMIME", "STARTTLS", "HELP"]
    diff = capability_diff(
        ["SIZE 1000", "8BITMIME", "STARTTLS", "HELP"],
        ["SIZE 1000", "8BITMIME", "AUTH PLAIN LOGIN", "HELP"],
    )
    assert diff.added == ("AUTH PLAIN LOGIN",)
    assert diff.removed == ("STARTTLS",)
    assert "AUTH PLAIN LOGIN" in diff.describe() and "STARTTLS" in diff.describe()
    same = capability_diff(["HELP"], ["help"])
    assert same.describe() == "The server offers the same extensions as before TLS."


def test_explanations_carry_json():
    data = explain_reply_full(250, "2.1.5 Ok", "RCPT").to_json()
    assert data["text"]
    assert {"rfc", "section", "label", "url"} <= set(data["refs"][0])


def test_every_summary_and_title_is_translated():
    i18n.set_language("zh_CN")
    try:
        for key, text in SUMMARIES.items():
            assert i18n._(text) != text, key
        for number, title in RFC_TITLES.items():
            assert i18n._(title) != title, number
        assert "封" not in explain_keyword("SIZE 500").text  # units stay readable
        assert explain_keyword("STARTTLS").text != "STARTTLS"
    finally:
        i18n.set_language("en")


def test_every_named_keyword_is_covered():
    for name in keyword_names():
        assert explain_keyword(name).refs, name
