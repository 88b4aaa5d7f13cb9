"""The dialog that asks for a link's text and address, accepting only a usable address."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from mailcomposer.i18n import _
from mailcomposer.ui.bodydoc import normalize_url
from mailcomposer.ui.tints import NoticeTint


class LinkDialog(QDialog):
    """Asks for a link's text and address; OK is enabled only for a usable address.

    Attributes:
        text_field: the shown text (``linkTextField``).
        url_field: the address (``linkUrlField``).
    """

    def __init__(self, text: str = "", url: str = "", parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QDialogButtonBox, QFormLayout

        super().__init__(parent)
        self.setObjectName("linkDialog")
        self.setWindowTitle(_("Link"))
        self.text_field = QLineEdit(text)
        self.text_field.setObjectName("linkTextField")
        self.text_field.setPlaceholderText(_("Text to show (optional)"))
        self.url_field = QLineEdit(url)
        self.url_field.setObjectName("linkUrlField")
        self.url_field.setPlaceholderText(_("https://example.org or name@example.org"))
        self._problem = QLabel()
        self._problem.setObjectName("linkProblemLabel")
        self._problem.setWordWrap(True)
        self._problem_tint = NoticeTint(self._problem, "error", "QLabel { color: {error}; }")
        form = QFormLayout()
        form.addRow(_("&Text:"), self.text_field)
        form.addRow(_("&Address:"), self.url_field)
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._problem)
        layout.addWidget(self._buttons)
        self.url_field.textChanged.connect(self._on_url_field_text_changed)
        self._on_url_field_text_changed(url)
        (self.url_field if text or not url else self.text_field).setFocus()
        self.resize(420, self.sizeHint().height())

    @Slot(str)
    def _on_url_field_text_changed(self, text: str) -> None:
        from PySide6.QtWidgets import QDialogButtonBox

        ok = normalize_url(text) is not None
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        if ok or not text.strip():
            self._problem.setText("")
        else:
            self._problem.setText(_("Enter a web address (https://…) or an e-mail address."))

    def values(self) -> tuple[str, str] | None:
        """``(text, normalized_url)``, or None while the address is unusable."""
        url = normalize_url(self.url_field.text())
        if url is None:
            return None
        return self.text_field.text().strip() or self.url_field.text().strip(), url
