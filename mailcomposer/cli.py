"""The command line: send, sandbox, inspect and account, or open the composer window."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from email import policy
from email.message import Message
from email.parser import BytesParser
from pathlib import Path
from typing import Any, NoReturn, TextIO

from mailcomposer import __version__, cliaccount, i18n
from mailcomposer.i18n import _
from mailcomposer.smtp.errors import ExitCode, SendError, SendResult, Stage
from mailcomposer.smtp.settings import Secret, Security, ServerSettings, Timeouts
from mailcomposer.store.paths import Home
from mailcomposer.terminal import never_fail_to_print, print_json

SUBCOMMANDS = ("send", "sandbox", "inspect", "account", "selftest")
PROGRESS_MIN_BYTES = 1024 * 1024

# Draft/model field names (as InputError.field carries them) -> the option to name.
OPTION_OF_FIELD = {
    "from": "--from",
    "from_addr": "--from",
    "sender": "--from",
    "to": "--to",
    "cc": "--cc",
    "bcc": "--bcc",
    "recipients": "--to",
    "reply_to": "--reply-to",
    "reply-to": "--reply-to",
    "subject": "--subject",
    "text": "--text",
    "html": "--html-file",
    "attachment": "--attach",
    "attachments": "--attach",
    "header": "--header",
    "headers": "--header",
    "extra_headers": "--header",
    "priority": "--priority",
    "inline_images": "--html-file",
}

# Headers that options set; a --header for them would be ambiguous or dangerous.
RESERVED_HEADERS = {
    "from": "--from",
    "to": "--to",
    "cc": "--cc",
    "bcc": "--bcc",
    "reply-to": "--reply-to",
    "subject": "--subject",
    "date": None,
    "message-id": None,
    "mime-version": None,
    "content-type": None,
    "content-transfer-encoding": None,
    "content-disposition": None,
    "x-priority": "--priority",
    "importance": "--priority",
}


class UsageError(Exception):
    """Bad input on the command line: exit 2, one line naming the option and the fix."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"{option}: {message}" if option else message)
        self.option = option
        self.message = message


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        # argparse says "argument --to: ..."; our form is "--to: ...".
        raise UsageError("", message.removeprefix("argument "))


