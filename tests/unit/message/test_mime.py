"""Building messages: structures, inline images, file names, headers, injection, envelope."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import message_from_string
from email import policy as email_policy
from pathlib import Path

import pytest

from mailcomposer import USER_AGENT
from mailcomposer.message.draft import Attachment, InlineImage, Priority
from mailcomposer.message.errors import InputError
from mailcomposer.message.mime import build_message
from tests.unit.message.helpers import JPEG, PDF, PNG, assert_wire_clean, draft, parse, shape

HTML = "<p>Hello <img src=\"logo.png\"> and <img src='a&amp;b.jpg'></p>"


def images() -> list[InlineImage]:
    return [
        InlineImage("logo.png", PNG, "image/png"),
        InlineImage("a&b.jpg", JPEG, "image/jpeg"),
    ]


def test_text_only_is_text_plain() -> None:
    built = build_message(draft(text="Just text\n"))
    msg = parse(built.wire().to_bytes())
    assert shape(msg) == "text/plain"
    assert msg["MIME-Version"] == "1.0"
    assert msg.get_content() == "Just text\n"
    assert built.summary() == "text/plain"


def test_html_is_alternative_with_generated_text() -> None:
    built = build_message(
        draft(html="<ul><li>one</li></ul><p><a href='https://x.org'>site</a></p>")
    )
    msg = parse(built.wire().to_bytes())
    assert shape(msg) == ("multipart/alternative", ["text/plain", "text/html"])
    plain = msg.get_body(("plain",)).get_content()
    assert "- one" in plain and "site <https://x.org>" in plain


def test_html_with_inline_images_is_related() -> None:
    built = build_message(draft(html=HTML, inline_images=images()))
    msg = parse(built.wire().to_bytes())
    assert shape(msg) == (
        "multipart/alternative",
        ["text/plain", ("multipart/related", ["text/html", "image/png", "image/jpeg"])],
    )


def test_full_nesting_order(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(PDF)
    built = build_message(
        draft(html=HTML, inline_images=images(), attachments=[Attachment("report.pdf", path=pdf)])
    )
    msg = parse(built.wire().to_bytes())
    assert shape(msg) == (
        "multipart/mixed",
        [
            (
                "multipart/alternative",
                ["text/plain", ("multipart/related", ["text/html", "image/png", "image/jpeg"])],
            ),
            "application/pdf",
        ],
    )
    assert built.summary() == (
        "multipart/mixed: text/plain, text/html, image/png, image/jpeg, application/pdf"
    )
    att = next(iter(msg.iter_attachments()))
    assert att.get_content() == PDF


def test_text_with_attachment_is_mixed() -> None:
    built = build_message(
        draft(text="see file", attachments=[Attachment("a.bin", data=b"\x00\x01")])
    )
    msg = parse(built.wire().to_bytes())
    assert shape(msg) == ("multipart/mixed", ["text/plain", "application/octet-stream"])


def test_cids_unique_resolved_and_inline() -> None:
    built = build_message(draft(html=HTML, inline_images=images()))
    msg = parse(built.wire().to_bytes())
    html = msg.get_body(("html",)).get_content()
    refs = re.findall(r'src="cid:([^"]+)"', html)
    assert len(refs) == 2 and len(set(refs)) == 2
    parts = [p for p in msg.walk() if p.get_content_maintype() == "image"]
    cids = [p["Content-ID"].strip("<>") for p in parts]
    assert sorted(cids) == sorted(refs)
    assert all(cid.endswith("@example.org") for cid in cids)
    for part in parts:
        assert part.get_content_disposition() == "inline"
        assert part.get_filename()
    assert parts[0].get_content() == PNG
    assert parts[1].get_content() == JPEG


def test_unreferenced_image_is_dropped() -> None:
    extra = [*images(), InlineImage("deleted.png", PNG, "image/png")]
    built = build_message(draft(html=HTML, inline_images=extra))
    msg = parse(built.wire().to_bytes())
    assert len([p for p in msg.walk() if p.get_content_maintype() == "image"]) == 2


def test_no_image_left_means_no_related() -> None:
    built = build_message(draft(html="<p>no pictures</p>", inline_images=images()))
    assert shape(parse(built.wire().to_bytes())) == (
        "multipart/alternative",
        ["text/plain", "text/html"],
    )


def test_remote_sources_are_left_alone() -> None:
    html = '<img src="https://example.org/x.png"><img src="logo.png">'
    built = build_message(draft(html=html, inline_images=images()[:1]))
    out = parse(built.wire().to_bytes()).get_body(("html",)).get_content()
    assert 'src="https://example.org/x.png"' in out
    assert 'src="cid:' in out


NON_ASCII_NAMES = ["报告.pdf", "Grüße & Co.pdf", "名" * 80 + ".pdf", "ünïcödé (1).docx"]


@pytest.mark.parametrize("name", NON_ASCII_NAMES)
def test_non_ascii_filename_has_both_forms(name: str) -> None:
    built = build_message(draft(text="x", attachments=[Attachment(name, data=PDF)]))
    raw = built.wire().to_bytes()
    assert_wire_clean(raw)
    head = raw.decode("ascii")
    assert "filename*" in head  # RFC 2231 on Content-Disposition
    assert 'name="=?utf-8?b?' in head  # RFC 2047 on Content-Type, as Thunderbird writes
    att = next(iter(parse(raw).iter_attachments()))
    assert att.get_filename() == name
    assert att.get_param("name") == name
    assert att.get_content() == PDF


def test_ascii_filename_is_plain() -> None:
    built = build_message(draft(text="x", attachments=[Attachment('my "file"; v2.pdf', data=PDF)]))
    att = next(iter(parse(built.wire().to_bytes()).iter_attachments()))
    assert att.get_filename() == 'my "file"; v2.pdf'
    assert att.get_param("name") == 'my "file"; v2.pdf'


def test_headers_written() -> None:
    when = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    built = build_message(
        draft(
            text="x",
            subject="Grüße 你好",
            reply_to="Help <help@example.org>",
            cc="Zoë <zoe@example.org>",
            priority=Priority.HIGH,
            extra_headers=[("X-Tracking", "abc 123")],
        ),
        date=when,
    )
    msg = parse(built.wire().to_bytes())
    assert msg["Subject"] == "Grüße 你好"
    assert msg["Date"] == "Mon, 06 May 2024 07:08:09 +0000"
    assert msg["From"] == "Ann <ann@example.org>"
    assert msg["Reply-To"] == "Help <help@example.org>"
    assert msg["Cc"].addresses[0].display_name == "Zoë"
    assert msg["User-Agent"] == USER_AGENT and msg["X-Mailer"] == USER_AGENT
    assert msg["X-Priority"] == "1 (Highest)" and msg["Importance"] == "high"
    assert msg["X-Tracking"] == "abc 123"
    assert msg["Message-ID"] == built.message_id
    assert built.message_id.endswith("@example.org>")


@pytest.mark.parametrize(
    ("priority", "xprio", "importance"),
    [(Priority.LOW, "5 (Lowest)", "low"), (Priority.NORMAL, None, None)],
)
def test_priority_headers(priority: Priority, xprio: str | None, importance: str | None) -> None:
    msg = parse(build_message(draft(text="x", priority=priority)).wire().to_bytes())
    assert msg["X-Priority"] == xprio
    assert msg["Importance"] == importance


def test_message_id_is_reused() -> None:
    built = build_message(draft(text="x", message_id="<keep.1@example.org>"))
    assert built.message_id == "<keep.1@example.org>"
    assert parse(built.wire().to_bytes())["Message-ID"] == "<keep.1@example.org>"


def test_message_id_uses_punycoded_sender_domain() -> None:
    built = build_message(draft(from_addr="zoe@bücher.de", text="x"))
    assert built.message_id.endswith("@xn--bcher-kva.de>")


def test_from_is_required_and_single() -> None:
    with pytest.raises(InputError) as info:
        build_message(draft(from_addr="", text="x"))
    assert info.value.field == "from"
    with pytest.raises(InputError) as info:
        build_message(draft(from_addr="a@x.org, b@x.org", text="x"))
    assert info.value.field == "from"


def test_a_recipient_is_required() -> None:
    with pytest.raises(InputError) as info:
        build_message(draft(to=" , ", text="x"))
    assert info.value.field == "to"
    assert info.value.message == "Add at least one recipient in To, Cc or Bcc"


def test_bcc_only_is_fine_and_stays_off_the_wire() -> None:
    built = build_message(draft(to="", bcc="Secret <hidden@example.com>", text="x"))
    raw = built.wire().to_bytes()
    assert b"hidden@example.com" not in raw and b"Bcc" not in raw
    assert built.envelope.recipients == ("hidden@example.com",)
    assert built.bcc == ("Secret <hidden@example.com>",)
    assert "Bcc" not in built.message
    copy = parse(built.sent_copy_bytes())
    assert copy["Bcc"] == "Secret <hidden@example.com>"


def test_envelope_dedupes_and_punycodes() -> None:
    built = build_message(draft(to="a@x.org, zoe@bücher.de", cc="a@X.org", bcc="b@y.org", text="x"))
    assert built.envelope.sender == "ann@example.org"
    assert built.envelope.recipients == ("a@x.org", "zoe@xn--bcher-kva.de", "b@y.org")
    assert not built.envelope.smtputf8
    raw = built.wire().to_bytes()
    assert b"zoe@xn--bcher-kva.de" in raw


def test_smtputf8_for_non_ascii_local_part() -> None:
    built = build_message(draft(to="用户@例子.中国", text="x"))
    assert built.envelope.smtputf8
    assert built.envelope.recipients == ("用户@xn--fsqu00a.xn--fiqs8s",)
    raw = built.wire(eight_bit=True).to_bytes()
    assert "To: 用户@xn--fsqu00a.xn--fiqs8s\r\n".encode() in raw
    # The email parser reads raw UTF-8 headers only from str (bytes give surrogates).
    msg = message_from_string(raw.decode("utf-8"), policy=email_policy.default)
    assert msg["To"].addresses[0].username == "用户"


def test_smtputf8_for_bcc_only_keeps_headers_ascii() -> None:
    built = build_message(draft(bcc="用户@例子.中国", text="x"))
    assert built.envelope.smtputf8
    assert built.wire().to_bytes().isascii()


SEPARATORS = [
    "\r",
    "\n",
    "\r\n",
    "\x00",
    "\v",
    "\f",
    "\x1c",
    "\x1d",
    "\x1e",
    "\x85",
    "\u2028",
    "\u2029",
]
FIELDS = {
    "subject": lambda s: {"subject": f"Hi{s}Bcc: evil@x.org"},
    "from": lambda s: {"from_addr": f"Ann{s} <ann@example.org>"},
    "to": lambda s: {"to": f"bob@example.net{s}"},
    "cc": lambda s: {"cc": f"Carl{s}Bcc: x <c@example.net>"},
    "bcc": lambda s: {"bcc": f"d@example.net{s}"},
    "reply_to": lambda s: {"reply_to": f"r@example.net{s}"},
    "attachments": lambda s: {"attachments": [Attachment(f"a{s}.txt", data=b"x")]},
    "inline_images": lambda s: {
        "html": '<img src="i.png">',
        "inline_images": [InlineImage("i.png", PNG, "image/png", filename=f"i{s}.png")],
    },
    "headers": lambda s: {"extra_headers": [("X-Note", f"a{s}b")]},
    "header_name": lambda s: {"extra_headers": [(f"X-A{s}B", "v")]},
    "message_id": lambda s: {"message_id": f"<a{s}@example.org>"},
}


@pytest.mark.parametrize("separator", SEPARATORS, ids=[repr(s) for s in SEPARATORS])
@pytest.mark.parametrize("field", sorted(FIELDS))
def test_header_injection_is_rejected(field: str, separator: str) -> None:
    kwargs = {"text": "body", **FIELDS[field](separator)}
    with pytest.raises(InputError) as info:
        build_message(draft(**kwargs))
    expected = "headers" if field == "header_name" else field
    assert info.value.field == expected


@pytest.mark.parametrize(
    "name",
    [
        "From",
        "bcc",
        "Subject",
        "Content-Type",
        "content-transfer-encoding",
        "MIME-Version",
        "Message-ID",
        "Date",
        "To",
        "Cc",
        "Reply-To",
        "User-Agent",
        "X-Mailer",
        "X-Priority",
        "Importance",
    ],
)
def test_owned_headers_cannot_be_added(name: str) -> None:
    with pytest.raises(InputError) as info:
        build_message(draft(text="x", extra_headers=[(name, "v")]))
    assert info.value.field == "headers"


@pytest.mark.parametrize("name", ["X Space", "X:Colon", "", "Ünicode"])
def test_extra_header_names_must_be_field_names(name: str) -> None:
    with pytest.raises(InputError) as info:
        build_message(draft(text="x", extra_headers=[(name, "v")]))
    assert info.value.field == "headers"


def test_bad_address_names_itself() -> None:
    with pytest.raises(InputError) as info:
        build_message(draft(to="ok@example.org, bob@", text="x"))
    assert info.value.field == "to"
    assert info.value.value == "bob@"
    assert "bob@" in info.value.message


def test_unreadable_attachment(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        build_message(
            draft(text="x", attachments=[Attachment("gone.pdf", path=tmp_path / "gone.pdf")])
        )
    assert info.value.field == "attachments"
    assert "gone.pdf" in info.value.message


def test_bad_content_type_is_rejected() -> None:
    with pytest.raises(InputError):
        build_message(draft(text="x", attachments=[Attachment("a", data=b"x", content_type="bad")]))


def test_attachment_type_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "scan"
    path.write_bytes(PDF)
    built = build_message(draft(text="x", attachments=[Attachment("scan", path=path)]))
    assert next(iter(parse(built.wire().to_bytes()).iter_attachments())).get_content_type() == (
        "application/pdf"
    )


def test_display_name_spaces_survive_rfc2047_decoding() -> None:
    """Regression: the stdlib folder put a name's space between two encoded-words."""
    from email import message_from_bytes
    from email.header import decode_header, make_header
    from email.policy import compat32

    name = "000¡¡¡¡¡¡¡¡¡¡𐀀𐀀𐀀𐀀𐀀 ["
    built = build_message(draft(from_addr=f'"{name}" <ann@example.org>', text="x"))
    raw = built.wire().to_bytes()
    value = message_from_bytes(raw, policy=compat32)["From"]
    assert str(make_header(decode_header(value))) == f"{name} <ann@example.org>"


