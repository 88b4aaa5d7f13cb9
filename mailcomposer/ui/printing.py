"""Print the message, or export it as PDF, as the recipient will see it."""

from __future__ import annotations

import datetime
import html
import re
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from mailcomposer.i18n import _
from mailcomposer.message.draft import Draft
from mailcomposer.message.filenames import name_from_text
from mailcomposer.ui.attachments import human_size

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL | re.IGNORECASE)


def _header_row(label: str, value: str) -> str:
    return (
        f'<tr><td style="color:#555;padding-right:12px;vertical-align:top">{html.escape(label)}'
        f"</td><td>{html.escape(value)}</td></tr>"
    )


def printable_html(draft: Draft, when: datetime.datetime | None = None) -> str:
    """The page as HTML: From, To, Cc (never Bcc), Subject, Date; the body; the attachments."""
    when = when or datetime.datetime.now().astimezone()
    rows = [(_("From:"), draft.from_addr), (_("To:"), draft.to)]
    if draft.cc.strip():
        rows.append((_("Cc:"), draft.cc))
    rows += [
        (_("Subject:"), draft.subject),
        (_("Date:"), when.strftime("%a, %d %b %Y %H:%M %z")),
    ]
    head = "".join(_header_row(label, value) for label, value in rows)
    if draft.html is not None:
        match = _BODY.search(draft.html)
        body = match.group(1) if match else draft.html
    else:
        body = f'<div style="white-space:pre-wrap">{html.escape(draft.text)}</div>'
    parts = [
        f'<table cellspacing="0" cellpadding="2">{head}</table>',
        "<hr>",
        f"<div>{body}</div>",
    ]
    if draft.attachments:
        items = "".join(
            f"<li>{html.escape(a.filename)} ({human_size(a.size)})</li>" for a in draft.attachments
        )
        parts += ["<hr>", f"<p><b>{html.escape(_('Attachments:'))}</b></p><ul>{items}</ul>"]
    return "<html><body>" + "\n".join(parts) + "</body></html>"


def printable_document(draft: Draft, parent: QObject | None = None) -> QTextDocument:
    """A ``QTextDocument`` of ``printable_html(draft)`` with the inline images loaded."""
    doc = QTextDocument(parent)
    for image in draft.inline_images:
        doc.addResource(
            QTextDocument.ResourceType.ImageResource, QUrl(image.name), QImage.fromData(image.data)
        )
    doc.setHtml(printable_html(draft))
    return doc


def write_pdf(draft: Draft, path: str | Path) -> None:
    """Write ``draft`` as a PDF file at ``path`` (A4)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            printer.pageLayout().margins(),
        )
    )
    printer.setDocName(draft.subject or "mailcomposer")
    printer.setOutputFileName(str(path))
    printable_document(draft).print_(printer)


class MessagePrinter(QObject):
    """File > Print… and File > Export as PDF… for the composer ``window``."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window

    def _draft(self) -> Draft:
        return self._window.current_draft()

    @Slot()
    def print_message(self) -> None:
        """Ask for a printer (window-modal) and print the message on it."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self._window)
        dialog.setObjectName("printDialog")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            printable_document(self._draft()).print_(printer)

    @Slot()
    def export_pdf(self) -> str:
        """Ask for a file name and write the PDF there; return the path ("" if cancelled)."""
        draft = self._draft()
        name = name_from_text(draft.subject).replace(" ", "_")
        path, _filter = QFileDialog.getSaveFileName(
            self._window,
            _("Export as PDF"),
            str(Path.home() / f"{name}.pdf"),
            _("PDF files (*.pdf)"),
        )
        if not path:
            return ""
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        write_pdf(draft, path)
        say = getattr(getattr(self._window, "status_area", None), "say", None)
        if say is not None:
            say(_("Exported {file}.").format(file=Path(path).name))
        return path
