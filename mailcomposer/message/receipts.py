"""Receipts a sender can ask for: read receipts (RFC 8098) and delivery notifications (RFC 3461)."""

from __future__ import annotations

from collections.abc import Iterable

from mailcomposer.i18n import _
from mailcomposer.message.errors import InputError

__all__ = ["DEFAULT_NOTIFY", "NOTIFY_CHOICES", "READ_RECEIPT_HEADER", "parse_notify"]

# RFC 8098 §2.1: where the recipient's mail program sends the read receipt.
READ_RECEIPT_HEADER = "Disposition-Notification-To"
# RFC 3461 §4.1: NOTIFY=NEVER or a comma-separated list of these.
NOTIFY_CHOICES = ("SUCCESS", "FAILURE", "DELAY")
DEFAULT_NOTIFY = ("SUCCESS", "FAILURE")


def parse_notify(value: str | Iterable[str]) -> tuple[str, ...]:
    """Return the NOTIFY conditions chosen, upper case, in RFC order, once each.

    Args:
        value: ``"success,failure"`` or a list of condition names; empty means none.

    Raises:
        InputError: a name that is not success, failure or delay.
    """
    words = value.split(",") if isinstance(value, str) else list(value)
    chosen = {word.strip().upper() for word in words if word.strip()}
    unknown = sorted(chosen - set(NOTIFY_CHOICES))
    if unknown:
        raise InputError(
            "dsn",
            _("“{value}” is not a delivery notification: use success, failure or delay").format(
                value=unknown[0].lower()
            ),
            unknown[0],
        )
    return tuple(name for name in NOTIFY_CHOICES if name in chosen)
