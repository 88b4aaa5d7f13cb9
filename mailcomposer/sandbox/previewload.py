"""Load a stored message's preview within bounds: read, pre-scan, parse (on any thread).

Qt-free, so the inbox can run it on a worker thread and tests can call it directly.
The parse of ``build_preview`` is bounded in size, parts and depth, but a header
field of a few hundred kilobytes still costs the email package seconds (its time
grows with the square of the field's length, even for the headers alone): the
linear pre-scan of ``message.inspect`` refuses such a message first, which then
shows its source with a sentence saying why.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from mailcomposer.message import tailsearch
from mailcomposer.message.inspect import Limits as ScanLimits
from mailcomposer.message.inspect import MessageFileError, scan_message
from mailcomposer.sandbox.preview import (
    SOURCE_LIMIT,
    Limits,
    Preview,
    build_preview,
    read_stored,
)

tailsearch.install()  # the parse of a big attachment no longer holds the GIL 0.2 s


def _never() -> bool:
    return False


def scan_limits(limits: Limits) -> ScanLimits:
    """The pre-scan's limits for a preview.

    Its size and field limits; parts and depth a little beyond the preview's own, which
    shows the first of them with a sentence (the email package recurses a few hundred
    levels deep at most before ``build_preview`` catches its ``RecursionError``).
    """
    return ScanLimits(
        max_bytes=limits.max_bytes,
        max_field=limits.max_field,
        max_parts=4 * limits.max_parts + 100,
        max_depth=4 * limits.max_depth,
    )


def load_preview(
    path: str | os.PathLike[str],
    limits: Limits | None = None,
    *,
    full: bool = False,
    cancelled: Callable[[], bool] = _never,
) -> Preview | None:
    """Read the stored message at ``path`` and describe it; None when ``cancelled()``.

    ``cancelled`` is asked between the steps (read, scan, parse), so a preview no one
    waits for any more stops early. A message the pre-scan refuses shows its source
    and the reason only: even its headers would take the email package too long.

    Raises:
        OSError: the file cannot be read.
    """
    limits = limits or Limits()
    raw, size = read_stored(path, limits, full=full)
    if cancelled():
        return None
    # What build_preview will parse: the whole message, or only its head.
    parses_all = (full or size <= limits.auto_bytes) and size <= limits.max_bytes
    try:
        scan_message(raw if parses_all else raw[:SOURCE_LIMIT], scan_limits(limits))
    except MessageFileError as exc:
        return Preview(size=size, source=raw[:SOURCE_LIMIT], problems=(str(exc),))
    if cancelled():
        return None
    return build_preview(raw, size=size, limits=limits, full=full)
