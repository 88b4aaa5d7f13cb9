"""Lists pasted from Word, Outlook and WPS made real lists again.

Word puts a list on the clipboard as paragraphs, each with its bullet or number typed
in front (``·`` in the Symbol font, ``1.``, ``a)``) inside ``<![if !supportLists]>``
and a ``mso-list:l0 level1 lfo1`` style naming the list and the level. Pasted as is,
the message shows Symbol-font dots (a ``·`` or a box in most mail clients) and
numbers the recipient cannot renumber. ``word_lists_to_html`` turns each run of such
paragraphs into ``<ul>``/``<ol>`` with ``<li>`` items, nested by level; everything
else is left as it was.
"""

from __future__ import annotations

import html as htmllib
import re

_LIST_PARAGRAPH = re.compile(
    r"<p\b(?P<attrs>[^>]*?mso-list:\s*(?P<list>l\d+)\s+level(?P<level>\d+)[^>]*)>"
    r"(?P<body>.*?)</p\s*>",
    re.IGNORECASE | re.DOTALL,
)
# The typed bullet or number: Word's conditional block, or the span it marks Ignore.
_MARKER_BLOCK = re.compile(r"<!\[if !supportLists\]>(.*?)<!\[endif\]>", re.IGNORECASE | re.DOTALL)
_IGNORED_SPAN = re.compile(
    r"<span[^>]*mso-list:\s*Ignore[^>]*>(.*?)</span>(?:\s*</span>)*", re.IGNORECASE | re.DOTALL
)
_TAGS = re.compile(r"<[^>]*>")
_BETWEEN = re.compile(r"^(?:\s|<o:p>\s*</o:p>|&nbsp;)*$", re.IGNORECASE)
_NUMBERED = re.compile(r"^\(?(?:\d{1,3}|[a-zA-Z]|[ivxlcIVXLC]{1,6})[.)]")
# Word's mso-list paragraphs carry a negative indent that made room for the marker.
_INDENT = re.compile(r"(?:margin-left|text-indent)\s*:[^;'\"]*;?", re.IGNORECASE)


def _marker(body: str) -> tuple[str, str]:
    """The typed marker's text and the body without it."""
    found = _MARKER_BLOCK.search(body) or _IGNORED_SPAN.search(body)
    if found is None:
        return "", body
    text = htmllib.unescape(_TAGS.sub("", found.group(1))).replace("\xa0", " ").strip()
    return text, body[: found.start()] + body[found.end() :]


def word_lists_to_html(html: str) -> str:
    """Return ``html`` with Word's list paragraphs as ``<ul>``/``<ol>`` lists."""
    if "mso-list" not in html:
        return html
    out: list[str] = []
    run: list[tuple[int, bool, str]] = []  # (level, numbered, the item) of one list
    last = 0
    for match in _LIST_PARAGRAPH.finditer(html):
        gap = html[last : match.start()]
        if run and not _BETWEEN.match(gap):
            out.append(_lists(run))
            run = []
        if not run:
            out.append(gap)
        marker, body = _marker(match.group("body"))
        attrs = _INDENT.sub("", match.group("attrs"))
        level = max(1, min(int(match.group("level")), 9))
        run.append((level, bool(_NUMBERED.match(marker)), f"<li{attrs}>{body.strip()}</li>"))
        last = match.end()
    if run:
        out.append(_lists(run))
    out.append(html[last:])
    return "".join(out)


def _lists(items: list[tuple[int, bool, str]]) -> str:
    """Nest ``items`` by level: each deeper level opens a list inside the one above."""
    parts: list[str] = []
    open_tags: list[str] = []
    for level, numbered, item in items:
        tag = "ol" if numbered else "ul"
        while len(open_tags) > level:
            parts.append(f"</{open_tags.pop()}>")
        if len(open_tags) == level and open_tags[-1] != tag:
            parts.append(f"</{open_tags.pop()}>")
        while len(open_tags) < level:
            open_tags.append(tag)
            parts.append(f"<{tag}>")
        parts.append(item)
    while open_tags:
        parts.append(f"</{open_tags.pop()}>")
    return "".join(parts)
