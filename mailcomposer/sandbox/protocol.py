"""The lab's SMTP dialogue: aiosmtpd's server with the sandbox's switches, faults and drops."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiosmtpd.smtp import SMTP

from mailcomposer.sandbox.config import ENHANCED_CODE, Reply, SandboxConfig
from mailcomposer.sandbox.greylist import Greylist

MUST_STARTTLS = "530 5.7.0 Must issue a STARTTLS command first"
AUTH_REQUIRED = "530 5.7.0 Authentication required"
NO_SERVICE = "503 5.5.1 No service here: only QUIT is accepted"
# RFC 3207 §4: what a client may say before STARTTLS when TLS is required.
ALLOWED_BEFORE_TLS = frozenset({"EHLO", "HELO", "NOOP", "RSET", "QUIT", "STARTTLS"})
SYNTAX = {
    "EHLO": "EHLO <hostname>",
    "HELO": "HELO <hostname>",
    "STARTTLS": "STARTTLS",
    "AUTH": "AUTH <mechanism> [<initial response>]",
    "MAIL": "MAIL FROM:<address> [SP <parameters>]",
    "RCPT": "RCPT TO:<address>",
    "DATA": "DATA, then the message, then a line with a single dot",
    "RSET": "RSET",
    "NOOP": "NOOP",
    "VRFY": "VRFY <address>",
    "EXPN": "EXPN <list>",
    "HELP": "HELP [<command>]",
    "QUIT": "QUIT",
}
# Enhanced status codes (RFC 3463) for aiosmtpd's own replies that carry none.
_DETAIL = {
    ("MAIL", 250): "2.1.0",
    ("RCPT", 250): "2.1.5",
    221: "2.0.0",
    250: "2.0.0",
    454: "4.7.0",
    500: "5.5.2",
    501: "5.5.4",
    502: "5.5.1",
    503: "5.5.1",
    504: "5.5.4",
    552: "5.3.4",
    553: "5.1.3",
    555: "5.5.4",
}
MAX_KNOWN = 10_000
_PARAMETER = re.compile(r"\b(SIZE=(\d*)|BODY=8BITMIME|SMTPUTF8)\b")


class LabState:
    """What the connections of one server share.

    Attributes:
        config: the switches in force.
        greylist: the pairs seen so far.
        known: recipients that have received mail (VRFY answers 250 for them).
        armed: false while the server is starting, so the readiness probe of
            aiosmtpd's controller is not greeted with a CONNECT fault.
    """

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.greylist = Greylist(config.greylist_delay)
        self.known: set[str] = set()
        self.armed = False

    def remember(self, recipients: list[str]) -> None:
        """Note recipients that received mail (bounded: a script may send to thousands)."""
        if len(self.known) > MAX_KNOWN:
            self.known.clear()
        self.known.update(r.casefold() for r in recipients)


class LabSMTP(SMTP):
    """aiosmtpd's SMTP protocol, answering the way the sandbox's config says.

    Every command passes one gate (refused session, STARTTLS required, hidden
    extension) before its own handling; each stage then applies its delay, drop
    and fault before aiosmtpd's normal answer.
    """

    def __init__(self, handler: Any, *, state: LabState, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self.state = state
        self.config = state.config
        self._command: str | None = None
        self._greeted = False
        self._refused = False
        self._close_after_reply = False
        # WORKAROUND: aiosmtpd has no hook before a command runs; its dispatch table
        # (built in __init__ from the smtp_* methods) is where every command passes.
        self._smtp_methods = {
            name: self._gated(name, method) for name, method in self._smtp_methods.items()
        }

    # -- the gate and the stages --

    @property
    def secure(self) -> bool:
        """True once the connection is encrypted (after STARTTLS, or from the start)."""
        return self.config.implicit_tls or self._tls_protocol is not None

    def _gated(self, command: str, method: Callable[[Any], Awaitable[None]]) -> Any:
        async def gate(arg: Any) -> None:
            self._command = command
            refusal = self._gate_refusal(command)
            if refusal:
                await self.push(refusal)
                return
            await method(arg)

        return gate

    def _gate_refusal(self, command: str) -> str | None:
        config = self.config
        if self._refused and command != "QUIT":
            return NO_SERVICE
        if config.require_starttls and not self.secure and command not in ALLOWED_BEFORE_TLS:
            return MUST_STARTTLS
        if command == "STARTTLS":
            if self.secure:
                return "503 5.5.1 TLS is already active"
            if not config.tls or "STARTTLS" in config.hidden:
                return "502 5.5.1 STARTTLS is not offered by this server"
        if command == "AUTH" and (config.auth is None or "AUTH" in config.hidden):
            return "502 5.5.1 AUTH is not offered by this server"
        if command == "HELP" and "HELP" in config.hidden:
            return "502 5.5.1 HELP is not offered by this server"
        return None

    async def _stage(self, stage: str) -> bool:
        """Apply ``stage``'s delay, drop and fault; True when the stage has been answered."""
        delay = self.config.delay(stage)
        if delay:
            await asyncio.sleep(delay)
        # A drop at DATA comes mid-message and at DOT after it: see smtp_DATA and the hook.
        if stage in self.config.drops and stage not in ("DATA", "DOT"):
            await self._drop()
        fault = self.config.fault(stage)
        if fault is None:
            return False
        await self.push(self._fault_line(fault))
        return True

    def _fault_line(self, fault: Reply) -> str:
        # 421 means "closing the connection" (RFC 5321 §3.8): do it after the reply.
        self._close_after_reply = fault.code == 421
        return fault.line

    async def _drop(self) -> None:
        """Close the connection without a word and end this session's task."""
        assert self.transport is not None and self._handler_coroutine is not None
        # abort(), not close(): a reply queued later must never reach the client.
        self.transport.abort()
        self._handler_coroutine.cancel()
        await asyncio.sleep(0)  # the cancellation lands here
        raise asyncio.CancelledError

    def _close(self) -> None:
        # As aiosmtpd's QUIT does: stop reading, close after the reply is written.
        assert self.transport is not None and self._handler_coroutine is not None
        self._handler_coroutine.cancel()
        self.transport.close()

    async def push(self, status: Any) -> None:
        if not self._greeted:
            # The first reply is the greeting: the CONNECT stage.
            self._greeted = True
            if self.state.armed and await self._stage("CONNECT"):
                if not self._close_after_reply:
                    self._refused = True  # RFC 5321 §3.1: wait for QUIT, refuse the rest
                return
        elif isinstance(status, str):
            status = self._enhanced(self._rewritten(status))
        await super().push(status)
        if self._close_after_reply:
            self._close_after_reply = False
            self._close()

    def _rewritten(self, status: str) -> str:
        if status == "552 Error: Too much mail data":
            return (
                f"552 5.3.4 Message too big: this server accepts at most "
                f"{self.config.size_limit} bytes"
            )
        return status

    def _enhanced(self, status: str) -> str:
        """Add an enhanced status code to one of aiosmtpd's plain replies (RFC 2034)."""
        if (
            "ENHANCEDSTATUSCODES" in self.config.hidden
            or self.session is None
            or not self.session.extended_smtp
            or self._command in (None, "EHLO", "HELO")
            or len(status) < 4
            or status[3] != " "
            or not status[:3].isdigit()
        ):
            return status
        code = int(status[:3])
        text = status[4:]
        if code in (220, 235, 334, 354) or ENHANCED_CODE.match(text):
            return status
        detail = _DETAIL.get((self._command, code)) or _DETAIL.get(code) or f"{code // 100}.0.0"
        return f"{code} {detail} {text}"

    # -- commands --

    async def smtp_EHLO(self, hostname: str) -> None:
        if not hostname:
            await self.push("501 5.5.4 Syntax: EHLO <hostname>")
            return
        if await self._stage("EHLO"):
            return
        self._set_rset_state()
        assert self.session is not None
        self.session.extended_smtp = True
        self.session.host_name = hostname
        lines = [f"{self.hostname} greets {hostname}", *self.keywords()]
        for line in lines[:-1]:
            await self.push(f"250-{line}")
        await self.push(f"250 {lines[-1]}")

    def keywords(self) -> list[str]:
        """The EHLO keywords offered now (they change after STARTTLS)."""
        config = self.config
        # As aiosmtpd does: room for the SIZE= and SMTPUTF8 parameters on MAIL.
        self.command_size_limits["MAIL"] = self.command_size_limit + 26 + 10
        offered = [
            ("SIZE", f"SIZE {config.size_limit}" if config.size_limit else ""),
            ("8BITMIME", "8BITMIME"),
            ("SMTPUTF8", "SMTPUTF8" if self.enable_SMTPUTF8 else ""),
            ("PIPELINING", "PIPELINING"),
            ("ENHANCEDSTATUSCODES", "ENHANCEDSTATUSCODES"),
            ("STARTTLS", "STARTTLS" if config.tls and not self.secure else ""),
            ("AUTH", self._auth_keyword()),
            ("HELP", "HELP"),
        ]
        return [line for name, line in offered if line and name not in config.hidden]

    def _auth_keyword(self) -> str:
        config = self.config
        # Never before TLS when TLS is on: the password would cross in plain text.
        if config.auth is None or (config.tls_available and not self.secure):
            return ""
        return "AUTH " + " ".join(sorted(self._auth_methods))

    async def smtp_HELO(self, hostname: str) -> None:
        if hostname and await self._stage("EHLO"):
            return
        await super().smtp_HELO(hostname)

    async def smtp_STARTTLS(self, arg: str) -> None:
        if not arg and await self._stage("STARTTLS"):
            return
        await super().smtp_STARTTLS(arg)

    async def smtp_AUTH(self, arg: str) -> None:
        if await self._stage("AUTH"):
            return
        await super().smtp_AUTH(arg)

    async def smtp_MAIL(self, arg: str | None) -> None:
        if await self._stage("MAIL"):
            return
        refusal = self._parameter_refusal(arg or "")
        if refusal:
            await self.push(refusal)
            return
        await super().smtp_MAIL(arg)

    def _parameter_refusal(self, arg: str) -> str | None:
        """Refuse MAIL parameters of hidden extensions, and a declared SIZE over the limit."""
        hidden = self.config.hidden
        for found in _PARAMETER.finditer(arg.upper()):
            name = found.group(1).partition("=")[0]
            keyword = {"BODY": "8BITMIME"}.get(name, name)
            if keyword in hidden:
                return f"555 5.5.4 {name} parameter not supported: {keyword} is not offered"
            limit = self.config.size_limit
            if name == "SIZE" and limit and found.group(2) and int(found.group(2)) > limit:
                return f"552 5.3.4 Message size exceeds fixed maximum message size ({limit} bytes)"
        return None

    async def smtp_RCPT(self, arg: str | None) -> None:
        if await self._stage("RCPT"):
            return
        await super().smtp_RCPT(arg)

    async def smtp_DATA(self, arg: str) -> None:
        if await self._stage("DATA"):
            return
        assert self.envelope is not None and self.session is not None
        ready = self.session.host_name and self.envelope.rcpt_tos and not arg
        if "DATA" in self.config.drops and ready:
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            await self._reader.read(1024)  # some of the message has arrived
            await self._drop()
        await super().smtp_DATA(arg)

    async def smtp_VRFY(self, arg: str) -> None:
        if not arg:
            await self.push("501 5.5.4 Syntax: VRFY <address>")
            return
        address = arg.strip().strip("<>")
        rejected = self.config.reject_for(address)
        if rejected is not None:
            await self.push(rejected.line)
        elif address.casefold() in self.state.known:
            await self.push(f"250 2.1.5 <{address}>")
        else:
            await self.push(
                "252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery"
            )

    async def smtp_EXPN(self, arg: str) -> None:
        await self.push("502 5.5.1 EXPN is not available: list members are private")

    async def smtp_HELP(self, arg: str) -> None:
        commands = [c for c in SYNTAX if self._gate_refusal(c) is None or c == "QUIT"]
        if arg:
            topic = arg.strip().upper()
            if topic in commands:
                await self.push(f"214 2.0.0 Syntax: {SYNTAX[topic]}")
            else:
                await self.push("504 5.5.4 No help for that; try HELP without a topic")
            return
        await self.push("214-2.0.0 mailcomposer sandbox: a lab server that stores, never delivers")
        await self.push("214-2.0.0 Commands: " + " ".join(commands))
        await self.push("214 2.0.0 HELP <command> shows its syntax")

    # -- aiosmtpd's handler hooks: envelope decisions and the final dot --

    async def _call_handler_hook(self, command: str, *args: Any) -> Any:
        assert self.session is not None and self.envelope is not None
        if command == "MAIL" and self.config.auth and not self.session.authenticated:
            return AUTH_REQUIRED
        if command == "RCPT":
            refusal = self._recipient_refusal(args[0])
            if refusal:
                return refusal
        if command == "DATA":
            return await self._final_dot()
        return await super()._call_handler_hook(command, *args)

    def _recipient_refusal(self, address: str) -> str | None:
        rejected = self.config.reject_for(address)
        if rejected is not None:
            return rejected.line
        if self.config.greylist:
            assert self.envelope is not None
            wait = self.state.greylist.check(self.envelope.mail_from or "", address)
            if wait is not None:
                return self.state.greylist.reply(wait)
        return None

    async def _final_dot(self) -> Any:
        """The DOT stage: the whole message is in; store it and answer (or not)."""
        delay = self.config.delay("DOT")
        if delay:
            await asyncio.sleep(delay)
        fault = self.config.fault("DOT")
        if fault is not None:
            return self._fault_line(fault)  # refused: not stored
        status = await super()._call_handler_hook("DATA")
        assert self.envelope is not None
        self.state.remember(self.envelope.rcpt_tos)
        if "DOT" in self.config.drops:
            # Stored, then silence: the client cannot know (its "outcome unknown" case).
            await self._drop()
        return status
