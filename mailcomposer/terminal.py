"""Printing to a terminal, file or pipe whatever its encoding: never a crash, JSON intact."""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # the command line's start imports neither typing nor json
if TYPE_CHECKING:
    from typing import Any, TextIO

_SAMPLE = "✓ 张"


def _can_show(stream: TextIO) -> bool:
    try:
        _SAMPLE.encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def never_fail_to_print() -> None:
    """Let stdout and stderr replace what their encoding cannot show instead of crashing.

    Windows writes redirected output (``> log.txt``, a pipe) in the ANSI code page,
    cp1252 on a Western system: the first ``✓`` or Chinese character of a transcript
    raised UnicodeEncodeError and the run ended with a traceback and exit status 1,
    which means "some recipients refused" to a script. The encoding is kept (whoever
    reads the output expects it); only the characters it lacks become ``?``.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not _can_show(stream):
            reconfigure(errors="replace")


def print_json(data: Any) -> None:
    """Print ``data`` as indented JSON, with ``\\uXXXX`` escapes where stdout lacks a character.

    Readable UTF-8 where the stream can take it; escaped (still exact for any JSON
    reader) where it cannot, so no value is turned into ``?``.
    """
    import json

    print(json.dumps(data, ensure_ascii=not _can_show(sys.stdout), indent=2))


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: a Chinese (wide) character takes two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
