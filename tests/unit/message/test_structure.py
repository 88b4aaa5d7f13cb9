"""The MIME view's structure pass: each leaf decoded once, hostile input refused, cancellable."""

from __future__ import annotations

from email.message import EmailMessage

from mailcomposer.message.structure import SOURCE_LIMIT, describe, describe_file
from tests.unit.message.test_inspect import deep_multipart


def attached(size: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = "a@example.org"
    msg["Subject"] = "sizes"
    msg.set_content("hello\n")
    msg.add_attachment(b"\x00" * size, maintype="application", subtype="octet-stream")
    return msg.as_bytes()


def test_rows_are_depth_first_with_decoded_sizes_summed_up_the_tree() -> None:
    found = describe(attached(3000))
    assert [(row.depth, row.content_type) for row in found.parts] == [
        (0, "multipart/mixed"),
        (1, "text/plain"),
        (1, "application/octet-stream"),
    ]
    sizes = [row.size for row in found.parts]
    assert sizes[2] == 3000 and sizes[0] == sizes[1] + sizes[2]
    assert [row.encoding for row in found.parts] == ["", "7bit", "base64"]
    assert found.subject == "sizes" and found.leaves == 2 and found.linted


def test_large_messages_are_not_linted_and_the_source_is_bounded() -> None:
    raw = attached(SOURCE_LIMIT)
    found = describe(raw, lint_limit=1000)
    assert not found.linted and found.findings == ()
    assert len(found.source) == SOURCE_LIMIT and found.size == len(raw)


def test_a_hostile_message_is_refused_with_the_reason_and_its_source() -> None:
    found = describe(deep_multipart(10_000))
    assert found.message is None and found.parts == ()
    assert "levels deep" in found.refused
    assert found.source.startswith("From: a@example.org")


def test_cancelled_between_steps_returns_none(tmp_path) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(attached(10))
    assert describe_file(path, cancelled=lambda: True) is None
    asked = []

    def after_the_parse() -> bool:
        asked.append(True)
        return len(asked) > 1

    assert describe_file(path, cancelled=after_the_parse) is None
    assert describe_file(path).parts[-1].size == 10
