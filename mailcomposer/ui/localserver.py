"""The built-in local test server of the window: started on first use, plain or secure."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from mailcomposer.i18n import _
from mailcomposer.store.paths import Home
from mailcomposer.ui.uisettings import UiSettings

SANDBOX_SECURE_KEY = "sandbox/secure"
SANDBOX_SHOW_LOGIN_KEY = "sandbox/show_login"
SANDBOX_LOGIN = "me"


class LocalServer(QObject):
    """The ``SandboxServer`` the built-in account sends to, and how it runs.

    With encryption and login on, it offers STARTTLS (with its own certificate, which
    the built-in account trusts) and requires a login with a password made for this
    run, so the log shows the whole modern exchange: STARTTLS, the TLS start, EHLO
    again, AUTH.

    Signals:
        stopped: the running server was stopped (a lab switch, the secure mode, quit);
            its connections are gone, and the next use starts it the new way.
    """

    stopped = Signal()

    def __init__(self, home: Home, ui_settings: UiSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._home = home
        self._ui_settings = ui_settings
        self._server: Any = None
        # The port of the first start, kept across restarts (a lab switch, the secure
        # mode): a console window or a copied command line still reaches the server.
        self._port = 0
        self.secure = ui_settings.bool_value(SANDBOX_SECURE_KEY)
        self.show_login = ui_settings.bool_value(SANDBOX_SHOW_LOGIN_KEY)

    def set_show_login(self, show: bool) -> None:
        """Decode the AUTH lines in the log for this server (its test login) from now on."""
        self.show_login = show
        self._ui_settings.set_value(SANDBOX_SHOW_LOGIN_KEY, show)

    def settings(self) -> Any:
        """How to reach the running server, with the login decoded if the user asked."""
        return self.ensure().settings(show_login=self.show_login)

    def current(self) -> Any:
        """The running server, or None before the first send to it."""
        return self._server

    def ensure(self) -> Any:
        """Start the server on a free port (first use only, or after a mode change); return it."""
        if self._server is None:
            maildir = self._home.sandbox_maildir
            if self.secure:
                import secrets

                auth = (SANDBOX_LOGIN, secrets.token_urlsafe(12))
                options: dict[str, Any] = {"tls": True, "auth": auth}
            else:
                # The lab's switches (Options > Local server…, Help > Lessons).
                from mailcomposer.sandbox.labfile import load_lab_config

                config = load_lab_config(self._home)
                options = {"config": config, "cert_dir": self._home.sandbox}
            self._server = self._start(maildir, options)
        return self._server

    def _start(self, maildir: Any, options: dict[str, Any]) -> Any:
        from mailcomposer.sandbox.server import SandboxServer

        if self._port:
            try:
                return SandboxServer(maildir, port=self._port, **options).start()
            except OSError:
                pass  # someone else took the port meanwhile: any free one will do
        server = SandboxServer(maildir, **options).start()
        self._port = server.port
        return server

    def config_changed(self, sending: bool) -> str:
        """The lab settings changed: restart from the next send (now, unless sending)."""
        if not sending:
            self.stop()
        return _("The local test server uses the new settings from its next connection.")

    def set_secure(self, secure: bool, *, restart: bool) -> str:
        """Remember the mode; with ``restart`` the next send starts the server the new way.

        Returns what changed, to tell the user.
        """
        self.secure = secure
        self._ui_settings.set_value(SANDBOX_SECURE_KEY, secure)
        if restart:
            self.stop()
        if secure:
            return _("The local test server now uses encryption (STARTTLS) and a login.")
        return _("The local test server now talks in plain text, without a login.")

    def apply_mode(self) -> None:
        """Stop a server that runs in a mode or lab config changed meanwhile (during a send)."""
        if self._server is None:
            return
        if self.secure:
            if not (self._server.tls and self._server.auth):
                self.stop()
            return
        from mailcomposer.sandbox.labfile import load_lab_config

        if self._server.config != load_lab_config(self._home):
            self.stop()

    def stop(self) -> None:
        if self._server is not None:
            server, self._server = self._server, None
            server.stop()
            self.stopped.emit()
