"""The ``mailcomposer account`` subcommands: list, add, test and remove sending accounts."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from mailcomposer.i18n import _
from mailcomposer.message.addresses import parse_address
from mailcomposer.message.errors import InputError
from mailcomposer.smtp.errors import ExitCode
from mailcomposer.smtp.settings import Secret, Security, ServerSettings
from mailcomposer.smtp.transcript import TranscriptEvent
from mailcomposer.store import presets
from mailcomposer.store.accounts import (
    Account,
    AccountStore,
    Identity,
    validate,
    validate_server,
)
from mailcomposer.store.credentials import Credentials
from mailcomposer.store.paths import Home
from mailcomposer.store.pins import PinStore, settings_with_pin
from mailcomposer.terminal import print_json


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``account`` command (and its subcommands) to ``subparsers``."""
    parser = subparsers.add_parser("account", help=_("list, add, test or remove sending accounts"))
    commands = parser.add_subparsers(dest="account_command", metavar="COMMAND")
    commands.required = True

    commands.add_parser("list", help=_("list the accounts"))

    add = commands.add_parser("add", help=_("add (or replace) an account"))
    add.add_argument("--name", required=True, help=_("account name"))
    where = add.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--preset",
        help=_("provider preset: {ids}").format(ids=", ".join(p.id for p in presets.presets())),
    )
    where.add_argument("--server", metavar="HOST[:PORT]", help=_("server name and port"))
    add.add_argument(
        "--security", choices=[s.value for s in Security], help=_("none, starttls or tls")
    )
    add.add_argument("--user", help=_("login name (default: the sender address)"))
    add.add_argument("--from", dest="from_", metavar="ADDR", help=_("sender address"))
    add.add_argument("--cafile", metavar="PATH", help=_("extra CA certificate file (PEM)"))
    add.add_argument(
        "--password-stdin", action="store_true", help=_("read the password from standard input")
    )
    add.add_argument("--no-login", action="store_true", help=_("the server needs no login"))

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
    test.add_argument(
        "--security",
        choices=[s.value for s in Security],
        help=_("with --server: none, starttls or tls (default: tls on 465, else starttls)"),
    )
    test.add_argument("--user", help=_("with --server: log in as this user"))
    test.add_argument(
        "--cafile", metavar="PATH", help=_("with --server: extra CA certificate file (PEM)")
    )
    test.add_argument(
        "--password-stdin", action="store_true", help=_("read the password from standard input")
    )
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

    remove = commands.add_parser("remove", help=_("remove an account and its stored password"))
    remove.add_argument("name", help=_("account name"))
    return parser


def _fail(field: str, message: str) -> int:
    print(_("mailcomposer: {field}: {message}").format(field=field, message=message),
          file=sys.stderr)  # fmt: skip
    return int(ExitCode.INPUT)


def _read_password(stream: TextIO) -> Secret:
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


def _parse_server(text: str) -> tuple[str, int]:
    host, port = text.strip(), 0
    if host.startswith("["):  # [IPv6]:port
        end = host.find("]")
        rest = host[end + 1 :]
        host = host[: end + 1]
        if rest.startswith(":"):
            port = _port(rest[1:])
    elif host.count(":") == 1:
        host, _sep, number = host.partition(":")
        port = _port(number)
    return host, port


def _default_security(port: int) -> Security:
    # Port 465 is TLS from the first byte; other submission ports upgrade.
    return Security.TLS if port == 465 else Security.STARTTLS


def _server_account(args: argparse.Namespace) -> Account:
    """The unsaved account ``account test --server`` checks."""
    host, port = _parse_server(args.server)
    if not host:
        raise InputError("server", _("give the server as HOST or HOST:PORT"))
    security = Security(args.security) if args.security else _default_security(port)
    server = ServerSettings(
        host=host,
        port=port or security.default_port,
        security=security,
        username=args.user or "",
        cafile=Path(args.cafile).expanduser() if args.cafile else None,
    )
    validate_server(server)
    return Account(name=host, server=server, identities=[])