# -- entry point --


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (DESIGN.md's table)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    never_fail_to_print()
    i18n.set_language(i18n.detect_language())
    if _wants_gui(args_list):
        return _open_gui(args_list)
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except UsageError as exc:
        _print_error(str(exc), sys.stderr)
        return int(ExitCode.INPUT)
    except SystemExit as exc:  # -h / --version
        return int(exc.code or 0) if isinstance(exc.code, int) else 0
    if args.command == "send":
        return cmd_send(args)
    if args.command == "sandbox":
        return cmd_sandbox(args)
    if args.command == "inspect":
        return cmd_inspect(args)
    if args.command == "account":
        return int(cliaccount.run(args))
    if args.command == "selftest":
        from mailcomposer import selftest

        return selftest.run(as_json=args.json)
    parser.print_help()
    return int(ExitCode.INPUT)


def _wants_gui(argv: list[str]) -> bool:
    if not argv:
        return True
    first = argv[0]
    if first in SUBCOMMANDS or first.startswith("-"):
        return False
    lowered = first.lower()
    return lowered.startswith("mailto:") or lowered.endswith(".eml") or os.path.isfile(first)


def _open_gui(argv: list[str]) -> int:
    # Imported here so the command line never loads PySide6 unless a window is wanted.
    try:
        from mailcomposer.ui import app  # type: ignore[attr-defined]
    except ImportError as exc:
        _print_error(
            _("The composer window is not available ({reason}); use “mailcomposer send”.").format(
                reason=exc
            ),
            sys.stderr,
        )
        return 1
    # ui.app takes a full argv like sys.argv (program name first), as QApplication does.
    program = sys.argv[0] if sys.argv and sys.argv[0] else "mailcomposer"
    return int(app.main([program, *argv]) or 0)


def _print_error(message: str, stream: TextIO) -> None:
    print(_("error: {message}").format(message=message), file=stream)


# -- the parser --


def build_parser() -> argparse.ArgumentParser:
    """Build the argparse parser for every subcommand."""
    parser = _Parser(
        prog="mailcomposer",
        description=_(
            "Compose and send e-mail and watch the SMTP conversation. Without a command, "
            "open the composer window (optionally with a FILE.eml or a mailto: URL)."
        ),
    )
    parser.add_argument("--version", action="version", version=f"mailcomposer {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    _add_send(subparsers)
    _add_sandbox(subparsers)
    _add_inspect(subparsers)
    cliaccount.add_parser(subparsers)
    selftest = subparsers.add_parser(
        "selftest",
        help=_("check this installation: resources, keyring backend, TLS roots"),
    )
    selftest.add_argument("--json", action="store_true", help=_("print one JSON object"))
    return parser


def _add_send(subparsers: Any) -> None:
    send = subparsers.add_parser(
        "send",
        help=_("send a message without a window and print the SMTP transcript"),
        description=_(
            "Send one message. Without --account or --server the default account is used "
            "(the built-in local test server until you add one). Lines starting with "
            "“S:” come from the server, “C:” from this program, “*” are local notes."
        ),
        epilog=_(
            "Exit codes: 0 sent, 1 some recipients refused, 2 invalid input (nothing sent), "
            "3 connection failed, 4 TLS problem, 5 authentication failed, 6 message refused, "
            "7 cancelled, 8 outcome unknown (may have been delivered)."
        ),
    )
    where = send.add_argument_group(_("server"))
    where.add_argument("--account", metavar=_("NAME"), help=_("send with this saved account"))
    where.add_argument(
        "--server",
        metavar=_("HOST[:PORT]"),
        help=_("send through this server instead of an account"),
    )
    where.add_argument(
        "--security",
        choices=[s.value for s in Security],
        help=_("connection security with --server (default: starttls, or none for 127.0.0.1)"),
    )
    where.add_argument("--user", metavar=_("USER"), help=_("log in with this user name"))
    where.add_argument(
        "--password-stdin",
        action="store_true",
        help=_("read the password from the first line of standard input"),
    )
    where.add_argument(
        "--cafile", metavar=_("PATH"), help=_("also trust the certificates in this PEM file")
    )
    where.add_argument(
        "--timeout",
        metavar=_("SECONDS"),
        help=_("seconds to wait for the connection and each reply (default 30/60)"),
    )

    message = send.add_argument_group(_("message"))
    message.add_argument("--from", dest="from_addr", metavar=_("ADDR"), help=_("sender address"))
    for option, text in (
        ("--to", _("recipient (repeatable; commas separate several)")),
        ("--cc", _("copy recipient (repeatable; commas separate several)")),
        ("--bcc", _("hidden recipient, never written into the message (repeatable)")),
    ):
        message.add_argument(option, action="append", default=[], metavar=_("ADDR"), help=text)
    message.add_argument("--reply-to", metavar=_("ADDR"), help=_("address replies should go to"))
    message.add_argument("--subject", default="", help=_("the subject line"))
    body = message.add_mutually_exclusive_group()
    body.add_argument("--text", help=_("the plain-text body"))
    body.add_argument(
        "--text-file",
        metavar=_("PATH"),
        help=_("read the plain-text body from a UTF-8 file (- reads standard input)"),
    )
    message.add_argument(
        "--html-file",
        metavar=_("PATH"),
        help=_("HTML body; local images it shows are embedded inline (cid:)"),
    )
    message.add_argument(
        "--attach",
        action="append",
        default=[],
        metavar=_("FILE"),
        help=_("attach a file (repeatable)"),
    )
    message.add_argument(
        "--header",
        action="append",
        default=[],
        metavar=_("“Name: value”"),
        help=_("add a header (repeatable)"),
    )
    message.add_argument(
        "--priority", choices=["high", "normal", "low"], default="normal", help=_("priority")
    )

    output = send.add_argument_group(_("output"))
    output.add_argument(
        "--save-eml", metavar=_("PATH"), help=_("also save the message as an .eml file")
    )
    output.add_argument(
        "--dry-run",
        action="store_true",
        help=_("build and check the message, print its MIME tree, connect to nothing"),
    )
    output.add_argument(
        "--json", action="store_true", help=_("print one JSON object with the result")
    )
    output.add_argument("--quiet", action="store_true", help=_("print only the one-line result"))
    output.add_argument(
        "--explain", action="store_true", help=_("explain each command and reply in plain words")
    )


def _add_sandbox(subparsers: Any) -> None:
    sandbox = subparsers.add_parser(
        "sandbox",
        help=_("run the built-in local test server in the foreground"),
        description=_(
            "Run the built-in SMTP server on 127.0.0.1. Every message it receives is kept "
            "in MAILCOMPOSER_HOME/sandbox/Maildir. Stop it with Ctrl+C."
        ),
    )
    sandbox.add_argument(
        "--port", default="2525", metavar="N", help=_("port to listen on (0 picks a free one)")
    )
    sandbox.add_argument(
        "--tls", action="store_true", help=_("offer and require STARTTLS (self-signed certificate)")
    )
    sandbox.add_argument(
        "--auth", metavar=_("USER:PASS"), help=_("require AUTH with this user and password")
    )
    sandbox.add_argument(
        "--size", metavar=_("BYTES"), help=_("largest message accepted (advertised as SIZE)")
    )


def _add_inspect(subparsers: Any) -> None:
    inspect = subparsers.add_parser(
        "inspect",
        help=_("print the MIME tree and problems of an .eml file"),
        description=_("Print the MIME structure of a message file and what may be wrong with it."),
    )
    inspect.add_argument("file", metavar="FILE.eml", help=_("the message file"))


# -- send --


@dataclass
class _Output:
    """Where a send's text goes: live transcript, one result line, or JSON at the end."""

    json: bool
    quiet: bool
    explain: bool
    transcript: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_quarter: int = 0

    def event(self, event: Any) -> None:
        line = event.format(self.explain)
        with self.lock:
            self.transcript.append(line)
        if not (self.json or self.quiet):
            print(line, flush=True)

    def progress(self, sent: int, total: int) -> None:
        # A note at each quarter of a large upload, so a long DATA phase shows life.
        if total < PROGRESS_MIN_BYTES:
            return
        quarter = min(sent * 4 // total, 4)
        if quarter <= self.last_quarter or quarter >= 4:
            return
        self.last_quarter = quarter
        self.note(
            _("Uploaded {percent}% ({sent} of {total} bytes)").format(
                percent=quarter * 25, sent=f"{sent:,}", total=f"{total:,}"
            )
        )

    def note(self, text: str) -> None:
        line = f"* {text}"
        with self.lock:
            self.transcript.append(line)
        if not (self.json or self.quiet):
            print(line, flush=True)


def cmd_send(args: argparse.Namespace) -> int:
    """Run ``mailcomposer send``."""
    out = _Output(json=args.json, quiet=args.quiet, explain=args.explain)
    try:
        return _send(args, Home.from_env(), out)
    except UsageError as exc:
        return _report_error(out, SendError(Stage.BUILD, ExitCode.INPUT, str(exc)))
    except SendError as error:
        return _report_error(out, error)
    except KeyboardInterrupt:
        return _report_error(
            out, SendError(Stage.CONNECT, ExitCode.CANCELLED, _("Cancelled by the user."))
        )


def _send(args: argparse.Namespace, home: Home, out: _Output) -> int:
    """Validate everything first (nothing is sent on bad input), then send or dry-run."""
    draft = _draft_from_args(args)
    settings, secret, account_name, sandbox_needed, default_from = _server_from_args(args, home)
    if not draft.from_addr:
        if not default_from:
            raise UsageError("--from", _("who is sending? give --from ADDRESS"))
        draft.from_addr = default_from
    if not (draft.to or draft.cc or draft.bcc):
        raise UsageError("--to", _("no recipients: give at least one --to, --cc or --bcc"))
    built = _build(draft)
    if args.save_eml:
        _save_eml(built, Path(args.save_eml))
    if args.dry_run:
        return _dry_run(built, out)
    if settings.username and secret is None:
        secret = _ask_password(args, settings, account_name)

    from mailcomposer.submission import Submission

    server = None
    if sandbox_needed:
        from mailcomposer.sandbox.server import SandboxServer

        server = SandboxServer(home.sandbox_maildir, cert_dir=home.sandbox).start()
        settings = replace(settings, port=server.port)
        out.note(
            _("Started the built-in test server on 127.0.0.1:{port}; mail goes to {path}").format(
                port=server.port, path=home.sandbox_maildir
            )
        )
    try:
        submission = Submission(home, settings, secret, built, account_name)
        result = _run_cancellable(submission, out)
    except SendError as error:
        if error.exit_code == ExitCode.UNKNOWN and submission.outbox_id:
            # Say where the copy is, so the user can check before sending again.
            error.user_message += " " + _(
                "A copy is kept in the outbox as {path}; check with the recipient before "
                "sending it again."
            ).format(path=home.outbox / f"{submission.outbox_id}.eml")
            raise
        culprit = _smtputf8_culprit(args) if error.exit_code == ExitCode.INPUT else None
        if culprit is None:
            raise
        option, address = culprit
        message = _(
            "“{address}” has non-ASCII characters before the @ and this server does not "
            "support SMTPUTF8; nothing was sent, use an ASCII address"
        ).format(address=address)
        raise SendError(
            error.stage, error.exit_code, f"{option}: {message}", field=error.field
        ) from None
    finally:
        if server is not None:
            server.stop()
    return _report_result(out, result)


def _run_cancellable(submission: Any, out: _Output) -> SendResult:
    """Run the submission in a worker thread so Ctrl+C becomes a clean cancel.

    The token closes the socket; the session then reports the right stage (nothing
    sent, not delivered, or unknown after the final dot) instead of a traceback.
    """
    from mailcomposer.smtp.session import CancelToken

    token = CancelToken()
    outcome: dict[str, Any] = {}
    done = threading.Event()

    def work() -> None:
        try:
            outcome["result"] = submission.run(out.event, out.progress, token)
        except BaseException as exc:  # carried back to the main thread
            outcome["error"] = exc
        finally:
            done.set()

    worker = threading.Thread(target=work, name="mailcomposer-send")
    worker.start()
    # WORKAROUND for https://github.com/python/cpython/issues/90882: a Ctrl+C that
    # interrupts Thread.join() can make later joins return while the thread still
    # runs, so wait on an Event the worker sets instead.
    try:
        while not done.wait(0.2):
            pass
    except KeyboardInterrupt:
        out.note(_("Cancelling…"))
        token.cancel()
        done.wait()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _smtputf8_culprit(args: argparse.Namespace) -> tuple[str, str] | None:
    """Return the option and address that need SMTPUTF8, if any."""
    from mailcomposer.message.addresses import parse_address_list

    for option, values in (
        ("--from", [args.from_addr or ""]),
        ("--to", args.to),
        ("--cc", args.cc),
        ("--bcc", args.bcc),
    ):
        try:
            addresses = parse_address_list(_split_values(values), option.lstrip("-"))
        except ValueError:
            continue
        for address in addresses:
            if address.needs_smtputf8:
                return option, address.addr_spec
    return None


def _split_values(values: list[str]) -> str:
    # Each --to may itself hold a comma-separated list; the model splits quote-aware.
    return ", ".join(v.strip() for v in values if v.strip())


def _draft_from_args(args: argparse.Namespace) -> Any:
    from mailcomposer.message.draft import Attachment, Draft, Priority

    draft = Draft(
        from_addr=(args.from_addr or "").strip(),
        to=_split_values(args.to),
        cc=_split_values(args.cc),
        bcc=_split_values(args.bcc),
        reply_to=(args.reply_to or "").strip(),
        subject=args.subject,
        priority=Priority(args.priority),
    )
    for option, value in (
        ("--from", draft.from_addr),
        ("--to", draft.to),
        ("--cc", draft.cc),
        ("--bcc", draft.bcc),
        ("--reply-to", draft.reply_to),
    ):
        if value:
            _check_addresses(option, value)
    _check_line("--subject", args.subject)
    if args.text is not None:
        draft.text = args.text
    elif args.text_file == "-":
        if getattr(args, "password_stdin", False):
            raise UsageError(
                "--text-file",
                _("standard input cannot hold both the body and the password: "
                  "give the body as a file, or the password in MAILCOMPOSER_PASSWORD"),
            )  # fmt: skip
        draft.text = _read_stdin_text("--text-file")
    elif args.text_file:
        draft.text = _read_text("--text-file", args.text_file)
    if args.html_file:
        path = _readable_file("--html-file", args.html_file)
        from mailcomposer.message.htmlfile import load_html_file

        try:
            html, images = load_html_file(path)
        except OSError as exc:
            raise UsageError("--html-file", _cannot_read(path, exc)) from None
        except ValueError as exc:  # InputError included
            raise UsageError("--html-file", getattr(exc, "message", str(exc))) from None
        draft.html = html
        draft.inline_images = list(images)
        if not draft.text:
            from mailcomposer.message.htmltext import html_to_text

            draft.text = html_to_text(html)
    for name in args.attach:
        path = _readable_file("--attach", name)
        # File-backed: the bytes are streamed at send time, never read whole here.
        draft.attachments.append(Attachment(filename=path.name, path=path))
    for header in args.header:
        draft.extra_headers.append(_parse_header(header))
    return draft


def _check_addresses(option: str, value: str) -> None:
    from mailcomposer.message.addresses import parse_address_list
    from mailcomposer.message.errors import InputError

    try:
        parse_address_list(value, option.lstrip("-"))
    except InputError as exc:
        raise UsageError(option, exc.message) from None


_LINE_BREAKS = frozenset("\r\n\x00\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _check_line(option: str, value: str) -> None:
    if any(ch in _LINE_BREAKS for ch in value):
        raise UsageError(option, _("contains a line break; a header must be one line, remove it"))


def _cannot_read(path: Path | str, exc: OSError) -> str:
    return _("cannot read “{path}”: {reason}").format(path=path, reason=exc.strerror or exc)


def _readable_file(option: str, name: str) -> Path:
    path = Path(name).expanduser()
    if not path.exists():
        raise UsageError(option, _("“{path}” does not exist").format(path=name))
    if path.is_dir():
        raise UsageError(option, _("“{path}” is a folder, not a file").format(path=name))
    try:
        with open(path, "rb") as fh:
            fh.read(1)
    except OSError as exc:
        raise UsageError(option, _cannot_read(name, exc)) from None
    return path


def _read_stdin_text(option: str) -> str:
    """The body piped on standard input, as UTF-8 (a BOM is dropped)."""
    try:
        return sys.stdin.buffer.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(
            option, _("standard input is not UTF-8 text; convert it to UTF-8")
        ) from None


def _read_text(option: str, name: str) -> str:
    path = _readable_file(option, name)
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(
            option, _("“{path}” is not UTF-8 text; save it as UTF-8").format(path=name)
        ) from None
    except OSError as exc:
        raise UsageError(option, _cannot_read(name, exc)) from None


def _parse_header(text: str) -> tuple[str, str]:
    name, sep, value = text.partition(":")
    name = name.strip()
    if not sep or not name:
        raise UsageError("--header", _("“{text}” is not “Name: value”").format(text=text))
    if any(ord(ch) < 33 or ord(ch) > 126 for ch in name):
        raise UsageError(
            "--header",
            _("“{name}” is not a valid header name (ASCII letters, digits and dashes)").format(
                name=name
            ),
        )
    reserved = name.lower()
    if reserved in RESERVED_HEADERS:
        option = RESERVED_HEADERS[reserved]
        if option:
            message = _("use {option} instead of --header for {name}").format(
                option=option, name=name
            )
        else:
            message = _("{name} is set by mailcomposer itself").format(name=name)
        raise UsageError("--header", message)
    value = value.strip()
    _check_line("--header", value)
    return name, value


def _build(draft: Any) -> Any:
    from mailcomposer.message.errors import InputError
    from mailcomposer.message.mime import build_message

    try:
        return build_message(draft)
    except InputError as exc:
        option = OPTION_OF_FIELD.get(exc.field, exc.field)
        if option and not option.startswith("-"):
            option = f"--{option.replace('_', '-')}"
        raise UsageError(option, exc.message) from None


def _save_eml(built: Any, path: Path) -> None:
    from mailcomposer.message.eml import write_eml

    try:
        write_eml(built, path)
    except OSError as exc:
        raise UsageError(
            "--save-eml",
            _("cannot write “{path}”: {reason}").format(path=path, reason=exc.strerror or exc),
        ) from None


def _parse_server(text: str) -> tuple[str, int]:
    text = text.strip()
    host, port_text = text, ""
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            raise UsageError("--server", _("“{text}” is missing a “]”").format(text=text))
        host, rest = text[1:end], text[end + 1 :]
        if rest:
            if not rest.startswith(":"):
                raise UsageError("--server", _("write HOST:PORT, e.g. smtp.example.org:587"))
            port_text = rest[1:]
    elif text.count(":") == 1:
        host, port_text = text.split(":")
    if not host or any(ch.isspace() for ch in host):
        raise UsageError("--server", _("give a host name, e.g. smtp.example.org:587"))
    port = 0
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise UsageError(
                "--server",
                _("“{port}” is not a port number (1-65535)").format(port=port_text),
            )
        port = int(port_text)
    return host, port


def _timeouts(args: argparse.Namespace, base: Timeouts) -> Timeouts:
    if args.timeout is None:
        return base
    try:
        seconds = float(args.timeout)
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        raise UsageError(
            "--timeout",
            _("“{value}” is not a number of seconds above 0").format(value=args.timeout),
        )
    # The reply to the final dot may legitimately take much longer (virus scans).
    return Timeouts(connect=seconds, command=seconds, final_dot=max(seconds * 10, seconds))


def _server_from_args(
    args: argparse.Namespace, home: Home
) -> tuple[ServerSettings, Secret | None, str, bool, str]:
    """Return settings, secret, account name, whether to start the sandbox, default From."""
    if args.account and args.server:
        raise UsageError("--server", _("give either --account or --server, not both"))
    cafile = None
    if args.cafile:
        cafile = _readable_file("--cafile", args.cafile)
    secret: Secret | None = None
    if args.server:
        host, port = _parse_server(args.server)
        from mailcomposer.sandbox.server import is_loopback_host

        if args.security:
            security = Security(args.security)
        else:
            security = Security.NONE if is_loopback_host(host) else Security.STARTTLS
        settings = ServerSettings(
            host=host,
            port=port,
            security=security,
            username=args.user or "",
            cafile=cafile,
        )
        settings = replace(settings, timeouts=_timeouts(args, settings.timeouts))
        return settings, secret, "", False, ""
    account = _load_account(args.account, home)
    if account is None:
        # No account store yet: the built-in sandbox is the default.
        settings = ServerSettings(host="127.0.0.1", port=0, security=Security.NONE)
        settings = replace(settings, timeouts=_timeouts(args, settings.timeouts))
        return settings, None, "", True, "me@sandbox.localhost"
    settings = account.server
    changes: dict[str, Any] = {"timeouts": _timeouts(args, settings.timeouts)}
    if cafile is not None:
        changes["cafile"] = cafile
    if args.user:
        changes["username"] = args.user
    if args.security:
        changes["security"] = Security(args.security)
    settings = replace(settings, **changes)
    identity = account.identity
    default_from = identity.formatted() if identity is not None else ""
    sandbox = bool(getattr(account, "builtin_sandbox", False))
    from_keyring = not (args.password_stdin or os.environ.get("MAILCOMPOSER_PASSWORD"))
    if settings.username and not sandbox and from_keyring:
        from mailcomposer.store.credentials import Credentials

        credentials = Credentials()
        secret = credentials.get(account.name, settings.username) or credentials.get(account.name)
    return settings, secret, account.name, sandbox, default_from


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
        print(_("warning: {text}").format(text=store.load_error), file=sys.stderr)
    if not name:
        return account
    if account is None:
        names = ", ".join(store.names())
        raise UsageError(
            "--account",
            _("no account called “{name}”; known: {names}").format(name=name, names=names),
        )
    return account


def _ask_password(args: argparse.Namespace, settings: ServerSettings, account: str) -> Secret:
    if args.password_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise UsageError("--password-stdin", _("standard input held no password"))
        return Secret(password)
    env = os.environ.get("MAILCOMPOSER_PASSWORD")
    if env:
        return Secret(env)
    if sys.stdin.isatty() and not args.json:
        prompt = _("Password for {user} at {host}: ").format(
            user=settings.username, host=settings.host
        )
        try:
            password = getpass.getpass(prompt)
        except (EOFError, KeyboardInterrupt):
            password = ""
        if password:
            return Secret(password)
    raise UsageError(
        "--password-stdin",
        _(
            "no password for {user}: pipe it with --password-stdin or set MAILCOMPOSER_PASSWORD"
        ).format(user=settings.username),
    )


# -- results --


def _report_result(out: _Output, result: SendResult) -> int:
    code = result.exit_code
    if out.json:
        _print_json(out, code, result=result)
        return int(code)
    n = len(result.accepted)
    # Two sentences rather than "recipient(s)": the catalog has no plural forms.
    sent = (
        _("Sent to 1 recipient; Message-ID {message_id}")
        if n == 1
        else _("Sent to {n} recipients; Message-ID {message_id}")
    )
    line = sent.format(n=n, message_id=result.message_id)
    print(line)
    for refusal in result.refused:
        print(
            _("Not sent to {address}: {code} {text}").format(
                address=refusal.address, code=refusal.code, text=refusal.text
            )
        )
    for warning in result.warnings:
        print(_("warning: {text}").format(text=warning), file=sys.stderr)
    return int(code)


def _report_error(out: _Output, error: SendError) -> int:
    code = ExitCode(error.exit_code)
    if out.json:
        _print_json(out, code, error=error)
        return int(code)
    message = error.user_message
    option = OPTION_OF_FIELD.get(error.field or "")
    if code == ExitCode.INPUT and option and not message.startswith("-"):
        message = f"{option}: {message}"
    if error.code is not None and error.server_text and error.server_text not in message:
        message += " " + _("(server said: {code} {text})").format(
            code=error.code, text=error.server_text
        )
    _print_error(message, sys.stderr)
    return int(code)


def _print_json(
    out: _Output,
    code: ExitCode,
    *,
    result: SendResult | None = None,
    error: SendError | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    data: dict[str, Any] = {
        "ok": code in (ExitCode.OK, ExitCode.PARTIAL),
        "exit_code": int(code),
        "message_id": result.message_id if result else None,
        "accepted": list(result.accepted) if result else [],
        "refused": [
            {"address": r.address, "code": r.code, "text": r.text}
            for r in (result.refused if result else ())
        ],
        "warnings": list(result.warnings) if result else [],
        "error": None,
        "transcript": list(out.transcript),
    }
    if error is not None:
        data["error"] = {
            "stage": str(error.stage),
            "code": error.code,
            "enhanced": error.enhanced,
            "server_text": error.server_text,
            "message": error.user_message,
            "field": error.field,
        }
    if extra:
        data.update(extra)
    print_json(data)


# -- dry run and inspect --


def _dry_run(built: Any, out: _Output) -> int:
    raw = built.wire().to_bytes()
    envelope = built.envelope
    findings = _lint(raw)
    if out.json:
        extra = {
            "ok": True,
            "message_id": built.message_id,
            "dry_run": True,
            "envelope": {"sender": envelope.sender, "recipients": list(envelope.recipients)},
            "size": len(raw),
            "mime_tree": mime_tree_lines(_parse(raw)),
            "warnings": [f"{f.level}: {f.text}" for f in findings],
        }
        _print_json(out, ExitCode.OK, extra=extra)
        return int(ExitCode.OK)
    print(_("Dry run: nothing was sent."))
    print(
        _("Envelope: from {sender} to {recipients}").format(
            sender=envelope.sender, recipients=", ".join(envelope.recipients)
        )
    )
    print(_("Size: {size} bytes").format(size=len(raw)))
    print(_("MIME tree:"))
    for line in mime_tree_lines(_parse(raw)):
        print("  " + line)
    _print_findings(findings)
    return int(ExitCode.OK)


def _lint(raw: bytes) -> list[Any]:
    from mailcomposer.message.lint import lint

    return list(lint(raw))


def _print_findings(findings: list[Any]) -> None:
    if not findings:
        print(_("No problems found."))
        return
    print(_("Findings:"))
    for finding in findings:
        print(f"  {finding.level}: {finding.text}")


def _parse(raw: bytes) -> Message:
    return BytesParser(policy=policy.default).parsebytes(raw)


def mime_tree_lines(message: Message) -> list[str]:
    """Describe a message's MIME tree: one indented line per part.

    Each line has the content type, then the disposition, file name, Content-ID and
    decoded size when they apply.
    """
    lines: list[str] = []

    def walk(part: Message, depth: int) -> None:
        bits = [part.get_content_type()]
        disposition = part.get_content_disposition()
        if disposition:
            bits.append(disposition)
        filename = part.get_filename()
        if filename:
            bits.append(f"“{filename}”")
        cid = part.get("Content-ID")
        if cid:
            bits.append(f"cid {str(cid).strip()}")
        if not part.is_multipart():
            payload = part.get_payload(decode=True)
            size = len(payload) if isinstance(payload, bytes) else 0
            bits.append(_("{size} bytes").format(size=size))
        lines.append("  " * depth + ", ".join(bits))
        if part.is_multipart():
            for child in part.iter_parts() if hasattr(part, "iter_parts") else part.get_payload():
                walk(child, depth + 1)

    walk(message, 0)
    return lines


def cmd_inspect(args: argparse.Namespace) -> int:
    """Run ``mailcomposer inspect FILE.eml``."""
    path = Path(args.file)
    try:
        path = _readable_file("FILE", args.file)
        raw = path.read_bytes()
    except UsageError as exc:
        _print_error(exc.message, sys.stderr)
        return int(ExitCode.INPUT)
    except OSError as exc:
        _print_error(_cannot_read(path, exc), sys.stderr)
        return int(ExitCode.INPUT)
    message = _parse(raw)
    for name in ("From", "To", "Cc", "Subject", "Date", "Message-ID"):
        try:
            value = message.get(name)
        except Exception:  # a broken header is reported by lint, not fatal here
            value = None
        if value is not None:
            print(f"{name}: {value}")
    print(_("Size: {size} bytes").format(size=len(raw)))
    print(_("MIME tree:"))
    for line in mime_tree_lines(message):
        print("  " + line)
    _print_findings(_lint(raw))
    return int(ExitCode.OK)


# -- sandbox --


def cmd_sandbox(args: argparse.Namespace) -> int:
    """Run ``mailcomposer sandbox`` in the foreground until Ctrl+C."""
    from mailcomposer.sandbox.server import SandboxServer

    try:
        port = _int_option("--port", args.port, 0, 65535)
        size = _int_option("--size", args.size, 1, None) if args.size else None
        auth = None
        if args.auth:
            user, sep, password = args.auth.partition(":")
            if not sep or not user or not password:
                raise UsageError("--auth", _("write USER:PASS, e.g. --auth ann:secret"))
            auth = (user, password)
    except UsageError as exc:
        _print_error(str(exc), sys.stderr)
        return int(ExitCode.INPUT)
    home = Home.from_env()
    server = SandboxServer(
        home.sandbox_maildir,
        port=port,
        tls=args.tls,
        auth=auth,
        size_limit=size,
        cert_dir=home.sandbox,
        on_stored=_print_stored,
    )
    try:
        server.start()
    except OSError as exc:
        _print_error(
            _("--port: cannot listen on 127.0.0.1:{port}: {reason}; try another port or 0").format(
                port=port, reason=exc.strerror or exc
            ),
            sys.stderr,
        )
        return int(ExitCode.INPUT)
    try:
        print(_("Listening on 127.0.0.1:{port}").format(port=server.port), flush=True)
        if server.certificate is not None:
            print(
                _("STARTTLS required; certificate (use as --cafile): {path}").format(
                    path=server.certificate.cert
                )
            )
        if auth:
            print(_("AUTH required for user {user}").format(user=auth[0]))
        if size:
            print(_("Largest message accepted: {size} bytes").format(size=size))
        print(_("Mail is stored in {path}").format(path=server.maildir))
        example = f"mailcomposer send --server 127.0.0.1:{server.port} --security " + (
            f"starttls --cafile {server.certificate.cert}" if server.certificate else "none"
        )
        if auth:
            example += f" --user {auth[0]} --password-stdin"
        print(_("Try: {command} --to you@example.org --text hello").format(command=example))
        print(_("Press Ctrl+C to stop."), flush=True)
        stop = threading.Event()
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    finally:
        server.stop()
    print(_("Stopped."), flush=True)
    return int(ExitCode.OK)


def _print_stored(path: Path, mail_from: str, rcpt_tos: list[str]) -> None:
    print(
        _("Received from {sender} for {recipients}: {file}").format(
            sender=mail_from or "<>", recipients=", ".join(rcpt_tos), file=path.name
        ),
        flush=True,
    )


def _int_option(option: str, text: str, low: int, high: int | None) -> int:
    try:
        value = int(str(text).strip())
    except ValueError:
        value = low - 1
    if value < low or (high is not None and value > high):
        bound = f"{low}-{high}" if high is not None else f"≥ {low}"
        raise UsageError(
            option,
            _("“{value}” is not a whole number in {bounds}").format(value=text, bounds=bound),
        )
    return value
