"""Address parsing as people type it: separators, quotes, IDN, SMTPUTF8, clear errors."""

from __future__ import annotations

import pytest

from mailcomposer import i18n
from mailcomposer.message.addresses import (
    Address,
    check_address,
    parse_address,
    parse_address_list,
    split_addresses,
)
from mailcomposer.message.errors import AddressError, InputError


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("a@x.org, b@y.org", ["a@x.org", "b@y.org"]),
        ("a@x.org; b@y.org;", ["a@x.org", "b@y.org"]),
        ('"Lee, K" <k@z.org>, b@y.org', ['"Lee, K" <k@z.org>', "b@y.org"]),
        ('"Semi; colon" <s@z.org>', ['"Semi; colon" <s@z.org>']),
        (" , ;; a@x.org ,, ", ["a@x.org"]),
        ("", []),
        ('"Esc \\" , q" <e@z.org>, c@d.org', ['"Esc \\" , q" <e@z.org>', "c@d.org"]),
    ],
)
def test_split_addresses(text: str, pieces: list[str]) -> None:
    assert split_addresses(text) == pieces


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ann@example.org", [Address("", "ann@example.org")]),
        ("Ann <ann@example.org>", [Address("Ann", "ann@example.org")]),
        ('"Lee, K" <k@z.org>', [Address("Lee, K", "k@z.org")]),
        ("<k@z.org>", [Address("", "k@z.org")]),
        ("Zoë Ångström <zoe@bücher.de>", [Address("Zoë Ångström", "zoe@bücher.de")]),
        ("用户@例子.中国", [Address("", "用户@例子.中国")]),
        ("a@x.org; Bob <b@y.org>,", [Address("", "a@x.org"), Address("Bob", "b@y.org")]),
        ("Ann (work) <ann@example.org>", [Address("Ann", "ann@example.org")]),
        ("first.last+tag@sub.example.co.uk", [Address("", "first.last+tag@sub.example.co.uk")]),
        ("root@localhost", [Address("", "root@localhost")]),
        ("x@[192.0.2.1]", [Address("", "x@[192.0.2.1]")]),
    ],
)
def test_parse_address_list_accepts(text: str, expected: list[Address]) -> None:
    assert parse_address_list(text, "to") == expected


@pytest.mark.parametrize(
    ("piece", "reason"),
    [
        ("bob@", "“bob@” has no domain after @"),
        ("@example.org", "“@example.org” has nothing before @"),
        ("bob", "“bob” has no @"),
        ("bob smith@example.org", "“bob smith@example.org” contains a space"),
        ("a@b@c.org", "“a@b@c.org” has more than one @"),
        ("Ann <ann@example.org", "“Ann <ann@example.org” is missing the closing “>”"),
        ('"Ann <ann@example.org>', '“"Ann <ann@example.org>” has an unclosed quote'),
        ("a..b@example.org", "“a..b@example.org” has a misplaced dot before @"),
        ("a@-bad-.org", "“a@-bad-.org”: “-bad-.org” is not a valid domain"),
        ("a@exa_mple.org", "“a@exa_mple.org”: “exa_mple.org” is not a valid domain"),
        ("a(b@example.org", None),
        ("<>", "“<>” has no e-mail address"),
        ("a[b@example.org", "“a[b@example.org” contains “[”, which is not allowed before @"),
    ],
)
def test_errors_name_the_address_and_why(piece: str, reason: str | None) -> None:
    with pytest.raises(AddressError) as info:
        parse_address_list(f"ok@example.org, {piece}", "cc")
    error = info.value
    assert isinstance(error, InputError)
    assert error.field == "cc"
    assert error.value == piece
    if reason is not None:
        assert error.message == reason
    assert check_address(piece) is not None


def test_check_address_ok() -> None:
    assert check_address('"Lee, K" <k@z.org>') is None


def test_idn_domain_goes_as_punycode_in_the_envelope() -> None:
    addr = parse_address("Zoë <zoe@bücher.de>", "from")
    assert addr.ascii_addr_spec == "zoe@xn--bcher-kva.de"
    assert not addr.needs_smtputf8
    assert addr.header_address().domain == "xn--bcher-kva.de"
    assert addr.formatted() == "Zoë <zoe@bücher.de>"


def test_non_ascii_local_part_needs_smtputf8() -> None:
    addr = parse_address("用户@例子.中国", "to")
    assert addr.needs_smtputf8
    assert addr.ascii_addr_spec == "用户@xn--fsqu00a.xn--fiqs8s"


def test_formatted_quotes_names_with_specials() -> None:
    assert Address("Lee, K", "k@z.org").formatted() == '"Lee, K" <k@z.org>'
    assert Address('Say "hi"', "k@z.org").formatted() == '"Say \\"hi\\"" <k@z.org>'
    assert Address("", "k@z.org").formatted() == "k@z.org"


def test_parse_address_wants_exactly_one() -> None:
    with pytest.raises(AddressError) as info:
        parse_address("a@x.org, b@y.org", "from")
    assert info.value.field == "from"
    with pytest.raises(AddressError):
        parse_address(" , ", "from")


@pytest.mark.parametrize("char", ["\r", "\n", "\x00", "\v", "\f", "\x1c", "\x85", "\u2028"])
def test_line_breaks_inside_an_address_are_rejected(char: str) -> None:
    assert check_address(f"Ann{char}x <a@x.org>") is not None


def test_errors_are_translated() -> None:
    i18n.set_language("zh_CN")
    message = check_address("bob@")
    assert message is not None
    assert "bob@" in message
    assert message != "“bob@” has no domain after @"


def test_every_message_string_has_a_translation() -> None:
    """Each _("...") literal of the message package is in its catalogs, placeholders kept."""
    import ast
    import re
    from pathlib import Path

    from mailcomposer.i18n import parse_po, resources_dir

    catalog = {}
    for name in ("message.po", "message-checks.po"):
        catalog.update(parse_po((resources_dir() / "i18n" / "zh_CN" / name).read_text("utf-8")))
    package = Path(__file__).resolve().parents[3] / "mailcomposer" / "message"
    missing = []
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                msgid = node.args[0].value
                if msgid not in catalog:
                    missing.append(msgid)
                else:
                    assert set(re.findall(r"\{\w+\}", msgid)) == set(
                        re.findall(r"\{\w+\}", catalog[msgid])
                    ), msgid
    assert missing == []
