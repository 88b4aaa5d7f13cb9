"""The local server panel: the built-in server's switches and command line, kept for next time."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _, sentences
from mailcomposer.sandbox.commandline import command_args, reject_arg
from mailcomposer.sandbox.config import EXTENSIONS, STAGES, SandboxConfig
from mailcomposer.sandbox.labfile import load_lab_config, save_lab_config
from mailcomposer.sandbox.parsers import MAX_DELAY, SandboxOptionError, build_config
from mailcomposer.ui.forms import line_edit, push_button
from mailcomposer.ui.tints import NoticeTint

# (value, label) of the TLS modes; the value names the SandboxConfig switches.
TLS_NONE, TLS_OFFERED, TLS_REQUIRED, TLS_IMPLICIT = "none", "offered", "required", "implicit"
KIB, MIB = 1024, 1024 * 1024
# Faults a teacher reaches for first: (stage, code, text).
FAULT_PRESETS = (
    ("CONNECT", 421, "4.3.2 Service not available, closing channel"),
    ("RCPT", 450, "4.2.0 Mailbox busy"),
    ("DOT", 552, "5.3.4 Message too big for system"),
    ("MAIL", 451, "4.3.0 Local error in processing"),
    ("AUTH", 454, "4.7.0 Temporary authentication failure"),
    ("DATA", 554, "5.6.0 Transaction failed"),
)
DEFAULT_USER = "student"
DEFAULT_PASSWORD = "lab-password"


def tls_mode(config: SandboxConfig) -> str:
    """The panel's TLS mode for ``config``."""
    if config.implicit_tls:
        return TLS_IMPLICIT
    if config.require_starttls:
        return TLS_REQUIRED
    return TLS_OFFERED if config.tls else TLS_NONE


class FaultTable(QTableWidget):
    """Faults as rows of stage, reply code and text (``faultTable``).

    Signals:
        faults_edited: a row was added, removed or changed.
    """

    faults_edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.setObjectName("faultTable")
        self.setHorizontalHeaderLabels([_("Stage"), _("Code"), _("Reply text")])
        header = self.horizontalHeader()
        # The stage and the code as wide as their boxes, the reply text the rest: at
        # 100 pixels each they left the reply text a sliver, scrolled to "eply tex".
        for column, box in enumerate((self._stage_box(), self._code_box(450))):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.setColumnWidth(column, box.sizeHint().width())
            box.hide()  # a measure only: never shown (nor reached by Tab) before it goes
            box.deleteLater()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().hide()
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAccessibleName(_("Faults"))
        self._exits: tuple[Callable[[], QWidget], Callable[[], QWidget]] | None = None
        self.itemChanged.connect(self.faults_edited)

    def set_exits(self, before: Callable[[], QWidget], after: Callable[[], QWidget]) -> None:
        """Where Shift+Tab on the first cell and Tab on the last one go (each asked then)."""
        self._exits = (before, after)

    def focusNextPrevChild(self, forward: bool) -> bool:
        """Tab from cell to cell, and out at either end instead of round the table again.

        Qt's table wraps Tab from its last cell to its first: with a fault in it, the
        panel's buttons below could not be reached by Tab at all.
        """
        index = self.currentIndex()
        edge = (self.rowCount() - 1, self.columnCount() - 1) if forward else (0, 0)
        if self._exits is not None and (index.row(), index.column()) == edge:
            reason = Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
            self._exits[forward]().setFocus(reason)
            return True
        return super().focusNextPrevChild(forward)

    def add_fault(self, stage: str = "RCPT", code: int = 450, text: str = "") -> int:
        """Append a row; return its index."""
        row = self.rowCount()
        self.insertRow(row)
        stages = self._stage_box()
        stages.setCurrentText(stage)
        number = self._code_box(code)
        self.setCellWidget(row, 0, stages)
        self.setCellWidget(row, 1, number)
        self.setItem(row, 2, QTableWidgetItem(text))
        # A cell widget's change does not reach itemChanged.
        stages.currentTextChanged.connect(self.faults_edited)
        number.valueChanged.connect(self.faults_edited)
        self.faults_edited.emit()
        return row

    def _stage_box(self) -> QComboBox:
        stages = QComboBox(self)
        stages.addItems(STAGES)
        return stages

    def _code_box(self, code: int) -> QSpinBox:
        number = QSpinBox(self)
        number.setRange(400, 599)
        number.setValue(code)
        return number

    def remove_selected(self) -> None:
        """Remove the selected rows (the current one when none is selected)."""
        rows = {index.row() for index in self.selectedIndexes()} or {self.currentRow()}
        for row in sorted((r for r in rows if r >= 0), reverse=True):
            self.removeRow(row)
        self.faults_edited.emit()

    def faults(self) -> list[str]:
        """Each row as ``STAGE=CODE TEXT`` (the ``--fault`` syntax)."""
        found = []
        for row in range(self.rowCount()):
            stage = self.cellWidget(row, 0).currentText()
            code = self.cellWidget(row, 1).value()
            item = self.item(row, 2)
            text = item.text().strip() if item is not None else ""
            found.append(f"{stage}={code} {text}".rstrip())
        return found


