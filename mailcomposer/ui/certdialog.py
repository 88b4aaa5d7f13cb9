"""Dialog asking whether to trust a server certificate that did not verify."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _
from mailcomposer.smtp.tls import CertificateInfo


def _time(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"


class CertificateDialog(QDialog):
    """Shows an untrusted certificate and lets the user trust it for one host and port.

    When ``previous_sha256`` is given the server presented a different certificate
    than the one pinned before: a warning replaces the question and, unless
    ``allow_replace`` is set, there is no trust button at all.

    Attributes:
        info: the certificate shown.
        trusted: True once the user chose to trust it (the dialog was accepted).
    """

    def __init__(
        self,
        info: CertificateInfo,
        parent: QWidget | None = None,
        *,
        previous_sha256: str | None = None,
        allow_replace: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("certificateDialog")
        self.info = info
        self.trusted = False
        where = f"{info.host}:{info.port}"
        self.setWindowTitle(_("Untrusted certificate"))
        layout = QVBoxLayout(self)

        changed = previous_sha256 is not None
        if changed:
            text = _(
                "<b>Warning: the certificate of {where} has changed.</b> The server now "
                "presents a different certificate from the one you trusted. This happens "
                "when the server was renewed, but also when someone intercepts the "
                "connection. Nothing was sent. Ask the server's administrator before "
                "trusting the new one."
            ).format(where=where)
        else:
            text = _(
                "The certificate of <b>{where}</b> could not be verified: {reason}. "
                "Trust it only if you know this server (for example your own lab server) "
                "and the fingerprint below matches the one its administrator gave you."
            ).format(where=where, reason=info.reason or _("unknown reason"))
        headline = QLabel(text)
        headline.setObjectName("certificateHeadline")
        headline.setWordWrap(True)
        headline.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(headline)

        form = QFormLayout()
        rows = [
            ("certificateHost", _("Server:"), where),
            ("certificateSubject", _("Subject:"), info.subject or "-"),
            ("certificateIssuer", _("Issuer:"), info.issuer or "-"),
            (
                "certificateValidity",
                _("Valid:"),
                _("from {start} until {end}").format(
                    start=_time(info.not_before), end=_time(info.not_after)
                ),
            ),
            ("certificateNames", _("Valid for:"), ", ".join(info.names) or "-"),
            ("certificateReason", _("Problem:"), info.reason or "-"),
        ]
        if changed:
            rows.append(("certificateOldFingerprint", _("Trusted SHA-256:"), previous_sha256))
            rows.append(("certificateFingerprint", _("New SHA-256:"), info.sha256))
        else:
            rows.append(("certificateFingerprint", _("SHA-256:"), info.sha256))
        for name, label, value in rows:
            field = QLabel(value)
            field.setObjectName(name)
            field.setWordWrap(True)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if "Fingerprint" in name:
                field.setStyleSheet("font-family: monospace;")
            form.addRow(label, field)
        layout.addLayout(form)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.trust_button: QPushButton | None = None
        if not changed or allow_replace:
            label = (
                _("Trust this certificate for {where}")
                if not changed
                else _("Replace the trusted certificate for {where}")
            )
            self.trust_button = buttons.addButton(
                label.format(where=where), QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.trust_button.setObjectName("trustCertificateButton")
            # An explicit decision: Enter must not trust by accident.
            self.trust_button.setAutoDefault(False)
            self.trust_button.setDefault(False)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _on_buttons_accepted(self) -> None:
        self.trusted = True
        self.accept()
