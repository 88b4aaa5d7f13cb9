"""``mailcomposer sandbox``: the built-in local SMTP server in the foreground, until Ctrl+C."""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path

from mailcomposer.cli.parser import UsageError
from mailcomposer.i18n import _


def add_arguments(sandbox: argparse.ArgumentParser) -> None:
    """Add the options of ``sandbox`` to its parser."""
    sandbox.description = _(
        "Run the built-in SMTP server on 127.0.0.1. Every message it receives is kept "
        "in MAILCOMPOSER_HOME/sandbox/Maildir. Stop it with Ctrl+C."
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
    from mailcomposer.sandbox.options import add_arguments as add_lab_switches

    add_lab_switches(sandbox)


def run(args: argparse.Namespace) -> int:
    """Run ``mailcomposer sandbox`` in the foreground until Ctrl+C (or SIGTERM, SIGHUP)."""
    from mailcomposer.cli.output import usage_error
    from mailcomposer.sandbox.options import (
        SandboxOptionError,
        config_from_args,
        example_command,
        summary_lines,
    )
    from mailcomposer.sandbox.server import SandboxServer
    from mailcomposer.store.paths import Home

    try:
        port = _int_option("--port", args.port, 0, 65535)
        config = config_from_args(args)
    except (UsageError, SandboxOptionError) as exc:
        return usage_error(exc.option, exc.message)
    home = Home.from_env()
    server = SandboxServer(
        home.sandbox_maildir,
        port=port,
        config=config,
        cert_dir=home.sandbox,
        on_stored=_print_stored,
    )
    try:
        server.start()
    except OSError as exc:
        return usage_error(
            "--port",
            _("cannot listen on 127.0.0.1:{port}: {reason}; try another port or 0").format(
                port=port, reason=exc.strerror or exc
            ),
        )
    try:
        print(_("Listening on 127.0.0.1:{port}").format(port=server.port), flush=True)
        certificate = server.certificate.cert if server.certificate else None
        for line in summary_lines(config, certificate):
            print(line)
        print(_("Mail is stored in {path}").format(path=server.maildir))
        print(
            _("Try: {command} --from me@example.org --to you@example.org --text hello").format(
                command=example_command(server)
            )
        )
        print(_("Press Ctrl+C to stop."), flush=True)
        _wait_for_a_stop_signal()
    finally:
        server.stop()
    print(_("Stopped."), flush=True)
    return 0


def _wait_for_a_stop_signal() -> None:
    """Block until SIGINT, SIGTERM or SIGHUP, whatever handlers this process inherited."""
    from mailcomposer.cli.signals import CANCEL_SIGNALS

    stop = threading.Event()
    previous = [(s, signal.signal(s, lambda *_args: stop.set())) for s in CANCEL_SIGNALS]
    try:
        while not stop.wait(0.5):
            pass
    finally:
        for signum, handler in reversed(previous):
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


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
