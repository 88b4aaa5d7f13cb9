"""The message's way over an open connection: MAIL, RCPT, DATA streamed in chunks, the final dot.

A step of ``session.Connection`` (a mixin: the state it uses is the connection's, listed
on ``MessageSteps``). The body goes out through ``wire.data_chunks()`` in ``CHUNK_SIZE``
pieces, each bounded by the command timeout, with progress and a cancel check between
pieces (``data()`` would be one unbounded ``sendall``, docs/pitfalls.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from mailcomposer.i18n import _
from mailcomposer.message.sizes import format_size
from mailcomposer.message.wire import CHUNK_SIZE
from mailcomposer.smtp.dsn import dsn_request
from mailcomposer.smtp.errors import (
    ExitCode,
    Refusal,
    SendError,
    SendResult,
    Stage,
    error_from_reply,
)
from mailcomposer.smtp.explain import explain_dot_stuffing
from mailcomposer.smtp.origins import recipient_origins
from mailcomposer.smtp.preview import preview_wire
from mailcomposer.smtp.recorder import Recorder
from mailcomposer.smtp.rfc import ref
from mailcomposer.smtp.settings import ServerSettings
from mailcomposer.smtp.step import TransactionReset
from mailcomposer.smtp.transport import Transport

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from typing import Protocol
else:
    Protocol = object  # the protocols here are for type checkers only

__all__ = ["CHUNK_SIZE", "Built", "MessageSteps", "ProgressCallback", "Wire"]

_CRLF = b"\r\n"

ProgressCallback = Callable[[int, int], None]


class Wire(Protocol):
    """The message's bytes as they go on the wire (``message.mime``'s wire form)."""

    size: int

    def data_chunks(self, chunk_size: int = ...) -> Iterable[bytes]: ...


class Envelope(Protocol):
    sender: str
    recipients: tuple[str, ...]
    smtputf8: bool
    notify: tuple[str, ...]


class Built(Protocol):
    """A built message (``message.mime.BuiltMessage``): envelope, id and wire form."""

    envelope: Envelope
    message_id: str

    def summary(self) -> str: ...

    def wire(self, eight_bit: bool = ...) -> Wire: ...


class MessageSteps:
    """The transfer steps of ``session.Connection``.

    Attributes (the connection's):
        settings: the server settings (timeouts).
        stage: where the send is; set here as each command goes out.
        final_dot_sent: set the moment the final dot goes out (from then on any loss
            means the outcome is unknown).
        accepted: set when the server answered 250 to the final dot.
        capabilities: what the server offers (property of the connection).
    """

    settings: ServerSettings
    stage: Stage
    final_dot_sent: bool
    accepted: bool
    in_transaction: bool
    _client: Transport
    _recorder: Recorder
    # and from the connection: capabilities, _check_cancel(), _quietly(command),
    # _pause(line, stage) (``step.StepSteps``: the gate, a no-op without one)

    def _transfer(self, built: Built, on_progress: ProgressCallback | None) -> SendResult:
        envelope = built.envelope
        offered = self.capabilities
        if envelope.smtputf8 and not offered.smtputf8:
            raise SendError(
                Stage.MAIL,
                ExitCode.INPUT,
                _(
                    "An address has non-ASCII characters before the @, and this server "
                    "does not support SMTPUTF8. Nothing was sent; use an ASCII address."
                ),
                field="to",
            )
        eight_bit = offered.eightbitmime
        wire = built.wire(eight_bit=eight_bit)
        limit = offered.size_limit
        if limit and wire.size > limit:
            # Not refused here: the server decides, and says so with 552 to MAIL
            # FROM's SIZE= (RFC 1870 §6) before anything is uploaded. The pre-send
            # checks already warned the user, who chose to go on.
            self._recorder.note(
                _(
                    "The message is {size} after encoding and this server accepts at most "
                    "{limit}: it will probably refuse it when MAIL FROM declares the size."
                ).format(size=format_size(wire.size), limit=format_size(limit)),
                (ref(1870, "6"),),
            )

        options = []
        if limit is not None:
            options.append(f"SIZE={wire.size}")
        if eight_bit:
            options.append("BODY=8BITMIME")
        if envelope.smtputf8:
            options.append("SMTPUTF8")
            self._client.command_encoding = "utf-8"  # smtplib encodes commands as ASCII otherwise
        dsn = dsn_request(getattr(envelope, "notify", ()), offered.dsn, built.message_id)
        if dsn.note:
            self._recorder.note(dsn.note, dsn.refs)
        options.extend(dsn.mail)
        self._recorder.origins = recipient_origins(built)  # each RCPT says To, Cc or Bcc
        while True:
            try:
                accepted, refused = self._open_transaction(envelope, options, list(dsn.rcpt))
                break
            except TransactionReset:
                continue  # an RSET the student typed: the server forgot MAIL and RCPT

        self.stage = Stage.UPLOAD
        sent = self._upload(wire, built.summary(), on_progress)

        self.stage = Stage.FINAL_DOT
        self._pause(".", Stage.FINAL_DOT)
        code, text = self._final_dot()
        if code != 250:
            raise error_from_reply(Stage.FINAL_DOT, code, text)
        final_reply = f"{code} {text.decode('utf-8', 'replace')}"
        self.accepted = True
        self.in_transaction = False
        self._recorder.note(_("Message accepted by the server."))
        return SendResult(
            message_id=built.message_id,
            accepted=tuple(accepted),
            refused=tuple(refused),
            size=sent,
            final_reply=final_reply,
        )

    def _open_transaction(
        self, envelope: Envelope, options: list[str], rcpt_options: list[str]
    ) -> tuple[list[str], list[Refusal]]:
        """MAIL, each RCPT, DATA up to the 354; return the accepted and refused recipients.

        Raises:
            TransactionReset: an RSET typed at a pause ended the transaction.
        """
        self.stage = Stage.MAIL
        arguments = f"FROM:<{envelope.sender}>" + _opts(options)
        self._pause(f"MAIL {arguments}", Stage.MAIL)
        code, text = self._client.docmd("MAIL", arguments)
        if code != 250:
            raise error_from_reply(Stage.MAIL, code, text)
        self.in_transaction = True
        self._check_cancel()

        self.stage = Stage.RCPT
        accepted: list[str] = []
        refused: list[Refusal] = []
        for rcpt in envelope.recipients:
            arguments = f"TO:<{rcpt}>" + _opts(rcpt_options)
            self._pause(f"RCPT {arguments}", Stage.RCPT)
            code, text = self._client.docmd("RCPT", arguments)
            if code in (250, 251):
                accepted.append(rcpt)
            elif code == 421:
                raise error_from_reply(Stage.RCPT, code, text)
            else:
                refused.append(Refusal(rcpt, code, text.decode("utf-8", "replace")))
            self._check_cancel()
        if not accepted:
            self._quietly("RSET")  # the step's failure handling says QUIT
            listing = "; ".join(f"{r.address} ({r.code} {r.text})" for r in refused)
            first = refused[0] if refused else None
            raise SendError(
                Stage.RCPT,
                ExitCode.REFUSED,
                _("The server refused every recipient; nothing was sent: {listing}").format(
                    listing=listing
                ),
                code=first.code if first else None,
                server_text=first.text if first else "",
                detail=listing,
            )

        self.stage = Stage.DATA
        self._pause("DATA", Stage.DATA)
        code, text = self._client.docmd("DATA")
        if code != 354:
            raise error_from_reply(Stage.DATA, code, text)
        self._check_cancel()
        return accepted, refused

    def _upload(self, wire: Wire, contents: str, progress: ProgressCallback | None) -> int:
        total = wire.size
        summary = _("DATA: {size} bytes — {summary}").format(size=f"{total:,}", summary=contents)
        # What goes out, for the reader to unfold: read before streaming, bounded.
        preview = preview_wire(wire)
        self._recorder.note(summary, detail=preview.text if preview else "")
        if preview and preview.dot_lines:
            stuffing = explain_dot_stuffing(preview.dot_lines)
            self._recorder.note(stuffing.text, stuffing.refs)
        sock = self._client.sock
        assert sock is not None
        sent = 0
        tail = b""
        if progress is not None:
            progress(0, total)
        for chunk in wire.data_chunks(CHUNK_SIZE):
            self._check_cancel()
            if not chunk:
                continue
            # sock timeout is the per-command timeout: it bounds each chunk, not the whole.
            sock.sendall(chunk)
            sent += len(chunk)
            tail = chunk[-2:] if len(chunk) >= 2 else (tail + chunk)[-2:]
            if progress is not None:
                progress(min(sent, total), total)
        self._check_cancel()
        if sent and tail != _CRLF:
            sock.sendall(_CRLF)  # the final dot must start a line of its own
        return min(sent, total) if total else sent

    def _final_dot(self) -> tuple[int, bytes]:
        sock = self._client.sock
        assert sock is not None
        self._recorder.client(".")
        # From here on the server may hold the whole message: any loss is "unknown".
        self.final_dot_sent = True
        sock.sendall(b".\r\n")
        # Servers scan the whole message before answering: this reply has its own wait.
        return self._client.read_reply(wait=self.settings.timeouts.final_dot)


def _opts(options: list[str]) -> str:
    return "".join(f" {o}" for o in options)
