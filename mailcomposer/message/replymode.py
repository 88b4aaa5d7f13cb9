"""The ways to answer a message, apart from the answering (light to import at start)."""

from __future__ import annotations

import enum


class Mode(enum.StrEnum):
    """How to respond to a message."""

    REPLY = "reply"
    REPLY_ALL = "reply-all"
    FORWARD = "forward"  # inline, attachments kept
    FORWARD_ATTACHED = "forward-attached"  # the whole message as an attachment
