"""The preview of a message as sent: header block, first lines of each part, bounded."""

from __future__ import annotations

from mailcomposer.message.addresses import envelope_key
from mailcomposer.message.draft import Attachment
from mailcomposer.smtp.origins import recipient_origins
from mailcomposer.smtp.preview import BODY_LINES, ENCODED_BUDGET, preview_pieces, preview_wire
from tests.smtp_fixtures import make_built


def test_preview_has_the_header_block_and_first_lines_of_each_part():
    text = "".join(f"line {i}\n" for i in range(20))
    built = make_built(text=text, html="<p>hello</p>", bcc="Hidden <hidden@example.test>")
    preview = preview_wire(built.wire())

    assert preview is not None and preview.complete
    lines = preview.text.splitlines()
    assert "Subject: Test message" in lines
    assert "To: bob@example.test" in lines
    assert "line 0" in lines and f"line {BODY_LINES - 1}" in lines
    assert f"line {BODY_LINES}" not in lines
    assert "[… 15 more lines, 130 bytes]" in lines
    assert "<p>hello</p>" in lines
    assert any(line.startswith("Content-Type: multipart/alternative") for line in lines)
    # The wire form has no Bcc, so neither has its preview.
    assert "hidden@example.test" not in preview.text
    assert "Bcc" not in preview.text


def test_preview_counts_lines_that_start_with_a_dot():
    built = make_built(text="one\n.two\n..three\nfour.\n")
    preview = preview_wire(built.wire())
    assert preview is not None and preview.dot_lines == 2


def test_pieces_may_cut_lines_anywhere():
    raw = make_built(text="alpha\n.beta\ngamma\n").wire().to_bytes()
    whole = preview_pieces([raw], len(raw))
    for size in (1, 3, 7, 64):
        pieces = [raw[i : i + size] for i in range(0, len(raw), size)]
        assert preview_pieces(pieces, len(raw)) == whole


def test_a_big_attachment_is_read_only_up_to_the_budget(tmp_path):
    path = tmp_path / "big.bin"
    path.write_bytes(bytes(range(256)) * (4 * ENCODED_BUDGET // 256))
    built = make_built(
        attachments=[
            Attachment(filename="big.bin", path=path),
            Attachment(filename="late.txt", data=b"x"),
        ]
    )
    wire = built.wire()
    preview = preview_wire(wire)

    assert preview is not None and not preview.complete
    assert 'Content-Disposition: attachment; filename="big.bin"' in preview.text
    assert "is not previewed]" in preview.text.splitlines()[-1]
    assert len(preview.text) < 8000
    assert preview.dot_lines == 1  # the text part was read whole (".leading dot")


def test_a_wire_without_unstuffed_pieces_has_no_preview():
    class StuffedOnly:
        size = 4

        def data_chunks(self, chunk_size=65536):
            yield b"x\r\n"

    assert preview_wire(StuffedOnly()) is None


def test_a_part_that_cannot_be_read_gives_no_preview(tmp_path):
    path = tmp_path / "gone.bin"
    path.write_bytes(b"data")
    wire = make_built(attachments=[Attachment(filename="gone.bin", path=path)]).wire()
    path.unlink()
    assert preview_wire(wire) is None


def test_origins_follow_the_envelope_order_and_idn():
    built = make_built(
        to="Bob <Bob@Example.test>, dup@example.test",
        cc="carol@example.test, dup@example.test",
        bcc="Dan <dan@bücher.example>",
    )
    origins = recipient_origins(built)
    assert origins == {
        "Bob@example.test": "to",  # the local part keeps its case (RFC 5321 §2.4)
        "dup@example.test": "to",
        "carol@example.test": "cc",
        "dan@xn--bcher-kva.example": "bcc",
    }
    assert set(origins) == {envelope_key(r) for r in built.envelope.recipients}


def test_a_bcc_differing_from_a_to_only_in_case_keeps_its_origin():
    built = make_built(to="bob@example.test", bcc="Bob@Example.TEST")
    assert recipient_origins(built) == {"bob@example.test": "to", "Bob@example.test": "bcc"}
