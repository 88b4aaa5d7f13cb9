"""Translations: the catalog parser, language choice, and a complete zh_CN catalog."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import mailcomposer
from mailcomposer import i18n

PACKAGE = Path(mailcomposer.__file__).parent


def plural_strings() -> dict[tuple[str, str], str]:
    """Every literal pair passed to ``ngettext()`` in the package, with where it is."""
    found: dict[tuple[str, str], str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "ngettext"
                and len(node.args) >= 2
                and all(isinstance(a, ast.Constant) for a in node.args[:2])
            ):
                key = (node.args[0].value, node.args[1].value)
                found.setdefault(key, f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def translatable_strings() -> dict[str, str]:
    """Every literal passed to ``_()`` or ``N_()`` in the package, with where it is."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def test_parse_po_handles_multiline_and_escapes() -> None:
    text = (
        '# comment\nmsgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Send"\nmsgstr "发送"\n\n'
        'msgid ""\n"Two "\n"lines"\nmsgstr ""\n"两"\n"行"\n\n'
        'msgid "Quote \\"x\\""\nmsgstr "引号“x”"\n\n'
        'msgid "Untranslated"\nmsgstr ""\n'
    )
    assert i18n.parse_po(text) == {"Send": "发送", "Two lines": "两行", 'Quote "x"': "引号“x”"}


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"MAILCOMPOSER_LANG": "zh_CN"}, "zh_CN"),
        ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LANG": "zh_TW.UTF-8"}, "zh_CN"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    ],
)
def test_detect_language(env: dict[str, str], expected: str) -> None:
    assert i18n.detect_language(env) == expected


def test_switching_language_translates_and_falls_back() -> None:
    i18n.set_language("zh_CN")
    assert i18n.language() == "zh_CN"
    assert i18n._("mailcomposer") != "mailcomposer"
    assert i18n._("a string nobody translated") == "a string nobody translated"
    i18n.set_language("klingon")
    assert i18n.language() == "en"
    assert i18n._("mailcomposer") == "mailcomposer"


def test_every_user_visible_string_has_a_chinese_translation() -> None:
    i18n.set_language("zh_CN")
    strings = translatable_strings()
    assert strings, "no translatable strings found"
    missing = [f"{where}: {text!r}" for text, where in strings.items() if i18n._(text) == text]
    assert not missing, (
        "untranslated strings (add them to resources/i18n/zh_CN/*.po):\n" + "\n".join(missing)
    )


def test_every_plural_string_has_a_chinese_translation() -> None:
    i18n.set_language("zh_CN")
    missing = [
        f"{where}: {singular!r}"
        for (singular, plural), where in plural_strings().items()
        if i18n.ngettext(singular, plural, 2) in (singular, plural)
    ]
    assert not missing, "untranslated plural strings:\n" + "\n".join(missing)


def test_plural_entries_parse_and_pick_the_right_form() -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "{n} message"\nmsgid_plural "{n} messages"\n'
        'msgstr[0] "{n} Nachricht"\nmsgstr[1] "{n} Nachrichten"\n'
    )
    catalog = i18n.parse_po(text)
    rule = i18n.plural_rule(text)
    assert "" not in catalog
    forms = catalog["{n} message\x00{n} messages"].split("\x00")
    assert forms == ["{n} Nachricht", "{n} Nachrichten"]
    assert [rule(n) for n in (0, 1, 2, 11)] == [1, 0, 1, 1]
    assert i18n.plural_rule("")(1) == 0
    assert i18n.plural_rule("nplurals=1; plural=0;")(5) == 0


def test_ngettext_follows_the_language() -> None:
    i18n.set_language("en")
    assert i18n.ngettext("{n} file", "{n} files", 1) == "{n} file"
    assert i18n.ngettext("{n} file", "{n} files", 0) == "{n} files"
    i18n.set_language("zh_CN")
    # An untranslated pair falls back to English forms, never raises.
    assert i18n.ngettext("{n} zork", "{n} zorks", 3) == "{n} zorks"
    i18n.set_language("en")


def test_translations_keep_their_placeholders() -> None:
    import re

    i18n.set_language("zh_CN")
    placeholder = re.compile(r"\{[a-z_0-9]*(?::[^}]*)?\}")
    wrong = []
    for text in translatable_strings():
        translated = i18n._(text)
        if sorted(placeholder.findall(text)) != sorted(placeholder.findall(translated)):
            wrong.append(f"{text!r} -> {translated!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_po_strings_are_read_exactly_as_python_would() -> None:
    from mailcomposer.i18n import _po_string

    for token in [
        '"plain"',
        '"a \\"quoted\\" word"',
        '"tab\\tnew\\nline"',
        '"back\\\\slash"',
        '""',
    ]:
        assert _po_string(token) == ast.literal_eval(token)


def test_every_shipped_catalog_line_parses_as_before() -> None:
    """The scanner that replaced ast.literal_eval reads every real catalog identically."""
    from mailcomposer.i18n import _po_string, resources_dir

    checked = 0
    for catalog in sorted(Path(resources_dir(), "i18n").rglob("*.po")):
        for line in catalog.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            for head in ("msgid ", "msgstr ", "msgid_plural ", "msgstr[0] ", "msgstr[1] ", ""):
                if line.startswith(head + '"'):
                    token = line[len(head) :]
                    assert _po_string(token) == ast.literal_eval(token), (catalog, line)
                    checked += 1
                    break
    assert checked > 500


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Chinese (Simplified)_China", "zh_CN"),  # locale.getlocale() on Chinese Windows
        ("Chinese (Traditional)_Taiwan", "zh_CN"),
        ("zh_SG", "zh_CN"),
        ("English_United States", "en"),
        ("", "en"),
    ],
)
def test_detect_language_asks_the_platform_without_environment(answer: str, expected: str):
    assert i18n.detect_language({}, platform_language=lambda: answer) == expected


@pytest.mark.parametrize(
    ("lcid", "name", "language"),
    [
        (0x0804, "zh_CN", "zh_CN"),  # Chinese (Simplified, PRC)
        (0x1004, "zh_SG", "zh_CN"),  # Chinese (Simplified, Singapore)
        (0x0404, "zh_TW", "zh_CN"),  # Traditional: the closest shipped is zh_CN
        (0x0C04, "zh_HK", "zh_CN"),
        (0x1404, "zh_MO", "zh_CN"),
        (0x0409, "en_US", "en"),
    ],
)
def test_windows_ui_language_maps_the_lcid(lcid: int, name: str, language: str) -> None:
    assert i18n.windows_ui_language(lambda: lcid) == name
    assert i18n.detect_language({}, platform_language=lambda: name) == language


def test_windows_ui_language_unknown_or_failing_is_empty() -> None:
    def broken() -> int:
        raise OSError("no kernel32")

    assert i18n.windows_ui_language(lambda: 0x7777) == ""
    assert i18n.windows_ui_language(broken) == ""


def test_sentences_are_joined_as_each_language_writes_them() -> None:
    assert i18n.sentences("Refused.", "", "Nothing was delivered.") == (
        "Refused. Nothing was delivered."
    )
    assert (
        i18n.sentences("被拒绝：邮件太大。", "未投递任何内容。")
        == "被拒绝：邮件太大。未投递任何内容。"
    )
    assert i18n.sentences("（见日志）", "Retry") == "（见日志）Retry"
    assert i18n.sentences("Stopped:", "邮件") == "Stopped: 邮件"  # after a half-width mark
    assert i18n.sentences() == ""
