"""What a Windows user registers: the windowed program, quoted, and no traceback on refusal."""

from __future__ import annotations

from pathlib import Path

from mailcomposer.store import registration
from mailcomposer.store.registration import (
    launch_command,
    register_windows,
    unregister_windows,
)
from tests.unit.store.test_registration import FakeRegistry


def frozen_folder(root: Path) -> Path:
    """The folder mailcomposer.spec builds: the windowed and the console program side by side."""
    folder = root / "Program Files" / "mailcomposer"
    folder.mkdir(parents=True)
    for name in ("mailcomposer.exe", "mailcomposer-cli.exe"):
        (folder / name).write_bytes(b"MZ")
    return folder


def test_the_console_program_registers_the_windowed_one(tmp_path):
    folder = frozen_folder(tmp_path)
    command = launch_command(
        frozen=True, executable=str(folder / "mailcomposer-cli.exe"), windows=True
    )
    assert command == [str(folder / "mailcomposer.exe")]


def test_the_windowed_program_registers_itself(tmp_path):
    folder = frozen_folder(tmp_path)
    exe = str(folder / "mailcomposer.exe")
    assert launch_command(frozen=True, executable=exe, windows=True) == [exe]


def test_a_frozen_linux_build_registers_its_windowed_program_too(tmp_path):
    (tmp_path / "mailcomposer").write_bytes(b"\x7fELF")
    (tmp_path / "mailcomposer-cli").write_bytes(b"\x7fELF")
    command = launch_command(
        frozen=True, executable=str(tmp_path / "mailcomposer-cli"), windows=False
    )
    assert command == [str(tmp_path / "mailcomposer")]


def test_a_pip_install_on_windows_registers_the_gui_script(tmp_path):
    # pip writes both: mailcomposer.exe is a console program (a black window per link).
    for name in ("mailcomposer.exe", "mailcomposer-gui.exe"):
        (tmp_path / name).write_bytes(b"MZ")
    command = launch_command(frozen=False, scripts_dir=str(tmp_path), windows=True)
    assert command == [str(tmp_path / "mailcomposer-gui.exe")]


def test_without_scripts_windows_runs_the_module_with_pythonw(tmp_path, monkeypatch):
    monkeypatch.setattr(registration.shutil, "which", lambda name: None)
    for name in ("python.exe", "pythonw.exe"):
        (tmp_path / name).write_bytes(b"MZ")
    command = launch_command(
        frozen=False,
        executable=str(tmp_path / "python.exe"),
        scripts_dir=str(tmp_path / "Scripts"),
        windows=True,
    )
    assert command == [str(tmp_path / "pythonw.exe"), "-m", "mailcomposer"]


def test_an_install_path_with_spaces_and_a_chinese_user_name_is_quoted():
    reg = FakeRegistry()
    exe = r"C:\Users\张三\AppData\Local\Programs\mail composer\mailcomposer.exe"
    outcome = register_windows([exe], reg)
    assert outcome.ok
    command = reg.value(r"Software\Classes\mailcomposer.mailto\shell\open\command")
    assert command == f'"{exe}" "%1"'


class RefusingRegistry(FakeRegistry):
    """HKCU\\Software\\Classes locked by a group policy: every write is refused."""

    def set_value(self, key: str, name: str, value: str) -> None:
        raise PermissionError(5, "Access is denied")

    def delete_tree(self, key: str) -> None:
        raise PermissionError(5, "Access is denied")


def test_a_refused_registry_write_is_a_problem_not_a_traceback():
    outcome = register_windows([r"C:\mc\mailcomposer.exe"], RefusingRegistry())
    assert not outcome.ok and "Access is denied" in outcome.problems[0]
    outcome = unregister_windows(RefusingRegistry())
    assert not outcome.ok and "Access is denied" in outcome.problems[0]


class AnnouncingRegistry(FakeRegistry):
    def __init__(self) -> None:
        super().__init__()
        self.announced: list[int] = []

    def announce(self) -> None:
        self.announced.append(len(self.keys))


def test_explorer_is_told_once_the_keys_are_written_and_once_they_are_gone():
    reg = AnnouncingRegistry()
    register_windows([r"C:\mc\mailcomposer.exe"], reg)
    assert len(reg.announced) == 1 and reg.announced[0] == len(reg.keys) > 0
    unregister_windows(reg)
    assert len(reg.announced) == 2
