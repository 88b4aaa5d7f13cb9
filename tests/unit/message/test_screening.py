"""Pre-send checks: each finding, what it ignores, and the user's rules."""

from __future__ import annotations

import pytest

from mailcomposer import i18n
from mailcomposer.message.screening import Action, Rule, Settings, blocking, own_words, screen


def checks(findings):
    return [f.check for f in findings]


def test_the_issue_example_names_both_problems():
    findings = screen(to="bob@gmial.com", subject="Report", body="Please see the attached file.\n")
    assert checks(findings) == ["attachment", "domain-typo"]
    assert "attached" in findings[0].message
    assert "bob@gmail.com" in findings[1].message
    assert findings[1].fix == "bob@gmail.com"
    assert findings[1].field == "to"


@pytest.mark.parametrize(
    "body",
    [
        "see the attached report",
        "I enclose the minutes",
        "请查收附件。",
        "附上本周的报告",
        "Attachment follows",
    ],
)
def test_attachment_cues_in_english_and_chinese(body):
    assert "attachment" in checks(screen(subject="s", body=body))


def test_no_reminder_when_something_is_attached():
    assert "attachment" not in checks(screen(subject="s", body="attached", attachment_count=1))


@pytest.mark.parametrize(
    "body",
    [
        "Thanks!\n\n> Can you send the attached file?\n",
        "Thanks!\n\nOn Mon, 1 Dec 2026, Bob wrote:\nhere is the attachment\n",
        "好的\n\n在 2026年12月1日，李雷 写道：\n请看附件\n",
        "Thanks!\n-----Original Message-----\nFrom: Bob\nSee attachment\n",
        "Thanks!\n-- \nAnn\nAttachments are scanned for viruses\n",
    ],
)
def test_quoted_text_and_signature_do_not_trigger_the_reminder(body):
    assert "attachment" not in checks(screen(subject="s", body=body))


def test_a_signature_given_by_the_caller_is_left_out():
    signature = "Ann — all attachments confidential"
    body = f"Hi Bob\n\n{signature}\n"
    assert "attachment" not in checks(screen(subject="s", body=body, signatures=[signature]))
    assert own_words(body, [signature]).strip() == "Hi Bob"


def test_empty_subject_and_body():
    found = checks(screen(to="a@example.org"))
    assert "empty-subject" in found and "empty-body" in found
    assert "empty-body" not in checks(screen(subject="x", attachment_count=1))


def test_many_visible_recipients_suggest_bcc_with_plural_forms():
    to = ", ".join(f"user{i}@example.org" for i in range(31))
    (finding,) = [f for f in screen(to=to, subject="s", body="b") if f.check == "many-recipients"]
    assert finding.message.startswith("31 recipients")
    assert "Bcc" in finding.message
    bcc = ", ".join(f"user{i}@example.org" for i in range(31))
    assert "many-recipients" not in checks(screen(bcc=bcc, subject="s", body="b"))


def test_size_over_the_server_limit_in_sensible_units():
    (finding,) = [
        f
        for f in screen(subject="s", body="b", message_size=2_000_000, server_size_limit=500)
        if f.check == "size"
    ]
    assert "1.9 MiB" in finding.message and "500 bytes" in finding.message
    assert "0.00" not in finding.message


def test_recipients_outside_own_domains():
    settings = Settings(own_domains=("example.org",))
    findings = screen(
        to="a@example.org, b@sub.example.org", cc="x@other.com", subject="s", body="b",
        settings=settings,
    )  # fmt: skip
    (finding,) = [f for f in findings if f.check == "outside-domain"]
    assert "x@other.com" in finding.message and "a@example.org" not in finding.message
    assert finding.message.startswith("1 recipient is")


def test_rules_warn_or_block_and_blocking_comes_first():
    settings = Settings(
        rules=(
            Rule("Confidential", "word:CONFIDENTIAL", Action.BLOCK),
            Rule("Cards", "detector:card", Action.WARN),
            Rule("Project", "regex:Project\\s+X\\d+", Action.WARN),
            Rule("机密", "word:机密", Action.BLOCK),
        )
    )
    findings = screen(
        subject="Confidential: plan",
        body="card 4111 1111 1111 1111, Project X42, 这是机密文件",
        settings=settings,
    )
    assert [f.action for f in findings[:2]] == [Action.BLOCK, Action.BLOCK]
    assert len(blocking(findings)) == 2
    messages = " ".join(f.message for f in findings)
    assert "Confidential" in messages and "Project X42" in messages
    assert "4111 1111 1111 1111" not in messages, "a detected number is shown masked"
    assert "…1111" in messages


def test_word_rules_match_whole_words_only():
    rule = Rule("r", "word:secret")
    assert rule.matcher()("a Secret plan") == ["Secret"]
    assert rule.matcher()("secretary") == []


@pytest.mark.parametrize(
    "match,words",
    [("regex:(", "regular expression"), ("detector:iban", "card, cn-id or phone"),
     ("wrod:x", "word:, regex: or detector:"), ("word:", "nothing after")],
)  # fmt: skip
def test_bad_rules_say_what_to_fix(match, words):
    with pytest.raises(ValueError, match=words):
        Rule("r", match).matcher()


def test_findings_are_translated():
    i18n.set_language("zh_CN")
    try:
        findings = screen(to="bob@gmial.com", body="请查收附件")
        assert all(f.message != "" for f in findings)
        assert any("附件" in f.message for f in findings)
        assert "主题为空" in " ".join(f.message for f in findings)
    finally:
        i18n.set_language("en")
