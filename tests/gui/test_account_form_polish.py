"""The account form as a user reads it: one label column, errors named by their labels."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QWidget

from mailcomposer import i18n
from mailcomposer.smtp.settings import Security, ServerSettings
from mailcomposer.store.accounts import Account, AccountStore, Identity
from mailcomposer.store.credentials import Credentials
from mailcomposer.store.paths import Home
from mailcomposer.ui.accountdialog import AccountDialog
from tests.gui.test_dialog_layouts import _select


def _store(home: Path) -> AccountStore:
    store = AccountStore(Home(home))
    for name, host, preset in (
        ("Office", "smtp.office365.com", "outlook"),
        ("Custom", "smtp.custom.example", ""),
    ):
        store.save(
            Account(
                name=name,
                server=ServerSettings(host, 587, Security.STARTTLS, "ann"),
                identities=[Identity("Ann Lee", f"ann@{name.lower()}.example")],
                preset=preset,
            ),
            new=True,
        )
    return store


@pytest.fixture
def dialog(qtbot, mailcomposer_home: Path, language) -> AccountDialog:
    dialog = AccountDialog(_store(mailcomposer_home), Credentials(), select="Office")
    qtbot.add_widget(dialog)
    with qtbot.wait_exposed(dialog):
        dialog.show()
    yield dialog
    dialog.form.detect_panel.stop_and_wait()
    dialog.stop_test_and_wait()


def _left(widget: QWidget, page: QWidget) -> int:
    return widget.mapTo(page, QPoint(0, 0)).x()


@pytest.mark.parametrize("account", ["Office", "Custom"])
def test_the_sign_in_fields_line_up_with_the_form(qtbot, dialog, account) -> None:
    """ "Client ID" sat in a form of its own: its field began 19 pixels left of the others
    in Chinese, 19 right of them in English."""
    _select(dialog, account)
    form, panel = dialog.form, dialog.form.oauth_panel
    panel.use_box.setChecked(True)
    page = form.host_edit.parentWidget()
    outer = page.layout()
    server_label = outer.labelForField(form.host_edit)
    fields = [panel.client_id_edit]
    if account == "Custom":  # every endpoint shown, not only the client ID
        fields += [panel.authorize_edit, panel.token_edit, panel.device_url_edit, panel.scope_edit]
    for field in fields:
        assert field.isVisible()
        inner = field.parentWidget().layout()  # the panel's own form
        label = inner.labelForField(field)
        assert _left(field, page) == _left(form.host_edit, page), field.objectName()
        assert _left(label, page) == _left(server_label, page)
        assert label.width() == server_label.width()
        # Same alignment within the column (the style's), so the text lines up too.
        assert inner.labelAlignment() == outer.labelAlignment()


def test_no_blank_line_under_the_sign_in_button(qtbot, dialog) -> None:
    panel = dialog.form.oauth_panel
    panel.use_box.setChecked(True)
    assert panel.status_label.text() == ""
    assert not panel.status_label.isVisible()
    panel.show_result("Sign-in cancelled.")
    assert panel.status_label.isVisible()
    panel.use_box.setChecked(False)
    assert not panel.status_label.isVisible()


def _second_identity(dialog: AccountDialog, address: str = "", reply_to: str = "") -> None:
    editor = dialog.form.identities_editor
    editor.add_button.click()
    editor.address_edit.setText(address or "sales@custom.example")
    editor.reply_to_edit.setText(reply_to)


_MISTAKES = {
    "the default address": (
        lambda d: (d.form.address_edit.setText("not-an-address"),
                   d.form.identities_editor.set_first(address="not-an-address")),
        "address_edit", "E-mail address:", 1,
    ),
    "the default name": (
        lambda d: (d.form.display_name_edit.setText("Ann\nLee"),
                   d.form.identities_editor.set_first(name="Ann\nLee")),
        "display_name_edit", "Your name:", 1,
    ),
    "another address": (
        lambda d: _second_identity(d, address="Bob <bob@example.com>"),
        "identities_editor.address_edit", "E-mail address:", 2,
    ),
    "another Reply-To": (
        lambda d: _second_identity(d, reply_to="orders@@example"),
        "identities_editor.reply_to_edit", "Reply-To:", 2,
    ),
    "the server": (lambda d: d.form.host_edit.setText("bad host!"), "host_edit", "Server:", 0),
    "the port": (lambda d: d.form.port_spin.setValue(0), "port_spin", "Port:", 0),
    "the user name": (lambda d: d.form.user_edit.setText("ann\nlee"), "user_edit", "User name:", 0),
}  # fmt: skip


@pytest.mark.parametrize("mistake", list(_MISTAKES))
def test_an_error_names_its_field_by_the_label_the_user_sees(qtbot, dialog, mistake) -> None:
    """It said "Identity 1, address" beside a field labelled "E-mail address", and
    "The user name contains a line break." without naming the field at all."""
    make, field, label, identity = _MISTAKES[mistake]
    _select(dialog, "Custom")
    make(dialog)
    assert dialog.save() is False
    message = dialog.form.form_error.text()
    widget = dialog.form
    for name in field.split("."):
        widget = getattr(widget, name)
    assert widget.hasFocus() or QApplication.focusWidget() is widget
    # The label's words, then the problem: "E-mail address: …" / "电子邮件地址：…".
    assert i18n._(label) in message, message
    if identity:
        assert i18n._("Identity {n}").format(n=identity) in message
