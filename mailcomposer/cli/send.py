"""``mailcomposer send``: its options, and one send from the arguments to the exit code."""

from __future__ import annotations

import argparse

from mailcomposer.cli.parser import UsageError, add_connection_options
from mailcomposer.i18n import _

TYPE_CHECKING = False  # typing stays unimported on the way to --help
if TYPE_CHECKING:
    from typing import Any

# mailcomposer.smtp.settings.Timeouts() in seconds (connect, each reply, final dot),
# repeated for the help text so that --help does not import the SMTP code; a unit
# test keeps them equal.
DEFAULT_TIMEOUTS = (30, 60, 600)
# With --timeout S, the final dot's wait is FINAL_DOT_FACTOR * S.
FINAL_DOT_FACTOR = 10
# One whole reply may take this many times the per-read timeout (smtp.settings).
REPLY_DEADLINE_FACTOR = 2


def add_arguments(send: argparse.ArgumentParser) -> None:
    """Add the options of ``send`` to its parser."""
    send.description = _(
        "Send one message. Without --account or --server the default account is used "
        "(the built-in local test server until you add one). Lines starting with "
        "“S:” come from the server, “C:” from this program, “*” are local notes."
    )
    send.epilog = _(
        "Exit codes: 0 sent, 1 some recipients refused, 2 invalid input (nothing sent), "
        "3 connection failed, 4 TLS problem, 5 authentication failed, 6 message refused, "
        "7 cancelled, 8 outcome unknown (may have been delivered)."
    )
    where = send.add_argument_group(_("server"))
    where.add_argument("--account", metavar=_("NAME"), help=_("send with this saved account"))
    where.add_argument(
        "--server",
        metavar=_("HOST[:PORT]"),
        help=_("send through this server instead of an account ([IPv6]:PORT for IPv6)"),
    )
    add_connection_options(where)
    connect, reply, final_dot = DEFAULT_TIMEOUTS
    where.add_argument(
        "--timeout",
        metavar=_("SECONDS"),
        help=_(
            "the longest wait for connecting (name lookup, TCP and TLS handshake) and for "
            "each read or write on the connection (default: {connect} to connect, {reply} "
            "for the rest); one whole server reply may take at most {deadline} times as "
            "long. The reply to the final dot has its own wait, as servers may scan the "
            "message first: {final_dot} seconds, or {factor} times SECONDS with --timeout"
        ).format(
            connect=connect,
            reply=reply,
            final_dot=final_dot,
            factor=FINAL_DOT_FACTOR,
            deadline=REPLY_DEADLINE_FACTOR,
        ),
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
    message.add_argument(
        "--read-receipt",
        action="store_true",
        help=_("ask for a read receipt (Disposition-Notification-To: the From address)"),
    )
    message.add_argument(
        "--dsn",
        nargs="?",
        const="success,failure",
        default="",
        metavar="success,failure,delay",
        help=_("ask the servers for delivery notifications (default: success,failure)"),
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
    output.add_argument(
        "--step",
        action="store_true",
        help=_(
            "pause before each SMTP command: Enter sends it, c runs to the end, q stops, "
            "anything else (NOOP, RSET, VRFY x, EXPN x, HELP) is sent as a command"
        ),
    )
    output.add_argument(
        "--later",
        metavar="“YYYY-MM-DD HH:MM”",
        help=_("queue the message for this local time instead of sending it now"),
    )
    output.add_argument(
        "--show-login",
        action="store_true",
        help=_(
            "show the AUTH lines decoded, for learning: only for a server on this "
            "computer, such as “mailcomposer sandbox --auth student:password”"
        ),
    )
    output.add_argument(
        "--as-swaks",
        action="store_true",
        help=_("print the equivalent swaks command line and send nothing"),
    )

    checks = send.add_argument_group(_("checks before sending"))
    checks.add_argument(
        "--force",
        action="store_true",
        help=_("send even when a check or a rule in screening.toml blocks the message"),
    )
    checks.add_argument(
        "--strict", action="store_true", help=_("stop on warnings too, not only on blocks")
    )


def run(args: argparse.Namespace) -> int:
    """Run ``mailcomposer send``; return its exit code (docs/design.md's table)."""
    from mailcomposer.cli.lazyimports import defer_until_used

    # Before anything imports smtplib: OpenSSL loads only if TLS or CRAM-MD5 is used.
    defer_until_used()
    from mailcomposer.cli import check_home

    failed = check_home()
    if failed is not None:
        return failed
    from mailcomposer.cli import signals
    from mailcomposer.cli.report import SendOutput, report_error
    from mailcomposer.smtp.errors import ExitCode, SendError, Stage
    from mailcomposer.store.paths import Home

    out = SendOutput(json=args.json, quiet=args.quiet, explain=args.explain)
    # SIGINT, SIGTERM and SIGHUP cancel the send from here on, whatever this process
    # inherited (a script's "cmd &" starts it with SIGINT ignored).
    with signals.cancel_on_signals() as cancel:
        try:
            return _send(args, Home.from_env(), out, cancel)
        except UsageError as exc:
            cancel.disarm()
            return report_error(out, SendError(Stage.BUILD, ExitCode.INPUT, str(exc)))
        except SendError as error:
            cancel.disarm()
            return report_error(out, error)
        except signals.Cancelled:
            cancel.disarm()
            return report_error(
                out, SendError(Stage.CONNECT, ExitCode.CANCELLED, _("Cancelled by the user."))
            )


def _send(args: argparse.Namespace, home: Any, out: Any, cancel: Any) -> int:
    """Validate everything first (nothing is sent on bad input), then send or dry-run."""
    from dataclasses import replace

    from mailcomposer.cli import draftargs, outbox, serverargs
    from mailcomposer.cli.report import dry_run, report_result

    later = outbox.parse_later(args.later) if args.later else None
    outbox.note_unknown(home, out)
    draft = draftargs.draft_from_args(args)
    server = serverargs.server_from_args(args, home)
    settings, secret = server.settings, server.secret
    if not draft.from_addr:
        if not server.default_from:
            raise UsageError("--from", _("who is sending? give --from ADDRESS"))
        draft.from_addr = server.default_from
    if not (draft.to or draft.cc or draft.bcc):
        raise UsageError("--to", _("no recipients: give at least one --to, --cc or --bcc"))
    built = draftargs.build(draft)
    if args.save_eml:
        draftargs.save_eml(built, args.save_eml)
    if args.as_swaks:
        return _print_swaks(draft, built, settings)
    stop = _screen(args, draft, home, out)
    if args.dry_run:
        return dry_run(built, out)
    if stop:
        raise UsageError("", stop)
    if later is not None:
        return outbox.queue_later(home, built, server, out, later)
    if args.step and args.password_stdin:
        raise UsageError("--step", _("--step reads standard input; give the password another way"))
    if settings.username and secret is None:
        try:
            secret = serverargs.ask_password(args, settings)
        except UsageError:
            if args.password_stdin:
                raise
            # A relay that offers no AUTH needs none: the session finds out and says
            # so; a server that asks for a login stops the send there (exit code 2).
            secret = None

    from mailcomposer.smtp.errors import ExitCode, SendError
    from mailcomposer.submission import Submission

    if args.show_login:
        if not settings.is_loopback:
            raise UsageError(
                "--show-login",
                _("only for a server on this computer (the lab's); other logins stay hidden"),
            )
        settings = replace(settings, show_lab_login=True)
    sandbox = None
    if server.start_sandbox:
        from mailcomposer.sandbox.server import SandboxServer

        sandbox = SandboxServer(home.sandbox_maildir, cert_dir=home.sandbox).start()
        settings = replace(settings, port=sandbox.port)
        out.note(
            _("Started the built-in test server on 127.0.0.1:{port}; mail goes to {path}").format(
                port=sandbox.port, path=home.sandbox_maildir
            )
        )
    try:
        from mailcomposer.store.sentcopies import after_send_hook

        hook = after_send_hook(home, server.account_name, secret, built, out.note)
        submission = Submission(home, settings, secret, built, server.account_name)
        submission.after_sent = hook
        gate = None
        if args.step:
            import sys

            from mailcomposer.smtp.stdingate import StdinGate

            gate = StdinGate(sys.stdin, sys.stderr if args.json else sys.stdout)
        result = cancel.run(submission, out, gate)
    except SendError as error:
        if error.field == "password" and secret is None:
            from mailcomposer.cli.serverargs import no_password

            raise no_password(settings.username) from None
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
        if sandbox is not None:
            sandbox.stop()
    return report_result(out, result)


def _screen(args: argparse.Namespace, draft: Any, home: Any, out: Any) -> str:
    """Run the pre-send checks and print each finding as a ``! `` line.

    Returns why the send must stop (empty: go on). Blocking findings stop it unless
    ``--force``; with ``--strict`` warnings do too. With ``--json`` the lines go to
    standard error, so standard output stays one JSON object.
    """
    import sys

    from mailcomposer.message.screening import Action, screen
    from mailcomposer.store import screening

    try:
        settings = screening.load(home.screening_file)
    except screening.ScreeningFileError as exc:
        raise UsageError("", str(exc)) from None
    findings = screen(
        to=draft.to,
        cc=draft.cc,
        bcc=draft.bcc,
        subject=draft.subject,
        body=draft.text,
        attachment_count=len(draft.attachments),
        settings=settings,
    )
    stream = sys.stderr if out.json or args.quiet else sys.stdout
    for finding in findings:
        blocks = finding.action is Action.BLOCK
        if args.quiet and not (blocks or args.strict):
            continue  # --quiet: only the one-line result, unless this stops the send
        label = _("blocked") if blocks else _("warning")
        print(f"! {label}: {finding.message}", file=stream, flush=True)
    if args.force or not findings:
        return ""
    if any(f.action is Action.BLOCK for f in findings):
        return _("Nothing was sent: a check blocks this message. Fix it, or use --force.")
    if args.strict:
        return _("Nothing was sent: --strict stops on warnings. Fix them, or use --force.")
    if not out.json and not args.dry_run and sys.stdin.isatty() and sys.stdout.isatty():
        # At a terminal the user can answer, as the window asks; scripts go on.
        answer = input(_("Send anyway? [y/N] ")).strip().lower()
        if answer not in (_("y"), "y", _("yes"), "yes"):
            return _("Nothing was sent: fix what the checks found, then send again.")
    return ""


def _print_swaks(draft: Any, built: Any, settings: Any) -> int:
    """``--as-swaks``: print the swaks command that sends the same message; send nothing."""
    from mailcomposer.smtp.swaks import swaks_command

    command = swaks_command(draft, built, settings)
    for note in command.notes:
        print(f"# {note}")
    print(command.shell)
    return 0


def _smtputf8_culprit(args: argparse.Namespace) -> tuple[str, str] | None:
    """Return the option and address that need SMTPUTF8, if any."""
    from mailcomposer.cli.draftargs import split_values
    from mailcomposer.message.addresses import parse_address_list

    for option, values in (
        ("--from", [args.from_addr or ""]),
        ("--to", args.to),
        ("--cc", args.cc),
        ("--bcc", args.bcc),
    ):
        try:
            addresses = parse_address_list(split_values(values), option.lstrip("-"))
        except ValueError:
            continue
        for address in addresses:
            if address.needs_smtputf8:
                return option, address.addr_spec
    return None
