"""Make the email parser's end-of-line search look at a part's last characters only.

``email.feedparser`` trims the line end of each part with
``NLCRE_eol.search(payload)``, a ``(\\r\\n|\\r|\\n)\\Z`` search that tries every
position of the payload: about 0.2 s for a 25 MiB attachment, all of it in one C
call holding the GIL, so a window parsing on a worker thread froze that long. A
match can only start in the last two characters, so searching from there finds
the same match. ``install()`` swaps the module's pattern for one that does.
"""

from __future__ import annotations

import email.feedparser as _feedparser
import re


class TailSearch:
    """A compiled pattern whose ``search`` starts at the last ``reach`` characters.

    Only right for patterns anchored at the end (``\\Z``) whose match is at most
    ``reach`` characters long.
    """

    def __init__(self, pattern: re.Pattern[str], reach: int) -> None:
        self.pattern, self.reach = pattern, reach

    def search(self, string: str, pos: int = 0, endpos: int | None = None):
        """``pattern.search`` from ``len(string) - reach`` (or ``pos`` if later)."""
        end = len(string) if endpos is None else min(endpos, len(string))
        return self.pattern.search(string, max(pos, end - self.reach), end)

    def __getattr__(self, name: str):
        return getattr(self.pattern, name)


def install() -> bool:
    """Swap ``email.feedparser.NLCRE_eol`` for its tail search; True if it is in place."""
    current = getattr(_feedparser, "NLCRE_eol", None)
    if isinstance(current, TailSearch):
        return True
    if not isinstance(current, re.Pattern) or current.pattern != r"(\r\n|\r|\n)\Z":
        return False  # another Python: leave it as it is
    _feedparser.NLCRE_eol = TailSearch(current, 2)
    return True
