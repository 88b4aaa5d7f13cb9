"""Reply, reply all and forward: recipients, subjects, quoting and threading headers."""

from __future__ import annotations

import pytest

from mailcomposer import i18n
from mailcomposer.message.draft import Attachment, Draft
from mailcomposer.message.mime import build_message
from mailcomposer.message.reply import Mode, base_subject, respond, thread_headers

ORIGINAL = (
    b"From: Bob <bob@example.org>\r\n"
    b"To: Ann <ann@example.org>, carol@example.org\r\n"
    b"Cc: Dave <dave@example.net>, ANN@EXAMPLE.ORG\r\n"
    b"Subject: =?utf-8?b?5Zue5aSNOiBSZTogUXVhcnRlcmx5IHJlcG9ydA==?=\r\n"
    b"Date: Mon, 30 Nov 2026 09:15:00 +0800\r\n"
    b"Message-ID: <m3@example.org>\r\n"
    b"In-Reply-To: <m2@example.org>\r\n"
    b"References: <m1@example.org> <m2@example.org>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"\r\n"
    b"Here are the figures.\r\n> an older quote\r\n\r\nBob\r\n"
)


def built(draft: Draft):
    return build_message(draft)


@pytest.mark.parametrize(
    "subject,base",
    [
        ("Re: Re: RE: report", "report"),
        ("Fwd: Re: report", "report"),
        ("回复: Re: 报告", "报告"),
        ("答复：转发: 报告", "报告"),
        ("Re[2]: AW: WG: Bericht", "Bericht"),
        ("Regarding the plan", "Regarding the plan"),
        ("", ""),
    ],
)
def test_prefixes_do_not_pile_up(subject, base):
    assert base_subject(subject) == base


def test_reply_goes_to_the_sender_and_is_threaded():
    draft = respond(
        ORIGINAL, Mode.REPLY, own_addresses=["ann@example.org"], from_addr="ann@example.org"
    )
    assert draft.to == "Bob <bob@example.org>"
    assert draft.cc == ""
    assert draft.subject == "Re: Quarterly report"
    headers = dict(draft.extra_headers)
    assert headers["In-Reply-To"] == "<m3@example.org>"
    assert headers["References"] == "<m1@example.org> <m2@example.org> <m3@example.org>"
    assert "> Here are the figures." in draft.text
    assert ">> an older quote" in draft.text
    assert "Bob <bob@example.org> wrote:" in draft.text
    message = built(draft).message
    assert message["In-Reply-To"] == "<m3@example.org>"
    assert "<m1@example.org>" in message["References"]


def test_reply_all_leaves_out_my_own_addresses_in_any_case():
    draft = respond(ORIGINAL, Mode.REPLY_ALL, own_addresses=["Ann <ann@example.org>"])
    assert draft.to == "Bob <bob@example.org>"
    assert draft.cc == "carol@example.org, Dave <dave@example.net>"


def test_reply_to_header_wins():
    raw = ORIGINAL.replace(b"Date:", b"Reply-To: list@example.org\r\nDate:", 1)
    assert respond(raw, Mode.REPLY).to == "list@example.org"


def test_reply_all_to_my_own_sent_message_answers_its_recipients():
    raw = ORIGINAL.replace(b"From: Bob <bob@example.org>", b"From: Ann <ann@example.org>")
    draft = respond(raw, Mode.REPLY_ALL, own_addresses=["ann@example.org"])
    assert "carol@example.org" in draft.to
    assert "ann@example.org" not in draft.to.lower() + draft.cc.lower()


def test_reply_to_my_own_sent_message_answers_whom_it_went_to():
    # The local inbox and a Sent folder hold the user's own messages: Reply goes to
    # their recipients (as in Thunderbird), not back to the user.
    raw = ORIGINAL.replace(b"From: Bob <bob@example.org>", b"From: Ann <ann@example.org>")
    draft = respond(raw, Mode.REPLY, own_addresses=["ANN@example.org"])
    assert draft.to == "carol@example.org" and draft.cc == ""
    alone = raw.replace(b"To: Ann <ann@example.org>, carol@example.org", b"To: ann@example.org")
    assert respond(alone, Mode.REPLY, own_addresses=["ann@example.org"]).to == (
        "Ann <ann@example.org>"  # a note to self: nobody else to answer
    )
    assert respond(raw, Mode.REPLY).to == "Ann <ann@example.org>"  # own addresses unknown


