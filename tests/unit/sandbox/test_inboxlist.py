"""The inbox list's rows: read once per file version, newest first, Bcc from the headers."""

from __future__ import annotations

import os

from mailcomposer.sandbox.inboxlist import RowCache, hidden_recipients, list_files, read_rows
from mailcomposer.sandbox.maildir import read_message
from mailcomposer.sandbox.server import write_maildir_message

MESSAGE = (
    b"X-MailFrom: a@example.org\r\nX-RcptTo: b@example.net, Hidden@Example.com\r\n"
    b"From: a@example.org\r\nTo: b@example.net\r\nSubject: %s\r\n\r\nbody\r\n"
)


def test_rows_carry_the_bcc_and_come_newest_first(tmp_path):
    older = write_maildir_message(tmp_path, MESSAGE % b"older")
    newer = write_maildir_message(tmp_path, MESSAGE % b"newer")
    os.utime(older, ns=(1_000_000_000, 1_000_000_000))
    files = list_files(tmp_path)
    cache = RowCache()
    cache.add(read_rows(cache.missing(files)))
    rows = cache.rows(files)
    assert [row.message.subject for row in rows] == ["newer", "older"]
    assert rows[0].hidden == ("Hidden@Example.com",)
    assert rows[0].message.path == newer


def test_only_new_or_changed_files_are_missing(tmp_path):
    kept = write_maildir_message(tmp_path, MESSAGE % b"kept")
    changed = write_maildir_message(tmp_path, MESSAGE % b"changed")
    cache = RowCache()
    files = list_files(tmp_path)
    cache.add(read_rows(files))
    assert cache.missing(list_files(tmp_path)) == []
    changed.write_bytes(MESSAGE % b"changed again")
    os.utime(changed, ns=(2_000_000_000, 2_000_000_000))
    added = write_maildir_message(tmp_path, MESSAGE % b"added")
    kept.unlink()
    files = list_files(tmp_path)
    assert sorted(path for path, _mtime, _size in cache.missing(files)) == sorted(
        [str(changed), str(added)]
    )
    cache.add(read_rows(cache.missing(files)))
    assert sorted(row.message.subject for row in cache.rows(files)) == ["added", "changed again"]


def test_a_cancelled_read_returns_nothing_and_a_vanished_file_is_left_out(tmp_path):
    path = write_maildir_message(tmp_path, MESSAGE % b"one")
    files = list_files(tmp_path)
    assert read_rows(files, cancelled=lambda: True) is None
    path.unlink()
    assert read_rows(files) == {}
    assert list_files(tmp_path / "missing") == []


def test_hidden_recipients_reads_the_head_when_not_given(tmp_path):
    path = write_maildir_message(tmp_path, MESSAGE % b"x")
    message, head = read_message(path)
    assert hidden_recipients(message, head) == hidden_recipients(message) == ["Hidden@Example.com"]
