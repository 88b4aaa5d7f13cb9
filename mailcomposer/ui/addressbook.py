"""The address book window: search, people, their addresses and groups, import and export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _, ngettext
from mailcomposer.store.contacts import AddressBook, Contact


def export_filters() -> dict[str, tuple[str, str]]:
    """File-dialog filter -> (format, layout or vCard version) for Export…."""
    return {
        _("vCard 3.0 (*.vcf)"): ("vcard", "3.0"),
        _("vCard 4.0 (*.vcf)"): ("vcard", "4.0"),
        _("Outlook CSV (*.csv)"): ("csv", "outlook"),
        _("Thunderbird CSV (*.csv)"): ("csv", "thunderbird"),
        _("Foxmail CSV (*.csv)"): ("csv", "foxmail"),
    }


def _split(text: str, separators: str) -> list[str]:
    for separator in separators:
        text = text.replace(separator, "\n")
    return list(dict.fromkeys(part.strip() for part in text.splitlines() if part.strip()))


def name_order_key():
    """A sort key for people's names as a reader expects: Chinese names by pinyin.

    Qt's collator (ICU) orders Chinese by pinyin in a Chinese locale; an English
    interface lists Latin names first, then Chinese ones in pinyin order.
    """
    from PySide6.QtCore import QCollator, QLocale

    from mailcomposer import i18n

    chinese = QCollator(QLocale("zh_CN"))
    if i18n.language() == "zh_CN":
        return lambda c: (0, chinese.sortKey(c.name or c.email))
    latin = QCollator(QLocale("en_US"))

    def key(c):
        name = c.name or c.email
        cjk = any("\u3400" <= ch <= "\u9fff" for ch in name)
        return (1, chinese.sortKey(name)) if cjk else (0, latin.sortKey(name))

    return key


class AddressBookDialog(QDialog):
    """The address book (``addressBook``): each edit is saved to ``contacts.json`` at once.

    Attributes:
        book: the ``AddressBook`` shown.

    Signals:
        contacts_changed: the book was saved (after an edit, an import or a deletion).
        write_to_requested: "Write to" was clicked (carries the selected people's addresses).
    """

    contacts_changed = Signal()
    write_to_requested = Signal(list)

    def __init__(self, book: AddressBook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addressBook")
        self.setWindowTitle(_("Address book"))
        self.resize(720, 440)
        self.book = book
        self._shown: Contact | None = None
        # The people the last Delete took, with where they were: Undo puts them back.
        self._deleted: list[tuple[int, Contact]] = []
        self._build()
        self.refresh()
        if book.load_error:
            self.status_label.setText(_("The address book could not be read: {error}").format(
                error=book.load_error))  # fmt: skip

    def _build(self) -> None:
        self.search_field = QLineEdit(self)
        self.search_field.setObjectName("addressBookSearch")
        self.search_field.setPlaceholderText(_("Search names, addresses and groups"))
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setAccessibleName(self.search_field.placeholderText())
        self.people_list = QListWidget(self)
        self.people_list.setObjectName("addressBookList")
        self.people_list.setAccessibleName(_("People"))
        self.people_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.name_field = QLineEdit(self)
        self.name_field.setObjectName("contactName")
        self.emails_field = QPlainTextEdit(self)
        self.emails_field.setObjectName("contactEmails")
        self.emails_field.setPlaceholderText(_("One address a line, the preferred one first"))
        self.groups_field = QLineEdit(self)
        self.groups_field.setObjectName("contactGroups")
        self.groups_field.setPlaceholderText(_("Groups, separated by commas"))
        self.bcc_box = QCheckBox(_("Put the members of a group in &Bcc"), self)
        self.bcc_box.setObjectName("groupsToBcc")
        self.bcc_box.setChecked(self.book.groups_to_bcc)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("addressBookStatus")
        self.status_label.setWordWrap(True)

        def button(text: str, name: str, slot) -> QPushButton:
            widget = QPushButton(text, self)
            widget.setObjectName(name)
            widget.setAutoDefault(False)
            widget.clicked.connect(slot)
            return widget

        self.new_button = button(_("&New"), "newContactButton", self._on_new_button_clicked)
        self.delete_button = button(
            _("&Delete"), "deleteContactButton", self._on_delete_button_clicked
        )
        self.undo_button = button(
            _("&Undo delete"), "undoDeleteButton", self._on_undo_button_clicked
        )
        self.undo_button.hide()
        self.save_button = button(_("&Save"), "saveContactButton", self._on_save_button_clicked)
        self.import_button = button(_("&Import…"), "importButton", self._on_import_button_clicked)
        self.export_button = button(_("E&xport…"), "exportButton", self._on_export_button_clicked)
        self.write_button = button(_("&Write to"), "writeToButton", self._on_write_button_clicked)
        self.write_button.setToolTip(_("Put the selected people in the To field"))

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search_field)
        left_layout.addWidget(self.people_list, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        row.addWidget(self.undo_button)
        left_layout.addLayout(row)
        right = QWidget(self)
        form = QFormLayout(right)
        form.addRow(_("Na&me:"), self.name_field)  # Alt+N is New
        form.addRow(_("&Addresses:"), self.emails_field)
        form.addRow(_("&Groups:"), self.groups_field)
        form.addRow("", self.save_button)
        form.addRow("", self.bcc_box)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(self.write_button)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        self.search_field.textChanged.connect(self._on_search_field_text_changed)
        self.people_list.currentItemChanged.connect(self._on_people_list_current_item_changed)
        self.bcc_box.toggled.connect(self._on_bcc_box_toggled)

    # -- public API --

    def refresh(self, select: Contact | None = None) -> None:
        """Fill the list with the people matching the search (keeping ``select`` chosen)."""
        select = select or self._shown
        self.people_list.blockSignals(True)
        self.people_list.clear()
        current = None
        people = self.book.search(self.search_field.text())
        for person in sorted(people, key=name_order_key()):
            label = person.name or person.email
            if person.name and person.email:
                label = f"{person.name} <{person.email}>"
            item = QListWidgetItem(label, self.people_list)
            item.setData(Qt.ItemDataRole.UserRole, person.uid)
            if select is not None and person.uid == select.uid:
                current = item
        self.people_list.blockSignals(False)
        if current is None and self.people_list.count():
            current = self.people_list.item(0)
        self.people_list.setCurrentItem(current)
        if current is None:
            self._show(None)

    def selected_people(self) -> list[Contact]:
        uids = {item.data(Qt.ItemDataRole.UserRole) for item in self.people_list.selectedItems()}
        return [c for c in self.book.contacts if c.uid in uids]

    def import_file(self, path: str | Path) -> int:
        """Import a .vcf or .csv file; return how many people it added or completed."""
        from mailcomposer.store.contactcsv import read_csv
        from mailcomposer.store.vcards import read_vcards

        path = Path(path)
        try:
            data = path.read_bytes()
            people = read_csv(data)[1] if path.suffix.lower() == ".csv" else read_vcards(data)
        except (OSError, ValueError) as exc:
            self.status_label.setText(
                _("{file} could not be imported: {error}").format(file=path.name, error=exc)
            )
            return 0
        count = self.book.merge(people)
        self._save()
        self.refresh()
        self.status_label.setText(
            ngettext("{n} contact imported", "{n} contacts imported", count).format(n=count)
        )
        return count

    def export_file(self, path: str | Path, kind: str, variant: str) -> None:
        """Write every person to ``path`` as ``kind`` (``vcard``/``csv``) ``variant``."""
        from mailcomposer.message.files import atomic_write
        from mailcomposer.store.contactcsv import LAYOUTS, write_csv
        from mailcomposer.store.vcards import write_vcards

        people = self.book.search()
        if kind == "vcard":
            data = write_vcards(people, variant)
        else:
            data = write_csv(people, LAYOUTS[variant])
        try:
            atomic_write(path, data)
        except OSError as exc:
            self.status_label.setText(str(exc))
            return
        self.status_label.setText(
            ngettext("{n} contact exported", "{n} contacts exported", len(people)).format(
                n=len(people)
            )
        )

    # -- internals --

    def _save(self) -> None:
        try:
            self.book.save()
        except OSError as exc:
            self.status_label.setText(_("The address book could not be saved: {error}").format(
                error=exc))  # fmt: skip
            return
        self.contacts_changed.emit()

    def _show(self, person: Contact | None) -> None:
        self._shown = person
        for widget in (self.name_field, self.emails_field, self.groups_field, self.save_button):
            widget.setEnabled(person is not None)
        self.name_field.setText(person.name if person else "")
        self.emails_field.setPlainText("\n".join(person.emails) if person else "")
        self.groups_field.setText(", ".join(person.groups) if person else "")

    def _form_changes(self) -> bool:
        person = self._shown
        if person is None:
            return False
        name = " ".join(self.name_field.text().split())
        # A Chinese input method types the full-width comma and semicolon.
        emails = _split(self.emails_field.toPlainText(), ",;，；")
        groups = _split(self.groups_field.text(), ",，;；")
        if (name, emails, groups) == (person.name, person.emails, person.groups):
            return False
        person.name, person.emails, person.groups = name, emails, groups
        self._check_addresses(person)
        return True

    def _check_addresses(self, person: Contact) -> None:
        """Say which of the addresses just kept is not one (kept as typed: nothing lost)."""
        from mailcomposer.message.addresses import check_address

        for address in person.emails:
            problem = check_address(address)
            if problem:
                self.status_label.setText(
                    _("{name}: “{address}” is not an e-mail address ({problem}). Correct it "
                      "here, or it will turn the To field red when written to.").format(
                        name=person.name or _("New contact"), address=address, problem=problem)
                )  # fmt: skip
                return
        self.status_label.clear()

    def done(self, result: int) -> None:
        """Keep what is typed in the form when the window closes."""
        if self._form_changes():
            self._save()
        super().done(result)

    @Slot(str)
    def _on_search_field_text_changed(self, text: str) -> None:
        self.refresh()

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_people_list_current_item_changed(
        self, current: QListWidgetItem | None, previous: QListWidgetItem | None
    ) -> None:
        if self._form_changes():
            self._save()
            self.refresh(
                self.book.find_uid(current.data(Qt.ItemDataRole.UserRole)) if current else None
            )
            return
        uid = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        self._show(self.book.find_uid(uid) if uid else None)

    @Slot()
    def _on_save_button_clicked(self) -> None:
        if self._form_changes():
            self._save()
            self.refresh()

    @Slot()
    def _on_new_button_clicked(self) -> None:
        if self._form_changes():
            self._save()
        person = Contact(_("New contact"))
        self.book.contacts.append(person)
        self.search_field.clear()
        self.refresh(person)
        self.name_field.setFocus()
        self.name_field.selectAll()

    @Slot()
    def _on_delete_button_clicked(self) -> None:
        people = self.selected_people()
        if not people:
            return
        self._form_changes()  # what was typed goes with the person (and comes back)
        self._deleted = [(self.book.contacts.index(p), p) for p in people]
        for person in people:
            self.book.remove(person)
        self._shown = None
        self._save()
        self.refresh()
        self.status_label.setText(
            ngettext("{n} contact deleted.", "{n} contacts deleted.", len(people)).format(
                n=len(people)
            )
        )
        self.undo_button.show()

    @Slot()
    def _on_undo_button_clicked(self) -> None:
        """Put the people the last Delete took back where they were."""
        restored = self._deleted
        self._deleted = []
        self.undo_button.hide()
        for index, person in sorted(restored, key=lambda pair: pair[0]):
            self.book.contacts.insert(index, person)
        self._save()
        self.refresh(restored[0][1] if restored else None)
        self.status_label.setText(
            ngettext("{n} contact restored.", "{n} contacts restored.", len(restored)).format(
                n=len(restored)
            )
        )

    @Slot(bool)
    def _on_bcc_box_toggled(self, checked: bool) -> None:
        self.book.groups_to_bcc = checked
        self._save()

    @Slot()
    def _on_write_button_clicked(self) -> None:
        if self._form_changes():
            self._save()
        addresses = [p.formatted() for p in self.selected_people() if p.email]
        if addresses:
            self.write_to_requested.emit(addresses)

    def _file_dialog(self, title: str, name: str) -> QFileDialog:
        dialog = QFileDialog(self, title)
        dialog.setObjectName(name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return dialog

    @Slot()
    def _on_import_button_clicked(self) -> None:
        dialog = self._file_dialog(_("Import contacts"), "importContactsDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([_("Contacts (*.vcf *.csv)"), _("All files (*)")])
        dialog.fileSelected.connect(self.import_file)
        dialog.open()

    @Slot()
    def _on_export_button_clicked(self) -> None:
        filters = export_filters()
        dialog = self._file_dialog(_("Export contacts"), "exportContactsDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters(list(filters))

        def chosen(path: str) -> None:
            kind, variant = filters.get(dialog.selectedNameFilter(), ("vcard", "3.0"))
            if not Path(path).suffix:
                path += ".vcf" if kind == "vcard" else ".csv"
            self.export_file(path, kind, variant)

        dialog.fileSelected.connect(chosen)
        dialog.open()
