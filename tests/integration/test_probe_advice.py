"""What a connection test tells an administrator to change, against misbehaving servers.

Each server here answered something: the advice must follow what it answered,
not guess (a 421 greeting is no sign of a TLS port; a STARTTLS the server offered
and then failed is no sign that it "does not offer STARTTLS").
"""

from __future__ import annotations

from mailcomposer.smtp.errors import ExitCode, Stage
from mailcomposer.smtp.probe import test_connection
from mailcomposer.smtp.settings import Security, Timeouts
from tests.servers import (
    CLOSING,
    GREETING,
    NO_SERVICE,
    SERVICE_UNAVAILABLE,
    Close,
    Expect,
    Hang,
    ScriptedServer,
    Send,
    ehlo_reply,
)
from tests.smtp_fixtures import EventLog, settings_for

QUICK = Timeouts(connect=3.0, command=1.0, final_dot=3.0)
TLS_PORT_HINT = "it probably expects TLS from the first byte"
NOT_OFFERED = "this port does not offer STARTTLS"


def _verdict(server: ScriptedServer, security: Security) -> tuple[object, str]:
    settings = settings_for(server, security, timeouts=QUICK)
    report = test_connection(settings, None, on_event=EventLog())
    return report, "\n".join(report.verdict_lines())


def test_a_421_greeting_is_not_blamed_on_tls() -> None:
    with ScriptedServer([Send(SERVICE_UNAVAILABLE), Close()]) as server:
        report, verdict = _verdict(server, Security.NONE)
    assert report.error.stage is Stage.GREETING and report.exit_code is ExitCode.CONNECTION
    assert TLS_PORT_HINT not in verdict
    assert report.mismatch_hint() == ""
    assert "turned the connection away at once (421)" in verdict and "try again later" in verdict


def test_a_554_greeting_points_at_the_administrator() -> None:
    with ScriptedServer([Send(NO_SERVICE), Close()]) as server:
        _report, verdict = _verdict(server, Security.STARTTLS)
    assert TLS_PORT_HINT not in verdict
    assert "(554)" in verdict and "administrator" in verdict


def test_a_greeting_that_is_no_smtp_is_not_blamed_on_tls() -> None:
    with ScriptedServer([Send("HTTP/1.1 400 Bad Request"), Close()]) as server:
        report, verdict = _verdict(server, Security.NONE)
    assert report.error.stage is Stage.GREETING
    assert TLS_PORT_HINT not in verdict
    assert "HTTP/1.1 400 Bad Request" in verdict


def test_a_silent_port_still_gets_the_tls_hint() -> None:
    with ScriptedServer([Hang()]) as server:
        _report, verdict = _verdict(server, Security.NONE)
    assert TLS_PORT_HINT in verdict


def test_starttls_offered_then_refused_is_not_called_not_offered() -> None:
    script = [
        Send(GREETING),
        Expect("EHLO"),
        ehlo_reply("STARTTLS"),
        Expect("STARTTLS"),
        Send("454 4.7.0 TLS not available due to temporary reason"),
        Expect("QUIT"),
        Send(CLOSING),
    ]
    with ScriptedServer(script) as server:
        report, verdict = _verdict(server, Security.STARTTLS)
    assert report.exit_code is ExitCode.TLS and report.error.stage is Stage.STARTTLS
    assert NOT_OFFERED not in verdict
    assert "offers STARTTLS but refused to start it (454)" in verdict


def test_starttls_offered_then_no_tls_spoken_is_not_called_not_offered() -> None:
    # The server says 220 to STARTTLS, then sends plain text instead of a handshake.
    script = [
        Send(GREETING),
        Expect("EHLO"),
        ehlo_reply("STARTTLS"),
        Expect("STARTTLS"),
        Send("220 2.0.0 Ready to start TLS"),
        Send("this is not TLS at all"),
        Close(),
    ]
    with ScriptedServer(script) as server:
        report, verdict = _verdict(server, Security.STARTTLS)
    assert report.exit_code is ExitCode.TLS and report.error.stage is Stage.STARTTLS
    assert NOT_OFFERED not in verdict
    # Already STARTTLS: "change the security to STARTTLS instead of TLS" would be wrong.
    assert "instead of TLS" not in verdict
    assert "offers STARTTLS, but no encrypted connection came of it" in verdict
    assert "✗ Failed while starting encryption (STARTTLS)" in verdict


def test_starttls_then_plain_text_is_not_called_a_port_for_starttls() -> None:
    # The connection stays open with plain text on it: OpenSSL says "wrong version
    # number", which before STARTTLS means "not a TLS port" but here the opposite.
    script = [
        Send(GREETING),
        Expect("EHLO"),
        ehlo_reply("STARTTLS"),
        Expect("STARTTLS"),
        Send("220 2.0.0 Ready to start TLS"),
        Send("500 5.5.1 this is plain text where TLS should be, and more of it " * 3),
        Hang(),
    ]
    with ScriptedServer(script) as server:
        report, _verdict_text = _verdict(server, Security.STARTTLS)
    message = report.error.user_message
    assert "not TLS from the first byte" not in message
    assert "agreed to STARTTLS but then did not speak TLS" in message


def test_starttls_not_offered_keeps_its_advice() -> None:
    script = [
        Send(GREETING),
        Expect("EHLO"),
        ehlo_reply("SIZE 1000"),
        Expect("QUIT"),
        Send(CLOSING),
    ]
    with ScriptedServer(script) as server:
        _report, verdict = _verdict(server, Security.STARTTLS)
    assert NOT_OFFERED in verdict
