"""The parser's end-of-line search from the tail finds what the full search finds."""

from __future__ import annotations

import email.feedparser
import re
from email import policy
from email.parser import BytesParser

from hypothesis import given
from hypothesis import strategies as st

from mailcomposer.message import tailsearch
from tests.unit.message.test_inspect import deep_multipart, many_parts

ORIGINAL = re.compile(r"(\r\n|\r|\n)\Z")


def leaves(message) -> list[str]:
    return [part.get_payload() for part in message.walk() if not part.is_multipart()]


@given(st.text(alphabet="ab\r\n", max_size=12))
def test_the_tail_search_matches_the_full_search(text: str) -> None:
    tail = tailsearch.TailSearch(ORIGINAL, 2)
    full, found = ORIGINAL.search(text), tail.search(text)
    assert (full and (full.span(), full.group(0))) == (found and (found.span(), found.group(0)))


def test_installed_the_parser_gives_the_same_message() -> None:
    assert tailsearch.install() and tailsearch.install()  # once, however often asked
    assert isinstance(email.feedparser.NLCRE_eol, tailsearch.TailSearch)
    for raw in (
        many_parts(50),
        deep_multipart(20),
        b"Subject: x\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\npre\r\n--B\r\n\r\n"
        b"a\r\n\r\n--B\r\n\r\nb\n--B--\r\nepilogue\r\n",
    ):
        ours = BytesParser(policy=policy.default).parsebytes(raw)
        email.feedparser.NLCRE_eol = ORIGINAL
        try:
            theirs = BytesParser(policy=policy.default).parsebytes(raw)
        finally:
            tailsearch.install()
        assert ours.as_bytes() == theirs.as_bytes()
        assert leaves(ours) == leaves(theirs)
        assert (ours.preamble, ours.epilogue) == (theirs.preamble, theirs.epilogue)