class SandboxPanel(QDialog):
    """Set up the built-in local server (``sandboxPanel``); applies to its next connection.

    The panel only builds a :class:`SandboxConfig` (checked the way the command line
    checks its switches), shows the equivalent ``mailcomposer sandbox`` command, and on
    Apply/OK saves it to ``MAILCOMPOSER_HOME/sandbox/lab.json``.

    Attributes:
        home: the home folder the config is saved in.
        command_line: the read-only command (``commandLine``).
        error_label: why the settings cannot be applied (``panelError``), hidden when fine.

    Signals:
        config_changed: a config was applied (carries the ``SandboxConfig``).
    """

    config_changed = Signal(object)

    def __init__(self, home, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sandboxPanel")
        self.setWindowTitle(_("Local server"))
        self.home = home
        self._filling = False

        intro = QLabel(
            _(
                "How the built-in test server behaves from its next connection on. "
                "Every switch is also a command-line option, shown at the bottom."
            ),
            self,
        )
        intro.setWordWrap(True)

        self.tls_combo = QComboBox(self)
        self.tls_combo.setObjectName("tlsModeCombo")
        for value, label in (
            (TLS_NONE, _("None: plain text")),
            (TLS_OFFERED, _("STARTTLS offered")),
            (TLS_REQUIRED, _("STARTTLS required")),
            (TLS_IMPLICIT, _("Implicit TLS (like port 465)")),
        ):
            self.tls_combo.addItem(label, value)
        self.auth_check = QCheckBox(_("Require a login (AUTH, offered only after TLS)"), self)
        self.auth_check.setObjectName("authCheck")
        self.auth_user = line_edit("authUser")
        self.auth_password = line_edit("authPassword")
        # Shown in clear on purpose: lab credentials that guard nothing.
        self.auth_user.setText(DEFAULT_USER)
        self.auth_password.setText(DEFAULT_PASSWORD)
        self.size_check = QCheckBox(_("Largest message"), self)
        self.size_check.setObjectName("sizeCheck")
        self.size_spin = QSpinBox(self)
        self.size_spin.setObjectName("sizeSpin")
        self.size_spin.setRange(1, 1024 * 1024)
        self.size_spin.setValue(10)
        self.size_unit = QComboBox(self)
        self.size_unit.setObjectName("sizeUnit")
        for label, factor in ((_("bytes"), 1), ("KiB", KIB), ("MiB", MIB)):
            self.size_unit.addItem(label, factor)
        self.size_unit.setCurrentIndex(2)
        size_row = QHBoxLayout()
        size_row.addWidget(self.size_check)
        size_row.addWidget(self.size_spin)
        size_row.addWidget(self.size_unit)
        size_row.addStretch(1)

        login_row = QHBoxLayout()
        login_row.addWidget(QLabel(_("User:"), self))
        login_row.addWidget(self.auth_user)
        login_row.addWidget(QLabel(_("Password (a test one, shown):"), self))
        login_row.addWidget(self.auth_password)

        basics = QGroupBox(_("Connection"), self)
        form = QFormLayout(basics)
        form.addRow(_("Encryption:"), self.tls_combo)
        form.addRow(self.auth_check)
        form.addRow(login_row)
        form.addRow(size_row)

        self.hide_checks: dict[str, QCheckBox] = {}
        hidden_box = QGroupBox(_("Extensions to hide from EHLO"), self)
        grid = QGridLayout(hidden_box)
        for index, name in enumerate(EXTENSIONS):
            check = QCheckBox(name, hidden_box)
            check.setObjectName(f"hide{name}Check")
            self.hide_checks[name] = check
            grid.addWidget(check, index // 4, index % 4)

        self.fault_table = FaultTable(self)
        self.fault_table.setMinimumHeight(90)
        presets = QMenu(self)
        presets.setObjectName("faultPresetMenu")
        for stage, code, text in FAULT_PRESETS:
            action = presets.addAction(
                _("{code} at {stage}: {text}").format(code=code, stage=stage, text=text)
            )
            action.setData((stage, code, text))
        presets.triggered.connect(self._on_presets_triggered)
        add_button = push_button(_("Add"), "addFaultButton", self._on_add_fault_button_clicked)
        preset_button = QPushButton(_("Presets"), self)
        preset_button.setObjectName("faultPresetButton")
        preset_button.setAutoDefault(False)
        preset_button.setMenu(presets)
        remove_button = push_button(
            _("Remove"), "removeFaultButton", self.fault_table.remove_selected
        )
        fault_buttons = QHBoxLayout()
        for button in (add_button, preset_button, remove_button):
            fault_buttons.addWidget(button)
        fault_buttons.addStretch(1)
        faults_box = QGroupBox(_("Faults: answer a stage with this reply"), self)
        faults_layout = QVBoxLayout(faults_box)
        faults_layout.addWidget(self.fault_table)
        faults_layout.addLayout(fault_buttons)

        self.reject_edit = QPlainTextEdit(self)
        self.reject_edit.setObjectName("rejectEdit")
        self.reject_edit.setPlaceholderText("x@example.org\ny@example.org=551 5.1.6 Gone away")
        self.reject_edit.setTabChangesFocus(True)
        self.reject_edit.setMaximumHeight(70)
        self.greylist_check = QCheckBox(_("Greylisting: defer each new sender and recipient once"))
        self.greylist_check.setObjectName("greylistCheck")
        self.greylist_delay = _seconds_spin("greylistDelay")
        greylist_row = QHBoxLayout()
        greylist_row.addWidget(self.greylist_check)
        greylist_row.addWidget(QLabel(_("retry accepted after"), self))
        greylist_row.addWidget(self.greylist_delay)
        greylist_row.addStretch(1)
        recipients_box = QGroupBox(_("Recipients"), self)
        recipients_layout = QVBoxLayout(recipients_box)
        refuse_label = QLabel(_("Refuse these (one a line, ADDR or ADDR=CODE TEXT):"))
        refuse_label.setBuddy(self.reject_edit)
        recipients_layout.addWidget(refuse_label)
        recipients_layout.addWidget(self.reject_edit)
        recipients_layout.addLayout(greylist_row)

        self.stage_table = QTableWidget(len(STAGES), 2, self)
        self.stage_table.setObjectName("stageTable")
        self.stage_table.setHorizontalHeaderLabels([_("Delay (s)"), _("Drop")])
        self.stage_table.setVerticalHeaderLabels(list(STAGES))
        self.stage_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # Its cells are boxes: Tab goes through them and on to OK, never round the table
        # again (with its Tab, the table was a trap the buttons could not be reached from).
        self.stage_table.setTabKeyNavigation(False)
        self.stage_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its boxes take the focus
        self.delay_spins: dict[str, QDoubleSpinBox] = {}
        self.drop_checks: dict[str, QCheckBox] = {}
        for row, stage in enumerate(STAGES):
            spin = _seconds_spin(f"delay{stage}Spin")
            drop = QCheckBox(self)
            drop.setObjectName(f"drop{stage}Check")
            drop.setToolTip(
                _("Close the connection at {stage} without a reply").format(stage=stage)
            )
            # Their row and column headers are not read with them: each says what it is.
            drop.setAccessibleName(drop.toolTip())
            spin.setAccessibleName(_("Delay at {stage}, in seconds").format(stage=stage))
            self.delay_spins[stage] = spin
            self.drop_checks[stage] = drop
            self.stage_table.setCellWidget(row, 0, spin)
            self.stage_table.setCellWidget(row, 1, drop)
        rows_height = sum(self.stage_table.rowHeight(row) for row in range(len(STAGES)))
        header_height = self.stage_table.horizontalHeader().sizeHint().height()
        self.stage_table.setMinimumHeight(rows_height + header_height + 4)
        stages_box = QGroupBox(_("Delays and drops per stage"), self)
        QVBoxLayout(stages_box).addWidget(self.stage_table)

        self.command_line = QPlainTextEdit(self)
        self.command_line.setObjectName("commandLine")
        self.command_line.setReadOnly(True)
        self.command_line.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.command_line.setFixedHeight(self.command_line.fontMetrics().lineSpacing() * 3 + 12)
        self.command_line.setAccessibleName(_("Equivalent command line"))
        copy_button = push_button(_("Copy"), "copyCommandButton", self.copy_command)
        command_row = QHBoxLayout()
        command_row.addWidget(self.command_line)
        command_row.addWidget(copy_button)
        self.command_note = QLabel(self)
        self.command_note.setObjectName("commandNote")
        self.command_note.setWordWrap(True)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("panelError")
        self.error_label.setWordWrap(True)
        self.error_tint = NoticeTint(self.error_label, "error", "QLabel { color: {error}; }")
        command_box = QGroupBox(_("The same server from a terminal"), self)
        command_layout = QVBoxLayout(command_box)
        command_layout.addLayout(command_row)
        command_layout.addWidget(self.command_note)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Reset,
            self,
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Reset).setText(_("Plain server"))
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.buttons.clicked.connect(self._on_buttons_clicked)

        left = QVBoxLayout()
        left.addWidget(basics)
        left.addWidget(hidden_box)
        left.addWidget(recipients_box)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(faults_box)
        right.addWidget(stages_box)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(columns, 1)
        layout.addWidget(command_box)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        # Wider than the least it needs, so the faults' reply text has room.
        self.resize(self.sizeHint().width() + 140, self.minimumSizeHint().height())

        # Tab in reading order: the left column down, then the right one, then the foot.
        chain = [
            self.tls_combo, self.auth_check, self.auth_user, self.auth_password,
            self.size_check, self.size_spin, self.size_unit, *self.hide_checks.values(),
            self.reject_edit, self.greylist_check, self.greylist_delay,
            self.fault_table, add_button, preset_button, remove_button,
        ]  # fmt: skip
        for stage in STAGES:
            chain += [self.delay_spins[stage], self.drop_checks[stage]]
        chain += [self.command_line, copy_button]  # then the dialog's buttons, as laid out
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        delay = self.greylist_delay
        self.fault_table.set_exits(
            lambda: delay if delay.isEnabled() else self.greylist_check, lambda: add_button
        )

        for signal in (
            self.tls_combo.currentIndexChanged,
            self.auth_check.toggled,
            self.auth_user.textChanged,
            self.auth_password.textChanged,
            self.size_check.toggled,
            self.size_spin.valueChanged,
            self.size_unit.currentIndexChanged,
            self.reject_edit.textChanged,
            self.greylist_check.toggled,
            self.greylist_delay.valueChanged,
            self.fault_table.faults_edited,
        ):
            signal.connect(self._on_setting_changed)
        for widget in (*self.hide_checks.values(), *self.drop_checks.values()):
            widget.toggled.connect(self._on_setting_changed)
        for spin in self.delay_spins.values():
            spin.valueChanged.connect(self._on_setting_changed)
        self.set_config(load_lab_config(home))

    # ---------------------------------------------------------------- config <-> widgets

    def set_config(self, config: SandboxConfig) -> None:
        """Show ``config`` in the widgets (nothing is saved or emitted)."""
        self._filling = True
        try:
            self.tls_combo.setCurrentIndex(self.tls_combo.findData(tls_mode(config)))
            self.auth_check.setChecked(config.auth is not None)
            if config.auth is not None:
                self.auth_user.setText(config.auth[0])
                self.auth_password.setText(config.auth[1])
            self.size_check.setChecked(config.size_limit is not None)
            if config.size_limit is not None:
                factor = MIB if config.size_limit % MIB == 0 else KIB
                factor = factor if config.size_limit % factor == 0 else 1
                self.size_unit.setCurrentIndex(self.size_unit.findData(factor))
                self.size_spin.setValue(config.size_limit // factor)
            for name, check in self.hide_checks.items():
                check.setChecked(name in config.hidden)
            self.fault_table.setRowCount(0)
            for stage, reply in config.faults:
                self.fault_table.add_fault(stage, reply.code, reply.text)
            self.reject_edit.setPlainText(
                "\n".join(reject_arg(address, reply) for address, reply in config.rejects)
            )
            self.greylist_check.setChecked(config.greylist)
            self.greylist_delay.setValue(config.greylist_delay)
            for stage in STAGES:
                self.delay_spins[stage].setValue(config.delay(stage))
                self.drop_checks[stage].setChecked(stage in config.drops)
        finally:
            self._filling = False
        self._refresh()

    def build(self) -> SandboxConfig:
        """The config the widgets describe.

        Raises:
            SandboxOptionError: a setting cannot be used; the message says which and why.
        """
        mode = self.tls_combo.currentData()
        auth = None
        if self.auth_check.isChecked():
            user, password = self.auth_user.text().strip(), self.auth_password.text()
            if ":" in user:
                raise SandboxOptionError("--auth", _("the user name cannot contain “:”"))
            auth = f"{user}:{password}"
        size = None
        if self.size_check.isChecked():
            size = self.size_spin.value() * self.size_unit.currentData()
        return build_config(
            tls=mode in (TLS_OFFERED, TLS_REQUIRED),
            require_starttls=mode == TLS_REQUIRED,
            implicit_tls=mode == TLS_IMPLICIT,
            auth=auth,
            size=size,
            hide=[name for name, check in self.hide_checks.items() if check.isChecked()],
            faults=self.fault_table.faults(),
            rejects=[line for line in self.reject_edit.toPlainText().splitlines() if line.strip()],
            greylist=self.greylist_check.isChecked(),
            greylist_delay=self.greylist_delay.value(),
            delays=[
                f"{stage}={spin.value()}"
                for stage, spin in self.delay_spins.items()
                if spin.value()
            ],
            drops=[stage for stage, check in self.drop_checks.items() if check.isChecked()],
        )

    def current_config(self) -> SandboxConfig | None:
        """The config the widgets describe, or None while a setting is invalid."""
        try:
            return self.build()
        except SandboxOptionError:
            return None

    # ---------------------------------------------------------------- actions

    def apply(self) -> SandboxConfig | None:
        """Save the settings and emit ``config_changed``; None (nothing saved) when invalid."""
        config = self.current_config()
        if config is None:
            return None
        save_lab_config(self.home, config)
        self.config_changed.emit(config)
        return config

    @Slot()
    def copy_command(self) -> None:
        """Put the command line on the clipboard."""
        QGuiApplication.clipboard().setText(self.command_line.toPlainText())

    def _refresh(self) -> None:
        try:
            config = self.build()
        except SandboxOptionError as exc:
            self.error_label.setText(
                _("Cannot apply: {option}: {problem}").format(
                    option=exc.option, problem=exc.message
                )
            )
            self.error_label.show()
            self.command_line.clear()
            self.command_note.hide()
            valid = False
        else:
            self.error_label.hide()
            line = command_args(config)
            self.command_line.setPlainText(line.text())
            self.command_note.setText(sentences(*line.notes))
            self.command_note.setVisible(not line.exact)
            valid = True
        for button in (QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Apply):
            self.buttons.button(button).setEnabled(valid)
        self.auth_user.setEnabled(self.auth_check.isChecked())
        self.auth_password.setEnabled(self.auth_check.isChecked())
        self.size_spin.setEnabled(self.size_check.isChecked())
        self.size_unit.setEnabled(self.size_check.isChecked())
        self.greylist_delay.setEnabled(self.greylist_check.isChecked())

    @Slot()
    def _on_setting_changed(self, *_args: object) -> None:
        if not self._filling:
            self._refresh()

    @Slot()
    def _on_add_fault_button_clicked(self) -> None:
        row = self.fault_table.add_fault()
        self.fault_table.setCurrentCell(row, 2)

    @Slot(object)
    def _on_presets_triggered(self, action) -> None:
        stage, code, text = action.data()
        self.fault_table.add_fault(stage, code, text)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if self.apply() is not None:
            self.accept()

    @Slot(object)
    def _on_buttons_clicked(self, button) -> None:
        role = self.buttons.standardButton(button)
        if role == QDialogButtonBox.StandardButton.Apply:
            self.apply()
        elif role == QDialogButtonBox.StandardButton.Reset:
            self.set_config(SandboxConfig())


def _seconds_spin(name: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setObjectName(name)
    spin.setRange(0.0, MAX_DELAY)
    spin.setDecimals(2)
    spin.setSingleStep(0.5)
    spin.setSuffix(" s")
    spin.setAlignment(Qt.AlignmentFlag.AlignRight)
    return spin
