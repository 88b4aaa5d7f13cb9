"""The one error taxonomy: stage, server reply, user message and exit code."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ExitCode(enum.IntEnum):
    """Exit codes of ``mailcomposer send`` (DESIGN.md)."""

    OK = 0
    PARTIAL = 1
    INPUT = 2
    CONNECTION = 3
    TLS = 4
    AUTH = 5
    REFUSED = 6
    CANCELLED = 7
    UNKNOWN = 8


class Stage(enum.StrEnum):
    """Where in a send something happened."""

    BUILD = "build"
    CONNECT = "connect"
    GREETING = "greeting"
    EHLO = "ehlo"
    STARTTLS = "starttls"
    AUTH = "auth"
    MAIL = "mail"
    RCPT = "rcpt"
    DATA = "data"
    UPLOAD = "upload"
    FINAL_DOT = "final-dot"
    QUIT = "quit"


class SendError(Exception):
    """A send (or connection test) that did not succeed.

    Attributes:
        stage: protocol stage where it failed.
        exit_code: the CLI exit code for it.
        user_message: one translated sentence: what happened and what to check.
        code: the server's reply code, if a reply caused it.
        enhanced: the enhanced status code (``5.7.8``), if the server gave one.
        server_text: the server's reply text, if any.
        detail: technical detail (exception text, TLS reason) for the log.
        field: for input errors, the field at fault.
    """

    def __init__(
        self,
        stage: Stage,
        exit_code: ExitCode,
        user_message: str,
        *,
        code: int | None = None,
        enhanced: str | None = None,
        server_text: str = "",
        detail: str = "",
        field: str | None = None,
    ) -> None:
        super().__init__(user_message)
        self.stage = stage
        self.exit_code = exit_code
        self.user_message = user_message
        self.code = code
        self.enhanced = enhanced
        self.server_text = server_text
        self.detail = detail
        self.field = field

    def to_dict(self) -> dict[str, object]:
        return {
            "stage": self.stage.value,
            "exit_code": int(self.exit_code),
            "message": self.user_message,
            "code": self.code,
            "enhanced": self.enhanced,
            "server_text": self.server_text,
            "detail": self.detail,
            "field": self.field,
        }


@dataclass(frozen=True)
class Refusal:
    """One recipient the server refused, with its reply."""

    address: str
    code: int
    text: str


@dataclass(frozen=True)
class SendResult:
    """A message the server accepted (for at least one recipient).

    Attributes:
        message_id: the Message-ID sent.
        accepted: recipients the server took.
        refused: recipients it refused (partial refusal), with the reply.
        warnings: translated notes (QUIT failed after acceptance, ...).
        size: bytes sent in DATA.
        final_reply: the server's reply to the final dot (often a queue id).
    """

    message_id: str
    accepted: tuple[str, ...]
    refused: tuple[Refusal, ...] = ()
    warnings: tuple[str, ...] = ()
    size: int = 0
    final_reply: str = ""

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.PARTIAL if self.refused else ExitCode.OK
