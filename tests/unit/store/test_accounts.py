"""Tests for the account store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mailcomposer.message.errors import InputError
from mailcomposer.smtp.settings import Security, ServerSettings
from mailcomposer.store.accounts import SANDBOX_NAME, Account, AccountStore, Identity
from mailcomposer.store.credentials import Credentials
from mailcomposer.store.paths import Home

PASSWORD = "s3cr3t-Pa55word-do-not-store"


@pytest.fixture
def home(mailcomposer_home: Path) -> Home:
    return Home(mailcomposer_home)


def work_account(name: str = "Work", **server: object) -> Account:
    options: dict = {"host": "smtp.example.com", "port": 587, "security": Security.STARTTLS,
                     "username": "me@example.com"}  # fmt: skip
    options.update(server)
    return Account(
        name=name,
        server=ServerSettings(**options),
        identities=[Identity("Me Myself", "me@example.com", reply_to="team@example.com")],
    )


def test_sandbox_always_present_and_default(home: Home) -> None:
    store = AccountStore(home)
    accounts = store.accounts()
    assert [a.name for a in accounts] == [SANDBOX_NAME]
    sandbox = store.default()
    assert sandbox.builtin_sandbox
    assert sandbox.server.host == "127.0.0.1" and sandbox.server.port == 0
    assert sandbox.server.security is Security.NONE
    assert sandbox.identity is not None and sandbox.identity.address == "me@localhost"


def test_sandbox_cannot_be_removed_or_replaced(home: Home) -> None:
    store = AccountStore(home)
    with pytest.raises(InputError) as info:
        store.remove(SANDBOX_NAME)
    assert info.value.field == "name"
    with pytest.raises(InputError):
        store.save(work_account(SANDBOX_NAME))


def test_save_round_trip_and_default(home: Home) -> None:
    store = AccountStore(home)
    store.save(work_account())
    again = AccountStore(home)
    assert again.names() == ["Work", SANDBOX_NAME]
    work = again.get("Work")
    assert work == work_account()
    assert again.default().name == "Work"  # the first own account becomes the default
    store.save(work_account("Home", host="smtp.home.example"))
    store.set_default("Home")
    assert AccountStore(home).default().name == "Home"
    store.remove("Home")
    assert store.default().name == "Work"
    store.set_default(SANDBOX_NAME)
    assert store.default().builtin_sandbox


def test_file_is_readable_json_with_version(home: Home) -> None:
    AccountStore(home).save(work_account())
    data = json.loads(home.accounts_file.read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert data["accounts"][0]["server"]["host"] == "smtp.example.com"


def test_password_never_written_to_any_file(home: Home) -> None:
    store = AccountStore(home)
    account = work_account()
    store.save(account)
    Credentials().set(account.name, PASSWORD, account.server.username)
    files = [p for p in home.root.rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert PASSWORD.encode() not in path.read_bytes(), path


def test_pins_are_not_stored_with_the_account(home: Home) -> None:
    account = work_account(pinned_sha256="ab" * 32)
    AccountStore(home).save(account)
    stored = AccountStore(home).get("Work")
    assert stored is not None and stored.server.pinned_sha256 is None


def test_rename_keeps_default(home: Home) -> None:
    store = AccountStore(home)
    store.save(work_account())
    store.set_default("Work")
    store.save(work_account("Office"), previous_name="Work")
    assert store.names() == ["Office", SANDBOX_NAME]
    assert store.default().name == "Office"


def test_duplicate_names_refused(home: Home) -> None:
    store = AccountStore(home)
    store.save(work_account())
    store.save(work_account("Other"))
    with pytest.raises(InputError) as info:
        store.save(work_account("Work"), new=True)
    assert info.value.field == "name"
    with pytest.raises(InputError):
        store.save(work_account("Other"), previous_name="Work")


@pytest.mark.parametrize(
    ("account", "field"),
    [
        (work_account(""), "name"),
        (work_account(" padded "), "name"),
        (work_account("a\nb"), "name"),
        (work_account(host=""), "host"),
        (work_account(host="smtp example.com"), "host"),
        (work_account(host="http://smtp.example.com"), "host"),
        (work_account(port=0), "port"),
        (work_account(port=70000), "port"),
        (work_account(username="me\r\n"), "user"),
        (work_account(cafile=Path("/nonexistent/ca.pem")), "cafile"),
    ],
)
def test_validation_names_the_field(home: Home, account: Account, field: str) -> None:
    with pytest.raises(InputError) as info:
        AccountStore(home).save(account)
    assert info.value.field == field
    assert info.value.message


def test_identity_address_validated(home: Home) -> None:
    account = work_account()
    bad = Account(account.name, account.server, [Identity("Me", "not-an-address")])
    with pytest.raises(InputError) as info:
        AccountStore(home).save(bad)
    assert info.value.field == "from"
    named = Account(account.name, account.server, [Identity("", "Me <me@example.com>")])
    with pytest.raises(InputError) as info:
        AccountStore(home).save(named)
    assert info.value.field == "from" and "own field" in info.value.message
    none = Account(account.name, account.server, [])
    with pytest.raises(InputError):
        AccountStore(home).save(none)


def test_identity_formatted() -> None:
    assert Identity("", "a@example.com").formatted() == "a@example.com"
    assert Identity("Ann Lee", "a@example.com").formatted() == "Ann Lee <a@example.com>"
    assert Identity("Lee, Ann", "a@example.com").formatted() == '"Lee, Ann" <a@example.com>'
    assert Identity("张三", "a@example.com").formatted() == "张三 <a@example.com>"


def test_unreadable_file_kept_aside(home: Home) -> None:
    home.accounts_file.parent.mkdir(parents=True, exist_ok=True)
    home.accounts_file.write_text("{ not json", encoding="utf-8")
    store = AccountStore(home)
    assert store.names() == [SANDBOX_NAME]
    assert store.load_error
    store.save(work_account())
    backup = home.accounts_file.with_name("accounts.json.unreadable")
    assert backup.read_text(encoding="utf-8") == "{ not json"
    assert AccountStore(home).names() == ["Work", SANDBOX_NAME]


def test_a_second_damaged_accounts_file_does_not_replace_the_first(tmp_path) -> None:
    home = Home(tmp_path)
    store = AccountStore(home)
    server = ServerSettings("smtp.example.org", 587, Security.STARTTLS)
    account = Account("Work", server, [Identity("", "a@example.org")])
    for damage in ("{first damage", "{second damage"):
        home.accounts_file.parent.mkdir(parents=True, exist_ok=True)
        home.accounts_file.write_text(damage, encoding="utf-8")
        assert store.names() == [SANDBOX_NAME] and store.load_error
        store.save(account)
    kept = sorted(p.read_text(encoding="utf-8") for p in tmp_path.glob("accounts.json.unreadable*"))
    assert kept == ["{first damage", "{second damage"]
