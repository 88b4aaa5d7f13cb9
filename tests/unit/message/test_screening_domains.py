"""Pre-send checks on recipient domains: no dot, a popular name without its ending, IME commas."""

from __future__ import annotations

import pytest

from mailcomposer import i18n
from mailcomposer.message.screening import Action, incomplete_addresses, screen


def findings_for(to: str, **fields: str):
    return [
        f for f in screen(to=to, subject="s", body="b", **fields) if f.check.startswith("domain")
    ]


def test_a_domain_without_a_dot_warns_and_says_what_to_check():
    (finding,) = findings_for("zhangsan@example")
    assert finding.check == "domain-incomplete"
    assert finding.action is Action.WARN, "a warning: an intranet may still take it"
    assert finding.field == "to"
    assert "zhangsan@example" in finding.message
    assert "example.com" in finding.message
    assert "Check the address" in finding.message


@pytest.mark.parametrize("field", ["cc", "bcc"])
def test_cc_and_bcc_are_checked_too(field):
    found = [f for f in screen(subject="s", body="b", **{field: "王五 <wangwu@corp>"})]
    assert [(f.check, f.field) for f in found] == [("domain-incomplete", field)]


@pytest.mark.parametrize(
    "to",
    [
        "me@localhost",
        "root@LOCALHOST.",
        "ann@[127.0.0.1]",
        "bob@example.com",
        "x@例子。中国",  # the ideographic full stop is a dot to IDNA (RFC 3490)
        "x@例子．中国",
    ],
)
def test_the_local_server_literals_and_real_domains_do_not_warn(to):
    assert findings_for(to) == []


def test_the_warning_is_in_chinese():
    i18n.set_language("zh_CN")
    try:
        (finding,) = findings_for("zhangsan@example")
    finally:
        i18n.set_language("en")
    assert "域名" in finding.message and "zhangsan@example" in finding.message


def test_a_popular_name_without_its_ending_gets_a_fix():
    (finding,) = findings_for("li@163")
    assert finding.check == "domain-typo"
    assert finding.fix == "li@163.com"


def test_the_fix_leaves_a_longer_address_that_contains_it_alone():
    (finding,) = findings_for("li@163, eli@163.com, 李 <li@163>")
    assert finding.fix == "li@163.com, eli@163.com, 李 <li@163.com>"


def test_addresses_separated_by_a_chinese_input_method_are_each_checked():
    found = findings_for("张三 <a@x.org>，bob@gmial.com；zhangsan@example")
    assert [f.check for f in found] == ["domain-typo", "domain-incomplete"]
    assert found[0].fix == "张三 <a@x.org>，bob@gmail.com；zhangsan@example"
    assert "；" not in found[1].message.partition(":")[0]


def test_incomplete_addresses_names_each_once():
    assert incomplete_addresses("a@x, b@y.org, a@x, me@localhost") == ["a@x"]