def test_html_reply_quotes_in_a_blockquote():
    raw = (
        b"From: bob@example.org\r\nTo: ann@example.org\r\nSubject: Hi\r\n"
        b"Message-ID: <h1@example.org>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/alternative; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nHello *Ann*\r\n"
        b"--b\r\nContent-Type: text/html\r\n\r\n"
        b"<html><body><p>Hello <b>Ann</b></p></body></html>\r\n"
        b"--b--\r\n"
    )
    draft = respond(raw, Mode.REPLY)
    assert '<blockquote type="cite"' in draft.html
    assert "<p>Hello <b>Ann</b></p>" in draft.html
    assert "<body" not in draft.html
    assert "> Hello *Ann*" in draft.text
    assert dict(draft.extra_headers)["References"] == "<h1@example.org>"


def test_forward_inline_keeps_attachments_and_shows_the_header_block():
    original = Draft(
        from_addr="Bob <bob@example.org>", to="ann@example.org", subject="Re: 报告",
        text="See the file.", attachments=[Attachment("数据.csv", data=b"a,b\n1,2\n")],
    )  # fmt: skip
    raw = built(original).wire().to_bytes()
    draft = respond(raw, Mode.FORWARD)
    assert draft.subject == "Fwd: 报告"
    assert draft.to == "" and draft.extra_headers == []
    assert "---------- Forwarded message ----------" in draft.text
    assert "From: Bob <bob@example.org>" in draft.text
    assert "See the file." in draft.text
    assert [(a.filename, a.data) for a in draft.attachments] == [("数据.csv", b"a,b\n1,2\n")]


def test_forward_as_attachment_carries_the_whole_message():
    draft = respond(ORIGINAL, Mode.FORWARD_ATTACHED)
    (attachment,) = draft.attachments
    assert attachment.content_type == "message/rfc822"
    assert attachment.data == ORIGINAL
    assert attachment.filename == "Quarterly report.eml"


def test_threading_without_references_uses_a_single_in_reply_to():
    from email import message_from_bytes, policy

    message = message_from_bytes(
        b"Message-ID: <c@x>\r\nIn-Reply-To: <b@x>\r\n\r\n", policy=policy.default
    )
    assert dict(thread_headers(message))["References"] == "<b@x> <c@x>"
    message = message_from_bytes(b"Subject: no id\r\n\r\n", policy=policy.default)
    assert thread_headers(message) == []


def test_long_reference_chains_keep_the_first_and_the_latest():
    from email import message_from_bytes, policy

    refs = " ".join(f"<{n}@x>" for n in range(40)).encode()
    message = message_from_bytes(
        b"Message-ID: <new@x>\r\nReferences: " + refs + b"\r\n\r\n", policy=policy.default
    )
    chain = dict(thread_headers(message))["References"].split()
    assert len(chain) == 20 and chain[0] == "<0@x>" and chain[-1] == "<new@x>"


def test_attribution_is_translated():
    i18n.set_language("zh_CN")
    try:
        draft = respond(ORIGINAL, Mode.REPLY)
        assert "写道" in draft.text
        assert "转发的邮件" in respond(ORIGINAL, Mode.FORWARD).text
    finally:
        i18n.set_language("en")


def test_reply_all_shows_chinese_names_as_text_not_encoded_words():
    original = (
        b"From: =?utf-8?b?5p2O5piO?= <li.ming@example.cn>\r\n"
        b"To: =?utf-8?b?546L6Iqz?= <wang.fang@example.cn>\r\n"
        b'Cc: "=?utf-8?b?5byg5Lyf?=" <zhang.wei@example.cn>, "Team, Q4" <team@example.cn>\r\n'
        b"Subject: hi\r\n"
        b"Message-ID: <z1@example.cn>\r\n"
        b"\r\n"
        b"body\r\n"
    )
    draft = respond(original, Mode.REPLY_ALL, own_addresses=["wang.fang@example.cn"])
    assert draft.to == "李明 <li.ming@example.cn>"
    assert draft.cc == '张伟 <zhang.wei@example.cn>, "Team, Q4" <team@example.cn>'
