"""Tests for the keyring-backed credentials and their in-memory fallback."""

from __future__ import annotations

import keyring
import pytest

from mailcomposer import i18n
from mailcomposer.smtp.settings import Secret
from mailcomposer.store.credentials import Credentials
from tests.memory_keyring import MemoryKeyring, NoKeyring


def test_round_trip_in_keyring(memory_keyring: MemoryKeyring) -> None:
    creds = Credentials()
    assert creds.get("Work") is None
    assert creds.set("Work", Secret("pw1"), "me@example.com") is True
    assert memory_keyring.store  # it reached the keyring
    assert Credentials().get("Work", "me@example.com") == Secret("pw1")
    assert Credentials().get("Work") is None  # another login name, another entry
    creds.delete("Work", "me@example.com")
    assert Credentials().get("Work", "me@example.com") is None
    creds.delete("Work", "me@example.com")  # deleting twice is harmless
    assert creds.backend_available and not creds.session_only


def test_not_remembered_stays_in_memory(memory_keyring: MemoryKeyring) -> None:
    creds = Credentials()
    creds.set("Work", "stored")
    assert creds.set("Work", "session", remember=False) is False
    assert not memory_keyring.store  # the stored copy was removed
    assert creds.get("Work") == Secret("session")
    assert Credentials().get("Work") is None


def test_no_backend_falls_back_to_memory() -> None:
    keyring.set_keyring(NoKeyring())
    creds = Credentials()
    assert creds.get("Work") is None
    assert creds.set("Work", "pw") is False
    assert creds.get("Work") == Secret("pw")
    assert not creds.backend_available and creds.session_only
    assert "kept in memory until you quit" in creds.why_unavailable
    creds.delete("Work")
    assert creds.get("Work") is None


def test_why_unavailable_translated() -> None:
    keyring.set_keyring(NoKeyring())
    i18n.set_language("zh_CN")
    creds = Credentials()
    creds.set("Work", "pw")
    assert "密钥环" in creds.why_unavailable


def test_rename_moves_the_secret(memory_keyring: MemoryKeyring) -> None:
    creds = Credentials()
    creds.set("Old", "pw", "u")
    creds.rename("Old", "New", "u")
    assert creds.get("New", "u") == Secret("pw")
    assert creds.get("Old", "u") is None


def test_secret_never_in_repr() -> None:
    assert "pw-visible" not in repr(Secret("pw-visible"))


@pytest.mark.parametrize("name", ["Work", "工作", "a b"])
def test_any_account_name(name: str) -> None:
    Credentials().set(name, "pw")
    assert Credentials().get(name) == Secret("pw")


class BrokenBackend(MemoryKeyring):
    """A backend whose platform API fails with an error keyring does not wrap."""

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")


def test_unwrapped_backend_errors_also_fall_back() -> None:
    keyring.set_keyring(BrokenBackend())
    creds = Credentials()
    assert creds.set("Work", "pw") is False
    assert creds.get("Work") == Secret("pw")
    assert creds.session_only and "DBus" in creds.why_unavailable


def keys(backend: MemoryKeyring) -> list[str]:
    """The keyring entries of mailcomposer, by key."""
    return sorted(key for service, key in backend.store if service == "mailcomposer")


@pytest.mark.parametrize(
    ("new_name", "new_user"),
    [("New", "new@example.com"), ("New", "old@example.com"), ("Old", "new@example.com")],
    ids=["name-and-user", "name-only", "user-only"],
)
def test_an_edited_account_keeps_its_secret_and_leaves_no_orphan(
    memory_keyring: MemoryKeyring, new_name: str, new_user: str
) -> None:
    Credentials().set("Old", "pw", "old@example.com")
    Credentials().account_edited("Old", "old@example.com", new_name, new_user, new_secret=False)
    assert Credentials().get(new_name, new_user) == Secret("pw")
    assert keys(memory_keyring) == [f"{new_name}\n{new_user}"]  # nothing under the old key


def test_a_typed_password_replaces_the_old_one(memory_keyring: MemoryKeyring) -> None:
    creds = Credentials()
    creds.set("Old", "old-pw", "old@example.com")
    creds.account_edited("Old", "old@example.com", "New", "new@example.com", new_secret=True)
    assert keys(memory_keyring) == []  # the caller stores the typed one under the new key
    creds.set("New", "new-pw", "new@example.com")
    assert Credentials().get("New", "new@example.com") == Secret("new-pw")
    assert Credentials().get("Old", "old@example.com") is None


def test_no_login_any_more_drops_the_secret(memory_keyring: MemoryKeyring) -> None:
    Credentials().set("Old", "pw", "old@example.com")
    Credentials().account_edited("Old", "old@example.com", "Old", "", new_secret=False)
    assert keys(memory_keyring) == []


def test_unchanged_key_keeps_the_secret(memory_keyring: MemoryKeyring) -> None:
    Credentials().set("Work", "pw", "me@example.com")
    Credentials().account_edited("Work", "me@example.com", "Work", "me@example.com",
                                 new_secret=True)  # fmt: skip
    assert Credentials().get("Work", "me@example.com") == Secret("pw")


def test_a_session_only_secret_moves_and_stays_session_only(memory_keyring: MemoryKeyring) -> None:
    creds = Credentials()
    creds.set("Old", "pw", "old@example.com", remember=False)
    creds.account_edited("Old", "old@example.com", "New", "new@example.com", new_secret=False)
    assert creds.get("New", "new@example.com") == Secret("pw")
    assert creds.get("Old", "old@example.com") is None
    assert keys(memory_keyring) == []  # never written to the keyring


def test_forget_account_leaves_no_secret_behind(memory_keyring: MemoryKeyring) -> None:
    credentials = Credentials()
    credentials.set("Work", Secret("login-secret"), "me@example.com")
    credentials.set("Work", Secret("name-only-secret"))
    credentials.set("Home", Secret("other"), "me@example.org")
    credentials.forget_account("Work", "me@example.com")
    assert credentials.get("Work", "me@example.com") is None
    assert credentials.get("Work") is None
    assert credentials.get("Home", "me@example.org") == Secret("other")


def test_a_rename_takes_the_name_only_secret_along(memory_keyring: MemoryKeyring) -> None:
    credentials = Credentials()
    credentials.set("Work", Secret("login"), "me@example.com")
    credentials.set("Work", Secret("name-only"))
    credentials.account_edited("Work", "me@example.com", "Office", "me@example.com",
                               new_secret=False)  # fmt: skip
    assert credentials.get("Work") is None and credentials.get("Work", "me@example.com") is None
    assert credentials.get("Office") == Secret("name-only")
    assert credentials.get("Office", "me@example.com") == Secret("login")
