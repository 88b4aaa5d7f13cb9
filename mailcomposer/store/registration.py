"""This user's mailto: and .eml handler: .desktop + xdg-mime on Linux, the registry on Windows.

Nothing here needs administrator rights: everything goes to the user's own folders
(``$XDG_DATA_HOME/applications``, ``$XDG_CONFIG_HOME/mimeapps.list``) or to
``HKEY_CURRENT_USER``. The registry is reached through a ``RegistryWriter`` passed in,
so tests (and other platforms) can look at the keys without ``winreg``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from mailcomposer.i18n import _, resources_dir

__all__ = [
    "DESKTOP_FILE",
    "MIME_TYPES",
    "Outcome",
    "RegistryWriter",
    "WindowsRegistry",
    "desktop_entry",
    "launch_command",
    "register_linux",
    "register_windows",
    "unregister_linux",
    "unregister_windows",
]

DESKTOP_FILE = "mailcomposer.desktop"
MIME_TYPES = ("x-scheme-handler/mailto", "message/rfc822")
APP_KEY = r"Software\Clients\Mail\mailcomposer"
CAPABILITIES_KEY = APP_KEY + r"\Capabilities"
REGISTERED_APPS_KEY = r"Software\RegisteredApplications"
MAILTO_PROGID = "mailcomposer.mailto"
EML_PROGID = "mailcomposer.eml"
CLASSES = "Software\\Classes\\"

Run = Callable[[Sequence[str]], int]


@dataclass
class Outcome:
    """What a (un)registration did, line by line, and whether all of it worked.

    Attributes:
        done: one translated line per step taken.
        problems: one translated line per step that failed (empty: everything worked).
    """

    done: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every step worked."""
        return not self.problems


def launch_command(
    *,
    frozen: bool | None = None,
    executable: str | None = None,
    scripts_dir: str | None = None,
    windows: bool | None = None,
) -> list[str]:
    """The program (and arguments) that opens the composer, as the system should start it.

    The frozen build (PyInstaller: ``sys.frozen``) starts its windowed ``mailcomposer``
    program, even when ``mailcomposer-cli register`` asks: registering the console
    program opened a console window beside the composer for every ``mailto:`` link
    (and closing it closed the composer). A pip install on Windows starts its
    windowed ``mailcomposer-gui.exe`` for the same reason; elsewhere the
    ``mailcomposer`` script beside the interpreter, or failing that the interpreter
    (``pythonw.exe`` on Windows) with ``-m mailcomposer``.
    """
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    executable = executable or sys.executable
    windows = os.name == "nt" if windows is None else windows
    suffix = ".exe" if windows else ""
    if frozen:
        windowed = Path(executable).with_name("mailcomposer" + suffix)
        return [str(windowed)] if windowed.is_file() else [executable]
    folder = Path(scripts_dir or sysconfig.get_path("scripts"))
    names = ("mailcomposer-gui", "mailcomposer") if windows else ("mailcomposer",)
    for name in names:
        script = folder / (name + suffix)
        if script.is_file():
            return [str(script)]
    found = shutil.which(names[0]) or shutil.which("mailcomposer")
    if found:
        return [found]
    if windows:
        pythonw = Path(executable).with_name("pythonw.exe")
        if Path(executable).name.lower() == "python.exe" and pythonw.is_file():
            executable = str(pythonw)
    return [executable, "-m", "mailcomposer"]


# -- Linux (freedesktop.org) ---------------------------------------------------------


def _exec_word(word: str) -> str:
    """Quote ``word`` for a desktop entry's Exec key (Desktop Entry spec, "Exec key")."""
    if word and not any(c in word for c in " \t\n\"'\\><~|&;$*?#()`="):
        return word
    quoted = "".join("\\" + c if c in '"`$\\' else c for c in word)
    # The whole value is also a desktop-entry string: its backslashes are doubled again.
    return '"' + quoted.replace("\\", "\\\\") + '"'


def desktop_entry(command: Sequence[str], icon: str = "") -> str:
    """The text of ``mailcomposer.desktop`` starting ``command`` with the link or file."""
    exec_line = " ".join(_exec_word(word) for word in command) + " %u"
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Name=mailcomposer",
        "GenericName=" + _("Mail composer"),
        "Comment=" + _("Write e-mail and watch the SMTP conversation"),
        f"Exec={exec_line}",
        "Terminal=false",
        "Categories=Network;Email;",
        "MimeType=" + "".join(f"{m};" for m in MIME_TYPES),
    ]
    if icon:
        lines.insert(5, f"Icon={icon}")
    return "\n".join(lines) + "\n"


def _data_home(env: Mapping[str, str]) -> Path:
    return Path(env.get("XDG_DATA_HOME") or Path(env.get("HOME", "~")) / ".local" / "share")


def _config_home(env: Mapping[str, str]) -> Path:
    return Path(env.get("XDG_CONFIG_HOME") or Path(env.get("HOME", "~")) / ".config")


