"""``account add``'s IMAP options: stored in accounts.json, presets fill them in."""

from __future__ import annotations

import pytest

from mailcomposer.cli import main
from mailcomposer.smtp.settings import Security
from mailcomposer.store.accounts import AccountStore
from mailcomposer.store.imapsettings import ImapSettings
from mailcomposer.store.paths import Home

BASE = ["account", "add", "--name", "Work", "--server", "smtp.example.org:587",
        "--from", "ann@example.org", "--no-login"]  # fmt: skip


def _imap() -> ImapSettings | None:
    account = AccountStore(Home.from_env()).get("Work")
    assert account is not None
    return account.imap


def test_imap_options_are_stored(capsys: pytest.CaptureFixture[str]) -> None:
    code = main([*BASE, "--imap", "imap.example.org", "--imap-security", "starttls",
                 "--sent-folder", "已发送"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert _imap() == ImapSettings("imap.example.org", 143, Security.STARTTLS, "已发送")
    assert "Copies of sent mail go to 已发送 on imap.example.org:143 (starttls)." in out


def test_imap_port_and_no_save_sent(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*BASE, "--imap", "imap.example.org:1993", "--no-save-sent"]) == 0
    assert _imap() == ImapSettings("imap.example.org", 1993, Security.TLS, save_sent=False)


def test_preset_fills_imap(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["account", "add", "--name", "Work", "--preset", "gmail",
                 "--from", "ann@gmail.com", "--no-login"])  # fmt: skip
    assert code == 0
    imap = _imap()
    assert imap is not None and imap.host == "imap.gmail.com" and not imap.save_sent
    assert "not put in Sent by this program" in capsys.readouterr().out


def test_sent_folder_without_imap_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*BASE, "--sent-folder", "Sent"]) == 2
    assert capsys.readouterr().err.startswith("mailcomposer: error: --sent-folder: ")


def test_sent_retry_with_nothing_waiting(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["account", "sent-retry"]) == 0
    assert "No copy for Sent is waiting." in capsys.readouterr().out
