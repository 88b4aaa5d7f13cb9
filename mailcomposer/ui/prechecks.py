"""Pre-send checks in the window: screen the message, ask once, apply the fixes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Slot

from mailcomposer.i18n import _

if TYPE_CHECKING:
    from mailcomposer.message.screening import Finding, Settings
    from mailcomposer.store.paths import Home


class PreSendChecks(QObject):
    """Runs ``screen()`` on the composer's message before a send and shows the findings.

    The send flow calls :meth:`run` with the built message and what to do if the
    user sends anyway; with findings, one ``ChecksDialog`` opens (never a second)
    and the send waits for the answer; Cancel leaves the message as it was.

    Attributes:
        dialog: the open ``ChecksDialog``, if any.
    """

    def __init__(self, window: Any, home: Home) -> None:
        """Check the message of the composer ``window`` with the rules of ``home``."""
        super().__init__(window)
        self._window = window
        self._home = home
        self.dialog: Any = None
        self._proceed: Callable[[], None] | None = None

    def settings(self) -> tuple[Settings, list[Finding]]:
        """The rules, and a finding when the rules file cannot be used (then none apply)."""
        # Imported on the first check, not at start: the window opens without them.
        from mailcomposer.message.screening import Action, Finding, Settings
        from mailcomposer.store import screening

        try:
            return screening.load(self._home.screening_file), []
        except screening.ScreeningFileError as exc:
            problem = _("The rules were not applied: {error}").format(error=exc)
            return Settings(), [Finding("rules-file", Action.WARN, problem)]

    def findings(self, built: Any = None) -> list[Finding]:
        """What the checks find in the composer's message now."""
        from mailcomposer.message.screening import screen

        w = self._window
        header = w.header
        settings, problems = self.settings()
        account = header.current_account()
        limit = w.ui_settings.server_size_limit(account.name) if account is not None else None
        size = None
        if limit and built is not None:
            size = built.wire().size
        signature = "\n".join(w.signature.block_texts())
        return problems + screen(
            to=header.to_field.text(),
            cc=header.cc_field.text(),
            bcc=header.bcc_field.text(),
            subject=header.subject_field.text(),
            body=w.editor.toPlainText(),
            attachment_count=len(w.attachments.model.attachments()),
            signatures=[signature] if signature else [],
            settings=settings,
            message_size=size,
            server_size_limit=limit,
        )

    def run(self, built: Any, proceed: Callable[[], None]) -> bool:
        """Check before sending; True when the send must wait (the dialog is open).

        ``proceed()`` is called if the user chooses Send anyway.
        """
        if self.dialog is not None:
            self.dialog.raise_()
            return True
        findings = self.findings(built)
        if not findings:
            return False
        from mailcomposer.ui.checksdialog import ChecksDialog

        self._proceed = proceed
        dialog = self.dialog = ChecksDialog(findings, self._window)
        dialog.fix_requested.connect(self._on_dialog_fix_requested)
        dialog.finished.connect(self._on_dialog_finished)
        dialog.open()
        return True

    @Slot(int)
    def _on_dialog_finished(self, result: int) -> None:
        from PySide6.QtWidgets import QDialog

        dialog, self.dialog = self.dialog, None
        proceed, self._proceed = self._proceed, None
        if dialog is not None:
            dialog.deleteLater()
        if result == QDialog.DialogCode.Accepted and proceed is not None:
            proceed()
        else:
            self._window.status_area.say(_("Not sent: the message is as you left it."))

    @Slot(object)
    def _on_dialog_fix_requested(self, finding: Finding) -> None:
        w = self._window
        header = w.header
        if finding.check == "domain-typo":
            field = header.field_widget(finding.field)
            if field is not None and finding.fix:
                field.setText(finding.fix)
        elif finding.check == "many-recipients":
            moved = [f.text().strip() for f in (header.bcc_field, header.to_field, header.cc_field)]
            header.bcc_field.setText(", ".join(text for text in moved if text))
            header.to_field.clear()
            header.cc_field.clear()
            header.show_filled_rows()
        elif finding.check == "attachment":
            w.choose_attachments()
        elif finding.check == "domain-incomplete":
            self.dialog.reject()
            self._select_incomplete(finding.field)
            return
        elif finding.field:
            # Subject or body: the user writes it in the window.
            self.dialog.reject()
            w.focus_field(finding.field)
            return
        w.draft_keeper.note_edit()
        if self.dialog is not None:
            self.dialog.set_findings(self.findings())

    def _select_incomplete(self, field_name: str) -> None:
        """Show the field (Cc and Bcc may be folded) with its first incomplete address selected."""
        from mailcomposer.message.screening import incomplete_addresses

        header = self._window.header
        header.show_filled_rows()
        field = header.field_widget(field_name)
        if field is None:
            return
        field.setFocus()
        text = field.text()
        found = incomplete_addresses(text)
        start = text.find(found[0]) if found else -1
        if start >= 0:
            field.setSelection(start, len(found[0]))
