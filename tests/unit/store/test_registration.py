"""store.registration: the launch command, the .desktop text, mimeapps.list, the Windows keys."""

from __future__ import annotations

from pathlib import Path

from mailcomposer.store import registration
from mailcomposer.store.registration import (
    desktop_entry,
    launch_command,
    register_linux,
    register_windows,
    unregister_linux,
    unregister_windows,
)


class FakeRegistry:
    """A ``RegistryWriter`` keeping HKCU as {key: {name: value}} (keys compared as Windows does)."""

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, str]] = {}

    def set_value(self, key: str, name: str, value: str) -> None:
        parts = key.split("\\")
        for depth in range(1, len(parts) + 1):  # CreateKeyEx makes the parents too
            self.keys.setdefault("\\".join(parts[:depth]).lower(), {})
        self.keys[key.lower()][name] = value

    def delete_value(self, key: str, name: str) -> None:
        self.keys.get(key.lower(), {}).pop(name, None)

    def delete_tree(self, key: str) -> None:
        prefix = key.lower()
        for existing in [k for k in self.keys if k == prefix or k.startswith(prefix + "\\")]:
            del self.keys[existing]

    def value(self, key: str, name: str = "") -> str | None:
        return self.keys.get(key.lower(), {}).get(name)


EXE = r"C:\Program Files\mailcomposer\mailcomposer.exe"


def test_frozen_build_launches_its_own_exe():
    assert launch_command(frozen=True, executable=EXE) == [EXE]


def test_pip_install_launches_the_script_beside_the_interpreter(tmp_path: Path):
    (tmp_path / "mailcomposer.exe").write_bytes(b"")
    assert launch_command(frozen=False, scripts_dir=str(tmp_path), windows=True) == [
        str(tmp_path / "mailcomposer.exe")
    ]
    (tmp_path / "mailcomposer").write_bytes(b"")
    assert launch_command(frozen=False, scripts_dir=str(tmp_path), windows=False) == [
        str(tmp_path / "mailcomposer")
    ]


def test_without_a_script_the_interpreter_runs_the_module(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(registration.shutil, "which", lambda name: None)
    command = launch_command(frozen=False, executable="/py/python3", scripts_dir=str(tmp_path))
    assert command == ["/py/python3", "-m", "mailcomposer"]


def test_desktop_entry_declares_both_types_and_quotes_the_program():
    text = desktop_entry(["/opt/my apps/mailcomposer"])
    assert "MimeType=x-scheme-handler/mailto;message/rfc822;\n" in text
    assert 'Exec="/opt/my apps/mailcomposer" %u\n' in text
    assert "Exec=/usr/bin/mailcomposer %u\n" in desktop_entry(["/usr/bin/mailcomposer"])
    assert text.startswith("[Desktop Entry]\nType=Application\n")


def test_register_linux_without_xdg_mime_writes_the_file_and_says_what_is_missing(tmp_path):
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    ran: list[list[str]] = []
    outcome = register_linux(["/bin/mc"], env, run=lambda a: ran.append(list(a)) or 0,
                             which=lambda name: None)  # fmt: skip
    assert (tmp_path / "data" / "applications" / "mailcomposer.desktop").is_file()
    assert not outcome.ok and "xdg-utils" in outcome.problems[0]
    assert ran == []


def test_register_linux_runs_xdg_mime_and_update_desktop_database(tmp_path):
    env = {"HOME": str(tmp_path)}
    ran: list[list[str]] = []
    outcome = register_linux(["/bin/mc"], env, run=lambda a: ran.append(list(a)) or 0,
                             which=lambda name: f"/usr/bin/{name}")  # fmt: skip
    apps = tmp_path / ".local" / "share" / "applications"
    assert outcome.ok
    assert ["update-desktop-database", str(apps)] in ran
    assert [
        "xdg-mime", "default", "mailcomposer.desktop", "x-scheme-handler/mailto", "message/rfc822"
    ] in ran  # fmt: skip


def test_unregister_linux_takes_us_out_of_mimeapps_and_keeps_the_rest(tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "mimeapps.list").write_text(
        "[Default Applications]\n"
        "x-scheme-handler/mailto=mailcomposer.desktop\n"
        "text/html=firefox.desktop\n"
        "[Added Associations]\n"
        "message/rfc822=thunderbird.desktop;mailcomposer.desktop;\n",
        encoding="utf-8",
    )
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(config)}
    outcome = unregister_linux(env, run=lambda a: 0, which=lambda name: None)
    assert outcome.ok
    assert (config / "mimeapps.list").read_text(encoding="utf-8") == (
        "[Default Applications]\n"
        "text/html=firefox.desktop\n"
        "[Added Associations]\n"
        "message/rfc822=thunderbird.desktop;\n"
    )


def test_register_windows_writes_the_per_user_keys():
    reg = FakeRegistry()
    outcome = register_windows([EXE], reg)
    assert outcome.ok
    command = f'"{EXE}" "%1"'
    classes = "Software\\Classes\\"
    assert reg.value(classes + r"mailcomposer.mailto\shell\open\command") == command
    assert reg.value(classes + "mailcomposer.mailto", "URL Protocol") == ""
    assert reg.value(classes + r"mailcomposer.eml\shell\open\command") == command
    assert reg.value(classes + r".eml\OpenWithProgids", "mailcomposer.eml") == ""
    caps = r"Software\Clients\Mail\mailcomposer\Capabilities"
    assert reg.value(caps, "ApplicationName") == "mailcomposer"
    assert reg.value(caps + r"\URLAssociations", "mailto") == "mailcomposer.mailto"
    assert reg.value(caps + r"\FileAssociations", ".eml") == "mailcomposer.eml"
    assert reg.value(r"Software\RegisteredApplications", "mailcomposer") == caps


def test_register_windows_with_a_pip_script_uses_its_path():
    reg = FakeRegistry()
    script = r"C:\Users\ann\venv\Scripts\mailcomposer.exe"
    register_windows([script], reg)
    assert reg.value(r"Software\Classes\mailcomposer.eml\shell\open\command") == (f'{script} "%1"')


def test_unregister_windows_removes_what_register_wrote_and_nothing_else():
    reg = FakeRegistry()
    reg.set_value(r"Software\Classes\.eml\OpenWithProgids", "Thunderbird.Url.mailto", "")
    reg.set_value(r"Software\RegisteredApplications", "Thunderbird", "x")
    before = {k: dict(v) for k, v in reg.keys.items()}
    register_windows([EXE], reg)
    unregister_windows(reg)
    left = {k: v for k, v in reg.keys.items() if v or k in before}
    assert left == before
    assert not any("mailcomposer" in key for key in reg.keys)
