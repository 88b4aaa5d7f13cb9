"""The composer window: header fields, body editor, attachments, protocol log, send flow."""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QByteArray, QModelIndex, Qt, QTimer, Signal, Slot, qVersion
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QIcon,
    QKeySequence,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mailcomposer import __version__
from mailcomposer.i18n import _
from mailcomposer.message.draft import Draft, Priority
from mailcomposer.message.errors import InputError
from mailcomposer.smtp.settings import Security
from mailcomposer.store.drafts import DraftStore
from mailcomposer.store.paths import Home
from mailcomposer.ui.addressfield import STYLE as ADDRESS_STYLE
from mailcomposer.ui.addressfield import AddressField
from mailcomposer.ui.attachments import AttachmentPane, human_size, local_files
from mailcomposer.ui.editor import BodyEditor
from mailcomposer.ui.formatbar import FormatToolBar
from mailcomposer.ui.icons import app_icon, icon
from mailcomposer.ui.protocollog import ProtocolLogDock, warm_up_painting
from mailcomposer.ui.uisettings import UiSettings

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from mailcomposer.smtp.errors import SendError, SendResult
    from mailcomposer.ui.sendcontroller import SendController

AUTOSAVE_DELAY_MS = 2000
AUTOSAVE_MAX_DELAY_S = 15.0
STATUS_TIMEOUT_MS = 8000
# The send modules start importing on a thread this long after the first show (once
# the window has painted), and the Qt types the first Send paints with are built a
# little later on the GUI thread.
PRELOAD_DELAY_MS = 50
WARM_UP_DELAY_MS = 70
# Imported by that thread: what the first Send needs (email, smtplib, ssl...), ~100 ms
# of pure Python that would otherwise stall the first Send.
SEND_MODULES = (
    # In the order Send needs them on the GUI thread: it then waits (on the import
    # lock) at most for the module the thread is importing, never for the whole list.
    "mailcomposer.message.mime",
    "mailcomposer.message.filetypes",
    "mimetypes",
    "mailcomposer.store.pins",
    "mailcomposer.smtp.session",
    "mailcomposer.submission",
)
MANAGE_ACCOUNTS = "manage-accounts"
SANDBOX_SECURE_KEY = "sandbox/secure"
SANDBOX_LOGIN = "me"
# Block property marking the blocks of the signature the app inserted (and may replace).
SIGNATURE_PROPERTY = QTextFormat.Property.UserProperty + 0x5167
SIGNATURE_DELIMITER = "-- "  # RFC 3676 4.3: dash dash space, alone on its line
_SIZE_LINE = re.compile(r"^250[- ]SIZE\s+(\d+)", re.IGNORECASE)


class Banner(QFrame):
    """A message strip above the body (errors, cancel notes) that never blocks anything.

    Signals:
        link_activated: a link in the text was clicked (carries its href).
    """

    STYLES: ClassVar[dict[str, str]] = {
        "error": "background:#fde8e8; border:1px solid #c63d3d; color:#5c1a1a;",
        "warning": "background:#fff3cd; border:1px solid #e0b84a; color:#664d03;",
        "info": "background:#e6f4ea; border:1px solid #2a9d5b; color:#14482b;",
    }

    link_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sendBanner")
        self.kind = ""
        self.label = QLabel(self)
        self.label.setObjectName("sendBannerText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self.label.linkActivated.connect(self.link_activated)
        close = QToolButton(self)
        close.setText("×")
        close.setAutoRaise(True)
        close.setToolTip(_("Hide this message"))
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_message(self, kind: str, html: str) -> None:
        self.kind = kind
        self.setStyleSheet(f"#sendBanner {{ {self.STYLES[kind]} border-radius: 4px; }}")
        self.label.setText(html)
        self.show()

    def show_text(self, kind: str, text: str) -> None:
        """Show plain ``text`` (escaped, line breaks kept)."""
        self.show_message(kind, _escape(text))

    def text(self) -> str:
        return self.label.text()


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")
    )


def initial_argument(arguments: Sequence[str]) -> str | None:
    """The .eml path or mailto: URL among command-line ``arguments`` (program name excluded)."""
    for argument in arguments:
        if not argument.startswith("-") or argument.lower().startswith("mailto:"):
            return argument
    return None


def _reason(exc: Exception) -> str:
    """Why a file operation failed, in the system's words, without our temporary names.

    An atomic write fails on its hidden temporary file (``.tmp-x1y2.eml``), which
    ``str(OSError)`` would show; the path the user chose is in the message already.
    """
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)


def describe_failure(error: SendError) -> tuple[str, str]:
    """Return the headline and the details (stage, server reply, what to check) of ``error``."""
    from mailcomposer.smtp.errors import ExitCode, stage_phrase

    where = stage_phrase(error.stage)
    lines = [_("The message was not sent ({stage}).").format(stage=where)]
    if error.exit_code == ExitCode.UNKNOWN:
        lines = [
            _(
                "The connection ended after the whole message was sent: it may have been "
                "delivered. Check the recipient's mailbox before sending again; a resend "
                "keeps the same Message-ID."
            )
        ]
    if error.code is not None:
        reply = " ".join(str(p) for p in (error.code, error.enhanced or "", error.server_text) if p)
        lines.append(_("The server replied: {reply}").format(reply=reply))
    elif error.server_text:
        lines.append(_("The server replied: {reply}").format(reply=error.server_text))
    lines.append(_("Your message is kept; nothing in the composer was changed."))
    return error.user_message, "\n".join(lines)


