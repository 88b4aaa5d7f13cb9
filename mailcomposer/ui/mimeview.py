"""The MIME view: a message's part tree, each part's headers and content, lint, raw source."""

from __future__ import annotations

from email.message import EmailMessage, Message
from functools import partial
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import (
    QBrush,
    QFontDatabase,
    QImage,
    QPixmap,
    QStandardItem,
    QStandardItemModel,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _
from mailcomposer.message import structure
from mailcomposer.message.preview import EnvelopeStep, envelope_steps
from mailcomposer.message.structure import (
    SOURCE_LIMIT,
    Checked,
    PartRow,
    Structure,
    defect_findings,
    describe,
    lint_findings,
    parse,
    part_filename,
    part_size,
    part_text,
)
from mailcomposer.ui.inboxloader import Loader
from mailcomposer.ui.mimejobs import (
    check_job,
    describe_built_job,
    describe_file_job,
    describe_job,
    image_job,
)
from mailcomposer.ui.tints import accent_text

__all__ = [
    "IMAGE_LIMIT",
    "LINT_AUTO_LIMIT",
    "SOURCE_LIMIT",
    "SYNC_BYTES",
    "TEXT_LIMIT",
    "MimeTreeModel",
    "MimeViewDialog",
    "defect_findings",
    "human_size",
    "lint_findings",
    "parse",
    "part_filename",
    "part_size",
    "part_text",
]

TEXT_LIMIT = 200_000  # characters of a text part shown
IMAGE_LIMIT = 20 * 1024 * 1024  # bigger images are described, not decoded
# ``set_raw`` parses a message up to this size at once; a bigger one (the composer's
# message with a big attachment) is parsed on a worker thread, "Loading…" meanwhile.
SYNC_BYTES = 256 * 1024
# Linting re-parses and scans every line (about 3 s for a 25 MiB attachment): bigger
# messages get a button instead of a frozen window.
LINT_AUTO_LIMIT = structure.LINT_AUTO_LIMIT

PART_ROLE = Qt.ItemDataRole.UserRole + 1
SIZE_ROLE = Qt.ItemDataRole.UserRole + 2


def human_size(size: int) -> str:
    """Return ``size`` as a short human-readable string (bytes, KiB, MiB)."""
    if size < 1024:
        return _("{n} bytes").format(n=size)
    # Unit symbols are the same in every language: not translated.
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / (1024 * 1024):.1f} MiB"


class MimeTreeModel(QStandardItemModel):
    """The part tree: type, disposition, file name, charset, transfer encoding, size."""

    COLUMNS = 6

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels(
            [
                _("Content type"),
                _("Disposition"),
                _("File name"),
                _("Charset"),
                _("Encoding"),
                _("Size"),
            ]
        )
        self._parts: list[Message] = []

    def set_parts(self, rows: tuple[PartRow, ...]) -> None:
        """Show the part tree described by ``rows`` (depth first, as ``part_rows`` gives)."""
        self.removeRows(0, self.rowCount())
        self._parts = []
        parents = [self.invisibleRootItem()]
        for row in rows:
            items = self._items(len(self._parts), row)
            self._parts.append(row.part)
            del parents[row.depth + 1 :]
            parents[-1].appendRow(items)
            parents.append(items[0])

    def part(self, index: QModelIndex) -> Message | None:
        """Return the message part at ``index`` (any column)."""
        if not index.isValid():
            return None
        number = index.siblingAtColumn(0).data(PART_ROLE)
        return self._parts[number] if number is not None else None

    def size(self, index: QModelIndex) -> int:
        """Return the decoded size of the part at ``index`` (any column)."""
        return index.siblingAtColumn(5).data(SIZE_ROLE) or 0 if index.isValid() else 0

    @staticmethod
    def _items(number: int, row: PartRow) -> list[QStandardItem]:
        cells = [
            row.content_type,
            row.disposition,
            row.filename,
            row.charset,
            row.encoding,
            human_size(row.size),
        ]
        items = [QStandardItem(text) for text in cells]
        for item in items:
            item.setEditable(False)
        items[0].setData(number, PART_ROLE)
        items[5].setData(row.size, SIZE_ROLE)
        items[5].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        items[5].setToolTip(_("{n} bytes").format(n=f"{row.size:,}"))
        return items


