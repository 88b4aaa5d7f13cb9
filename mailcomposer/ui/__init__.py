"""The PySide6 user interface: the only package that imports Qt."""

from __future__ import annotations

import gc
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


class TellPySide:
    """Answers PySide's "does this module use Qt?" for each of our modules as it is found.

    WORKAROUND for PySide6 6.x: once PySide6 is imported, its ``__feature__`` import
    hook reads the *source* of every module imported after it (``inspect.getsource``)
    to see whether it names PySide6, ~1.5 % of the launch for our start-up modules. It
    keeps each answer by module name in ``__feature__.pyside_feature_dict`` (0: uses
    PySide, -1: ignore) and never looks again. This finder sits first on
    ``sys.meta_path`` and writes our answer there when one of our modules is about to
    load: the ui package uses PySide, no other package may (tests/unit/test_boundaries.py).
    It finds nothing itself (the usual finders load the module), costs nothing up
    front, and needs no source folder (a frozen build has none). The standard library
    never uses PySide either, and is told the same way: every later ``import json`` or
    ``import email.parser`` would otherwise read that module's source once (~0.1-0.4 ms
    each, ~2.5 ms of the launch and more while the send machinery loads). Names already
    there are left alone.
    """

    def __init__(self, known: dict[str, int]) -> None:
        self.known = known

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name not in self.known:
            top = name.partition(".")[0]
            if top == "mailcomposer":
                ui = name == "mailcomposer.ui" or name.startswith("mailcomposer.ui.")
                self.known[name] = 0 if ui else -1
            elif top in sys.stdlib_module_names:
                self.known[name] = -1
        return None

    def invalidate_caches(self) -> None:
        """Nothing cached (``importlib.invalidate_caches`` asks every finder)."""


def tell_pyside_our_modules() -> bool:
    """Put a ``TellPySide`` first on ``sys.meta_path``; False where PySide has no such dict."""
    known = getattr(sys.modules.get("__feature__"), "pyside_feature_dict", None)
    if not isinstance(known, dict):
        return False
    if not any(isinstance(finder, TellPySide) for finder in sys.meta_path):
        teller = TellPySide(known)
        for name in list(sys.modules):  # loaded before PySide (this package among them)
            teller.find_spec(name)
        sys.meta_path.insert(0, teller)
    return True


with startup_objects():  # importing Qt builds much of it
    # The Qt-free modules the window starts with, imported BEFORE Qt: once PySide6 is
    # in, it reads the source of every module imported after it (inspect.getsource,
    # looking for ``from __feature__ import``), which costs a few % of the launch.
    import mailcomposer.store.accounts
    import mailcomposer.store.drafts  # noqa: F401

    keep_none_alive()
    tell_pyside_our_modules()
