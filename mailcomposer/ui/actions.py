"""Every QAction of the composer window, its menus and its main toolbar."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTextEdit,
    QWidget,
)

from mailcomposer.i18n import _
from mailcomposer.message.draft import Priority
from mailcomposer.ui.icons import icon
from mailcomposer.ui.receiptactions import ReceiptActions


class ComposerActions(QObject):
    """The window's actions (with their object names and shortcuts), menus and toolbar.

    The rooms connect to the actions' ``triggered`` in the window's ``_connect_signals``;
    the Edit actions work on the focused text field by themselves.

    Attributes:
        new_action, open_action, save_action, save_eml_action, attach_action,
        send_action, send_step_action, cancel_send_action, quit_action, mime_action, inbox_action,
        print_action, export_pdf_action, find_action, replace_action, insert_table_action,
        sandbox_secure_action, outbox_action, accounts_action, address_book_action, about_action,
        history_action, stats_action, checks_settings_action: the actions.
        undo_action, redo_action, cut_action, copy_action, paste_action,
        select_all_action: the Edit actions, following the focused widget.
        priority_actions: the checkable action of each ``Priority``.
        receipts: the read receipt and delivery notification requests (``ReceiptActions``);
            ``read_receipt_action`` and ``dsn_action`` are its actions.
        save_template_action: File → Save as template (``saveTemplateAction``).
        templates_menu: File → New from template (``templatesMenu``), filled by its owner.
        main_toolbar: the toolbar (``mainToolbar``).

    Signals:
        priority_chosen: the user picked a priority in the menu (carries the ``Priority``).
    """

    priority_chosen = Signal(object)

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        key = QKeySequence
        std = QKeySequence.StandardKey
        self.new_action = self._action(
            _("&New message"), icon_name="document-new", shortcut=std.New, name="newAction"
        )
        self.open_action = self._action(
            _("&Open .eml…"), icon_name="document-open", shortcut=std.Open, name="openAction"
        )
        self.save_action = self._action(
            _("&Save draft"),
            icon_name="document-save",
            shortcut=std.Save,
            name="saveDraftAction",
            tip=_("Keep this message as a draft to continue later"),
        )
        self.save_eml_action = self._action(
            _("Save as .e&ml…"),
            icon_name="document-save-as",
            shortcut=key("Ctrl+Shift+S"),
            name="saveEmlAction",
        )
        self.swaks_action = self._action(
            _("Copy as s&waks command"),
            name="swaksAction",
            tip=_("The swaks command line that sends this message to the same server"),
        )
        self.attach_action = self._action(
            _("&Attach files…"),
            icon_name="mail-attachment",
            shortcut=key("Ctrl+Shift+A"),
            name="attachAction",
            tip=_("Attach files (you can also drop them on the window)"),
        )
        self.send_action = self._action(
            _("S&end"),
            icon_name="mail-send",
            shortcut=[key("Ctrl+Return"), key("Ctrl+Enter")],
            name="sendAction",
            tip=_("Send the message (Ctrl+Return)"),
        )
        self.send_later_action = self._action(
            _("Send &Later…"),
            shortcut=[key("Ctrl+Shift+Return"), key("Ctrl+Shift+Enter")],
            name="sendLaterAction",
            tip=_("Keep the message in the outbox and send it at a time you choose"),
        )
        self.drafts_action = self._action(
            _("&Drafts…"), name="draftsAction", tip=_("Every draft saved or kept aside")
        )
        self.send_step_action = self._action(
            _("Send step &by step"),
            shortcut=key("Ctrl+Alt+Return"),
            name="sendStepAction",
            tip=_("Send, pausing before each SMTP command to say what it does (Ctrl+Alt+Return)"),
        )
        self.cancel_send_action = self._action(
            _("&Cancel sending"),
            icon_name="process-stop",
            shortcut=key(Qt.Key.Key_Escape),
            name="cancelSendAction",
            tip=_("Stop sending (Esc)"),
        )
        self.cancel_send_action.setEnabled(False)
        self.quit_action = self._action(
            _("&Quit"), icon_name="application-exit", shortcut=std.Quit, name="quitAction"
        )
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.print_action = self._action(
            _("&Print…"), icon_name="document-print", shortcut=std.Print, name="printAction"
        )
        self.export_pdf_action = self._action(
            _("Export as PD&F…"), icon_name="application-pdf", name="exportPdfAction"
        )
        self._build_edit_actions()
        self.mime_action = self._action(
            _("Show &MIME structure…"), name="mimeAction", shortcut=key("Ctrl+Shift+M")
        )
        self.inbox_action = self._action(
            _("Local server &inbox…"), name="inboxAction", shortcut=key("Ctrl+Shift+I")
        )
        self.sandbox_secure_action = self._action(
            _("Local test server: &encryption and login"),
            name="sandboxSecureAction",
            tip=_(
                "The built-in server offers STARTTLS and asks for a login, so the "
                "protocol log shows the whole exchange a real provider has"
            ),
        )
        self.sandbox_secure_action.setCheckable(True)
        self.sandbox_show_login_action = self._action(
            _("Local test server: s&how the login decoded"),
            name="sandboxShowLoginAction",
            tip=_(
                "The protocol log shows the built-in server's AUTH lines decoded "
                "(its test user and password); logins to every other server stay hidden"
            ),
        )
        self.sandbox_show_login_action.setCheckable(True)
        self.sandbox_panel_action = self._action(
            _("&Local server…"),
            name="sandboxPanelAction",
            tip=_(
                "Encryption, login, size limit, faults, refused recipients, greylisting "
                "and delays of the built-in server"
            ),
        )
        self.lessons_action = self._action(
            _("&Lessons…"),
            name="lessonsAction",
            tip=_("Guided exercises with the local test server, in English and Chinese"),
        )
        self.outbox_action = self._action(
            _("&Outbox…"),
            name="outboxAction",
            tip=_("Messages whose sending was cut short, to reopen or delete"),
        )
        self.history_action = self._action(
            _("&History…"), name="historyAction", shortcut=key("Ctrl+Shift+H"),
            tip=_("Every send attempt: search it, see why one failed, export it"),
        )  # fmt: skip
        self.stats_action = self._action(_("S&tatistics…"), name="statsAction")
        self.checks_settings_action = self._action(
            _("&Checks before sending…"), name="checksSettingsAction"
        )
        self.accounts_action = self._action(_("&Accounts…"), name="accountsAction")
        self.address_book_action = self._action(
            _("Address &book…"),
            name="addressBookAction",
            tip=_("People and groups to write to: search, edit, import and export"),
        )
        self.console_action = self._action(
            _("SMTP &console…"),
            name="consoleAction",
            tip=_("Type SMTP commands yourself and read each reply explained"),
        )
        self.about_action = self._action(
            _("&About mailcomposer"), icon_name="help-about", name="aboutAction"
        )
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self._build_priority_actions()
        self.receipts = ReceiptActions(self)
        self.read_receipt_action = self.receipts.read_receipt_action
        self.dsn_action = self.receipts.dsn_action
        self.save_template_action = self._action(
            _("Sa&ve as template…"),
            name="saveTemplateAction",
            tip=_("Keep this message as a template to start new ones from"),
        )
        QApplication.instance().focusChanged.connect(self._on_app_focus_changed)

    def _action(
        self, text: str, *, icon_name: str = "", shortcut: Any = None, name: str = "", tip: str = ""
    ) -> QAction:
        action = QAction(icon(icon_name) if icon_name else QIcon(), text, self._window)
        if name:
            action.setObjectName(name)
        if shortcut is not None:
            if isinstance(shortcut, list):
                action.setShortcuts(shortcut)
            else:
                action.setShortcut(shortcut)
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        self._window.addAction(action)
        return action

    def _build_edit_actions(self) -> None:
        key, std = QKeySequence, QKeySequence.StandardKey
        self.undo_action = self._action(_("&Undo"), shortcut=std.Undo)
        self.redo_action = self._action(_("&Redo"), shortcut=std.Redo)
        self.cut_action = self._action(_("Cu&t"), shortcut=std.Cut)
        self.copy_action = self._action(_("&Copy"), shortcut=std.Copy)
        self.paste_action = self._action(_("&Paste"), shortcut=std.Paste)
        self.select_all_action = self._action(_("Select &all"), shortcut=std.SelectAll)
        for action, method in (
            (self.undo_action, "undo"),
            (self.redo_action, "redo"),
            (self.cut_action, "cut"),
            (self.copy_action, "copy"),
            (self.paste_action, "paste"),
            (self.select_all_action, "selectAll"),
        ):
            action.triggered.connect(_on_focused_text(method))
            # The focused line edit or text edit handles these keys itself
            # (ShortcutOverride); the window-wide shortcuts only matter for the menu.
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.find_action = self._action(_("&Find…"), shortcut=std.Find, name="findAction")
        self.replace_action = self._action(
            _("R&eplace…"), shortcut=key("Ctrl+H"), name="replaceAction"
        )
        self.insert_table_action = self._action(_("T&able…"), name="insertTableAction")
        # The protocol log has its own Ctrl+F: these act only while the focus is in the
        # composer's fields and body (the central widget), never in the log dock.
        central = self._window.centralWidget()
        for action in (self.find_action, self.replace_action):
            if central is not None:
                self._window.removeAction(action)
                central.addAction(action)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _build_priority_actions(self) -> None:
        self.priority_group = QActionGroup(self)
        self.priority_group.setExclusive(True)
        self.priority_actions: dict[Priority, QAction] = {}
        for priority, text, name in (
            (Priority.HIGH, _("&High"), "priorityHighAction"),
            (Priority.NORMAL, _("&Normal"), "priorityNormalAction"),
            (Priority.LOW, _("&Low"), "priorityLowAction"),
        ):
            action = self._action(text, name=name)
            action.setCheckable(True)
            action.setData(priority.value)
            self.priority_group.addAction(action)
            self.priority_actions[priority] = action
        self.priority_actions[Priority.NORMAL].setChecked(True)
        self.priority_group.triggered.connect(self._on_priority_group_triggered)

    def build_menus(self, format_actions: list[Any], log_dock: QDockWidget) -> None:
        """Fill the menu bar (the Format menu gets ``format_actions``, None = separator)."""
        bar = self._window.menuBar()

        def fill(menu: Any, actions: list[Any]) -> None:
            for action in actions:
                if action is None or action.isSeparator():
                    menu.addSeparator()
                else:
                    menu.addAction(action)

        file_menu = bar.addMenu(_("&File"))
        self.templates_menu = QMenu(_("New from &template"), file_menu)
        self.templates_menu.setObjectName("templatesMenu")
        fill(
            file_menu,
            [
                self.new_action, self.templates_menu.menuAction(), self.open_action,
                self.drafts_action, None,
                self.save_action, self.save_eml_action, self.save_template_action,
                self.swaks_action, None,
                self.print_action, self.export_pdf_action, None,
                self.attach_action, None,
                self.send_action, self.send_step_action, self.send_later_action,
                self.cancel_send_action, None,
                self.quit_action,
            ],
        )  # fmt: skip
        edit_menu = bar.addMenu(_("&Edit"))
        fill(
            edit_menu,
            [
                self.undo_action, self.redo_action, None,
                self.cut_action, self.copy_action, self.paste_action, None,
                self.select_all_action, None,
                self.find_action, self.replace_action,
            ],
        )  # fmt: skip
        edit_menu.aboutToShow.connect(self.update_edit_actions)
        format_actions = list(format_actions)
        names = [getattr(action, "objectName", lambda: "")() for action in format_actions]
        at = names.index("horizontalRuleAction") + 1 if "horizontalRuleAction" in names else 0
        format_actions.insert(at, self.insert_table_action)
        fill(bar.addMenu(_("F&ormat")), format_actions)
        view_menu = bar.addMenu(_("&View"))
        toggle = log_dock.toggleViewAction()
        toggle.setText(_("&Protocol log"))
        toggle.setShortcut(QKeySequence("Ctrl+L"))
        toggle.setObjectName("protocolLogToggle")
        fill(view_menu, [toggle, None, self.mime_action, self.inbox_action, self.outbox_action,
                         None, self.history_action, self.stats_action])  # fmt: skip
        self._options_menu = options_menu = bar.addMenu(_("O&ptions"))
        options_menu.setObjectName("optionsMenu")
        priority_menu = options_menu.addMenu(_("&Priority"))
        priority_menu.setObjectName("priorityMenu")
        fill(priority_menu, list(self.priority_actions.values()))
        fill(options_menu, [self.read_receipt_action, self.dsn_action])
        fill(
            options_menu,
            [None, self.checks_settings_action, None, self.sandbox_secure_action,
             self.sandbox_show_login_action, self.sandbox_panel_action],
        )  # fmt: skip
        fill(
            bar.addMenu(_("Too&ls")),  # Alt+T is the To field's
            [self.address_book_action, None, self.accounts_action, self.console_action],
        )
        fill(bar.addMenu(_("&Help")), [self.lessons_action, None, self.about_action])

    def add_message_menu(self, message_actions: list[QAction]) -> None:
        """Add the Message menu (Reply, Reply all, Forward …) after View, as mail clients do."""
        bar = self._window.menuBar()
        menu = QMenu(_("&Message"), bar)
        menu.setObjectName("messageMenu")
        menu.addActions(message_actions)
        bar.insertMenu(self._options_menu.menuAction(), menu)

    def build_toolbar(self) -> None:
        """Add the main toolbar: Send and Cancel, Attach and Save, New and Open."""
        toolbar = self._window.addToolBar(_("Main toolbar"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setMovable(False)
        for action in (
            self.send_action, self.send_step_action, self.cancel_send_action, None,
            self.attach_action, self.save_action, None,
            self.new_action, self.open_action,
        ):  # fmt: skip
            toolbar.addSeparator() if action is None else toolbar.addAction(action)
        self.main_toolbar = toolbar

    def set_sending(self, sending: bool) -> None:
        """While a send runs: only Cancel (and what cannot disturb the send) stays enabled."""
        for action in (
            self.send_action, self.send_step_action, self.attach_action, self.new_action,
            self.open_action, self.outbox_action, self.send_later_action, self.drafts_action,
        ):  # fmt: skip
            action.setEnabled(not sending)
        self.cancel_send_action.setEnabled(sending)
        self.update_edit_actions()

    def show_priority(self, priority: Priority) -> None:
        """Check ``priority`` in the Options menu."""
        self.priority_actions[priority].setChecked(True)

    @Slot(QAction)
    def _on_priority_group_triggered(self, action: QAction) -> None:
        self.priority_chosen.emit(Priority(action.data()))

    @Slot("QWidget*", "QWidget*")
    def _on_app_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        self.update_edit_actions()

    @Slot()
    def update_edit_actions(self) -> None:
        """Enable Undo, Cut, Paste... as the focused text field allows."""
        widget = QApplication.focusWidget()
        can_undo = can_redo = has_selection = editable = False
        if isinstance(widget, QLineEdit):
            can_undo, can_redo = widget.isUndoAvailable(), widget.isRedoAvailable()
            has_selection, editable = widget.hasSelectedText(), not widget.isReadOnly()
        elif isinstance(widget, QTextEdit):
            document = widget.document()
            can_undo, can_redo = document.isUndoAvailable(), document.isRedoAvailable()
            has_selection = widget.textCursor().hasSelection()
            editable = not widget.isReadOnly()
        text_widget = isinstance(widget, QLineEdit | QTextEdit)
        self.undo_action.setEnabled(can_undo and editable)
        self.redo_action.setEnabled(can_redo and editable)
        self.cut_action.setEnabled(has_selection and editable)
        self.copy_action.setEnabled(has_selection)
        self.paste_action.setEnabled(text_widget and editable)
        self.select_all_action.setEnabled(text_widget)


def _on_focused_text(method: str):
    """A slot calling ``method`` (``undo``, ``copy``...) of the focused text field."""

    def run() -> None:
        widget = QApplication.focusWidget()
        if isinstance(widget, QLineEdit | QTextEdit):
            getattr(widget, method)()

    return run
