"""Tests for the sandbox inbox listing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mailcomposer.sandbox.maildir import Inbox
from mailcomposer.sandbox.server import write_maildir_message


def store(maildir: Path, subject: str, mtime: int) -> Path:
    data = (
        f"X-Peer: ('127.0.0.1', 1)\r\nX-MailFrom: a@example.org\r\n"
        f"X-RcptTo: b@example.org\r\nSubject: {subject}\r\n\r\nbody\r\n"
    ).encode()
    path = write_maildir_message(maildir, data)
    os.utime(path, (mtime, mtime))
    return path


def test_messages_newest_first_and_delete(tmp_path: Path) -> None:
    store(tmp_path, "old", 1_000_000)
    store(tmp_path, "new", 2_000_000)
    inbox = Inbox(tmp_path)
    messages = inbox.messages()
    assert [m.subject for m in messages] == ["new", "old"]
    assert messages[0].date is not None  # falls back to the file time
    assert len(inbox) == 2
    inbox.delete(messages[0].key)
    assert [m.subject for m in inbox.messages()] == ["old"]
    with pytest.raises(KeyError):
        inbox.delete("missing")
    inbox.clear()
    assert inbox.messages() == []


def test_missing_maildir_is_empty(tmp_path: Path) -> None:
    assert Inbox(tmp_path / "nothing").messages() == []


def test_encoded_subject_is_decoded(tmp_path: Path) -> None:
    write_maildir_message(tmp_path, b"Subject: =?utf-8?b?5rWL6K+VIOKckw==?=\r\n\r\nx\r\n")
    [message] = Inbox(tmp_path).messages()
    assert message.subject == "测试 ✓"
    assert message.rcpt_tos == ()


def test_get_by_key(tmp_path: Path) -> None:
    path = store(tmp_path, "one", 1_000_000)
    inbox = Inbox(tmp_path)
    key = path.name
    assert inbox.get(key).subject == "one"
    assert inbox.get(key).raw() == path.read_bytes()
    with pytest.raises(KeyError):
        inbox.get("nope")
