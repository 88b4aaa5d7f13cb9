"""The account form's *Detect settings* step: the look-ups as they happen, then the result."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from mailcomposer.i18n import _
from mailcomposer.ui.accountprobe import ProbeRunner
from mailcomposer.ui.forms import push_button
from mailcomposer.ui.tints import NoticeTint


class DetectPanel(QWidget):
    """Finds the settings of the typed address's domain off the GUI thread.

    Shows each look-up (autoconfig URLs, SRV, MX) in ``detectLog`` as it ends and
    emits what the first successful one found; unverified results (plain HTTP,
    DNS) are marked for the user to check before saving.

    Attributes:
        button: *Detect settings* (``detectButton``).
        log: the steps (``detectLog``), hidden until the first run.
        verdict: the outcome line (``detectVerdict``).
        runner: the worker thread's owner.
        opener, resolver: passed to the detection (None: the real network; tests
            pass their local servers).

    Signals:
        settings_found(object): the ``autoconfig.Found`` of a successful run.
        finished(): a run ended (found or not).
    """

    settings_found = Signal(object)
    finished = Signal()

    def __init__(self, address_edit: QLineEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._address_edit = address_edit
        self.opener: Any = None
        self.resolver: Any = None
        self.button = push_button(_("Detect settings"), "detectButton", self._on_button_clicked)
        self.button.setToolTip(
            _("Look up this address's server settings: the provider's autoconfig file, "
              "Thunderbird's database, then DNS.")
        )  # fmt: skip
        self.log = QPlainTextEdit()
        self.log.setObjectName("detectLog")
        self.log.setReadOnly(True)
        # Room for the seven look-ups: squeezed into the form it would show one line.
        lines = self.fontMetrics().lineSpacing()
        self.log.setMinimumHeight(lines * 5 + 10)
        self.log.setMaximumHeight(lines * 8 + 10)
        self.log.setVisible(False)
        self.verdict = QLabel()
        self.verdict.setObjectName("detectVerdict")
        self.verdict.setWordWrap(True)
        self.verdict.setVisible(False)
        self.verdict_tint = NoticeTint(
            self.verdict, "info", "QLabel { {css} border-radius: 4px; padding: 4px; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.log)
        layout.addWidget(self.verdict)
        self.runner = ProbeRunner(self)
        self.runner.event_logged.connect(self._on_runner_event_logged)
        self.runner.succeeded.connect(self._on_runner_succeeded)
        self.runner.failed.connect(self._on_runner_failed)
        self.runner.finished.connect(self._on_runner_finished)
        # Hidden while it has nothing to say: an empty row in a form still takes the
        # form's spacing, a gap under the address that looked like a missing field.
        self._hide_if_empty()

    def start(self) -> None:
        """Look up the settings of the address in the form (nothing if one runs)."""
        address = self._address_edit.text().strip()
        if self.runner.running:
            return
        self.log.clear()
        self._reveal(self.log)
        if "@" not in address:
            self._show_verdict(_("Type the e-mail address first."), warn=True)
            return
        self.log.appendPlainText(_("Looking up the settings for {address}:").format(
            address=address))  # fmt: skip
        self.verdict.setVisible(False)
        self.button.setEnabled(False)
        self.runner.start_detect(address, self.opener, self.resolver)

    def stop_and_wait(self) -> None:
        """Wait for a running look-up (never leave its thread running)."""
        self.runner.stop_and_wait()

    def clear(self) -> None:
        """Forget the last look-up: the form now shows another account (or a new one).

        Its steps and verdict are about another address; a look-up still running is
        cancelled, so what it finds never fills the other account's form.
        """
        if self.runner.running:
            self.runner.cancel()
        self.log.clear()
        self.log.setVisible(False)
        self.verdict.clear()
        self.verdict.setVisible(False)
        if not self.runner.running:  # else when it has ended (hiding waits for it)
            self._hide_if_empty()

    def hideEvent(self, event: QHideEvent) -> None:
        self.stop_and_wait()
        super().hideEvent(event)

    def _show_verdict(self, text: str, *, warn: bool) -> None:
        self.verdict.setText(text)
        self.verdict_tint.set_kind("warning" if warn else "info")
        self._reveal(self.verdict)

    def _reveal(self, widget: QWidget) -> None:
        """Show ``widget`` and let the form, its tab page and the tabs grow for it."""
        widget.setVisible(True)
        self.setVisible(True)
        parent: QWidget | None = self
        while parent is not None and not parent.isWindow():
            parent.updateGeometry()
            parent = parent.parentWidget()

    @Slot()
    def _on_button_clicked(self) -> None:
        self.start()

    @Slot(object)
    def _on_runner_event_logged(self, step: Any) -> None:
        self.log.appendPlainText("• " + step.line())

    @Slot(object)
    def _on_runner_succeeded(self, detection: Any) -> None:
        found = detection.found
        if found.trusted:
            self._show_verdict(
                _("Found over a verified connection ({source}); the form is filled in.")
                .format(source=found.source), warn=False,
            )  # fmt: skip
        else:
            self._show_verdict(
                _("Unverified ({source}): the form is filled in, check the server before "
                  "saving.").format(source=found.source), warn=True,
            )  # fmt: skip
        self.settings_found.emit(found)

    @Slot(object)
    def _on_runner_failed(self, detection: Any) -> None:
        if isinstance(detection, str):  # the job itself failed
            self.log.appendPlainText(detection)
        self._show_verdict(
            _("No settings were found: choose a provider or enter the server yourself."),
            warn=True,
        )

    @Slot()
    def _on_runner_finished(self) -> None:
        # Enabled as the address is: a look-up cancelled by showing the built-in
        # account must not re-enable its (disabled) button.
        self.button.setEnabled(self._address_edit.isEnabled())
        self._hide_if_empty()  # cleared while it ran
        self.finished.emit()

    def _hide_if_empty(self) -> None:
        """Hidden with nothing to say: an empty form row still takes the form's spacing."""
        if self.log.isHidden() and self.verdict.isHidden():
            self.setVisible(False)
