"""IMAP mailbox names in modified UTF-7 (RFC 3501 section 5.1.3), both ways."""

from __future__ import annotations

import base64

__all__ = ["decode", "encode"]


def encode(name: str) -> str:
    """Return ``name`` as an IMAP mailbox name (``已发送`` -> ``&XfJT0ZAB-``)."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            raw = "".join(run).encode("utf-16-be")
            text = base64.b64encode(raw).decode("ascii").rstrip("=").replace("/", ",")
            out.append(f"&{text}-")
            run.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            run.append(char)
    flush()
    return "".join(out)


def decode(name: str) -> str:
    """Return the Unicode form of an IMAP mailbox name; a malformed one is kept as is."""
    out: list[str] = []
    index = 0
    while index < len(name):
        char = name[index]
        if char != "&":
            out.append(char)
            index += 1
            continue
        end = name.find("-", index)
        if end < 0:
            return name
        chunk = name[index + 1 : end]
        if not chunk:
            out.append("&")
        else:
            data = chunk.replace(",", "/")
            data += "=" * (-len(data) % 4)
            try:
                out.append(base64.b64decode(data, validate=True).decode("utf-16-be"))
            except (ValueError, UnicodeDecodeError):
                return name
        index = end + 1
    return "".join(out)
