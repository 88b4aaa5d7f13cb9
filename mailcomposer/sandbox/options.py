"""The ``mailcomposer sandbox`` switches: argparse wiring, the config they build, its summary."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from mailcomposer.i18n import _
from mailcomposer.message.sizes import format_size
from mailcomposer.sandbox.config import EXTENSIONS, STAGES, SandboxConfig
from mailcomposer.sandbox.parsers import SandboxOptionError, build_config

__all__ = [
    "SandboxOptionError",
    "add_arguments",
    "config_from_args",
    "example_command",
    "summary_lines",
]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the lab switches to the ``sandbox`` parser (``--port``, ``--tls``, ``--auth``
    and ``--size`` are the command's own).

    Values are kept as typed; :func:`config_from_args` reads and checks them so that a
    mistake is reported as one line naming the option.
    """
    stages = " ".join(STAGES)
    lab = parser.add_argument_group(
        _("lab switches"),
        _("Each applies to the next connection. STAGE is one of: {stages}").format(stages=stages),
    )
    lab.add_argument(
        "--require-starttls",
        action="store_true",
        help=_("answer 530 5.7.0 to mail commands until the client has started TLS"),
    )
    lab.add_argument(
        "--implicit-tls",
        action="store_true",
        help=_("TLS from the first byte, as on port 465 (instead of STARTTLS)"),
    )
    lab.add_argument(
        "--hide",
        action="append",
        default=[],
        metavar=_("EXT"),
        help=_("leave an extension out of the EHLO reply and refuse it ({names})").format(
            names=", ".join(EXTENSIONS)
        ),
    )
    lab.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar=_("STAGE=CODE[ TEXT]"),
        help=_('answer a stage with this reply, e.g. "RCPT=450 4.2.0 Mailbox busy"'),
    )
    lab.add_argument(
        "--reject-rcpt",
        action="append",
        default=[],
        metavar=_("ADDR[=CODE TEXT]"),
        help=_("refuse this recipient (default 550 5.1.1 No such user here)"),
    )
    lab.add_argument(
        "--greylist",
        action="store_true",
        help=_("defer the first attempt of each sender and recipient with 451 4.7.1"),
    )
    lab.add_argument(
        "--greylist-delay",
        default="0",
        metavar=_("SECONDS"),
        help=_("how long a greylisted sender must wait before retrying (default 0)"),
    )
    lab.add_argument(
        "--delay",
        action="append",
        default=[],
        metavar=_("STAGE=SECONDS"),
        help=_("wait this long before answering a stage, e.g. DATA=5"),
    )
    lab.add_argument(
        "--drop",
        action="append",
        default=[],
        metavar=_("STAGE"),
        help=_(
            "close the connection at a stage without a reply (DATA: mid-message; "
            "DOT: after the message is stored, before the 250)"
        ),
    )


def config_from_args(args: argparse.Namespace) -> SandboxConfig:
    """Build the server's config from parsed ``sandbox`` arguments.

    Raises:
        SandboxOptionError: an option cannot be read; ``str()`` is one line
            starting with the option (``--fault: …``), ready for ``error: …``.
    """
    # --tls has always meant "offer and require STARTTLS"; --require-starttls says it
    # outright. Optional STARTTLS is for configs built elsewhere (the window).
    tls = bool(getattr(args, "tls", False))
    return build_config(
        tls=tls,
        require_starttls=tls or bool(getattr(args, "require_starttls", False)),
        implicit_tls=bool(getattr(args, "implicit_tls", False)),
        auth=getattr(args, "auth", None),
        size=getattr(args, "size", None),
        hide=getattr(args, "hide", None) or (),
        faults=getattr(args, "fault", None) or (),
        rejects=getattr(args, "reject_rcpt", None) or (),
        greylist=bool(getattr(args, "greylist", False)),
        greylist_delay=getattr(args, "greylist_delay", None) or "0",
        delays=getattr(args, "delay", None) or (),
        drops=getattr(args, "drop", None) or (),
    )


def summary_lines(config: SandboxConfig, certificate: Path | None = None) -> list[str]:
    """Say what the server does differently from a plain one, one line per switch.

    Args:
        config: the switches in force.
        certificate: the certificate file clients should trust, when TLS is on.
    """
    lines = []
    if config.implicit_tls:
        lines.append(_("TLS from the first byte (like port 465)"))
    elif config.require_starttls:
        lines.append(_("STARTTLS required"))
    elif config.tls:
        lines.append(_("STARTTLS offered"))
    if certificate is not None and (config.tls or config.implicit_tls):
        lines.append(_("Certificate (use as --cafile): {path}").format(path=certificate))
    if config.auth:
        if config.tls_available:
            lines.append(_("AUTH required for user {user}, offered after TLS").format(
                user=config.auth[0]
            ))  # fmt: skip
        else:
            lines.append(_("AUTH required for user {user}").format(user=config.auth[0]))
    if config.size_limit:
        lines.append(
            _("Largest message accepted: {size}").format(size=format_size(config.size_limit))
        )
    if config.hidden:
        lines.append(_("Hidden: {names}").format(names=" ".join(sorted(config.hidden))))
    for stage, reply in config.faults:
        lines.append(_("Fault at {stage}: {reply}").format(stage=stage, reply=reply.line))
    for address, reply in config.rejects:
        lines.append(_("Refused recipient {address}: {reply}").format(
            address=address, reply=reply.line
        ))  # fmt: skip
    if config.greylist:
        lines.append(
            _("Greylisting: first attempt 451 4.7.1, retry accepted after {seconds:g} s").format(
                seconds=config.greylist_delay
            )
        )
    for stage, seconds in config.delays:
        lines.append(_("Delay at {stage}: {seconds:g} s").format(stage=stage, seconds=seconds))
    for stage in sorted(config.drops, key=STAGES.index):
        lines.append(_("Connection dropped at {stage}").format(stage=stage))
    return lines


def example_command(server: Any) -> str:
    """A ``mailcomposer send`` command line that reaches ``server`` (a started SandboxServer)."""
    config: SandboxConfig = server.config
    command = f"mailcomposer send --server 127.0.0.1:{server.port} --security "
    if config.implicit_tls or config.tls:
        mode = "tls" if config.implicit_tls else "starttls"
        command += f"{mode} --cafile {server.certificate.cert}"
    else:
        command += "none"
    if config.auth:
        command += f" --user {config.auth[0]} --password-stdin"
    return command
