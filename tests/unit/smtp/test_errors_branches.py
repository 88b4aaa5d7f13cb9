"""Error mapping branches the mutation sample found untested: network errors, login advice."""

from __future__ import annotations

import errno
import smtplib

import pytest

from mailcomposer.smtp.errors import ExitCode, Stage, error_from_exception, error_from_reply

PASSWORD_ADVICE = "check the user name and password"


def test_a_network_error_keeps_its_stage_and_says_what_the_system_said() -> None:
    exc = OSError(errno.ENETUNREACH, "Network is unreachable")

    error = error_from_exception(exc, Stage.CONNECT)

    assert error.stage is Stage.CONNECT
    assert error.exit_code is ExitCode.CONNECTION
    assert "Network is unreachable" in error.user_message
    assert "Network is unreachable" in error.detail


def test_a_feature_the_server_lacks_is_a_refusal_that_names_it() -> None:
    exc = smtplib.SMTPNotSupportedError("SMTPUTF8 not supported by server")

    error = error_from_exception(exc, Stage.MAIL)

    assert error.stage is Stage.MAIL
    assert error.exit_code is ExitCode.REFUSED
    assert "SMTPUTF8 not supported by server" in error.user_message


@pytest.mark.parametrize(
    ("code", "text"),
    [(535, b"Authentication failed"), (535, b"5.7.8 Bad credentials"), (500, b"5.7.8 No")],
)
def test_a_refused_password_gets_the_password_advice(code: int, text: bytes) -> None:
    error = error_from_reply(Stage.AUTH, code, text)

    assert error.exit_code is ExitCode.AUTH
    assert PASSWORD_ADVICE in error.user_message


@pytest.mark.parametrize(
    ("code", "text", "words"),
    [
        (454, b"4.7.0 Temporary authentication failure", "try again later"),
        (534, b"5.7.9 Please log in with your web browser", "534"),
    ],
)
def test_other_login_failures_do_not_blame_the_password(code: int, text: bytes, words: str) -> None:
    error = error_from_reply(Stage.AUTH, code, text)

    assert error.exit_code is ExitCode.AUTH
    assert PASSWORD_ADVICE not in error.user_message
    assert words in error.user_message
