"""The PySide6 user interface: the only package that imports Qt."""

from __future__ import annotations

import sys


def keep_none_alive() -> int:
    """Pin ``None`` when this PySide6 build loses a reference to it; return refs lost.

    WORKAROUND for PySide6/shiboken6 6.12.0 (abi3 wheel) on CPython 3.11: every
    binding that returns ``None`` (each void call such as ``QAction.setChecked`` or
    ``QPainter.setPen``, a null ``QTextBlock.textList()``) hands it back without a new
    reference, as if ``None`` were immortal (true only from 3.12). A log repainting
    rows or a toolbar following the cursor drives the count to zero within seconds
    and the interpreter aborts ("none_dealloc"). pyproject.toml excludes 6.12.0 on
    3.11; this guard covers environments we do not control: it gives ``None`` a huge
    reference count, making it immortal as on 3.12. It does nothing on a sound build.
    """
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    probe.setObjectName("probe")
    probe.setObjectName("probe")
    lost = before - sys.getrefcount(None)
    if lost > 0 and sys.version_info < (3, 12) and sys.implementation.name == "cpython":
        import ctypes

        ctypes.c_ssize_t.from_address(id(None)).value += 1 << 48
    return lost


keep_none_alive()
