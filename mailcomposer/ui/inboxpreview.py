"""The inbox preview pane: one received message in tabs (message, headers, source, parts, files)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QImage, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _, ngettext
from mailcomposer.sandbox.preview import Preview, cid_key
from mailcomposer.ui.inboxfill import TextFiller
from mailcomposer.ui.inboxtabs import AttachmentsTab, HeadersTab, PartsTab, SourceTab
from mailcomposer.ui.mimeview import human_size
from mailcomposer.ui.tints import NoticeTint

_PLACEHOLDER_SIZE = 16


class CidBrowser(QTextBrowser):
    """A read-only HTML view that loads ``cid:`` images from the message and nothing else.

    No network request is ever made: every other URL (http, https, file, relative
    paths) gets a grey placeholder and is recorded in ``blocked``. Links are not
    followed.

    A long plain-text body is put in a piece at a time (``TextFiller``): its first
    screen at once, the rest over a few turns of the event loop.

    Attributes:
        resources: ``Content-ID`` → bytes of the message being shown.
        blocked: the URLs asked for and refused, in order, without repeats.
        filler: puts a plain-text body in (``filled`` once it is all there).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.resources: dict[str, bytes] = {}
        self.blocked: list[str] = []
        self.filler = TextFiller(self)

    @property
    def filling(self) -> bool:
        """True while a long plain-text body is still being put in."""
        return self.filler.filling

    def show_html(self, html: str, resources: dict[str, bytes]) -> None:
        """Show ``html`` with its ``cid:`` images taken from ``resources``."""
        self.filler.cancel()
        self.resources = resources
        self.blocked = []
        self.setHtml(html)

    def show_text(self, text: str) -> None:
        """Show a plain-text body."""
        self.resources = {}
        self.blocked = []
        self.filler.fill(text)

    def loadResource(self, kind: int, url: QUrl | str):
        """Return a ``cid:`` image from the message; a placeholder for anything else."""
        url = QUrl(url) if isinstance(url, str) else url
        if url.scheme().lower() == "cid":
            data = self.resources.get(cid_key(url.toString()))
            if data is not None:
                image = QImage.fromData(data)
                if not image.isNull():
                    return image
        text = url.toString()
        if text not in self.blocked:
            self.blocked.append(text)
        if kind == QTextDocument.ResourceType.ImageResource.value:
            # Cached by the document: asked once, not on every layout.
            placeholder = QImage(_PLACEHOLDER_SIZE, _PLACEHOLDER_SIZE, QImage.Format.Format_RGB32)
            placeholder.fill(self.palette().color(QPalette.ColorRole.Mid))
            return placeholder
        return None


