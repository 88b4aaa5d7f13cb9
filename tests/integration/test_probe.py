"""Connection tests and auto-detection against real aiosmtpd servers on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult

from mailcomposer.smtp.errors import ExitCode, Stage
from mailcomposer.smtp.probe import autodetect, test_connection
from mailcomposer.smtp.session import CancelToken
from mailcomposer.smtp.settings import Secret, Security, Timeouts
from mailcomposer.store.paths import Home
from mailcomposer.store.pins import PinStore, settings_with_pin
from tests.servers import SmtpTestServer
from tests.smtp_fixtures import AUTH_PASSWORD, AUTH_USER, EventLog, settings_for

GOOD = Secret(AUTH_PASSWORD)
BAD = Secret("wrong-password-123")
# A port that speaks TLS first never greets in plain text: do not wait long for it.
QUICK = Timeouts(connect=3.0, command=1.0, final_dot=3.0)


class AuthServer(SmtpTestServer):
    """SmtpTestServer whose failed logins get their 535 reply.

    WORKAROUND: tests/servers.py returns ``AuthResult(success=False)``, whose default
    ``handled=True`` tells aiosmtpd the reply was already sent, so a wrong password
    hangs until the client times out (reported to the lead). Its CRAM-MD5 has the same
    problem, so only PLAIN and LOGIN are offered here.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("auth", {AUTH_USER: AUTH_PASSWORD})
        kwargs.setdefault("auth_mechanisms", ["PLAIN", "LOGIN"])
        super().__init__(**kwargs)

    def _authenticate(self, *args: Any) -> AuthResult:
        result = super()._authenticate(*args)
        return result if result.success else AuthResult(success=False, handled=False)


@pytest.fixture(params=["plain", "starttls", "tls"])
def any_server(
    request: pytest.FixtureRequest, server_ssl_context: ssl.SSLContext, client_cafile: Path
) -> Iterator[tuple[AuthServer, Security]]:
    name = request.param
    options: dict[str, Any] = {
        "plain": {"auth_require_tls": False},
        "starttls": {"starttls_context": server_ssl_context, "require_starttls": True},
        "tls": {"tls_context": server_ssl_context},
    }[name]
    security = {"plain": Security.NONE, "starttls": Security.STARTTLS, "tls": Security.TLS}[name]
    with AuthServer(**options) as server:
        server.cafile = client_cafile
        yield server, security


def test_right_password_in_every_mode(any_server, events: EventLog) -> None:
    server, security = any_server
    report = test_connection(settings_for(server, security, user=AUTH_USER), GOOD, on_event=events)
    assert report.ok, report.verdict_lines()
    assert report.exit_code is ExitCode.OK
    assert report.mechanism in {"PLAIN", "LOGIN", "CRAM-MD5"}
    assert Stage.AUTH in report.stages and report.stages[-1] is Stage.QUIT
    assert (Stage.STARTTLS in report.stages) == (security is Security.STARTTLS)
    assert report.extensions is not None
    assert report.extensions.size_limit == 32 * 1024 * 1024
    assert report.extensions.smtputf8 and report.extensions.auth
    if security is Security.NONE:
        assert not report.tls_version
        assert any("on this computer" in line for line in report.verdict_lines())
    else:
        assert report.tls_version.startswith("TLSv1.")
        assert report.certificate is not None and report.certificate.sha256
    text = events.text
    assert "C: QUIT" in text and "MAIL FROM" not in text  # no mail sent
    assert AUTH_PASSWORD not in text
    verdict = "\n".join(report.verdict_lines())
    assert "succeeded" in verdict and "32 MiB" in verdict
    assert AUTH_PASSWORD not in verdict
    assert not server.received


def test_wrong_password_in_every_mode(any_server, events: EventLog) -> None:
    server, security = any_server
    report = test_connection(settings_for(server, security, user=AUTH_USER), BAD, on_event=events)
    assert not report.ok
    assert report.exit_code is ExitCode.AUTH
    assert report.error is not None and report.error.code == 535
    assert Stage.AUTH not in report.stages and Stage.EHLO in report.stages
    verdict = "\n".join(report.verdict_lines())
    assert "failed" in verdict and "check the user name" in verdict
    assert BAD.value not in events.text


def test_the_callers_provider_note_follows_a_login_failure(events: EventLog) -> None:
    note = "QQ Mail needs an authorization code (授权码), not the web password."
    with AuthServer(auth_require_tls=False) as server:
        settings = settings_for(server, Security.NONE, user=AUTH_USER)
        failed = test_connection(settings, BAD, on_event=events, provider_note=note)
        passed = test_connection(settings, GOOD, on_event=events, provider_note=note)
    assert failed.exit_code is ExitCode.AUTH
    assert note in failed.advice() and note in "\n".join(failed.verdict_lines())
    assert passed.ok and passed.advice() == []


def test_without_user_name_no_login(smtp_server: SmtpTestServer, events: EventLog) -> None:
    report = test_connection(settings_for(smtp_server), None, on_event=events)
    assert report.ok and not report.mechanism
    assert Stage.AUTH not in report.stages
    assert "AUTH" not in "\n".join(events.lines("C"))


