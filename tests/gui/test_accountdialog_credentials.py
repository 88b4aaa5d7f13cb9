"""The accounts dialog keeps an account's stored password when its name or user name changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from mailcomposer.smtp.settings import Secret, Security, ServerSettings
from mailcomposer.store.accounts import Account, AccountStore, Identity
from mailcomposer.store.credentials import Credentials
from mailcomposer.store.paths import Home
from mailcomposer.ui.accountdialog import AccountDialog
from tests.memory_keyring import MemoryKeyring

OLD_PASSWORD = "old-app-password-1"
NEW_PASSWORD = "new-app-password-2"


@pytest.fixture
def home(mailcomposer_home: Path) -> Home:
    return Home(mailcomposer_home)


@pytest.fixture
def dialog(qtbot, home: Home) -> AccountDialog:
    """The dialog showing "Work" (user old@example.com), whose password is in the keyring."""
    AccountStore(home).save(
        Account(
            name="Work",
            server=ServerSettings(
                host="smtp.example.com", port=587, security=Security.STARTTLS,
                username="old@example.com",
            ),
            identities=[Identity("Ann", "old@example.com")],
        )
    )  # fmt: skip
    Credentials().set("Work", OLD_PASSWORD, "old@example.com")
    widget = AccountDialog(AccountStore(home), Credentials(), select="Work")
    qtbot.add_widget(widget)
    widget.show()
    yield widget
    widget.stop_test_and_wait()


def keys(backend: MemoryKeyring) -> list[str]:
    return sorted(key for service, key in backend.store if service == "mailcomposer")


def edit_and_save(qtbot, dialog: AccountDialog, name: str, user: str, password: str = "") -> None:
    assert dialog.name_edit.text() == "Work"
    assert dialog.password_edit.placeholderText()  # "stored — leave empty to keep it"
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, name)
    dialog.user_edit.clear()
    qtbot.keyClicks(dialog.user_edit, user)
    if password:
        qtbot.keyClicks(dialog.password_edit, password)
    with qtbot.wait_signal(dialog.accounts_changed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.form_error.isVisible(), dialog.form_error.text()


@pytest.mark.parametrize(
    ("name", "user"),
    [("Office", "new@example.com"), ("Office", "old@example.com"), ("Work", "new@example.com")],
    ids=["name-and-user", "name-only", "user-only"],
)
def test_the_stored_password_follows_the_account(
    qtbot, dialog: AccountDialog, home: Home, memory_keyring: MemoryKeyring, name: str, user: str
) -> None:
    edit_and_save(qtbot, dialog, name, user)
    stored = AccountStore(home).get(name)
    assert stored is not None and stored.server.username == user
    assert Credentials().get(name, user) == Secret(OLD_PASSWORD)
    assert keys(memory_keyring) == [f"{name}\n{user}"]  # no orphan under the old key
    # Shown again as stored: a send or a test would find it.
    assert dialog.name_edit.text() == name
    assert dialog.password_edit.placeholderText()


def test_a_typed_password_is_stored_under_the_new_key_only(
    qtbot, dialog: AccountDialog, memory_keyring: MemoryKeyring
) -> None:
    edit_and_save(qtbot, dialog, "Office", "new@example.com", NEW_PASSWORD)
    assert Credentials().get("Office", "new@example.com") == Secret(NEW_PASSWORD)
    assert keys(memory_keyring) == ["Office\nnew@example.com"]
    assert OLD_PASSWORD not in memory_keyring.store.values()


def test_clearing_the_user_name_drops_the_password(
    qtbot, dialog: AccountDialog, memory_keyring: MemoryKeyring
) -> None:
    dialog.user_edit.clear()
    with qtbot.wait_signal(dialog.accounts_changed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert keys(memory_keyring) == []  # no login, no secret left behind
