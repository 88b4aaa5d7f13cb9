"""The pause bar of *Send step by step*: the next command, why, and Next / Run / Abort."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _
from mailcomposer.smtp.errors import Stage
from mailcomposer.smtp.step import EXTRA_VERBS, Choice, PlannedStep, check_extra
from mailcomposer.ui.stepgate import StepGate
from mailcomposer.ui.tints import NoticeTint


class StepPanel(QFrame):
    """Shows the step a stepped send waits before and answers the ``StepGate`` for the user.

    Next sends the command, *Run to the end* stops pausing, Abort ends the send as
    cancelled. The command field sends NOOP, RSET, VRFY, EXPN or HELP on the live
    connection; anything else is refused here, explained, and not sent.

    Attributes:
        gate: the gate this bar answers.
    """

    def __init__(self, gate: StepGate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.gate = gate
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

        self.title_label = QLabel(self)
        bold = self.title_label.font()
        bold.setBold(True)
        self.title_label.setFont(bold)
        self.command_label = self._label("stepCommandLabel")
        self.command_label.setFont(fixed)
        self.command_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.explanation_label = self._label("stepExplanationLabel")
        self.refs_label = self._label("stepRefsLabel")

        self.next_button = self._button(_("&Next"), "stepNextButton", self._on_next_clicked)
        self.next_button.setToolTip(_("Send this command, then pause before the next one"))
        self.run_button = self._button(_("&Run to the end"), "stepRunButton", self._on_run_clicked)
        self.run_button.setToolTip(_("Send this command and all the others without pausing"))
        self.abort_button = self._button(_("A&bort"), "stepAbortButton", self._on_abort_clicked)
        self.abort_button.setToolTip(_("Stop here: nothing is delivered, your message is kept"))
        self.command_field = QLineEdit(self)
        self.command_field.setObjectName("stepCommandField")
        self.command_field.setFont(fixed)
        self.command_field.setPlaceholderText(_("NOOP, RSET, VRFY name, EXPN list, HELP"))
        self.command_field.setToolTip(
            _("A command of your own on this connection: {verbs}").format(
                verbs=", ".join(EXTRA_VERBS)
            )
        )
        self.command_field.returnPressed.connect(self._on_command_field_return_pressed)
        self.send_command_button = self._button(
            _("Send command"), "stepSendCommandButton", self._on_command_field_return_pressed
        )
        self.problem_label = self._label("stepProblemLabel")
        self.problem_tint = NoticeTint(self.problem_label, "error", "QLabel { color: {error}; }")

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.next_button, self.run_button, self.abort_button):
            buttons.addWidget(button)
        buttons.addSpacing(12)
        buttons.addWidget(self.command_field, 1)
        buttons.addWidget(self.send_command_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(2)
        for widget in (self.title_label, self.command_label, self.explanation_label):
            layout.addWidget(widget)
        layout.addWidget(self.refs_label)
        layout.addLayout(buttons)
        layout.addWidget(self.problem_label)
        self.problem_label.hide()
        gate.paused.connect(self.show_step)
        gate.resumed.connect(self._on_gate_resumed)
        self.hide()

    @classmethod
    def install(cls, window: QMainWindow, gate: StepGate) -> StepPanel:
        """Put a pause bar for ``gate`` at the foot of ``window``'s central area.

        That is just above the protocol log when the log is docked at the bottom.
        """
        central = window.centralWidget()
        panel = cls(gate, central)
        central.layout().addWidget(panel)
        return panel

    def _label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    def _button(self, text: str, name: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # ------------------------------------------------------------------ showing

    def start(self) -> None:
        """A stepped send begins: show the bar, waiting for the first pause."""
        self.title_label.setText(_("Sending step by step: connecting…"))
        for label in (self.command_label, self.explanation_label, self.refs_label):
            label.clear()
        self.problem_label.hide()
        self.command_field.clear()
        self._set_answering(False)
        self.show()

    def finish(self) -> None:
        """The send ended: hide the bar."""
        self._set_answering(False)
        self.hide()

    @Slot(object)
    def show_step(self, step: PlannedStep) -> None:
        """Show ``step`` (the send waits before it) and enable the answers."""
        if self.gate.waiting is not step:
            return  # a stale pause: the send has moved on (cancelled meanwhile)
        self.title_label.setText(_("Paused. Next, the client sends:"))
        self.command_label.setText(f"C: {step.line}")
        self.explanation_label.setText(step.explanation.text)
        self.explanation_label.setVisible(bool(step.explanation.text))
        labels = step.explanation.ref_labels
        self.refs_label.setText(_("See {refs}").format(refs=labels) if labels else "")
        self.refs_label.setVisible(bool(labels))
        self._set_answering(True)
        typing_allowed = step.stage is not Stage.FINAL_DOT
        self.command_field.setEnabled(typing_allowed)
        self.send_command_button.setEnabled(typing_allowed)
        if not typing_allowed:
            self._show_problem(
                _(
                    "No command can be typed now: the server reads every line as message "
                    "text until the final dot."
                )
            )
        self.next_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_answering(self, answering: bool) -> None:
        for widget in (
            self.next_button, self.run_button, self.abort_button,
            self.command_field, self.send_command_button,
        ):  # fmt: skip
            widget.setEnabled(answering)

    def _show_problem(self, text: str) -> None:
        self.problem_label.setText(text)
        self.problem_label.setVisible(bool(text))

    def _answer(self, choice: Choice) -> None:
        if self.gate.answer(choice):
            self._show_problem("")
            self._set_answering(False)

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_gate_resumed(self) -> None:
        self._set_answering(False)
        self.title_label.setText(_("Sending…"))

    @Slot()
    def _on_next_clicked(self) -> None:
        self._answer(Choice.next())

    @Slot()
    def _on_run_clicked(self) -> None:
        self._answer(Choice.run())

    @Slot()
    def _on_abort_clicked(self) -> None:
        self._answer(Choice.abort())

    @Slot()
    def _on_command_field_return_pressed(self) -> None:
        line = self.command_field.text().strip()
        if not line or not self.command_field.isEnabled():
            return
        problem = check_extra(line)
        if problem:
            self._show_problem(problem)
            return
        self.command_field.clear()
        self._answer(Choice.extra(line))
