"""A quick start: ``--version`` and ``send --help`` load no more than they print.

Not timed (benchmarks/cli_start.py measures): these check what gets imported.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("keyring", "aiosmtpd", "PySide6", "mailcomposer.store.accounts")


def loaded_after(argv: list[str]) -> set[str]:
    """Modules loaded in a fresh interpreter after ``main(argv)`` (help output discarded)."""
    code = (
        "import contextlib, io, sys\n"
        "import mailcomposer.cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = mailcomposer.cli.main({argv!r})\n"
        "assert code == 0, code\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


@pytest.mark.parametrize("argv", [["send", "--help"], ["--version"], ["--help"]])
def test_start_leaves_the_heavy_parts_unloaded(argv: list[str]) -> None:
    loaded = loaded_after(argv)
    for name in HEAVY:
        assert not {m for m in loaded if m == name or m.startswith(name + ".")}, name
    # Nor the code of the other commands, nor the SMTP and store layers.
    assert not {m for m in loaded if m.startswith(("mailcomposer.smtp", "mailcomposer.store"))}
    assert "mailcomposer.cli.account" not in loaded and "mailcomposer.cli.sandbox" not in loaded


def test_version_imports_no_command() -> None:
    loaded = loaded_after(["--version"])
    assert not {m for m in loaded if m.startswith("mailcomposer.cli.") and m not in {
        "mailcomposer.cli.parser", "mailcomposer.cli.output"}}  # fmt: skip
    assert "typing" not in loaded and "shutil" not in loaded and "json" not in loaded


@pytest.mark.parametrize(
    "argv",
    [
        ["send", "--to", "bob@example.org", "--text", "hi", "--dry-run"],
        ["send", "--server", "smtp.example.org:465", "--from", "a@example.org", "--to",
         "bob@example.org", "--text", "hi", "--dry-run"],
        ["account", "list"],
        ["sandbox", "--help"],
    ],
)  # fmt: skip
def test_commands_load_keyring_and_the_server_only_when_they_use_them(argv: list[str]) -> None:
    loaded = loaded_after(argv)
    assert "keyring" not in loaded and "PySide6" not in loaded
    assert "aiosmtpd" not in loaded  # the built-in server starts only for a real send


def test_the_help_states_the_timeouts_the_session_uses():
    """send --help cannot import smtp.settings (start-up), so its copies must agree."""
    from mailcomposer.cli import send
    from mailcomposer.smtp import settings

    assert send.FINAL_DOT_FACTOR == settings.FINAL_DOT_FACTOR
    assert send.REPLY_DEADLINE_FACTOR == settings.REPLY_DEADLINE_FACTOR
    assert tuple(send.DEFAULT_TIMEOUTS) == (
        settings.Timeouts().connect,
        settings.Timeouts().command,
        settings.Timeouts().final_dot,
    )
