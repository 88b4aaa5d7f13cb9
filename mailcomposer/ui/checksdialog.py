"""The pre-send checks dialog: what the checks found, a Fix for each, Send anyway or Cancel."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _, ngettext
from mailcomposer.message.screening import Action, Finding, blocking


def fix_label(finding: Finding) -> str:
    """The text of the finding's Fix button, or empty when there is no fix."""
    if finding.check == "domain-typo" and finding.fix:
        return _("Correct it")
    return {
        "attachment": _("Attach files…"),
        "empty-subject": _("Write a subject"),
        "empty-body": _("Write the message"),
        "domain-incomplete": _("Edit the address"),
        "many-recipients": _("Move them to Bcc"),
    }.get(finding.check, "")


class ChecksDialog(QDialog):
    """Lists the findings; Send anyway (``accept``) or Cancel (``reject``).

    While a blocking finding remains, Send anyway stays disabled until the user
    ticks the override box: nothing is ever blocked without saying why, and the
    user always has the last word.

    Attributes:
        findings: the findings shown.
        send_button: Send anyway (``sendAnywayButton``).
        cancel_button: Cancel (``cancelChecksButton``); the draft stays as it is.
        override: "send even though it is blocked" (``checksOverride``).
        fix_buttons: the Fix button of each finding shown, by its index.

    Signals:
        fix_requested: the user pressed a finding's Fix (carries the ``Finding``).
    """

    fix_requested = Signal(object)

    def __init__(self, findings: Sequence[Finding], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preSendChecks")
        self.setWindowTitle(_("Before sending"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(520)
        self.findings: tuple[Finding, ...] = ()
        self.fix_buttons: dict[int, QPushButton] = {}
        self.heading = QLabel(self)
        self.heading.setObjectName("checksHeading")
        self.heading.setWordWrap(True)
        self._list = QFrame(self)
        self._grid = QGridLayout(self._list)
        self._grid.setColumnStretch(1, 1)
        self.override = QCheckBox(_("Send it anyway, although a check blocks it"), self)
        self.override.setObjectName("checksOverride")
        self.override.toggled.connect(self._update_buttons)
        buttons = QDialogButtonBox(self)
        self.send_button = buttons.addButton(
            _("Send anyway"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.send_button.setObjectName("sendAnywayButton")
        self.cancel_button = buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setObjectName("cancelChecksButton")
        self.cancel_button.setToolTip(_("Go back to the message; nothing is lost"))
        self.cancel_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self._list)
        layout.addWidget(self.override)
        layout.addWidget(buttons)
        self.set_findings(findings)
        # Qt focuses the first button of the chain, Send anyway, which then becomes the
        # default: Enter sent the message the checks had just stopped. Enter cancels.
        self.cancel_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_findings(self, findings: Sequence[Finding]) -> None:
        """Show ``findings`` (again, after a fix)."""
        self.findings = tuple(findings)
        focused = self.focusWidget()
        fixing = focused is not None and focused in self.fix_buttons.values()
        while self._grid.count():
            item = self._grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.fix_buttons = {}
        style = self.style()
        for row, finding in enumerate(self.findings):
            blocks = finding.action is Action.BLOCK
            icon = QLabel(self._list)
            pixmap = (
                QStyle.StandardPixmap.SP_MessageBoxCritical
                if blocks
                else QStyle.StandardPixmap.SP_MessageBoxWarning
            )
            icon.setPixmap(style.standardIcon(pixmap).pixmap(20, 20))
            icon.setToolTip(_("Blocks sending") if blocks else _("Warning"))
            text = QLabel(finding.message, self._list)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            text.setObjectName(f"finding_{finding.check}")
            self._grid.addWidget(icon, row, 0, Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(text, row, 1)
            label = fix_label(finding)
            if label:
                button = QPushButton(label, self._list)
                button.setObjectName(f"fix_{finding.check}")
                button.setAutoDefault(False)
                button.clicked.connect(lambda _checked=False, f=finding: self.fix_requested.emit(f))
                self._grid.addWidget(button, row, 2, Qt.AlignmentFlag.AlignTop)
                self.fix_buttons[row] = button
        if not self.findings:
            self.heading.setText(_("Every check passes now."))
            self.send_button.setText(_("Send"))
        else:
            self.heading.setText(
                ngettext(
                    "The checks found {n} thing to look at before sending:",
                    "The checks found {n} things to look at before sending:",
                    len(self.findings),
                ).format(n=len(self.findings))
            )
        self.override.setVisible(bool(blocking(self.findings)))
        self._update_buttons()
        self._fit_height()
        # Tab in reading order: each finding's fix, the override, then Send and Cancel.
        chain = [*self.fix_buttons.values(), self.override, self.send_button, self.cancel_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        if fixing:  # the Fix just used is gone: the next one, else the safe Cancel
            (next(iter(self.fix_buttons.values()), None) or self.cancel_button).setFocus()

    def _fit_height(self) -> None:
        """Take the height the content needs at the dialog's width, no more.

        Qt sizes a dialog from its size hint, where the word-wrapped texts are laid out
        at the hint's narrow width (tall), and then widens it to the minimum width: the
        height the narrow layout wanted stayed, as empty space between the rows.
        """
        for child in self._list.findChildren(QWidget):
            if self._grid.indexOf(child) >= 0:
                child.show()  # a layout shows new widgets later, after this measure
        self.layout().activate()
        width = max(self.width() if self.isVisible() else 0, self.minimumSizeHint().width(),
                    self.minimumWidth())  # fmt: skip
        self.resize(width, self.heightForWidth(width))

    def blocked(self) -> bool:
        """True while a blocking finding stands and the override is not ticked."""
        return bool(blocking(self.findings)) and not self.override.isChecked()

    @Slot()
    def _update_buttons(self) -> None:
        self.send_button.setEnabled(not self.blocked())

    def accept(self) -> None:
        if self.blocked():
            return  # Enter must not get round a disabled Send anyway
        super().accept()
