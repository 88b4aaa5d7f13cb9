"""The window's local-server config file: saved, read back, and safe when broken."""

from __future__ import annotations

from pathlib import Path

from mailcomposer.sandbox.config import Reply, SandboxConfig
from mailcomposer.sandbox.labfile import lab_config_path, load_lab_config, save_lab_config
from mailcomposer.store.paths import Home


def test_nothing_saved_is_a_plain_server(tmp_path: Path) -> None:
    assert load_lab_config(Home(tmp_path)) == SandboxConfig()


def test_saved_config_reads_back(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    config = SandboxConfig(
        tls=True,
        auth=("student", "lab-pass"),
        size_limit=2048,
        faults={"RCPT": Reply(450, "4.2.0 Mailbox busy")},
        greylist=True,
    )
    path = save_lab_config(home, config)
    assert path == tmp_path / "home" / "sandbox" / "lab.json"
    assert load_lab_config(home) == config


def test_a_broken_file_gives_a_plain_server(tmp_path: Path) -> None:
    home = Home(tmp_path)
    path = lab_config_path(home)
    path.parent.mkdir(parents=True)
    for text in ("{not json", "[1, 2]", '{"faults": {"NOWHERE": "450 x"}}', '{"size_limit": -3}'):
        path.write_text(text, encoding="utf-8")
        assert load_lab_config(home) == SandboxConfig()
