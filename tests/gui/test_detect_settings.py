"""The account dialog's *Detect settings* step: steps shown, form filled, off the GUI thread."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import trustme

from mailcomposer import i18n
from mailcomposer.smtp.settings import Security
from mailcomposer.store.accounts import AccountStore
from mailcomposer.store.credentials import Credentials
from mailcomposer.store.dnslookup import Mx
from mailcomposer.store.imapsettings import ImapSettings
from mailcomposer.store.paths import Home
from mailcomposer.ui.accountdialog import AccountDialog
from tests.integration.test_autoconfig import ADDRESS, CONFIG, StubResolver, serve_web

WAIT_MS = 45000


@pytest.fixture
def dialog(qtbot, mailcomposer_home: Path) -> AccountDialog:
    widget = AccountDialog(AccountStore(Home(mailcomposer_home)), Credentials())
    qtbot.add_widget(widget)
    widget.show()
    yield widget
    widget.form.detect_panel.stop_and_wait()
    widget.stop_test_and_wait()


def _detect(qtbot, dialog: AccountDialog, ca, cafile, pages, resolver) -> None:
    with serve_web(ca, cafile) as web:
        web.site.pages.update(pages)
        panel = dialog.form.detect_panel
        panel.opener, panel.resolver = web.opener, resolver
        dialog.new_account()
        qtbot.keyClicks(dialog.form.address_edit, ADDRESS)
        with qtbot.wait_signal(panel.finished, timeout=WAIT_MS):
            panel.button.click()
            assert not panel.button.isEnabled()  # running on its thread: the GUI goes on


def test_detect_fills_the_form_from_https(qtbot, dialog, ca: trustme.CA, client_cafile):
    pages = {"autoconfig.example.test/mail/config-v1.1.xml": CONFIG}
    _detect(qtbot, dialog, ca, client_cafile, pages, StubResolver())
    form = dialog.form
    assert form.host_edit.text() == "smtp.example.test" and form.port_spin.value() == 587
    assert form.security_combo.currentData() == Security.STARTTLS.value
    assert form.user_edit.text() == "ann"
    assert "found smtp.example.test:587 (starttls)" in form.detect_panel.log.toPlainText()
    assert form.detect_panel.verdict.text().startswith("Found over a verified connection")
    assert form.account().imap == ImapSettings("imap.example.test", 993, Security.TLS)
    assert form.detect_panel.button.isEnabled()


def test_detect_by_mx_is_marked_unverified(qtbot, dialog, ca: trustme.CA, client_cafile):
    resolver = StubResolver(mx={"example.test": [Mx(10, "mx1.qq.com")]})
    _detect(qtbot, dialog, ca, client_cafile, {}, resolver)
    form = dialog.form
    assert form.preset_combo.currentData() == "qq" and form.host_edit.text() == "smtp.qq.com"
    assert form.detect_panel.verdict.text().startswith("Unverified")
    log = form.detect_panel.log.toPlainText()
    assert "nothing there (HTTP 404)" in log and "_submission._tcp.example.test: no record" in log


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_screenshot_of_the_detect_step(qtbot, mailcomposer_home, ca, client_cafile, language):
    """Saves a picture of the step for the report (MAILCOMPOSER_SHOTS=folder)."""
    folder = os.environ.get("MAILCOMPOSER_SHOTS")
    if not folder:
        pytest.skip("set MAILCOMPOSER_SHOTS to a folder to save the screenshots")
    i18n.set_language(language)
    widget = AccountDialog(AccountStore(Home(mailcomposer_home)), Credentials())
    qtbot.add_widget(widget)
    widget.resize(900, 860)
    widget.show()
    try:
        resolver = StubResolver(mx={"example.test": [Mx(10, "mx1.qq.com")]})
        _detect(qtbot, widget, ca, client_cafile, {}, resolver)
        qtbot.wait(100)  # the layout requests posted by the last step
        path = Path(folder) / f"detect-{language}.png"
        assert widget.grab().save(str(path))
    finally:
        widget.form.detect_panel.stop_and_wait()
        widget.stop_test_and_wait()
