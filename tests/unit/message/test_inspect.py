"""Hostile message files: a result or one clear error, within seconds, never a traceback."""

from __future__ import annotations

import random
from email.message import Message
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailcomposer.message.draft import Attachment, InlineImage
from mailcomposer.message.eml import read_eml
from mailcomposer.message.inspect import (
    Inspection,
    Limits,
    MessageFileError,
    inspect_file,
    inspect_message,
    mime_tree_lines,
    parse_message,
)
from mailcomposer.message.mime import build_message
from tests.unit.message.helpers import PDF, PNG, draft

HEAD = b"From: a@example.org\r\nSubject: hostile\r\n"


def deep_multipart(levels: int) -> bytes:
    out = [HEAD]
    for i in range(levels):
        out.append(b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i))
    out.append(b"Content-Type: text/plain\r\n\r\nhello\r\n")
    out.extend(b"--b%d--\r\n" % i for i in reversed(range(levels)))
    return b"".join(out)


def deep_rfc822(levels: int) -> bytes:
    return HEAD + b"Content-Type: message/rfc822\r\n\r\nSubject: x\r\n" * levels + b"\r\nbody\r\n"


def many_parts(count: int) -> bytes:
    out = [HEAD, b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n']
    out.extend(b"--B\r\nContent-Type: text/plain\r\n\r\npart %d\r\n" % i for i in range(count))
    out.append(b"--B--\r\n")
    return b"".join(out)


def digest(count: int) -> bytes:
    """A digest's parts default to message/rfc822: each nests a message."""
    out = [HEAD, b'Content-Type: multipart/digest; boundary="D"\r\n\r\n']
    out.extend(b"--D\r\n\r\nSubject: m%d\r\n\r\nbody\r\n" % i for i in range(count))
    out.append(b"--D--\r\n")
    return b"".join(out)


HOSTILE = {
    "10,000 nested multiparts": (deep_multipart(10_000), "levels deep"),
    "10,000 nested messages": (deep_rfc822(10_000), "levels deep"),
    "a 4 MB header": (HEAD + b"X-Big: " + b"x" * 4_000_000 + b"\r\n\r\nbody\r\n", "header"),
    "a 4 MB folded header": (
        HEAD + b"X-Big: " + b"word\r\n " * 500_000 + b"\r\n\r\nbody\r\n",
        "header",
    ),
    "a 3 MB address list": (HEAD + b"To: " + b"a@b.c, " * 450_000 + b"\r\n\r\nx\r\n", "header"),
    "encoded words without end": (
        HEAD + b"X-E: " + b"=?utf-8?q?x?= " * 300_000 + b"\r\n\r\nx\r\n",
        "header",
    ),
    "100,000 header fields": (HEAD + b"X-A: x\r\n" * 100_000 + b"\r\nbody\r\n", "header fields"),
    "30,000 parts": (many_parts(30_000), "parts"),
    "a digest of 5,000 messages": (digest(5_000), "parts"),
    "an empty file": (b"", "empty"),
}


@pytest.fixture(params=sorted(HOSTILE), ids=lambda name: name.replace(" ", "-"))
def hostile(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    raw, says = HOSTILE[request.param]
    path = tmp_path / "hostile.eml"
    path.write_bytes(raw)
    return path, says


@pytest.mark.timeout(15)
def test_inspect_refuses_hostile_files_clearly(hostile: tuple[Path, str]) -> None:
    path, says = hostile
    with pytest.raises(MessageFileError) as info:
        inspect_file(path)
    assert says in info.value.message
    assert info.value.field == "eml"


@pytest.mark.timeout(15)
def test_the_eml_loader_refuses_hostile_files_clearly(hostile: tuple[Path, str]) -> None:
    path, says = hostile
    with pytest.raises(MessageFileError) as info:
        read_eml(path)
    assert says in info.value.message
    assert isinstance(info.value, ValueError)  # what the window's open_eml catches


@pytest.mark.timeout(15)
def test_binary_junk_is_described(tmp_path: Path) -> None:
    path = tmp_path / "junk.eml"
    path.write_bytes(random.Random(7).randbytes(2_000_000))
    report = inspect_file(path)
    assert report.size == 2_000_000
    assert len(report.tree) == 1
    assert report.findings
    assert read_eml(path).attachments or read_eml(path).text


@pytest.mark.timeout(15)
def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "big.eml"
    path.write_bytes(HEAD + b"\r\n" + b"x" * 5000)
    with pytest.raises(MessageFileError) as info:
        inspect_file(path, Limits(max_bytes=4096))
    assert "MB" in info.value.message
    with pytest.raises(MessageFileError):
        read_eml(path, Limits(max_bytes=4096))


def test_a_folder_and_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MessageFileError) as info:
        inspect_file(tmp_path)
    assert "folder" in info.value.message
    with pytest.raises(MessageFileError) as info:
        read_eml(tmp_path / "missing.eml")
    assert "Cannot read" in info.value.message


@pytest.mark.parametrize(
    ("raw", "limits"),
    [
        (deep_multipart(10), Limits(max_depth=10)),
        (deep_rfc822(10), Limits(max_depth=10)),
        (many_parts(20), Limits(max_parts=21)),
        (digest(20), Limits(max_parts=41)),
    ],
)
def test_messages_at_the_limits_are_read(raw: bytes, limits: Limits) -> None:
    report = inspect_message(raw, limits)
    assert isinstance(report, Inspection)
    assert read_eml(raw, limits).subject == "hostile"


@pytest.mark.parametrize(
    ("raw", "limits"),
    [
        (deep_multipart(11), Limits(max_depth=10)),
        (deep_rfc822(11), Limits(max_depth=10)),
        (many_parts(21), Limits(max_parts=21)),
        (digest(20), Limits(max_parts=40)),
    ],
)
def test_messages_past_the_limits_are_refused(raw: bytes, limits: Limits) -> None:
    with pytest.raises(MessageFileError):
        inspect_message(raw, limits)


def real_message() -> bytes:
    built = build_message(
        draft(
            subject="Grüße",
            html='<p>Hi <img src="logo.png"></p>',
            text="Hi",
            inline_images=[InlineImage("logo.png", PNG, "image/png")],
            attachments=[Attachment("报告.pdf", data=PDF), Attachment("a.txt", data=b"text\n")],
        )
    )
    return built.sent_copy_bytes()


def test_a_real_message_is_described() -> None:
    report = inspect_message(real_message())
    assert dict(report.headers)["Subject"] == "Grüße"
    assert report.tree[0] == "multipart/mixed"
    assert report.tree[1] == "  multipart/alternative"
    assert report.tree[2].startswith("    text/plain")
    assert report.tree[3] == "    multipart/related"
    assert report.tree[5].startswith("      image/png, inline, “logo.png”, cid <")
    assert report.tree[6] == f"  application/pdf, attachment, “报告.pdf”, {len(PDF)} bytes"
    assert len(report.tree) == 8


def _parts(message: Message) -> int:
    return sum(1 for _ in message.walk())


def _depth(message: Message) -> int:
    children = message.get_payload() if message.is_multipart() else []
    return 1 + max((_depth(child) for child in children), default=0)


def _result_or_clear_error(raw: bytes) -> None:
    try:
        report = inspect_message(raw)
    except MessageFileError as exc:
        assert exc.message
    else:
        assert report.tree
    try:
        read_eml(raw)
    except MessageFileError as exc:
        assert exc.message


@settings(max_examples=150)
@given(raw=st.binary(max_size=3000))
def test_arbitrary_bytes_give_a_result_or_a_clear_error(raw: bytes) -> None:
    _result_or_clear_error(raw)


LINES = st.sampled_from(
    [
        b"\r\n",
        b"--",
        b"--=_mix_X\r\n",
        b"Content-Type: multipart/mixed; boundary=x\r\n",
        b"Content-Type: message/rfc822\r\n",
        b"Content-Type: multipart/digest; boundary=d\r\n",
        b"\r\n--x\r\n",
        b"\r\n--x--\r\n",
        b"\r\n--d\r\n\r\n",
        b"=?utf-8?q?\xff?=",
        b"\x00\xff",
        b"Content-Disposition: attachment; filename*=utf-8''%ff\r\n",
        b"Content-Type: text/plain; charset=nonsense\r\n",
    ]
)


# 50 examples keep it near 2 s; 1,500 random ones passed when it was written.
@settings(max_examples=50)
@given(data=st.data())
def test_mutated_real_messages_give_a_result_or_a_clear_error(data: st.DataObject) -> None:
    raw = bytearray(real_message())
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(raw)))
        cut = data.draw(st.integers(0, 40))
        raw[at : at + cut] = data.draw(st.one_of(LINES, st.binary(max_size=20)))
    _result_or_clear_error(bytes(raw))
    # The scan counts what the parser builds: a limit is neither early nor late.
    try:
        parsed = parse_message(bytes(raw))
    except MessageFileError:
        return
    parts, depth = _parts(parsed), _depth(parsed) - 1
    parse_message(bytes(raw), Limits(max_parts=parts, max_depth=depth))
    with pytest.raises(MessageFileError):
        parse_message(bytes(raw), Limits(max_parts=parts - 1))
    if depth:
        with pytest.raises(MessageFileError):
            parse_message(bytes(raw), Limits(max_depth=depth - 1))


def test_tree_lines_of_a_text_message() -> None:
    raw = build_message(draft(text="hello\n")).wire().to_bytes()
    assert mime_tree_lines(parse_message(raw)) == ["text/plain, 7 bytes"]  # CRLF on the wire
