"""Check, before Qt starts on Linux, that its X11 plugin can load; name what to install.

Qt 6.5+ on Linux needs X libraries a bare desktop may lack (``libxcb-cursor0``,
``libxcb-icccm4``, ``libxcb-keysyms1`` ...). Without them creating the
QApplication prints "could not load the Qt platform plugin xcb" and aborts the
process, which Python cannot catch. So ``ui.app.main()`` asks this module first.

It never imports PySide6: it finds PySide6's folder with ``importlib.util.find_spec``
and asks the dynamic loader about ``plugins/platforms/libqxcb.so``. When the plugin
loads (the usual case) that is one ``dlopen`` of a library Qt loads anyway, well
under a millisecond; only when it fails does ``ldd`` list every missing library.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from mailcomposer import i18n
from mailcomposer.i18n import _

# What libqxcb.so and libQt6XcbQpa.so.6 need (PySide6 6.11, read with objdump -p and
# ldd), plus what Qt 6 on older releases loaded: soname -> (Debian/Ubuntu package,
# Fedora package). libQt6Gui's own needs (libEGL, libfontconfig ...) are listed too:
# ldd reports them through the plugin when they are missing.
PACKAGES: dict[str, tuple[str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb"),  # Qt before 6.5 only
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libXau.so.6": ("libxau6", "libXau"),
    "libXdmcp.so.6": ("libxdmcp6", "libXdmcp"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libGLX.so.0": ("libglx0", "libglvnd-glx"),
    "libGLdispatch.so.0": ("libglvnd0", "libglvnd"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
}

# Not needed by the PySide6 we support: never probed one by one (see missing_libraries).
_OLDER_QT = frozenset({"libxcb-xinerama.so.0"})

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)
_DLOPEN_ERROR = re.compile(r"^(\S+\.so[.\d]*): cannot open shared object file")

Loader = Callable[[str], object]
Lister = Callable[[Path], "list[str] | None"]


@dataclass(frozen=True)
class Verdict:
    """What the dynamic loader said about Qt's xcb plugin.

    Attributes:
        plugin: The ``libqxcb.so`` that was checked.
        missing: The sonames the loader could not find, in its order, no repeats.
    """

    plugin: Path
    missing: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when nothing is missing (the plugin loads)."""
        return not self.missing

    def debian_command(self) -> str:
        """The apt-get line that installs the missing libraries."""
        packages = _unique(PACKAGES[name][0] for name in self.missing if name in PACKAGES)
        return "sudo apt-get install " + " ".join(packages) if packages else ""

    def fedora_command(self) -> str:
        """The dnf line that installs them (an unknown one by what it provides)."""
        packages = _unique(
            PACKAGES[name][1] if name in PACKAGES else f"'{name}()(64bit)'" for name in self.missing
        )
        return "sudo dnf install " + " ".join(packages)

    def message(self) -> str:
        """The explanation printed instead of Qt's abort."""
        lines = [
            _(
                "The composer window cannot start: Qt's X11 (xcb) platform plugin needs "
                "system libraries that are missing: {libraries}."
            ).format(libraries=", ".join(self.missing)),
            _("Install them, then start mailcomposer again:"),
        ]
        debian = self.debian_command()
        if debian:
            lines.append("  " + _("Debian/Ubuntu: {command}").format(command=debian))
        lines.append("  " + _("Fedora: {command}").format(command=self.fedora_command()))
        unknown = [name for name in self.missing if name not in PACKAGES]
        if unknown:
            lines.append(
                _("On Debian/Ubuntu, “apt-file search {library}” names the package of {library}.")
                .format(library=unknown[0])
            )  # fmt: skip
        lines.append(
            _("The command line (mailcomposer send, sandbox, inspect ...) works without them.")
        )
        return "\n".join(lines)


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))


