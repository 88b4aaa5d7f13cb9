"""The preview parses a message a piece at a time, as File → Open does."""

from __future__ import annotations

import email.feedparser

from mailcomposer.message import inspect as message_inspect
from mailcomposer.sandbox.preview import build_preview
from tests.unit.sandbox.previewmail import related_message, stored


def test_the_whole_message_is_fed_to_the_parser_in_pieces(monkeypatch):
    raw = stored(related_message(), "alice@example.org", ["bob@example.net"])
    fed: list[int] = []
    feed = email.feedparser.BytesFeedParser.feed

    def counted(self, data):
        fed.append(len(data))
        return feed(self, data)

    monkeypatch.setattr(message_inspect, "PARSE_PIECE", 512)
    monkeypatch.setattr(email.feedparser.BytesFeedParser, "feed", counted)
    preview = build_preview(raw)
    assert len(fed) == -(-len(raw) // 512) and max(fed) == 512
    assert sum(fed) == len(raw)
    assert [a.filename for a in preview.attachments] and preview.html
