"""Turn an HTML body into the readable text/plain alternative."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "nav",
        "aside",
        "address",
        "figure",
        "figcaption",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "dl",
        "dt",
        "dd",
        "center",
        "form",
        "fieldset",
    ]
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SKIP = frozenset({"script", "style", "head", "title", "template", "noscript"})
_SPACE = re.compile(r"[ \t\n\r\f\v]+")


class _TextWriter(HTMLParser):
    """Collects text and block structure while the HTML is parsed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._inline: list[str] = []
        self._quote = 0
        self._lists: list[list] = []  # [kind, counter]
        self._marker = ""  # list marker waiting for the first line of an item
        self._in_item = 0
        self._pre = 0
        self._skip = 0
        self._blank_before = False
        self._links: list[tuple[str, int]] = []  # (href, index in _inline at start)
        self._heading = ""
        self._last_quote = 0

    # -- output helpers -------------------------------------------------------
    def _prefix(self) -> str:
        return "> " * self._quote

    def _indent(self) -> str:
        return "   " * max(0, len(self._lists) - 1) if self._lists else ""

    def _emit(self, text: str) -> None:
        if self._blank_before and self.lines and self.lines[-1].strip("> ") != "":
            self.lines.append(("> " * min(self._quote, self._last_quote)).rstrip())
        self._last_quote = self._quote
        self._blank_before = False
        if self._marker:
            lead = self._indent() + self._marker
            self._marker = ""
        elif self._in_item:
            lead = self._indent() + "   "
        else:
            lead = ""
        self.lines.append(self._prefix() + lead + text)

    def _flush(self, keep_empty: bool = False) -> None:
        raw = "".join(self._inline)
        self._inline = []
        if self._pre:
            text_lines = raw.split("\n")
            for line in text_lines:
                self._emit(line.rstrip())
            return
        text = _SPACE.sub(" ", raw).strip()
        if text:
            self._emit(text)
            if self._heading in ("h1", "h2"):
                self.lines.append(
                    self._prefix() + ("=" if self._heading == "h1" else "-") * min(len(text), 72)
                )
        elif keep_empty:
            self._emit("")

    def _block(self) -> None:
        self._flush()
        self._blank_before = True

    # -- parser callbacks -----------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
            return
        if self._skip:
            return
        attr = dict(attrs)
        if tag in _BLOCKS:
            self._block()
        elif tag in _HEADINGS:
            self._block()
            self._heading = tag
        elif tag == "br":
            self._flush(keep_empty=True)
        elif tag == "hr":
            self._block()
            self._emit("-" * 40)
            self._blank_before = True
        elif tag in ("ul", "ol"):
            self._flush()
            if not self._lists:
                self._blank_before = True
            self._lists.append([tag, 0])
        elif tag == "li":
            self._flush()
            if self._lists:
                kind = self._lists[-1]
                kind[1] += 1
                self._marker = f"{kind[1]}. " if kind[0] == "ol" else "- "
            else:
                self._marker = "- "
            self._in_item += 1
        elif tag == "blockquote":
            self._block()
            self._quote += 1
        elif tag == "pre":
            self._block()
            self._pre += 1
        elif tag == "a":
            self._links.append((attr.get("href") or "", len(self._inline)))
        elif tag == "img":
            alt = (attr.get("alt") or "").strip()
            if alt:
                self._inline.append(f"[{alt}]")
        elif tag in ("td", "th") and self._inline:
            self._inline.append("  ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
            return
        if self._skip:
            return
        if tag in _BLOCKS:
            self._block()
        elif tag in _HEADINGS:
            self._flush()
            self._heading = ""
            self._blank_before = True
        elif tag in ("ul", "ol"):
            self._flush()
            if self._lists:
                self._lists.pop()
            if not self._lists:
                self._blank_before = True
        elif tag == "li":
            self._flush()
            self._in_item = max(0, self._in_item - 1)
            self._marker = ""
        elif tag == "blockquote":
            self._flush()
            self._quote = max(0, self._quote - 1)
            self._blank_before = True
        elif tag == "pre":
            self._flush()
            self._pre = max(0, self._pre - 1)
            self._blank_before = True
        elif tag == "a" and self._links:
            href, start = self._links.pop()
            text = _SPACE.sub(" ", "".join(self._inline[start:])).strip()
            target = href.strip()
            if target.lower().startswith("mailto:"):
                target = target[7:]
            if target and not target.startswith(("#", "cid:", "javascript:")) and (target != text):
                self._inline.append(f" <{target}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "hr", "img"):
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._inline.append(data.replace("\ufffc", ""))

    def close(self) -> None:
        super().close()
        self._flush()


def html_to_text(html: str) -> str:
    """Render ``html`` as plain text: paragraphs, lists, quotes and links kept readable.

    Lists become ``- item`` / ``1. item``, links ``text <url>``, blockquotes ``> ``,
    ``<hr>`` a line of dashes; scripts, styles and the head are dropped.
    """
    writer = _TextWriter()
    writer.feed(html)
    writer.close()
    lines = [line.rstrip() for line in writer.lines]
    while lines and not lines[-1].strip("> "):
        lines.pop()
    while lines and not lines[0].strip("> "):
        lines.pop(0)
    text = "\n".join(lines)
    return text + "\n" if text else ""