class MessageTab(QWidget):
    """The rendered message: a header summary, a note about blocked content, the body.

    Attributes:
        summary: the form of From, To, Cc, Subject and Date.
        note: says remote content was blocked, or what could not be shown.
        whole_button: reads the parts of a big message, which are not read on selection.
        body: the ``CidBrowser`` (objectName ``messageBody``).

    Signals:
        whole_requested: the user asked for the whole of a big message.
    """

    whole_requested = Signal()

    @property
    def filling(self) -> bool:
        """True while a long plain-text body is still being put in (see ``CidBrowser``)."""
        return self.body.filling

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary_box = QFrame(self)
        self.summary_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.summary = QFormLayout(self.summary_box)
        self.summary.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.summary.setContentsMargins(8, 6, 8, 6)
        self.summary.setVerticalSpacing(2)
        self.note = QLabel(self)
        self.note.setObjectName("previewNote")
        self.note.setWordWrap(True)
        self.note_tint = NoticeTint(self.note, "warning", "QLabel { {css} padding: 4px; }")
        self.note.hide()
        self.whole_button = QPushButton(_("Show the whole message"), self)
        self.whole_button.setObjectName("previewWholeButton")
        self.whole_button.clicked.connect(self.whole_requested)
        self.whole_button.hide()
        self.body = CidBrowser(self)
        self.body.setObjectName("messageBody")
        self.body.setAccessibleName(_("Message body"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary_box)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.whole_button)
        layout.addLayout(row)
        layout.addWidget(self.body, 1)

    def show_preview(self, preview: Preview) -> None:
        """Fill the tab from ``preview``."""
        self.set_whole_loading(False)
        while self.summary.rowCount():
            self.summary.removeRow(0)
        # Not "Subject:": that msgid is the certificate's subject in another catalog.
        names = {
            "From": _("From"),
            "To": _("To"),
            "Cc": _("Cc"),
            "Subject": _("Subject"),
            "Date": _("Date"),
        }
        labels = {key: _("{label}:").format(label=name) for key, name in names.items()}
        for name, value in preview.summary:
            text = QLabel(value, self.summary_box)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            text.setWordWrap(True)
            if name == "Subject":
                font = text.font()
                font.setBold(True)
                text.setFont(font)
            self.summary.addRow(labels[name], text)
        self.summary_box.setVisible(bool(preview.summary))
        notes = list(preview.problems)
        if preview.deferred:
            notes.append(
                _(
                    "This message is large ({size}): its parts are read when you press"
                    " “Show the whole message”."
                ).format(size=human_size(preview.size))
            )
        self.whole_button.setVisible(preview.deferred)
        if preview.remote:
            count = len(preview.remote)
            notes.append(
                ngettext(
                    "Remote content blocked: {n} image or file on the internet was not loaded.",
                    "Remote content blocked: {n} images or files on the internet were not loaded.",
                    count,
                ).format(n=count)
            )
        self.note.setText("\n".join(notes))
        self.note.setVisible(bool(notes))
        if preview.html:
            self.body.show_html(preview.html, preview.resources)
        elif preview.text:
            self.body.show_text(preview.text)
        else:
            self.body.show_text(_("(This message has no text to show.)"))

    def clear(self) -> None:
        """Show nothing."""
        while self.summary.rowCount():
            self.summary.removeRow(0)
        self.summary_box.hide()
        self.note.hide()
        self.whole_button.hide()
        self.set_whole_loading(False)
        self.body.show_text(_("Select a message in the list to see it here."))

    def show_loading(self) -> None:
        """Say the message is being read."""
        self.clear()
        self.body.show_text(_("Loading…"))

    def set_whole_loading(self, loading: bool) -> None:
        """Show the whole button busy (``Loading…``, disabled) while the rest is read."""
        self.whole_button.setEnabled(not loading)
        self.whole_button.setText(_("Loading…") if loading else _("Show the whole message"))


class InboxPreview(QTabWidget):
    """The preview of the selected message, one tab per way of looking at it.

    Attributes:
        message_tab: the rendered message (``MessageTab``).
        headers_tab: the envelope beside the headers (``HeadersTab``).
        source_tab: the raw message, bounded (``SourceTab``).
        parts_tab: the MIME parts (``PartsTab``).
        attachments_tab: the files, with Save and Save all (``AttachmentsTab``).
        preview: the ``Preview`` shown, or None.

    Signals:
        shown: a message was shown (carries its ``Preview``).
        whole_requested: the user asked for the whole of a big message.
    """

    shown = Signal(object)
    whole_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sandboxInboxPreview")
        self.setDocumentMode(True)
        self.preview: Preview | None = None
        self.message_tab = MessageTab(self)
        self.headers_tab = HeadersTab(self)
        self.source_tab = SourceTab(self)
        self.parts_tab = PartsTab(self)
        self.attachments_tab = AttachmentsTab(self)
        self.message_tab.whole_requested.connect(self.whole_requested)
        self.addTab(self.message_tab, _("Message"))
        self.addTab(self.headers_tab, _("Headers && envelope"))
        self.addTab(self.source_tab, _("Source"))
        self.addTab(self.parts_tab, _("MIME tree"))
        self.addTab(self.attachments_tab, _("Attachments"))
        self.clear()

    def show_preview(self, preview: Preview) -> None:
        """Show ``preview`` in every tab."""
        self.preview = preview
        self.message_tab.show_preview(preview)
        self.headers_tab.show_preview(preview)
        self.source_tab.show_preview(preview)
        self.parts_tab.show_preview(preview)
        self.attachments_tab.show_preview(preview)
        count = len(preview.attachments)
        self.setTabText(
            4,
            _("Attachments ({n})").format(n=count) if count else _("Attachments"),
        )
        self.setEnabled(True)
        self.shown.emit(preview)

    def show_loading(self) -> None:
        """Show no message yet: the one selected is being read."""
        self.clear()
        self.message_tab.show_loading()

    def stop_loading(self) -> None:
        """Leave the busy state of ``show_loading`` or of the whole button (load dropped)."""
        if self.preview is None:
            self.clear()
        else:
            self.message_tab.set_whole_loading(False)

    def clear(self) -> None:
        """Show no message."""
        self.preview = None
        self.message_tab.clear()
        self.headers_tab.clear()
        self.source_tab.clear()
        self.parts_tab.clear()
        self.attachments_tab.clear()
        self.setTabText(4, _("Attachments"))
        self.setEnabled(False)
