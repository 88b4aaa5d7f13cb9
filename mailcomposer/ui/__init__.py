"""The PySide6 user interface: the only package that imports Qt."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def startup_objects(*, freeze: bool = True) -> Iterator[None]:
    """Pause the cyclic garbage collector while building what lives until quit.

    Start-up creates a few hundred thousand objects that all live as long as the
    app (Qt's enum classes, our modules, the widgets' wrappers); a collection in
    between walks them again for nothing (a few % of the launch). With
    ``freeze``, what was built is then moved out of the collector's sight
    (``gc.freeze()``), so neither the next collection nor any later one (while the
    log fills, while sending) walks it again. The collector's state is restored on
    the way out, whatever happens.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


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
    # The first call builds the binding's lazy parts (some keep a None): not a loss, but
    # counted it would pin None (and import ctypes) on a sound build too.
    probe.setObjectName("warm")
    before = sys.getrefcount(None)
    probe.setObjectName("probe")
    probe.setObjectName("probe")
    lost = before - sys.getrefcount(None)
    if lost > 0 and sys.version_info < (3, 12) and sys.implementation.name == "cpython":
        import ctypes

        ctypes.c_ssize_t.from_address(id(None)).value += 1 << 48
    return lost


def package_modules(root: str | None = None) -> dict[str, bool]:
    """Each module of the mailcomposer package on disk, and whether it uses Qt (the ui).

    Empty where the package is not a folder of sources (a frozen build keeps its
    modules in an archive): nothing to tell PySide then, and nothing it could read.
    """
    found: dict[str, bool] = {}
    if root is None:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

    def walk(folder: str, name: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            if entry.name.endswith(".py"):
                module = name if entry.name == "__init__.py" else f"{name}.{entry.name[:-3]}"
                found[module] = module == "mailcomposer.ui" or module.startswith("mailcomposer.ui.")
            elif entry.is_dir() and entry.name.isidentifier():
                walk(entry.path, f"{name}.{entry.name}")

    walk(root, "mailcomposer")
    return found


def tell_pyside_our_modules() -> int:
    """Record which of our modules use Qt where PySide looks first; return how many.

    WORKAROUND for PySide6 6.x: once PySide6 is imported, its ``__feature__`` import
    hook reads the *source* of every module imported after it (``inspect.getsource``)
    to see whether it names PySide6, ~1.5 % of the launch for our start-up modules. It
    keeps each answer by module name in ``__feature__.pyside_feature_dict`` (0: uses
    PySide, -1: ignore) and never looks again, so we write the same answers first:
    the ui package uses PySide, no other package may (tests/unit/test_boundaries.py).
    Names already there are left alone; a PySide without the dict is left as it is.
    """
    known = getattr(sys.modules.get("__feature__"), "pyside_feature_dict", None)
    if not isinstance(known, dict):
        return 0
    added = 0
    for module, uses_qt in package_modules().items():
        if module not in known:
            known[module] = 0 if uses_qt else -1
            added += 1
    return added


with startup_objects():  # importing Qt builds much of it
    # The Qt-free modules the window starts with, imported BEFORE Qt: once PySide6 is
    # in, it reads the source of every module imported after it (inspect.getsource,
    # looking for ``from __feature__ import``), which costs a few % of the launch.
    import mailcomposer.store.accounts
    import mailcomposer.store.drafts  # noqa: F401

    keep_none_alive()
    tell_pyside_our_modules()
