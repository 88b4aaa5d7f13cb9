"""The composer's other windows: MIME structure, local inbox, accounts, history, statistics."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot, qVersion
from PySide6.QtWidgets import QWidget

from mailcomposer import __version__
from mailcomposer.i18n import _
from mailcomposer.store.paths import Home
from mailcomposer.ui.icons import app_icon
from mailcomposer.ui.questions import message_box


class ToolWindows(QObject):
    """Opens the windows beside the composer, each on demand (their modules too).

    Signals:
        accounts_changed: the account dialog saved a change, or closed.
        lab_config_changed: the Local server panel or a lesson saved a server config.
        resend_requested: the History window asked to send an attempt again (the record).
    """

    accounts_changed = Signal()
    lab_config_changed = Signal(object)
    resend_requested = Signal(object)

    def __init__(
        self,
        window: QWidget,
        home: Home,
        build: Callable[[], Any],
        credentials: Callable[[], Any],
        *,
        account: Callable[[], Any] | None = None,
        local_server: Any = None,
        draft: Callable[[], Any] | None = None,
    ) -> None:
        """Open windows over ``window``; ``build()`` gives the message (None: bad input).

        ``account()`` gives the selected account and ``local_server`` the built-in
        server, so the SMTP console opens on the server the composer would use.
        """
        super().__init__(window)
        self._window = window
        self._home = home
        self._build = build
        self._credentials = credentials
        self._account = account
        self._local_server = local_server
        self._draft = draft

    def connect_actions(self, actions: Any) -> None:
        """Open each window from its action of ``actions`` (``ComposerActions``)."""
        actions.mime_action.triggered.connect(self.show_mime_structure)
        actions.inbox_action.triggered.connect(self.show_sandbox_inbox)
        actions.accounts_action.triggered.connect(self.show_accounts)
        actions.address_book_action.triggered.connect(self.show_address_book)
        actions.console_action.triggered.connect(self.show_console)
        actions.sandbox_panel_action.triggered.connect(self.show_sandbox_panel)
        actions.lessons_action.triggered.connect(self.show_lessons)
        actions.about_action.triggered.connect(self.show_about)
        actions.swaks_action.triggered.connect(self.show_swaks_command)
        if self._local_server is not None:
            actions.sandbox_show_login_action.setChecked(self._local_server.show_login)
            actions.sandbox_show_login_action.toggled.connect(self._local_server.set_show_login)
        from mailcomposer.ui.sendlater import SendLater

        self.send_later = SendLater(self._window, actions)  # and the outbox's timer
        if hasattr(self._window, "editor"):  # find, replace, tables, print and PDF of the body
            from mailcomposer.ui.editingtools import EditingTools

            self.editing_tools = EditingTools(self._window, actions)
        # The composer's own options and templates (the window is at its size limit).
        from mailcomposer.ui.templates import Templates

        self.templates = Templates(self._window, self._home, actions)
        actions.receipts.changed.connect(self._window.draft_keeper.note_edit)

    def _show(self, dialog: QWidget) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    @Slot()
    def show_mime_structure(self) -> None:
        """Build the message and open it in the MIME inspector."""
        built = self._build()
        if built is None:
            return
        from mailcomposer.ui.mimeview import MimeViewDialog

        # What will be sent: the wire form (no Bcc), its envelope, send --dry-run's lint.
        self._show(MimeViewDialog.from_built(built, self._window))

    @Slot()
    def show_sandbox_inbox(self) -> None:
        """Open the inbox of the local test server."""
        from mailcomposer.ui.inbox import SandboxInboxDialog

        dialog = SandboxInboxDialog(self._home.sandbox_maildir, self._window)
        dialog.answer_requested.connect(self._answer_from_inbox)
        self._show(dialog)

    @Slot(str, object)
    def _answer_from_inbox(self, path: str, mode: object) -> None:
        """The inbox's Reply, Reply all or Forward: the composer answers, in front."""
        self._window.replies.respond(mode, path)
        self._window.raise_()
        self._window.activateWindow()

    @Slot()
    def show_console(self) -> None:
        """Open the SMTP console on the selected account's server (the built-in one: started).

        On the built-in server it follows the lab: a switch restarts the server, perhaps
        with TLS on, off or from the first byte, and each Connect asks it how it listens.
        """
        from mailcomposer.ui.console import ConsoleWindow

        account = self._account() if self._account is not None else None
        if account is None or (account.builtin_sandbox and self._local_server is not None):
            if self._local_server is None:
                ConsoleWindow(parent=self._window).show()
                return
            window = ConsoleWindow.for_local_server(self._local_server, parent=self._window)
        else:
            settings = account.server
            window = ConsoleWindow(
                settings.host,
                settings.effective_port,
                settings.security,
                cafile=settings.cafile,
                parent=self._window,
            )
        window.show()

    @Slot()
    def show_sandbox_panel(self) -> None:
        """Open Options > Local server…: how the built-in server behaves (the lab)."""
        from mailcomposer.ui.sandboxpanel import SandboxPanel

        panel = SandboxPanel(self._home, self._window)
        panel.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        panel.config_changed.connect(self.lab_config_changed)
        panel.open()

    @Slot()
    def show_lessons(self) -> None:
        """Open Help > Lessons: guided exercises with the local server."""
        from mailcomposer.ui.lessons import LessonsDialog

        dialog = LessonsDialog(self._home, self._window)
        dialog.config_changed.connect(self.lab_config_changed)
        self._show(dialog)

    def server_settings(self) -> Any:
        """The selected account's server settings (the built-in server: started)."""
        account = self._account() if self._account is not None else None
        if account is None or account.builtin_sandbox:
            return self._local_server.settings() if self._local_server is not None else None
        return account.server

    @Slot()
    def show_swaks_command(self) -> None:
        """Show (and copy) the swaks command that sends the message being written."""
        built = self._build()
        settings = self.server_settings()
        if built is None or settings is None or self._draft is None:
            return
        from PySide6.QtWidgets import QApplication, QMessageBox

        from mailcomposer.smtp.swaks import swaks_command

        command = swaks_command(self._draft(), built, settings)
        QApplication.clipboard().setText(command.shell)
        box = message_box(
            self._window,
            QMessageBox.Icon.Information,
            _("Equivalent swaks command"),
            _("This swaks command sends the same message to the same server. It is on the "
              "clipboard; swaks asks for the password itself."),
            "swaksDialog",
        )  # fmt: skip
        box.setDetailedText("\n".join([*(f"# {n}" for n in command.notes), command.shell]))
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.open()

    @Slot()
    def show_accounts(self) -> None:
        """Open the account dialog (window-modal)."""
        from mailcomposer.store.accounts import AccountStore
        from mailcomposer.ui.accountdialog import AccountDialog

        dialog = AccountDialog(AccountStore(self._home), self._credentials(), self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accounts_changed.connect(self.accounts_changed)
        dialog.finished.connect(self.accounts_changed)
        dialog.open()

    def _raise_open(self, name: str) -> bool:
        for widget in self._window.findChildren(QWidget, name):
            if widget.isVisible():
                widget.raise_()
                widget.activateWindow()
                return True
        return False

    @Slot()
    def show_address_book(self) -> None:
        """Open Tools > Address book… (or bring the open one forward).

        "Write to" fills the composer's To field, and a saved change refreshes the
        completion of the address fields (both through the window's ``header``).
        """
        if self._raise_open("addressBook"):
            return
        from mailcomposer.store.contacts import AddressBook
        from mailcomposer.ui.addressbook import AddressBookDialog

        dialog = AddressBookDialog(AddressBook.open(self._home), self._window)
        header = getattr(self._window, "header", None)
        if header is not None:
            dialog.contacts_changed.connect(header.load_known_addresses)
            dialog.write_to_requested.connect(lambda found: header.add_addresses("to", found))
        self._show(dialog)

    @Slot()
    def show_history(self) -> None:
        """Open the History window (or bring the open one forward)."""
        if self._raise_open("historyWindow"):
            return
        from mailcomposer.ui.historywindow import HistoryWindow

        window = HistoryWindow(self._home, self._window)
        window.resend_requested.connect(self.resend_requested)
        self._show(window)

    @Slot()
    def show_statistics(self) -> None:
        """Open the Statistics window (or bring the open one forward)."""
        if not self._raise_open("statsWindow"):
            from mailcomposer.ui.statswindow import StatsWindow

            self._show(StatsWindow(self._home, self._window))

    @Slot()
    def show_screening_settings(self) -> None:
        """Open the settings of the checks before sending (window-modal)."""
        from mailcomposer.ui.screeningsettings import ScreeningSettingsDialog

        dialog = ScreeningSettingsDialog(self._home.screening_file, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    @Slot()
    def show_about(self) -> None:
        """Say what mailcomposer is, its version and Qt's."""
        from PySide6.QtWidgets import QMessageBox

        title = _("About mailcomposer")
        box = message_box(
            self._window, QMessageBox.Icon.NoIcon, title, "<b>mailcomposer</b>", "aboutDialog"
        )
        box.setIconPixmap(app_icon().pixmap(64, 64))
        box.setInformativeText(
            _(
                "A desktop e-mail composer that shows its SMTP conversation, line by line, "
                "with each server reply explained."
            )
            + "\n\n"
            + _("Version {version} · Qt {qt} · MIT licence").format(
                version=__version__, qt=qVersion()
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.open()
