"""The argparse front: the command table, one-line usage errors, and a parser built lazily.

Only the chosen command's options are added (and only its module imported), so
``mailcomposer --version`` and ``mailcomposer send --help`` start at once.
"""

from __future__ import annotations

import argparse
import os
import sys

from mailcomposer import __version__
from mailcomposer.i18n import N_, _

# Not importing typing saves a tenth of a bare interpreter start (see cli_start.py).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from types import ModuleType
    from typing import Any, NoReturn

# Command name -> its one-line help (translated when the parser is built).
COMMANDS = {
    "send": N_("send a message without a window and print the SMTP transcript"),
    "sandbox": N_("run the built-in local test server in the foreground"),
    "inspect": N_("print the MIME tree and problems of an .eml file"),
    "account": N_("list, add, test or remove sending accounts"),
    "console": N_("talk SMTP by hand, each reply explained"),
    "history": N_("list send attempts from the send log"),
    "stats": N_("statistics of the send log"),
    "outbox": N_("list, send, retry or delete messages waiting in the outbox"),
    "selftest": N_("check this installation: resources, modules, keyring backend, TLS roots"),
    "register": N_("open mailto: links and .eml files with mailcomposer (this user)"),
    "unregister": N_("stop opening mailto: links and .eml files with mailcomposer"),
}

# The values of mailcomposer.smtp.settings.Security, spelled out so building the
# parser does not import the SMTP code (a unit test keeps the two equal).
SECURITY_CHOICES = ("none", "starttls", "tls")


def add_connection_options(
    group: argparse._ActionsContainer, *, only_with_server: bool = False, login: bool = True
) -> None:
    """Add ``--security``, ``--cafile`` and (with ``login``) ``--user`` and ``--password-stdin``.

    The same words for every command that connects (``send``, ``account test``,
    ``console``). With ``only_with_server``, the help says they apply with
    ``--server`` (a saved account has its own).
    """
    texts = {
        "--security": (
            _("none, starttls or tls (default: tls on port 465, none for this computer, "
              "else starttls)"),
            _("with --server: none, starttls or tls (default: tls on port 465, none for "
              "this computer, else starttls)"),
        ),
        "--cafile": (
            _("also trust the certificates in this PEM file"),
            _("with --server: also trust the certificates in this PEM file"),
        ),
        "--user": (_("log in with this user name"), _("with --server: log in with this user name")),
    }  # fmt: skip
    pick = 1 if only_with_server else 0
    group.add_argument("--security", choices=SECURITY_CHOICES, help=texts["--security"][pick])
    if login:
        group.add_argument("--user", metavar=_("USER"), help=texts["--user"][pick])
        group.add_argument(
            "--password-stdin",
            action="store_true",
            help=_("read the password from the first line of standard input"),
        )
    group.add_argument("--cafile", metavar=_("PATH"), help=texts["--cafile"][pick])


class UsageError(Exception):
    """Bad input on the command line: exit 2, one line naming the option and the fix.

    Attributes:
        option: the option (``--server``) or argument (``name``) at fault; may be empty.
        message: what is wrong and how to fix it.
    """

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"{option}: {message}" if option else message)
        self.option = option
        self.message = message


def terminal_width() -> int:
    """The width help is wrapped to, as argparse computes it, without importing shutil.

    ``shutil.get_terminal_size`` with its defaults: ``COLUMNS``, else the terminal of
    standard output, else 80 (shutil would also load bz2 and lzma for nothing here).
    """
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return (columns or 80) - 2


