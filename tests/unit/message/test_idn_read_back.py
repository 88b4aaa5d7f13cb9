"""An IDN domain goes out as punycode and comes back into the composer as the user typed it."""

from __future__ import annotations

from mailcomposer.message.addresses import to_unicode_domain, unicode_domains
from mailcomposer.message.draft import Draft
from mailcomposer.message.eml import read_eml
from mailcomposer.message.mime import build_message
from mailcomposer.message.reply import Mode, respond


def sent(draft: Draft) -> bytes:
    return build_message(draft).wire().to_bytes()


def original() -> Draft:
    return Draft(
        from_addr="李四 <lisi@bücher.de>",
        to="张三 <zhangsan@例子.中国>, bo@example.org",
        cc="王五 <wangwu@bücher.de>",
        subject="季度报告",
        text="你好",
    )


def test_to_unicode_domain_keeps_what_is_not_punycode() -> None:
    assert to_unicode_domain("xn--bcher-kva.de") == "bücher.de"
    assert to_unicode_domain("xn--fsqu00a.xn--fiqs8s") == "例子.中国"
    assert to_unicode_domain("example.org") == "example.org"
    assert to_unicode_domain("xn--999999999999.org") == "xn--999999999999.org"
    assert unicode_domains("a <b@example.org>") == "a <b@example.org>"


def test_the_wire_form_is_punycode_and_reading_it_back_is_not() -> None:
    raw = sent(original())
    assert b"xn--fsqu00a.xn--fiqs8s" in raw  # on the wire: ASCII, no SMTPUTF8 needed
    draft = read_eml(raw)
    assert draft.to == "张三 <zhangsan@例子.中国>, bo@example.org"
    assert draft.cc == "王五 <wangwu@bücher.de>"
    assert draft.from_addr == "李四 <lisi@bücher.de>"


def test_reply_all_and_forward_show_the_domains_as_typed() -> None:
    raw = sent(original())
    reply = respond(raw, Mode.REPLY_ALL, own_addresses=["lisi@bücher.de"])
    assert "zhangsan@例子.中国" in reply.to and "xn--" not in reply.to + reply.cc
    assert "wangwu@bücher.de" in reply.to + reply.cc
    forward = respond(raw, Mode.FORWARD)
    assert "xn--" not in forward.text and "zhangsan@例子.中国" in forward.text
