"""The built-in local SMTP server: aiosmtpd on loopback, storing every message in a Maildir."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from mailcomposer.i18n import _
from mailcomposer.sandbox.certs import CertificateFiles, ensure_certificate
from mailcomposer.sandbox.config import SandboxConfig
from mailcomposer.smtp.settings import Secret, Security, ServerSettings, is_loopback_host

# The name the server gives in its greeting; a fixed one avoids the reverse DNS
# lookup aiosmtpd would do for socket.getfqdn().
SERVER_HOSTNAME = "sandbox.mailcomposer.localhost"

# aiosmtpd logs every connection and a deprecation note on each AUTH to "mail.log";
# without a handler Python prints its warnings to stderr, which would garble the
# CLI's output. The sandbox reports what matters itself.
logging.getLogger("mail.log").addHandler(logging.NullHandler())


def write_maildir_message(maildir: Path, data: bytes) -> Path:
    """Store ``data`` as one new Maildir message (``tmp/`` then rename into ``new/``).

    Args:
        maildir: the Maildir root; its ``new``, ``cur`` and ``tmp`` folders are created.
        data: the complete message bytes.

    Returns:
        The path of the message in ``new/``.
    """
    for sub in ("tmp", "new", "cur"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    name = _unique_name()
    tmp = maildir / "tmp" / name
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    final = maildir / "new" / name
    os.replace(tmp, final)
    return final


_counter_lock = threading.Lock()
_counter = 0


def _unique_name() -> str:
    """A Maildir file name: time, pid, counter and host (as ``mailbox.Maildir`` does)."""
    global _counter
    with _counter_lock:
        _counter += 1
        count = _counter
    now = time.time()
    host = socket.gethostname().replace("/", r"\057").replace(":", r"\072")
    return f"{int(now)}.M{int((now % 1) * 1e6)}P{os.getpid()}Q{count}.{host}"


class MaildirHandler:
    """aiosmtpd handler: store each message with its envelope as ``X-`` headers.

    The headers are the ones aiosmtpd's own ``Mailbox`` handler records
    (``X-Peer``, ``X-MailFrom``, ``X-RcptTo``), prepended to the raw bytes so the
    message itself is stored exactly as received. What to accept is decided by
    the protocol (:mod:`mailcomposer.sandbox.protocol`) before this is called.

    Attributes:
        maildir: the Maildir root.
        on_stored: called (in the server thread) with the path, sender and
            recipients of each stored message.
        received: count of stored messages.
    """

    def __init__(
        self,
        maildir: Path,
        *,
        on_stored: Callable[[Path, str, list[str]], None] | None = None,
    ) -> None:
        self.maildir = maildir
        self.on_stored = on_stored
        self.received = 0

    # aiosmtpd treats every handler attribute named auth_* as an AUTH mechanism, so
    # no attribute here may start with "auth_".

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        header = (
            f"X-Peer: {session.peer}\r\n"
            f"X-MailFrom: {envelope.mail_from}\r\n"
            f"X-RcptTo: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode()
        path = write_maildir_message(self.maildir, header + bytes(content))
        self.received += 1
        if self.on_stored is not None:
            self.on_stored(path, envelope.mail_from, list(envelope.rcpt_tos))
        return f"250 2.0.0 OK: stored as {path.name}"


class _Authenticator:
    """aiosmtpd authenticator accepting one user name and password."""

    def __init__(self, user: str, password: str) -> None:
        self.user = user.encode()
        self.password = password.encode()

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> Any:
        from aiosmtpd.smtp import AuthResult, LoginPassword

        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == self.user
            and auth_data.password == self.password
        )
        return AuthResult(success=ok, handled=False)


def _controller_class() -> type:
    from aiosmtpd.controller import Controller

    from mailcomposer.sandbox.protocol import LabSMTP

    class _SocketController(Controller):
        """A Controller serving on a socket we bound ourselves (port 0 = a free port)."""

        def __init__(self, handler: Any, sock: socket.socket, state: Any, **kwargs: Any) -> None:
            host, port = sock.getsockname()[:2]
            super().__init__(handler, hostname=host, port=port, **kwargs)
            self._sock = sock
            self._state = state

        def factory(self) -> Any:
            return LabSMTP(self.handler, state=self._state, **self.SMTP_kwargs)

        def _create_server(self) -> Awaitable[Any]:
            return self.loop.create_server(
                self._factory_invoker, sock=self._sock, ssl=self.ssl_context
            )

    return _SocketController


class SandboxServer:
    """The local lab server: aiosmtpd on a loopback address, messages kept in a Maildir.

    Use as a context manager, or call :meth:`start` and :meth:`stop`. Its
    behaviour (TLS, AUTH, SIZE, faults, greylisting...) is one
    :class:`~mailcomposer.sandbox.config.SandboxConfig`; the ``tls``, ``auth``,
    ``size_limit`` and ``smtputf8`` arguments are a shorthand for the common ones.

    Attributes:
        maildir: where messages are stored.
        host: the loopback address it listens on.
        port: the port it listens on (the chosen one once started).
        config: the switches in force.
        certificate: the certificate files when TLS is on.
    """

    def __init__(
        self,
        maildir: Path | str,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: bool = False,
        auth: tuple[str, str] | None = None,
        size_limit: int | None = None,
        cert_dir: Path | None = None,
        smtputf8: bool = True,
        on_stored: Callable[[Path, str, list[str]], None] | None = None,
        config: SandboxConfig | None = None,
    ) -> None:
        if not is_loopback_host(host):
            raise ValueError(
                _(
                    "The sandbox server only listens on this computer: “{host}” is not a "
                    "loopback address; use 127.0.0.1."
                ).format(host=host)
            )
        if port < 0 or port > 65535:
            raise ValueError(_("Port {port} is out of range (0-65535).").format(port=port))
        if config is None:
            config = SandboxConfig(
                tls=tls,
                require_starttls=tls,  # the secure sandbox has always required STARTTLS
                auth=auth,
                size_limit=size_limit,
                hidden=frozenset() if smtputf8 else frozenset({"SMTPUTF8"}),
            )
        elif tls or auth or size_limit or not smtputf8:
            raise ValueError("pass either config or tls/auth/size_limit/smtputf8, not both")
        self.maildir = Path(maildir)
        self.host = host
        self.port = port
        self.config = config
        self._cert_dir = Path(cert_dir) if cert_dir else self.maildir.parent
        self.certificate: CertificateFiles | None = None
        self.handler = MaildirHandler(self.maildir, on_stored=on_stored)
        self._controller: Any = None

    @property
    def tls(self) -> bool:
        """Whether the server speaks TLS (STARTTLS or implicit)."""
        return self.config.tls or self.config.implicit_tls

    @property
    def auth(self) -> tuple[str, str] | None:
        """``(user, password)`` it requires, or ``None`` for no AUTH."""
        return self.config.auth

    @property
    def size_limit(self) -> int | None:
        """Largest message accepted (advertised as SIZE), or ``None``."""
        return self.config.size_limit

    @property
    def smtputf8(self) -> bool:
        """Whether SMTPUTF8 is advertised."""
        return "SMTPUTF8" not in self.config.hidden

    @property
    def running(self) -> bool:
        return self._controller is not None

    def _server_options(self) -> dict[str, Any]:
        """aiosmtpd's Controller and SMTP arguments for this config."""
        config = self.config
        kwargs: dict[str, Any] = {
            "server_hostname": SERVER_HOSTNAME,
            "data_size_limit": config.size_limit,
            "enable_SMTPUTF8": self.smtputf8,
            # Required before AUTH only when STARTTLS can provide it; implicit TLS
            # is encrypted from the start (aiosmtpd does not see that layer).
            "auth_require_tls": config.tls_available and not config.implicit_tls,
            # The lab protocol checks STARTTLS itself (with HELO and RSET allowed).
            "require_starttls": False,
            # aiosmtpd gives its thread 5 s to come up; a busy machine (a student's
            # laptop compiling something) can take longer. Costs nothing when fast.
            "ready_timeout": 30.0,
        }
        if config.tls or config.implicit_tls:
            self.certificate = ensure_certificate(self._cert_dir)
            context = self.certificate.server_context()
            kwargs["ssl_context" if config.implicit_tls else "tls_context"] = context
        if config.auth is not None:
            kwargs["authenticator"] = _Authenticator(*config.auth)
            # aiosmtpd only offers LOGIN and PLAIN built in; nothing to exclude.
        return kwargs

    def start(self) -> SandboxServer:
        """Bind, start the server thread and wait until it answers; return self."""
        from mailcomposer.sandbox.protocol import LabState

        if self._controller is not None:
            raise RuntimeError("sandbox server already running")
        for sub in ("tmp", "new", "cur"):
            (self.maildir / sub).mkdir(parents=True, exist_ok=True)
        kwargs = self._server_options()
        state = LabState(self.config)
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            if os.name != "nt":
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host.strip("[]"), self.port))
            sock.listen(100)
            sock.setblocking(False)
        except OSError:
            sock.close()
            raise
        controller = _controller_class()(self.handler, sock, state, **kwargs)
        try:
            controller.start()
        except BaseException:
            try:
                controller.stop(no_assert=True)
            finally:
                sock.close()
                if not controller.loop.is_closed():
                    controller.loop.close()
            raise
        state.armed = True  # from now on CONNECT faults greet real clients
        self.port = sock.getsockname()[1]
        self._controller = controller
        return self

    def stop(self) -> None:
        """Stop serving and join the server thread (no thread is left behind)."""
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def settings(self, *, show_login: bool = False) -> ServerSettings:
        """Return how a client reaches this server (trusting the sandbox certificate).

        ``show_login``: the transcript decodes the AUTH lines (its test credentials).
        """
        cafile = None
        if self.tls:
            if self.certificate is None:
                self.certificate = ensure_certificate(self._cert_dir)
            cafile = self.certificate.cert
        security = Security.NONE
        if self.config.implicit_tls:
            security = Security.TLS
        elif self.config.tls:
            security = Security.STARTTLS
        return ServerSettings(
            host=self.host,
            port=self.port,
            security=security,
            username=self.auth[0] if self.auth else "",
            cafile=cafile,
            show_lab_login=show_login,
        )

    def secret(self) -> Secret | None:
        """Return the password clients need, or ``None`` when AUTH is off."""
        return Secret(self.auth[1]) if self.auth else None
