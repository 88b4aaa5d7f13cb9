"""Render a sandbox config as the ``mailcomposer sandbox`` command line that builds it."""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from mailcomposer.i18n import _
from mailcomposer.sandbox.config import DEFAULT_REJECT_TEXT, STAGES, Reply, SandboxConfig

_UNITS = (("G", 1024**3), ("M", 1024**2), ("K", 1024))


@dataclass(frozen=True)
class CommandLine:
    """The switches that give a config, and what the command line cannot say.

    Attributes:
        args: the arguments after ``mailcomposer sandbox``, one switch value per item.
        notes: translated sentences for settings the command line cannot express
            (the closest switch is used instead); empty when ``args`` is exact.
    """

    args: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def exact(self) -> bool:
        """True when running ``args`` gives exactly the config."""
        return not self.notes

    def text(self, program: str = "mailcomposer sandbox") -> str:
        """The whole command, quoted for a POSIX shell, ready to copy."""
        return " ".join([program, *(shlex.quote(arg) for arg in self.args)])


def seconds_text(seconds: float) -> str:
    """``2`` for 2.0, ``0.5`` for 0.5: short, and read back as the same float."""
    return str(int(seconds)) if float(seconds).is_integer() else repr(float(seconds))


def size_text(size: int) -> str:
    """``10M`` for 10 MiB, ``512K``, or the bytes when no unit divides ``size``."""
    for unit, factor in _UNITS:
        if size % factor == 0:
            return f"{size // factor}{unit}"
    return str(size)


def reject_arg(address: str, reply: Reply) -> str:
    """``x@example.org`` for the default refusal, else ``x@example.org=CODE TEXT``."""
    if reply == Reply(550, DEFAULT_REJECT_TEXT):
        return address
    return f"{address}={reply.line}"


def command_args(config: SandboxConfig, port: int | None = None) -> CommandLine:
    """The ``sandbox`` switches that rebuild ``config`` (``config_from_args`` reads them back).

    Args:
        config: the switches to render.
        port: add ``--port N`` (None leaves the command's default, 2525).
    """
    args: list[str] = []
    notes: list[str] = []
    if port is not None:
        args += ["--port", str(port)]
    if config.implicit_tls:
        args.append("--implicit-tls")
    elif config.tls:
        args.append("--require-starttls")
        if not config.require_starttls:
            notes.append(
                _(
                    "The command line cannot offer STARTTLS without requiring it: "
                    "--require-starttls is the closest."
                )
            )
    if config.auth:
        user, password = config.auth
        args += ["--auth", f"{user}:{password}"]
        if ":" in user:
            notes.append(_("A user name with “:” cannot be given to --auth."))
    if config.size_limit:
        args += ["--size", size_text(config.size_limit)]
    for name in sorted(config.hidden):
        args += ["--hide", name]
    for stage, reply in sorted(config.faults, key=lambda pair: STAGES.index(pair[0])):
        args += ["--fault", f"{stage}={reply.line}"]
    for address, reply in config.rejects:
        args += ["--reject-rcpt", reject_arg(address, reply)]
    if config.greylist:
        args.append("--greylist")
    if config.greylist_delay:
        args += ["--greylist-delay", seconds_text(config.greylist_delay)]
    for stage, seconds in sorted(config.delays, key=lambda pair: STAGES.index(pair[0])):
        args += ["--delay", f"{stage}={seconds_text(seconds)}"]
    for stage in sorted(config.drops, key=STAGES.index):
        args += ["--drop", stage]
    return CommandLine(tuple(args), tuple(notes))


def command_text(config: SandboxConfig, port: int | None = None) -> str:
    """The whole ``mailcomposer sandbox …`` command for ``config``, quoted for a shell."""
    return command_args(config, port).text()