def test_implicit_tls_port_probed_with_starttls(tls_server: SmtpTestServer) -> None:
    settings = settings_for(tls_server, Security.STARTTLS, user=AUTH_USER, timeouts=QUICK)
    report = test_connection(settings, GOOD, on_event=EventLog())
    assert not report.ok
    assert report.exit_code in (ExitCode.CONNECTION, ExitCode.TLS)
    verdict = "\n".join(report.verdict_lines())
    assert "TLS from the first byte" in verdict and "465" in verdict


def test_starttls_port_probed_with_implicit_tls(starttls_server: SmtpTestServer) -> None:
    settings = settings_for(starttls_server, Security.TLS, user=AUTH_USER, timeouts=QUICK)
    report = test_connection(settings, GOOD, on_event=EventLog())
    assert report.exit_code is ExitCode.TLS
    verdict = "\n".join(report.verdict_lines())
    assert "WRONG_VERSION_NUMBER" in verdict and "STARTTLS" in verdict


def test_autodetect_on_loopback_candidates(starttls_server: SmtpTestServer) -> None:
    events = EventLog()
    port = starttls_server.port
    base = settings_for(starttls_server, timeouts=QUICK)
    result = autodetect(
        "127.0.0.1", GOOD, AUTH_USER, on_event=events,
        ports=[(port, Security.TLS), (port, Security.STARTTLS)], base=base, timeouts=QUICK,
    )  # fmt: skip
    assert result.ok and result.best is not None
    assert result.best.settings.security is Security.STARTTLS
    assert len(result.reports) == 2
    text = "\n".join(result.lines())
    assert "WRONG_VERSION_NUMBER" in text
    assert f"Use port {port} with security starttls" in text
    assert f"Trying port {port} with tls" in events.text


def test_autodetect_nothing_works(starttls_server: SmtpTestServer) -> None:
    from tests.servers import free_port

    closed = free_port()
    result = autodetect(
        "127.0.0.1", None, "", on_event=EventLog(),
        ports=[(closed, Security.TLS), (closed, Security.STARTTLS)], timeouts=QUICK,
    )  # fmt: skip
    assert not result.ok and len(result.reports) == 2
    assert "No candidate worked" in result.lines()[-1]


def test_cancelled_before_start(smtp_server: SmtpTestServer) -> None:
    token = CancelToken()
    token.cancel()
    report = test_connection(settings_for(smtp_server), None, on_event=EventLog(), cancel=token)
    assert report.exit_code is ExitCode.CANCELLED
    result = autodetect("127.0.0.1", None, "", on_event=EventLog(), cancel=token,
                        ports=[(smtp_server.port, Security.NONE)])  # fmt: skip
    assert result.cancelled


@pytest.mark.parametrize("security", [Security.STARTTLS, Security.TLS])
def test_pinning_flow(security: Security, server_ssl_context, mailcomposer_home: Path) -> None:
    if security is Security.TLS:
        server = AuthServer(tls_context=server_ssl_context)
    else:
        server = AuthServer(starttls_context=server_ssl_context, require_starttls=True)
    with server:
        _pinning_flow(server, security, mailcomposer_home)


def _pinning_flow(tls_server: AuthServer, security: Security, mailcomposer_home: Path) -> None:
    pins = PinStore(Home(mailcomposer_home))
    # Without the test CA the certificate does not verify: the user is asked.
    settings = settings_for(tls_server, security, user=AUTH_USER, cafile=None)
    first = test_connection(settings_with_pin(settings, pins), GOOD, on_event=EventLog())
    assert first.exit_code is ExitCode.TLS
    info = first.untrusted_certificate
    assert info is not None and info.sha256 and info.reason
    verdict = "\n".join(first.verdict_lines())
    assert info.sha256 in verdict

    pins.trust(info)
    events = EventLog()
    second = test_connection(settings_with_pin(settings, pins), GOOD, on_event=events)
    assert second.ok, second.verdict_lines()
    assert "trusted by your explicit exception" in events.text

    # The server's certificate changes: the old pin must not let it through.
    changed = dataclasses.replace(info, sha256="00" * 32)
    pins.trust(changed, settings.host, settings.port)
    third = test_connection(settings_with_pin(settings, pins), GOOD, on_event=EventLog())
    assert third.exit_code is ExitCode.TLS
    assert third.untrusted_certificate is not None
    assert third.untrusted_certificate.sha256 == info.sha256
    assert "different certificate" in third.error.user_message


def test_plaintext_to_a_remote_server_is_warned_about() -> None:
    from mailcomposer.smtp.probe import ConnectionReport
    from mailcomposer.smtp.settings import ServerSettings

    settings = ServerSettings("mail.example.com", 25, Security.NONE)
    report = ConnectionReport(settings, ok=True, stages=(Stage.CONNECT, Stage.GREETING,
                                                         Stage.EHLO, Stage.QUIT))  # fmt: skip
    assert any("anyone on the network" in line for line in report.verdict_lines())
