"""A small non-modal window saying what an RFC section is about, with its online link."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QPoint, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from mailcomposer.i18n import _
from mailcomposer.smtp.rfc import Ref


class ReferencePopup(QDialog):
    """Shows one RFC reference: its label, the RFC's title, our offline summary, the link.

    Nothing goes online unless the reader clicks the link, which opens their browser.

    Attributes:
        ref: the reference shown, or None before the first.

    Signals:
        link_opened: the reader clicked the online link (carries the URL).
    """

    link_opened = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rfcReferencePopup")
        self.setModal(False)
        self.setWindowFlag(Qt.WindowType.Tool)
        self.ref: Ref | None = None
        layout = QVBoxLayout(self)
        self.label = QLabel(self)
        self.label.setObjectName("rfcReferenceLabel")
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        self.title = QLabel(self)
        self.title.setObjectName("rfcReferenceTitle")
        self.title.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("rfcReferenceSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setMinimumWidth(360)
        self.link = QLabel(self)
        self.link.setObjectName("rfcReferenceLink")
        self.link.setTextFormat(Qt.TextFormat.RichText)
        self.link.setOpenExternalLinks(False)  # we open it, and only on a click
        self.link.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self.link.linkActivated.connect(self._on_link_link_activated)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        for widget in (self.label, self.title, self.summary, self.link, buttons):
            layout.addWidget(widget)

    def show_reference(self, ref: Ref, at: QPoint | None = None) -> None:
        """Fill the window with ``ref`` and show it (near ``at``, global coordinates)."""
        self.ref = ref
        self.setWindowTitle(ref.label)
        self.label.setText(ref.label)
        self.title.setText(ref.title)
        self.summary.setText(
            ref.summary or _("There is no offline summary of this section; the link opens it.")
        )
        self.link.setText(
            f'<a href="{escape(ref.url, quote=True)}">'
            + escape(_("Read {label} online").format(label=ref.label))
            + "</a>"
        )
        self.link.setToolTip(ref.url)
        self.adjustSize()
        if at is not None:
            self.move(at)
        self.show()
        self.raise_()

    @Slot(str)
    def _on_link_link_activated(self, url: str) -> None:
        QDesktopServices.openUrl(QUrl(url))
        self.link_opened.emit(url)
