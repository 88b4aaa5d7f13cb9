"""The forgotten-attachment reminder: saying there is no attachment is not forgetting one."""

from __future__ import annotations

import pytest

from mailcomposer.message.screening import screen


def reminded(body: str, subject: str = "s") -> bool:
    return any(f.check == "attachment" for f in screen(to="a@qq.com", subject=subject, body=body))


@pytest.mark.parametrize(
    "body",
    [
        "本邮件无附件。",
        "我没有附件，直接回复即可。",
        "不带附件也可以。",
        "没有任何附件",
        "There is no attachment this time.",
        "I am writing without an attachment.",
        "The report is not attached; it follows tomorrow.",
    ],
)
def test_a_message_that_says_it_has_no_attachment_is_not_stopped(body):
    assert not reminded(body)


def test_a_subject_that_says_so_is_not_stopped_either():
    assert not reminded("你好", subject="通知（无附件）")


@pytest.mark.parametrize(
    "body",
    ["请查收附件。", "附件是报告，没有附件的人请告诉我。", "not attached here but attached below"],
)
def test_a_real_mention_next_to_a_denial_still_reminds(body):
    assert reminded(body)
