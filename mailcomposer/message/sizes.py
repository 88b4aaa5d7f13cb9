"""Byte counts as short human-readable sizes (bytes, KiB, MiB, GiB)."""

from __future__ import annotations

from mailcomposer.i18n import ngettext

_KIB = 1024
_UNITS = ("KiB", "MiB", "GiB", "TiB")


def format_size(size: int) -> str:
    """Return ``size`` bytes as ``500 bytes``, ``1.5 KiB``, ``25 MiB`` or ``1.2 GiB``.

    Below 1 KiB the exact count is given, so a small limit never reads as
    ``0.00 MB``; above it one decimal, dropped when it is zero.

    Args:
        size: a number of bytes (negative values are shown as they are).
    """
    if abs(size) < _KIB:
        return ngettext("{n} byte", "{n} bytes", size).format(n=size)
    value = float(size)
    for unit in _UNITS:
        value /= _KIB
        if round(abs(value), 1) < _KIB or unit == _UNITS[-1]:
            break
    # Unit symbols are the same in every language: not translated.
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text} {unit}"
