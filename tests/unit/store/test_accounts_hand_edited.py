"""An accounts.json edited by hand: read as a text editor saved it, or a message naming the fix."""

from __future__ import annotations

import json

import pytest

from mailcomposer.smtp.settings import Security, ServerSettings
from mailcomposer.store.accounts import SANDBOX_NAME, Account, AccountStore, Identity
from mailcomposer.store.paths import Home


@pytest.fixture
def home(tmp_path) -> Home:
    return Home(tmp_path)


def _saved(home: Home) -> dict:
    store = AccountStore(home)
    store.save(
        Account(
            name="Work",
            server=ServerSettings("smtp.example.com", 587, Security.STARTTLS, "ann@example.com"),
            identities=[Identity("张三", "ann@example.com")],
        )
    )
    return json.loads(home.accounts_file.read_text(encoding="utf-8"))


def _write(home: Home, data: dict) -> None:
    home.accounts_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_notepads_byte_order_mark_is_read(home: Home) -> None:
    _saved(home)
    text = home.accounts_file.read_bytes()
    home.accounts_file.write_bytes(b"\xef\xbb\xbf" + text)  # Windows Notepad's "UTF-8 with BOM"
    store = AccountStore(home)
    assert store.names() == ["Work", SANDBOX_NAME]
    assert store.load_error == ""


def test_a_file_saved_as_gbk_is_read(home: Home) -> None:
    _saved(home)
    text = home.accounts_file.read_text(encoding="utf-8")
    home.accounts_file.write_bytes(text.encode("gbk"))  # "ANSI" in Notepad on a Chinese Windows
    store = AccountStore(home)
    assert store.get("Work").identity.name == "张三"
    assert store.load_error == ""


def test_security_in_capitals_is_read(home: Home) -> None:
    data = _saved(home)
    data["accounts"][0]["server"]["security"] = "STARTTLS"
    _write(home, data)
    assert AccountStore(home).get("Work").server.security is Security.STARTTLS


def test_unknown_security_names_the_account_field_and_choices(home: Home) -> None:
    data = _saved(home)
    data["accounts"][0]["server"]["security"] = "SSL"
    _write(home, data)
    store = AccountStore(home)
    assert store.names() == [SANDBOX_NAME]
    assert "account 1 (“Work”)" in store.load_error
    assert "“security” must be one of none, starttls, tls, not “SSL”" in store.load_error


def test_a_port_that_is_not_a_number_is_named(home: Home) -> None:
    data = _saved(home)
    data["accounts"][0]["server"]["port"] = "587a"
    _write(home, data)
    store = AccountStore(home)
    store.names()
    assert "account 1 (“Work”): “port” must be a number, not “587a”" in store.load_error
    assert "invalid literal" not in store.load_error


def test_a_missing_field_is_named(home: Home) -> None:
    data = _saved(home)
    del data["accounts"][0]["server"]["host"]
    _write(home, data)
    store = AccountStore(home)
    store.names()
    assert "account 1 (“Work”): the field “host” is missing" in store.load_error


def test_an_entry_that_is_not_an_account_is_named(home: Home) -> None:
    data = _saved(home)
    data["accounts"].append("Home")
    _write(home, data)
    store = AccountStore(home)
    store.names()
    assert "account 2: this entry is not an account" in store.load_error


def test_a_port_written_as_text_is_read(home: Home) -> None:
    data = _saved(home)
    data["accounts"][0]["server"]["port"] = "465"
    _write(home, data)
    assert AccountStore(home).get("Work").server.port == 465
