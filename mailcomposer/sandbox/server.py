"""The built-in local SMTP server: aiosmtpd on loopback, storing every message in a Maildir."""

from __future__ import annotations

import ipaddress
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
from mailcomposer.smtp.settings import Secret, Security, ServerSettings

# The name the server gives in its greeting; a fixed one avoids the reverse DNS
# lookup aiosmtpd would do for socket.getfqdn().
SERVER_HOSTNAME = "sandbox.mailcomposer.localhost"

# aiosmtpd logs every connection and a deprecation note on each AUTH to "mail.log";
# without a handler Python prints its warnings to stderr, which would garble the
# CLI's output. The sandbox reports what matters itself.
logging.getLogger("mail.log").addHandler(logging.NullHandler())

AUTH_REQUIRED = "530 5.7.0 Authentication required"
AUTH_OK = "235 2.7.0 Authentication successful"


def is_loopback_host(host: str) -> bool:
    """True when ``host`` is ``localhost`` or a loopback IP literal."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


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
    message itself is stored exactly as received.

    Attributes:
        maildir: the Maildir root.
        require_auth: refuse MAIL FROM before a successful AUTH (and offer AUTH at all).
        on_stored: called (in the server thread) with the path, sender and
            recipients of each stored message.
        received: count of stored messages.
    """

    def __init__(
        self,
        maildir: Path,
        *,
        require_auth: bool = False,
        on_stored: Callable[[Path, str, list[str]], None] | None = None,
    ) -> None:
        self.maildir = maildir
        self.require_auth = require_auth
        self.on_stored = on_stored
        self.received = 0

    # aiosmtpd treats every handler attribute named auth_* as an AUTH mechanism, so
    # no attribute here may start with "auth_".

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        if not self.require_auth:
            # Without --auth there is nothing to log in to: do not advertise AUTH.
            responses = [r for r in responses if not r.upper().startswith("250-AUTH")]
        return responses

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, mail_options: list[str]
    ) -> str:
        # Enforced here rather than with aiosmtpd's auth_required, which warns when
        # TLS is not required too; this is a loopback lab server.
        if self.require_auth and not session.authenticated:
            return AUTH_REQUIRED
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

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

    class _SocketController(Controller):
        """A Controller serving on a socket we bound ourselves (port 0 = a free port)."""

        def __init__(self, handler: Any, sock: socket.socket, **kwargs: Any) -> None:
            host, port = sock.getsockname()[:2]
            super().__init__(handler, hostname=host, port=port, **kwargs)
            self._sock = sock

        def _create_server(self) -> Awaitable[Any]:
            return self.loop.create_server(
                self._factory_invoker, sock=self._sock, ssl=self.ssl_context
            )

    return _SocketController


class SandboxServer:
    """The local lab server: aiosmtpd on a loopback address, messages kept in a Maildir.

    Use as a context manager, or call :meth:`start` and :meth:`stop`.

    Attributes:
        maildir: where messages are stored.
        host: the loopback address it listens on.
        port: the port it listens on (the chosen one once started).
        tls: whether STARTTLS is offered (and required) with the sandbox certificate.
        auth: ``(user, password)`` to require, or ``None`` for no AUTH.
        size_limit: largest message accepted (advertised as SIZE), or ``None``.
        certificate: the certificate files when ``tls`` is on.
        smtputf8: whether SMTPUTF8 is advertised.
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
        self.maildir = Path(maildir)
        self.host = host
        self.port = port
        self.tls = tls
        self.auth = auth
        self.size_limit = size_limit
        self.smtputf8 = smtputf8
        self._cert_dir = Path(cert_dir) if cert_dir else self.maildir.parent
        self.certificate: CertificateFiles | None = None
        self.handler = MaildirHandler(
            self.maildir, require_auth=auth is not None, on_stored=on_stored
        )
        self._controller: Any = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> SandboxServer:
        """Bind, start the server thread and wait until it answers; return self."""
        if self._controller is not None:
            raise RuntimeError("sandbox server already running")
        for sub in ("tmp", "new", "cur"):
            (self.maildir / sub).mkdir(parents=True, exist_ok=True)
        kwargs: dict[str, Any] = {
            "server_hostname": SERVER_HOSTNAME,
            "data_size_limit": self.size_limit,
            "enable_SMTPUTF8": self.smtputf8,
            "auth_require_tls": False,
            # aiosmtpd gives its thread 5 s to come up; a busy machine (a student's
            # laptop compiling something) can take longer. Costs nothing when fast.
            "ready_timeout": 30.0,
        }
        if self.tls:
            self.certificate = ensure_certificate(self._cert_dir)
            kwargs["tls_context"] = self.certificate.server_context()
            kwargs["require_starttls"] = True
        if self.auth is not None:
            kwargs["authenticator"] = _Authenticator(*self.auth)
            # aiosmtpd only offers LOGIN and PLAIN built in; nothing to exclude.
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
        controller = _controller_class()(self.handler, sock, **kwargs)
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

    def settings(self) -> ServerSettings:
        """Return how a client reaches this server (STARTTLS trusting the sandbox certificate)."""
        cafile = None
        if self.tls:
            if self.certificate is None:
                self.certificate = ensure_certificate(self._cert_dir)
            cafile = self.certificate.cert
        return ServerSettings(
            host=self.host,
            port=self.port,
            security=Security.STARTTLS if self.tls else Security.NONE,
            username=self.auth[0] if self.auth else "",
            cafile=cafile,
        )

    def secret(self) -> Secret | None:
        """Return the password clients need, or ``None`` when AUTH is off."""
        return Secret(self.auth[1]) if self.auth else None
