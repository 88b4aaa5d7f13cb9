"""The inbox preview core: envelope vs headers, parts, body with cid: images, attachments."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from mailcomposer.sandbox.preview import (
    SOURCE_LIMIT,
    Limits,
    build_preview,
    cid_key,
    read_stored,
    safe_filename,
    unique_names,
)
from mailcomposer.sandbox.server import write_maildir_message
from tests.unit.sandbox.previewmail import (
    CHINESE_NAME,
    CID,
    OTHER_CHINESE_NAME,
    png,
    related_message,
    stored,
)

RCPTS = ["bob@example.net", "carol@example.net", "hidden@example.com"]


@pytest.fixture
def preview():
    return build_preview(stored(related_message(), "alice@example.org", RCPTS))


def test_envelope_rows_say_which_header_named_each_recipient(preview) -> None:
    rows = [(r.command, r.address, r.fields, r.hidden) for r in preview.envelope]
    assert rows == [
        ("MAIL FROM", "alice@example.org", ("From",), False),
        ("RCPT TO", "bob@example.net", ("To",), False),
        ("RCPT TO", "carol@example.net", ("Cc",), False),
        ("RCPT TO", "hidden@example.com", (), True),  # Bcc: in the envelope only
    ]
    assert preview.peer == "127.0.0.1:50000"  # stored as "('127.0.0.1', 50000)"


def test_the_envelope_table_uses_the_one_rule_for_the_same_recipient() -> None:
    # RFC 5321 §2.4: a Bcc to Bob@ is another mailbox than the To bob@; a domain in
    # any case or as punycode, and a local part quoted for nothing, are the same.
    msg = related_message()
    del msg["To"], msg["Cc"]
    msg["To"] = "bob@example.net, Zoe <zoe@Bücher.example>"
    msg["Cc"] = '"a.b"@example.net'
    rcpts = ["bob@example.net", "Bob@example.net", "zoe@xn--bcher-kva.example", "a.b@EXAMPLE.net"]
    preview = build_preview(stored(msg, "alice@example.org", rcpts))
    rows = [(r.address, r.fields, r.hidden) for r in preview.envelope[1:]]
    assert rows == [
        ("bob@example.net", ("To",), False),
        ("Bob@example.net", (), True),
        ("zoe@xn--bcher-kva.example", ("To",), False),
        ("a.b@EXAMPLE.net", ("Cc",), False),
    ]


def test_headers_decoded_and_raw_without_the_servers_envelope_headers(preview) -> None:
    names = [h.name for h in preview.headers]
    assert names[:5] == ["From", "To", "Cc", "Subject", "Date"]
    assert not {"X-Peer", "X-MailFrom", "X-RcptTo"} & set(names)
    subject = next(h for h in preview.headers if h.name == "Subject")
    assert subject.value == "季度报告 Quarterly report"
    assert subject.raw.startswith("=?utf-8?b?")
    assert dict(preview.summary)["Subject"] == "季度报告 Quarterly report"
    assert [name for name, _v in preview.summary] == ["From", "To", "Cc", "Subject", "Date"]


def test_html_body_with_its_cid_image_and_the_remote_image_listed(preview) -> None:
    assert f'src="cid:{CID}"' in preview.html
    assert preview.text == ""
    assert preview.resources == {CID: png()}
    assert preview.remote == ("https://tracker.example.com/pixel.png",)
    assert cid_key(f"cid:{CID}") == CID
    assert cid_key("cid:logo.1%40example.org") == CID  # RFC 2392 URLs are percent-encoded


def test_part_table(preview) -> None:
    table = {p.path: p for p in preview.parts}
    assert [(p.path, p.content_type) for p in preview.parts] == [
        ("1", "multipart/mixed"),
        ("1.1", "multipart/alternative"),
        ("1.1.1", "text/plain"),
        ("1.1.2", "multipart/related"),
        ("1.1.2.1", "text/html"),
        ("1.1.2.2", "image/png"),
        ("1.2", "application/pdf"),
        ("1.3", "text/plain"),
    ]
    image = table["1.1.2.2"]
    assert (image.content_id, image.disposition, image.transfer_encoding) == (
        CID,
        "inline",
        "base64",
    )
    assert image.size == len(png())
    assert table["1.1.1"].charset == "utf-8"
    pdf = table["1.2"]
    assert pdf.filename == CHINESE_NAME
    assert "filename*=utf-8''%E5%AD%A3" in pdf.filename_raw  # RFC 2231
    assert 'name="=?utf-8?b?' in pdf.filename_raw  # RFC 2047, as Thunderbird adds
    assert table["1.3"].filename == "../../" + OTHER_CHINESE_NAME
    assert table["1.1.2"].size == table["1.1.2.1"].size + image.size
    assert table["1"].size == sum(
        p.size
        for p in preview.parts
        if p.path.count(".") and not p.content_type.startswith("multipart/")
    )


def test_attachments_are_named_safely(preview) -> None:
    assert [(a.filename, a.safe_name, a.data) for a in preview.attachments] == [
        (CHINESE_NAME, CHINESE_NAME, b"%PDF-1.4 fake\n"),
        ("../../" + OTHER_CHINESE_NAME, OTHER_CHINESE_NAME, b"minutes\n"),
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Windows\\evil.exe", "evil.exe"),
        ("..", "attachment-1-2.pdf"),
        ("", "attachment-1-2.pdf"),
        ("a\x00b<c>.txt", "a_b_c_.txt"),
        (".bashrc", "bashrc"),
        ("CON.txt", "_CON.txt"),
    ],
)
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name, "application/pdf", "1.2") == expected


def test_unique_names() -> None:
    assert unique_names(["a.txt", "a.txt", "b"], taken={"B"}) == ["a.txt", "a (2).txt", "b (2)"]


def test_plain_text_message_without_html() -> None:
    msg = EmailMessage()
    msg["From"] = "a@example.org"
    msg["To"] = "b@example.org"
    msg.set_content("just text\n")
    preview = build_preview(stored(msg, "a@example.org", ["b@example.org"]))
    assert (preview.html, preview.text) == ("", "just text\n")
    assert preview.attachments == () and preview.problems == ()


def test_source_is_bounded() -> None:
    msg = EmailMessage()
    msg["Subject"] = "big"
    msg.add_attachment(b"x" * (SOURCE_LIMIT * 2), maintype="application", subtype="octet-stream")
    raw = stored(msg, "a@example.org", ["b@example.org"])
    preview = build_preview(raw)
    assert len(preview.source) == SOURCE_LIMIT and preview.source_truncated
    assert preview.size == len(raw)


def test_too_large_shows_headers_and_envelope_only(tmp_path) -> None:
    raw = stored(related_message(), "alice@example.org", RCPTS)
    path = write_maildir_message(tmp_path, raw)
    limits = Limits(max_bytes=1000)
    data, size = read_stored(path, limits)
    assert (len(data), size) == (1001, len(raw))
    preview = build_preview(data, size=size, limits=limits)
    assert "larger than" in preview.problems[0]
    assert preview.parts == () and preview.html == ""
    assert [h.name for h in preview.headers][:2] == ["From", "To"]
    assert preview.envelope[-1].hidden


def many_parts(count: int) -> bytes:
    msg = EmailMessage()
    msg.set_content("x")
    for number in range(count):
        msg.add_attachment(
            b"y", maintype="application", subtype="octet-stream", filename=f"{number}.bin"
        )
    return stored(msg, "a@example.org", [])


def test_parts_beyond_the_limit_are_not_listed() -> None:
    preview = build_preview(many_parts(30), limits=Limits(max_parts=5))
    assert len(preview.parts) == 5
    assert preview.problems == ("Only the first 5 parts are shown",)


def test_far_too_many_parts_are_not_parsed_at_all() -> None:
    preview = build_preview(many_parts(200), limits=Limits(max_parts=5))
    assert "more than 5 parts" in preview.problems[0]
    assert preview.parts == ()
    assert preview.headers  # still shown


def test_deep_nesting_is_cut_with_a_sentence() -> None:
    boundary = [f"b{level}" for level in range(12)]
    lines = ["Subject: deep"]
    for b in boundary:
        lines += [f'Content-Type: multipart/mixed; boundary="{b}"', "", f"--{b}"]
    lines += ["Content-Type: text/plain", "", "deep text"]
    for b in reversed(boundary):
        lines += [f"--{b}--"]
    raw = "\r\n".join(lines).encode() + b"\r\n"
    preview = build_preview(raw, limits=Limits(max_depth=4))
    assert max(p.depth for p in preview.parts) == 4
    assert any("levels deep" in problem for problem in preview.problems)


def test_very_deep_nesting_never_raises() -> None:
    depth = 3000  # beyond the parser's recursion limit
    head = "".join(
        f'Content-Type: multipart/mixed; boundary="b{n}"\r\n\r\n--b{n}\r\n' for n in range(depth)
    )
    preview = build_preview(("Subject: deeper\r\n" + head + "\r\nx\r\n").encode())
    assert preview.problems  # a sentence, not a RecursionError


def test_a_big_message_is_parsed_only_when_asked(tmp_path) -> None:
    raw = stored(related_message(), "alice@example.org", RCPTS)
    path = write_maildir_message(tmp_path, raw)
    limits = Limits(auto_bytes=1000)
    head, size = read_stored(path, limits)
    assert (len(head), size) == (min(SOURCE_LIMIT, len(raw)), len(raw))
    preview = build_preview(head, size=size, limits=limits)
    assert preview.deferred and preview.problems == ()
    assert preview.parts == () and preview.envelope[-1].hidden
    whole, size = read_stored(path, limits, full=True)
    preview = build_preview(whole, size=size, limits=limits, full=True)
    assert not preview.deferred and preview.resources == {CID: png()}


def test_remote_content_is_what_would_load_by_itself_not_links() -> None:
    msg = EmailMessage()
    msg.set_content(
        '<link rel="stylesheet" href="https://cdn.example.com/a.css">'
        "<div style=\"background: url('http://img.example.com/bg.jpg')\">"
        '<a href="https://example.com/unsubscribe">unsubscribe</a>'
        "<img src=//cdn.example.com/logo.png>"
        '<table background="https://img.example.com/t.gif"></table></div>',
        subtype="html",
    )
    preview = build_preview(stored(msg, "a@example.org", ["b@example.org"]))
    assert preview.remote == (
        "https://cdn.example.com/a.css",
        "http://img.example.com/bg.jpg",
        "//cdn.example.com/logo.png",
        "https://img.example.com/t.gif",
    )
