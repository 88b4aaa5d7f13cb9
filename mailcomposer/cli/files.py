"""Files named on the command line: checked readable first, read as UTF-8 text."""

from __future__ import annotations

import sys
from pathlib import Path

from mailcomposer.cli.parser import UsageError
from mailcomposer.i18n import _


def cannot_read(path: Path | str, exc: OSError) -> str:
    """The message for a file that exists but cannot be read."""
    return _("cannot read “{path}”: {reason}").format(path=path, reason=exc.strerror or exc)


def readable_file(option: str, name: str) -> Path:
    """``name`` as a Path, once it is known to be a readable file (else ``UsageError``)."""
    path = Path(name).expanduser()
    if not path.exists():
        raise UsageError(option, _("“{path}” does not exist").format(path=name))
    if path.is_dir():
        raise UsageError(option, _("“{path}” is a folder, not a file").format(path=name))
    if not path.is_file():
        return path  # a pipe or FIFO (<(cmd), /dev/fd/N): a test read would eat its data
    try:
        with open(path, "rb") as fh:
            fh.read(1)
    except OSError as exc:
        raise UsageError(option, cannot_read(name, exc)) from None
    return path


def read_stdin_text(option: str) -> str:
    """The body piped on standard input, as UTF-8 (a BOM is dropped)."""
    try:
        return sys.stdin.buffer.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(
            option, _("standard input is not UTF-8 text; convert it to UTF-8")
        ) from None


def read_text(option: str, name: str) -> str:
    """The UTF-8 text of file ``name`` (a BOM is dropped); ``UsageError`` naming ``option``."""
    path = readable_file(option, name)
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(
            option, _("“{path}” is not UTF-8 text; save it as UTF-8").format(path=name)
        ) from None
    except OSError as exc:
        raise UsageError(option, cannot_read(name, exc)) from None
