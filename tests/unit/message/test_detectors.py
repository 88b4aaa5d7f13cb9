"""Detectors: card numbers (Luhn), Chinese resident IDs (GB 11643), phones, domain typos."""

from __future__ import annotations

import pytest

from mailcomposer.message.detectors import (
    cn_id_valid,
    find_cards,
    find_cn_ids,
    find_phones,
    luhn_valid,
    suggest_domain,
)

# Test numbers published by card networks for testing (valid Luhn, never real).
VALID_CARDS = ["4111 1111 1111 1111", "5500-0000-0000-0004", "378282246310005", "6011000990139424"]
# A real-format ID built for the test: 11010519491231002 + check digit X.
VALID_CN_ID = "11010519491231002X"


@pytest.mark.parametrize("number", VALID_CARDS)
def test_valid_card_numbers_are_found(number):
    assert list(find_cards(f"my card: {number}, thanks")) == [number]


@pytest.mark.parametrize(
    "text",
    [
        "4111 1111 1111 1112",  # Luhn fails
        "order 1234567890123",  # Luhn fails
        "0000 0000 0000 0000",  # passes Luhn but is one repeated digit
        "tracking 41111111111111111111111",  # too long, not a card
    ],
)
def test_invalid_card_numbers_are_not(text):
    assert list(find_cards(text)) == []


def test_luhn():
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398710")
    assert not luhn_valid("12a4")


def test_chinese_resident_id_check_digit():
    assert cn_id_valid(VALID_CN_ID)
    assert cn_id_valid(VALID_CN_ID.lower())
    assert not cn_id_valid("110105194912310021")  # wrong check digit
    assert not cn_id_valid("11010519491331002X")  # month 13
    assert not cn_id_valid("11010530001231002X")  # born in the future
    assert list(find_cn_ids(f"身份证号：{VALID_CN_ID}。")) == [VALID_CN_ID]
    assert list(find_cn_ids("订单号 110105194912310021")) == []


@pytest.mark.parametrize(
    "text,found",
    [
        ("手机 13812345678 联系", "13812345678"),
        ("call +86 138 1234 5678", "+86 138 1234 5678"),
        ("tel 138-1234-5678", "138-1234-5678"),
        ("UK mobile +44 7700 900123", "+44 7700 900123"),
    ],
)
def test_phone_numbers(text, found):
    assert found in list(find_phones(text))


def test_no_phone_in_ordinary_numbers():
    assert list(find_phones("invoice 2026-12-06, total 12345.67, ref 10086")) == []


@pytest.mark.parametrize(
    "typo,right",
    [
        ("gmial.com", "gmail.com"),
        ("gmai.com", "gmail.com"),
        ("hotmial.com", "hotmail.com"),
        ("outlok.com", "outlook.com"),
        ("qq.con", "qq.com"),
        ("163.con", "163.com"),
        ("126.cm", "126.com"),
        ("yahooo.com", "yahoo.com"),
        ("GMAIL.CON", "gmail.com"),
    ],
)
def test_domain_typos_get_a_suggestion(typo, right):
    assert suggest_domain(typo) == right


@pytest.mark.parametrize(
    "domain", ["gmail.com", "mail.com", "example.org", "qq.com", "pku.edu.cn", "gmx.com"]
)
def test_real_domains_are_left_alone(domain):
    assert suggest_domain(domain) is None