def test_address_headers_are_folded_and_ascii() -> None:
    many = ", ".join(f"Person Number {i} <p{i}@example.org>" for i in range(40))
    built = build_message(draft(to=many, cc="Zoë <zoe@bücher.de>", text="x"))
    raw = built.wire().to_bytes()
    assert raw.isascii()
    assert_wire_clean(raw)
    assert all(len(line) <= 78 for line in raw.split(b"\r\n\r\n")[0].split(b"\r\n"))
    msg = parse(raw)
    assert len(msg["To"].addresses) == 40
    assert msg["Cc"].addresses[0].domain == "xn--bcher-kva.de"


def test_src_rewrite_handles_gt_in_attributes_and_text_mentions() -> None:
    html = '<p title="a>b">logo.png</p><img alt="x > y" src="logo.png">'
    built = build_message(draft(html=html, inline_images=images()[:1]))
    out = parse(built.wire().to_bytes()).get_body(("html",)).get_content()
    assert '<p title="a>b">logo.png</p>' in out
    assert re.search(r'<img alt="x > y" src="cid:[^"]+">', out)


def test_attachment_without_content_or_a_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        build_message(draft(text="x", attachments=[Attachment("empty")]))
    assert info.value.field == "attachments"
    with pytest.raises(InputError) as info:
        build_message(draft(text="x", attachments=[Attachment("dir", path=tmp_path)]))
    assert info.value.field == "attachments"
