"""The one translation helper: ``_()`` for every user-visible string, core and GUI.

Catalogs are gettext ``.po`` files under ``resources/i18n/<language>/`` (one per
area of the code, merged) read at run time by a small parser, so no compile step is
needed in development or in the frozen app.
English is the source language; ``zh_CN`` is shipped.
"""

from __future__ import annotations

import locale
import os
import re
from pathlib import Path

SUPPORTED = ("en", "zh_CN")

_catalog: dict[str, str] = {}
_language = "en"


def resources_dir() -> Path:
    """Return the folder holding icons, presets and catalogs.

    Frozen: bundled beside the code. Installed: inside the package (the wheel maps
    the top-level ``resources/`` to ``mailcomposer/resources``). Source tree or
    editable install: the top-level ``resources/`` folder itself.
    """
    import sys

    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    package = Path(__file__).resolve().parent
    installed = package / "resources"
    if (installed / "presets.json").is_file():
        return installed
    return package.parent / "resources"


_PO_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
_PO_ESCAPE = re.compile(r"\\(.)")


def _po_string(token: str) -> str:
    """The text of one quoted .po string (``"a \\"b\\" c"``), its escapes resolved.

    A small scanner instead of ``ast.literal_eval``: that builds a syntax tree per
    line, garbage with reference cycles which the start-up's collector pause would
    otherwise keep for good (see ``mailcomposer.ui.startup_objects``).
    """
    token = token.strip()
    if len(token) < 2 or token[0] != '"' or token[-1] != '"':
        raise ValueError(f"not a quoted .po string: {token[:40]!r}")
    body = token[1:-1]
    if "\\" not in body:
        return body
    return _PO_ESCAPE.sub(lambda match: _PO_ESCAPES.get(match[1], match[1]), body)


def parse_po(text: str) -> dict[str, str]:
    """Parse the msgid/msgstr pairs of a .po file (no plural forms, no contexts)."""
    entries: dict[str, str] = {}
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    current: list[str] | None = None

    def flush() -> None:
        if msgid is not None and msgstr is not None:
            key, value = "".join(msgid), "".join(msgstr)
            if key and value:
                entries[key] = value

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            flush()
            msgid, msgstr = [_po_string(line[6:])], None
            current = msgid
        elif line.startswith("msgstr "):
            msgstr = [_po_string(line[7:])]
            current = msgstr
        elif line.startswith('"') and current is not None:
            current.append(_po_string(line))
    flush()
    return entries


def detect_language(env: dict[str, str] | None = None) -> str:
    """Pick the shipped language closest to the user's locale (``MAILCOMPOSER_LANG`` wins)."""
    env = dict(os.environ) if env is None else env
    wanted = env.get("MAILCOMPOSER_LANG") or env.get("LC_ALL") or env.get("LC_MESSAGES") or ""
    wanted = wanted or env.get("LANG", "")
    if not wanted:
        try:
            wanted = locale.getlocale()[0] or ""
        except ValueError:
            wanted = ""
    return "zh_CN" if wanted.lower().startswith("zh") else "en"


def set_language(language: str) -> None:
    """Switch the catalog used by ``_()``; unknown languages fall back to English."""
    global _catalog, _language
    _language = language if language in SUPPORTED else "en"
    _catalog = {}
    if _language != "en":
        for path in sorted((resources_dir() / "i18n" / _language).glob("*.po")):
            _catalog.update(parse_po(path.read_text(encoding="utf-8")))


def language() -> str:
    """Return the language in use."""
    return _language


def _(message: str) -> str:
    """Translate ``message`` into the current language (English text is the key)."""
    return _catalog.get(message, message)


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it now (for constants)."""
    return message
