"""``mailcomposer account test``: connect, secure, log in and quit; the transcript and a verdict."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mailcomposer.cli.account.common import fail, read_password
from mailcomposer.cli.address import default_security, parse_server
from mailcomposer.cli.parser import UsageError
from mailcomposer.i18n import _
from mailcomposer.message.errors import InputError
from mailcomposer.smtp.errors import ExitCode
from mailcomposer.smtp.settings import Secret, Security, ServerSettings
from mailcomposer.smtp.transcript import TranscriptEvent
from mailcomposer.store import presets
from mailcomposer.store.accounts import Account, AccountStore, validate_server
from mailcomposer.store.paths import Home
from mailcomposer.store.pins import PinStore, settings_with_pin
from mailcomposer.terminal import print_json


@dataclass
class ProbeOutput:
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
            return fail(exc.field, exc.message, "test")
        return self._stopped(ExitCode.INPUT, exc.message, exc.field, settings)

    def cancelled(self, settings: ServerSettings | None) -> int:
        """Report a test stopped by Ctrl+C or a signal (exit code 7), JSON included."""
        message = _("Cancelled by the user; the connection test stopped. Nothing was sent.")
        if not self.json:
            from mailcomposer.cli.output import print_error

            print_error("", message)
            return int(ExitCode.CANCELLED)
        return self._stopped(ExitCode.CANCELLED, message, None, settings)

    def _stopped(
        self, code: ExitCode, message: str, field: str | None, settings: ServerSettings | None
    ) -> int:
        self._print_json(
            {
                "ok": False,
                "exit_code": int(code),
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
                    "message": message,
                    "field": field,
                    "hint": None,
                },
                "verdict": [],
            }
        )
        return int(code)

    def _print_json(self, data: dict[str, Any]) -> None:
        # The account and transcript first, as ``send --json`` ends with its transcript.
        data = {"account": self.account, **data, "transcript": list(self.transcript)}
        print_json(data)


def _server_account(args: argparse.Namespace) -> Account:
    """The unsaved account ``account test --server`` checks."""
    try:
        host, port = parse_server(args.server)
    except UsageError as exc:
        raise InputError("server", exc.message) from None
    security = Security(args.security or default_security(host, port))
    server = ServerSettings(
        host=host,
        port=port or security.default_port,
        security=security,
        username=args.user or "",
        cafile=Path(args.cafile).expanduser() if args.cafile else None,
    )
    validate_server(server)
    return Account(name=host, server=server, identities=[])


def run(args: argparse.Namespace, home: Home) -> int:
    """Test the account (or ``--server``): connect, TLS, AUTH, quit; return the exit code."""
    out = ProbeOutput(json=args.json, explain=args.explain, account=args.name)
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
    except KeyboardInterrupt:  # Ctrl+C, or SIGTERM/SIGHUP (cli.signals.Cancelled)
        return out.cancelled(settings)


def _run_test(args: argparse.Namespace, home: Home, account: Account, out: ProbeOutput) -> int:
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
            secret = read_password(sys.stdin)
        elif os.environ.get("MAILCOMPOSER_PASSWORD"):
            secret = Secret(os.environ["MAILCOMPOSER_PASSWORD"])
        elif account.oauth is not None:
            # OAuth2: the access token is got (refreshed) when the test logs in.
            from mailcomposer.oauth.tokens import AccessTokens

            secret = AccessTokens().deferred_secret(account)
        else:
            from mailcomposer.store.credentials import Credentials  # keyring: only now

            secret = Credentials().get(account.name, settings.username)
        if secret is None:
            # At a terminal the password is asked for, as ``send`` does; otherwise the
            # test goes on without one: a server that offers no AUTH needs none, and
            # one that asks for a login is reported as such (exit code 2).
            from mailcomposer.cli.serverargs import ask_password

            try:
                secret = ask_password(args, settings)
            except UsageError:
                secret = None
    pins = PinStore(home)
    note = presets.login_note_for_host(settings.host)
    report = probe.test_connection(
        settings_with_pin(settings, pins), secret, on_event=out.event, provider_note=note
    )
    error = report.error
    if secret is None and error is not None and error.field == "password":
        raise InputError(
            "password",
            _("no password is stored for “{name}”; use --password-stdin").format(name=account.name),
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
