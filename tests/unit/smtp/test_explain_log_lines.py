"""Log explanations checked against what the line says, in English and Chinese."""

from __future__ import annotations

import pytest

from mailcomposer import i18n
from mailcomposer.smtp.explain import explain_reply, explain_reply_full
from mailcomposer.smtp.keywords import capability_diff
from mailcomposer.smtp.recorder import Recorder
from mailcomposer.smtp.rfc import ref


@pytest.fixture
def chinese():
    i18n.set_language("zh_CN")
    yield
    i18n.set_language("en")


def test_a_greylisting_451_does_not_blame_a_local_problem() -> None:
    text = explain_reply(451, "4.7.1 Recipient greylisted, try again later", "RCPT")
    assert "local problem" not in text
    assert text.startswith("Temporary failure: trying again later may work.")
    assert "greylisting" in text
    assert ref(6647, "2") in explain_reply_full(451, "4.7.1 Greylisted", "RCPT").refs


def test_a_451_about_the_server_itself_still_says_so() -> None:
    assert "local problem" in explain_reply(451, "4.3.0 Local error in processing", "DATA")
    assert "local problem" in explain_reply(451, "Requested action aborted", "DATA")


def test_the_greylisting_451_in_chinese(chinese) -> None:
    text = explain_reply(451, "4.7.1 Recipient greylisted, try again later", "RCPT")
    assert "本地故障" not in text
    assert "灰名单" in text


def test_the_extensions_note_uses_chinese_punctuation(chinese) -> None:
    note = capability_diff(["STARTTLS", "SIZE 1"], ["SIZE 1", "AUTH PLAIN"]).describe()
    assert "; " not in note
    assert "AUTH PLAIN；不再提供：STARTTLS" in note


def test_the_extensions_note_in_english_is_unchanged() -> None:
    note = capability_diff(["STARTTLS"], ["AUTH PLAIN"]).describe()
    assert note == "Extensions changed (new after TLS: AUTH PLAIN; no longer offered: STARTTLS)."
    assert capability_diff(["STARTTLS"], []).describe() == (
        "Extensions changed (no longer offered: STARTTLS)."
    )


def _rcpt_explanation(origin: str) -> str:
    events = []
    recorder = Recorder(events.append)
    recorder.origins = {"carol@example.org": origin}
    recorder.client("RCPT TO:<carol@example.org>")
    return events[-1].explanation


def test_a_rcpt_in_the_log_says_its_field_first_without_a_gap_in_chinese(chinese) -> None:
    text = _rcpt_explanation("bcc")
    assert text.startswith("这个地址来自“密送”栏")
    assert "。 " not in text


def test_a_rcpt_in_the_log_says_its_field_first_in_english() -> None:
    text = _rcpt_explanation("bcc")
    assert text.startswith("This address is from the Bcc field: it gets the message")
    assert "header, so the other recipients cannot see it. One envelope recipient" in text


def test_the_require_starttls_refusal_says_to_start_tls_and_cites_rfc_3207() -> None:
    explained = explain_reply_full(530, "5.7.0 Must issue a STARTTLS command first", "MAIL")
    assert explained.text.startswith("The server wants encryption first: send STARTTLS")
    assert explained.refs[0] == ref(3207, "4")
    login = explain_reply_full(530, "5.7.0 Authentication required", "MAIL")
    assert login.text.startswith("The server requires you to log in")
    assert ref(3207, "4") not in login.refs


def test_the_require_starttls_refusal_in_chinese(chinese) -> None:
    text = explain_reply(530, "5.7.0 Must issue a STARTTLS command first", "VRFY")
    assert text.startswith("服务器要求先加密：发送 STARTTLS")
