"""Pytest fixtures for SMTP test servers (owned by the smtp engineer).

A throwaway CA (trustme) per session; every server is function-scoped and runs on
127.0.0.1 only. ``settings_for(server, security)`` gives matching ``ServerSettings``.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme

from mailcomposer.smtp.settings import AuthMethod, Security, ServerSettings, Timeouts
from tests.servers import ScriptedServer, SmtpTestServer

AUTH_USER = "ann"
AUTH_PASSWORD = "s3cret-P@ss"

# For tests that wait FOR a reply, not for a timeout (those pass their own short Timeouts):
# generous, because a loaded 2-core CI machine can stall a server thread for seconds, and a
# working server answers in milliseconds anyway; still well below pytest-timeout's 120 s.
TEST_TIMEOUTS = Timeouts(connect=15.0, command=15.0, final_dot=30.0)

# aiosmtpd's Controller gives a server thread 5 s to come up (our own SandboxServer uses
# that default too); a busy CI machine can need longer. The variable is aiosmtpd's own
# override and only raises the ceiling: a server that starts fast is not waited for.
os.environ.setdefault("AIOSMTPD_CONTROLLER_TIMEOUT", "30")


def server_context(cert: trustme.LeafCert) -> ssl.SSLContext:
    """Return a server-side TLS context presenting ``cert``."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    return context


def settings_for(
    server: SmtpTestServer | ScriptedServer,
    security: Security | str = Security.NONE,
    **kw: Any,
) -> ServerSettings:
    """Return ``ServerSettings`` reaching ``server``.

    Defaults: host 127.0.0.1, the server's port, the test CA as ``cafile`` when the
    fixture set one, short test timeouts, ``user`` as ``username`` shortcut.
    """
    security = Security(security)
    kw.setdefault("cafile", getattr(server, "cafile", None))
    kw.setdefault("timeouts", TEST_TIMEOUTS)
    if "user" in kw:
        kw["username"] = kw.pop("user")
    if isinstance(kw.get("auth"), str):
        kw["auth"] = AuthMethod(kw["auth"])
    return ServerSettings(host=server.host, port=server.port, security=security, **kw)


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    """A throwaway certificate authority for the whole test session."""
    return trustme.CA()


@pytest.fixture
def server_cert(ca: trustme.CA) -> trustme.LeafCert:
    """A leaf certificate for ``localhost`` and ``127.0.0.1`` signed by ``ca``."""
    return ca.issue_cert("localhost", "127.0.0.1")


@pytest.fixture
def server_ssl_context(server_cert: trustme.LeafCert) -> ssl.SSLContext:
    """A server-side TLS context presenting ``server_cert``."""
    return server_context(server_cert)


@pytest.fixture
def client_cafile(ca: trustme.CA, tmp_path: Path) -> Path:
    """The test CA's certificate as a PEM file on disk."""
    path = tmp_path / "test-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture
def smtp_server() -> Iterator[SmtpTestServer]:
    """A plain (no TLS, no AUTH) recording sink."""
    with SmtpTestServer() as server:
        yield server


@pytest.fixture
def starttls_server(
    server_ssl_context: ssl.SSLContext, client_cafile: Path
) -> Iterator[SmtpTestServer]:
    """A sink offering STARTTLS (required) and AUTH inside TLS for ann."""
    with SmtpTestServer(
        starttls_context=server_ssl_context,
        require_starttls=True,
        auth={AUTH_USER: AUTH_PASSWORD},
    ) as server:
        server.cafile = client_cafile
        yield server


@pytest.fixture
def tls_server(server_ssl_context: ssl.SSLContext, client_cafile: Path) -> Iterator[SmtpTestServer]:
    """A sink speaking TLS from the first byte, with AUTH for ann."""
    with SmtpTestServer(tls_context=server_ssl_context, auth={AUTH_USER: AUTH_PASSWORD}) as server:
        server.cafile = client_cafile
        yield server


@pytest.fixture
def auth_server() -> Iterator[SmtpTestServer]:
    """A plaintext lab sink with AUTH PLAIN/LOGIN/CRAM-MD5 for ann (no TLS needed)."""
    with SmtpTestServer(auth={AUTH_USER: AUTH_PASSWORD}, auth_require_tls=False) as server:
        yield server


class EventLog(list):
    """Collects ``TranscriptEvent``s; pass it as ``on_event``."""

    def __call__(self, event: Any) -> None:
        self.append(event)

    @property
    def text(self) -> str:
        """The transcript as the CLI prints it."""
        return "\n".join(event.format() for event in self)

    def lines(self, direction: str) -> list[str]:
        """Texts of the events of one direction (``"C"``, ``"S"`` or ``"*"``)."""
        return [event.text for event in self if event.direction.value == direction]


def make_built(
    *,
    from_addr: str = "Ann Sender <ann@example.test>",
    to: str = "bob@example.test",
    subject: str = "Test message",
    text: str = "Hello from the tests.\n.leading dot\n",
    **draft_fields: Any,
) -> Any:
    """Build a real ``BuiltMessage`` from a small ``Draft``."""
    from mailcomposer.message.draft import Draft
    from mailcomposer.message.mime import build_message

    draft = Draft(from_addr=from_addr, to=to, subject=subject, text=text, **draft_fields)
    return build_message(draft)


@pytest.fixture
def events() -> EventLog:
    """A fresh transcript collector."""
    return EventLog()