def _default_run(argv: Sequence[str]) -> int:
    return subprocess.run(list(argv), check=False, capture_output=True).returncode


def register_linux(
    command: Sequence[str],
    env: Mapping[str, str] | None = None,
    run: Run = _default_run,
    which: Callable[[str], str | None] = shutil.which,
) -> Outcome:
    """Write the .desktop file and make it this user's default for mailto: and .eml."""
    env = os.environ if env is None else env
    outcome = Outcome()
    folder = _data_home(env).expanduser() / "applications"
    path = folder / DESKTOP_FILE
    # A frozen one-file build unpacks its resources to a temporary folder: no icon then.
    icon = resources_dir() / "icons" / "mailcomposer.svg"
    if getattr(sys, "frozen", False):
        icon = Path()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shown = str(icon) if icon.name and icon.is_file() else ""
        path.write_text(desktop_entry(command, shown), encoding="utf-8")
    except OSError as exc:
        outcome.problems.append(
            _("Could not write {path}: {error}").format(path=path, error=exc.strerror or exc)
        )
        return outcome
    outcome.done.append(_("Wrote {path}").format(path=path))
    _refresh_database(folder, outcome, run, which)
    if which("xdg-mime") is None:
        outcome.problems.append(
            _(
                "xdg-mime was not found (package xdg-utils): choose mailcomposer as the "
                "mail program in your desktop's settings"
            )
        )
        return outcome
    if run(["xdg-mime", "default", DESKTOP_FILE, *MIME_TYPES]) == 0:
        outcome.done.append(_("mailcomposer now opens {types}").format(types=", ".join(MIME_TYPES)))
    else:
        outcome.problems.append(_("xdg-mime could not set mailcomposer as the default"))
    return outcome


def unregister_linux(
    env: Mapping[str, str] | None = None,
    run: Run = _default_run,
    which: Callable[[str], str | None] = shutil.which,
) -> Outcome:
    """Remove the .desktop file and every default that names it in ``mimeapps.list``."""
    env = os.environ if env is None else env
    outcome = Outcome()
    folder = _data_home(env).expanduser() / "applications"
    path = folder / DESKTOP_FILE
    try:
        path.unlink()
        outcome.done.append(_("Removed {path}").format(path=path))
    except FileNotFoundError:
        pass
    except OSError as exc:
        outcome.problems.append(
            _("Could not remove {path}: {error}").format(path=path, error=exc.strerror or exc)
        )
    for lists in (_config_home(env).expanduser(), folder):
        mimeapps = lists / "mimeapps.list"
        try:
            text = mimeapps.read_text(encoding="utf-8")
        except OSError:
            continue
        cleaned = _without_us(text)
        if cleaned != text:
            try:
                mimeapps.write_text(cleaned, encoding="utf-8")
            except OSError as exc:
                outcome.problems.append(
                    _("Could not write {path}: {error}").format(
                        path=mimeapps, error=exc.strerror or exc
                    )
                )
                continue
            outcome.done.append(_("Removed mailcomposer from {path}").format(path=mimeapps))
    _refresh_database(folder, outcome, run, which)
    return outcome


def _without_us(text: str) -> str:
    """``mimeapps.list`` with ``mailcomposer.desktop`` taken out of every association."""
    out = []
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.lstrip().startswith(("#", "[")):
            kept = [v for v in value.split(";") if v.strip() and v.strip() != DESKTOP_FILE]
            if len(kept) != len([v for v in value.split(";") if v.strip()]):
                if not kept:
                    continue
                line = f"{key}={';'.join(kept)};"
        out.append(line)
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def _refresh_database(
    folder: Path, outcome: Outcome, run: Run, which: Callable[[str], str | None]
) -> None:
    # Optional: only some desktops read the cache, and not every system has the tool.
    if (
        which("update-desktop-database") is not None
        and run(["update-desktop-database", str(folder)]) == 0
    ):
        outcome.done.append(_("Updated the desktop database in {path}").format(path=folder))


# -- Windows (per-user registry) ----------------------------------------------------


class RegistryWriter(Protocol):
    """Writes under ``HKEY_CURRENT_USER`` (paths are relative to it)."""

    def set_value(self, key: str, name: str, value: str) -> None:
        """Create ``key`` if needed and set its string value ``name`` ('' = the default)."""

    def delete_value(self, key: str, name: str) -> None:
        """Remove value ``name`` of ``key`` (nothing if either is missing)."""

    def delete_tree(self, key: str) -> None:
        """Remove ``key`` and everything under it (nothing if it is missing)."""

    # Optional: ``announce()`` tells the desktop that associations changed.


