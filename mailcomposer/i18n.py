"""The one translation helper: ``_()`` for every user-visible string, core and GUI.

Catalogs are gettext ``.po`` files under ``resources/i18n/<language>/`` (one per
area of the code, merged) read at run time by a small parser, so no compile step is
needed in development or in the frozen app; the merged result is kept in the home
folder's ``cache/`` and read back while the files are unchanged.
English is the source language; ``zh_CN`` is shipped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
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


PLURAL_SEPARATOR = "\x00"
_MSGSTR_N = re.compile(r"msgstr\[(\d+)\]\s")


def parse_po(text: str) -> dict[str, str]:
    """Parse the entries of a .po file (no contexts) into one dict.

    A plain entry maps its msgid to its msgstr. A plural entry (``msgid_plural``
    with ``msgstr[0]``, ``msgstr[1]`` ...) is stored the way a compiled ``.mo``
    file stores it: the key is ``singular NUL plural``, the value the forms joined
    by NUL. The header (msgid ``""``) is left out: see :func:`plural_rule`.
    """
    entries: dict[str, str] = {}
    msgid: list[str] | None = None
    plural: list[str] | None = None
    forms: dict[int, list[str]] = {}
    current: list[str] | None = None

    def flush() -> None:
        if msgid is None or not forms:
            return
        key = "".join(msgid)
        if not key:
            return
        if plural is not None:
            key += PLURAL_SEPARATOR + "".join(plural)
            values = ["".join(forms[index]) for index in sorted(forms)]
            if all(values):
                entries[key] = PLURAL_SEPARATOR.join(values)
        else:
            value = "".join(forms.get(0, []))
            if value:
                entries[key] = value

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            flush()
            msgid, plural, forms = [_po_string(line[6:])], None, {}
            current = msgid
        elif line.startswith("msgid_plural "):
            plural = [_po_string(line[13:])]
            current = plural
        elif line.startswith("msgstr "):
            forms = {0: [_po_string(line[7:])]}
            current = forms[0]
        elif (match := _MSGSTR_N.match(line)) is not None:
            current = forms.setdefault(int(match[1]), [])
            current.append(_po_string(line[match.end() :]))
        elif line.startswith('"') and current is not None:
            current.append(_po_string(line))
    flush()
    return entries


def plural_rule(header: str) -> Callable[[int], int]:
    """The plural-form chooser named by a catalog's ``Plural-Forms`` header line.

    ``header`` may be the header or the whole text of the .po file.

    The expression is C syntax (``nplurals=2; plural=(n != 1);``); the standard
    library's gettext turns it into a function safely (it accepts only the
    operators a plural expression may use). No header: the English rule.
    """
    match = re.search(r"plural\s*=\s*([^;\n]+)", header) if "plural" in header else None
    if match is None:
        return english_plural
    import gettext  # only for a catalog's rule: English starts without it

    return gettext.c2py(match[1].strip())


def english_plural(n: int) -> int:
    """English: the first form for one, the second for any other count."""
    return int(n != 1)


_plural: Callable[[int], int] = english_plural


def detect_language(
    env: dict[str, str] | None = None,
    *,
    platform_language: Callable[[], str] | None = None,
) -> str:
    """Pick the shipped language closest to the user's (``MAILCOMPOSER_LANG`` wins).

    Then LC_ALL, LC_MESSAGES and LANG; without them the platform's answer: on
    Windows the user's UI language (``GetUserDefaultUILanguage``), as
    ``locale.getlocale()`` there names the region in words (``Chinese
    (Simplified)_China``); elsewhere ``locale.getlocale()``. Every Chinese variant
    maps to ``zh_CN``: Traditional Chinese (zh_TW, zh_HK, zh_MO) is not shipped and
    Simplified is the closest to it.

    Args:
        env: the environment (default: ``os.environ``).
        platform_language: returns the platform's language name (tests inject it).
    """
    env = dict(os.environ) if env is None else env
    wanted = env.get("MAILCOMPOSER_LANG") or env.get("LC_ALL") or env.get("LC_MESSAGES") or ""
    wanted = wanted or env.get("LANG", "")
    if not wanted:
        wanted = (platform_language or _platform_language)()
    return "zh_CN" if _is_chinese(wanted) else "en"


def _is_chinese(name: str) -> bool:
    text = name.strip().lower()
    return text.startswith(("zh", "chinese")) or text in ("c-zh", "cn")


def windows_ui_language(get_lcid: Callable[[], int] | None = None) -> str:
    """Return the Windows UI language as a locale name (``zh_CN``), or '' if unknown.

    Args:
        get_lcid: returns the LCID (default: ``kernel32.GetUserDefaultUILanguage``).
    """
    if get_lcid is None:
        import ctypes

        get_lcid = ctypes.windll.kernel32.GetUserDefaultUILanguage  # type: ignore[attr-defined]
    try:
        lcid = int(get_lcid())
    except (OSError, AttributeError, TypeError, ValueError):
        return ""
    import locale  # here: a start with LANG set has no use for it

    return locale.windows_locale.get(lcid, "")


def _platform_language() -> str:
    import sys

    if sys.platform == "win32":
        name = windows_ui_language()
        if name:
            return name
    import locale

    try:
        return locale.getlocale()[0] or ""
    except ValueError:
        return ""


def set_language(language: str, cache_dir: Path | None = None) -> None:
    """Switch the catalog used by ``_()``; unknown languages fall back to English.

    With ``cache_dir``, the merged catalog is kept there and read back while the
    ``.po`` files are unchanged: parsing them costs a translated start ~14 ms, the
    copy ~1 ms.
    """
    global _catalog, _language, _plural
    _language = language if language in SUPPORTED else "en"
    _catalog = {}
    _plural = english_plural
    if _language != "en":
        _catalog, header = load_catalog(resources_dir() / "i18n" / _language, cache_dir)
        _plural = plural_rule(header)


_CACHE_FORMAT = 1


def load_catalog(folder: Path, cache_dir: Path | None = None) -> tuple[dict[str, str], str]:
    """The merged entries of ``folder``'s ``.po`` files and their ``Plural-Forms`` line.

    The key of a kept copy is a checksum of every file's name and bytes, so an
    edited, added or removed catalog is parsed again. A copy that cannot be read or
    written is simply not used.
    """
    import zlib

    texts = [(path.name, path.read_bytes()) for path in sorted(folder.glob("*.po"))]
    key = 0
    for name, data in texts:
        key = zlib.crc32(data, zlib.crc32(name.encode("utf-8"), key))
    key_text = f"{_CACHE_FORMAT}:{len(texts)}:{key:08x}"
    kept = cache_dir / f"catalog-{folder.name}.json" if cache_dir is not None else None
    if kept is not None:
        found = _read_kept(kept, key_text)
        if found is not None:
            return found
    catalog: dict[str, str] = {}
    header = ""
    for _name, data in texts:
        text = data.decode("utf-8")
        catalog.update(parse_po(text))
        match = re.search(r"^\"Plural-Forms:[^\n]*", text, re.MULTILINE)
        if match:
            header = match[0]
    if kept is not None:
        _write_kept(kept, {"key": key_text, "header": header, "entries": catalog})
    return catalog, header


def _read_kept(path: Path, key: str) -> tuple[dict[str, str], str] | None:
    import json

    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("key") != key:
        return None
    entries, header = kept.get("entries"), kept.get("header")
    if not isinstance(entries, dict) or not isinstance(header, str):
        return None
    if set(map(type, entries.values())) - {str}:  # (JSON keys are always text)
        return None
    return entries, header


def _write_kept(path: Path, kept: dict[str, object]) -> None:
    import json

    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass  # no folder to write in: nothing was left behind


def language() -> str:
    """Return the language in use."""
    return _language


def _(message: str) -> str:
    """Translate ``message`` into the current language (English text is the key)."""
    return _catalog.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message whose form depends on a count ``n``.

    English picks ``singular`` for 1 and ``plural`` otherwise; a catalog gives as
    many forms as its language has (Chinese: one) and its ``Plural-Forms`` header
    picks among them. Format the count in yourself:
    ``ngettext("{n} message", "{n} messages", n).format(n=n)``.
    """
    forms = _catalog.get(singular + PLURAL_SEPARATOR + plural)
    if forms is None:
        return singular if n == 1 else plural
    choices = forms.split(PLURAL_SEPARATOR)
    index = _plural(n)
    return choices[index] if 0 <= index < len(choices) else choices[-1]


def sentences(*parts: str) -> str:
    """Join translated sentences as their language writes them.

    A space between English sentences; none after a full-width mark (``。``, ``！``,
    ``：``, ``）``...) as Chinese is written: "邮件太大。 未投递" would read as a gap.
    Empty parts are left out.
    """
    text = ""
    for part in parts:
        if not part:
            continue
        if text and not _ends_full_width(text):
            text += " "
        text += part
    return text


def _ends_full_width(text: str) -> bool:
    last = ord(text[-1])
    return 0x3000 <= last <= 0x303F or 0xFF00 <= last <= 0xFFEF


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it now (for constants)."""
    return message
