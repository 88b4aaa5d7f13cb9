"""The identities editor of the account dialog: From names, addresses, Reply-To, signatures."""

from __future__ import annotations

import itertools
from dataclasses import replace

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _
from mailcomposer.message.addresses import check_address, has_forbidden_char
from mailcomposer.message.errors import InputError
from mailcomposer.store.accounts import Identity
from mailcomposer.ui.formlabels import label_words
from mailcomposer.ui.forms import line_edit, push_button
from mailcomposer.ui.htmlexport import document_to_email_html, document_to_plain_text

# Field names InputError carries for an identity's fields (the dialog focuses them).
IDENTITY_FIELDS = ("identity-name", "identity-address", "identity-reply-to")


class SignatureEdit(QTextEdit):
    """The signature box; in HTML mode Ctrl+B, Ctrl+I, Ctrl+U and Ctrl+K format the text.

    Attributes:
        link_asker: returns the URL for Ctrl+K (replaceable in tests), or "" to cancel.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.link_asker = self._ask_link
        # Tab moves on to the next field: a signature needs no tab characters.
        self.setTabChangesFocus(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.acceptRichText() and not self.isReadOnly():
            pressed = QKeySequence(event.keyCombination())
            for keys, action in (
                (QKeySequence(QKeySequence.StandardKey.Bold), self.toggle_bold),
                (QKeySequence(QKeySequence.StandardKey.Italic), self.toggle_italic),
                (QKeySequence(QKeySequence.StandardKey.Underline), self.toggle_underline),
                (QKeySequence("Ctrl+K"), self.insert_link),
            ):
                if (
                    not keys.isEmpty()
                    and pressed.matches(keys) == QKeySequence.SequenceMatch.ExactMatch
                ):
                    action()
                    event.accept()
                    return
        super().keyPressEvent(event)

    def _merge(self, fmt: QTextCharFormat) -> None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            self.mergeCurrentCharFormat(fmt)  # applies to what is typed next
        else:
            cursor.mergeCharFormat(fmt)
            self.mergeCurrentCharFormat(fmt)

    def toggle_bold(self) -> None:
        """Bold on or off for the selection (or what is typed next)."""
        fmt = QTextCharFormat()
        bold = self.fontWeight() >= QFont.Weight.Bold
        fmt.setFontWeight(QFont.Weight.Normal if bold else QFont.Weight.Bold)
        self._merge(fmt)

    def toggle_italic(self) -> None:
        """Italic on or off."""
        fmt = QTextCharFormat()
        fmt.setFontItalic(not self.fontItalic())
        self._merge(fmt)

    def toggle_underline(self) -> None:
        """Underline on or off."""
        fmt = QTextCharFormat()
        fmt.setFontUnderline(not self.fontUnderline())
        self._merge(fmt)

    def insert_link(self) -> None:
        """Make the selection (or the URL itself) a link to the URL asked for."""
        url = self.link_asker().strip()
        if not url:
            return
        cursor = self.textCursor()
        fmt = QTextCharFormat()
        fmt.setAnchor(True)
        fmt.setAnchorHref(url)
        fmt.setFontUnderline(True)
        if cursor.hasSelection():
            cursor.mergeCharFormat(fmt)
        else:
            cursor.insertText(url, fmt)
            self.setCurrentCharFormat(QTextCharFormat())

    def _ask_link(self) -> str:
        url, ok = QInputDialog.getText(self, _("Link"), _("Link address (URL):"))
        return url if ok else ""


class IdentitiesEditor(QWidget):
    """A list of an account's identities (the first is the default) and the selected one's form.

    Attributes:
        table: name and address of each identity, in order.
        name_edit, address_edit, reply_to_edit: the selected identity's fields.
        signature_edit: its signature.
        html_box: whether the signature is HTML.

    Signals:
        first_identity_edited(str, str): the default identity's name and address changed
            here (edited, reordered or removed), so the account's fields can follow.
    """

    first_identity_edited = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("identitiesEditor")
        self._identities: list[Identity] = []
        self._row = -1  # the identity shown in the form
        self._showing = False
        # How errors name the default identity's fields: by the first tab's labels.
        self._first_labels: dict[str, str] = {}
        self._build()
        self.set_identities([])

    # -- layout --

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("identityTable")
        self.table.setHorizontalHeaderLabels([_("Name"), _("Address")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
        self.table.verticalHeader().setVisible(False)
        # Compact rows: the list is a summary, the form below holds the details.
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(120)
        self.table.currentCellChanged.connect(self._on_table_current_cell_changed)
        top.addWidget(self.table, 1)
        buttons = QVBoxLayout()
        self.add_button = push_button(_("Add identity"), "addIdentityButton", self._on_add_clicked)
        self.remove_button = push_button(
            _("Remove identity"), "removeIdentityButton", self._on_remove_clicked
        )
        self.up_button = push_button(_("Move up"), "moveIdentityUpButton", self._on_up_clicked)
        self.up_button.setToolTip(_("The first identity is the account's default sender."))
        for button in (self.add_button, self.remove_button, self.up_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        top.addLayout(buttons)
        layout.addLayout(top)

        self._form = form = QFormLayout()
        self.name_edit = line_edit("identityName")
        self.address_edit = line_edit("identityAddress", "name@example.com")
        self.reply_to_edit = line_edit("identityReplyTo", _("optional: replies go here"))
        self.html_box = QCheckBox(_("HTML signature (Ctrl+B bold, Ctrl+I italic, Ctrl+K link)"))
        self.html_box.setObjectName("identitySignatureHtml")
        self.html_box.toggled.connect(self._on_html_box_toggled)
        self.signature_edit = SignatureEdit()
        self.signature_edit.setObjectName("identitySignature")
        self.signature_edit.setAcceptRichText(False)
        self.signature_edit.setMinimumHeight(70)
        self.signature_edit.setMaximumHeight(110)
        for edit in (self.name_edit, self.address_edit):
            edit.textEdited.connect(self._on_name_or_address_edited)
        form.addRow(_("Display name:"), self.name_edit)
        # The words of the first tab's field: the same address, and errors name it so.
        form.addRow(_("E-mail address:"), self.address_edit)
        form.addRow(_("Reply-To:"), self.reply_to_edit)
        form.addRow(_("Signature:"), self.signature_edit)
        form.addRow("", self.html_box)
        layout.addLayout(form)
        for label_widget in (self.name_edit, self.address_edit, self.reply_to_edit,
                             self.signature_edit):  # fmt: skip
            label = form.labelForField(label_widget)
            if isinstance(label, QLabel):
                label.setBuddy(label_widget)
        # Keyboard order: list, its buttons, then the form top to bottom.
        order = [self.table, self.add_button, self.remove_button, self.up_button,
                 self.name_edit, self.address_edit, self.reply_to_edit, self.signature_edit,
                 self.html_box]  # fmt: skip
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def tab_chain(self) -> list[QWidget]:
        """The focusable widgets in keyboard order (for the dialog's tab order)."""
        return [self.table, self.add_button, self.remove_button, self.up_button,
                self.name_edit, self.address_edit, self.reply_to_edit, self.signature_edit,
                self.html_box]  # fmt: skip

    # -- the model --

    def set_identities(self, identities: list[Identity]) -> None:
        """Show ``identities`` (at least one empty identity is always shown)."""
        self._identities = list(identities) or [Identity("", "")]
        self._row = -1
        self._refresh_table(0)

    def identities(self) -> list[Identity]:
        """The identities as edited, in order (fields stripped; none dropped)."""
        self._store_form()
        return [
            replace(i, name=i.name.strip(), address=i.address.strip(), reply_to=i.reply_to.strip())
            for i in self._identities
        ]

    def current_row(self) -> int:
        """The index of the identity shown in the form."""
        return self._row

    def select(self, row: int) -> None:
        """Show identity ``row`` in the form."""
        if 0 <= row < len(self._identities):
            self.table.setCurrentCell(row, 0)

    def set_first(self, name: str | None = None, address: str | None = None) -> None:
        """Change the default identity's name or address (the account's fields follow it)."""
        first = self._identities[0]
        self._identities[0] = replace(
            first,
            name=first.name if name is None else name,
            address=first.address if address is None else address,
        )
        self._set_table_row(0)
        if self._row == 0:
            # Only the changed line edits: re-showing would round-trip the signature.
            if name is not None:
                self.name_edit.setText(name)
            if address is not None:
                self.address_edit.setText(address)

    def set_first_labels(self, name: str, address: str) -> None:
        """The words of the labels the default identity's name and address are typed under."""
        self._first_labels = {"identity-name": name, "identity-address": address}

    def field_label(self, field: str, row: int) -> str:
        """The label an ``IDENTITY_FIELDS`` field of identity ``row`` is shown under."""
        if row == 0 and field in self._first_labels:
            return self._first_labels[field]
        return self.label_of(self.field_widget(field))

    def label_of(self, widget: QWidget | None) -> str:
        """The words of ``widget``'s label in the identity form ("" if it has none)."""
        return label_words(self._form, widget) if widget is not None else ""

    def validate(self) -> None:
        """Raise ``InputError`` naming the identity and field that cannot be used.

        The error's ``field`` is one of ``IDENTITY_FIELDS``; the faulty identity is
        selected so its field can take the focus.
        """
        for row, identity in enumerate(self.identities()):
            who = _identity_label(row, identity)
            problem = None
            if has_forbidden_char(identity.name):
                field, problem = "identity-name", _("The display name contains a line break.")
            elif not identity.address:
                field, problem = "identity-address", _("An e-mail address is required.")
            else:
                field, problem = "identity-address", _address_problem(identity.address)
            if problem is None and identity.reply_to:
                field, problem = "identity-reply-to", _address_problem(identity.reply_to)
            if problem is not None:
                self.select(row)
                what = self.field_label(field, row)  # as the label the user is taken to
                value = {"identity-name": identity.name, "identity-address": identity.address,
                         "identity-reply-to": identity.reply_to}[field]  # fmt: skip
                raise InputError(
                    field,
                    _("{identity}, {field}: {problem}").format(
                        identity=who, field=what, problem=problem
                    ),
                    value,
                )

    def field_widget(self, field: str) -> QWidget | None:
        """The widget of an ``IDENTITY_FIELDS`` name (for focusing after an error)."""
        return {
            "identity-name": self.name_edit,
            "identity-address": self.address_edit,
            "identity-reply-to": self.reply_to_edit,
        }.get(field)

    # -- form <-> model --

    def _store_form(self) -> None:
        """Copy the form into the identity it shows."""
        row = self._row
        if self._showing or not 0 <= row < len(self._identities):
            return
        is_html = self.html_box.isChecked()
        document = self.signature_edit.document()
        if is_html:
            signature = "" if document.isEmpty() else document_to_email_html(document)
        else:
            signature = self.signature_edit.toPlainText()
        self._identities[row] = Identity(
            name=self.name_edit.text(),
            address=self.address_edit.text(),
            reply_to=self.reply_to_edit.text(),
            signature=signature,
            signature_is_html=is_html and bool(signature),
        )

    def _show(self, row: int) -> None:
        self._showing = True
        try:
            self._row = row
            identity = self._identities[row]
            self.name_edit.setText(identity.name)
            self.address_edit.setText(identity.address)
            self.reply_to_edit.setText(identity.reply_to)
            self.html_box.setChecked(identity.signature_is_html)
            self.signature_edit.setAcceptRichText(identity.signature_is_html)
            if identity.signature_is_html:
                self.signature_edit.setHtml(identity.signature)
            else:
                self.signature_edit.setPlainText(identity.signature)
        finally:
            self._showing = False
        self._update_buttons()

    def _refresh_table(self, select: int) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._identities))
        for row in range(len(self._identities)):
            self._set_table_row(row)
        self.table.blockSignals(False)
        select = min(max(select, 0), len(self._identities) - 1)
        self.table.setCurrentCell(select, 0)
        if self._row != select:  # setCurrentCell did not move (same cell)
            self._show(select)
        self._update_buttons()

    def _set_table_row(self, row: int) -> None:
        identity = self._identities[row]
        name = identity.name
        if row == 0:
            name = _("{name} (default)").format(name=name) if name else _("(default)")
        for column, text in enumerate((name, identity.address)):
            item = self.table.item(row, column)
            if item is None:
                item = QTableWidgetItem()
                item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(row, column, item)
            item.setText(text)

    def _update_buttons(self) -> None:
        enabled = self.isEnabled()
        self.remove_button.setEnabled(enabled and len(self._identities) > 1)
        self.up_button.setEnabled(enabled and self._row > 0)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.EnabledChange:
            self._update_buttons()

    # -- slots --

    @Slot(int, int, int, int)
    def _on_table_current_cell_changed(self, row: int, _col: int, _prev_row: int,
                                       _prev_col: int) -> None:  # fmt: skip
        if row < 0 or row == self._row:
            return
        self._store_form()
        self._show(row)

    @Slot(str)
    def _on_name_or_address_edited(self, _text: str) -> None:
        self._store_form()
        if 0 <= self._row < len(self._identities):
            self._set_table_row(self._row)
        if self._row == 0:
            first = self._identities[0]
            self.first_identity_edited.emit(first.name, first.address)

    @Slot(bool)
    def _on_html_box_toggled(self, on: bool) -> None:
        if self._showing:
            return
        if on:
            self.signature_edit.setAcceptRichText(True)
            # The plain text becomes the first HTML: same lines, no markup yet.
            text = self.signature_edit.toPlainText()
            self.signature_edit.setPlainText(text)
        else:
            # Formatting cannot be kept in a text signature; the words are.
            text = document_to_plain_text(self.signature_edit.document()).rstrip("\n")
            self.signature_edit.setAcceptRichText(False)
            self.signature_edit.setPlainText(text)
        self._store_form()

    @Slot()
    def _on_add_clicked(self) -> None:
        self._store_form()
        first = self._identities[0]
        # A new identity starts with the default one's name: most are "me at another address".
        self._identities.append(Identity(first.name, ""))
        self._row = -1
        self._refresh_table(len(self._identities) - 1)
        self.address_edit.setFocus()

    @Slot()
    def _on_remove_clicked(self) -> None:
        row = self._row
        if len(self._identities) <= 1 or not 0 <= row < len(self._identities):
            return
        del self._identities[row]
        self._row = -1
        self._refresh_table(min(row, len(self._identities) - 1))
        if row == 0:
            self._emit_first()

    @Slot()
    def _on_up_clicked(self) -> None:
        self._store_form()
        row = self._row
        if row <= 0:
            return
        ids = self._identities
        ids[row - 1], ids[row] = ids[row], ids[row - 1]
        self._row = -1
        self._refresh_table(row - 1)
        if row - 1 == 0:
            self._emit_first()
        self.up_button.setFocus() if self.up_button.isEnabled() else self.table.setFocus()

    def _emit_first(self) -> None:
        first = self._identities[0]
        self.first_identity_edited.emit(first.name, first.address)


def _identity_label(row: int, identity: Identity) -> str:
    """How an error names an identity: its position and what the user typed.

    Name and address together when the address is a bare one; otherwise one of them
    as typed: an address field holding ``Bob <bob@example.org>`` would read
    ``(Ann Lee <Bob <bob@example.org>>)``.
    """
    name, address = identity.name.strip(), identity.address.strip()
    bare = address and not any(mark in address for mark in '<>"')
    shown = identity.formatted() if name and bare else name or address
    if shown:
        return _("Identity {n} ({who})").format(n=row + 1, who=shown)
    return _("Identity {n}").format(n=row + 1)


def _address_problem(text: str) -> str | None:
    """What is wrong with a field that must hold one bare address, or None."""
    if has_forbidden_char(text):
        return _("The address contains a line break.")
    problem = check_address(text)
    if problem is not None:
        return problem
    if "<" in text or " " in text.strip():
        return _("Enter only the address here (name@example.com); the name has its own field.")
    return None
