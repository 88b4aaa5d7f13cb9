"""The message body editor: rich text with inline images, or plain text."""

from __future__ import annotations

import base64
import binascii
import itertools
import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QTextEdit, QWidget

from mailcomposer.i18n import _
from mailcomposer.message.draft import InlineImage
from mailcomposer.ui.bodydoc import (
    drop_unsafe_links,
    fragments_between,
    link_spans,
    missing_image,
    normalize_url,  # noqa: F401  (re-exported: the Link dialog and tests use it from here)
    scratch_document_type,
    sniff_image,
    without_link,
)
from mailcomposer.ui.textblocks import LINE_SEPARATOR, LINK_COLOR, blocks, fragments, list_of

# Images, paste, links and the HTML export are first used after the window has painted:
# their Qt types (each builds its enums when first touched) and modules load then.
if TYPE_CHECKING:
    from PySide6.QtCore import QMimeData, QObject, QUrl
    from PySide6.QtGui import (
        QContextMenuEvent,
        QImage,
        QPaintEvent,
        QTextDocument,
        QTextFormat,
        QTextImageFormat,
    )

DEFAULT_POINT_SIZE = 11.0
# When the viewport is not laid out yet (editor hidden), scale wide images to this.
FALLBACK_MAX_WIDTH = 600
_NAME_RE = re.compile(r"^mc-image-(\d+)\.")


