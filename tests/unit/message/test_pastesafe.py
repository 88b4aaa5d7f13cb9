"""Pasted HTML made safe without Qt: link schemes, background images, the rest untouched."""

from __future__ import annotations

import pytest

from mailcomposer.message.pastesafe import clean_declarations, clean_pasted_html, is_safe_link


@pytest.mark.parametrize(
    ("href", "safe"),
    [
        ("https://example.org", True),
        ("HTTP://example.org", True),
        ("mailto:ann@example.org", True),
        ("tel:+1234", True),
        ("ftp://example.org/f", True),
        ("javascript:alert(1)", False),
        ("  JavaScript:alert(1)", False),
        ("java\tscri\npt:alert(1)", False),
        ("\x01javascript:alert(1)", False),
        ("vbscript:x", False),
        ("file:///etc/passwd", False),
        ("data:text/html,x", False),
        ("relative/page.html", False),
        ("", False),
    ],
)
def test_is_safe_link(href: str, safe: bool) -> None:
    assert is_safe_link(href) is safe


@pytest.mark.parametrize(
    ("css", "expected"),
    [
        ("background:url(a.png)", ""),
        ("color:red; background: #fff url('a;b.png') no-repeat", "color:red;background-color:#fff"),
        ("background: url(a.png) rgb(1, 2, 3)", "background-color:rgb(1, 2, 3)"),
        ("background:none", ""),
        ("background-image:url(x)", ""),
        ("background-color:#abc", "background-color:#abc"),
        ("font-weight:bold", "font-weight:bold"),
        ("list-style-image: url(x.png); color:blue", " color:blue"),
    ],
)
def test_clean_declarations(css: str, expected: str) -> None:
    assert clean_declarations(css) == expected


def test_other_markup_is_left_exactly_as_it_was() -> None:
    html = (
        '<p class="a" title="x > y">Text &amp; more <b>bold</b>'
        '<a href="https://example.org/?a=1&amp;b=2">link</a><img src="data:image/png;base64,AA">'
        "</p><!-- comment -->"
    )
    assert clean_pasted_html(html) == html


def test_unsafe_href_and_background_attribute_are_removed() -> None:
    out = clean_pasted_html(
        '<a href="javascript&#58;alert(1)" title="t">x</a><td background="bg.png">y</td>'
    )
    assert "href" not in out and "background" not in out
    assert 'title="t">x</a>' in out and ">y</td>" in out


def test_style_blocks_lose_background_images() -> None:
    out = clean_pasted_html("<style>p { background: red url(x.png) } .b{color:blue}</style>")
    assert out == "<style>p {background-color:red} .b{color:blue}</style>"
