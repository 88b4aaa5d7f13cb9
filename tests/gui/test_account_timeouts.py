"""The account dialog's timeouts: the final-dot wait is shown, edited and kept on save."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from mailcomposer.smtp.settings import Security, ServerSettings, Timeouts
from mailcomposer.store.accounts import Account, AccountStore, Identity
from mailcomposer.store.credentials import Credentials
from mailcomposer.store.paths import Home
from mailcomposer.ui.accountdialog import AccountDialog

STORED = Timeouts(connect=20.0, command=45.0, final_dot=1800.0)


@pytest.fixture
def home(mailcomposer_home: Path) -> Home:
    home = Home(mailcomposer_home)
    server = ServerSettings(
        "smtp.example.com",
        587,
        Security.STARTTLS,
        username="me@example.com",
        timeouts=STORED,
        local_hostname="client.example.com",
    )
    account = Account("Work", server, [Identity("Me", "me@example.com")])
    AccountStore(home).save(account, new=True)
    return home


@pytest.fixture
def dialog(qtbot, home: Home) -> AccountDialog:
    widget = AccountDialog(AccountStore(home), Credentials())
    qtbot.add_widget(widget)
    widget.show()
    (item,) = [
        widget.account_list.item(row)
        for row in range(widget.account_list.count())
        if widget.account_list.item(row).data(Qt.ItemDataRole.UserRole) == "Work"
    ]
    widget.account_list.setCurrentItem(item)
    yield widget
    widget.stop_test_and_wait()


def test_the_stored_final_dot_timeout_is_shown(dialog: AccountDialog) -> None:
    assert dialog.name_edit.text() == "Work"
    assert dialog.connect_timeout.value() == STORED.connect
    assert dialog.command_timeout.value() == STORED.command
    assert dialog.final_dot_timeout.value() == STORED.final_dot


def test_editing_another_field_keeps_the_final_dot_timeout_and_ehlo_name(
    dialog: AccountDialog, home: Home
) -> None:
    dialog.connect_timeout.setValue(25)
    assert dialog.save()
    server = AccountStore(home).get("Work").server
    assert server.timeouts == Timeouts(connect=25.0, command=45.0, final_dot=1800.0)
    assert server.local_hostname == "client.example.com"


def test_the_final_dot_timeout_is_edited_and_saved_to_accounts_json(
    dialog: AccountDialog, home: Home
) -> None:
    dialog.final_dot_timeout.setValue(900)
    assert dialog.save()
    data = json.loads(home.accounts_file.read_text(encoding="utf-8"))
    (work,) = [a for a in data["accounts"] if a["name"] == "Work"]
    assert work["server"]["timeouts"]["final_dot"] == 900
    assert AccountStore(home).get("Work").server.timeouts.final_dot == 900


def test_a_new_account_starts_with_the_default_final_dot_wait(dialog: AccountDialog) -> None:
    dialog.new_account()
    assert dialog.final_dot_timeout.value() == Timeouts().final_dot
    assert dialog.account_from_form().server.timeouts == Timeouts()


def test_the_tooltip_says_what_the_final_dot_timeout_bounds(dialog: AccountDialog) -> None:
    tip = dialog.final_dot_timeout.toolTip()
    assert "after the whole message was sent" in tip and "10 minutes" in tip
