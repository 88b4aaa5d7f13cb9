"""Wire form: DATA chunks that also write the unstuffed message to a file in the same pass."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from mailcomposer.message.draft import Attachment
from mailcomposer.message.mime import build_message
from tests.unit.message.helpers import draft


def unstuff(data: bytes) -> bytes:
    lines = data.split(b"\r\n")
    return b"\r\n".join(line[1:] if line.startswith(b".") else line for line in lines)


@pytest.mark.parametrize("size", [0, 57, 200_001])
def test_copy_is_the_unstuffed_message_written_as_the_chunks_go(tmp_path: Path, size: int) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(os.urandom(size))
    built = build_message(
        draft(text=".starts with a dot\n..two\nend", attachments=[Attachment("f.bin", path)])
    )
    wire = built.wire()
    copy = io.BytesIO()
    sent = b""
    for chunk in wire.data_chunks(4096, copy_to=copy):
        sent += chunk
        # Never behind the chunks: whatever went out is already in the copy.
        assert len(copy.getvalue()) >= len(unstuff(sent))
    assert copy.getvalue() == wire.to_bytes()
    assert len(copy.getvalue()) == wire.size
    assert unstuff(sent) == copy.getvalue()
    assert b"\r\n..starts with a dot" in sent and b"\r\n.starts with a dot" in copy.getvalue()


def test_without_a_copy_the_chunks_are_unchanged(tmp_path: Path) -> None:
    built = build_message(draft(text=".dot\nhello"))
    plain = b"".join(built.wire().data_chunks(100))
    copied = b"".join(built.wire().data_chunks(100, copy_to=io.BytesIO()))
    assert plain == copied
