"""--password-stdin reads a UTF-8 password right whatever the console's code page."""

from __future__ import annotations

import argparse
import io
import sys

import pytest

from mailcomposer.cli.serverargs import ask_password
from mailcomposer.smtp.settings import ServerSettings


def piped(data: bytes, encoding: str) -> io.TextIOWrapper:
    """Standard input as Python opens a pipe under that code page."""
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding)


@pytest.mark.parametrize(
    ("data", "encoding", "expected"),
    [
        ("密码€x\n".encode(), "cp936", "密码€x"),  # a Chinese Windows console, UTF-8 piped
        ("\ufeffpässwörd\r\n".encode(), "cp1252", "pässwörd"),  # PowerShell's BOM
        ("口令\n".encode("gbk"), "gbk", "口令"),  # typed into cmd.exe's own code page
    ],
)
def test_a_piped_password_arrives_as_typed(monkeypatch, data, encoding, expected) -> None:
    monkeypatch.setattr(sys, "stdin", piped(data, encoding))
    monkeypatch.setattr("locale.getpreferredencoding", lambda _do_setlocale=True: encoding)
    args = argparse.Namespace(password_stdin=True, json=False)
    secret = ask_password(args, ServerSettings("mail.example.org", username="ann"))
    assert secret.value == expected
