"""Read an attachment that comes from a pipe, FIFO or device: whole, once, within a limit."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from mailcomposer.i18n import _
from mailcomposer.message.errors import InputError

# A pipe, FIFO or device is read whole into memory before the message is built (its
# size is unknown and it can be read only once): more than this is refused.
STREAM_MAX_BYTES = 100 * 1024 * 1024


def is_stream(path: Path) -> bool:
    """True for a pipe, FIFO, socket or device: no size up front, and read only once."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False  # reported by the read that follows
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def read_stream(path: Path, name: str) -> bytes:
    """Read a non-regular file whole, once, up to STREAM_MAX_BYTES.

    Raises:
        InputError: it cannot be read, or gives more than STREAM_MAX_BYTES.
    """
    blocks: list[bytes] = []
    total = 0
    try:
        with open(path, "rb") as fh:
            while block := fh.read(1 << 20):
                total += len(block)
                if total > STREAM_MAX_BYTES:
                    raise InputError(
                        "attachments",
                        _(
                            "“{name}” is not a regular file and gives more than {limit} MB; "
                            "save it to a file and attach that"
                        ).format(name=name, limit=f"{STREAM_MAX_BYTES / 1e6:g}"),
                        str(path),
                    )
                blocks.append(block)
    except OSError as exc:
        raise InputError(
            "attachments",
            _("Cannot read “{name}”: {reason}").format(name=name, reason=exc.strerror or exc),
            str(path),
        ) from None
    return b"".join(blocks)
