"""The message goes out as the user wrote it: recipients, subject words, piped files, names."""

from __future__ import annotations

import os
import re
import threading
from email import message_from_bytes
from email.header import decode_header, make_header
from email.policy import compat32
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailcomposer.message import streams
from mailcomposer.message.draft import Attachment
from mailcomposer.message.errors import InputError
from mailcomposer.message.mime import build_message
from tests.unit.message.helpers import PDF, PNG, assert_wire_clean, draft, parse

# -- a. envelope de-duplication ---------------------------------------------------------


def test_local_parts_differing_in_case_are_two_recipients() -> None:
    """RFC 5321 2.4: the local part is case-sensitive; only the domain is not."""
    built = build_message(draft(to="Bob@example.org", cc="bob@example.org", text="x"))
    assert built.envelope.recipients == ("Bob@example.org", "bob@example.org")


def test_domains_are_folded_and_idna_normalised_but_kept_as_typed() -> None:
    built = build_message(
        draft(
            to="ann@Example.ORG, zoe@BÜCHER.de",
            cc="ann@example.org, zoe@xn--bcher-kva.de",
            text="x",
        )
    )
    assert built.envelope.recipients == ("ann@Example.ORG", "zoe@xn--bcher-kva.de")


# -- b. unstructured headers keep their spaces -------------------------------------------


def decoded(raw: bytes, name: str) -> str:
    """Unfold (RFC 5322 2.2.3) and decode (RFC 2047, dropping blanks between words)."""
    value = message_from_bytes(raw, policy=compat32)[name]
    return str(make_header(decode_header(re.sub(r"\r?\n(?=[ \t])", "", value))))


def header_lines(raw: bytes) -> list[bytes]:
    return raw.split(b"\r\n\r\n")[0].split(b"\r\n")


def test_folded_subject_keeps_the_space_between_words() -> None:
    """Regression: the folder put a space between two encoded-words, where it is dropped."""
    subject = "00¡¡¡¡¡¡¡¡¡ 0¡¡¡¡¡¡¡¡¡  ¡"
    raw = build_message(draft(subject=subject, text="x")).wire().to_bytes()
    assert decoded(raw, "Subject") == subject
    assert parse(raw)["Subject"] == subject


def test_extra_free_text_header_keeps_its_spaces() -> None:
    note = "¡𐀀 000000000¡¡¡¡ 000000000¡¡¡¡ ¡ ¡"
    raw = build_message(draft(text="x", extra_headers=[("X-Note", note)])).wire().to_bytes()
    assert decoded(raw, "X-Note") == note


def test_long_ascii_subject_folds_at_spaces_and_looks_the_same() -> None:
    subject = " ".join(f"word{i}" for i in range(60)) + "  two  spaces"
    raw = build_message(draft(subject=subject, text="x")).wire().to_bytes()
    assert all(len(line) <= 78 for line in header_lines(raw))
    assert b"=?" not in raw.split(b"\r\n\r\n")[0].split(b"Subject:")[1].split(b"Message-ID")[0]
    assert decoded(raw, "Subject") == subject


def test_a_word_longer_than_a_line_is_encoded() -> None:
    subject = "x" * 1500 + " end"
    raw = build_message(draft(subject=subject, text="x")).wire().to_bytes()
    assert_wire_clean(raw)
    assert decoded(raw, "Subject") == subject


def test_text_that_looks_like_an_encoded_word_stays_literal() -> None:
    subject = "About =?utf-8?q?caf=C3=A9?= in headers"
    raw = build_message(draft(subject=subject, text="x")).wire().to_bytes()
    assert decoded(raw, "Subject") == subject


def test_utf8_headers_fold_without_encoding() -> None:
    subject = " ".join(["Grüße"] * 30)
    built = build_message(draft(from_addr="用户@example.org", subject=subject, text="x"))
    raw = built.wire(eight_bit=True).to_bytes()
    lines = header_lines(raw)
    assert all(len(line) <= 998 for line in lines)
    assert b"=?" not in raw.split(b"\r\n\r\n")[0]
    value = raw.decode("utf-8").split("\r\nSubject: ")[1].split("\r\nMessage-ID")[0]
    assert re.sub(r"\r\n(?=[ \t])", "", value) == subject