def _port(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InputError("port", _("The port must be a number from 1 to 65535."), text) from None


def run(args: argparse.Namespace, home: Home | None = None) -> int:
    """Run the ``account`` subcommand in ``args``; return the exit code."""
    home = home or Home.from_env()
    command = args.account_command
    try:
        if command == "list":
            return _list(home)
        if command == "add":
            return _add(args, home)
        if command == "test":
            return _test(args, home)
        if command == "remove":
            return _remove(args, home)
    except InputError as exc:
        return _fail(exc.field, exc.message)
    return _fail("command", _("unknown account command {command}").format(command=command))


def _list(home: Home) -> int:
    store = AccountStore(home)
    default = store.default().name
    if store.load_error:
        print(_("warning: {text}").format(text=store.load_error), file=sys.stderr)
    for account in store.accounts():
        server = account.server
        if account.builtin_sandbox:
            where = _("built-in server on this computer, started on demand")
        else:
            where = f"{server.host}:{server.effective_port} {server.security.value}"
        sender = account.identity.formatted() if account.identity else "-"
        mark = "*" if account.name == default else " "
        print(f"{mark} {account.name}\t{where}\t{sender}")
    return 0


def _add(args: argparse.Namespace, home: Home) -> int:
    store = AccountStore(home)
    preset = None
    if args.preset:
        preset = presets.get(args.preset)
        if preset is None:
            return _fail(
                "preset",
                _("unknown preset “{preset}”; choose one of: {ids}").format(
                    preset=args.preset, ids=", ".join(p.id for p in presets.presets())
                ),
            )
        host, port, security = preset.host, preset.port, preset.security
        if args.security and Security(args.security) is not preset.security:
            return _fail("security", _("--security cannot be combined with --preset"))
    else:
        host, port = _parse_server(args.server)
        security = Security(args.security) if args.security else _default_security(port)
        port = port or security.default_port

    sender = args.from_ or (args.user if args.user and "@" in args.user else "")
    if not sender:
        return _fail("from", _("give the sender address with --from"))
    parsed = parse_address(sender, "from")
    display_name, address = parsed.display_name, parsed.addr_spec
    if preset is None:
        preset = presets.preset_for_address(address)
        if preset is not None and preset.host != host:
            preset = None
    username = "" if args.no_login else (args.user if args.user is not None else address)
    account = Account(
        name=args.name,
        server=ServerSettings(
            host=host,
            port=port,
            security=security,
            username=username,
            cafile=Path(args.cafile).expanduser() if args.cafile else None,
        ),
        identities=[Identity(display_name, address)],
        preset=preset.id if preset else "",
    )
    validate(account)  # a bad field is reported before stdin is read
    secret = _read_password(sys.stdin) if args.password_stdin else None
    before = store.get(account.name)
    store.save(account)
    if before is not None:
        # Replacing an account with another login name: the secret follows it (or is
        # replaced by the one just given) instead of staying under the old key.
        Credentials().account_edited(
            before.name, before.server.username, account.name, username,
            new_secret=secret is not None,
        )  # fmt: skip
    print(_("Account “{name}” saved: {host}:{port} {security}.").format(
        name=account.name, host=host, port=port, security=security.value))  # fmt: skip
    if preset is not None:
        print(_("Note for {provider}: {note}").format(provider=preset.name, note=preset.note))
    if secret is not None:
        credentials = Credentials()
        if credentials.set(account.name, secret, username):
            print(_("The password is stored in the system keyring."))
        else:
            # This process ends now: a session-only password would be gone at once.
            print(
                _(
                    "No system keyring was found, so the password was not saved. When "
                    "sending, give it with --password-stdin or the MAILCOMPOSER_PASSWORD "
                    "environment variable."
                ),
                f"({credentials.error})" if credentials.error else "",
                file=sys.stderr,
            )
    return 0


def _remove(args: argparse.Namespace, home: Home) -> int:
    store = AccountStore(home)
    account = store.get(args.name)
    store.remove(args.name)  # raises InputError for the sandbox or an unknown name
    if account is not None:
        Credentials().forget_account(account.name, account.server.username)
    print(_("Account “{name}” removed.").format(name=args.name))
    return 0


@dataclass
class _TestOutput:
    """Where a connection test's text goes: printed as it comes, or one JSON object at the end.

    Attributes:
        json: collect everything and print one JSON object.
        explain: annotate each server reply.
        account: the account name (reported in the JSON; None for --server).
        transcript: every transcript line and note, in order.
    """

    json: bool
    explain: bool
    account: str | None
    transcript: list[str] = field(default_factory=list)

    def event(self, event: TranscriptEvent) -> None:
        self.line(event.format(explain=self.explain))

    def line(self, text: str) -> None:
        self.transcript.append(text)
        if not self.json:
            print(text, flush=True)

    def report(self, report: Any) -> int:
        """Print the verdict of ``report`` (or the JSON object); return its exit code."""
        if self.json:
            from mailcomposer.smtp.probe import report_to_dict

            self._print_json(report_to_dict(report))
            return int(report.exit_code)
        print()
        for line in report.verdict_lines():
            print(line)
        info = report.untrusted_certificate
        if info is not None:
            for line in info.describe():
                print("  " + line)
            print(_("If you know this server, trust it with: --trust {fingerprint}").format(
                fingerprint=info.sha256))  # fmt: skip
        return int(report.exit_code)

    def fail(self, exc: InputError, settings: ServerSettings | None = None) -> int:
        """Report invalid input (exit code 2): on stderr, or as the JSON object's error."""
        if not self.json:
            return _fail(exc.field, exc.message)
        self._print_json(
            {
                "ok": False,
                "exit_code": int(ExitCode.INPUT),
                "host": settings.host if settings else None,
                "port": settings.effective_port if settings else None,
                "security": settings.security.value if settings else None,
                "stages": [],
                "tls": None,
                "capabilities": None,
                "login": None,
                "untrusted_certificate": None,
                "error": {
                    "stage": None,  # nothing was tried, or the test stopped before reporting
                    "code": None,
                    "enhanced": None,
                    "server_text": "",
                    "message": exc.message,
                    "field": exc.field,
                    "hint": None,
                },
                "verdict": [],
            }
        )
        return int(ExitCode.INPUT)

    def _print_json(self, data: dict[str, Any]) -> None:
        # The account and transcript first, as ``send --json`` ends with its transcript.
        data = {"account": self.account, **data, "transcript": list(self.transcript)}
        print_json(data)


def _test(args: argparse.Namespace, home: Home) -> int:
    out = _TestOutput(json=args.json, explain=args.explain, account=args.name)
    settings: ServerSettings | None = None
    try:
        if args.name and args.server:
            raise InputError("name", _("give an account name or --server, not both"))
        if not (args.name or args.server):
            raise InputError(
                "name",
                _("give an account name, or --server HOST[:PORT] to test a server "
                  "without an account"),
            )  # fmt: skip
        if args.server:
            account = _server_account(args)
        else:
            for option in ("security", "user", "cafile"):
                if getattr(args, option):
                    raise InputError(
                        option, _("--{option} goes with --server").format(option=option)
                    )
            account = AccountStore(home).get(args.name)
            if account is None:
                raise InputError(
                    "name", _("There is no account called “{name}”.").format(name=args.name)
                )
        settings = account.server
        return _run_test(args, home, account, out)
    except InputError as exc:
        return out.fail(exc, settings)


def _run_test(args: argparse.Namespace, home: Home, account: Account, out: _TestOutput) -> int:
    from mailcomposer.smtp import probe

    if account.builtin_sandbox:
        from mailcomposer.sandbox.server import SandboxServer

        with SandboxServer(home.sandbox_maildir) as server:
            report = probe.test_connection(server.settings(), server.secret(), on_event=out.event)
        return out.report(report)

    settings = account.server
    secret: Secret | None = None
    if settings.username:
        if args.password_stdin:
            secret = _read_password(sys.stdin)
        elif os.environ.get("MAILCOMPOSER_PASSWORD"):
            secret = Secret(os.environ["MAILCOMPOSER_PASSWORD"])
        else:
            secret = Credentials().get(account.name, settings.username)
        if secret is None:
            raise InputError(
                "password",
                _("no password is stored for “{name}”; use --password-stdin").format(
                    name=account.name
                ),
            )
    pins = PinStore(home)
    note = presets.login_note_for_host(settings.host)
    report = probe.test_connection(
        settings_with_pin(settings, pins), secret, on_event=out.event, provider_note=note
    )
    info = report.untrusted_certificate
    if info is not None and args.trust:
        from mailcomposer.store.pins import normalize_fingerprint

        if normalize_fingerprint(args.trust) != normalize_fingerprint(info.sha256):
            raise InputError(
                "trust",
                _("the server's certificate has fingerprint {actual}, not {given}").format(
                    actual=info.sha256, given=args.trust
                ),
            )
        pins.trust(info, settings.host, settings.effective_port)
        out.line(_("* Trusted the certificate {fingerprint} for {host}:{port}.").format(
            fingerprint=info.sha256, host=settings.host, port=settings.effective_port))  # fmt: skip
        report = probe.test_connection(
            settings_with_pin(settings, pins), secret, on_event=out.event, provider_note=note
        )
    return out.report(report)
