"""The send log in the composer: History and Statistics, the pre-send checks, resending."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Slot

from mailcomposer.i18n import _
from mailcomposer.message.draft import Draft
from mailcomposer.ui.prechecks import PreSendChecks

if TYPE_CHECKING:
    from mailcomposer.store.history import SentRecord


def draft_from_record(record: SentRecord) -> Draft:
    """A draft addressed as ``record`` was (To, Cc, Bcc from its recipient results)."""
    fields: dict[str, list[str]] = {"to": [], "cc": [], "bcc": []}
    for result in record.rcpt_results:
        fields.get(str(result.get("field", "")).lower(), fields["to"]).append(
            str(result.get("address", ""))
        )
    if not any(fields.values()):
        fields["to"] = list(record.recipients)
    return Draft(
        from_addr=record.sender,
        to=", ".join(a for a in fields["to"] if a),
        cc=", ".join(a for a in fields["cc"] if a),
        bcc=", ".join(a for a in fields["bcc"] if a),
        subject=record.subject,
    )


class SendLog(QObject):
    """Wires the send log's windows and checks into the composer ``window``.

    Attributes:
        checks: the ``PreSendChecks`` the send flow runs before connecting.
    """

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self._window = window
        self.checks = PreSendChecks(window, window.home)
        window.send_flow.checks = self.checks.run
        actions, tools = window.composer_actions, window.tool_windows
        actions.history_action.triggered.connect(tools.show_history)
        actions.stats_action.triggered.connect(tools.show_statistics)
        actions.checks_settings_action.triggered.connect(tools.show_screening_settings)
        tools.resend_requested.connect(self.resend)
        window.send_flow.sending_changed.connect(self._on_send_flow_sending_changed)

    @Slot(bool)
    def _on_send_flow_sending_changed(self, sending: bool) -> None:
        """A send ended: the open History and Statistics show its attempt at once."""
        if sending:
            return
        from PySide6.QtWidgets import QWidget

        for name in ("historyWindow", "statsWindow"):
            for shown in self._window.findChildren(QWidget, name):
                if shown.isVisible():
                    shown.reload_if_changed()

    @Slot(object)
    def resend(self, record: SentRecord) -> None:
        """Reopen ``record`` in the composer to send it again, once the current one is safe.

        An attempt whose outcome is unknown and that is still in the outbox reopens
        from there (same Message-ID, the outbox copy goes once it is sent). Else the
        kept copy opens as a draft, keeping its Message-ID only when the outcome was
        unknown; without a copy, the addresses and subject are filled in.
        """
        window = self._window
        unknown = record.result == "unknown"
        entry = self._outbox_entry(record.message_id) if unknown else None
        if entry is not None:
            window.files.replace_message(lambda: window.files.open_outbox_entry(entry))
            return
        window.files.replace_message(lambda: self._load_record(record, keep_id=unknown))

    def _outbox_entry(self, message_id: str) -> Any:
        from mailcomposer.store.outbox import Outbox

        wanted = message_id.strip("<>")
        for entry in Outbox(self._window.home).pending():
            if entry.message_id.strip("<>") == wanted:
                return entry
        return None

    def _load_record(self, record: SentRecord, *, keep_id: bool) -> None:
        window = self._window
        copy = Path(record.copy_path) if record.copy_path else None
        draft = None
        if copy is not None and copy.is_file():
            from email.utils import getaddresses

            from mailcomposer.message.addresses import envelope_key
            from mailcomposer.message.eml import read_eml

            try:
                draft = read_eml(copy)
            except (OSError, ValueError) as exc:
                window.status_area.show_error(
                    _("Could not open {path}: {error}").format(path=copy, error=exc)
                )
                return
            addressed = draft_from_record(record)
            # Compared as the envelope is built (RFC 5321 §2.4: Bob@ and bob@ are two).
            shown = {envelope_key(a) for _n, a in getaddresses([draft.to, draft.cc])}
            hidden = [a for _n, a in getaddresses([addressed.bcc]) if envelope_key(a) not in shown]
            if hidden and not draft.bcc:
                draft.bcc = ", ".join(hidden)  # the copy as sent has no Bcc header
            note = _("Reopened the message as it was sent; check it and press Send.")
        else:
            draft = draft_from_record(record)
            note = _("The message itself was not kept: its addresses and subject are filled in.")
        draft.message_id = record.message_id if keep_id else None
        # The same message again asks for the same receipts.
        draft.read_receipt, draft.dsn = record.read_receipt, list(record.notify)
        if keep_id:
            note += " " + _("It keeps its Message-ID, so a duplicate can be recognised.")
        window.load_draft(draft, modified=True)
        window.draft_keeper.write_now()
        window.status_area.banner.show_text("info", note)