WORDS = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Zs")), min_size=1, max_size=14
)
SUBJECTS = st.lists(
    st.tuples(WORDS, st.sampled_from([" ", " ", " ", "  ", "\t"])), min_size=1, max_size=40
).map(lambda pairs: "".join(w + s for w, s in pairs).strip())


@settings(max_examples=80)
@given(subject=SUBJECTS)
def test_any_subject_with_spaces_round_trips(subject: str) -> None:
    raw = build_message(draft(subject=subject, text="x")).wire().to_bytes()
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    assert decoded(raw, "Subject") == subject
    assert parse(raw)["Subject"] == subject


# -- c. attachments read from pipes -------------------------------------------------------


def _writer(path: str, data: bytes) -> threading.Thread:
    def write() -> None:
        with open(path, "wb") as fh:
            fh.write(data)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def _attached(raw: bytes) -> bytes:
    part = next(p for p in parse(raw).walk() if p.get_content_disposition() == "attachment")
    return part.get_payload(decode=True)


@pytest.mark.timeout(20)
def test_attachment_from_a_fifo_is_sent_whole(tmp_path: Path) -> None:
    fifo = tmp_path / "report.pdf"
    os.mkfifo(fifo)
    data = PDF * 2000  # larger than a pipe buffer
    writer = _writer(str(fifo), data)
    att = Attachment("report.pdf", path=fifo)
    built = build_message(draft(text="x", attachments=[att]))
    writer.join()
    assert _attached(built.wire().to_bytes()) == data
    # Read once: building again (a retry, a Sent copy) sends the same bytes.
    assert _attached(build_message(draft(text="x", attachments=[att])).wire().to_bytes()) == data


@pytest.mark.timeout(20)
def test_attachment_from_a_pipe_fd_is_sent_whole() -> None:
    read_fd, write_fd = os.pipe()
    data = PNG * 40  # fits in the pipe buffer: written whole before the build reads it
    writer = _writer(f"/dev/fd/{write_fd}", data)
    try:
        writer.join()
        os.close(write_fd)
        write_fd = -1
        built = build_message(
            draft(text="x", attachments=[Attachment("shot.png", path=Path(f"/dev/fd/{read_fd}"))])
        )
    finally:
        os.close(read_fd)
        if write_fd >= 0:
            os.close(write_fd)
    assert _attached(built.wire().to_bytes()) == data


@pytest.mark.timeout(20)
def test_an_endless_stream_is_refused_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(streams, "STREAM_MAX_BYTES", 100_000)
    with pytest.raises(InputError) as info:
        build_message(draft(text="x", attachments=[Attachment("zero", path=Path("/dev/zero"))]))
    assert info.value.field == "attachments"
    assert "zero" in info.value.message
    assert "MB" in info.value.message


# -- d. attachment names lose their folders ------------------------------------------------


@pytest.mark.parametrize(
    "name", ["..\\..\\evil.txt", "../../evil.txt", "C:\\x\\evil.txt", "C:evil.txt", "/etc/evil.txt"]
)
def test_attachment_name_is_the_base_name(name: str) -> None:
    raw = (
        build_message(draft(text="x", attachments=[Attachment(name, data=b"hello")]))
        .wire()
        .to_bytes()
    )
    part = next(p for p in parse(raw).walk() if p.get_content_disposition() == "attachment")
    assert part.get_filename() == "evil.txt"
    assert part.get_param("name") == "evil.txt"
    assert b"\\" not in raw and b"../" not in raw and b"C:" not in raw


def test_attachment_name_of_only_dots_gets_a_plain_name() -> None:
    raw = (
        build_message(draft(text="x", attachments=[Attachment("..", data=b"hello")]))
        .wire()
        .to_bytes()
    )
    part = next(p for p in parse(raw).walk() if p.get_content_disposition() == "attachment")
    assert part.get_filename() not in ("..", ".", "")
    assert "/" not in part.get_filename()
