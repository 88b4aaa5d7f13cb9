"""Turns protocol lines into redacted ``TranscriptEvent``s: secrets masked, replies explained."""

from __future__ import annotations

import base64
import binascii
import re
import time
from collections.abc import Callable

from mailcomposer.i18n import _, sentences
from mailcomposer.message.addresses import envelope_key
from mailcomposer.smtp.explain import explain_command_full, explain_reply_full
from mailcomposer.smtp.keywords import Explanation, capability_diff, explain_keyword
from mailcomposer.smtp.rfc import Ref, ref
from mailcomposer.smtp.transcript import Direction, TranscriptEvent

__all__ = ["MASK", "EventCallback", "Recorder", "mask_command", "summarise_challenge"]

MASK = "****"

EventCallback = Callable[[TranscriptEvent], None]


class Recorder:
    """Turns protocol lines into ``TranscriptEvent``s, masking what must never be shown.

    Attributes:
        secure: True once the connection is inside TLS (stamped on each event).
        last_command: the verb of the last client command (to explain its reply).
        in_auth: True during an AUTH exchange: every client line is a secret by default.
        origins: envelope address (its ``envelope_key``) -> the field it came from (``to``,
            ``cc``, ``bcc``), so each RCPT line can say which.
        reveal_login: show the AUTH lines as sent, each decoded — set by the session
            only for the built-in local server when the student asks.
    """

    def __init__(self, on_event: EventCallback) -> None:
        self._on_event = on_event
        self.secure = False
        self.last_command = ""
        self._mask_next: str | None = None
        self.in_auth = False
        self.origins: dict[str, str] = {}
        self._sent_at: float | None = None
        self._starttls_done = False
        self._keywords_before_tls: list[str] | None = None
        self._keywords: list[str] = []
        self.reveal_login = False

    def emit(
        self,
        direction: Direction,
        text: str,
        code: int | None = None,
        expl: str = "",
        refs: tuple[Ref, ...] = (),
        elapsed: float | None = None,
        detail: str = "",
    ) -> None:
        self._on_event(
            TranscriptEvent(
                time.monotonic(), direction, text, code, expl, self.secure, refs, elapsed, detail
            )
        )

    def note(self, text: str, refs: tuple[Ref, ...] = (), detail: str = "") -> None:
        """Record a local note; ``detail`` is text a reader may unfold under it."""
        self.emit(Direction.NOTE, text, refs=refs, detail=detail)

    def mask_next(self, shown: str) -> None:
        """Show ``shown`` instead of the next client line."""
        self._mask_next = shown

    def client(self, line: str) -> None:
        if self.reveal_login and (self.in_auth or self._mask_next is not None):
            self._mask_next = None
            self._sent_at = time.monotonic()
            decoded = decode_login_line(line)
            expl = _("Decoded (the built-in server's test login): {text}").format(text=decoded)
            self.emit(Direction.CLIENT, line, expl=expl, refs=(ref(4954, "4"), ref(4616, "2")))
            return
        if self._mask_next is not None:
            shown, self._mask_next = self._mask_next, None
        elif self.in_auth:
            shown = MASK  # anything sent inside an AUTH exchange is a secret by default
        else:
            shown = mask_command(line)
        verb = shown.split(" ", 1)[0].upper()
        if not self.in_auth:
            self.last_command = "." if shown == "." else verb
        login_data = self.in_auth and not shown.upper().startswith("AUTH")
        after_tls = self._starttls_done and verb in ("EHLO", "HELO")
        origin = self._origin(shown) if verb == "RCPT" else None
        explained = explain_command_full(
            shown, login_data=login_data, mask=MASK, after_tls=after_tls, origin=origin
        )
        if origin:
            explained = _origin_first(explained, explain_command_full(shown).text)
        self._sent_at = time.monotonic()
        self.emit(Direction.CLIENT, shown, expl=explained.text, refs=explained.refs)

    def _origin(self, line: str) -> str | None:
        match = re.search(r"<([^<>]*)>", line)
        return self.origins.get(envelope_key(match[1])) if match else None

    def server(self, code: int, lines: list[str], complete: bool = True) -> None:
        """Record one reply's lines; an incomplete reply (cut off) is explained nowhere.

        The lines of an EHLO reply after the greeting are each explained as the
        extension they announce; the last line of a reply also gets the reply's
        meaning and the time since its command was sent.
        """
        ehlo = code == 250 and self.last_command == "EHLO"
        elapsed = None if self._sent_at is None else time.monotonic() - self._sent_at
        for index, line in enumerate(lines):
            last = complete and index == len(lines) - 1
            text = f"{code}{' ' if last else '-'}{line}" if line else str(code)
            if code == 334:
                text = f"334 {summarise_challenge(line)}"
            parts: list[Explanation] = []
            if ehlo and index > 0:
                parts.append(explain_keyword(line))
            if last:
                parts.append(explain_reply_full(code, line, self.last_command))
            expl = sentences(*(p.text for p in parts))
            refs = tuple(dict.fromkeys(r for p in parts for r in p.refs))
            self.emit(Direction.SERVER, text, code, expl, refs, elapsed if last else None)
        if complete:
            self._sent_at = None
        if ehlo and complete:
            self._after_ehlo([line for line in lines[1:] if line.strip()])
        if code == 220 and self.last_command == "STARTTLS":
            self._starttls_done = True
            self._keywords_before_tls = self._keywords

    def _after_ehlo(self, keywords: list[str]) -> None:
        self._keywords = keywords
        if self._starttls_done and self._keywords_before_tls is not None:
            diff = capability_diff(self._keywords_before_tls, keywords)
            self._keywords_before_tls = None  # said once, after the second EHLO
            self.note(diff.describe(), (ref(3207, "4.2"),))

    def unparsable(self, line: str) -> None:
        """Record a server line that is not an SMTP reply, exactly as it came."""
        explained = explain_reply_full(-1, line)
        self.emit(Direction.SERVER, line, expl=explained.text, refs=explained.refs)


