"""Writing a file so that a crash, a full disk or a busy target never leaves half of it."""

from __future__ import annotations

import errno
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from typing import BinaryIO

# How long a replace is retried while the target is busy (Windows only, see replace()).
BUSY_RETRY_S = 1.0
BUSY_RETRY_STEP_S = 0.05
# How much of the target's name the temporary file beside it repeats: enough to see
# whose it is, short enough that ".<name>.<12 hex>.tmp" of a 255-character name
# still fits in a name (255) and, on Windows, in the path (260) the target fits in.
TEMP_NAME_KEPT = 40


def replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """``os.replace``, retried for a moment while Windows reports the target busy.

    On Windows a file another program has open without delete sharing (a virus
    scanner or the search indexer looking at the file we wrote a second ago, an
    e-mail viewer showing the .eml) cannot be replaced: PermissionError, usually
    gone within milliseconds. Elsewhere a PermissionError is real and raised at once.
    """
    deadline = time.monotonic() + BUSY_RETRY_S
    while True:
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if sys.platform != "win32" or time.monotonic() >= deadline:
                raise
            time.sleep(BUSY_RETRY_STEP_S)


def make_temp_file(folder: str | os.PathLike[str], prefix: str, suffix: str) -> tuple[int, str]:
    """Create a new file only this user can read; return its descriptor and absolute path.

    What ``tempfile.mkstemp(suffix, prefix, folder)`` does (an exclusive create under
    a random name, tried again while the name is taken), without importing tempfile:
    it brings shutil and with it bz2, lzma and zlib, 0.6 MiB of a send's 20 MiB.
    """
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for _attempt in range(100):
        path = os.path.join(folder, f"{prefix}{os.urandom(6).hex()}{suffix}")
        try:
            return os.open(path, flags, 0o600), os.path.abspath(path)
        except FileExistsError:
            continue
        except PermissionError:
            # Windows says this when the name is taken by a folder (as tempfile knows).
            if sys.platform == "win32" and os.path.isdir(folder) and os.access(folder, os.W_OK):
                continue
            raise
    raise FileExistsError(errno.EEXIST, "No usable temporary file name found", str(folder))


@contextmanager
def atomic_file(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Yield a binary file whose content becomes ``path`` when the block ends normally.

    The data goes to a hidden temporary file beside ``path``, is flushed to disk,
    then replaces ``path`` in one step: readers see the old file or the new one,
    never a part. If the block raises, ``path`` is untouched and the temporary file
    is removed. The folder is created if needed.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = make_temp_file(target.parent, f".{target.name[:TEMP_NAME_KEPT]}.", ".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` so a crash leaves either the old or the new file."""
    with atomic_file(path) as fh:
        fh.write(data)


def decode_hand_edited(data: bytes) -> str:
    """The text of a file the user may have edited by hand, as the editor saved it.

    Windows Notepad saves UTF-8 with a byte-order mark (before Windows 10 1903), its
    "Unicode" (UTF-16 with a mark), or "ANSI", which is GBK on a Chinese system:
    strict UTF-8 lost the first word of a list, or the whole file.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", "replace")  # a superset of GBK
