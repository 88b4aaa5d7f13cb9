"""What a new user sees first in the account dialog: names filled in, in their language."""

from __future__ import annotations

import pytest

from mailcomposer import i18n
from mailcomposer.store.accounts import AccountStore
from mailcomposer.store.credentials import Credentials
from mailcomposer.store.paths import Home
from mailcomposer.ui.accountdialog import AccountDialog


@pytest.fixture
def dialog(qtbot) -> AccountDialog:
    widget = AccountDialog(AccountStore(Home.from_env()), Credentials())
    qtbot.add_widget(widget)
    return widget


def test_a_new_account_is_named_after_the_address_typed(qtbot, dialog: AccountDialog) -> None:
    dialog.new_account()
    qtbot.keyClicks(dialog.address_edit, "xiaoming@qq.com")
    assert dialog.name_edit.text() == "xiaoming@qq.com"
    assert dialog.save()
    assert dialog.store.get("xiaoming@qq.com") is not None


def test_a_name_the_user_typed_is_kept(qtbot, dialog: AccountDialog) -> None:
    dialog.new_account()
    qtbot.keyClicks(dialog.name_edit, "Work")
    qtbot.keyClicks(dialog.address_edit, "ann@163.com")
    assert dialog.name_edit.text() == "Work"


def test_the_built_in_account_is_listed_in_the_users_language(qtbot) -> None:
    i18n.set_language("zh_CN")
    widget = AccountDialog(AccountStore(Home.from_env()), Credentials())
    qtbot.add_widget(widget)
    labels = [widget.account_list.item(i).text() for i in range(widget.account_list.count())]
    assert labels == [i18n._("{name} (default)").format(name=i18n._("Local test server"))]
    assert "Local test server" not in labels[0]
