"""The check before Qt starts on Linux: which X libraries are missing and how to install them."""

from __future__ import annotations

import ast
import io
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mailcomposer.ui import qtplatform
from mailcomposer.ui.qtplatform import Verdict, check, missing_libraries, platform_can_start

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = Path("/opt/PySide6/Qt/plugins/platforms/libqxcb.so")
ICCCM_ERROR = "libxcb-icccm.so.4: cannot open shared object file: No such file or directory"
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="xcb is Linux's")


class Loader:
    """A dynamic loader that cannot find the libraries it is given; records what it opened."""

    def __init__(self, absent: set[str], plugin_error: str = ICCCM_ERROR) -> None:
        self.absent = absent
        self.plugin_error = plugin_error
        self.opened: list[str] = []

    def __call__(self, name: str) -> object:
        self.opened.append(name)
        if name.endswith("libqxcb.so") and self.absent:
            raise OSError(self.plugin_error)
        if name in self.absent:
            raise OSError(f"{name}: cannot open shared object file: No such file or directory")
        return object()


def no_ldd(_path: Path) -> None:
    return None


def test_a_plugin_that_loads_costs_one_dlopen_and_says_nothing() -> None:
    loader = Loader(absent=set())
    listed: list[Path] = []

    assert missing_libraries(PLUGIN, loader, lambda path: listed.append(path) or []) == ()
    assert loader.opened == [str(PLUGIN)]
    assert listed == []  # ldd only runs when the plugin does not load
    out = io.StringIO()
    desktop = {"DISPLAY": ":0"}  # (with no display at all, that is said: test below)
    assert platform_can_start(out, environ=desktop, verdict=Verdict(PLUGIN, ())) is True
    assert out.getvalue() == ""


def test_missing_libraries_come_from_ldd_in_its_order_without_repeats() -> None:
    loader = Loader(absent={"libxcb-icccm.so.4", "libxcb-keysyms.so.1"})
    ldd = ["libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-icccm.so.4"]

    assert missing_libraries(PLUGIN, loader, lambda _path: ldd) == (
        "libxcb-icccm.so.4",
        "libxcb-keysyms.so.1",
    )


def test_the_message_names_the_packages_for_debian_and_fedora() -> None:
    verdict = Verdict(PLUGIN, ("libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"))
    text = verdict.message()

    assert "libxcb-cursor.so.0, libxcb-icccm.so.4, libxcb-keysyms.so.1" in text
    assert "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in text
    assert "sudo dnf install xcb-util-cursor xcb-util-wm xcb-util-keysyms" in text


def test_libraries_of_one_package_name_it_once() -> None:
    verdict = Verdict(PLUGIN, ("libxcb-shm.so.0", "libxcb-sync.so.1", "libglib-2.0.so.0"))

    assert verdict.fedora_command() == "sudo dnf install libxcb glib2"
    assert verdict.debian_command() == "sudo apt-get install libxcb-shm0 libxcb-sync1 libglib2.0-0"


def test_an_unknown_library_is_named_and_dnf_asked_for_what_provides_it() -> None:
    verdict = Verdict(PLUGIN, ("libxcb-icccm.so.4", "libfuture.so.2"))
    text = verdict.message()

    assert "libfuture.so.2" in text
    assert "sudo apt-get install libxcb-icccm4\n" in text
    assert "sudo dnf install xcb-util-wm 'libfuture.so.2()(64bit)'" in text
    assert "apt-file search libfuture.so.2" in text


def test_without_ldd_each_known_library_is_tried_on_its_own() -> None:
    loader = Loader(absent={"libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-xinerama.so.0"})

    missing = missing_libraries(PLUGIN, loader, no_ldd)

    assert missing == ("libxcb-icccm.so.4", "libxcb-keysyms.so.1")  # not Qt 6.4's xinerama
    assert "libxcb-cursor.so.0" in loader.opened


def test_a_loader_error_naming_no_library_still_stops_the_start() -> None:
    loader = Loader(absent={"x"}, plugin_error="libqxcb.so: undefined symbol: foo")

    assert missing_libraries(PLUGIN, loader, no_ldd) == ("libqxcb.so",)


@pytest.mark.parametrize(
    ("wayland", "goes_on"), [({}, False), ({"WAYLAND_DISPLAY": "wayland-0"}, True)]
)
def test_a_missing_library_stops_the_start_unless_wayland_may_serve(
    wayland: dict[str, str], goes_on: bool
) -> None:
    out = io.StringIO()
    verdict = Verdict(PLUGIN, ("libxcb-icccm.so.4",))

    assert platform_can_start(out, environ=wayland, verdict=verdict) is goes_on
    assert "sudo apt-get install libxcb-icccm4" in out.getvalue()
    assert "sudo dnf install xcb-util-wm" in out.getvalue()


