"""HTML files: local images become inline images named by their src; remote ones stay."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mailcomposer.message.errors import InputError
from mailcomposer.message.htmlfile import load_html_file
from mailcomposer.message.mime import build_message
from tests.unit.message.helpers import JPEG, PNG, draft, parse


def test_local_images(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "a b.png").write_bytes(PNG)
    (tmp_path / "p&q.jpg").write_bytes(JPEG)
    other = tmp_path / "elsewhere.png"
    other.write_bytes(PNG)
    html = (
        "<html><body><img src=\"img/a b.png\"><img src='p&amp;q.jpg'>"
        f'<img src="{other.as_uri()}"><img src="https://example.org/r.png">'
        '<img src="img/a b.png"></body></html>'
    )
    page = tmp_path / "page.html"
    page.write_text(html, encoding="utf-8")
    text, images = load_html_file(page)
    assert text == html
    assert [i.name for i in images] == ["img/a b.png", "p&amp;q.jpg", other.as_uri()]
    assert [i.content_type for i in images] == ["image/png", "image/jpeg", "image/png"]
    assert images[1].data == JPEG

    built = build_message(draft(html=text, inline_images=images))
    out = parse(built.wire().to_bytes())
    body = out.get_body(("html",)).get_content()
    assert len(re.findall(r'src="cid:', body)) == 4
    assert 'src="https://example.org/r.png"' in body
    assert len([p for p in out.walk() if p.get_content_maintype() == "image"]) == 3


def test_missing_image_names_the_file(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text('<img src="nothere.png">', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_html_file(page)
    assert "nothere.png" in info.value.message
    assert info.value.value == str(tmp_path / "nothere.png")


def test_missing_html_file(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_html_file(tmp_path / "none.html")


def test_legacy_charset(tmp_path: Path) -> None:
    page = tmp_path / "gbk.html"
    page.write_bytes('<meta charset="gbk"><p>你好</p>'.encode("gbk"))
    text, images = load_html_file(page)
    assert "你好" in text and images == []
