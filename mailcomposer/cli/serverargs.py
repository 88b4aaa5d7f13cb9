"""The server half of ``send``'s options: account or ``--server``, timeouts, the password."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, replace

from mailcomposer.cli.address import default_security, parse_server
from mailcomposer.cli.files import readable_file
from mailcomposer.cli.output import print_warning
from mailcomposer.cli.parser import UsageError
from mailcomposer.i18n import _
from mailcomposer.smtp.settings import Secret, Security, ServerSettings, Timeouts
from mailcomposer.store.paths import Home

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from typing import Any

SANDBOX_FROM = "me@sandbox.localhost"
# The longest --timeout, in seconds: one day.
MAX_TIMEOUT = 86400


@dataclass(frozen=True)
class Server:
    """Where a send goes, as the options and the account say.

    Attributes:
        settings: the server settings (port 0 for the built-in server: it picks one).
        secret: the password from the keyring, if one was looked up and found.
        account_name: the account used ("" with ``--server``).
        start_sandbox: the built-in local server must be started for this send.
        default_from: the sender when ``--from`` is not given ("" if none).
    """

    settings: ServerSettings
    secret: Secret | None = None
    account_name: str = ""
    start_sandbox: bool = False
    default_from: str = ""


def timeouts(args: argparse.Namespace, base: Timeouts) -> Timeouts:
    """``base``, or the timeouts ``--timeout SECONDS`` asks for."""
    if args.timeout is None:
        return base
    try:
        seconds = float(args.timeout)
    except ValueError:
        seconds = -1.0
    # Not inf or 1e9: the socket layer cannot wait that long (the final dot waits ten
    # times as long), and failing there was "lost after the final dot", exit 8, for a
    # message the server had accepted.
    if not 0 < seconds <= MAX_TIMEOUT:
        raise UsageError(
            "--timeout",
            _("“{value}” is not a number of seconds above 0 and at most {limit} (a day)").format(
                value=args.timeout, limit=MAX_TIMEOUT
            ),
        )
    # The reply to the final dot may legitimately take much longer (virus scans).
    return Timeouts.scaled(seconds)


def server_from_args(args: argparse.Namespace, home: Home) -> Server:
    """The server the options name: ``--server``, ``--account``, or the default account."""
    if args.account and args.server:
        raise UsageError("--server", _("give either --account or --server, not both"))
    cafile = readable_file("--cafile", args.cafile) if args.cafile else None
    if args.server:
        host, port = parse_server(args.server)
        security = Security(args.security or default_security(host, port))
        settings = ServerSettings(
            host=host, port=port, security=security, username=args.user or "", cafile=cafile
        )
        return Server(replace(settings, timeouts=timeouts(args, settings.timeouts)))
    account = _load_account(args.account, home)
    if account is None:
        # No account store yet: the built-in sandbox is the default.
        settings = ServerSettings(host="127.0.0.1", port=0, security=Security.NONE)
        settings = replace(settings, timeouts=timeouts(args, settings.timeouts))
        return Server(settings, start_sandbox=True, default_from=SANDBOX_FROM)
    settings = account.server
    changes: dict[str, Any] = {"timeouts": timeouts(args, settings.timeouts)}
    if cafile is not None:
        changes["cafile"] = cafile
    if args.user:
        changes["username"] = args.user
    if args.security:
        changes["security"] = Security(args.security)
    settings = replace(settings, **changes)
    identity = account.identity
    sandbox = bool(getattr(account, "builtin_sandbox", False))
    secret = None
    from_keyring = not (args.password_stdin or os.environ.get("MAILCOMPOSER_PASSWORD"))
    if settings.username and getattr(account, "oauth", None) is not None and from_keyring:
        # An OAuth2 account: a fresh access token from the stored refresh token.
        from mailcomposer.oauth.tokens import AccessTokens

        secret = AccessTokens().secret(account)
    elif settings.username and not sandbox and from_keyring:
        # keyring is imported only here: when a stored password is really looked up.
        from mailcomposer.store.credentials import Credentials

        credentials = Credentials()
        secret = credentials.get(account.name, settings.username) or credentials.get(account.name)
    return Server(
        settings,
        secret,
        account.name,
        start_sandbox=sandbox,
        default_from=identity.formatted() if identity is not None else "",
    )


def _load_account(name: str | None, home: Home) -> Any:
    try:
        from mailcomposer.store.accounts import AccountStore
    except ImportError:
        if name:
            raise UsageError("--account", _("accounts are not available in this build")) from None
        return None
    store = AccountStore(home)
    account = store.get(name) if name else store.default()
    if store.load_error:
        print_warning(store.load_error)
    if not name:
        return account
    if account is None:
        names = ", ".join(store.names())
        raise UsageError(
            "--account",
            _("no account called “{name}”; known: {names}").format(name=name, names=names),
        )
    return account


def _stdin_line() -> str:
    """One line of standard input: UTF-8 (scripts, password managers), else the console's.

    Python reads a pipe in the locale's code page (cp936 on a Chinese Windows), which
    garbled a UTF-8 password with any non-ASCII character; the bytes are read instead.
    """
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text stream handed in (tests, embedding)
        return sys.stdin.readline()
    raw = buffer.readline()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        import locale

        return raw.decode(locale.getpreferredencoding(False), "replace")


def ask_password(args: argparse.Namespace, settings: ServerSettings) -> Secret:
    """The password from ``--password-stdin``, MAILCOMPOSER_PASSWORD or a terminal prompt."""
    if args.password_stdin:
        password = _stdin_line().rstrip("\r\n")
        if not password:
            raise UsageError("--password-stdin", _("standard input held no password"))
        return Secret(password)
    env = os.environ.get("MAILCOMPOSER_PASSWORD")
    if env:
        return Secret(env)
    if sys.stdin.isatty() and not args.json:
        import getpass

        prompt = _("Password for {user} at {host}: ").format(
            user=settings.username, host=settings.host
        )
        try:
            password = getpass.getpass(prompt)
        except EOFError:  # Ctrl+C (or SIGTERM) cancels the send: exit 7, not 2
            password = ""
        if password:
            return Secret(password)
    raise no_password(settings.username)


def no_password(user: str) -> UsageError:
    """The usage error for a login with no password given (exit 2: nothing was sent)."""
    return UsageError(
        "--password-stdin",
        _(
            "no password for {user}: pipe it with --password-stdin or set MAILCOMPOSER_PASSWORD"
        ).format(user=user),
    )
