"""The piecewise base64 decode gives exactly what the email package's own decode gives."""

from __future__ import annotations

import base64
import email
from email import policy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailcomposer.message import decoding


def _part(payload: str, cte: str = "base64"):
    """A fresh leaf holding ``payload`` as parsed text (each decode may add defects)."""
    msg = email.message_from_string(
        f"Content-Type: application/octet-stream\nContent-Transfer-Encoding: {cte}\n\n",
        policy=policy.default,
    )
    msg.set_payload(payload)
    return msg


def _same_as_stdlib(payload: str, cte: str = "base64") -> None:
    ours, theirs = _part(payload, cte), _part(payload, cte)
    try:
        expected = theirs.get_payload(decode=True)
    except Exception as exc:  # a string no parser makes (e.g. non-ASCII beside surrogates)
        with pytest.raises(type(exc)):
            decoding.payload_bytes(ours)
        return
    assert decoding.payload_bytes(ours) == expected
    assert [type(d) for d in ours.defects] == [type(d) for d in theirs.defects]
    sized = _part(payload, cte)
    assert decoding.payload_size(sized) == (len(expected) if isinstance(expected, bytes) else 0)
    assert [type(d) for d in sized.defects] == [type(d) for d in theirs.defects]


def _wrapped(data: bytes, width: int, eol: str) -> str:
    text = base64.b64encode(data).decode("ascii")
    return eol.join(text[i : i + width] for i in range(0, len(text), width)) + eol


@pytest.fixture(autouse=True)
def _small_pieces(monkeypatch):
    monkeypatch.setattr(decoding, "PIECE", 7)  # every test crosses piece boundaries


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=200),
    st.integers(min_value=1, max_value=80),
    st.sampled_from(["\r\n", "\n", "\r", ""]),
)
def test_well_formed_base64_decodes_the_same(data, width, eol):
    _same_as_stdlib(_wrapped(data, width, eol))


@settings(max_examples=500, deadline=None)
@given(
    st.binary(max_size=60),
    st.integers(min_value=1, max_value=20),
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=200),
            st.sampled_from([*"=\r\n *-_.!é\x00\udcff", "==", "===", "\r\n="]),
        ),
        max_size=4,
    ),
    st.integers(min_value=0, max_value=3),
)
def test_malformed_base64_decodes_the_same(data, width, junk, chop):
    text = _wrapped(data, width, "\n")
    text = text[: max(0, len(text) - chop)]
    for position, insert in junk:
        position %= len(text) + 1
        text = text[:position] + insert + text[position:]
    _same_as_stdlib(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ABCab09+/=\r\n -é\udcff", max_size=60))
def test_random_text_decodes_the_same(text):
    _same_as_stdlib(text)


@pytest.mark.parametrize("cte", ["quoted-printable", "7bit", "x-uuencode", "BASE64"])
def test_other_encodings_are_the_stdlibs(cte):
    _same_as_stdlib("aGVsbG8=\n=41=\nbegin 644 x\n", cte)


def test_a_multipart_has_no_payload():
    msg = email.message_from_string(
        "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--\n", policy=policy.default
    )
    assert decoding.payload_bytes(msg) is None
    assert decoding.payload_size(msg) == 0


def test_bytes_parsed_payload_with_eight_bit_junk_is_the_stdlibs():
    raw = b"Content-Transfer-Encoding: base64\n\naGVs\xffbG8=\n"
    ours = email.message_from_bytes(raw, policy=policy.default)
    theirs = email.message_from_bytes(raw, policy=policy.default)
    assert decoding.payload_bytes(ours) == theirs.get_payload(decode=True)


def test_a_big_payload_is_decoded_in_pieces(monkeypatch):
    monkeypatch.setattr(decoding, "PIECE", 1024)
    data = bytes(range(256)) * 200
    calls = []
    real = decoding.binascii.a2b_base64

    def counting(chunk, **kwargs):
        calls.append(len(chunk))
        return real(chunk, **kwargs)

    monkeypatch.setattr(decoding.binascii, "a2b_base64", counting)
    assert decoding.payload_bytes(_part(_wrapped(data, 76, "\r\n"))) == data
    assert len(calls) > 50
    assert max(calls) <= 1024
