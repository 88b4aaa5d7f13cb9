"""Greylisting as in RFC 6647: defer a sender/recipient pair once, accept its retry."""

from __future__ import annotations

import time
from collections.abc import Callable

GREYLISTED = "451 4.7.1 Recipient greylisted, try again later"
# A lab server meets few pairs; the cap only keeps a runaway script from growing memory.
MAX_PAIRS = 10_000


class Greylist:
    """Remembers when each (sender, recipient) pair was first seen.

    The first attempt of a pair is always deferred; a retry passes once ``delay``
    seconds have gone by since that first attempt (at once when ``delay`` is 0),
    and the pair then stays accepted.

    Attributes:
        delay: seconds a pair must wait after its first attempt.
    """

    def __init__(self, delay: float = 0.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.delay = delay
        self._clock = clock
        self._first_seen: dict[tuple[str, str], float] = {}

    def check(self, sender: str, recipient: str) -> float | None:
        """Record an attempt; return ``None`` to accept it, else the seconds still to wait."""
        key = (sender.casefold(), recipient.casefold())
        now = self._clock()
        first = self._first_seen.get(key)
        if first is None:
            if len(self._first_seen) >= MAX_PAIRS:
                self._first_seen.clear()
            self._first_seen[key] = now
            return self.delay
        waited = now - first
        return None if waited >= self.delay else self.delay - waited

    def reply(self, wait: float) -> str:
        """The 451 reply for an attempt that must still wait ``wait`` seconds."""
        if wait >= 1:
            return f"{GREYLISTED} (in {int(wait + 0.999)} s)"
        return GREYLISTED
