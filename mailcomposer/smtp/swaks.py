"""The swaks command line that sends the same message: a session exported for admins."""

from __future__ import annotations

import dataclasses
import re
import shlex
from typing import Any

from mailcomposer.i18n import _
from mailcomposer.smtp.settings import AuthMethod, Security, ServerSettings

# Headers swaks writes itself (MIME structure) or that only describe our build.
_SKIPPED = {"mime-version", "content-type", "content-transfer-encoding", "bcc"}
_FOLD = re.compile(r"\r?\n[ \t]+")
# swaks replaces its own default headers only when the name is spelt as it spells them.
_SWAKS_SPELLING = {"message-id": "Message-Id"}


@dataclasses.dataclass(frozen=True)
class SwaksCommand:
    """A swaks invocation equivalent to one send.

    Attributes:
        argv: the arguments, ``swaks`` first; no secret is ever among them.
        notes: translated remarks on what swaks cannot reproduce exactly.
    """

    argv: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def shell(self) -> str:
        """The command as one POSIX shell line."""
        return shlex.join(self.argv)


def _header_lines(built: Any) -> list[tuple[str, str]]:
    """The message's top-level headers as (name, value) in their wire (encoded) form."""
    root = built.message
    policy = built.policy()
    lines = []
    for name in dict.fromkeys(root.keys()):
        if name.lower() in _SKIPPED:
            continue
        for value in root.get_all(name, []):
            folded = policy.fold(name, value)
            unfolded = _FOLD.sub(" ", folded).rstrip("\r\n")
            shown = _SWAKS_SPELLING.get(name.lower(), name)
            lines.append((shown, unfolded.split(":", 1)[1].strip()))
    return lines


def _literal(value: str) -> str:
    """Protect a value from swaks' file syntax (``@path`` reads a file, ``-`` stdin)."""
    if value.startswith("@"):
        return "@" + value
    return value + "\n" if value == "-" else value


def _server_args(settings: ServerSettings) -> list[str]:
    from mailcomposer.smtp.transport import local_name

    args = ["--server", settings.host, "--port", str(settings.effective_port)]
    if settings.security is Security.STARTTLS:
        args.append("--tls")
    elif settings.security is Security.TLS:
        args.append("--tls-on-connect")
    if settings.security is not Security.NONE:
        args.append("--tls-verify")
        if settings.cafile is not None:
            args += ["--tls-ca-path", str(settings.cafile)]
    if settings.username:
        if settings.auth not in (AuthMethod.AUTO,):
            args += ["--auth", settings.auth.value.upper()]
        else:
            args.append("--auth")
        # swaks asks for the password at its prompt: it never appears in the command.
        args += ["--auth-user", settings.username]
    # The EHLO name a send gives: swaks would otherwise look up and send this
    # machine's full name (slow reverse DNS, and it leaks the name).
    return [*args, "--ehlo", local_name(settings)]


def _envelope_notes(envelope: Any, settings: ServerSettings) -> list[str]:
    """What a send asks of the server that swaks has no option for."""
    notes = []
    if getattr(envelope, "notify", ()):
        notes.append(
            _(
                "swaks cannot ask for delivery notifications (DSN: NOTIFY, RET and ENVID "
                "in the envelope): this command sends the message without them."
            )
        )
    if getattr(envelope, "smtputf8", False):
        notes.append(
            _(
                "An address in this message has non-ASCII characters before the @, but "
                "swaks never declares SMTPUTF8 for it: a server may refuse the message."
            )
        )
    if settings.username and settings.auth is AuthMethod.XOAUTH2:
        notes.append(
            _(
                "This account signs in with OAuth 2 (XOAUTH2), which swaks does not "
                "support: the command cannot log in."
            )
        )
    return notes


def swaks_command(draft: Any, built: Any, settings: ServerSettings) -> SwaksCommand:
    """Describe ``built`` (from ``draft``) as the swaks command that sends the same.

    Recipients (the envelope, Bcc included but never in a header), the headers in
    their encoded form (priority and read-receipt headers too), the EHLO name, the
    text and HTML bodies and the attached files are carried over; swaks builds its
    own MIME around them. What swaks cannot express (delivery notifications,
    SMTPUTF8, OAuth 2, inline images) is said in the notes.

    Args:
        draft: the ``Draft`` the message was built from (for attachment paths).
        built: the ``BuiltMessage`` (envelope, encoded headers).
        settings: the server to send to.
    """
    argv = ["swaks", *_server_args(settings)]
    envelope = built.envelope
    argv += ["--from", envelope.sender, "--to", ",".join(envelope.recipients)]
    headers = _header_lines(built)
    names = {name.lower() for name, _value in headers}
    for name, value in headers:
        argv += ["--header", f"{name}: {value}"]
    if "to" not in names:
        # swaks would otherwise write every envelope recipient, Bcc too, into To.
        argv += ["--header", "To: undisclosed-recipients:;"]
    if "x-mailer" not in names:
        argv += ["--header", "X-Mailer: mailcomposer"]
    notes = _envelope_notes(envelope, settings)
    if draft.html is None and not draft.attachments:
        argv += ["--body", _literal(draft.text)]
    else:
        argv += [
            "--attach-type",
            "text/plain; charset=utf-8",
            "--attach-body",
            _literal(draft.text),
        ]
        if draft.html is not None:
            argv += [
                "--attach-type",
                "text/html; charset=utf-8",
                "--attach-body",
                _literal(draft.html),
            ]
    if draft.inline_images:
        notes.append(
            _(
                "Inline images cannot be given to swaks; the HTML refers to them "
                "but they are left out."
            )
        )
    for attachment in draft.attachments:
        if attachment.path is None:
            notes.append(
                _("{name} exists only in memory; save it to a file and add --attach @FILE.").format(
                    name=attachment.filename
                )
            )
            continue
        content_type = attachment.content_type or "application/octet-stream"
        argv += [
            "--attach-type",
            content_type,
            "--attach-name",
            attachment.filename,
            "--attach",
            "@" + str(attachment.path),
        ]
    return SwaksCommand(tuple(argv), tuple(notes))