class ComposerWindow(QMainWindow):
    """The main window: compose a message and send it, watching the SMTP conversation.

    Attributes:
        home: the home folder.
        drafts: the autosave store.
        controller: the ``SendController`` running sends.
        editor: the body editor (``bodyEditor``).
        attachments: the attachment pane (its ``view`` is ``attachmentList``).
        log_dock: the protocol log dock.
        banner: the message strip above the body.
        last_result: the last ``SendResult`` (for tests and the status bar).
        last_error: the last ``SendError``.

    Signals:
        draft_saved: the draft was autosaved or saved explicitly.
    """

    draft_saved = Signal()
    # Emitted on the draft writer thread; queued to the GUI thread by Qt.
    _draft_written = Signal()
    _draft_write_failed = Signal(str)

    def __init__(self, home: Home, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composerWindow")
        self.home = home
        self.ui_settings = UiSettings(home)
        self.drafts = DraftStore(home)
        # The send controller (a QThread's owner) is built by the first Send.
        self._controller: SendController | None = None
        self.last_result: SendResult | None = None
        self.last_error: SendError | None = None
        self.ask_password: Callable[[Any], Any] = self._ask_password_dialog
        self._sandbox: Any = None
        self._credentials: Any = None
        self._session_secrets: dict[str, Any] = {}
        self._message_id: str | None = None
        self._loading = False
        self._first_unsaved_edit = 0.0
        self._force_close = False
        self._close_after_send = False
        self._pending_question: QMessageBox | None = None
        self._accounts_cache: list[Any] = []
        self._send_account: Any = None
        self._dialogs: list[QWidget] = []
        self._priority = Priority.NORMAL
        # A draft kept aside when the app started with a mailto: link or an .eml file.
        self._kept_draft: Path | None = None
        # Texts of the signature blocks the app inserted: only those are ever removed.
        self._signature_texts: list[str] = []

        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setSingleShot(True)
        self._autosave_timer.setInterval(AUTOSAVE_DELAY_MS)
        self._autosave_timer.timeout.connect(self._on_autosave_timer_timeout)

        self._build_central()
        self._build_log_dock()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self._draft_written.connect(self._on_draft_written)
        self._draft_write_failed.connect(self._on_draft_write_failed)
        self._reload_accounts()
        self.start_with_signature()
        self._set_tab_order()
        self._restore_layout()
        self._update_title()
        self._update_edit_actions()
        QApplication.instance().focusChanged.connect(self._on_app_focus_changed)
        self._load_known_addresses()
        # Load the sending machinery once the window is up, so the first Send does not
        # stall the event loop importing it (and launch does not pay for it either).
        self._preload: threading.Thread | None = None
        self._warm_up_scheduled = False

    # ------------------------------------------------------------------ building

    def _build_central(self) -> None:
        central = QWidget(self)
        central.setObjectName("composerCentral")
        outer = QVBoxLayout(central)
        outer.setContentsMargins(6, 6, 6, 2)
        outer.setSpacing(4)

        header = QWidget(central)
        header.setObjectName("headerFields")
        # One style sheet for the three address fields (parsed once, not per field).
        header.setStyleSheet(ADDRESS_STYLE)
        grid = QGridLayout(header)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)

        self.from_combo = QComboBox(header)
        self.from_combo.setObjectName("fromCombo")
        self.from_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.from_combo.activated.connect(self._on_from_combo_activated)
        self.from_combo.currentIndexChanged.connect(self._on_from_combo_current_index_changed)

        self.to_field = AddressField("to", header, styled=False)
        self.to_field.setObjectName("toField")
        self.cc_field = AddressField("cc", header, styled=False)
        self.cc_field.setObjectName("ccField")
        self.bcc_field = AddressField("bcc", header, styled=False)
        self.bcc_field.setObjectName("bccField")
        tip = _(
            "Separate addresses with commas or semicolons: Ann <ann@example.org>, bo@example.org"
        )
        for field in (self.to_field, self.cc_field, self.bcc_field):
            field.set_help_tip(tip)
        self.to_field.setPlaceholderText(_("Recipients"))
        self.bcc_field.setPlaceholderText(_("Hidden recipients: nobody sees these addresses"))
        self.subject_field = QLineEdit(header)
        self.subject_field.setObjectName("subjectField")
        self.subject_field.setPlaceholderText(_("What is this message about?"))

        self.cc_button = QPushButton(_("Cc"), header)
        self.cc_button.setObjectName("ccToggle")
        self.cc_button.setCheckable(True)
        self.cc_button.setToolTip(_("Show or hide the Cc field"))
        self.bcc_button = QPushButton(_("Bcc"), header)
        self.bcc_button.setObjectName("bccToggle")
        self.bcc_button.setCheckable(True)
        self.bcc_button.setToolTip(_("Show or hide the Bcc field"))
        for button in (self.cc_button, self.bcc_button):
            button.setFlat(True)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setMaximumWidth(48)

        def label(text: str, buddy: QWidget) -> QLabel:
            widget = QLabel(text, header)
            widget.setBuddy(buddy)
            widget.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return widget

        self.cc_label = label(_("&Cc:"), self.cc_field)
        self.bcc_label = label(_("&Bcc:"), self.bcc_field)
        grid.addWidget(label(_("&From:"), self.from_combo), 0, 0)
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
        outer.addWidget(header)

        self.banner = Banner(central)
        self.banner.link_activated.connect(self._on_banner_link_activated)
        outer.addWidget(self.banner)

        self.editor = BodyEditor(central)
        self.editor.setObjectName("bodyEditor")
        self.format_bar = FormatToolBar(self.editor)
        self.format_bar.confirm_plain_text = self._confirm_plain_text
        outer.addWidget(self.format_bar)
        outer.addWidget(self.editor, 1)

        self.attachments = AttachmentPane(central)
        outer.addWidget(self.attachments)
        self.setCentralWidget(central)

        self.cc_button.toggled.connect(self._on_cc_button_toggled)
        self.bcc_button.toggled.connect(self._on_bcc_button_toggled)
        self._set_row_visible("cc", False)
        self._set_row_visible("bcc", False)

        for field in (self.to_field, self.cc_field, self.bcc_field, self.subject_field):
            field.textChanged.connect(self._on_content_edited)
        self.subject_field.textChanged.connect(self._update_title)
        self.editor.textChanged.connect(self._on_content_edited)
        self.attachments.model.changed.connect(self._on_content_edited)
        self.editor.files_dropped.connect(self._on_editor_files_dropped)
        # Plain text rebuilds the document (block marks are lost): find the signature again.
        self.editor.plain_text_mode_changed.connect(self._on_editor_plain_text_mode_changed)

    def _confirm_plain_text(self) -> bool:
        """Asked by the format bar before plain text drops formatting and inline images."""
        from PySide6.QtWidgets import QMessageBox

        if self.editor.document().isEmpty():
            return True
        answer = QMessageBox.question(
            self,
            _("Switch to plain text?"),
            _("Plain text removes all formatting and inline images from this message."),
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Ok

    def _build_log_dock(self) -> None:
        self.log_dock = ProtocolLogDock(self)
        self.log_dock.setObjectName("protocolLogDock")
        self.log_dock.setAllowedAreas(
            Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.log_dock)

    def _action(
        self,
        text: str,
        slot: Callable[..., Any] | None,
        *,
        icon_name: str = "",
        shortcut: Any = None,
        name: str = "",
        tip: str = "",
    ) -> QAction:
        action = QAction(icon(icon_name) if icon_name else QIcon(), text, self)
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
        if slot is not None:
            action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence
        std = QKeySequence.StandardKey
        self.new_action = self._action(
            _("&New message"),
            self.new_message,
            icon_name="document-new",
            shortcut=std.New,
            name="newAction",
        )
        self.open_action = self._action(
            _("&Open .eml…"),
            self.choose_eml_to_open,
            icon_name="document-open",
            shortcut=std.Open,
            name="openAction",
        )
        self.save_action = self._action(
            _("&Save draft"),
            self.save_draft,
            icon_name="document-save",
            shortcut=std.Save,
            name="saveDraftAction",
            tip=_("Keep this message as a draft to continue later"),
        )
        self.save_eml_action = self._action(
            _("Save as .&eml…"),
            self.choose_eml_to_save,
            icon_name="document-save-as",
            shortcut=key("Ctrl+Shift+S"),
            name="saveEmlAction",
        )
        self.attach_action = self._action(
            _("&Attach files…"),
            self.choose_attachments,
            icon_name="mail-attachment",
            shortcut=key("Ctrl+Shift+A"),
            name="attachAction",
            tip=_("Attach files (you can also drop them on the window)"),
        )
        self.send_action = self._action(
            _("S&end"),
            self.send,
            icon_name="mail-send",
            shortcut=[key("Ctrl+Return"), key("Ctrl+Enter")],
            name="sendAction",
            tip=_("Send the message (Ctrl+Return)"),
        )
        self.cancel_send_action = self._action(
            _("&Cancel sending"),
            self.cancel_send,
            icon_name="process-stop",
            shortcut=key(Qt.Key.Key_Escape),
            name="cancelSendAction",
            tip=_("Stop sending (Esc)"),
        )
        self.cancel_send_action.setEnabled(False)
        self.quit_action = self._action(
            _("&Quit"),
            self.close,
            icon_name="application-exit",
            shortcut=std.Quit,
            name="quitAction",
        )
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        self.undo_action = self._action(_("&Undo"), self._edit("undo"), shortcut=std.Undo)
        self.redo_action = self._action(_("&Redo"), self._edit("redo"), shortcut=std.Redo)
        self.cut_action = self._action(_("Cu&t"), self._edit("cut"), shortcut=std.Cut)
        self.copy_action = self._action(_("&Copy"), self._edit("copy"), shortcut=std.Copy)
        self.paste_action = self._action(_("&Paste"), self._edit("paste"), shortcut=std.Paste)
        self.select_all_action = self._action(
            _("Select &all"), self._edit("selectAll"), shortcut=std.SelectAll
        )
        # The focused line edit or text edit handles these keys itself (ShortcutOverride);
        # the window-wide shortcuts only matter for the menu entries.
        for action in (
            self.undo_action,
            self.redo_action,
            self.cut_action,
            self.copy_action,
            self.paste_action,
            self.select_all_action,
        ):
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)

        self.mime_action = self._action(
            _("Show &MIME structure…"),
            self.show_mime_structure,
            name="mimeAction",
            shortcut=key("Ctrl+Shift+M"),
        )
        self.inbox_action = self._action(
            _("Local server &inbox…"),
            self.show_sandbox_inbox,
            name="inboxAction",
            shortcut=key("Ctrl+Shift+I"),
        )
        self.sandbox_secure_action = self._action(
            _("Local test server: &encryption and login"),
            None,
            name="sandboxSecureAction",
            tip=_(
                "The built-in server offers STARTTLS and asks for a login, so the "
                "protocol log shows the whole exchange a real provider has"
            ),
        )
        self.sandbox_secure_action.setCheckable(True)
        self.sandbox_secure_action.setChecked(self.ui_settings.bool_value(SANDBOX_SECURE_KEY))
        self.sandbox_secure_action.toggled.connect(self._on_sandbox_secure_action_toggled)
        self.outbox_action = self._action(
            _("&Outbox…"),
            self.show_outbox,
            name="outboxAction",
            tip=_("Messages whose sending was cut short, to reopen or delete"),
        )
        self.accounts_action = self._action(
            _("&Accounts…"), self.show_accounts, name="accountsAction"
        )
        self.about_action = self._action(
            _("&About mailcomposer"), self.show_about, icon_name="help-about", name="aboutAction"
        )
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

        self.priority_group = QActionGroup(self)
        self.priority_group.setExclusive(True)
        self.priority_actions: dict[Priority, QAction] = {}
        for priority, text, name in (
            (Priority.HIGH, _("&High"), "priorityHighAction"),
            (Priority.NORMAL, _("&Normal"), "priorityNormalAction"),
            (Priority.LOW, _("&Low"), "priorityLowAction"),
        ):
            action = self._action(text, None, name=name)
            action.setCheckable(True)
            action.setData(priority.value)
            self.priority_group.addAction(action)
            self.priority_actions[priority] = action
        self.priority_actions[Priority.NORMAL].setChecked(True)
        self.priority_group.triggered.connect(self._on_priority_group_triggered)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&File"))
        for action in (
            self.new_action,
            self.open_action,
            None,
            self.save_action,
            self.save_eml_action,
            None,
            self.attach_action,
            None,
            self.send_action,
            self.cancel_send_action,
            None,
            self.quit_action,
        ):
            file_menu.addSeparator() if action is None else file_menu.addAction(action)
        edit_menu = bar.addMenu(_("&Edit"))
        for action in (
            self.undo_action,
            self.redo_action,
            None,
            self.cut_action,
            self.copy_action,
            self.paste_action,
            None,
            self.select_all_action,
        ):
            edit_menu.addSeparator() if action is None else edit_menu.addAction(action)
        edit_menu.aboutToShow.connect(self._update_edit_actions)
        format_menu = bar.addMenu(_("F&ormat"))
        for action in self.format_bar.menu_actions():
            if action is None or action.isSeparator():
                format_menu.addSeparator()
            else:
                format_menu.addAction(action)
        view_menu = bar.addMenu(_("&View"))
        toggle = self.log_dock.toggleViewAction()
        toggle.setText(_("&Protocol log"))
        toggle.setShortcut(QKeySequence("Ctrl+L"))
        toggle.setObjectName("protocolLogToggle")
        view_menu.addAction(toggle)
        view_menu.addSeparator()
        view_menu.addAction(self.mime_action)
        view_menu.addAction(self.inbox_action)
        view_menu.addAction(self.outbox_action)
        options_menu = bar.addMenu(_("O&ptions"))
        options_menu.setObjectName("optionsMenu")
        priority_menu = options_menu.addMenu(_("&Priority"))
        priority_menu.setObjectName("priorityMenu")
        for action in self.priority_actions.values():
            priority_menu.addAction(action)
        options_menu.addSeparator()
        options_menu.addAction(self.sandbox_secure_action)
        tools_menu = bar.addMenu(_("&Tools"))
        tools_menu.addAction(self.accounts_action)
        help_menu = bar.addMenu(_("&Help"))
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        toolbar = self.addToolBar(_("Main toolbar"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setMovable(False)
        toolbar.addAction(self.send_action)
        toolbar.addAction(self.cancel_send_action)
        toolbar.addSeparator()
        toolbar.addAction(self.attach_action)
        toolbar.addAction(self.save_action)
        toolbar.addSeparator()
        toolbar.addAction(self.new_action)
        toolbar.addAction(self.open_action)
        self.main_toolbar = toolbar

    def _build_status_bar(self) -> None:
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("sendProgress")
        self.progress_bar.setMaximumWidth(260)
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(0)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.hide()
        self.statusBar().addPermanentWidget(self.progress_bar)
        self.priority_label = QLabel(self)
        self.priority_label.setObjectName("priorityLabel")
        self.priority_label.hide()
        self.statusBar().addPermanentWidget(self.priority_label)
        self.server_label = QLabel(self)
        self.server_label.setObjectName("serverLabel")
        self.statusBar().addPermanentWidget(self.server_label)

    @property
    def controller(self) -> SendController:
        """The ``SendController`` running sends (built, and connected, on first use)."""
        if self._controller is None:
            from mailcomposer.ui.sendcontroller import SendController

            self._controller = SendController(self)
            self._connect_controller(self._controller)
        return self._controller

    def _connect_controller(self, c: SendController) -> None:
        c.event_batch.connect(self._on_controller_event_batch)
        c.progress.connect(self._on_controller_progress)
        c.succeeded.connect(self._on_controller_succeeded)
        c.failed.connect(self._on_controller_failed)
        c.cancelled.connect(self._on_controller_cancelled)
        c.finished.connect(self._on_controller_finished)

    def _set_tab_order(self) -> None:
        chain = [
            self.from_combo,
            self.to_field,
            self.cc_field,
            self.bcc_field,
            self.subject_field,
            self.editor,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        QWidget.setTabOrder(self.editor, self.attachments.view)

    # ------------------------------------------------------------------ layout memory

    def _restore_layout(self) -> None:
        geometry = self.ui_settings.bytes_value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(960, 760)
        state = self.ui_settings.bytes_value("window/state")
        restored = state is not None and self.restoreState(state)
        if not restored:
            # The body gets most of the height; the log a readable strip below it.
            self.resizeDocks([self.log_dock], [200], Qt.Orientation.Vertical)
        self.cc_button.setChecked(self.ui_settings.bool_value("fields/cc", False))
        self.bcc_button.setChecked(self.ui_settings.bool_value("fields/bcc", False))

    def save_layout(self) -> None:
        """Remember geometry, dock state and folded rows in ``ui.ini``."""
        self.ui_settings.set_value("window/geometry", QByteArray(self.saveGeometry()))
        self.ui_settings.set_value("window/state", QByteArray(self.saveState()))
        self.ui_settings.set_value("fields/cc", self.cc_button.isChecked())
        self.ui_settings.set_value("fields/bcc", self.bcc_button.isChecked())
        self.ui_settings.sync()

    def _set_row_visible(self, row: str, visible: bool) -> None:
        label, field = (
            (self.cc_label, self.cc_field) if row == "cc" else (self.bcc_label, self.bcc_field)
        )
        label.setVisible(visible)
        field.setVisible(visible)

    @Slot(bool)
    def _on_cc_button_toggled(self, checked: bool) -> None:
        self._set_row_visible("cc", checked or bool(self.cc_field.text()))
        if checked and self.isVisible():
            self.cc_field.setFocus()

    @Slot(bool)
    def _on_bcc_button_toggled(self, checked: bool) -> None:
        self._set_row_visible("bcc", checked or bool(self.bcc_field.text()))
        if checked and self.isVisible():
            self.bcc_field.setFocus()

    # ------------------------------------------------------------------ accounts

    def _account_store(self) -> Any:
        from mailcomposer.store.accounts import AccountStore

        return AccountStore(self.home)

    def _reload_accounts(self) -> None:
        """Fill the From combo with every identity of every account, then "Manage accounts…"."""
        store = self._account_store()
        accounts = store.accounts()
        default = store.default()
        if store.load_error:
            self.banner.show_text("warning", store.load_error)
        previous = self.from_combo.currentData()
        if previous is None or previous == MANAGE_ACCOUNTS:
            saved = self.ui_settings.settings.value("from/current")
            previous = tuple(saved) if isinstance(saved, list) and len(saved) == 2 else None
        self._accounts_cache = accounts
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
        self._on_account_changed()

    def current_account(self) -> Any:
        """Return the account of the selected From identity."""
        data = self.from_combo.currentData()
        if isinstance(data, tuple):
            for account in self._accounts_cache:
                if account.name == data[0]:
                    return account
        return self._account_store().default()

    def current_identity(self) -> Any:
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
            account = next((a for a in self._accounts_cache if a.name == data[0]), None)
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
            self.show_accounts()

    @Slot(int)
    def _on_from_combo_current_index_changed(self, index: int) -> None:
        if self.from_combo.itemData(index) == MANAGE_ACCOUNTS:
            return
        self._last_from_index = index
        data = self.from_combo.itemData(index)
        if isinstance(data, tuple):
            self.ui_settings.set_value("from/current", list(data))
        self._on_account_changed()
        if not self._loading:
            self.replace_signature()
        self._on_content_edited()

    def _on_account_changed(self) -> None:
        account = self.current_account()
        server = account.server
        if account.builtin_sandbox:
            where = _("local test server (messages stay on this computer)")
        else:
            security = {
                Security.NONE: _("no encryption"),
                Security.STARTTLS: "STARTTLS",
                Security.TLS: "TLS",
            }.get(server.security, str(server.security))
            where = f"{server.host}:{server.effective_port} ({security})"
        self.server_label.setText(where)
        self.attachments.set_size_limit(self.ui_settings.server_size_limit(account.name))

    @Slot()
    def _load_known_addresses(self) -> None:
        """Let the address fields read the history when the user first types an address."""
        cache: list[str] = []

        def source() -> list[str]:
            # Shared by the three fields: the history database is read once.
            if not cache:
                cache.extend(self.known_addresses())
            return cache

        for field in (self.to_field, self.cc_field, self.bcc_field):
            field.set_address_source(source)

    def known_addresses(self) -> list[str]:
        """Addresses used before (most used first), then the identities'."""
        addresses: list[str] = []
        try:
            from mailcomposer.store.history import History

            history = History(self.home)
            try:
                addresses.extend(history.addresses_used())
            finally:
                history.close()
        except Exception:  # a damaged history must not break typing; completion is optional
            pass
        for account in self._accounts_cache:
            addresses.extend(i.formatted() for i in account.identities)
        return addresses

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._warm_up_scheduled:
            # Not at once: the first paint would share the interpreter with the thread.
            self._warm_up_scheduled = True
            QTimer.singleShot(PRELOAD_DELAY_MS, self._start_preload)
            QTimer.singleShot(WARM_UP_DELAY_MS, self._warm_up)

    @Slot()
    def _start_preload(self) -> None:
        """Import the send modules on a thread while the user writes.

        ~100 ms of pure Python; the GUI thread still gets the interpreter back every
        switch interval (5 ms), so the event loop does not stall on it.
        """
        if self._preload is None:
            account = self.current_account()
            extra = []
            if account.builtin_sandbox:
                extra.append("mailcomposer.sandbox.server")  # asyncio, aiosmtpd
            elif account.server.username:
                extra.append("mailcomposer.store.credentials")  # keyring
            self._preload = threading.Thread(
                target=preload_send_modules,
                args=(tuple(extra),),
                name="mailcomposer-preload",
                daemon=True,
            )
            self._preload.start()

    @Slot()
    def _warm_up(self) -> None:
        """Build the Qt types the first logged line paints with, once the window is idle.

        Shiboken types are built on the GUI thread only (a second thread could race
        it); this is a single ~15 ms step, long before a user presses Send.
        """
        from PySide6.QtWidgets import QMessageBox

        warm_up_painting()
        QMessageBox.StandardButton  # noqa: B018  (the "Message sent" box: its type, built)
        self.controller  # noqa: B018  (built here, not by the first Send)

    def _wait_for_preload(self) -> None:
        """Let the background imports finish (they are usually long done)."""
        if self._preload is not None:
            self._preload.join()

    # ------------------------------------------------------------------ the draft

    def current_draft(self) -> Draft:
        """Return the message as the widgets show it."""
        identity = self.current_identity()
        text, html, images = self.editor.body()
        return Draft(
            from_addr=identity.formatted() if identity else "",
            to=self.to_field.text(),
            cc=self.cc_field.text(),
            bcc=self.bcc_field.text(),
            reply_to=getattr(identity, "reply_to", "") if identity else "",
            subject=self.subject_field.text(),
            text=text,
            html=html,
            inline_images=list(images),
            attachments=self.attachments.model.attachments(),
            priority=self._priority,
            message_id=self._message_id,
        )

    def load_draft(self, draft: Draft, *, modified: bool = False) -> None:
        """Show ``draft`` in the widgets (replacing everything)."""
        self._loading = True
        try:
            if draft.from_addr and not self.select_identity(draft.from_addr):
                self.statusBar().showMessage(
                    _(
                        "The sender {address} is not one of your identities; sending as {me}."
                    ).format(address=draft.from_addr, me=self.from_combo.currentText()),
                    STATUS_TIMEOUT_MS,
                )
            self.to_field.setText(draft.to)
            self.cc_field.setText(draft.cc)
            self.bcc_field.setText(draft.bcc)
            self.subject_field.setText(draft.subject)
            self.editor.set_body(draft.text, draft.html, list(draft.inline_images))
            self.attachments.model.set_attachments(draft.attachments)
            self._message_id = draft.message_id
            self.set_priority(draft.priority)
            # A restored draft or opened file keeps the signature it has: find it, so
            # a From change replaces it instead of adding a second one.
            self._mark_signature_by_text()
            self._set_row_visible("cc", self.cc_button.isChecked() or bool(draft.cc))
            self._set_row_visible("bcc", self.bcc_button.isChecked() or bool(draft.bcc))
        finally:
            self._loading = False
        self.editor.document().setModified(False)
        self.setWindowModified(modified)
        self._update_title()

    def clear_message(self) -> None:
        """Empty every field (the From identity stays) and add the identity's signature."""
        self.load_draft(Draft(html=None if self.editor.plain_text_mode else ""))
        self.start_with_signature()
        self.banner.hide()
        self.to_field.setFocus()

    @Slot()
    def _on_content_edited(self) -> None:
        if self._loading:
            return
        self.setWindowModified(True)
        now = time.monotonic()
        if not self._autosave_timer.isActive():
            self._first_unsaved_edit = now
        elif now - self._first_unsaved_edit > AUTOSAVE_MAX_DELAY_S:
            # Someone typing without pause would otherwise postpone the save forever.
            self.autosave()
            return
        self._autosave_timer.start()

    @Slot()
    def _on_autosave_timer_timeout(self) -> None:
        self.autosave()

    def autosave(self) -> bool:
        """Save the draft (removing the file when the message is empty); False on failure.

        The snapshot is taken here; the write + fsync run on the draft writer thread,
        which reports back through ``draft_saved`` or a status bar message.
        """
        self._autosave_timer.stop()
        draft = self.current_draft()
        if self._is_blank(draft):
            try:
                self.drafts.clear()
            except OSError as exc:
                self._on_draft_write_failed(_reason(exc))
                return False
            self.draft_saved.emit()
            return True
        self.drafts.save_later(
            draft,
            on_error=lambda exc: self._draft_write_failed.emit(_reason(exc)),
            on_done=self._draft_written.emit,
        )
        return True

    @Slot()
    def _on_draft_written(self) -> None:
        self.draft_saved.emit()

    @Slot(str)
    def _on_draft_write_failed(self, error: str) -> None:
        self.statusBar().showMessage(
            _("Could not save the draft: {error}").format(error=error), STATUS_TIMEOUT_MS
        )

    def _write_draft_now(self) -> bool:
        """Write the draft synchronously (explicit save); True on success."""
        self._autosave_timer.stop()
        draft = self.current_draft()
        try:
            if self._is_blank(draft):
                self.drafts.clear()
            else:
                self.drafts.save(draft)
        except OSError as exc:
            self._on_draft_write_failed(_reason(exc))
            return False
        self.draft_saved.emit()
        return True

    def _is_blank(self, draft: Draft) -> bool:
        """True when ``draft`` holds nothing but (at most) the signature the app added."""
        if draft.is_empty():
            return True
        if not self._signature_texts or draft.to or draft.cc or draft.bcc or draft.subject:
            return False
        if draft.attachments or draft.inline_images:
            return False
        body = [
            b.text() for b in self._blocks() if not b.blockFormat().hasProperty(SIGNATURE_PROPERTY)
        ]
        return not "".join(body).strip()

    @Slot()
    def save_draft(self) -> bool:
        """Save the draft explicitly (Ctrl+S): the window is no longer "modified"."""
        if self._write_draft_now():
            self.setWindowModified(False)
            self.editor.document().setModified(False)
            self.statusBar().showMessage(_("Draft saved."), STATUS_TIMEOUT_MS)
            return True
        return False

    def is_dirty(self) -> bool:
        """True when closing would throw away edits the user did not save."""
        return self.isWindowModified() and not self._is_blank(self.current_draft())

    # ------------------------------------------------------------------ priority

    def set_priority(self, priority: Priority) -> None:
        """Show ``priority`` in the Options menu and the status bar."""
        self._priority = Priority(priority)
        self.priority_actions[self._priority].setChecked(True)
        text = {
            Priority.HIGH: _("High priority"),
            Priority.LOW: _("Low priority"),
        }.get(self._priority, "")
        self.priority_label.setText(text)
        # Red and bold for high, as mail clients mark it; the words carry it without colour.
        high = self._priority == Priority.HIGH
        self.priority_label.setStyleSheet(
            "QLabel { color: #b3261e; font-weight: bold; margin-right: 12px; }"
            if high
            else "QLabel { margin-right: 12px; }"
        )
        self.priority_label.setVisible(bool(text))

    def priority(self) -> Priority:
        """The priority the message will be sent with."""
        return self._priority

    @Slot(QAction)
    def _on_priority_group_triggered(self, action: QAction) -> None:
        priority = Priority(action.data())
        if priority != self._priority:
            self.set_priority(priority)
            self._on_content_edited()

    # ------------------------------------------------------------------ signature

    def _blocks(self) -> list[Any]:
        return _iter_blocks(self.editor.document())

    def signature_block_texts(self, identity: Any = None) -> list[str]:
        """The lines the signature of ``identity`` (default: the selected one) shows as."""
        identity = identity if identity is not None else self.current_identity()
        signature = getattr(identity, "signature", "") or ""
        if not signature.strip():
            return []
        if getattr(identity, "signature_is_html", False):
            scratch = QTextDocument()
            scratch.setHtml(signature)
            lines = [b.text() for b in _iter_blocks(scratch)]
        else:
            lines = signature.replace("\r\n", "\n").split("\n")
        while lines and not lines[-1].strip():
            lines.pop()
        return [SIGNATURE_DELIMITER, *lines] if lines else []

    def start_with_signature(self) -> None:
        """Give a new message the selected identity's signature (not undoable)."""
        doc = self.editor.document()
        was_loading, self._loading = self._loading, True
        doc.setUndoRedoEnabled(False)
        try:
            self.insert_signature()
        finally:
            doc.setUndoRedoEnabled(True)
            self._loading = was_loading
        doc.setModified(False)
        self.editor.moveCursor(QTextCursor.MoveOperation.Start)

    def insert_signature(self) -> None:
        """Append the selected identity's signature, below the ``-- `` line."""
        identity = self.current_identity()
        texts = self.signature_block_texts(identity)
        if not texts:
            self._signature_texts = []
            return
        signature = identity.signature
        is_html = identity.signature_is_html and not self.editor.plain_text_mode
        doc = self.editor.document()
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        first = cursor.blockNumber()
        cursor.insertText(SIGNATURE_DELIMITER)
        if is_html:
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            cursor.insertHtml(signature)
        else:
            for line in texts[1:]:
                cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
                cursor.insertText(line)
        last = cursor.blockNumber()
        mark = QTextBlockFormat()
        mark.setProperty(SIGNATURE_PROPERTY, True)
        inserted = []
        for number in range(first, last + 1):
            block = doc.findBlockByNumber(number)
            QTextCursor(block).mergeBlockFormat(mark)
            inserted.append(block.text())
        cursor.endEditBlock()
        self._signature_texts = inserted

    def remove_signature(self) -> None:
        """Remove the signature the app inserted; text the user typed in it stays."""
        allowed = set(self._signature_texts)
        doc = self.editor.document()
        runs: list[list[Any]] = []
        previous = -2
        for block in self._blocks():
            if not block.blockFormat().hasProperty(SIGNATURE_PROPERTY):
                continue
            if block.text() not in allowed:
                # Typed by the user inside the signature (Enter keeps the block format).
                cursor = QTextCursor(block)
                fmt = block.blockFormat()
                fmt.clearProperty(SIGNATURE_PROPERTY)
                cursor.setBlockFormat(fmt)
                previous = -2
                continue
            if block.blockNumber() == previous + 1 and runs:
                runs[-1].append(block)
            else:
                runs.append([block])
            previous = block.blockNumber()
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        for run in reversed(runs):
            first, last = run[0], run[-1]
            start = first.position() - 1 if first.blockNumber() > 0 else first.position()
            end = last.position() + last.length() - 1
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            if first.blockNumber() == 0:
                cursor.setBlockFormat(QTextBlockFormat())
        cursor.endEditBlock()
        self._signature_texts = []

    def replace_signature(self) -> None:
        """Swap the inserted signature for the selected identity's (or just remove it)."""
        editor = self.editor
        saved = editor.textCursor()
        anchor, position = saved.anchor(), saved.position()
        self.remove_signature()
        self.insert_signature()
        end = editor.document().characterCount() - 1
        cursor = editor.textCursor()
        cursor.setPosition(min(anchor, end))
        cursor.setPosition(min(position, end), QTextCursor.MoveMode.KeepAnchor)
        editor.setTextCursor(cursor)

    @Slot(bool)
    def _on_editor_plain_text_mode_changed(self, _plain: bool) -> None:
        if not self.has_signature():
            self._mark_signature_by_text()

    def has_signature(self) -> bool:
        """True when the body holds a signature the app inserted (or recognised)."""
        return any(b.blockFormat().hasProperty(SIGNATURE_PROPERTY) for b in self._blocks())

    def _mark_signature_by_text(self) -> None:
        """Find the selected identity's signature at the end of a loaded body and mark it."""
        self._signature_texts = []
        texts = self.signature_block_texts()
        if not texts:
            return
        blocks = self._blocks()
        while blocks and not blocks[-1].text().strip():
            blocks.pop()
        if len(blocks) < len(texts):
            return
        tail = blocks[-len(texts) :]
        if [b.text().rstrip() for b in tail] != [t.rstrip() for t in texts]:
            return
        mark = QTextBlockFormat()
        mark.setProperty(SIGNATURE_PROPERTY, True)
        for block in tail:
            QTextCursor(block).mergeBlockFormat(mark)
        self._signature_texts = [b.text() for b in tail]

    @Slot()
    def _update_title(self) -> None:
        subject = self.subject_field.text().strip() or _("New message")
        self.setWindowTitle(f"{subject}[*] — mailcomposer")

    # ------------------------------------------------------------------ files

    @Slot()
    def new_message(self) -> None:
        """Start a new message, asking first if the current one has unsaved edits."""
        self.replace_message(self._start_blank)

    def _start_blank(self) -> None:
        self.clear_message()
        self.drafts.clear()

    def replace_message(self, load: Callable[[], object]) -> None:
        """Run ``load``, which replaces the message, once the current one is safe.

        With unsaved edits the user is asked first: save them as an .eml file,
        discard them, or cancel (then ``load`` never runs). Nothing happens during a
        send. New message, Open .eml and the outbox all come through here, so none
        of them can silently drop the message being written.
        """
        if self.is_sending():
            return
        if self._pending_question is not None:
            self._pending_question.raise_()  # one question at a time
            return
        if not self.is_dirty():
            self._replace_saved_message(load)
            return
        self._ask_unsaved(lambda choice: self._after_unsaved_for_replace(choice, load))

    def _replace_saved_message(self, load: Callable[[], object]) -> None:
        """Replace a message whose edits are all saved: its only copy is the draft slot.

        Restored at start or saved with Ctrl+S, the message lives in the autosave
        slot, which the next message takes: it is kept aside first and offered in
        the banner (and at the next start), so nothing is dropped without a word.
        """
        kept = None
        if not self._is_blank(self.current_draft()):
            try:
                kept = self.drafts.keep_aside()
            except OSError as exc:
                self._show_error_banner(
                    _("The message was not replaced: its draft could not be kept ({error}).")
                    .format(error=_reason(exc))
                )  # fmt: skip
                return
        load()
        if kept is not None:
            self.offer_kept_draft(kept)

    def _after_unsaved_for_replace(self, choice: str, load: Callable[[], object]) -> None:
        from PySide6.QtWidgets import QFileDialog

        if choice == "cancel":
            return
        if choice == "save":
            # One autosave slot: a kept draft must leave as a file before the slate is wiped.
            name = (self.subject_field.text().strip() or "message").replace("/", "_")[:60]
            path, _filter = QFileDialog.getSaveFileName(
                self, _("Save message as"), name + ".eml", _("E-mail messages (*.eml)")
            )
            if not path or not self.save_eml(path):
                return
        load()

    @Slot()
    def choose_eml_to_open(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _filter = QFileDialog.getOpenFileName(
            self, _("Open message"), "", _("E-mail messages (*.eml);;All files (*)")
        )
        if path:
            self.replace_message(lambda: self.open_eml(path))

    def open_eml(self, path: str | Path) -> bool:
        """Load an .eml file into the composer; True on success."""
        from mailcomposer.message.eml import read_eml

        try:
            draft = read_eml(Path(path))
        except (OSError, ValueError) as exc:
            self._show_error_banner(
                _("Could not open {path}: {error}").format(path=path, error=_reason(exc))
            )
            return False
        draft.message_id = None  # a reopened message is a new message
        self.load_draft(draft, modified=True)
        self.statusBar().showMessage(
            _("Opened {name}.").format(name=Path(path).name), STATUS_TIMEOUT_MS
        )
        self._autosave_timer.start()
        return True

    @Slot()
    def choose_eml_to_save(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        name = (self.subject_field.text().strip() or "message").replace("/", "_")[:60] + ".eml"
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save message as"), name, _("E-mail messages (*.eml)")
        )
        if path:
            self.save_eml(path)

    def save_eml(self, path: str | Path) -> bool:
        """Build the message and write it as an .eml file (Bcc kept, as in a sent copy)."""
        built = self._build_or_mark()
        if built is None:
            return False
        from mailcomposer.message.eml import write_eml

        try:
            write_eml(built, Path(path))
        except OSError as exc:
            self._show_error_banner(
                _("Could not save {path}: {error}").format(path=path, error=_reason(exc))
            )
            return False
        self.statusBar().showMessage(
            _("Saved {name}.").format(name=Path(path).name), STATUS_TIMEOUT_MS
        )
        return True

    @Slot()
    def choose_attachments(self) -> None:
        if not self.is_sending():
            self.attachments.choose_files()

    @Slot(list)
    def _on_editor_files_dropped(self, paths: list) -> None:
        if not self.is_sending():
            self.attachments.model.add_files(paths)

    def _accepts_drop(self, event) -> bool:
        # The model decides (it is read-only while a send runs), as for the list.
        return self.attachments.model.canDropMimeData(
            event.mimeData(), event.dropAction(), -1, -1, QModelIndex()
        )

    def dragEnterEvent(self, event) -> None:
        if self._accepts_drop(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        if not self._accepts_drop(event):
            event.ignore()
            return
        added = self.attachments.model.add_files(local_files(event.mimeData()))
        event.acceptProposedAction()
        self.statusBar().showMessage(_("Attached {n} files.").format(n=added), STATUS_TIMEOUT_MS)

    # ------------------------------------------------------------------ edit menu

    def _edit(self, method: str) -> Callable[[], None]:
        def run() -> None:
            widget = QApplication.focusWidget()
            if isinstance(widget, QLineEdit | QTextEdit):
                getattr(widget, method)()

        return run

    @Slot("QWidget*", "QWidget*")
    def _on_app_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        self._update_edit_actions()

    @Slot()
    def _update_edit_actions(self) -> None:
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

    # ------------------------------------------------------------------ sending

    def _field_widget(self, field: str | None) -> QWidget:
        return {
            "to": self.to_field,
            "cc": self.cc_field,
            "bcc": self.bcc_field,
            "from": self.from_combo,
            "from_addr": self.from_combo,
            "reply_to": self.from_combo,
            "subject": self.subject_field,
            "attachment": self.attachments.view,
            "attachments": self.attachments.view,
        }.get(field or "", self.editor)

    def _mark_input_error(self, field: str | None, message: str) -> None:
        widget = self._field_widget(field)
        if isinstance(widget, AddressField):
            widget.mark_error(message)
            if widget in (self.cc_field, self.bcc_field):
                self._set_row_visible("cc" if widget is self.cc_field else "bcc", True)
        if widget is self.attachments.view and not widget.isVisible():
            widget = self.editor
        widget.setFocus()
        self._show_error_banner(message)
        self.statusBar().showMessage(message, STATUS_TIMEOUT_MS)

    def _show_error_banner(self, message: str) -> None:
        self.banner.show_message("error", _escape(message))

    def _build_or_mark(self) -> Any:
        """Build the message from the widgets; on bad input mark the field and return None."""
        for field in (self.to_field, self.cc_field, self.bcc_field):
            problems = field.problems()
            if problems:
                self._mark_input_error(field.field_name, problems[0])
                return None
        from mailcomposer.message.mime import build_message

        draft = self.current_draft()
        try:
            return build_message(draft)
        except InputError as exc:
            self._mark_input_error(exc.field, exc.message)
            return None

    def is_sending(self) -> bool:
        return self._controller is not None and self._controller.is_running()

    @Slot()
    def send(self) -> bool:
        """Validate, build and start sending; False if nothing was started."""
        if self.is_sending():
            return False
        # No join of the preload thread: an import it is running holds that module's
        # lock, so this thread waits for that one module only, then shares the work.
        self.banner.hide()
        built = self._build_or_mark()
        if built is None:
            return False
        account = self.current_account()
        try:
            settings, secret = self._connection_for(account)
        except _Abort:
            return False
        except (OSError, RuntimeError) as exc:
            self._show_error_banner(
                _("The local test server could not start: {error}").format(error=exc)
            )
            return False
        self._message_id = built.message_id
        self.last_result = self.last_error = None
        self._send_account = account
        from mailcomposer.ui.sendworker import SendJob

        job = SendJob(self.home, settings, secret, built, account.name)
        self.autosave()
        self._set_sending(True)
        self.statusBar().showMessage(
            _("Sending to {server}…").format(server=self.server_label.text())
        )
        self.controller.start(job)
        return True

    def _connection_for(self, account: Any) -> tuple[Any, Any]:
        """Return the server settings and secret for ``account`` (asking for a password)."""
        if account.builtin_sandbox:
            sandbox = self.ensure_sandbox()
            return sandbox.settings(), sandbox.secret()
        settings = account.server
        try:
            from mailcomposer.store.pins import PinStore, settings_with_pin

            settings = settings_with_pin(settings, PinStore(self.home))
        except ImportError:
            pass
        if not settings.username:
            return settings, None
        secret = self._session_secrets.get(account.name)
        if secret is None:
            credentials = self.credentials()
            secret = credentials.get(account.name, settings.username) or credentials.get(
                account.name
            )
        if secret is None:
            secret = self.ask_password(account)
            if secret is None:
                raise _Abort
        self._session_secrets[account.name] = secret
        return settings, secret

    def credentials(self) -> Any:
        """The one ``Credentials`` of this window (its session-only memory must persist)."""
        if self._credentials is None:
            from mailcomposer.store.credentials import Credentials

            self._credentials = Credentials()
        return self._credentials

    def _ask_password_dialog(self, account: Any) -> Any:
        from mailcomposer.ui.passworddialog import ask_password

        return ask_password(account.name, account.server.username, self.credentials(), self)

    def ensure_sandbox(self) -> Any:
        """Start the built-in local server on a free port (first use only); return it.

        With *Options → Local test server: encryption and login* it offers STARTTLS
        (with its own certificate, which the built-in account trusts) and requires a
        login with a password made for this run, so the log shows the whole modern
        exchange: STARTTLS, the TLS start, EHLO again, AUTH.
        """
        if self._sandbox is None:
            from mailcomposer.sandbox.server import SandboxServer

            secure = self.sandbox_secure_action.isChecked()
            auth = None
            if secure:
                import secrets

                auth = (SANDBOX_LOGIN, secrets.token_urlsafe(12))
            self._sandbox = SandboxServer(self.home.sandbox_maildir, tls=secure, auth=auth).start()
        return self._sandbox

    @Slot(bool)
    def _on_sandbox_secure_action_toggled(self, secure: bool) -> None:
        self.ui_settings.set_value(SANDBOX_SECURE_KEY, secure)
        if not self.is_sending():
            self.stop_sandbox()  # the next send starts it the new way
        self.statusBar().showMessage(
            _("The local test server now uses encryption (STARTTLS) and a login.")
            if secure
            else _("The local test server now talks in plain text, without a login."),
            STATUS_TIMEOUT_MS,
        )

    def stop_sandbox(self) -> None:
        if self._sandbox is not None:
            sandbox, self._sandbox = self._sandbox, None
            sandbox.stop()

    def _set_sending(self, sending: bool) -> None:
        if sending:
            # Its list would show the message being sent as interrupted, and let it go.
            for dialog in self.findChildren(QWidget, "outboxDialog"):
                dialog.close()
        for field in (self.to_field, self.cc_field, self.bcc_field, self.subject_field):
            field.setReadOnly(sending)
        self.editor.setReadOnly(sending)
        self.format_bar.setEnabled(not sending)
        self.from_combo.setEnabled(not sending)
        self.attachments.model.set_read_only(sending)
        for action in (
            self.send_action, self.attach_action, self.new_action, self.open_action,
            self.outbox_action,
        ):  # fmt: skip
            action.setEnabled(not sending)
        self.cancel_send_action.setEnabled(sending)
        self.progress_bar.setVisible(sending)
        if sending:
            self.progress_bar.setValue(0)
            self.progress_bar.setFormat(_("Connecting…"))
        self._update_edit_actions()

    @Slot()
    def cancel_send(self) -> None:
        if self.is_sending():
            self.statusBar().showMessage(_("Cancelling…"))
            self.controller.cancel()

    @Slot(tuple)
    def _on_controller_event_batch(self, events: tuple) -> None:
        self.log_dock.append_events(events)
        account = self._send_account
        for event in events:
            match = _SIZE_LINE.match(getattr(event, "text", ""))
            if match and account is not None and getattr(event, "code", None) == 250:
                limit = int(match.group(1))
                self.ui_settings.set_server_size_limit(account.name, limit)
                if account.name == self.current_account().name:
                    self.attachments.set_size_limit(limit)

    @Slot("qlonglong", "qlonglong")
    def _on_controller_progress(self, sent: int, total: int) -> None:
        if total <= 0:
            return
        self.progress_bar.setValue(min(1000, sent * 1000 // total))
        self.progress_bar.setFormat(
            _("{sent} of {total}").format(sent=human_size(sent), total=human_size(total))
        )

    @Slot(object)
    def _on_controller_succeeded(self, result: SendResult) -> None:
        self.last_result = result
        self._message_id = None
        self._load_known_addresses()  # the history now holds these recipients too
        self._autosave_timer.stop()
        self.drafts.clear()
        self._forget_outbox_copies(result.message_id)
        self.setWindowModified(False)
        self.editor.document().setModified(False)
        self.statusBar().showMessage(
            _("Message sent ({message_id}).").format(message_id=result.message_id)
        )
        if result.refused:
            self._show_partial_refusal(result)
        else:
            self._offer_new_message(result)

    def _show_partial_refusal(self, result: SendResult) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = self._message_box(
            QMessageBox.Icon.Warning,
            _("Sent, but not to everyone"),
            _("The server accepted the message for some recipients only."),
            "partialRefusalDialog",
        )
        lines = [_("Delivered to:")]
        lines += [f"  • {address}" for address in result.accepted]
        lines.append(_("Not delivered to:"))
        lines += [f"  • {r.address}: {r.code} {r.text}" for r in result.refused]
        box.setInformativeText("\n".join(lines))
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.open()

    def _offer_new_message(self, result: SendResult) -> None:
        from PySide6.QtWidgets import QMessageBox

        text = _("Message sent — start a new message?")
        details = [_("Message-ID: {message_id}").format(message_id=result.message_id)]
        details += list(result.warnings)
        box = self._message_box(QMessageBox.Icon.Information, _("Message sent"), text, "sentDialog")
        box.setInformativeText("\n".join(details))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText(_("New message"))
        box.button(QMessageBox.StandardButton.No).setText(_("Keep this one"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.finished.connect(self._on_sent_dialog_finished)
        box.show()

    @Slot(int)
    def _on_sent_dialog_finished(self, result: int) -> None:
        from PySide6.QtWidgets import QMessageBox

        if result == QMessageBox.StandardButton.Yes and not self.is_sending():
            self.new_message()  # asks first if the user already edited since the send

    @Slot(object)
    def _on_controller_failed(self, error: SendError) -> None:
        from PySide6.QtWidgets import QMessageBox

        from mailcomposer.smtp.errors import ExitCode

        self.last_error = error
        if error.exit_code == ExitCode.AUTH and self._send_account is not None:
            # A rejected password must not be retried silently: ask again next time.
            self._session_secrets.pop(self._send_account.name, None)
        if error.exit_code != ExitCode.UNKNOWN:
            # Not delivered: a resend is a new attempt and may get a new Message-ID.
            self._message_id = None
        self.autosave()
        headline, details = describe_failure(error)
        self.statusBar().showMessage(headline, STATUS_TIMEOUT_MS)
        link = f' <a href="log">{_escape(_("Show the protocol log"))}</a>'
        self.banner.show_message("error", f"<b>{_escape(headline)}</b><br>{_escape(details)}{link}")
        if error.field:
            self._field_widget(error.field).setFocus()
        certificate = getattr(error, "certificate", None)
        if certificate is not None and self._offer_certificate(certificate):
            return
        box = self._message_box(
            QMessageBox.Icon.Critical, _("Not sent"), headline, "sendFailedDialog"
        )
        box.setInformativeText(details)
        if error.detail:
            box.setDetailedText(error.detail)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.open()

    def _offer_certificate(self, info: Any) -> bool:
        try:
            from mailcomposer.store.pins import PinStore
            from mailcomposer.ui.certdialog import CertificateDialog
        except ImportError:
            return False
        account = self._send_account
        pins = PinStore(self.home)
        host = account.server.host if account is not None else getattr(info, "host", "")
        port = account.server.effective_port if account is not None else getattr(info, "port", 0)
        previous = pins.pin_for(host, port)
        dialog = CertificateDialog(
            info, self, previous_sha256=previous.sha256 if previous else None
        )

        def done(result: int) -> None:
            if dialog.trusted:
                pins.trust(info, host, port)
                self.banner.show_message(
                    "info", _escape(_("Certificate trusted. Press Send to try again."))
                )

        dialog.finished.connect(done)
        self._dialogs.append(dialog)
        dialog.open()
        return True

    @Slot()
    def _on_controller_cancelled(self) -> None:
        self._message_id = None
        self.autosave()
        message = _("Sending cancelled. Nothing was delivered; your message is kept.")
        self.statusBar().showMessage(message, STATUS_TIMEOUT_MS)
        self.banner.show_message("warning", _escape(message))

    @Slot()
    def _on_controller_finished(self) -> None:
        self._set_sending(False)
        sandbox = self._sandbox
        if sandbox is not None and sandbox.tls != self.sandbox_secure_action.isChecked():
            self.stop_sandbox()  # the mode was changed during the send
        if self._close_after_send:
            self._close_after_send = False
            self._force_close = True
            self.close()

    def _message_box(self, kind: QMessageBox.Icon, title: str, text: str, name: str) -> QMessageBox:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(kind, title, text, QMessageBox.StandardButton.NoButton, self)
        box.setObjectName(name)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return box

    # ------------------------------------------------------------------ banner links

    @Slot(str)
    def _on_banner_link_activated(self, href: str) -> None:
        if href == "log":
            self.log_dock.show()
            self.log_dock.raise_()
        elif href == "outbox":
            self.show_outbox()
        elif href == "kept-draft" and self._kept_draft is not None:
            kept = self._kept_draft
            self.replace_message(lambda: self.open_kept_draft(kept))

    def load_argument(self, argument: str) -> bool:
        """Load a ``mailto:`` URL or an .eml path; False (with an error banner) if unusable."""
        if not argument.lower().startswith("mailto:"):
            return self.open_eml(argument)
        from mailcomposer.message.mailto import parse_mailto

        try:
            draft = parse_mailto(argument)
        except ValueError as exc:
            self.banner.show_text(
                "error", _("Could not read the mailto link: {error}").format(error=exc)
            )
            return False
        self.load_draft(draft, modified=True)
        # A mailto: link starts a new message: it gets the signature as one would.
        self.start_with_signature()
        self.setWindowModified(True)
        self._autosave_timer.start()  # kept like a typed message, as open_eml does
        return True

    @Slot(list)
    def open_from_another_start(self, arguments: list) -> None:
        """Another start of the app passed its arguments here: come forward, open them."""
        if self.isMinimized():
            self.showNormal()
        else:
            self.show()
        self.raise_()
        self.activateWindow()
        argument = initial_argument(arguments)
        if argument:
            self.replace_message(lambda: self.load_argument(argument))

    def offer_kept_draft(self, path: Path) -> None:
        """Say that the draft in progress was kept aside at ``path``, with a link to it."""
        self._kept_draft = path
        text = _escape(
            _("The message you were writing before is kept; this one did not replace it.")
        )
        link = _escape(_("Open the earlier message"))
        self.banner.show_message("info", f'{text} <a href="kept-draft">{link}</a>')

    def open_kept_draft(self, path: Path) -> bool:
        """Load the draft kept aside at ``path`` (it then lives in the autosave slot)."""
        draft = self.drafts.load(path)
        if draft is None:
            self._show_error_banner(
                self.drafts.load_error or _("The earlier message is no longer there.")
            )
            self._kept_draft = None
            return False
        self.load_draft(draft, modified=True)
        if not self._write_draft_now():
            return True  # shown and autosaving; the kept file stays until a save works
        path.unlink(missing_ok=True)
        self._kept_draft = None
        self.banner.hide()
        self.statusBar().showMessage(_("Opened the earlier message."), STATUS_TIMEOUT_MS)
        return True

    # ------------------------------------------------------------------ other windows

    @Slot()
    def show_mime_structure(self) -> None:
        """Build the message and open it in the MIME inspector."""
        built = self._build_or_mark()
        if built is None:
            return
        from mailcomposer.ui.mimeview import MimeViewDialog

        raw = built.sent_copy_bytes() if hasattr(built, "sent_copy_bytes") else b""
        if not raw:
            raw = built.wire().to_bytes()
        dialog = MimeViewDialog(raw, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def check_outbox(self) -> int:
        """Tell (in the banner, if it is free) when earlier sends left messages behind.

        Returns how many messages the outbox holds. Cheap at start-up: it only
        counts files.
        """
        try:
            count = sum(1 for _path in self.home.outbox.glob("*.json"))
        except OSError:
            return 0
        if count and self.banner.isHidden():
            text = _escape(
                _(
                    "Messages from an earlier send may not have been delivered ({n} in the outbox)."
                ).format(n=count)
            )
            link = _escape(_("Review the outbox"))
            self.banner.show_message("warning", f'{text} <a href="outbox">{link}</a>')
        return count

    @Slot()
    def show_outbox(self) -> None:
        """Open the outbox window (messages whose sending was cut short)."""
        from mailcomposer.ui.outboxdialog import OutboxDialog

        if self.is_sending():
            return
        dialog = OutboxDialog(self.home, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open_requested.connect(self._on_outbox_dialog_open_requested)
        dialog.show()

    @Slot(object)
    def _on_outbox_dialog_open_requested(self, entry: Any) -> None:
        from shiboken6 import isValid

        dialog = self.sender()

        def reopen() -> None:
            # The question about the current message may outlive the outbox window.
            if self.open_outbox_entry(entry) and isValid(dialog):
                dialog.refresh()

        self.replace_message(reopen)

    def open_outbox_entry(self, entry: Any) -> bool:
        """Reopen an outbox message in the composer, with its Message-ID and Bcc.

        It then lives in the autosave slot; the outbox copy (the exact message, with
        headers the composer does not edit) stays until a resend is accepted or the
        user deletes it. A resend carries the same Message-ID, so a recipient's
        server or client can recognise a duplicate.
        """
        from email.utils import getaddresses

        from mailcomposer.message.eml import read_eml

        try:
            draft = read_eml(entry.path)
        except (OSError, ValueError) as exc:
            self._show_error_banner(
                _("Could not open {path}: {error}").format(path=entry.path, error=_reason(exc))
            )
            return False
        draft.message_id = entry.message_id or None
        # The copy carries no Bcc header: the envelope remembers those recipients.
        shown = {addr.lower() for _name, addr in getaddresses([draft.to, draft.cc])}
        hidden = [rcpt for rcpt in entry.recipients if rcpt.lower() not in shown]
        if hidden and not draft.bcc:
            draft.bcc = ", ".join(hidden)
        self.load_draft(draft, modified=True)
        self._write_draft_now()
        if self.banner.kind == "warning" and 'href="outbox"' in self.banner.text():
            self.banner.hide()
        self.statusBar().showMessage(
            _(
                "Reopened from the outbox; sending it again keeps its Message-ID, and the "
                "outbox copy goes once it is sent."
            ),
            STATUS_TIMEOUT_MS,
        )
        return True

    def _forget_outbox_copies(self, message_id: str) -> None:
        """Remove outbox copies of a message the server has now accepted (a resend)."""
        if not message_id or not any(self.home.outbox.glob("*.json")):
            return
        from mailcomposer.store.outbox import Outbox

        outbox = Outbox(self.home)
        for entry in outbox.pending():
            if entry.message_id.strip("<>") == message_id.strip("<>"):
                outbox.remove(entry.id)

    @Slot()
    def show_sandbox_inbox(self) -> None:
        from mailcomposer.ui.inbox import SandboxInboxDialog

        dialog = SandboxInboxDialog(self.home.sandbox_maildir, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    @Slot()
    def show_accounts(self) -> None:
        from mailcomposer.ui.accountdialog import AccountDialog

        dialog = AccountDialog(self._account_store(), self.credentials(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accounts_changed.connect(self._on_account_dialog_accounts_changed)
        dialog.finished.connect(self._on_account_dialog_finished)
        dialog.open()

    @Slot()
    def _on_account_dialog_accounts_changed(self) -> None:
        self._reload_accounts()
        self._refresh_signature()

    @Slot(int)
    def _on_account_dialog_finished(self, result: int) -> None:
        self._reload_accounts()
        self._refresh_signature()

    def _refresh_signature(self) -> None:
        """After an account edit: show the identity's signature as it is now."""
        if self.has_signature() and self.signature_block_texts() != self._signature_texts:
            self.replace_signature()
        self._load_known_addresses()

    @Slot()
    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = self._message_box(
            QMessageBox.Icon.NoIcon, _("About mailcomposer"), "<b>mailcomposer</b>", "aboutDialog"
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

    # ------------------------------------------------------------------ closing

    def _ask_unsaved(self, then: Callable[[str], None]) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = self._message_box(
            QMessageBox.Icon.Question,
            _("Unsaved message"),
            _("This message has changes that are not saved as a draft."),
            "unsavedDialog",
        )
        box.setInformativeText(_("Save it as a draft to continue later?"))
        box.setStandardButtons(
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        box.button(QMessageBox.StandardButton.Save).setText(_("Save draft"))
        box.button(QMessageBox.StandardButton.Discard).setText(_("Discard"))
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)

        def finished(_result: int) -> None:
            self._pending_question = None
            button = box.standardButton(box.clickedButton())
            choice = {
                QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard",
            }.get(button, "cancel")
            then(choice)

        box.finished.connect(finished)
        self._pending_question = box
        box.open()

    def _after_unsaved_for_close(self, choice: str) -> None:
        if choice == "cancel":
            return
        if choice == "save":
            if not self.save_draft():
                return
        else:
            self._autosave_timer.stop()
            self.drafts.clear()
        self._force_close = True
        self.close()

    def _ask_close_during_send(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = self._message_box(
            QMessageBox.Icon.Question,
            _("Sending in progress"),
            _("A message is being sent. Cancel it and close?"),
            "closeDuringSendDialog",
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText(_("Cancel sending and close"))
        box.button(QMessageBox.StandardButton.No).setText(_("Keep sending"))
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def finished(_result: int) -> None:
            self._pending_question = None
            if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes:
                if self.is_sending():
                    self._close_after_send = True
                    self.controller.cancel()
                else:
                    self.close()

        box.finished.connect(finished)
        self._pending_question = box
        box.open()

    def pending_question(self) -> QMessageBox | None:
        """The open close/discard question, if any (tests answer it)."""
        return self._pending_question

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_sending():
            event.ignore()
            if self._force_close or self._close_after_send:
                return  # already cancelling; close() again once the worker has finished
            if self._pending_question is None:
                self._ask_close_during_send()
            return
        if not self._force_close and self.is_dirty():
            event.ignore()
            if self._pending_question is None:
                self._ask_unsaved(self._after_unsaved_for_close)
            return
        self._autosave_timer.stop()
        if not self._force_close and self.isWindowModified():
            self.autosave()  # empty but modified: removes a stale file
        self.save_layout()
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop everything that runs in the background (send thread, local server).

        Blocks until the send thread has ended: a running QThread destroyed at exit
        aborts the process, so there is no time limit (cancel unblocks every socket
        operation; only a DNS lookup can hold it, and that times out by itself).
        """
        if self._controller is not None:
            self._controller.shutdown(timeout_ms=None)
        self._wait_for_preload()
        self.stop_sandbox()
        self.drafts.close()  # pending draft writes land; the writer thread ends


def preload_send_modules(extra: tuple[str, ...] = ()) -> None:
    """Import ``SEND_MODULES`` and ``extra`` and read the system's MIME types (on a thread).

    Also keeps PySide's import hook (it reads each new module's source) off the GUI thread.
    """
    for name in (*SEND_MODULES, *extra):
        # __import__ with a fromlist, not importlib.import_module: PySide's import hook
        # wraps __import__ and records the module, else it reads the module's source
        # on the GUI thread at the first ``from ... import`` there (~15 ms each).
        module = __import__(name, fromlist=["__name__"])
        if name == "mimetypes" and not module.inited:
            module.init()  # reads /etc/mime.types: ~15 ms on the first guess_type otherwise


def _iter_blocks(doc: QTextDocument) -> list[Any]:
    blocks = []
    block = doc.begin()
    while block.isValid():
        blocks.append(block)
        block = block.next()
    return blocks


class _Abort(Exception):
    """The user cancelled a question that had to be answered before sending."""
