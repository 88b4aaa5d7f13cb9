"""``send --timeout``: a wait the socket layer cannot hold is refused before anything is sent."""

from __future__ import annotations

import pytest

from mailcomposer import cli
from mailcomposer.smtp.errors import ExitCode
from tests.servers import SmtpTestServer


def _send(server: SmtpTestServer, timeout: str) -> int:
    return cli.main(
        [
            "send", "--server", f"127.0.0.1:{server.port}", "--security", "none",
            "--timeout", timeout, "--from", "ann@example.org", "--to", "bob@example.org",
            "--text", "hi",
        ]
    )  # fmt: skip


@pytest.mark.parametrize("timeout", ["inf", "1e9", "86401"])
def test_a_timeout_beyond_a_day_is_invalid_input_and_nothing_is_sent(
    smtp_server: SmtpTestServer, timeout: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # inf failed at connect ("timestamp out of range for platform time_t", exit 3);
    # 1e9 got the message accepted, then failed to wait for the reply to the dot
    # and said "may have been delivered", exit 8, keeping a copy to resend.
    assert _send(smtp_server, timeout) == ExitCode.INPUT
    err = capsys.readouterr().err
    assert f"--timeout: “{timeout}” is not a number of seconds above 0 and at most 86400" in err
    assert smtp_server.handler.received == []


def test_the_longest_timeout_allowed_sends(smtp_server: SmtpTestServer) -> None:
    assert _send(smtp_server, "86400") == ExitCode.OK
    assert len(smtp_server.handler.received) == 1