def default_body_font() -> QFont:
    """A readable proportional font for message text (not the small UI font)."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    font.setPointSizeF(max(DEFAULT_POINT_SIZE, font.pointSizeF()))
    return font


class BodyEditor(QTextEdit):
    """Rich-text (or plain-text) editor for the message body.

    Images inserted from a file, pasted or dropped keep their original bytes and are
    registered as document resources named ``mc-image-N.ext``; non-image files dropped
    or pasted are handed to the window as attachments instead.

    Attributes:
        plain_text_mode: True when the message is sent as text/plain only.
        spelling: spelling as you type (:class:`~mailcomposer.ui.spellhighlight.SpellChecking`).

    Signals:
        files_dropped(list[str]): local paths of non-image files dropped or pasted.
        plain_text_mode_changed(bool): the new plain-text mode.
        image_rejected(str): a translated reason an image could not be inserted.
    """

    files_dropped = Signal(list)
    plain_text_mode_changed = Signal(bool)
    image_rejected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bodyEditor")
        self._images: dict[str, InlineImage] = {}
        self._counter = itertools.count(1)
        self._plain = False
        self._reserved: list[QKeySequence] = []
        self._key_watcher: QObject | None = None  # from the first paint on
        font = default_body_font()
        self.setFont(font)
        self.document().setDefaultFont(font)
        self.setTabChangesFocus(True)
        self.setAcceptRichText(True)
        self.setAutoFormatting(QTextEdit.AutoFormattingFlag.AutoBulletList)
        self.setPlaceholderText(_("Write your message here…"))
        self.setAccessibleName(_("Message body"))
        self.document().setDocumentMargin(8)
        from mailcomposer.ui.spellhighlight import SpellChecking  # starts after the first paint

        self.spelling = SpellChecking(self)

    # -- plain-text mode ---------------------------------------------------------------------

    @property
    def plain_text_mode(self) -> bool:
        """True when the body is plain text (no HTML part is sent)."""
        return self._plain

    @plain_text_mode.setter
    def plain_text_mode(self, value: bool) -> None:
        self.set_plain_text_mode(value)

    def set_plain_text_mode(self, plain: bool) -> None:
        """Switch modes; going to plain text converts the document (formatting is lost)."""
        from PySide6.QtGui import QTextCharFormat, QTextCursor

        plain = bool(plain)
        if plain == self._plain:
            return
        self._plain = plain
        if plain:
            from mailcomposer.ui.htmlexport import document_to_plain_text

            text = document_to_plain_text(self.document())
            self._reset_document()
            self.setAcceptRichText(False)
            self.setPlainText(text)
            self.moveCursor(QTextCursor.MoveOperation.End)
        else:
            self.setAcceptRichText(True)
        self.setCurrentCharFormat(QTextCharFormat())
        self.plain_text_mode_changed.emit(plain)

    def _reset_document(self) -> None:
        from PySide6.QtGui import QTextCharFormat

        self.clear()
        self.setCurrentCharFormat(QTextCharFormat())

    # -- body in and out ---------------------------------------------------------------------

    def body(self) -> tuple[str, str | None, list[InlineImage]]:
        """Return ``(plain_text, html_or_None, inline_images_in_the_document)``."""
        from mailcomposer.ui.htmlexport import document_to_email_html, document_to_plain_text

        doc = self.document()
        text = document_to_plain_text(doc)
        if self._plain:
            return text, None, []
        names = self._image_names_in_order()
        images = [self._images[name] for name in names if name in self._images]
        return text, document_to_email_html(doc), images

    def set_body(
        self, text: str, html: str | None, images: list[InlineImage] | None = None
    ) -> None:
        """Show a stored body (draft or opened message); ``html`` srcs are image names."""
        from PySide6.QtGui import QTextCursor

        self._images = {}
        self._counter = itertools.count(1)
        for image in images or []:
            self._register(image)
        if html is None:
            self.set_plain_text_mode(True)
            self.setPlainText(text)
        else:
            self.set_plain_text_mode(False)
            self.setHtml(html)
            self._tidy_imported()
        self.document().setModified(False)
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def _tidy_imported(self) -> None:
        """Undo the quirks of Qt's HTML import so a saved body comes back as it was."""
        from PySide6.QtGui import QTextCursor

        doc = self.document()
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        block = doc.begin()
        while block.isValid():
            # Browsers ignore a <br> that ends a block; Qt shows it as an extra empty line.
            if block.text().endswith(LINE_SEPARATOR):
                cursor.setPosition(block.position() + block.length() - 2)
                cursor.setPosition(
                    block.position() + block.length() - 1, QTextCursor.MoveMode.KeepAnchor
                )
                cursor.removeSelectedText()
            # Our own margin-left comes back as a margin; make it indent levels again so
            # "Indent Less" works on it.
            fmt = block.blockFormat()
            step = doc.indentWidth()
            if fmt.leftMargin() > 0 and step > 0 and list_of(block) is None:
                levels, rest = divmod(fmt.leftMargin(), step)
                if rest == 0:
                    fmt.setIndent(fmt.indent() + int(levels))
                    fmt.setLeftMargin(0)
                    cursor.setPosition(block.position())
                    cursor.setBlockFormat(fmt)
            block = block.next()
        cursor.endEditBlock()
        self._scale_wide_images()
        doc.clearUndoRedoStacks()

    def images_in_document(self) -> set[str]:
        """Names of the inline images still present in the text."""
        return set(self._image_names_in_order())

    def inline_images(self) -> dict[str, InlineImage]:
        """Every image registered so far (including deleted ones, for undo)."""
        return dict(self._images)

    def _image_names_in_order(self) -> list[str]:
        names: list[str] = []
        for block in blocks(self.document().begin()):
            for fragment in fragments(block):
                fmt = fragment.charFormat()
                if fmt.isImageFormat():
                    name = fmt.toImageFormat().name()
                    if name not in names:
                        names.append(name)
        return names

    # -- images ------------------------------------------------------------------------------

    def _new_name(self, extension: str) -> str:
        while True:
            name = f"mc-image-{next(self._counter)}.{extension}"
            if name not in self._images:
                return name

    def _register(self, image: InlineImage) -> QImage | None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QImage, QTextDocument

        qimage = QImage.fromData(image.data)
        if qimage.isNull():
            return None
        self._images[image.name] = image
        self.document().addResource(
            QTextDocument.ResourceType.ImageResource, QUrl(image.name), qimage
        )
        match = _NAME_RE.match(image.name)
        if match:
            # Keep fresh names clear of restored ones.
            start = max(int(match.group(1)) + 1, 1)
            current = next(self._counter)
            self._counter = itertools.count(max(start, current))
        return qimage

    def add_image_data(self, data: bytes, filename: str = "") -> InlineImage:
        """Register image bytes as a document resource, without inserting it.

        Raises:
            ValueError: the data is not an image that can be shown inline.
        """
        kind = sniff_image(data)
        if kind is None:
            raise ValueError(_("This is not an image that can be shown in a message."))
        content_type, extension = kind
        name = self._new_name(extension)
        image = InlineImage(name, data, content_type, filename or name)
        if self._register(image) is None:
            raise ValueError(_("This image could not be read."))
        return image

    def insert_image_data(self, data: bytes, filename: str = "") -> InlineImage:
        """Insert image bytes (kept as they are) at the cursor.

        Raises:
            ValueError: the data is not an image that can be shown inline.
        """
        image = self.add_image_data(data, filename)
        self._insert_registered(image.name)
        return image

    def insert_image_file(self, path: str | Path) -> InlineImage:
        """Insert the image file at ``path`` at the cursor, keeping its exact bytes.

        Raises:
            ValueError: the file cannot be read or is not an image.
        """
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ValueError(
                _("Could not read {name}: {reason}").format(name=path.name, reason=exc.strerror)
            ) from exc
        return self.insert_image_data(data, path.name)

    def insert_qimage(self, qimage: QImage) -> InlineImage:
        """Insert pixels without a file (a screenshot on the clipboard), encoded as PNG once."""
        from PySide6.QtCore import QBuffer, QIODevice

        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        qimage.save(buffer, "PNG")
        return self.insert_image_data(bytes(buffer.data().data()))

    def _max_image_width(self) -> int:
        width = self.viewport().width() - 2 * int(self.document().documentMargin()) - 4
        if not self.isVisible() or width < 100:
            return FALLBACK_MAX_WIDTH
        return width

    def _image_format(self, name: str) -> QTextImageFormat:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QImage, QTextDocument, QTextImageFormat

        fmt = QTextImageFormat()
        fmt.setName(name)
        qimage = self.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        if isinstance(qimage, QImage) and not qimage.isNull():
            size = qimage.size() / max(1.0, qimage.devicePixelRatio())
            limit = self._max_image_width()
            if size.width() > limit:
                # Display scaled; the original bytes are what gets sent.
                fmt.setWidth(limit)
                fmt.setHeight(round(size.height() * limit / size.width()))
        return fmt

    def _insert_registered(self, name: str) -> None:
        cursor = self.textCursor()
        cursor.insertImage(self._image_format(name))
        self.setTextCursor(cursor)

    def _scale_wide_images(self) -> None:
        from PySide6.QtGui import QTextCursor

        doc = self.document()
        cursor = QTextCursor(doc)
        for block in blocks(doc.begin()):
            for fragment in fragments(block):
                fmt = fragment.charFormat()
                if not fmt.isImageFormat() or fmt.toImageFormat().width() > 0:
                    continue
                scaled = self._image_format(fmt.toImageFormat().name())
                if scaled.width() > 0:
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(
                        fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor
                    )
                    cursor.setCharFormat(scaled)

    def loadResource(self, kind: int, name: QUrl) -> object:
        """Serve only registered images: never read local files or shares named in HTML."""
        from PySide6.QtGui import QImage, QTextDocument

        image = self._images.get(name.toString())
        if image is not None and kind == QTextDocument.ResourceType.ImageResource.value:
            return QImage.fromData(image.data)
        # A non-null answer stops Qt from opening the path itself.
        return missing_image()

    # -- paste and drop ----------------------------------------------------------------------

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        """Accept images and local files besides text."""
        if source.hasImage() or any(u.isLocalFile() for u in source.urls()):
            return True
        return super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Insert images inline, hand other files to the window, strip remote content."""
        local = [u.toLocalFile() for u in source.urls() if u.isLocalFile()]
        if local:
            self._insert_files(local)
            return
        if source.hasImage() and not self._plain:
            from PySide6.QtGui import QImage

            qimage = source.imageData()
            if isinstance(qimage, QImage) and not qimage.isNull():
                try:
                    self.insert_qimage(qimage)
                except ValueError as exc:
                    self.image_rejected.emit(str(exc))
                return
        if source.hasHtml() and not self._plain and self.acceptRichText():
            self._insert_html(source.html())
            return
        if source.hasText():
            self.textCursor().insertText(source.text())
            self.ensureCursorVisible()
            return
        super().insertFromMimeData(source)

    def _insert_files(self, paths: list[str]) -> None:
        others: list[str] = []
        for path in paths:
            if self._plain or not Path(path).is_file():
                others.append(path)
                continue
            try:
                data = Path(path).read_bytes()
            except OSError:
                others.append(path)
                continue
            if sniff_image(data) is None:
                others.append(path)
                continue
            try:
                self.insert_image_data(data, Path(path).name)
            except ValueError:
                others.append(path)
        if others:
            self.files_dropped.emit(others)

    def _insert_html(self, html: str) -> None:
        """Paste rich text, keeping local and embedded images, dropping remote ones.

        Links the Link dialog would refuse (``javascript:``, ``file:`` ...) become plain
        text, and background images go (Qt would paint them black behind the text).
        """
        from PySide6.QtGui import QTextDocumentFragment

        from mailcomposer.message.pastesafe import clean_pasted_html
        from mailcomposer.message.wordlists import word_lists_to_html

        scratch = scratch_document_type()()
        scratch.setDefaultFont(self.document().defaultFont())
        scratch.setHtml(clean_pasted_html(word_lists_to_html(html)))
        self._adopt_images(scratch)
        drop_unsafe_links(scratch)
        fragment = QTextDocumentFragment(scratch)
        cursor = self.textCursor()
        cursor.insertFragment(fragment)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def _adopt_images(self, scratch: QTextDocument) -> None:
        """Rename images of pasted HTML to registered ones, or remove them."""
        from PySide6.QtGui import QTextCursor, QTextFormat

        cursor = QTextCursor(scratch)
        edits: list[tuple[int, int, str | None]] = []
        for block in blocks(scratch.begin()):
            for fragment in fragments(block):
                fmt = fragment.charFormat()
                if fmt.isImageFormat():
                    name = fmt.toImageFormat().name()
                    edits.append((fragment.position(), fragment.length(), self._adopt(name)))
        for position, length, new_name in reversed(edits):
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            if new_name is None:
                cursor.removeSelectedText()
            else:
                fmt = cursor.charFormat().toImageFormat()
                fmt.setName(new_name)
                scaled = self._image_format(new_name)
                if scaled.width() > 0 and (fmt.width() <= 0 or fmt.width() > scaled.width()):
                    fmt.setWidth(scaled.width())
                    fmt.setHeight(scaled.height())
                cursor.setCharFormat(fmt)
        # Background images would be fetched from wherever they point.
        block = scratch.begin()
        while block.isValid():
            bfmt = block.blockFormat()
            if bfmt.hasProperty(QTextFormat.Property.BackgroundImageUrl):
                bfmt.clearProperty(QTextFormat.Property.BackgroundImageUrl)
                cursor.setPosition(block.position())
                cursor.setBlockFormat(bfmt)
            block = block.next()

    def _adopt(self, name: str) -> str | None:
        if name in self._images:
            return name
        data: bytes | None = None
        if name.startswith("data:"):
            from urllib.parse import unquote_to_bytes

            header, _sep, payload = name.partition(",")
            try:
                if header.endswith(";base64"):
                    data = base64.b64decode(payload, validate=False)
                else:
                    data = unquote_to_bytes(payload)
            except (binascii.Error, ValueError):
                data = None
        else:
            from PySide6.QtCore import QUrl

            url = QUrl(name)
            # No host: a file on this machine, never a network share.
            if url.isLocalFile() and not url.host():
                try:
                    data = Path(url.toLocalFile()).read_bytes()
                except OSError:
                    data = None
        if not data:
            return None  # remote or unreadable: never fetched, never sent
        try:
            return self.add_image_data(data).name
        except ValueError:
            return None

    # -- links -------------------------------------------------------------------------------

    def link_at_cursor(self) -> tuple[int, int, str, str] | None:
        """Return ``(start, end, text, href)`` of the link under the cursor, or None."""
        cursor = self.textCursor()
        low, high = cursor.selectionStart(), cursor.selectionEnd()
        for start, end, text, href in link_spans(cursor.block()):
            if start <= high and end >= low:
                return start, end, text, href
        return None

    def set_link(self, text: str, url: str) -> None:
        """Make ``text`` a link to ``url``: replaces the link under the cursor or the selection."""
        from PySide6.QtGui import QTextCharFormat, QTextCursor

        cursor = self.textCursor()
        existing = self.link_at_cursor()
        if existing is not None:
            cursor.setPosition(existing[0])
            cursor.setPosition(existing[1], QTextCursor.MoveMode.KeepAnchor)
        base = without_link(cursor.charFormat())
        fmt = QTextCharFormat(base)
        fmt.setAnchor(True)
        fmt.setAnchorHref(url)
        fmt.setForeground(QColor(LINK_COLOR))
        fmt.setFontUnderline(True)
        cursor.beginEditBlock()
        cursor.insertText(text or url, fmt)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        # Typing after the link must not extend it.
        self.setCurrentCharFormat(base)

    def remove_link(self) -> None:
        """Turn the link under the cursor back into ordinary text."""
        from PySide6.QtGui import QTextCursor

        existing = self.link_at_cursor()
        if existing is None:
            return
        start, end = existing[0], existing[1]
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        for position, length, fmt in fragments_between(self.document(), start, end):
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(without_link(fmt))
        cursor.endEditBlock()

    def clear_char_property(self, prop: QTextFormat.Property) -> None:
        """Remove one character property (a colour, say) from the selection or next typing."""
        from PySide6.QtGui import QTextCursor

        cursor = self.textCursor()
        if not cursor.hasSelection():
            fmt = self.currentCharFormat()
            fmt.clearProperty(prop)
            self.setCurrentCharFormat(fmt)
            return
        edit = QTextCursor(self.document())
        edit.beginEditBlock()
        for position, length, fmt in fragments_between(
            self.document(), cursor.selectionStart(), cursor.selectionEnd()
        ):
            if fmt.isImageFormat() or not fmt.hasProperty(prop):
                continue
            fmt.clearProperty(prop)
            edit.setPosition(position)
            edit.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            edit.setCharFormat(fmt)
        edit.endEditBlock()

    def clear_formatting(self) -> None:
        """Remove character formatting from the selection (keeping images and links)."""
        from PySide6.QtGui import QTextCharFormat, QTextCursor

        cursor = self.textCursor()
        if not cursor.hasSelection():
            # (With a selection this would also wipe image formats, hence the loop below.)
            self.setCurrentCharFormat(QTextCharFormat())
            return
        edit = QTextCursor(self.document())
        edit.beginEditBlock()
        for position, length, fmt in fragments_between(
            self.document(), cursor.selectionStart(), cursor.selectionEnd()
        ):
            if fmt.isImageFormat():
                continue
            plain = QTextCharFormat()
            if fmt.isAnchor():
                plain.setAnchor(True)
                plain.setAnchorHref(fmt.anchorHref())
                plain.setForeground(fmt.foreground())
                plain.setFontUnderline(True)
            edit.setPosition(position)
            edit.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            edit.setCharFormat(plain)
        edit.endEditBlock()

    def set_reserved_shortcuts(self, sequences: list[QKeySequence]) -> None:
        """Let these shortcuts reach their actions even where QTextEdit has a binding.

        On Linux, QTextEdit takes Ctrl+K (delete to end of line) and others for itself.
        """
        self._reserved = [QKeySequence(s) for s in sequences if not QKeySequence(s).isEmpty()]

    def _give_way_to_reserved(self, event: QEvent) -> bool:
        """Let a reserved shortcut past QTextEdit's own key bindings (True: handled)."""
        if event.type() == QEvent.Type.ShortcutOverride and self._reserved:
            assert isinstance(event, QKeyEvent)
            pressed = QKeySequence(event.keyCombination())
            if any(
                pressed.matches(s) == QKeySequence.SequenceMatch.ExactMatch for s in self._reserved
            ):
                event.ignore()  # not taken by the editor: the shortcut's action runs
                return True
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._key_watcher is None:  # the first paint (see ui/eventwatch.py)
            from mailcomposer.ui.eventwatch import EventWatcher

            self._key_watcher = EventWatcher(self, self._give_way_to_reserved)
            self.spelling.painted()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """The standard menu, led by spelling suggestions on a misspelled word."""
        if not self.spelling.show_context_menu(event.pos(), event.globalPos()):
            super().contextMenuEvent(event)

    def sizeHint(self) -> QSize:
        """Room for a short letter."""
        return QSize(600, 320)
