"""Templates in the composer: File → Save as template…, File → New from template, --template."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction

from mailcomposer.i18n import _
from mailcomposer.message.errors import InputError
from mailcomposer.store.paths import Home

# The dialog and the store load at first use (the menu opened, a save): not at start.
if TYPE_CHECKING:
    from PySide6.QtWidgets import QInputDialog

    from mailcomposer.store.templates import TemplateStore

FLAG = "--template"


def template_argument(arguments: Sequence[str]) -> str | None:
    """The NAME of ``--template NAME`` (or ``--template=NAME``) among ``arguments``."""
    for index, argument in enumerate(arguments):
        if argument.startswith(f"{FLAG}="):
            return argument.split("=", 1)[1]
        if argument == FLAG and index + 1 < len(arguments):
            return arguments[index + 1]
    return None


class Templates(QObject):
    """Saves the message as a named template and starts new messages from templates.

    A template is a draft without its Message-ID (``store.templates``). Starting from
    one replaces the message the way opening a file does (unsaved edits are asked
    about first, a saved draft is kept aside).

    Attributes:
        store: the templates on disk.
        name_dialog: the open *Save as template* question, if any (``templateNameDialog``).
    """

    def __init__(self, window: Any, home: Home, actions: Any) -> None:
        """Serve ``window`` (the composer) through ``actions`` (``ComposerActions``)."""
        super().__init__(window)
        self._window = window
        self._home = home
        self._store: TemplateStore | None = None
        self.name_dialog: QInputDialog | None = None
        self._menu = actions.templates_menu
        self._menu.aboutToShow.connect(self.fill_menu)
        self._menu.triggered.connect(self._on_menu_triggered)
        actions.save_template_action.triggered.connect(self.ask_name)
        # Filled when opened (aboutToShow): the templates folder is not read at start.

    @property
    def store(self) -> TemplateStore:
        """The templates on disk."""
        if self._store is None:
            from mailcomposer.store.templates import TemplateStore

            self._store = TemplateStore(self._home)
        return self._store

    @Slot()
    def fill_menu(self) -> None:
        """List the templates in the menu (a disabled line when there is none)."""
        self._menu.clear()
        names = self.store.names()
        for name in names:
            action = self._menu.addAction(name.replace("&", "&&"))
            action.setData(name)
        if not names:
            empty = self._menu.addAction(_("No templates yet: File → Save as template…"))
            empty.setEnabled(False)

    @Slot()
    def ask_name(self) -> None:
        """Ask for the template's name (without blocking); save when it is given.

        The name offered is the subject without the characters a name cannot hold.
        """
        from mailcomposer.store.templates import suggested_name

        self._ask(suggested_name(self._window.subject()))

    def _ask(self, name: str, problem: str = "") -> None:
        """Open the name question with ``name`` filled in, and ``problem`` above it if any."""
        from PySide6.QtWidgets import QInputDialog

        dialog = QInputDialog(self._window)
        dialog.setObjectName("templateNameDialog")
        dialog.setWindowTitle(_("Save as template"))
        label = _("Template name:")
        dialog.setLabelText(f"{problem}\n\n{label}" if problem else label)
        dialog.setTextValue(name)
        # Room for the whole suggested name (the default 200 pixels cut a subject short).
        advance = dialog.fontMetrics().horizontalAdvance(max(name, problem, key=len))
        dialog.resize(min(600, max(360, advance + 60)), dialog.sizeHint().height())
        dialog.textValueSelected.connect(self._on_name_dialog_text_value_selected)
        dialog.finished.connect(dialog.deleteLater)
        self.name_dialog = dialog
        dialog.open()

    @Slot(str)
    def _on_name_dialog_text_value_selected(self, name: str) -> None:
        """A name the store refuses is asked again, as typed, with what to change."""
        from mailcomposer.store.templates import check_name

        try:
            name = check_name(name)
        except InputError as exc:
            self._ask(name, exc.message)
            return
        existing = self.store.existing(name)
        if existing is None:
            self.save(name)
        else:
            self._confirm_replace(name, existing)

    def _confirm_replace(self, name: str, existing: str) -> None:
        """Ask before a template is replaced; No asks for another name."""
        from PySide6.QtWidgets import QMessageBox

        from mailcomposer.ui.questions import message_box

        button = QMessageBox.StandardButton
        box = message_box(
            self._window,
            QMessageBox.Icon.Question,
            _("Save as template"),
            _("A template named “{name}” already exists.").format(name=existing),
            "replaceTemplateDialog",
        )
        box.setInformativeText(_("Replace it with this message?"))
        box.setStandardButtons(button.Yes | button.No)
        box.button(button.Yes).setText(_("Replace"))
        box.button(button.No).setText(_("Choose another name"))
        box.setDefaultButton(button.No)
        box.setEscapeButton(button.No)

        def answered(clicked: QMessageBox.StandardButton) -> None:
            if clicked == button.Yes:
                self.save(name, replacing=existing)
            else:
                self._ask(name)

        self._window.questions.ask(box, answered)

    def save(self, name: str, replacing: str | None = None) -> bool:
        """Keep the message as template ``name``; False (with an error banner) if not.

        ``replacing``: the template of the same name but another case it replaces.
        """
        status = self._window.status_area
        try:
            self.store.save(name, self._window.current_draft(), replacing)
        except InputError as exc:
            status.show_error(exc.message)
            return False
        except OSError as exc:
            status.show_error(
                _("The template was not saved: {error}").format(error=exc.strerror or exc)
            )
            return False
        status.say(_("Saved as template “{name}”.").format(name=name.strip()))
        self.fill_menu()
        return True

    def start_from(self, name: str) -> None:
        """Replace the message with a new one from template ``name``, once it is safe."""
        self._window.files.replace_message(lambda: self.load(name))

    def load(self, name: str) -> bool:
        """Fill the composer from template ``name``; False (with an error banner) if unusable."""
        try:
            draft = self.store.load(name)
        except InputError as exc:
            self._window.status_area.show_error(exc.message)
            return False
        self._window.load_draft(draft, modified=True)
        self._window.files.saved_soon()  # a new message, kept like a typed one
        self._window.status_area.say(_("New message from template “{name}”.").format(name=name))
        return True

    def open_at_start(self, name: str) -> None:
        """``mailcomposer --template NAME``: start from it (a draft in progress is kept aside)."""
        self._window.files.open_at_start(name, load=lambda: self.load(name))

    @Slot(list)
    def open_argument(self, arguments: list) -> None:
        """Another start asked ``--template NAME``: start from it, once the message is safe."""
        name = template_argument(arguments)
        if name is not None:
            self.start_from(name)

    @Slot(QAction)
    def _on_menu_triggered(self, action: QAction) -> None:
        name = action.data()
        if isinstance(name, str):
            self.start_from(name)
