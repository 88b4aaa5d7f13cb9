"""Standard modules that ``send`` loads on first use: OpenSSL and ``inspect`` stay unloaded.

smtplib imports ``ssl`` (STARTTLS, implicit TLS) and ``hmac`` (CRAM-MD5) at its top,
and both load OpenSSL's libcrypto: about 5 MiB of the 20 MiB a send may use
(docs/design.md's budget), spent even when the connection stays plain.
``dataclasses`` imports ``inspect`` (with ``ast``, ``dis`` and ``tokenize``: 1 MiB)
only to write a docstring for a class that has none, and every dataclass here has
one. None of these modules' names is used while smtplib, dataclasses or this package
is imported, only inside the functions that need them, so a stand-in module goes
into ``sys.modules`` first, and the real module's code runs in it the first time
one of its names is read.

WORKAROUND: ``importlib.util.LazyLoader`` cannot do this on Python 3.11: its module
loads on *any* attribute read, and an ``import ssl`` statement reads ``__spec__``
(to see whether the module is still initialising), so smtplib's own import would
load it at once. The stand-in here keeps the attributes ``module_from_spec`` sets
(``__spec__``, ``__name__``...) and loads only when another name is asked for.
Only the send's worker thread speaks SMTP, and the stand-ins are installed only
while the process has a single thread; a lock still makes a second thread that
asks for a name not there yet wait for the load. The window never installs them.
"""

from __future__ import annotations

import sys
import threading
import types

# Each is safe to defer: smtplib and mailcomposer use its names only inside functions.
# The value is the compiled module it cannot work without: when that is missing
# (a Python built without OpenSSL), the import must fail at once, where smtplib
# expects it (it then offers no TLS), not later at first use.
DEFERRED = {"ssl": "_ssl", "hmac": "", "inspect": ""}

_lock = threading.RLock()
_loading: set[str] = set()


class _Deferred(types.ModuleType):
    """A module whose code runs the first time a name it does not have yet is read."""

    def __getattr__(self, name: str) -> object:
        # Called only for names the module lacks: before its code ran, or a name that
        # does not exist (then the real module's AttributeError follows).
        spec = self.__spec__
        assert spec is not None and spec.loader is not None
        with _lock:
            if type(self) is _Deferred:
                if spec.name in _loading:  # its own code asked: as in a circular import
                    raise AttributeError(
                        f"partially initialized module {spec.name!r} has no attribute {name!r}"
                    )
                _loading.add(spec.name)
                try:
                    spec.loader.exec_module(self)
                finally:
                    _loading.discard(spec.name)
                self.__class__ = types.ModuleType
        return getattr(self, name)


def defer_until_used(names: dict[str, str] | None = None) -> list[str]:
    """Put stand-ins for ``names`` (default ``DEFERRED``) in ``sys.modules``.

    Modules already imported are left as they are, and nothing is deferred once
    a second thread runs.

    Returns:
        the names deferred.
    """
    import importlib.util

    if threading.active_count() != 1:
        return []
    deferred = []
    for name, needs in (DEFERRED if names is None else names).items():
        if name in sys.modules or (needs and importlib.util.find_spec(needs) is None):
            continue
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            continue  # not available here: the real import reports that when used
        module = importlib.util.module_from_spec(spec)
        module.__class__ = _Deferred
        sys.modules[name] = module
        deferred.append(name)
    return deferred
