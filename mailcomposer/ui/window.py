"""The composer window: builds its rooms, wires them together, and closes when they agree."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import QMainWindow, QVBoxLayout, QWidget

from mailcomposer.i18n import _, ngettext
from mailcomposer.message.draft import Draft, Priority
from mailcomposer.message.errors import InputError
from mailcomposer.store.drafts import DraftStore
from mailcomposer.store.paths import Home
from mailcomposer.ui.actions import ComposerActions
from mailcomposer.ui.attachments import AttachmentPane, local_files
from mailcomposer.ui.draftkeeper import DraftKeeper
from mailcomposer.ui.editor import BodyEditor
from mailcomposer.ui.formatbar import FormatToolBar
from mailcomposer.ui.headerfields import HeaderFields
from mailcomposer.ui.icons import app_icon
from mailcomposer.ui.messagefiles import MessageFiles, file_name_for, initial_argument
from mailcomposer.ui.preload import Preloader
from mailcomposer.ui.protocollog import ProtocolLogDock
from mailcomposer.ui.questions import Questions, confirm_plain_text
from mailcomposer.ui.replies import Replies
from mailcomposer.ui.sendflow import SendFlow
from mailcomposer.ui.sendlog import SendLog
from mailcomposer.ui.signature import Signature
from mailcomposer.ui.statusarea import LINK_KEPT_DRAFT, LINK_LOG, LINK_OUTBOX, StatusArea
from mailcomposer.ui.toolwindows import ToolWindows
from mailcomposer.ui.uisettings import UiSettings

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent
    from PySide6.QtWidgets import QMessageBox

    from mailcomposer.smtp.errors import SendError, SendResult
    from mailcomposer.ui.sendcontroller import SendController

__all__ = ["ComposerWindow", "file_name_for", "initial_argument"]

# The actions the window offers as its own attributes (``window.send_action``...).
_ACTION_NAMES = (
    "new_action", "open_action", "save_action", "save_eml_action", "attach_action",
    "send_action", "cancel_send_action", "quit_action", "undo_action", "redo_action",
    "cut_action", "copy_action", "paste_action", "select_all_action", "mime_action",
    "inbox_action", "sandbox_secure_action", "outbox_action", "accounts_action",
    "about_action", "priority_actions", "main_toolbar",
)  # fmt: skip


class ComposerWindow(QMainWindow):
    """The main window: compose a message and send it, watching the SMTP conversation.

    The window only builds its rooms and wires them in ``_connect_signals``; each
    room does one job. Closing asks each room that can object (``query_close``).

    Attributes:
        home: the home folder.
        drafts: the autosave store.
        header: the From, To, Cc, Bcc and Subject fields (``HeaderFields``).
        editor: the body editor (``bodyEditor``).
        format_bar: the formatting toolbar of the editor.
        attachments: the attachment pane (its ``view`` is ``attachmentList``).
        log_dock: the protocol log dock.
        status_area: the banner (``banner``, above the body) and the status bar.
        composer_actions: every action, the menus and the toolbar (``ComposerActions``).
        signature: the signature kept in the body (``Signature``).
        draft_keeper: autosave, restore and kept drafts (``DraftKeeper``).
        send_flow: sending and its outcome (``SendFlow``).
        files: new, open and save .eml, mailto: links, the outbox (``MessageFiles``).
        replies: Reply, Reply all and Forward of an opened message (``Replies``).
        preloader: loads the send machinery once the window has painted.

    Signals:
        draft_saved: the draft was autosaved or saved explicitly.
    """

    draft_saved = Signal()

    def __init__(self, home: Home, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composerWindow")
        self.home = home
        self.ui_settings = UiSettings(home)
        self.drafts = DraftStore(home)
        self._priority = Priority.NORMAL
        self._extra_headers: list[tuple[str, str]] = []
        self._close_approved = False
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self._build_parts()
        self._connect_signals()
        self.header.reload_accounts()
        self.start_with_signature()
        self._set_tab_order()
        self._restore_layout()
        self._update_title()
        self.composer_actions.update_edit_actions()
        self.header.load_known_addresses()

    # ------------------------------------------------------------------ building

    def _build_parts(self) -> None:
        central = QWidget(self)
        central.setObjectName("composerCentral")
        outer = QVBoxLayout(central)
        outer.setContentsMargins(6, 6, 6, 2)
        outer.setSpacing(4)
        self.header = HeaderFields(self.home, self.ui_settings, central)
        outer.addWidget(self.header)
        self.status_area = StatusArea(self)
        self.banner = self.status_area.banner
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

        self.log_dock = ProtocolLogDock(self)
        self.log_dock.setObjectName("protocolLogDock")
        areas = Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea
        self.log_dock.setAllowedAreas(areas)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.log_dock)
        self.composer_actions = actions = ComposerActions(self)
        actions.build_menus(self.format_bar.menu_actions(), self.log_dock)
        actions.build_toolbar()

        self.questions = questions = Questions(self)
        status = self.status_area
        self.signature = Signature(self.editor, self.header.current_identity)
        self.draft_keeper = keeper = DraftKeeper(
            self.drafts, status, questions, self.current_draft, self.is_blank, self.load_draft, self
        )
        self.send_flow = flow = SendFlow(
            self, self.home, self.ui_settings, self.header, status, keeper, questions,
            self.build_message, self.focus_field,
        )  # fmt: skip
        self.files = MessageFiles(self, self, self.home, keeper, status, questions)
        self.replies = Replies(self, self.home, self.files, self, self.header.current_identity)
        self.composer_actions.add_message_menu(list(self.replies.actions.values()))
        self.tool_windows = ToolWindows(
            self, self.home, self.build_message, flow.credentials,
            account=self.current_account, local_server=flow.local_server, draft=self.current_draft,
        )  # fmt: skip
        self.send_log = SendLog(self)  # History, Statistics, the checks before sending
        self.preloader = Preloader(self.current_account, lambda: flow.controller, self)
        # The fields and actions stay reachable as the window's own, as before the rooms.
        for name in ("from_combo", "to_field", "cc_field", "bcc_field", "subject_field"):
            setattr(self, name, getattr(self.header, name))
        self.cc_button, self.bcc_button = self.header.cc_button, self.header.bcc_button
        self.progress_bar = self.status_area.progress_bar
        for name in _ACTION_NAMES:
            setattr(self, name, getattr(actions, name))

    def _connect_signals(self) -> None:
        header, keeper, flow, files = self.header, self.draft_keeper, self.send_flow, self.files
        header.edited.connect(keeper.note_edit)
        header.subject_changed.connect(self._update_title)
        header.account_changed.connect(self._on_header_account_changed)
        header.identity_chosen.connect(self._on_header_identity_chosen)
        header.manage_accounts_requested.connect(self.tool_windows.show_accounts)
        self.tool_windows.accounts_changed.connect(self.refresh_accounts)
        header.accounts_load_failed.connect(self._on_header_accounts_load_failed)
        self.editor.textChanged.connect(keeper.note_edit)
        self.editor.spelling.started.connect(header.subject_spelling.start)  # first paint
        self.attachments.model.changed.connect(keeper.note_edit)
        self.editor.files_dropped.connect(self._on_editor_files_dropped)
        # Plain text rebuilds the document (block marks are lost): find the signature again.
        self.editor.plain_text_mode_changed.connect(self._on_editor_plain_text_mode_changed)
        self.banner.link_activated.connect(self._on_banner_link_activated)

        keeper.saved.connect(self.draft_saved)
        keeper.modified_changed.connect(self._on_draft_keeper_modified_changed)
        keeper.close_approved.connect(self._on_close_approved)

        flow.sending_changed.connect(files.close_outbox)
        flow.sending_changed.connect(header.set_read_only)
        flow.sending_changed.connect(self._on_send_flow_sending_changed)
        flow.sending_changed.connect(self.status_area.set_sending)
        flow.sending_changed.connect(self.composer_actions.set_sending)
        flow.events_logged.connect(self.log_dock.append_events)
        flow.succeeded.connect(self._on_send_flow_succeeded)
        flow.size_limit_learned.connect(self._on_send_flow_size_limit_learned)
        flow.new_message_requested.connect(files.new_message)
        flow.close_approved.connect(self._on_close_approved)

        a = self.composer_actions
        a.new_action.triggered.connect(files.new_message)
        a.open_action.triggered.connect(files.choose_eml_to_open)
        a.save_action.triggered.connect(self.save_draft)
        a.save_eml_action.triggered.connect(files.choose_eml_to_save)
        a.attach_action.triggered.connect(self.choose_attachments)
        a.send_action.triggered.connect(flow.send)
        a.cancel_send_action.triggered.connect(flow.cancel)
        a.quit_action.triggered.connect(self.close)
        self.tool_windows.connect_actions(a)
        self.tool_windows.lab_config_changed.connect(flow.on_lab_config_changed)
        a.sandbox_secure_action.setChecked(flow.local_server.secure)
        a.sandbox_secure_action.toggled.connect(flow.set_local_server_secure)
        a.outbox_action.triggered.connect(files.show_outbox)
        a.priority_chosen.connect(self._on_composer_actions_priority_chosen)

    def _confirm_plain_text(self) -> bool:
        """Asked by the format bar before plain text drops formatting and inline images."""
        return confirm_plain_text(self, self.editor.document().isEmpty())

    def _set_tab_order(self) -> None:
        h = self.header
        chain = [*h.tab_chain(), self.editor]  # the Cc/Bcc toggles next to their fields
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        QWidget.setTabOrder(self.editor, self.attachments.view)

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

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.preloader.schedule()

    # ------------------------------------------------------------------ the message

    def current_draft(self) -> Draft:
        """Return the message as the widgets show it."""
        identity = self.header.current_identity()
        text, html, images = self.editor.body()
        h = self.header
        return Draft(
            from_addr=identity.formatted() if identity else "",
            to=h.to_field.text(),
            cc=h.cc_field.text(),
            bcc=h.bcc_field.text(),
            reply_to=getattr(identity, "reply_to", "") if identity else "",
            subject=h.subject_field.text(),
            text=text,
            html=html,
            inline_images=list(images),
            attachments=self.attachments.model.attachments(),
            priority=self._priority,
            extra_headers=list(self._extra_headers),  # threading (In-Reply-To …), kept as loaded
            message_id=self.send_flow.message_id,
            **self.composer_actions.receipts.fields(),  # read receipt, delivery notification
        )

    def load_draft(self, draft: Draft, *, modified: bool = False) -> None:
        """Show ``draft`` in the widgets (replacing everything)."""
        with self.draft_keeper.loading():
            if draft.from_addr and not self.select_identity(draft.from_addr):
                self.status_area.say(
                    _(
                        "The sender {address} is not one of your identities; sending as {me}."
                    ).format(address=draft.from_addr, me=self.from_combo.currentText())
                )
            self.header.fill(draft)
            self.editor.set_body(draft.text, draft.html, list(draft.inline_images))
            self.attachments.model.set_attachments(draft.attachments)
            self.send_flow.message_id = draft.message_id
            self._extra_headers = list(draft.extra_headers)
            self.set_priority(draft.priority)
            self.composer_actions.receipts.show(draft)
            # A restored draft or opened file keeps the signature it has: find it, so
            # a From change replaces it instead of adding a second one.
            self.signature.recognise()
        self.editor.document().setModified(False)
        self.draft_keeper.set_modified(modified)
        self._update_title()

    def clear_message(self) -> None:
        """Empty every field (the From identity stays) and add the identity's signature."""
        self.load_draft(Draft(html=None if self.editor.plain_text_mode else ""))
        self.start_with_signature()
        self.banner.hide()
        self.to_field.setFocus()

    def start_with_signature(self) -> None:
        """Give a new message the selected identity's signature (not undoable)."""
        with self.draft_keeper.loading():
            self.signature.start()

    def has_signature(self) -> bool:
        """True when the body holds a signature the app inserted (or recognised)."""
        return self.signature.is_shown()

    def is_blank(self, draft: Draft) -> bool:
        """True when ``draft`` holds nothing but (at most) the signature the app added."""
        return self.signature.is_blank(draft)

    def subject(self) -> str:
        return self.subject_field.text()

    def build_message(self) -> Any:
        """Build the message from the widgets; on bad input mark the field and return None."""
        problem = self.header.first_problem()
        if problem is not None:
            self._mark_input_error(*problem)
            return None
        from mailcomposer.message.mime import build_message

        try:
            return build_message(self.current_draft())
        except InputError as exc:
            self._mark_input_error(exc.field, exc.message)
            return None

    def _field_widget(self, field: str | None) -> QWidget:
        if field in ("attachment", "attachments"):
            return self.attachments.view
        return self.header.field_widget(field or "") or self.editor

    def focus_field(self, field: str) -> None:
        """Put the focus on the widget showing the draft field ``field``."""
        self._field_widget(field).setFocus()

    def _mark_input_error(self, field: str | None, message: str) -> None:
        widget = self._field_widget(field)
        self.header.mark_error(widget, message)
        if widget is self.attachments.view and not widget.isVisible():
            widget = self.editor
        widget.setFocus()
        self.status_area.show_error(message)
        self.status_area.say(message)

    def autosave(self) -> bool:
        """Save the draft in the background (see ``DraftKeeper.autosave``); False on failure."""
        return self.draft_keeper.autosave()

    @Slot()
    def save_draft(self) -> bool:
        """Save the draft explicitly (Ctrl+S): the window is no longer "modified"."""
        return self.draft_keeper.save()

    def is_dirty(self) -> bool:
        """True when closing would throw away edits the user did not save."""
        return self.draft_keeper.is_dirty()

    def set_priority(self, priority: Priority) -> None:
        """Show ``priority`` in the Options menu and the status bar."""
        self._priority = Priority(priority)
        self.composer_actions.show_priority(self._priority)
        self.status_area.show_priority(self._priority)

    def priority(self) -> Priority:
        """The priority the message will be sent with."""
        return self._priority

    @Slot()
    def _update_title(self) -> None:
        subject = self.subject_field.text().strip() or _("New message")
        self.setWindowTitle(f"{subject}[*] — mailcomposer")

    def current_account(self) -> Any:
        """Return the account of the selected From identity."""
        return self.header.current_account()

    def select_identity(self, from_addr: str) -> bool:
        """Select the identity whose address appears in ``from_addr``; True if found."""
        return self.header.select_identity(from_addr)

    @property
    def controller(self) -> SendController:
        """The ``SendController`` running sends (built on first use)."""
        return self.send_flow.controller

    @property
    def last_result(self) -> SendResult | None:
        return self.send_flow.last_result

    @property
    def last_error(self) -> SendError | None:
        return self.send_flow.last_error

    @property
    def ask_password(self) -> Any:
        """``ask_password(account)`` returns the password for a send, or None (cancelled)."""
        return self.send_flow.ask_password

    @ask_password.setter
    def ask_password(self, ask: Any) -> None:
        self.send_flow.ask_password = ask

    def is_sending(self) -> bool:
        return self.send_flow.is_sending()

    def send(self) -> bool:
        """Validate, build and start sending; False if nothing was started."""
        return self.send_flow.send()

    def cancel_send(self) -> None:
        self.send_flow.cancel()

    def new_message(self) -> None:
        """Start a new message, asking first if the current one has unsaved edits."""
        self.files.new_message()

    def replace_message(self, load) -> None:
        """Run ``load`` once the current message is safe (see ``MessageFiles``)."""
        self.files.replace_message(load)

    def open_eml(self, path: str | Path) -> bool:
        """Load an .eml file into the composer; True on success."""
        return self.files.open_eml(path)

    def save_eml(self, path: str | Path) -> bool:
        """Build the message and write it as an .eml file; True on success."""
        return self.files.save_eml(path)

    def load_argument(self, argument: str) -> bool:
        """Load a ``mailto:`` URL or an .eml path; False (with an error banner) if unusable."""
        return self.files.load_argument(argument)

    def check_outbox(self) -> int:
        """Say when earlier sends left messages in the outbox; return how many."""
        return self.files.check_outbox()

    def show_outbox(self) -> None:
        self.files.show_outbox()

    def pending_question(self) -> QMessageBox | None:
        """The open close/discard question, if any (tests answer it)."""
        return self.questions.pending()

    @Slot(list)
    def open_from_another_start(self, arguments: list) -> None:
        """Another start of the app passed its arguments here: come forward, open them."""
        self.showNormal() if self.isMinimized() else self.show()
        self.raise_()
        self.activateWindow()
        if not self.replies.open_argument(arguments):
            self.files.open_argument(arguments)

    # ------------------------------------------------------------------ wiring slots

    @Slot()
    def _on_header_account_changed(self) -> None:
        from mailcomposer.ui.headerfields import describe_server

        account = self.current_account()
        self.status_area.show_server(describe_server(account))
        self.attachments.set_size_limit(self.ui_settings.server_size_limit(account.name))

    @Slot()
    def _on_header_identity_chosen(self) -> None:
        if not self.draft_keeper.is_loading():
            self.signature.replace()
        self.draft_keeper.note_edit()

    @Slot(str)
    def _on_header_accounts_load_failed(self, error: str) -> None:
        self.banner.show_text("warning", error)

    @Slot(bool)
    def _on_editor_plain_text_mode_changed(self, _plain: bool) -> None:
        if not self.signature.is_shown():
            self.signature.recognise()

    @Slot(list)
    def _on_editor_files_dropped(self, paths: list) -> None:
        if not self.is_sending():
            self.attachments.model.add_files(paths)

    @Slot(str)
    def _on_banner_link_activated(self, href: str) -> None:
        if href == LINK_LOG:
            self.log_dock.show()
            self.log_dock.raise_()
        elif href == LINK_OUTBOX:
            self.files.show_outbox()
        elif href == LINK_KEPT_DRAFT and self.draft_keeper.kept() is not None:
            kept = self.draft_keeper.kept()
            self.files.replace_message(lambda: self.draft_keeper.open_kept(kept))

    @Slot(bool)
    def _on_draft_keeper_modified_changed(self, modified: bool) -> None:
        self.setWindowModified(modified)
        if not modified:
            self.editor.document().setModified(False)

    @Slot(bool)
    def _on_send_flow_sending_changed(self, sending: bool) -> None:
        self.editor.setReadOnly(sending)
        self.format_bar.setEnabled(not sending)
        self.attachments.model.set_read_only(sending)

    @Slot(object)
    def _on_send_flow_succeeded(self, _result: object) -> None:
        self.header.load_known_addresses()  # the history now holds these recipients too

    @Slot(str, "qlonglong")
    def _on_send_flow_size_limit_learned(self, account: str, limit: int) -> None:
        if account == self.current_account().name:
            self.attachments.set_size_limit(limit)

    @Slot(object)
    def _on_composer_actions_priority_chosen(self, priority: Priority) -> None:
        if priority != self._priority:
            self.set_priority(priority)
            self.draft_keeper.note_edit()

    # ------------------------------------------------------------------ attachments

    @Slot()
    def choose_attachments(self) -> None:
        if not self.is_sending():
            self.attachments.choose_files()

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
        said = ngettext("Attached {n} file.", "Attached {n} files.", added).format(n=added)
        if added:  # a folder alone: the attachment pane says why nothing was added
            self.status_area.say(said)

    @Slot()
    def refresh_accounts(self) -> None:
        """After an account edit: reload the identities, show their signature as it is now."""
        self.header.reload_accounts()
        if self.signature.is_shown() and not self.signature.is_current():
            self.signature.replace()
        self.header.load_known_addresses()

    # ------------------------------------------------------------------ closing

    @Slot()
    def _on_close_approved(self) -> None:
        self._close_approved = True
        self.close()

    def close_without_questions(self) -> bool:
        """Close as if every question had been answered "close" (a send still ends first)."""
        self._close_approved = True
        return self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._close_approved:
            if self.is_sending():
                event.ignore()  # cancelling: the window closes once the send has ended
                return
        else:
            for room in (self.send_flow, self.draft_keeper):
                if not room.query_close():
                    event.ignore()
                    return
        self.draft_keeper.close(approved=self._close_approved)
        self.save_layout()
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop everything that runs in the background (send thread, local server, writes).

        Blocks until the send thread has ended: a running QThread destroyed at exit
        aborts the process.
        """
        self.send_flow.shutdown()
        self.preloader.wait()
        self.drafts.close()  # pending draft writes land; the writer thread ends
