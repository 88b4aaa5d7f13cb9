"""File names made from text (a subject) that every system takes, Windows included."""

from __future__ import annotations

__all__ = ["MAX_NAME_LENGTH", "is_reserved", "name_from_text", "shorten_name"]

# What Windows refuses in a name (the strictest system); controls are refused too.
_FORBIDDEN = frozenset('<>:"/\\|?*')
# Device names Windows opens instead of a file, with any extension (CON.txt is CON),
# and after trailing spaces and dots ("con .eml"). ¹²³ count as digits there.
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"{port}{n}" for port in ("com", "lpt") for n in (*"0123456789", "¹", "²", "³")}
)
# The longest name most file systems take: 255 UTF-16 units on Windows (NTFS,
# exFAT), 255 bytes on Linux (ext4, btrfs). A name is kept under both.
MAX_NAME_LENGTH = 255


def is_reserved(name: str) -> bool:
    """True when Windows takes ``name`` for a device (``CON``, ``nul.txt``, ``COM1 .eml``)."""
    return name.split(".", 1)[0].rstrip(" .").lower() in _RESERVED


def _units(text: str) -> int:
    """The longer of ``text``'s UTF-8 bytes and UTF-16 units (what file systems count)."""
    return max(len(text.encode("utf-8", "surrogatepass")), len(text.encode("utf-16-le")) // 2)


def shorten_name(name: str, limit: int = MAX_NAME_LENGTH) -> str:
    """``name`` cut (before its extension) until every file system takes its length.

    The cut never splits a character, and the name keeps its extension when the
    extension is short (under 16 characters).
    """
    if _units(name) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) >= 16:
        stem, dot, ext = name, "", ""
    tail = dot + ext
    while stem and _units(stem + tail) > limit:
        stem = stem[:-1]
    return stem.rstrip(" .") + tail if stem else name[: limit // 4]


def name_from_text(text: str, fallback: str = "message", limit: int = 60) -> str:
    """A file name (without extension) made from ``text``, such as a message's subject.

    Characters a file name cannot hold become spaces (``Re: 周报?`` gives ``Re 周报``),
    runs of spaces become one, leading and trailing spaces and dots go (Windows drops
    trailing ones itself), a device name gets a ``_`` in front, and the result has at
    most ``limit`` characters. Empty: ``fallback``.
    """
    cleaned = "".join(" " if ch in _FORBIDDEN or not ch.isprintable() else ch for ch in text)
    name = " ".join(cleaned.split())[:limit].strip(" .")
    if not name:
        return fallback
    if is_reserved(name):
        name = "_" + name
    return shorten_name(name)