class WindowsRegistry:
    """``RegistryWriter`` over ``winreg`` on ``HKEY_CURRENT_USER`` (Windows only)."""

    def __init__(self) -> None:
        import winreg  # type: ignore[import-not-found]  # only on Windows

        self._winreg = winreg

    def set_value(self, key: str, name: str, value: str) -> None:
        """Create ``key`` if needed and set its string value ``name``."""
        reg = self._winreg
        with reg.CreateKeyEx(reg.HKEY_CURRENT_USER, key, 0, reg.KEY_WRITE) as handle:
            reg.SetValueEx(handle, name, 0, reg.REG_SZ, value)

    def delete_value(self, key: str, name: str) -> None:
        """Remove value ``name`` of ``key``."""
        reg = self._winreg
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, key, 0, reg.KEY_WRITE) as handle:
                reg.DeleteValue(handle, name)
        except FileNotFoundError:
            pass

    def delete_tree(self, key: str) -> None:
        """Remove ``key`` and its subkeys, deepest first (DeleteKey takes leaves only)."""
        reg = self._winreg
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, key, 0, reg.KEY_READ) as handle:
                children = []
                while True:
                    try:
                        children.append(reg.EnumKey(handle, len(children)))
                    except OSError:
                        break
        except FileNotFoundError:
            return
        for child in children:
            self.delete_tree(f"{key}\\{child}")
        reg.DeleteKey(reg.HKEY_CURRENT_USER, key)

    def announce(self) -> None:
        """``SHChangeNotify(SHCNE_ASSOCCHANGED)``: Explorer and Settings see the new keys now.

        Without it the .eml icon and the "Open with" entry may wait for the next sign-in.
        """
        import ctypes

        shell32 = ctypes.WinDLL("shell32")  # type: ignore[attr-defined]  # Windows only
        shell32.SHChangeNotify(0x08000000, 0x0000, None, None)  # SHCNF_IDLIST, no items


def _announce(registry: RegistryWriter) -> None:
    announce = getattr(registry, "announce", None)
    if announce is not None:
        announce()


def _win_command(command: Sequence[str]) -> str:
    return subprocess.list2cmdline(list(command)) + ' "%1"'


def register_windows(command: Sequence[str], registry: RegistryWriter) -> Outcome:
    """Register the ProgIDs, the mail client and its capabilities for this user.

    Windows 10 and later let only the user pick the default: afterwards mailcomposer
    is offered under Settings → Apps → Default apps for MAILTO and .eml.
    """
    open_with = _win_command(command)
    try:
        _write_windows_keys(command, registry)
        _announce(registry)
    except OSError as exc:  # a policy that locks the user's Classes key, a full registry
        return Outcome(
            problems=[_("Could not write the registry: {error}").format(error=exc.strerror or exc)]
        )
    outcome = Outcome()
    outcome.done.append(
        _("Registered {command} for mailto: links and .eml files").format(command=open_with)
    )
    outcome.done.append(
        _("Choose mailcomposer under Settings → Apps → Default apps (MAILTO and .eml)")
    )
    return outcome


def _write_windows_keys(command: Sequence[str], registry: RegistryWriter) -> None:
    open_with = _win_command(command)
    icon = f"{command[0]},0"
    description = _("Write e-mail and watch the SMTP conversation")
    for progid, text, extra in (
        (MAILTO_PROGID, "URL:MailTo Protocol", {"URL Protocol": ""}),
        (EML_PROGID, _("E-mail message"), {}),
    ):
        key = CLASSES + progid
        registry.set_value(key, "", text)
        for name, value in extra.items():
            registry.set_value(key, name, value)
        registry.set_value(key + r"\DefaultIcon", "", icon)
        registry.set_value(key + r"\shell\open\command", "", open_with)
    registry.set_value(CLASSES + r".eml\OpenWithProgids", EML_PROGID, "")
    registry.set_value(APP_KEY, "", "mailcomposer")
    registry.set_value(APP_KEY + r"\shell\open\command", "", subprocess.list2cmdline(command))
    registry.set_value(CAPABILITIES_KEY, "ApplicationName", "mailcomposer")
    registry.set_value(CAPABILITIES_KEY, "ApplicationDescription", description)
    registry.set_value(CAPABILITIES_KEY + r"\URLAssociations", "mailto", MAILTO_PROGID)
    registry.set_value(CAPABILITIES_KEY + r"\FileAssociations", ".eml", EML_PROGID)
    registry.set_value(REGISTERED_APPS_KEY, "mailcomposer", CAPABILITIES_KEY)


def unregister_windows(registry: RegistryWriter) -> Outcome:
    """Remove every key and value ``register_windows`` wrote."""
    try:
        registry.delete_value(REGISTERED_APPS_KEY, "mailcomposer")
        registry.delete_value(CLASSES + r".eml\OpenWithProgids", EML_PROGID)
        for key in (APP_KEY, CLASSES + MAILTO_PROGID, CLASSES + EML_PROGID):
            registry.delete_tree(key)
        _announce(registry)
    except OSError as exc:
        return Outcome(
            problems=[_("Could not write the registry: {error}").format(error=exc.strerror or exc)]
        )
    return Outcome(done=[_("Removed mailcomposer's mailto: and .eml registration")])