# Stands for a space inside a metavar while argparse builds a usage line (see below).
_METAVAR_SPACE = "\x00"


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, at the width of :func:`terminal_width`.

    WORKAROUND for argparse (3.11, 3.12): its usage clean-up deletes every space after
    a ``[`` (meant for the brackets it adds itself), so ``--fault STAGE=CODE[ TEXT]``
    read ``STAGE=CODE[TEXT]``, and in Chinese ``阶段=代码[文本]``: a syntax with no
    space, which is not the one the option takes. A metavar's own spaces stand in as
    ``_METAVAR_SPACE`` while the usage is built and come back after.
    """

    def __init__(self, prog: str, **kwargs: object) -> None:
        kwargs.setdefault("width", terminal_width())
        super().__init__(prog, **kwargs)  # type: ignore[arg-type]
        self._building_usage = False

    def _format_usage(self, *args: Any, **kwargs: Any) -> str:
        self._building_usage = True
        try:
            text = super()._format_usage(*args, **kwargs)  # type: ignore[misc]
        finally:
            self._building_usage = False
        return text.replace(_METAVAR_SPACE, " ")

    def _metavar_formatter(self, *args: Any, **kwargs: Any) -> Callable[[int], tuple[str, ...]]:
        formatter = super()._metavar_formatter(*args, **kwargs)  # type: ignore[misc]
        if not self._building_usage:
            return formatter

        def kept(tuple_size: int) -> tuple[str, ...]:
            return tuple(str(m).replace(" ", _METAVAR_SPACE) for m in formatter(tuple_size))

        return kept


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as a ``UsageError`` (one line, exit code 2)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> NoReturn:
        # argparse says "argument --to: ..."; our form is "--to: ...".
        option, sep, rest = message.removeprefix("argument ").partition(": ")
        if sep and " " not in option:
            raise UsageError(option, rest)
        raise UsageError("", message.removeprefix("argument "))


def command_module(name: str) -> ModuleType:
    """Import and return the module of command ``name`` (its options and its ``run``).

    Plain imports, one per command, so a frozen build's analysis finds them all.
    """
    if name == "send":
        from mailcomposer.cli import send as module
    elif name == "sandbox":
        from mailcomposer.cli import sandbox as module
    elif name == "inspect":
        from mailcomposer.cli import inspect as module
    elif name == "account":
        from mailcomposer.cli import account as module
    elif name == "console":
        from mailcomposer.cli import console as module
    elif name == "history":
        from mailcomposer.cli import history as module
    elif name == "stats":
        from mailcomposer.cli import stats as module
    elif name == "outbox":
        from mailcomposer.cli import outbox as module
    elif name == "selftest":
        from mailcomposer.cli import selftest as module
    elif name == "register":
        from mailcomposer.cli import register as module
    elif name == "unregister":
        from mailcomposer.cli import unregister as module
    else:
        raise KeyError(name)
    return module


def chosen_command(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names: its first word not starting with ``-``."""
    for word in argv:
        if not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def translate_argparse() -> None:
    """Let argparse's own words (``usage:``, its headings and errors) come from our catalog.

    WORKAROUND for argparse (3.11): it translates through the ``_`` and ``ngettext`` it
    imported from gettext, whose default domain has no catalog of ours, so a Chinese
    help showed "usage:", "options" and "expected one argument" in English. Its two
    module globals now point at ours (English stays as argparse writes it).
    """
    from mailcomposer import i18n

    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]


def build_parser(command: str | None = "*") -> argparse.ArgumentParser:
    """Build the parser; only ``command``'s options are added (``"*"``: every command's)."""
    translate_argparse()
    parser = Parser(
        prog="mailcomposer",
        description=_(
            "Compose and send e-mail and watch the SMTP conversation. Without a command, "
            "open the composer window (optionally with a FILE.eml or a mailto: URL)."
        ),
        epilog=_(
            "The window also answers a message or starts from a template: "
            "mailcomposer --reply FILE.eml (or --reply-all, --forward, --forward-attached), "
            "mailcomposer --template NAME."
        ),
    )
    parser.add_argument("--version", action="version", version=f"mailcomposer {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    for name, help_text in COMMANDS.items():
        sub = subparsers.add_parser(name, help=_(help_text))
        if command in (name, "*"):
            command_module(name).add_arguments(sub)
    return parser
