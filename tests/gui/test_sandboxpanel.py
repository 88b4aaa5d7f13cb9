"""The local server panel: widgets build a SandboxConfig, saved and announced on Apply."""

from __future__ import annotations

import shlex

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialogButtonBox, QMenu, QPushButton

from mailcomposer.cli.parser import build_parser
from mailcomposer.sandbox.config import DEFAULT_REJECT_TEXT, Reply, SandboxConfig
from mailcomposer.sandbox.labfile import load_lab_config, save_lab_config
from mailcomposer.sandbox.options import config_from_args
from mailcomposer.ui.sandboxpanel import FAULT_PRESETS, SandboxPanel

Button = QDialogButtonBox.StandardButton


@pytest.fixture
def panel(qtbot, home):
    panel = SandboxPanel(home)
    qtbot.add_widget(panel)
    return panel


def test_a_fresh_panel_shows_a_plain_server(panel) -> None:
    assert panel.objectName() == "sandboxPanel"
    assert panel.current_config() == SandboxConfig()
    assert panel.command_line.toPlainText() == "mailcomposer sandbox"
    assert panel.error_label.isHidden()


def test_settings_build_the_config_and_apply_saves_and_emits_it(qtbot, panel, home) -> None:
    panel.tls_combo.setCurrentIndex(panel.tls_combo.findData("required"))
    panel.auth_check.setChecked(True)
    panel.auth_user.setText("ann")
    panel.auth_password.setText("pw")
    panel.size_check.setChecked(True)
    panel.size_spin.setValue(2)
    panel.size_unit.setCurrentIndex(panel.size_unit.findData(1024 * 1024))
    panel.hide_checks["PIPELINING"].setChecked(True)
    rcpt_preset = next(
        a for a in panel.findChild(QMenu, "faultPresetMenu").actions() if "RCPT" in a.text()
    )
    rcpt_preset.trigger()
    panel.reject_edit.setPlainText("x@example.org\n\ny@example.org=551 5.1.6 Gone away\n")
    panel.greylist_check.setChecked(True)
    panel.greylist_delay.setValue(2.5)
    panel.delay_spins["DATA"].setValue(1.5)
    panel.drop_checks["DOT"].setChecked(True)
    expected = SandboxConfig(
        tls=True,
        require_starttls=True,
        auth=("ann", "pw"),
        size_limit=2 * 1024 * 1024,
        hidden=frozenset({"PIPELINING"}),
        faults={"RCPT": Reply(450, "4.2.0 Mailbox busy")},
        rejects={
            "x@example.org": Reply(550, DEFAULT_REJECT_TEXT),
            "y@example.org": Reply(551, "5.1.6 Gone away"),
        },
        greylist=True,
        greylist_delay=2.5,
        delays={"DATA": 1.5},
        drops=frozenset({"DOT"}),
    )
    with qtbot.wait_signal(panel.config_changed) as blocker:
        panel.buttons.button(Button.Apply).click()
    assert blocker.args == [expected]
    assert load_lab_config(home) == expected
    # The command line shown builds the very same server.
    words = shlex.split(panel.command_line.toPlainText())
    assert config_from_args(build_parser("sandbox").parse_args(words[1:])) == expected
    assert panel.command_note.isHidden()


def test_the_panel_opens_with_the_saved_config(qtbot, home) -> None:
    saved = SandboxConfig(
        implicit_tls=True,
        size_limit=1500,
        faults={"CONNECT": Reply(421, "4.3.2 Going down")},
        delays={"EHLO": 0.25},
    )
    save_lab_config(home, saved)
    panel = SandboxPanel(home)
    qtbot.add_widget(panel)
    assert panel.tls_combo.currentData() == "implicit"
    assert (panel.size_spin.value(), panel.size_unit.currentData()) == (1500, 1)
    assert panel.fault_table.faults() == ["CONNECT=421 4.3.2 Going down"]
    assert panel.current_config() == saved
    assert "--implicit-tls" in panel.command_line.toPlainText()


def test_ok_applies_and_closes(qtbot, panel, home) -> None:
    panel.show()
    panel.greylist_check.setChecked(True)
    with qtbot.wait_signal(panel.config_changed):
        panel.buttons.button(Button.Ok).click()
    assert not panel.isVisible()
    assert load_lab_config(home) == SandboxConfig(greylist=True)


def test_conflicting_settings_are_explained_and_not_applied(qtbot, panel, home) -> None:
    panel.fault_table.add_fault("DOT", 552, "5.3.4 Too big")
    panel.drop_checks["DOT"].setChecked(True)
    assert not panel.error_label.isHidden()
    assert "DOT has both a --fault and a --drop" in panel.error_label.text()
    assert not panel.buttons.button(Button.Ok).isEnabled()
    with qtbot.assert_not_emitted(panel.config_changed):
        assert panel.apply() is None
    assert load_lab_config(home) == SandboxConfig()
    panel.fault_table.selectRow(0)
    panel.findChild(QPushButton, "removeFaultButton").click()
    assert panel.error_label.isHidden()
    assert panel.current_config() == SandboxConfig(drops=frozenset({"DOT"}))


def test_a_bad_recipient_line_names_the_option(panel) -> None:
    panel.reject_edit.setPlainText("not an address")
    assert panel.current_config() is None
    assert "--reject-rcpt" in panel.error_label.text()


def test_optional_starttls_says_the_command_line_cannot(panel) -> None:
    panel.tls_combo.setCurrentIndex(panel.tls_combo.findData("offered"))
    assert panel.current_config() == SandboxConfig(tls=True)
    assert not panel.command_note.isHidden()
    assert "--require-starttls" in panel.command_line.toPlainText()


def test_every_preset_is_a_valid_fault(panel) -> None:
    for stage, code, text in FAULT_PRESETS:
        panel.set_config(SandboxConfig())
        panel.fault_table.add_fault(stage, code, text)
        assert panel.current_config() == SandboxConfig(faults={stage: Reply(code, text)})


def test_plain_server_resets_and_copy_copies(panel) -> None:
    panel.set_config(SandboxConfig(greylist=True, auth=("a", "b")))
    panel.buttons.button(Button.Reset).click()
    assert panel.current_config() == SandboxConfig()
    panel.greylist_check.setChecked(True)
    panel.findChild(QPushButton, "copyCommandButton").click()
    assert QGuiApplication.clipboard().text() == "mailcomposer sandbox --greylist"
