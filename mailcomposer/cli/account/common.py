"""What the account subcommands share: the error line naming the option, the password on stdin."""

from __future__ import annotations

from typing import TextIO

from mailcomposer.cli.output import usage_error
from mailcomposer.i18n import _
from mailcomposer.message.errors import InputError
from mailcomposer.smtp.settings import Secret

# An account field (as InputError.field names it) -> the option that sets it.
OPTION_OF_FIELD = {
    "host": "--server",
    "port": "--server",
    "server": "--server",
    "security": "--security",
    "user": "--user",
    "username": "--user",
    "from": "--from",
    "reply-to": "--from",
    "cafile": "--cafile",
    "password": "--password-stdin",
    "preset": "--preset",
    "trust": "--trust",
    "oauth": "--oauth",
}


def option_of(field: str, command: str = "") -> str:
    """The option (or argument) to name for ``field`` in ``account <command>``.

    The account name is ``--name`` for ``add`` and the ``name`` argument elsewhere.
    """
    if field == "name":
        return "--name" if command == "add" else "name"
    return OPTION_OF_FIELD.get(field, field)


def fail(field: str, message: str, command: str = "") -> int:
    """Print the error line for ``field`` and return exit code 2."""
    return usage_error(option_of(field, command), message)


def read_password(stream: TextIO) -> Secret:
    """Read one line as the password; raise InputError if there is none."""
    try:
        line = stream.readline()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            "password",
            _("could not read the password from standard input ({error})").format(error=exc),
        ) from None
    # Only the line terminator is stripped: spaces can be part of a password.
    value = line.rstrip("\r\n")
    if not value:
        raise InputError("password", _("no password was given on standard input"))
    return Secret(value)
