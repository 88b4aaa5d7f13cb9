"""The address line edit: several addresses, live validation, completion of the piece typed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QLineEdit, QWidget

from mailcomposer.ui.tints import NoticeTint

if TYPE_CHECKING:
    from PySide6.QtCore import QStringListModel
    from PySide6.QtWidgets import QCompleter

# The property the stylesheet keys on; a dynamic property keeps the look out of the logic.
INVALID_PROPERTY = "invalidAddress"
# A NoticeTint template: ``{css}`` becomes the palette's error colours (light or dark).
STYLE = f'QLineEdit[{INVALID_PROPERTY}="true"] {{ {{css}} border-radius: 2px; }}'

# The full-width ones too, as message.addresses.SEPARATORS (not imported: that module
# loads after the first paint, tests/gui/test_launch_imports.py).
SEPARATORS = ",;\uff0c\uff1b"


def problems_in(text: str) -> list[str]:
    """Return one translated sentence per bad address in ``text`` (empty when all are fine)."""
    from mailcomposer.message.addresses import check_address, split_addresses

    found = []
    for piece in split_addresses(text):
        problem = check_address(piece)
        if problem:
            found.append(problem)
    return found


def current_piece_start(text: str, cursor: int) -> int:
    """Index where the address being typed at ``cursor`` starts (after the last separator).

    Separators inside double quotes (``"Lee, K" <k@z.org>``) do not count.
    """
    start = 0
    quoted = False
    for i, char in enumerate(text[:cursor]):
        if char == '"':
            quoted = not quoted
        elif char in SEPARATORS and not quoted:
            start = i + 1
    while start < cursor and text[start] == " ":
        start += 1
    return start


class AddressField(QLineEdit):
    """A QLineEdit for an address list (``Ann <a@x.org>, b@y.org; "Lee, K" <k@z.org>``).

    Invalid entries are marked while typing (tinted background through the
    ``invalidAddress`` property, and a tooltip naming each problem). A completer
    offers addresses used before for the piece after the last comma or semicolon.

    Attributes:
        field_name: the Draft field this edits (``to``, ``cc``, ``bcc``).

    Signals:
        validity_changed: the field became valid (True) or invalid (False).
    """

    validity_changed = Signal(bool)

    def __init__(
        self, field_name: str, parent: QWidget | None = None, *, styled: bool = True
    ) -> None:
        """Create the field; ``styled=False`` when a parent already tints with ``STYLE``."""
        super().__init__(parent)
        self.field_name = field_name
        self._valid = True
        self._help_tip = ""
        # Set when the field first turns invalid (a style sheet slows every widget's start).
        self.invalid_tint = NoticeTint(self, "error", STYLE, lazy=True) if styled else None
        self.setProperty(INVALID_PROPERTY, False)
        self.setClearButtonEnabled(True)
        self._source: Callable[[], Iterable[str]] | None = None
        self._expander: Callable[[str], list[str] | None] | None = None
        self._addresses: list[str] = []
        # Built on first use: most fields are typed into without ever completing, and
        # three completers would add a tenth to the window's start-up.
        self._completer_instance: QCompleter | None = None
        self._completion_model: QStringListModel | None = None
        self.textEdited.connect(self._on_text_edited)
        self.textChanged.connect(self._on_text_changed)
        self.editingFinished.connect(self._on_editing_finished)

    # -- public API --

    def set_address_source(self, source: Callable[[], Iterable[str]] | None) -> None:
        """Read completions from ``source`` when first needed (keeps start-up fast)."""
        self._source = source

    def set_group_expander(self, expander: Callable[[str], list[str] | None] | None) -> None:
        """Replace a piece naming a group by ``expander(piece)`` (None: not a group).

        Groups expand when picked from the completion list and when editing ends
        (Enter, or the focus leaving the field).
        """
        self._expander = expander

    def expand_groups(self) -> bool:
        """Replace every piece naming a group by its members; True if one was."""
        from mailcomposer.message.addresses import split_addresses

        if self._expander is None:
            return False
        pieces: list[str] = []
        expanded = False
        for piece in split_addresses(self.text()):
            members = self._expander(piece.strip())
            expanded = expanded or members is not None
            pieces.extend([piece.strip()] if members is None else members)
        if expanded:
            self.setText(", ".join(dict.fromkeys(pieces)))
        return expanded

    def shown_completions(self) -> list[str]:
        """The completions the popup offers for the piece typed, best first."""
        if self._completer_instance is None:
            return []
        model = self._completer.completionModel()
        return [model.index(row, 0).data() for row in range(model.rowCount())]

    def set_known_addresses(self, addresses: Iterable[str]) -> None:
        """Offer ``addresses`` (most used first) for completion."""
        self._source = None
        self._addresses = list(dict.fromkeys(address for address in addresses if address))
        if self._completion_model is not None:
            self._completion_model.setStringList(self._addresses)

    def known_addresses(self) -> list[str]:
        return list(self._addresses)

    def completer_popup_visible(self) -> bool:
        return self._completer_instance is not None and self._completer.popup().isVisible()

    def set_help_tip(self, text: str) -> None:
        """Tooltip shown while the field is valid."""
        self._help_tip = text
        if self._valid:
            self.setToolTip(text)

    def is_valid(self) -> bool:
        """True when every address typed so far is usable (an empty field is valid)."""
        return self._valid

    def problems(self) -> list[str]:
        return problems_in(self.text())

    def mark_error(self, message: str) -> None:
        """Mark the field invalid with ``message`` (e.g. from a failed build)."""
        self._set_state(False, message)

    # -- internals --

    @property
    def _completer(self) -> QCompleter:
        if self._completer_instance is None:
            from PySide6.QtCore import QStringListModel
            from PySide6.QtWidgets import QCompleter

            self._completion_model = QStringListModel(self._addresses, self)
            completer = QCompleter(self._completion_model, self)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            completer.setWidget(self)
            completer.activated[str].connect(self._on_completer_activated)
            self._completer_instance = completer
        return self._completer_instance

    def _set_state(self, valid: bool, tip: str) -> None:
        changed = valid != self._valid
        self._valid = valid
        self.setProperty(INVALID_PROPERTY, not valid)
        self.setToolTip(tip if not valid else self._help_tip)
        self.setAccessibleDescription("" if valid else tip)
        if not valid and self.invalid_tint is not None:
            self.invalid_tint.apply()
        # Re-polish so the stylesheet sees the new property value.
        self.style().unpolish(self)
        self.style().polish(self)
        if changed:
            self.validity_changed.emit(valid)

    @Slot(str)
    def _on_text_changed(self, text: str) -> None:
        problems = problems_in(text)
        self._set_state(not problems, "\n".join(problems))

    @Slot(str)
    def _on_text_edited(self, text: str) -> None:
        cursor = self.cursorPosition()
        start = current_piece_start(text, cursor)
        prefix = text[start:cursor]
        if self._source is not None:
            self.set_known_addresses(self._source())
        if len(prefix.strip()) < 1 or not self._addresses:
            if self._completer_instance is not None:
                self._completer.popup().hide()
            return
        self._completer.setCompletionPrefix(prefix.strip())
        if self._completer.completionCount():
            self._completer.complete()
        else:
            self._completer.popup().hide()

    @Slot(str)
    def _on_completer_activated(self, completion: str) -> None:
        text = self.text()
        cursor = self.cursorPosition()
        start = current_piece_start(text, cursor)
        end = len(text)
        for i in range(cursor, len(text)):
            if text[i] in SEPARATORS:
                end = i
                break
        head = text[:start]
        if head and not head.endswith(" "):
            head += " "
        tail = text[end:]
        inserted = completion + ", "
        new_text = head + inserted + tail.lstrip(SEPARATORS + " ")
        self.setText(new_text)
        self.setCursorPosition(len(head) + len(inserted))
        if self._expander is not None and self._expander(completion) is not None:
            self.expand_groups()
            if self.text():
                self.setText(self.text() + ", ")  # ready for the next address, as above

    @Slot()
    def _on_editing_finished(self) -> None:
        self.expand_groups()
