"""Byte counts in the unit a person reads best (bytes, KiB, MiB, GiB)."""

from __future__ import annotations

from mailcomposer.i18n import _


def format_size(size: int) -> str:
    """``500 bytes``, ``1.5 KiB``, ``35 MiB``: never ``0.00 MB``."""
    if size < 1024:
        return _("{n} bytes").format(n=size)
    value = float(size)
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        value /= 1024
        if value < 1024 or unit == "TiB":
            break
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{text} {unit}"