def wants_xcb(environ: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """True when Qt will try its xcb plugin: on Linux with no QT_QPA_PLATFORM choice."""
    return platform.startswith("linux") and not environ.get("QT_QPA_PLATFORM")


def xcb_plugin(environ: Mapping[str, str] = os.environ) -> Path | None:
    """Where PySide6's ``libqxcb.so`` is, found without importing PySide6; None if absent."""
    folder = environ.get("QT_QPA_PLATFORM_PLUGIN_PATH")
    if folder:
        candidate = Path(folder) / "libqxcb.so"
        return candidate if candidate.is_file() else None
    try:
        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        candidate = Path(root) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if candidate.is_file():
            return candidate
    return None  # a distribution's PySide6 keeps its plugins elsewhere: Qt speaks for itself


def ldd_missing(library: Path) -> list[str] | None:
    """Every library ``ldd`` cannot find for ``library`` (all levels); None without ldd."""
    import subprocess  # only when the plugin cannot load

    try:
        done = subprocess.run(
            ["ldd", str(library)], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return _NOT_FOUND.findall(done.stdout)


def dlopen(name: str) -> object:
    """Open a library by path or soname as the dynamic loader would (OSError if it cannot)."""
    import ctypes  # here, not at import: every start reads this module, few need ctypes

    return ctypes.CDLL(name)


def missing_libraries(
    plugin: Path, load: Loader = dlopen, list_missing: Lister = ldd_missing
) -> tuple[str, ...]:
    """The sonames the dynamic loader cannot find for ``plugin``; empty when it loads.

    Args:
        plugin: The platform plugin to check.
        load: Opens a library by path or soname, raising OSError when it cannot.
        list_missing: Lists every missing library of a file (``ldd``), or None.
    """
    try:
        load(str(plugin))
        return ()
    except OSError as exc:
        first = _DLOPEN_ERROR.match(str(exc))
        error_names = [first[1]] if first else []
    found = list_missing(plugin)
    if not found:
        # No ldd (or it said nothing): the loader's own answer, then each known name.
        probed = (name for name in PACKAGES if name not in _OLDER_QT)
        found = error_names + [name for name in probed if not _loads(load, name)]
    return tuple(_unique(found)) or (plugin.name,)


def _loads(load: Loader, name: str) -> bool:
    try:
        load(name)
    except OSError:
        return False
    return True


def check(
    environ: Mapping[str, str] = os.environ,
    platform: str = sys.platform,
    load: Loader = dlopen,
    list_missing: Lister = ldd_missing,
) -> Verdict | None:
    """Ask the loader about the xcb plugin when Qt will need it; None when it will not."""
    if not wants_xcb(environ, platform):
        return None
    plugin = xcb_plugin(environ)
    if plugin is None:
        return None
    return Verdict(plugin, missing_libraries(plugin, load, list_missing))


def platform_can_start(
    stream: TextIO | None = None,
    environ: Mapping[str, str] = os.environ,
    verdict: Verdict | None = None,
    platform: str = sys.platform,
) -> bool:
    """Say what to install when Qt's xcb plugin cannot load; False when the app must stop.

    In a Wayland session Qt may not need xcb at all, so there the explanation is
    printed and the start goes on. With the libraries there but no display at all
    (an SSH session, a server), Qt would abort as well: that is said too.
    """
    if verdict is None:
        verdict = check(environ, platform)
    if verdict is None or verdict.ok:
        if not wants_xcb(environ, platform) or environ.get("DISPLAY"):
            return True
        if environ.get("WAYLAND_DISPLAY"):
            return True
        i18n.set_language(i18n.detect_language(dict(environ)))
        print(no_display_message(), file=stream or sys.stderr)
        return False
    i18n.set_language(i18n.detect_language(dict(environ)))  # mailcomposer-gui starts here
    print(verdict.message(), file=stream or sys.stderr)
    return bool(environ.get("WAYLAND_DISPLAY"))


def no_display_message() -> str:
    """What to do when there is no display to open the window on (Qt would abort)."""
    return _(
        "The composer window cannot start: there is no display (neither DISPLAY nor "
        "WAYLAND_DISPLAY is set, as in an SSH session or on a server). Start it from a "
        "desktop session, through “ssh -X”, or under “xvfb-run”. The command line "
        "(mailcomposer send, sandbox, inspect ...) works without one."
    )