class MimeViewDialog(QDialog):
    """Inspect a message: its MIME tree, a part's headers and content, lint, raw source.

    Attributes:
        model: the ``MimeTreeModel``.
        tree: the part tree view.
        findings: the list of lint findings (and parser defects).
        headers_view: the selected part's headers.
        content_view: the selected part's decoded text (or a "binary" note).
        image_view: a preview of the selected image part.
        source_view: the raw message source (first 1 MB).
        envelope_view: MAIL FROM and each RCPT TO with its field (hidden without an envelope).
        message: the parsed ``EmailMessage``.
        loader: reads and parses a file on a worker thread (``load_file``).
        lint_loader: runs "Check the message" on a worker thread.
        image_loader: decodes the selected image part on a worker thread.

    Signals:
        loaded: the message is shown (at once with ``set_raw``, later with ``load_file``).
        failed: ``load_file`` could not read the file (carries the sentence shown).
        checked: the findings of "Check the message" are shown.
        image_shown: the selected image part is shown (or described, if it is no picture).
    """

    loaded = Signal()
    failed = Signal(str)
    checked = Signal()
    image_shown = Signal()

    def __init__(
        self,
        raw: bytes = b"",
        parent=None,
        title: str | None = None,
        *,
        envelope: tuple[EnvelopeStep, ...] = (),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mimeView")
        self.setWindowTitle(title or _("Message structure"))
        self.resize(980, 640)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

        self.model = MimeTreeModel(self)
        self.tree = QTreeView(self)
        self.tree.setObjectName("mimeTree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The file name takes the spare width: long names are the ones worth reading.
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tree.setAccessibleName(_("MIME parts"))
        self.tree.selectionModel().currentRowChanged.connect(self._on_tree_current_row_changed)

        self.findings = QListWidget(self)
        self.findings.setObjectName("mimeFindings")
        self.findings.setAccessibleName(_("Lint findings"))
        findings_box = QGroupBox(_("Lint findings"), self)
        box_layout = QVBoxLayout(findings_box)
        box_layout.setContentsMargins(4, 4, 4, 4)
        box_layout.addWidget(self.findings)
        self.lint_button = QPushButton(_("Check the message"), findings_box)
        self.lint_button.setObjectName("mimeLintButton")
        self.lint_button.clicked.connect(self.run_lint)
        self.lint_button.hide()
        box_layout.addWidget(self.lint_button)

        self.envelope_view = QListWidget(self)
        self.envelope_view.setObjectName("mimeEnvelope")
        self.envelope_view.setAccessibleName(_("Envelope"))
        self.envelope_box = QGroupBox(_("Envelope: what the server is told"), self)
        self.envelope_box.setToolTip(
            _(
                "MAIL FROM and RCPT TO go to the server before the message; a Bcc "
                "recipient is only here, never in the headers (RFC 5321 §3.3)"
            )
        )
        envelope_layout = QVBoxLayout(self.envelope_box)
        envelope_layout.setContentsMargins(4, 4, 4, 4)
        envelope_layout.addWidget(self.envelope_view)
        self.envelope_box.hide()

        left = QSplitter(Qt.Orientation.Vertical, self)
        left.addWidget(self.tree)
        left.addWidget(self.envelope_box)
        left.addWidget(findings_box)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 1)
        left.setStretchFactor(2, 1)

        self.headers_view = QPlainTextEdit(self)
        self.headers_view.setObjectName("mimePartHeaders")
        self.headers_view.setReadOnly(True)
        self.headers_view.setFont(fixed)
        self.headers_view.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.headers_view.setAccessibleName(_("Part headers"))
        self.content_view = QPlainTextEdit(self)
        self.content_view.setObjectName("mimePartContent")
        self.content_view.setReadOnly(True)
        self.content_view.setAccessibleName(_("Part content"))
        self.image_view = QLabel(self)
        self.image_view.setObjectName("mimePartImage")
        self.image_view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        image_scroll = QScrollArea(self)
        image_scroll.setWidget(self.image_view)
        image_scroll.setWidgetResizable(True)
        self.content_stack = QStackedWidget(self)
        self.content_stack.addWidget(self.content_view)
        self.content_stack.addWidget(image_scroll)

        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(_titled(_("Headers of the selected part"), self.headers_view))
        right.addWidget(_titled(_("Content"), self.content_stack))
        right.setStretchFactor(0, 1)
        right.setStretchFactor(1, 2)

        structure = QSplitter(Qt.Orientation.Horizontal, self)
        structure.addWidget(left)
        structure.addWidget(right)
        structure.setStretchFactor(0, 3)
        structure.setStretchFactor(1, 2)

        self.source_view = QPlainTextEdit(self)
        self.source_view.setObjectName("mimeSource")
        self.source_view.setReadOnly(True)
        self.source_view.setFont(fixed)
        self.source_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.source_note = QLabel(self)
        source_page = QWidget(self)
        source_layout = QVBoxLayout(source_page)
        source_layout.addWidget(self.source_note)
        source_layout.addWidget(self.source_view)

        self.summary = QLabel(self)
        self.summary.setObjectName("mimeSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(structure, _("Structure"))
        self.tabs.addTab(source_page, _("Source"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

        self.message: EmailMessage | None = None
        self.raw = b""
        self._size = 0
        self._defects: tuple[tuple[str, str], ...] = ()
        self.loader = Loader(self, name="mimeViewThread")
        self.loader.loaded.connect(self._on_loader_loaded)
        self.loader.failed.connect(self._on_loader_failed)
        self.lint_loader = Loader(self, name="mimeLintThread")
        self.lint_loader.loaded.connect(self._on_lint_loader_loaded)
        self.lint_loader.failed.connect(self._on_lint_loader_failed)
        self.image_loader = Loader(self, name="mimeImageThread")
        self.image_loader.loaded.connect(self._on_image_loader_loaded)
        self.image_loader.failed.connect(self._on_image_loader_failed)
        if envelope:
            self.set_envelope(envelope)
        if raw:
            self.set_raw(raw)

    @classmethod
    def from_built(cls, built, parent=None) -> MimeViewDialog:
        """Preview a message about to be sent: the wire form (no Bcc) and its envelope.

        ``built`` is a ``message.mime.BuiltMessage``; the bytes and the lint are
        those of ``send --dry-run``. They are built on a worker thread ("Loading…"
        meanwhile; ``loaded`` follows).
        """
        view = cls(
            parent=parent,
            title=_("Message structure: as it will be sent"),
            envelope=envelope_steps(built),
        )
        view._clear(_("Loading…"))
        view.source_note.setText(_("Loading…"))
        view.loader.start("", partial(describe_built_job, built, LINT_AUTO_LIMIT))
        return view

    def set_envelope(self, steps: tuple[EnvelopeStep, ...]) -> None:
        """Show MAIL FROM and each RCPT TO with the field its address was typed in."""
        self.envelope_view.clear()
        fields = {"To": _("from To"), "Cc": _("from Cc"), "Bcc": _("from Bcc: in no header")}
        for step in steps:
            text = step.line
            if step.field in fields:
                text = f"{text}    {fields[step.field]}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, (step.command, step.address, step.field))
            self.envelope_view.addItem(item)
        self.envelope_box.setVisible(bool(steps))

    def envelope_rows(self) -> list[tuple[str, str, str]]:
        """``(command, address, field)`` of each envelope line shown (for tests and copy)."""
        return [
            self.envelope_view.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.envelope_view.count())
        ]

    @classmethod
    def from_file(cls, path: str | Path, parent=None, title: str | None = None) -> MimeViewDialog:
        """Open the message stored at ``path`` (over ``SYNC_BYTES``: on a worker, ``load_file``)."""
        path = Path(path)
        view = cls(
            parent=parent, title=title or _("Message structure: {name}").format(name=path.name)
        )
        try:
            raw = path.read_bytes() if path.stat().st_size <= SYNC_BYTES else None
        except OSError:
            raw = None  # the worker's read says why
        if raw is None:
            view.load_file(path)
        else:
            view.set_raw(raw)
        return view

    def set_raw(self, raw: bytes) -> None:
        """Show the message given as raw bytes (large ones are linted on request).

        Up to ``SYNC_BYTES`` it is parsed here and shown at once; a bigger one is
        parsed on a worker thread, "Loading…" meanwhile, then ``loaded`` follows.
        """
        if len(raw) <= SYNC_BYTES:
            self.loader.cancel()
            self.show_structure(describe(raw, lint_limit=LINT_AUTO_LIMIT))
            return
        self._clear(_("Loading…"))
        self.source_note.setText(_("Loading…"))
        self.loader.start("", partial(describe_job, raw, LINT_AUTO_LIMIT))

    def load_file(self, path: str | Path) -> None:
        """Read and parse the message at ``path`` on a worker thread; "Loading…" meanwhile.

        ``loaded`` follows once it is shown, or ``failed`` when the file cannot be read.
        Closing the dialog drops the load (it ends on its own thread, unheard).
        """
        self._clear(_("Loading…"))
        self.source_note.setText(_("Loading…"))
        self.loader.start(str(path), partial(describe_file_job, Path(path), LINT_AUTO_LIMIT))

    @property
    def loading(self) -> bool:
        """True while ``load_file`` (or ``set_raw`` of a big message) reads and parses."""
        return self.loader.loading

    @property
    def checking(self) -> bool:
        """True while "Check the message" runs."""
        return self.lint_loader.loading

    def show_structure(self, found: Structure) -> None:
        """Show a message described by ``message.structure.describe``."""
        self._stop_part_jobs()
        self.raw, self._size, self.message = found.raw, found.size, found.message
        self._defects = found.defects
        if found.message is not None:
            self.model.set_parts(found.parts)
            self.tree.expandAll()
            findings = None if found.findings is None else list(found.findings)
            self._show_findings(findings, list(found.defects), linted=found.linted)
        else:
            self._clear(found.refused)
            self.findings.addItem(QListWidgetItem("✗ " + found.refused))
        self.source_view.setPlainText(found.source)
        if found.size > SOURCE_LIMIT:
            self.source_note.setText(
                _("Showing the first {shown} of {total}.").format(
                    shown=human_size(SOURCE_LIMIT), total=human_size(found.size)
                )
            )
        else:
            self.source_note.setText(_("{size} in total.").format(size=human_size(found.size)))
        self.tree.setCurrentIndex(self.model.index(0, 0))
        self.summary.setText(found.refused or self._summary_text(found))
        self.loaded.emit()

    def _clear(self, summary: str) -> None:
        self._stop_part_jobs()
        self.message = None
        self.model.removeRows(0, self.model.rowCount())
        self.findings.clear()
        self.lint_button.hide()
        self.source_view.clear()
        self.source_note.clear()
        self.summary.setText(summary)

    def _summary_text(self, found: Structure) -> str:
        return _("{subject} — {type}, {n} parts, {size}").format(
            subject=found.subject or _("(no subject)"),
            type=found.parts[0].content_type,
            n=found.leaves,
            size=human_size(found.size),
        )

    def done(self, result: int) -> None:
        """Close; a load, lint or picture still running is dropped (it ends unheard)."""
        self.loader.cancel()
        self._stop_part_jobs()
        super().done(result)

    def _stop_part_jobs(self) -> None:
        self.lint_loader.cancel()
        self.image_loader.cancel()
        self.lint_button.setEnabled(True)
        self.lint_button.setText(_("Check the message"))

    def part_paths(self) -> list[str]:
        """Return each part's content type, indented by depth (for tests and copy)."""
        lines: list[str] = []

        def walk(parent: QModelIndex, depth: int) -> None:
            for row in range(self.model.rowCount(parent)):
                index = self.model.index(row, 0, parent)
                lines.append("  " * depth + index.data())
                walk(index, depth + 1)

        walk(QModelIndex(), 0)
        return lines

    @Slot()
    def run_lint(self) -> None:
        """Run the lint on a worker thread (large messages are not linted when opened).

        The list says "Checking…" meanwhile; ``checked`` follows once the findings
        are shown. Closing the dialog drops the check.
        """
        if self.message is None or self.checking:
            return
        self.lint_button.setEnabled(False)
        self.lint_button.setText(_("Checking…"))
        self.findings.clear()
        item = QListWidgetItem(_("Checking…"))
        item.setForeground(self.palette().placeholderText())
        self.findings.addItem(item)
        self.lint_loader.start("", partial(check_job, self.raw))

    def _show_findings(
        self,
        findings: list[tuple[str, str]] | None,
        defects: list[tuple[str, str]],
        linted: bool = True,
    ) -> None:
        self.findings.clear()
        self.lint_button.setVisible(not linted)
        if not linted:
            item = QListWidgetItem(
                _("The message is large ({size}): press “Check the message” to lint it.").format(
                    size=human_size(self._size)
                )
            )
            item.setForeground(self.palette().placeholderText())
            self.findings.addItem(item)
        if findings is None:
            item = QListWidgetItem(_("Lint is not available in this build."))
            item.setForeground(self.palette().placeholderText())
            self.findings.addItem(item)
            findings = []
        findings = findings + defects
        markers = {"error": "✗", "warning": "⚠", "info": "ℹ"}
        for level, text in findings:
            marker = markers.get(level.lower(), "•")
            item = QListWidgetItem(f"{marker} {_level_word(level)}: {text}")
            item.setData(Qt.ItemDataRole.UserRole, (level, text))
            self.findings.addItem(item)
        self._colour_findings()
        if linted and not findings and self.findings.count() == 0:
            self.findings.addItem(QListWidgetItem("✓ " + _("No problems found.")))

    def _colour_findings(self) -> None:
        # Errors and warnings in their hue, readable on the palette (light or dark).
        palette = self.palette()  # the list takes it after this widget hears of a change
        for row in range(self.findings.count()):
            item = self.findings.item(row)
            level, _text = item.data(Qt.ItemDataRole.UserRole) or ("", "")
            if level.lower() in ("error", "warning"):
                item.setForeground(QBrush(accent_text(palette, level.lower())))

    def changeEvent(self, event: QEvent) -> None:
        """Re-colour the findings when the palette changes."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._colour_findings()

    @Slot(str, object)
    def _on_loader_loaded(self, _key: str, found: Structure) -> None:
        self.show_structure(found)

    @Slot(str, object)
    def _on_lint_loader_loaded(self, _key: str, checked: Checked) -> None:
        self._stop_part_jobs()
        findings = None if checked.findings is None else list(checked.findings)
        self._show_findings(findings, list(self._defects))
        self.checked.emit()

    @Slot(str, str)
    def _on_lint_loader_failed(self, _key: str, problem: str) -> None:
        self._stop_part_jobs()
        self._show_findings([("error", problem)], list(self._defects))
        self.checked.emit()

    @Slot(str, object)
    def _on_image_loader_loaded(self, key: str, image: QImage) -> None:
        if self._current_part_key() != key:
            return
        if image.isNull():
            self._show_binary(self.model.size(self.tree.currentIndex()))
        else:
            self.image_view.setPixmap(QPixmap.fromImage(image))
            self.content_stack.setCurrentIndex(1)
        self.image_shown.emit()

    @Slot(str, str)
    def _on_image_loader_failed(self, key: str, _problem: str) -> None:
        if self._current_part_key() == key:
            self._show_binary(self.model.size(self.tree.currentIndex()))
            self.image_shown.emit()

    def _current_part_key(self) -> str:
        number = self.tree.currentIndex().siblingAtColumn(0).data(PART_ROLE)
        return "" if number is None else str(number)

    def _show_binary(self, size: int) -> None:
        self.content_view.setPlainText(_("binary, {n} bytes").format(n=f"{size:,}"))
        self.content_stack.setCurrentIndex(0)

    @Slot(str, str)
    def _on_loader_failed(self, _key: str, problem: str) -> None:
        self._clear(problem)
        self.findings.addItem(QListWidgetItem("✗ " + problem))
        self.failed.emit(problem)

    @Slot(QModelIndex, QModelIndex)
    def _on_tree_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.image_loader.cancel()
        part = self.model.part(current)
        if part is None:
            self.headers_view.clear()
            self.content_view.clear()
            return
        self.headers_view.setPlainText(
            "\n".join(f"{name}: {_header_text(part, name, value)}" for name, value in part.items())
        )
        if part.is_multipart():
            count = len(list(part.iter_parts()))  # type: ignore[attr-defined]
            self.content_view.setPlainText(
                _("A container of {n} parts; select one to see its content.").format(n=count)
            )
            self.content_stack.setCurrentIndex(0)
            return
        text = part_text(part)
        if text is not None:
            if len(text) > TEXT_LIMIT:
                text = text[:TEXT_LIMIT] + "\n\n" + _("[… cut: the part is longer]")
            self.content_view.setPlainText(text)
            self.content_stack.setCurrentIndex(0)
            return
        size = self.model.size(current)
        if part.get_content_maintype() == "image" and size <= IMAGE_LIMIT:
            # Decoded on a worker (a 20 MiB picture takes a fifth of a second).
            self.content_view.setPlainText(_("Loading…"))
            self.content_stack.setCurrentIndex(0)
            self.image_loader.start(self._current_part_key(), partial(image_job, part))
            return
        self._show_binary(size)


def _header_text(part: Message, name: str, value) -> str:
    """Decoded header value; the raw one if the header is too broken to decode."""
    try:
        return str(value)
    except Exception:
        return str(part.get(name, ""))


def _level_word(level: str) -> str:
    return {
        "error": _("Error"),
        "warning": _("Warning"),
        "info": _("Note"),
    }.get(level.lower(), level)


def _titled(title: str, widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    label = QLabel(title, box)
    label.setBuddy(widget)
    layout.addWidget(label)
    layout.addWidget(widget)
    return box
