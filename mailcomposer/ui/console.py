"""The SMTP console window: connect, type commands, read each reply explained with its RFC."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QFont, QFontDatabase, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _
from mailcomposer.smtp.console import ConsoleLine, parse_auth_helper
from mailcomposer.smtp.settings import Security, ServerSettings
from mailcomposer.smtp.transcript import Direction
from mailcomposer.ui.consoleworker import ConsoleSession

__all__ = ["QUICK_COMMANDS", "CommandLine", "ConsoleWindow"]

# The quick buttons; a trailing space means "needs an argument: type it first".
QUICK_COMMANDS = ("EHLO", "NOOP", "RSET", "VRFY ", "EXPN ", "HELP", "STARTTLS", "QUIT")

# The protocol log's colours (foreground on light, on dark) and markers, so both read alike.
_LOOK = {
    "ok": ("#1b6e20", "#8fd694", "✓"),
    "more": ("#1c4f9c", "#90b8f0", "→"),
    "temp": ("#8a5300", "#f0c060", "⚠"),
    "fail": ("#b71c1c", "#ff8a80", "✗"),
    "client": (None, None, "›"),
    "note": ("#5f6368", "#a8adb3", "•"),
}


def _kind(line: ConsoleLine) -> str:
    if line.direction is Direction.CLIENT:
        return "client"
    if line.direction is Direction.NOTE or line.code is None:
        return "note"
    return {2: "ok", 3: "more", 4: "temp"}.get(line.code // 100, "fail")


class CommandLine(QLineEdit):
    """A one-line command entry with history: Up and Down walk through what was sent.

    Signals:
        submitted: the text, when Return is pressed (the line is then cleared).
    """

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history: list[str] = []
        self._position = 0
        self._draft = ""
        self.returnPressed.connect(self._on_self_return_pressed)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Up and self.history:
            if self._position == len(self.history):
                self._draft = self.text()
            self._position = max(0, self._position - 1)
            self.setText(self.history[self._position])
            return
        if event.key() == Qt.Key.Key_Down and self._position < len(self.history):
            self._position += 1
            at_end = self._position == len(self.history)
            self.setText(self._draft if at_end else self.history[self._position])
            return
        super().keyPressEvent(event)

    def remember(self, text: str) -> None:
        """Add ``text`` to the history (not twice in a row) and go back to its end."""
        if text and (not self.history or self.history[-1] != text):
            self.history.append(text)
        self._position = len(self.history)
        self._draft = ""

    @Slot()
    def _on_self_return_pressed(self) -> None:
        text = self.text()
        # A secret typed after a 334 never goes into the history.
        if self.echoMode() is QLineEdit.EchoMode.Normal:
            self.remember(text.strip())
        self.clear()
        self.submitted.emit(text)


class ConsoleWindow(QWidget):
    """A small window to talk SMTP by hand (objectName ``smtpConsole``).

    The network work runs in ``ConsoleSession``'s thread; this window only shows the
    lines and sends what is typed. Closing it ends the connection and the thread.

    Attributes:
        lines: every ``ConsoleLine`` shown so far.
        session: the thread owner (``consoleworker.ConsoleSession``).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 25,
        security: Security = Security.NONE,
        *,
        cafile: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("smtpConsole")
        # Its thread ends with the window: a closed console is never shown again.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(_("SMTP console"))
        self.resize(820, 560)
        self.lines: list[ConsoleLine] = []
        self._cafile = cafile
        self._local_server: Any = None  # the window's built-in server, when it follows one
        self._followed: tuple[str, int, str] | None = None  # where it was, when last seen
        self._connected = False
        self._busy = False
        self._password_dialog: QInputDialog | None = None
        self._build(host, port, security)
        self.session = ConsoleSession(self)
        self.session.line_logged.connect(self._on_session_line_logged)
        self.session.connected.connect(self._on_session_connected)
        self.session.disconnected.connect(self._on_session_disconnected)
        self.session.failed.connect(self._on_session_failed)
        self.session.idle.connect(self._on_session_idle)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._on_app_about_to_quit)
        if parent is not None:
            # A parent's destructor deletes this window without a closeEvent: a running
            # QThread destroyed that way aborts the process.
            parent.destroyed.connect(self._on_parent_destroyed)
        self._update_state()

    @classmethod
    def for_local_server(cls, local_server: Any, parent: QWidget | None = None) -> ConsoleWindow:
        """A console on the window's built-in server (``ui.localserver.LocalServer``).

        It is started now. A lab switch restarts it, perhaps with TLS on or off or from
        the first byte: each Connect asks it again where and how it listens.
        """
        settings = local_server.ensure().settings()
        window = cls(
            settings.host, settings.port, settings.security, cafile=settings.cafile, parent=parent
        )
        window._local_server = local_server
        window._followed = (settings.host, settings.port, settings.security.value)
        local_server.stopped.connect(window._on_local_server_stopped)
        return window

    @Slot()
    def _on_local_server_stopped(self) -> None:
        """Say why the session ends: the lab (or the secure mode) restarted the server."""
        if self._connected:
            line = ConsoleLine(Direction.NOTE, _(
                "The built-in server restarts with its new settings: this connection "
                "ends; Connect again to talk to it as it is now."))  # fmt: skip
            self.lines.append(line)
            self._append(line)

    def _follow_local_server(self) -> None:
        """Point the bar at the built-in server as it runs now, unless the user moved it."""
        if self._local_server is None or self._followed is None:
            return
        host, port, security = self._followed
        if (self.host_field.text().strip(), self.port_field.value()) != (host, port):
            return  # pointed elsewhere by hand
        try:
            settings = self._local_server.ensure().settings()
        except OSError:
            return  # connecting says what is wrong
        self.port_field.setValue(settings.port)
        if self.security_combo.currentData() == security:  # not changed by hand
            index = self.security_combo.findData(settings.security.value)
            self.security_combo.setCurrentIndex(index)
        self._cafile = settings.cafile
        self._followed = (settings.host, settings.port, settings.security.value)

    # -- building --

    def _build(self, host: str, port: int, security: Security) -> None:
        self.host_field = QLineEdit(host)
        self.host_field.setObjectName("consoleHost")
        self.port_field = QSpinBox()
        self.port_field.setObjectName("consolePort")
        self.port_field.setRange(1, 65535)
        self.port_field.setValue(port)
        self.security_combo = QComboBox()
        self.security_combo.setObjectName("consoleSecurity")
        for value, label in (
            (Security.NONE, _("None (plain text)")),
            (Security.STARTTLS, "STARTTLS"),  # a protocol name: not translated
            (Security.TLS, _("TLS from the first byte")),
        ):
            self.security_combo.addItem(label, value.value)
        self.security_combo.setCurrentIndex(self.security_combo.findData(security.value))
        self.connect_button = QPushButton(_("Connect"))
        self.connect_button.setObjectName("consoleConnect")
        self.connect_button.clicked.connect(self._on_connect_button_clicked)
        bar = QHBoxLayout()
        for text, field, stretch in (
            (_("Server:"), self.host_field, 3),
            (_("Port:"), self.port_field, 0),
            (_("Security:"), self.security_combo, 0),
        ):
            label = QLabel(text)
            label.setBuddy(field)  # what a screen reader calls the field
            bar.addWidget(label)
            bar.addWidget(field, stretch)
        bar.addWidget(self.connect_button)

        self.transcript = QTextBrowser()
        self.transcript.setObjectName("consoleTranscript")
        self.transcript.setAccessibleName(_("Transcript"))
        self.transcript.setOpenExternalLinks(True)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self._mono_family = mono.family()

        buttons = QHBoxLayout()
        self.quick_buttons: dict[str, QPushButton] = {}
        for command in QUICK_COMMANDS:
            button = QPushButton(command.strip())
            button.setObjectName(f"console{command.strip().title()}Button")
            button.setToolTip(
                _("Type the argument, then press Enter")
                if command.endswith(" ")
                else _("Send {command}").format(command=command)
            )
            button.clicked.connect(self._on_quick_button_clicked)
            button.setProperty("command", command)
            buttons.addWidget(button)
            self.quick_buttons[command.strip()] = button
        buttons.addStretch(1)

        self.command_line = CommandLine()
        self.command_line.setObjectName("consoleCommand")
        self.command_line.setFont(QFont(self._mono_family))
        self.command_line.setPlaceholderText(
            _("Type a command (AUTH PLAIN user asks for the password), Enter to send")
        )
        self.command_line.submitted.connect(self._on_command_line_submitted)
        self.send_button = QPushButton(_("Send"))
        self.send_button.setObjectName("consoleSend")
        self.send_button.clicked.connect(self.command_line.returnPressed)
        entry = QHBoxLayout()
        self.prompt_label = QLabel("smtp>")
        self.prompt_label.setFont(QFont(self._mono_family))
        entry.addWidget(self.prompt_label)
        entry.addWidget(self.command_line, 1)
        entry.addWidget(self.send_button)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.transcript, 1)
        layout.addLayout(buttons)
        layout.addLayout(entry)

    # -- state --

    def settings(self) -> ServerSettings:
        """The connect bar's values as ``ServerSettings``."""
        return ServerSettings(
            host=self.host_field.text().strip(),
            port=self.port_field.value(),
            security=Security(self.security_combo.currentData()),
            cafile=self._cafile,
        )

    def _update_state(self) -> None:
        ready = self._connected and not self._busy
        self.connect_button.setText(_("Disconnect") if self._connected else _("Connect"))
        self.connect_button.setEnabled(not self._busy or self._connected)
        for widget in (self.host_field, self.port_field, self.security_combo):
            widget.setEnabled(not self._connected and not self._busy)
        for button in self.quick_buttons.values():
            button.setEnabled(ready)
        self.command_line.setEnabled(ready)
        self.send_button.setEnabled(ready)

    def transcript_text(self, explain: bool = True) -> str:
        """The transcript as the CLI prints it."""
        return "".join(line.format(explain) + "\n" for line in self.lines)

    # -- sending --

    def send_command(self, text: str) -> None:
        """Send ``text`` as typed (the AUTH helper asks for the password first)."""
        if not self._connected or self._busy:
            return
        in_data = self.prompt_label.text() == "data>"
        helper = None if in_data else parse_auth_helper(text)
        if helper is not None:
            self._ask_password(*helper)
            return
        if not text.strip() and not in_data:
            return
        self._busy = True
        self._update_state()
        self.session.send_line(text)

    def _ask_password(self, mechanism: str, user: str) -> None:
        dialog = QInputDialog(self)
        dialog.setObjectName("consolePassword")
        dialog.setWindowTitle(_("Log in"))
        dialog.setLabelText(_("Password for {user}: ").format(user=user))
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        dialog.setProperty("mechanism", mechanism)
        dialog.setProperty("user", user)
        dialog.textValueSelected.connect(self._on_password_dialog_text_value_selected)
        dialog.finished.connect(dialog.deleteLater)
        self._password_dialog = dialog
        dialog.open()

    @Slot(str)
    def _on_password_dialog_text_value_selected(self, password: str) -> None:
        dialog = self._password_dialog
        if dialog is None or not self._connected:
            return
        self._busy = True
        self._update_state()
        self.session.log_in(
            str(dialog.property("mechanism")), str(dialog.property("user")), password
        )

    # -- slots --

    @Slot()
    def _on_connect_button_clicked(self) -> None:
        if self._connected:
            self.session.close_connection()
            return
        self._follow_local_server()
        settings = self.settings()
        if not settings.host:
            self.host_field.setFocus()
            return
        self._busy = True
        self._update_state()
        self.session.open_connection(settings)

    @Slot()
    def _on_quick_button_clicked(self) -> None:
        command = str(self.sender().property("command"))
        if command.endswith(" "):
            self.command_line.setText(command)
            self.command_line.setFocus()
            return
        self.command_line.remember(command)
        self.send_command(command)

    @Slot(str)
    def _on_command_line_submitted(self, text: str) -> None:
        self.send_command(text)

    @Slot(object)
    def _on_session_line_logged(self, line: object) -> None:
        assert isinstance(line, ConsoleLine)
        self.lines.append(line)
        self._append(line)
        if line.direction is Direction.SERVER and line.code is not None:
            data = line.code == 354
            secret = line.code == 334
            self.prompt_label.setText("data>" if data else "smtp>")
            self.command_line.setEchoMode(
                QLineEdit.EchoMode.Password if secret else QLineEdit.EchoMode.Normal
            )

    @Slot()
    def _on_session_connected(self) -> None:
        self._connected = True
        self._update_state()
        self.command_line.setFocus()

    @Slot()
    def _on_session_disconnected(self) -> None:
        self._connected = False
        self.prompt_label.setText("smtp>")
        self.command_line.setEchoMode(QLineEdit.EchoMode.Normal)
        self._update_state()

    @Slot(str)
    def _on_session_failed(self, message: str) -> None:
        line = ConsoleLine(Direction.NOTE, message)
        self.lines.append(line)
        self._append(line, failure=True)

    @Slot()
    def _on_session_idle(self) -> None:
        self._busy = False
        self._update_state()
        if self._connected:
            self.command_line.setFocus()

    @Slot()
    def _on_app_about_to_quit(self) -> None:
        self.session.shutdown()

    @Slot()
    def _on_parent_destroyed(self) -> None:
        self.session.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.session.shutdown()  # never leave the thread running
        super().closeEvent(event)

    # -- showing --

    def _append(self, line: ConsoleLine, failure: bool = False) -> None:
        dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        light_colour, dark_colour, marker = _LOOK["fail" if failure else _kind(line)]
        colour = dark_colour if dark else light_colour
        note_colour = _LOOK["note"][1 if dark else 0]
        style = f"color:{colour};" if colour else ""
        if line.direction is Direction.NOTE:
            body = html.escape(line.text)
        else:
            body = html.escape(f"{line.direction.value}: {line.text}")
        parts = [
            f"<div style=\"{style}font-family:'{self._mono_family}';white-space:pre-wrap\">"
            f"{marker} {body}</div>"
        ]
        expl = line.explanation
        if expl.text or expl.refs:
            links = ", ".join(
                f'<a href="{html.escape(r.url)}" title="{html.escape(r.title)}">'
                f"{html.escape(r.label)}</a>"
                for r in expl.refs
            )
            text = html.escape(expl.text)
            joined = f"{text} {links}" if text and links else text or links
            parts.append(
                f'<div style="color:{note_colour};margin-left:2em;font-size:small">{joined}</div>'
            )
        self.transcript.append("".join(parts))
