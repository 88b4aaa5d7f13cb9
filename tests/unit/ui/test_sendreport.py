"""The failure details the composer shows: the server's reply as the server gave it."""

from __future__ import annotations

from mailcomposer.smtp.errors import Stage, error_from_reply
from mailcomposer.ui.sendreport import describe_failure


def test_the_enhanced_code_is_shown_once():
    """Gmail's "552 5.3.4 ..." read "552 5.3.4 5.3.4 ..." in the Not sent dialog."""
    error = error_from_reply(Stage.MAIL, 552, "5.3.4 Message size exceeds fixed maximum")
    _headline, details = describe_failure(error)
    assert "552 5.3.4 Message size exceeds fixed maximum" in details
    assert "5.3.4 5.3.4" not in details


def test_a_reply_without_an_enhanced_code_is_shown_whole():
    error = error_from_reply(Stage.RCPT, 550, "No such user here")
    _headline, details = describe_failure(error)
    assert "550 No such user here" in details


def test_a_refused_password_says_what_the_next_send_does() -> None:
    from mailcomposer.smtp.errors import ExitCode, SendError, Stage
    from mailcomposer.ui.sendreport import describe_failure

    error = SendError(Stage.AUTH, ExitCode.AUTH, "Login refused.", code=535,
                      server_text="5.7.8 Authentication credentials invalid")  # fmt: skip
    _headline, details = describe_failure(error)
    assert "The next Send asks for the password again" in details
    assert "Tools → Accounts" in details
