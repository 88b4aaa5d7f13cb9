"""Answers typed the way students type them: copied from the log, in Chinese, with units."""

from __future__ import annotations

import pytest

from mailcomposer.lessons.catalog import lesson
from mailcomposer.lessons.model import check

RIGHT = [
    # A Chinese full stop or book-title marks around the answer (NFKC keeps them).
    ("starttls", "rfc", "3207。"),
    ("starttls", "rfc", "《RFC 3207》"),
    ("starttls", "gone", "STARTTLS。"),
    # The count with the measure word the question itself uses (几条 → 两条), or a unit.
    ("bcc", "count", "两条"),
    ("bcc", "count", "2条"),
    ("bcc", "count", "2 条"),
    ("bcc", "count", "2 commands"),
    # A reply copied from the log: its code, enhanced code and text.
    ("auth", "235", "235 2.7.0"),
    ("auth", "235", "235 2.7.0 Authentication successful"),
    ("refusals", "refused", "550 5.1.1 No such user here"),
    ("size", "552", "552 5.3.4 Message size exceeds fixed maximum message size (51200 bytes)"),
    # A command copied with its address, or named as a command.
    ("envelope", "sender", "MAIL FROM:<me@localhost> BODY=8BITMIME"),
    ("envelope", "sender", "C: MAIL FROM:<me@localhost>"),
    ("envelope", "sender", "the MAIL FROM command"),
    ("envelope", "sender", "MAIL FROM 命令"),
    # The EHLO line as the log shows it.
    ("starttls", "gone", "S: 250-STARTTLS"),
    # A number with its thousands separator or its unit.
    ("size", "announced", "51,200"),
    ("size", "announced", "51200 bytes"),
    ("size", "announced", "51200 字节"),
    ("size", "announced", "SIZE 51200"),
]

WRONG = [
    ("auth", "235", "535 5.7.8 Authentication credentials invalid"),
    ("auth", "235", "235 5.7.8"),  # the enhanced code's class contradicts the reply's
    ("refusals", "refused", "550 or 451"),
    ("refusals", "refused", "451 4.7.1 Recipient greylisted"),
    ("refusals", "refused", "5.1.1"),
    ("envelope", "sender", "RCPT TO:<bob@example.org>"),
    ("envelope", "sender", "MAIL FROM TO"),
    ("bcc", "count", "3条"),
    ("starttls", "gone", "S: 250-AUTH"),
    ("size", "announced", "50 KiB"),
]


@pytest.mark.parametrize(("lesson_key", "question_key", "typed"), RIGHT)
def test_a_right_answer_typed_as_students_type_it_is_right(lesson_key, question_key, typed):
    assert check(lesson(lesson_key).question(question_key), typed).correct, typed


@pytest.mark.parametrize(("lesson_key", "question_key", "typed"), WRONG)
def test_a_wrong_answer_dressed_like_a_right_one_stays_wrong(lesson_key, question_key, typed):
    assert not check(lesson(lesson_key).question(question_key), typed).correct, typed


def test_the_verdict_and_the_why_are_joined_as_chinese_writes_them() -> None:
    from mailcomposer import i18n

    i18n.set_language("zh_CN")
    try:
        question = lesson("auth").question("plain")
        wrong = check(question, (question.correct + 1) % len(question.choices)).text
        right = check(lesson("auth").question("235"), "235").text
    finally:
        i18n.set_language("en")
    assert "。 " not in wrong and "。 " not in right
    assert wrong.startswith("不太对：答案是“用户名和密码")
    assert check(lesson("auth").question("235"), "235").text.startswith("Right. 235 ")
