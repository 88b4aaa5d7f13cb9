"""mailto: links (RFC 6068) become drafts; bad links are input errors."""

from __future__ import annotations

import pytest

from mailcomposer.message.errors import InputError
from mailcomposer.message.mailto import parse_mailto


def test_simple() -> None:
    d = parse_mailto("mailto:bob@example.org")
    assert d.to == "bob@example.org" and d.subject == "" and d.text == ""


def test_full() -> None:
    d = parse_mailto(
        "MAILTO:a@example.org,b@example.org?cc=c@example.org&bcc=d@example.org"
        "&subject=Gr%C3%BC%C3%9Fe%20a+b&body=line1%0D%0Aline2&to=e@example.org&x-unknown=1"
    )
    assert d.to == "a@example.org,b@example.org, e@example.org"
    assert d.cc == "c@example.org" and d.bcc == "d@example.org"
    assert d.subject == "Grüße a+b"
    assert d.text == "line1\nline2"


def test_percent_encoded_address_and_name() -> None:
    d = parse_mailto("mailto:%22Lee%2C%20K%22%20%3Ck@z.org%3E")
    assert d.to == '"Lee, K" <k@z.org>'


def test_empty_to_with_query() -> None:
    d = parse_mailto("mailto:?to=x@example.org&subject=hi")
    assert d.to == "x@example.org" and d.subject == "hi"


def test_from_is_ignored() -> None:
    assert parse_mailto("mailto:a@example.org?from=evil@example.org").from_addr == ""


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("http://example.org", "mailto"),
        ("mailto:a@example.org?subject=%zz", "mailto"),
        ("mailto:a@example.org?subject=%ff", "mailto"),
        ("mailto:bob@", "to"),
        ("mailto:a@example.org?cc=bad", "cc"),
        ("mailto:a@example.org?subject=a%0D%0ABcc:%20x@y.org", "subject"),
        ("mailto:a@example.org%0ABcc:x@y.org", "to"),
    ],
)
def test_bad_links(url: str, field: str) -> None:
    with pytest.raises(InputError) as info:
        parse_mailto(url)
    assert info.value.field == field
