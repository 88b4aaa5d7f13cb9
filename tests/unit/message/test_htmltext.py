"""The text/plain alternative made from HTML keeps the structure readable."""

from __future__ import annotations

from mailcomposer.message.htmltext import html_to_text


def test_paragraphs_and_breaks() -> None:
    text = html_to_text("<p>Hello <b>world</b>,<br>second line</p><p>Next &amp; last</p>")
    assert text == "Hello world,\nsecond line\n\nNext & last\n"


def test_lists() -> None:
    text = html_to_text("<ul><li>one</li><li>two</li></ul><ol><li>a</li><li>b</li></ol>")
    assert "- one\n- two" in text
    assert "1. a\n2. b" in text


def test_nested_list_is_indented() -> None:
    text = html_to_text("<ul><li>top<ul><li>inner</li></ul></li></ul>")
    assert "- top\n   - inner" in text


def test_links_show_their_target() -> None:
    text = html_to_text(
        '<p>See <a href="https://x.org/">our site</a> or <a href="https://y.org">https://y.org</a></p>'
    )
    assert text == "See our site <https://x.org/> or https://y.org\n"


def test_headings_quotes_and_rules() -> None:
    text = html_to_text(
        "<h1>Title</h1><blockquote><p>quoted</p><p>more</p></blockquote><hr><p>end</p>"
    )
    assert text.startswith("Title\n=====\n")
    assert "> quoted\n>\n> more" in text
    assert "-" * 40 in text
    assert text.endswith("end\n")


def test_scripts_styles_and_object_marks_are_dropped() -> None:
    text = html_to_text(
        "<head><style>p{color:red}</style><title>T</title></head><script>x()</script><p>a\ufffcb</p>"
    )
    assert text == "ab\n"


def test_pre_keeps_spacing() -> None:
    assert "  code\n    more" in html_to_text("<pre>  code\n    more</pre>")
