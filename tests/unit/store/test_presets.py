"""Tests for the provider presets."""

from __future__ import annotations

import pytest

from mailcomposer import i18n
from mailcomposer.smtp.settings import Security
from mailcomposer.store import presets
from mailcomposer.store.presets import get, preset_for_address

REQUIRED = {
    "gmail", "outlook", "yahoo", "icloud", "qq", "163", "126", "yeah",
    "sina", "zoho", "fastmail", "gmx", "yandex", "aol",
}  # fmt: skip


def test_every_required_provider_is_there() -> None:
    assert {p.id for p in presets.presets()} >= REQUIRED


def test_ids_unique_and_lowercase() -> None:
    ids = [p.id for p in presets.presets()]
    assert len(ids) == len(set(ids))
    assert all(i == i.lower() and " " not in i for i in ids)


@pytest.mark.parametrize("preset", presets.presets(), ids=lambda p: p.id)
def test_port_matches_security(preset: presets.Preset) -> None:
    expected = {465: Security.TLS, 587: Security.STARTTLS}
    assert expected[preset.port] is preset.security
    assert preset.host and preset.host == preset.host.lower()


def test_domains_lowercase_and_claimed_once() -> None:
    seen: dict[str, str] = {}
    for preset in presets.presets():
        assert preset.domains
        for domain in preset.domains:
            assert domain == domain.lower().strip()
            assert domain not in seen, f"{domain} in {seen.get(domain)} and {preset.id}"
            seen[domain] = preset.id


def test_notes_translated_in_chinese() -> None:
    for preset in presets.presets():
        assert preset.note.strip()
    i18n.set_language("zh_CN")
    for preset in presets.presets():
        assert preset.note != preset.raw_note, f"{preset.id} note not translated"


@pytest.mark.parametrize(
    ("address", "preset_id"),
    [
        ("someone@gmail.com", "gmail"),
        ("Some One <someone@GoogleMail.com>", "gmail"),
        ("x@hotmail.com", "outlook"),
        ("x@live.com", "outlook"),
        ("12345@qq.com", "qq"),
        ("x@foxmail.com", "qq"),
        ("x@163.com", "163"),
        ("x@126.com", "126"),
        ("x@yeah.net", "yeah"),
        ("x@sina.cn", "sina"),
        ("x@icloud.com", "icloud"),
    ],
)
def test_preset_for_address(address: str, preset_id: str) -> None:
    preset = preset_for_address(address)
    assert preset is not None and preset.id == preset_id


@pytest.mark.parametrize("address", ["x@example.com", "x@mail.qq.com.evil", "no-at", "", "x@"])
def test_no_preset_for_unknown_domains(address: str) -> None:
    assert preset_for_address(address) is None


def test_documented_settings() -> None:
    qq = get("qq")
    assert qq is not None
    assert (qq.host, qq.port, qq.security) == ("smtp.qq.com", 465, Security.TLS)
    gmail = get("GMAIL")
    assert gmail is not None
    settings = gmail.settings("me@gmail.com")
    assert (settings.host, settings.port, settings.security, settings.username) == (
        "smtp.gmail.com", 587, Security.STARTTLS, "me@gmail.com",
    )  # fmt: skip
    assert get("nope") is None


MY_MODULES = [
    "mailcomposer/store/accounts.py", "mailcomposer/store/credentials.py",
    "mailcomposer/store/pins.py", "mailcomposer/store/presets.py",
    "mailcomposer/smtp/probe.py", "mailcomposer/cli/account/__init__.py",
    "mailcomposer/cli/account/add.py", "mailcomposer/cli/account/common.py",
    "mailcomposer/cli/account/list.py", "mailcomposer/cli/account/remove.py",
    "mailcomposer/cli/account/test.py",
    "mailcomposer/ui/accountdialog.py", "mailcomposer/ui/certdialog.py",
    "mailcomposer/ui/passworddialog.py",
]  # fmt: skip


def _catalog() -> dict[str, str]:
    path = i18n.resources_dir() / "i18n" / "zh_CN" / "accounts.po"
    return i18n.parse_po(path.read_text(encoding="utf-8"))


def test_every_account_string_has_a_chinese_translation() -> None:
    import ast

    root = i18n.resources_dir().parent
    merged: dict[str, str] = {}
    for po in (i18n.resources_dir() / "i18n" / "zh_CN").glob("*.po"):
        merged.update(i18n.parse_po(po.read_text(encoding="utf-8")))
    missing = []
    for module in MY_MODULES:
        tree = ast.parse((root / module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "N_") and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and node.args[0].value not in merged):  # fmt: skip
                missing.append(f"{module}: {node.args[0].value!r}")
    assert not missing, "\n".join(missing)


def test_translations_keep_the_placeholders() -> None:
    import re

    names = re.compile(r"\{(\w*)[^}]*\}")
    for msgid, msgstr in _catalog().items():
        assert sorted(names.findall(msgid)) == sorted(names.findall(msgstr)), msgid


def test_login_note_for_a_provider_host() -> None:
    qq = get("qq")
    assert qq is not None and qq.note
    assert presets.login_note_for_host("SMTP.QQ.COM ") == qq.note
    assert presets.login_note_for_host("mail.example.org") == ""
