"""The header fields: From (every identity of every account), To, Cc, Bcc and Subject."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from mailcomposer.i18n import _
from mailcomposer.message.draft import Draft
from mailcomposer.smtp.settings import Security
from mailcomposer.store.paths import Home
from mailcomposer.ui.addressfield import STYLE as ADDRESS_STYLE
from mailcomposer.ui.addressfield import AddressField
from mailcomposer.ui.spellhighlight import LineSpelling
from mailcomposer.ui.tints import NoticeTint
from mailcomposer.ui.uisettings import UiSettings

MANAGE_ACCOUNTS = "manage-accounts"
CURRENT_FROM_KEY = "from/current"


def describe_server(account: Any) -> str:
    """Where ``account`` sends to, in a few words for the status bar."""
    if account.builtin_sandbox:
        return _("local test server (messages stay on this computer)")
    server = account.server
    security = {
        Security.NONE: _("no encryption"),
        Security.STARTTLS: "STARTTLS",
        Security.TLS: "TLS",
    }.get(server.security, str(server.security))
    return f"{server.host}:{server.effective_port} ({security})"


class HeaderFields(QWidget):
    """The From combo and the address and subject fields (``headerFields``).

    Attributes:
        from_combo, to_field, cc_field, bcc_field, subject_field: the fields, with
            the object names of the design contract.
        cc_button, bcc_button: the toggles folding the Cc and Bcc rows.
        subject_spelling: spelling as you type in the subject.

    Signals:
        edited: the text of a field changed.
        subject_changed: the subject changed (carries it).
        account_changed: the selected identity's account may have changed (after a
            reload of the accounts, or another identity chosen).
        identity_chosen: another From identity was selected (by the user or a load).
        manage_accounts_requested: "Manage accounts…" was picked in the From combo.
        accounts_load_failed: the accounts file could not be read (carries why).
    """

    edited = Signal()
    subject_changed = Signal(str)
    account_changed = Signal()
    identity_chosen = Signal()
    manage_accounts_requested = Signal()
    accounts_load_failed = Signal(str)

    def __init__(self, home: Home, ui_settings: UiSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("headerFields")
        self._home = home
        self._ui_settings = ui_settings
        self._accounts: list[Any] = []
        self._last_from_index = -1
        # One style sheet for the three address fields (parsed once, not per field),
        # in the palette's error colours, set when a field first turns invalid.
        self.address_tint = NoticeTint(self, "error", ADDRESS_STYLE, lazy=True)
        self._build()
        self.cc_button.toggled.connect(self._on_cc_button_toggled)
        self.bcc_button.toggled.connect(self._on_bcc_button_toggled)
        self.set_row_visible("cc", False)
        self.set_row_visible("bcc", False)
        self.from_combo.activated.connect(self._on_from_combo_activated)
        self.from_combo.currentIndexChanged.connect(self._on_from_combo_current_index_changed)
        for field in self.text_fields():
            field.textChanged.connect(self.edited)
        for field in self.address_fields():
            field.validity_changed.connect(self._on_address_validity_changed)
        self.subject_field.textChanged.connect(self.subject_changed)
        self.subject_spelling = LineSpelling(
            self.subject_field, dictionary=home.root / "dictionary.txt"
        )

    def _build(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        self.from_combo = QComboBox(self)
        self.from_combo.setObjectName("fromCombo")
        self.from_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.to_field = AddressField("to", self, styled=False)
        self.to_field.setObjectName("toField")
        self.cc_field = AddressField("cc", self, styled=False)
        self.cc_field.setObjectName("ccField")
        self.bcc_field = AddressField("bcc", self, styled=False)
        self.bcc_field.setObjectName("bccField")
        tip = _(
            "Separate addresses with commas or semicolons: Ann <ann@example.org>, bo@example.org"
        )
        for field in self.address_fields():
            field.set_help_tip(tip)
        self.to_field.setPlaceholderText(_("Recipients"))
        self.bcc_field.setPlaceholderText(_("Hidden recipients: nobody sees these addresses"))
        self.subject_field = QLineEdit(self)
        self.subject_field.setObjectName("subjectField")
        self.subject_field.setPlaceholderText(_("What is this message about?"))
        self.cc_button = QPushButton(_("&Cc"), self)
        self.cc_button.setObjectName("ccToggle")
        self.cc_button.setCheckable(True)
        self.cc_button.setToolTip(_("Show or hide the Cc field"))
        self.bcc_button = QPushButton(_("&Bcc"), self)
        self.bcc_button.setObjectName("bccToggle")
        self.bcc_button.setCheckable(True)
        self.bcc_button.setToolTip(_("Show or hide the Bcc field"))
        for button in (self.cc_button, self.bcc_button):
            button.setFlat(True)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setMaximumWidth(48)

        def label(text: str, buddy: QWidget) -> QLabel:
            widget = QLabel(text, self)
            widget.setBuddy(buddy)
            widget.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return widget

        # Alt+C and Alt+B belong to the toggles (they unfold the row and focus its field);
        # "&From" would clash with the File menu's Alt+F.
        self.cc_label = label(_("Cc:"), self.cc_field)
        self.bcc_label = label(_("Bcc:"), self.bcc_field)
        for button, name in ((self.cc_button, _("Show Cc")), (self.bcc_button, _("Show Bcc"))):
            button.setAccessibleName(name)
        grid.addWidget(label(_("F&rom:"), self.from_combo), 0, 0)
        from_row = QHBoxLayout()
        from_row.addWidget(self.from_combo, 1)
        from_row.addStretch(0)
        grid.addLayout(from_row, 0, 1, 1, 3)
        grid.addWidget(label(_("&To:"), self.to_field), 1, 0)
        grid.addWidget(self.to_field, 1, 1)
        grid.addWidget(self.cc_button, 1, 2)
        grid.addWidget(self.bcc_button, 1, 3)
        grid.addWidget(self.cc_label, 2, 0)
        grid.addWidget(self.cc_field, 2, 1, 1, 3)
        grid.addWidget(self.bcc_label, 3, 0)
        grid.addWidget(self.bcc_field, 3, 1, 1, 3)
        grid.addWidget(label(_("&Subject:"), self.subject_field), 4, 0)
        grid.addWidget(self.subject_field, 4, 1, 1, 3)
        grid.setColumnStretch(1, 1)

    def tab_chain(self) -> list[QWidget]:
        """The fields in Tab order, each fold toggle just before the field it shows."""
        return [
            self.from_combo,
            self.to_field,
            self.cc_button,
            self.cc_field,
            self.bcc_button,
            self.bcc_field,
            self.subject_field,
        ]

    def address_fields(self) -> tuple[AddressField, AddressField, AddressField]:
        return self.to_field, self.cc_field, self.bcc_field

    def text_fields(self) -> tuple[QLineEdit, ...]:
        return (*self.address_fields(), self.subject_field)

    # ------------------------------------------------------------------ rows

    def set_row_visible(self, row: str, visible: bool) -> None:
        """Show or fold the ``cc`` or ``bcc`` row."""
        label, field = (
            (self.cc_label, self.cc_field) if row == "cc" else (self.bcc_label, self.bcc_field)
        )
        label.setVisible(visible)
        field.setVisible(visible)

    def show_filled_rows(self) -> None:
        """Unfold the Cc and Bcc rows that hold addresses (folded ones stay as chosen)."""
        self.set_row_visible("cc", self.cc_button.isChecked() or bool(self.cc_field.text()))
        self.set_row_visible("bcc", self.bcc_button.isChecked() or bool(self.bcc_field.text()))

    @Slot(bool)
    def _on_address_validity_changed(self, valid: bool) -> None:
        if not valid:
            self.address_tint.apply()  # the first invalid address sets the style sheet

    @Slot(bool)
    def _on_cc_button_toggled(self, checked: bool) -> None:
        self.set_row_visible("cc", checked or bool(self.cc_field.text()))
        if checked and self.isVisible():
            self.cc_field.setFocus()

    @Slot(bool)
    def _on_bcc_button_toggled(self, checked: bool) -> None:
        self.set_row_visible("bcc", checked or bool(self.bcc_field.text()))
        if checked and self.isVisible():
            self.bcc_field.setFocus()

    def fill(self, draft: Draft) -> None:
        """Show the addresses and subject of ``draft``."""
        self.to_field.setText(draft.to)
        self.cc_field.setText(draft.cc)
        self.bcc_field.setText(draft.bcc)
        self.subject_field.setText(draft.subject)
        self.show_filled_rows()

    def set_read_only(self, read_only: bool) -> None:
        """Freeze the fields (while a send runs)."""
        for field in self.text_fields():
            field.setReadOnly(read_only)
        self.from_combo.setEnabled(not read_only)

    def first_problem(self) -> tuple[str, str] | None:
        """The first address field whose text does not parse, and why; None if all do."""
        for field in self.address_fields():
            problems = field.problems()
            if problems:
                return field.field_name, problems[0]
        return None

    def mark_error(self, widget: QWidget, message: str) -> None:
        """Mark an address field ``widget`` as wrong with ``message`` (and unfold its row)."""
        if isinstance(widget, AddressField):
            widget.mark_error(message)
            if widget in (self.cc_field, self.bcc_field):
                self.set_row_visible("cc" if widget is self.cc_field else "bcc", True)

    def field_widget(self, field: str) -> QWidget | None:
        """The widget showing the draft field ``field`` (``to``, ``from_addr``...), if here."""
        return {
            "to": self.to_field,
            "cc": self.cc_field,
            "bcc": self.bcc_field,
            "from": self.from_combo,
            "from_addr": self.from_combo,
            "reply_to": self.from_combo,
            "subject": self.subject_field,
        }.get(field)

    # ------------------------------------------------------------------ identities

    def _account_store(self) -> Any:
        from mailcomposer.store.accounts import AccountStore

        return AccountStore(self._home)

    def reload_accounts(self) -> None:
        """Fill the From combo with every identity of every account, then "Manage accounts…"."""
        store = self._account_store()
        accounts = store.accounts()
        default = store.default()
        if store.load_error:
            self.accounts_load_failed.emit(store.load_error)
        previous = self.from_combo.currentData()
        if previous is None or previous == MANAGE_ACCOUNTS:
            saved = self._ui_settings.settings.value(CURRENT_FROM_KEY)
            previous = tuple(saved) if isinstance(saved, list) and len(saved) == 2 else None
        self._accounts = accounts
        combo = self.from_combo
        combo.blockSignals(True)
        combo.clear()
        remembered = default_index = -1
        for account in accounts:
            for index, identity in enumerate(account.identities or []):
                label = identity.formatted()
                if len(accounts) > 1 or account.builtin_sandbox:
                    shown = _("Local test server") if account.builtin_sandbox else account.name
                    label = f"{label}  —  {shown}"
                combo.addItem(label, (account.name, str(index)))
                key = (account.name, str(index))
                if previous is not None and tuple(previous) == key:
                    remembered = combo.count() - 1
                if default_index < 0 and account.name == default.name and index == 0:
                    default_index = combo.count() - 1
        chosen = remembered if remembered >= 0 else default_index
        combo.insertSeparator(combo.count())
        combo.addItem(_("Manage accounts…"), MANAGE_ACCOUNTS)
        combo.setCurrentIndex(max(chosen, 0))
        combo.blockSignals(False)
        self._last_from_index = combo.currentIndex()
        self.account_changed.emit()

    def current_account(self) -> Any:
        """Return the account of the selected From identity."""
        data = self.from_combo.currentData()
        if isinstance(data, tuple):
            for account in self._accounts:
                if account.name == data[0]:
                    return account
        return self._account_store().default()

    def current_identity(self) -> Any:
        """Return the selected From identity."""
        data = self.from_combo.currentData()
        account = self.current_account()
        if isinstance(data, tuple) and account.identities:
            index = int(data[1])
            if 0 <= index < len(account.identities):
                return account.identities[index]
        return account.identity

    def select_identity(self, from_addr: str) -> bool:
        """Select the identity whose address appears in ``from_addr``; True if found."""
        wanted = from_addr.strip().lower()
        if not wanted:
            return False
        for i in range(self.from_combo.count()):
            data = self.from_combo.itemData(i)
            if not isinstance(data, tuple):
                continue
            account = next((a for a in self._accounts if a.name == data[0]), None)
            if account is None:
                continue
            identity = account.identities[int(data[1])]
            address = identity.address.lower()
            if (
                wanted == identity.formatted().lower()
                or wanted == address
                or (f"<{address}>" in wanted)
            ):
                self.from_combo.setCurrentIndex(i)
                return True
        return False

    @Slot(int)
    def _on_from_combo_activated(self, index: int) -> None:
        if self.from_combo.itemData(index) == MANAGE_ACCOUNTS:
            self.from_combo.setCurrentIndex(self._last_from_index)
            self.manage_accounts_requested.emit()

    @Slot(int)
    def _on_from_combo_current_index_changed(self, index: int) -> None:
        data = self.from_combo.itemData(index)
        if data == MANAGE_ACCOUNTS:
            return
        self._last_from_index = index
        if isinstance(data, tuple):
            self._ui_settings.set_value(CURRENT_FROM_KEY, list(data))
        self.account_changed.emit()
        self.identity_chosen.emit()

    # ------------------------------------------------------------------ completion

    def load_known_addresses(self) -> None:
        """Let the address fields read contacts and history when the user first types."""
        cache: list[str] = []
        books: list[Any] = []

        def source() -> list[str]:
            # Shared by the three fields: the history and the book are read once.
            if not cache:
                cache.extend(self.known_addresses())
            return cache

        def book() -> Any:
            if not books:
                from mailcomposer.store.contacts import AddressBook

                books.append(AddressBook.open(self._home))
            return books[0]

        for field in self.address_fields():
            field.set_address_source(source)
            field.set_group_expander(self._group_expander(field, book))

    def _group_expander(self, field: AddressField, book: Any) -> Any:
        """What ``field`` puts in place of a group name (its members; nothing if they go to Bcc)."""

        def expand(piece: str) -> list[str] | None:
            group = book().group_named(piece)
            if group is None:
                return None
            members = book().members(group)
            if book().groups_to_bcc and field is not self.bcc_field:
                self.add_addresses("bcc", members)
                return []
            return members

        return expand

    def add_addresses(self, field_name: str, addresses: list[str]) -> None:
        """Append ``addresses`` to the ``to``, ``cc`` or ``bcc`` field (skipping ones it has)."""
        field = {"to": self.to_field, "cc": self.cc_field, "bcc": self.bcc_field}[field_name]
        present = field.text().strip().rstrip(",;").strip()
        known = present.lower()
        new = [a for a in addresses if a.lower() not in known]
        if new:
            field.setText(", ".join([present, *new] if present else new))
        if field is not self.to_field and field.text():
            self.set_row_visible(field_name, True)

    def known_addresses(self) -> list[str]:
        """Contacts and addresses used before (ranked by use and recency), then identities.

        Group names come last; picking one puts its members in the field.
        """
        from mailcomposer.store.contacts import AddressBook

        records: list[Any] = []
        try:
            from mailcomposer.store.history import History

            history = History(self._home)
            try:
                records = history.sends(limit=1000)
            finally:
                history.close()
        except Exception:  # a damaged history must not break typing; completion is optional
            pass
        addresses = AddressBook.open(self._home).completions(records)
        for account in self._accounts:
            addresses.extend(i.formatted() for i in account.identities)
        return addresses