def test_the_message_is_translated() -> None:
    out = io.StringIO()
    verdict = Verdict(PLUGIN, ("libxcb-icccm.so.4",))
    try:
        platform_can_start(out, environ={"MAILCOMPOSER_LANG": "zh_CN"}, verdict=verdict)
    finally:
        from mailcomposer import i18n

        i18n.set_language("en")
    assert "缺少" in out.getvalue()
    assert "sudo apt-get install libxcb-icccm4" in out.getvalue()


@pytest.mark.parametrize(
    ("environ", "platform"),
    [({"QT_QPA_PLATFORM": "offscreen"}, "linux"), ({}, "win32"), ({}, "darwin")],
)
def test_no_check_when_qt_will_not_use_xcb(environ: dict[str, str], platform: str) -> None:
    loader = Loader(absent={"libxcb-icccm.so.4"})

    assert check(environ, platform, loader, no_ldd) is None
    assert loader.opened == []


def test_a_plugin_folder_without_xcb_is_left_to_qt(tmp_path: Path) -> None:
    environ = {"QT_QPA_PLATFORM_PLUGIN_PATH": str(tmp_path)}

    assert check(environ, "linux", Loader(absent={"x"}), no_ldd) is None


def test_the_module_never_imports_pyside6() -> None:
    source = Path(qtplatform.__file__).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"PySide6", "shiboken6"}


@linux_only
def test_the_plugin_is_found_without_loading_pyside6() -> None:
    # The module file on its own, outside the mailcomposer.ui package (which loads Qt).
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('qtp', {qtplatform.__file__!r})\n"
        "module = sys.modules['qtp'] = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        "plugin = module.xcb_plugin({})\n"
        "print(plugin.name if plugin else None)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.splitlines() == ["libqxcb.so", "[]"]


def qt_loads_xcb() -> tuple[bool, str]:
    """Ask Qt itself (a child that aborts: there is no display) whether libqxcb.so loads."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="xcb", QT_DEBUG_PLUGINS="1")
    done = subprocess.run(
        [sys.executable, "-c", "from PySide6.QtGui import QGuiApplication; QGuiApplication([])"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_CORE, (0, 0)),
    )
    return 'libqxcb.so" loaded library' in done.stderr, done.stderr


@linux_only
@pytest.mark.skipif(shutil.which("ldd") is None, reason="needs ldd")
def test_on_this_machine_the_check_agrees_with_qt() -> None:
    environ = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    verdict = check(environ, "linux")
    assert verdict is not None
    qt_loaded, qt_said = qt_loads_xcb()

    if qt_loaded:
        assert verdict.missing == ()
    else:
        assert verdict.missing, qt_said
        assert f"{verdict.missing[0]}: cannot open shared object file" in qt_said
        assert verdict.debian_command().startswith("sudo apt-get install lib")


@linux_only
@pytest.mark.skipif(shutil.which("ldd") is None, reason="needs ldd")
def test_main_explains_and_exits_instead_of_qts_abort(tmp_path: Path) -> None:
    # A copy of the plugin outside PySide6 cannot find libQt6XcbQpa (found through
    # $ORIGIN): a plugin that surely cannot load, whatever this machine has installed.
    plugin = qtplatform.xcb_plugin({})
    assert plugin is not None
    shutil.copy(plugin, tmp_path / "libqxcb.so")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["QT_QPA_PLATFORM_PLUGIN_PATH"] = str(tmp_path)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from mailcomposer.ui.app import main; sys.exit(main())",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_CORE, (0, 0)),
    )

    assert done.returncode == 1, done.stderr
    assert "libQt6XcbQpa.so.6" in done.stderr
    assert "sudo dnf install" in done.stderr
    assert "no Qt platform plugin could be initialized" not in done.stderr


@pytest.mark.parametrize(
    ("environ", "platform", "starts"),
    [
        ({}, "linux", False),  # ssh without -X, a server: Qt would abort (core dump)
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", True),
        ({}, "win32", True),
    ],
)
def test_no_display_is_said_instead_of_qts_abort(
    environ: dict[str, str], platform: str, starts: bool
) -> None:
    out = io.StringIO()
    assert platform_can_start(out, environ, Verdict(PLUGIN, ()), platform) is starts
    said = out.getvalue()
    assert ("there is no display" in said and "xvfb-run" in said) is not starts
