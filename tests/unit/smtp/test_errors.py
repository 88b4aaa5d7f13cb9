"""The one mapping from exceptions and replies to SendError."""

from __future__ import annotations

import smtplib
import socket
import ssl

import pytest

from mailcomposer.message.errors import AddressError
from mailcomposer.smtp.errors import (
    ExitCode,
    SendError,
    Stage,
    error_from_exception,
    error_from_reply,
    from_input_error,
)


@pytest.mark.parametrize(
    ("exc", "stage", "exit_code", "words"),
    [
        (TimeoutError("timed out"), Stage.GREETING, ExitCode.CONNECTION, "did not answer"),
        (TimeoutError("timed out"), Stage.MAIL, ExitCode.CONNECTION, "did not answer"),
        (ConnectionRefusedError(111, "refused"), Stage.CONNECT, ExitCode.CONNECTION, "port"),
        (socket.gaierror(-2, "Name unknown"), Stage.CONNECT, ExitCode.CONNECTION, "server name"),
        (ConnectionResetError(104, "reset"), Stage.UPLOAD, ExitCode.CONNECTION, "closed"),
        (smtplib.SMTPServerDisconnected("gone"), Stage.RCPT, ExitCode.CONNECTION, "closed"),
        (ConnectionResetError(104, "reset"), Stage.FINAL_DOT, ExitCode.UNKNOWN, "may have"),
        (TimeoutError("timed out"), Stage.FINAL_DOT, ExitCode.UNKNOWN, "resend"),
        (ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number"), Stage.CONNECT,
         ExitCode.TLS, "STARTTLS or a plain connection"),
        (RuntimeError("boom"), Stage.DATA, ExitCode.CONNECTION, "boom"),
    ],
)  # fmt: skip
def test_exceptions_map_to_stage_exit_code_and_advice(exc, stage, exit_code, words):
    error = error_from_exception(exc, stage)
    assert isinstance(error, SendError)
    assert error.stage is stage
    assert error.exit_code is exit_code
    assert words in error.user_message
    assert error.detail


@pytest.mark.parametrize(
    ("stage", "code", "text", "exit_code"),
    [
        (Stage.AUTH, 535, b"5.7.8 Authentication credentials invalid", ExitCode.AUTH),
        (Stage.AUTH, 534, b"5.7.9 Please log in with your web browser", ExitCode.AUTH),
        (Stage.MAIL, 530, b"5.7.0 Authentication required", ExitCode.AUTH),
        (Stage.MAIL, 553, b"5.7.1 Sender not owned", ExitCode.REFUSED),
        (Stage.RCPT, 550, b"5.1.1 No such user", ExitCode.REFUSED),
        (Stage.FINAL_DOT, 554, b"5.7.1 Spam", ExitCode.REFUSED),
        (Stage.FINAL_DOT, 452, b"4.3.1 Insufficient storage", ExitCode.REFUSED),
        (Stage.GREETING, 554, b"No SMTP service here", ExitCode.CONNECTION),
        (Stage.MAIL, 421, b"4.3.2 Shutting down", ExitCode.CONNECTION),
        (Stage.STARTTLS, 454, b"4.7.0 TLS not available", ExitCode.TLS),
    ],
)
def test_replies_map_by_stage_and_code(stage, code, text, exit_code):
    error = error_from_exception(smtplib.SMTPResponseException(code, text), stage)
    assert error.exit_code is exit_code
    assert error.code == code
    assert error.server_text == text.decode()
    assert error.stage is stage


def test_enhanced_code_is_parsed():
    error = error_from_reply(Stage.AUTH, 535, "5.7.8 Error: authentication failed")
    assert error.enhanced == "5.7.8"
    assert "app password" in error.user_message
    assert "授权码" in error.user_message


def test_temporary_reply_says_try_later():
    error = error_from_reply(Stage.RCPT, 450, "4.2.1 Mailbox busy")
    assert "try again later" in error.user_message


def test_send_error_passes_through():
    original = SendError(Stage.AUTH, ExitCode.AUTH, "x")
    assert error_from_exception(original, Stage.MAIL) is original


def test_input_error_becomes_exit_2():
    problem = AddressError("to", "“bob@” has no domain.", "bob@")
    error = from_input_error(problem)
    assert error.exit_code is ExitCode.INPUT
    assert error.field == "to"
    assert error.user_message == "“bob@” has no domain."
    assert error_from_exception(problem, Stage.BUILD).exit_code is ExitCode.INPUT


def test_certificate_defaults_to_none():
    assert SendError(Stage.CONNECT, ExitCode.CONNECTION, "x").certificate is None
