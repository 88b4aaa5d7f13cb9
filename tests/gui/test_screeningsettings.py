"""The settings of the checks before sending round-trip screening.toml."""

from __future__ import annotations

from mailcomposer.message.screening import Action, Rule, Settings
from mailcomposer.store import screening
from mailcomposer.ui.screeningsettings import ScreeningSettingsDialog


def open_settings(window) -> ScreeningSettingsDialog:
    window.composer_actions.checks_settings_action.trigger()
    (dialog,) = window.findChildren(ScreeningSettingsDialog, "screeningSettings")
    return dialog


def test_round_trips_the_rules_file(qtbot, window) -> None:
    path = window.home.screening_file
    saved = Settings(
        (Rule("Confidential", "word:CONFIDENTIAL", Action.BLOCK),
         Rule("卡号", "detector:card", Action.WARN)),
        ("example.org",),
        7,
    )  # fmt: skip
    screening.save(path, saved)
    dialog = open_settings(window)
    assert dialog.settings() == saved
    assert dialog.domains_field.text() == "example.org"
    assert dialog.threshold.value() == 7
    dialog.domains_field.setText("example.org, example.com")
    row = dialog.add_rule(Rule("Invoice", "regex:INV-\\d+", Action.WARN))
    assert row == 2
    dialog.accept()
    assert screening.load(path) == Settings(
        (*saved.rules, Rule("Invoice", "regex:INV-\\d+", Action.WARN)),
        ("example.org", "example.com"),
        7,
    )


def test_a_bad_rule_is_refused_with_the_store_message(qtbot, window) -> None:
    path = window.home.screening_file
    dialog = open_settings(window)
    assert dialog.settings() == Settings()
    row = dialog.add_rule()
    dialog.rules.item(row, 0).setText("Broken")
    dialog.rules.cellWidget(row, 1).setCurrentIndex(1)  # regex
    dialog.rules.item(row, 2).setText("(")
    dialog.accept()
    assert dialog.isVisible() and not path.exists()
    assert "not a valid regular expression" in dialog.error_label.text()
    dialog.rules.item(row, 2).setText("INV-\\d+")
    dialog.rules.cellWidget(row, 3).setCurrentIndex(1)  # block
    dialog.accept()
    assert screening.load(path).rules == (Rule("Broken", "regex:INV-\\d+", Action.BLOCK),)


def test_a_broken_file_is_shown_not_hidden(qtbot, window) -> None:
    path = window.home.screening_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("own_domains = 3\n", encoding="utf-8")
    dialog = open_settings(window)
    assert "own_domains must be a list" in dialog.error_label.text()
    dialog.reject()
    assert path.read_text(encoding="utf-8") == "own_domains = 3\n"
