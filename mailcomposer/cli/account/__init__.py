"""``mailcomposer account``: list, add, test, log in to or remove accounts (one module each)."""

from __future__ import annotations

import argparse

from mailcomposer.cli.parser import SECURITY_CHOICES, add_connection_options
from mailcomposer.i18n import _


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``account`` subcommands and their options to its parser."""
    commands = parser.add_subparsers(dest="account_command", metavar="COMMAND")
    commands.required = True

    commands.add_parser("list", help=_("list the accounts"))

    add = commands.add_parser("add", help=_("add (or replace) an account"))
    add.add_argument("--name", required=True, help=_("account name"))
    where = add.add_mutually_exclusive_group(required=True)
    # The preset ids are read from presets.json only when "account" is the command.
    from mailcomposer.store import presets

    where.add_argument(
        "--preset",
        help=_("provider preset: {ids}").format(ids=", ".join(p.id for p in presets.presets())),
    )
    where.add_argument(
        "--server", metavar="HOST[:PORT]", help=_("server name and port ([IPv6]:PORT for IPv6)")
    )
    where.add_argument(
        "--detect",
        action="store_true",
        help=_("find the settings of the --from address's domain (autoconfig, DNS)"),
    )
    add.add_argument(
        "--security",
        choices=SECURITY_CHOICES,
        help=_("none, starttls or tls (default: tls on port 465, none for this computer, "
               "else starttls)"),
    )  # fmt: skip
    add.add_argument("--user", help=_("login name (default: the sender address)"))
    add.add_argument("--from", dest="from_", metavar="ADDR", help=_("sender address"))
    add.add_argument("--cafile", metavar="PATH", help=_("extra CA certificate file (PEM)"))
    add.add_argument(
        "--password-stdin", action="store_true", help=_("read the password from standard input")
    )
    add.add_argument("--no-login", action="store_true", help=_("the server needs no login"))
    from mailcomposer.cli.account import oauth

    oauth.add_arguments(add)
    oauth.add_login_parser(commands)
    add.add_argument(
        "--yes", action="store_true", help=_("with --detect: accept unverified settings")
    )
    from mailcomposer.cli.account import imap

    imap.add_arguments(add)

    test = commands.add_parser(
        "test",
        help=_("connect, TLS, AUTH; print transcript and verdict"),
        description=_(
            "Connect to the account's server, secure the connection and log in, then quit: "
            "no mail is sent. Prints the SMTP transcript and what it means, or with --json "
            "one JSON object (server, TLS and certificate, capabilities, login, the failure "
            "and what to change, the transcript). The password never appears in either. "
            "To check a server without saving an account, give --server instead of a name."
        ),
        epilog=_(
            "Exit codes: 0 the test succeeded, 2 invalid input (unknown account, no "
            "password), 3 connection failed, 4 TLS problem, 5 authentication failed, "
            "7 cancelled."
        ),
    )
    test.add_argument("name", nargs="?", help=_("account name"))
    test.add_argument(
        "--server", metavar="HOST[:PORT]", help=_("test this server instead of an account")
    )
    add_connection_options(test, only_with_server=True)
    test.add_argument(
        "--explain", action="store_true", help=_("explain each command and reply in plain words")
    )
    test.add_argument(
        "--trust",
        metavar="SHA256",
        help=_("trust the server's certificate if its SHA-256 fingerprint is this one"),
    )
    test.add_argument(
        "--json",
        action="store_true",
        help=_("print one JSON object with the result instead of the transcript and verdict"),
    )

    commands.add_parser(
        "sent-retry",
        help=_("file the copies for Sent that are still waiting (IMAP was unreachable)"),
    ).add_argument("--password-stdin", action="store_true", help=_("read the password from "
                                                                   "standard input"))  # fmt: skip

    remove = commands.add_parser("remove", help=_("remove an account and its stored password"))
    remove.add_argument("name", help=_("account name"))


def run(args: argparse.Namespace, home: object = None) -> int:
    """Run the ``account`` subcommand in ``args``; return the exit code."""
    from mailcomposer.cli.account.common import fail
    from mailcomposer.cli.output import usage_error
    from mailcomposer.cli.parser import UsageError
    from mailcomposer.message.errors import InputError
    from mailcomposer.store.paths import Home

    home = home or Home.from_env()
    command = args.account_command
    try:
        if command == "list":
            from mailcomposer.cli.account import list as module
        elif command == "add":
            from mailcomposer.cli.account import add as module
        elif command == "test":
            from mailcomposer.cli.account import test as module
        elif command == "sent-retry":
            from mailcomposer.cli.account import sentretry as module
        elif command == "remove":
            from mailcomposer.cli.account import remove as module
        elif command == "login":
            from mailcomposer.cli.account import oauth

            return oauth.run_login(args, home)
        else:
            return fail("command", _("unknown account command {command}").format(command=command))
        return module.run(args, home)
    except InputError as exc:
        return fail(exc.field, exc.message, command)
    except UsageError as exc:
        return usage_error(exc.option, exc.message)
