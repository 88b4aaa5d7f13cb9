"""The settings of the pre-send checks: own domains, the Bcc threshold and the rules."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _
from mailcomposer.message.screening import Action, Rule, Settings
from mailcomposer.store import screening

KINDS = ("word", "regex", "detector")


class ScreeningSettingsDialog(QDialog):
    """Edit ``screening.toml``: checked with the store's own messages, saved atomically.

    Attributes:
        path: the rules file.
        domains_field: own domains, comma-separated (``screeningOwnDomains``).
        threshold: visible recipients before Bcc is suggested (``screeningThreshold``).
        rules: the rules table (``screeningRules``): name, kind, value, action.
        error_label: what is wrong, in the store's words (``screeningError``).
    """

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screeningSettings")
        self.setWindowTitle(_("Checks before sending"))
        self.resize(680, 460)
        self.path = Path(path)
        self.domains_field = QLineEdit(self)
        self.domains_field.setObjectName("screeningOwnDomains")
        self.domains_field.setPlaceholderText(_("for example: example.org, example.com"))
        self.domains_field.setToolTip(_("Recipients outside these domains are pointed out"))
        self.threshold = QSpinBox(self)
        self.threshold.setObjectName("screeningThreshold")
        self.threshold.setRange(1, 10000)
        self.threshold.setToolTip(_("More To and Cc addresses than this suggest Bcc"))
        form = QFormLayout()
        form.addRow(_("Your organisation's domains:"), self.domains_field)
        form.addRow(_("Visible recipients before suggesting Bcc:"), self.threshold)

        self.rules = QTableWidget(0, 4, self)
        self.rules.setObjectName("screeningRules")
        self.rules.setHorizontalHeaderLabels([_("Name"), _("Match"), _("Value"), _("Action")])
        self.rules.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.rules.verticalHeader().hide()
        add = QPushButton(_("Add rule"), self)
        add.setObjectName("screeningAddRule")
        add.clicked.connect(self._on_add_clicked)
        remove = QPushButton(_("Remove rule"), self)
        remove.setObjectName("screeningRemoveRule")
        remove.clicked.connect(self._on_remove_clicked)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        hint = QLabel(
            _(
                "A rule matches a word, a regular expression, or a detector (card, cn-id, "
                "phone). Warn asks before sending; block needs an explicit override."
            ),
            self,
        )
        hint.setWordWrap(True)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("screeningError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        rules_label = QLabel(_("Rules:"), self)
        rules_label.setBuddy(self.rules)
        layout.addWidget(rules_label)
        layout.addWidget(self.rules, 1)
        layout.addLayout(row)
        layout.addWidget(hint)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self._load()

    def _load(self) -> None:
        try:
            settings = screening.load(self.path)
        except screening.ScreeningFileError as exc:
            self._show_error(
                str(exc) + "\n" + _("Saving replaces the file with what this window shows.")
            )
            settings = Settings()
        self.show_settings(settings)

    def show_settings(self, settings: Settings) -> None:
        """Fill the widgets from ``settings``."""
        self.domains_field.setText(", ".join(settings.own_domains))
        self.threshold.setValue(settings.max_visible_recipients)
        self.rules.setRowCount(0)
        for rule in settings.rules:
            self.add_rule(rule)

    def add_rule(self, rule: Rule | None = None) -> int:
        """Add a row for ``rule`` (default: an empty word rule); return its row."""
        rule = rule or Rule("", "word:", Action.WARN)
        kind, _colon, value = rule.match.partition(":")
        row = self.rules.rowCount()
        self.rules.insertRow(row)
        self.rules.setItem(row, 0, QTableWidgetItem(rule.name))
        kinds = QComboBox(self.rules)
        for key, label in zip(KINDS, (_("word"), _("regex"), _("detector")), strict=True):
            kinds.addItem(label, key)
        kinds.setCurrentIndex(max(0, kinds.findData(kind.strip().lower())))
        self.rules.setCellWidget(row, 1, kinds)
        self.rules.setItem(row, 2, QTableWidgetItem(value))
        actions = QComboBox(self.rules)
        actions.addItem(_("warn"), Action.WARN.value)
        actions.addItem(_("block"), Action.BLOCK.value)
        actions.setCurrentIndex(max(0, actions.findData(rule.action.value)))
        self.rules.setCellWidget(row, 3, actions)
        return row

    @Slot()
    def _on_add_clicked(self) -> None:
        row = self.add_rule()
        self.rules.setCurrentCell(row, 0)
        self.rules.editItem(self.rules.item(row, 0))

    @Slot()
    def _on_remove_clicked(self) -> None:
        row = self.rules.currentRow()
        if row >= 0:
            self.rules.removeRow(row)

    def settings(self) -> Settings:
        """The settings as the widgets show them (not yet checked)."""
        rules = []
        for row in range(self.rules.rowCount()):
            name = self.rules.item(row, 0).text() if self.rules.item(row, 0) else ""
            value = self.rules.item(row, 2).text() if self.rules.item(row, 2) else ""
            kind = self.rules.cellWidget(row, 1).currentData()
            action = Action(self.rules.cellWidget(row, 3).currentData())
            rules.append(Rule(name.strip(), f"{kind}:{value.strip()}", action))
        domains = [d.strip() for d in self.domains_field.text().replace(";", ",").split(",")]
        return Settings(tuple(rules), tuple(d for d in domains if d), self.threshold.value())

    def checked_settings(self) -> Settings | None:
        """The settings if the store accepts them; else None, with its message shown."""
        try:
            return screening.parse(screening.dumps(self.settings()), self.path)
        except screening.ScreeningFileError as exc:
            self._show_error(str(exc))
            return None

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def accept(self) -> None:
        settings = self.checked_settings()
        if settings is None:
            return
        try:
            screening.save(self.path, settings)
        except OSError as exc:
            self._show_error(_("Could not save {path}: {error}").format(path=self.path, error=exc))
            return
        super().accept()
