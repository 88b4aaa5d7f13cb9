"""Make pasted HTML safe to keep: only web, mail and phone links, no background images."""

from __future__ import annotations

import html as htmllib
import re

# The link targets a message may carry; the Link dialog refuses every other scheme
# (javascript:, vbscript:, file:, data: ...), and so does paste.
SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto", "ftp", "tel"})

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_TAG = re.compile(r"""<[A-Za-z](?:[^>"']|"[^"]*"|'[^']*')*>""")
_ATTR = re.compile(
    r"""(?<![\w-])(href|style|background)(\s*=\s*)("([^"]*)"|'([^']*)'|([^\s"'>]+))""",
    re.IGNORECASE,
)
_STYLE_BLOCK = re.compile(r"(<style\b[^>]*>)(.*?)(</style\s*>)", re.IGNORECASE | re.DOTALL)
_RULE_BODY = re.compile(r"\{([^{}]*)\}")
_COLOR_FUNCTIONS = ("rgb(", "rgba(", "hsl(", "hsla(")
# Words of the CSS background shorthand that are not colours.
_BACKGROUND_WORDS = frozenset(
    [
        "none",
        "inherit",
        "initial",
        "unset",
        "revert",
        "transparent",
        "repeat",
        "no-repeat",
        "repeat-x",
        "repeat-y",
        "space",
        "round",
        "scroll",
        "fixed",
        "local",
        "top",
        "bottom",
        "left",
        "right",
        "center",
        "auto",
        "cover",
        "contain",
        "border-box",
        "padding-box",
        "content-box",
        "text",
    ]
)


def link_scheme(href: str) -> str | None:
    """Return the scheme of a link target as a browser reads it, lower-case, or None.

    Browsers drop leading and trailing spaces and control characters and every tab
    and line break inside a URL, so ``" java\\tscript:"`` is ``javascript:``.
    """
    text = href.strip("".join(chr(c) for c in range(0x21)))
    text = re.sub(r"[\t\n\r]", "", text)
    match = _SCHEME.match(text)
    return match.group(1).lower() if match else None


def is_safe_link(href: str) -> bool:
    """True when a link to ``href`` may go into a message (web, mail, ftp or phone)."""
    return link_scheme(href) in SAFE_LINK_SCHEMES


def _split_outside(text: str, separator: str) -> list[str]:
    """Split CSS text at ``separator`` where it is outside parentheses and quotes."""
    pieces: list[str] = []
    current: list[str] = []
    depth = 0
    quote = ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == separator and depth == 0:
            pieces.append("".join(current))
            current = []
            continue
        current.append(ch)
    pieces.append("".join(current))
    return pieces


def _background_color(value: str) -> str | None:
    """The colour in a ``background`` shorthand value, or None when it has none."""
    for token in _split_outside(value.strip(), " "):
        word = token.strip().lower()
        if not word or ("(" in word and not word.startswith(_COLOR_FUNCTIONS)):
            continue  # url(...), gradients, empty pieces
        if word.startswith("#") or word.startswith(_COLOR_FUNCTIONS):
            return token.strip()
        if word.isalpha() and word not in _BACKGROUND_WORDS:
            return token.strip()
    return None


def clean_declarations(css: str) -> str:
    """Drop background images (and any other ``url()``) from CSS declarations.

    A ``background`` shorthand keeps only its colour, as ``background-color``: Qt
    reads ``background:url(...)`` as a colour it cannot parse and paints black.
    """
    kept: list[str] = []
    for declaration in _split_outside(css, ";"):
        name, colon, value = declaration.partition(":")
        prop = name.strip().lower()
        if not colon:
            if declaration.strip():
                kept.append(declaration)
            continue
        if prop == "background":
            color = _background_color(value)
            if color:
                kept.append(f"background-color:{color}")
            continue
        if prop == "background-image" or "url(" in value.lower().replace(" ", ""):
            continue
        kept.append(declaration)
    return ";".join(kept)


def _clean_tag(tag: str) -> str:
    def attr(match: re.Match[str]) -> str:
        raw = next(g for g in (match.group(4), match.group(5), match.group(6)) if g is not None)
        value = htmllib.unescape(raw)
        name = match.group(1).lower()
        if name == "background":
            return ""  # <td background="...">: an image behind the text
        if name == "href":
            return match.group(0) if is_safe_link(value) else ""
        cleaned = clean_declarations(value)
        return f'{match.group(1)}="{htmllib.escape(cleaned, quote=True)}"'

    return _ATTR.sub(attr, tag)


def clean_pasted_html(html: str) -> str:
    """Return pasted HTML without unsafe links and background images, all else unchanged.

    A link whose scheme the Link dialog refuses loses its ``href`` (its text stays);
    ``background-image``, the image of a ``background`` shorthand (its colour stays)
    and ``background=`` attributes go, in style attributes and ``<style>`` blocks.
    """

    def style_block(match: re.Match[str]) -> str:
        body = _RULE_BODY.sub(lambda m: "{" + clean_declarations(m.group(1)) + "}", match.group(2))
        return match.group(1) + body + match.group(3)

    html = _STYLE_BLOCK.sub(style_block, html)
    return _TAG.sub(lambda m: _clean_tag(m.group(0)), html)
