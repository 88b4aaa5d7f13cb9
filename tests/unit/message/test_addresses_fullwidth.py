"""Addresses typed with a Chinese input method: full-width commas and semicolons separate."""

from __future__ import annotations

import pytest

from mailcomposer.message.addresses import Address, parse_address_list, split_addresses


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("a@x.org，b@y.org", ["a@x.org", "b@y.org"]),
        ("a@x.org；b@y.org；", ["a@x.org", "b@y.org"]),
        ("张三 <a@x.org>，李四 <b@y.org>", ["张三 <a@x.org>", "李四 <b@y.org>"]),
        ('"王五，销售部" <w@x.org>', ['"王五，销售部" <w@x.org>']),
        # Before any @ the full-width comma is part of a display name, not a separator.
        ("王五，销售部 <w@x.org>", ["王五，销售部 <w@x.org>"]),
    ],
)
def test_full_width_separators(text: str, pieces: list[str]) -> None:
    assert split_addresses(text) == pieces


def test_a_list_typed_with_full_width_commas_parses() -> None:
    assert parse_address_list("张三 <a@x.org>，b@y.org；c@z.org", "to") == [
        Address("张三", "a@x.org"),
        Address("", "b@y.org"),
        Address("", "c@z.org"),
    ]
