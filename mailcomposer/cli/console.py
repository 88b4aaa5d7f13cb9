"""``mailcomposer console HOST[:PORT]``: talk SMTP by hand, each reply explained."""

from __future__ import annotations

import argparse

from mailcomposer.cli.parser import add_connection_options
from mailcomposer.i18n import _


def add_arguments(console: argparse.ArgumentParser) -> None:
    """Add the options of ``console`` to its parser."""
    console.description = _(
        "Connect to an SMTP server and type commands (EHLO, VRFY, EXPN, HELP, NOOP, RSET, "
        "STARTTLS, “auth plain USER”, MAIL, RCPT, DATA …); each reply is explained with "
        "its RFC. Piped input runs line by line; the exit status is 0 when the last reply "
        "was 2xx or 3xx, else 1."
    )
    console.add_argument("server", metavar=_("HOST[:PORT]"), help=_("the server to talk to"))
    add_connection_options(console, login=False)  # a login is typed: “auth plain USER”
    console.add_argument(
        "--no-explain", action="store_true", help=_("show the lines without explanations")
    )


def run(args: argparse.Namespace) -> int:
    """Run the console on standard input; 0 or 1 as its last reply, 2 for bad options."""
    import sys
    from pathlib import Path

    from mailcomposer.cli.address import default_security, parse_server
    from mailcomposer.cli.output import usage_error
    from mailcomposer.cli.parser import UsageError
    from mailcomposer.smtp import console
    from mailcomposer.smtp.settings import Security, ServerSettings

    try:
        host, port = parse_server(args.server, "server")
    except UsageError as exc:
        return usage_error(exc.option, exc.message)
    security = Security(args.security or default_security(host, port or 25))
    cafile = Path(args.cafile) if args.cafile else None
    if cafile is not None and not cafile.is_file():
        return usage_error("--cafile", _("“{path}” is not a file").format(path=cafile))
    settings = ServerSettings(host, port or 0, security, cafile=cafile)
    return console.run(
        settings,
        sys.stdin,
        sys.stdout,
        explain=not args.no_explain,
        interactive=sys.stdin.isatty(),
    )