def _origin_first(explained: Explanation, generic: str) -> Explanation:
    """Put what is particular to this RCPT (its field) before what every RCPT means.

    A log line cut at the window's edge, and a reader skimming, then still see it.
    """
    text = explained.text
    if generic and text.startswith(generic) and len(text) > len(generic):
        text = f"{text[len(generic) :].strip()} {generic}"
    return Explanation(text, explained.refs)


_AUTH_LINE = re.compile(r"^(AUTH\s+\S+)(\s+\S.*)?$", re.IGNORECASE)


def mask_command(line: str) -> str:
    """Mask the secret part of a client command line (``AUTH PLAIN ****``)."""
    match = _AUTH_LINE.match(line)
    if match:
        return match.group(1).upper() + (f" {MASK}" if match.group(2) else "")
    return line


def decode_login_line(line: str) -> str:
    """A login line's base64 shown decoded, NUL bytes written ``\\0`` (``AUTH PLAIN …``)."""
    words = line.split()
    decoded = []
    for word in words:
        try:
            raw = base64.b64decode(word, validate=True)
            text = raw.decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            decoded.append(word)
            continue
        decoded.append(repr(text)[1:-1].replace("\\x00", "\\0") if text else "''")
    return " ".join(decoded)


def summarise_challenge(payload: str) -> str:
    """Return a 334 challenge as shown in the transcript: decoded if short text, else a count."""
    payload = payload.strip()
    if not payload:
        return _("(waiting for the login data)")
    try:
        decoded = base64.b64decode(payload, validate=True).decode("ascii").rstrip("\x00")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        decoded = ""
    if decoded and decoded.isprintable() and len(decoded) <= 80 and "{" not in decoded:
        return _("(challenge: {text})").format(text=decoded)
    return _("(challenge, {n} characters)").format(n=len(payload))
