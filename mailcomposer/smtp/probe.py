"""Connection test: connect, greet, secure, log in and quit (no mail), then say what it means."""

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from mailcomposer.i18n import _
from mailcomposer.message.sizes import format_size
from mailcomposer.smtp import tls
from mailcomposer.smtp.errors import ExitCode, SendError, Stage, stage_phrase
from mailcomposer.smtp.session import CancelToken, Capabilities, open_session
from mailcomposer.smtp.settings import Secret, Security, ServerSettings, Timeouts
from mailcomposer.smtp.transcript import Direction, TranscriptEvent

EventCallback = Callable[[TranscriptEvent], None]

# The order a session goes through; a failure at one stage means the earlier ones passed.
STAGE_ORDER = (Stage.CONNECT, Stage.GREETING, Stage.EHLO, Stage.STARTTLS, Stage.AUTH, Stage.QUIT)

DEFAULT_CANDIDATES: tuple[tuple[int, Security], ...] = (
    (465, Security.TLS),
    (587, Security.STARTTLS),
    (25, Security.STARTTLS),
)

# Auto-detection tries several ports: a silent one must not hold the user for minutes.
AUTODETECT_TIMEOUTS = Timeouts(connect=10.0, command=10.0, final_dot=10.0)


# Connection facts that ``report_to_dict`` keeps out of its "capabilities" object.
_TLS_FIELDS = frozenset({"tls_version", "tls_cipher", "certificate"})


@dataclass(frozen=True)
class ConnectionReport:
    """The outcome of one connection test.

    Attributes:
        settings: what was tested.
        ok: every stage passed (and login succeeded, if a user name was set).
        stages: the stages that passed, in order.
        capabilities: what the server announced (the EHLO inside TLS when there was one)
            and the TLS session (``extensions`` and the ``tls_*`` properties read it).
        mechanism: the AUTH mechanism used (empty when no login happened).
        error: why it failed.
        provider_note: what the provider says about logging in (e.g. QQ's 授权码), given
            by the caller, who knows the presets; added to the advice after a login
            failure.
    """

    settings: ServerSettings
    ok: bool
    stages: tuple[Stage, ...] = ()
    capabilities: Capabilities | None = None
    mechanism: str = ""
    error: SendError | None = field(default=None, compare=False)
    provider_note: str = ""

    @property
    def extensions(self) -> Capabilities | None:
        """What the last EHLO announced, None when no EHLO was answered."""
        caps = self.capabilities
        return caps if caps is not None and caps.names else None

    @property
    def tls_version(self) -> str:
        return self.capabilities.tls_version if self.capabilities else ""

    @property
    def tls_cipher(self) -> str:
        return self.capabilities.tls_cipher if self.capabilities else ""

    @property
    def certificate(self) -> tls.CertificateInfo | None:
        return self.capabilities.certificate if self.capabilities else None

    @property
    def exit_code(self) -> ExitCode:
        """0 when it worked, else the exit code of the failure (as ``send`` would)."""
        if self.ok or self.error is None:
            return ExitCode.OK
        return self.error.exit_code

    @property
    def untrusted_certificate(self) -> tls.CertificateInfo | None:
        """The certificate the user may choose to trust, when that was the failure."""
        if self.error is None:
            return None
        return getattr(self.error, "certificate", None)

    @property
    def where(self) -> str:
        return f"{self.settings.host}:{self.settings.effective_port}"

    def verdict_lines(self) -> list[str]:
        """Return translated sentences: what worked, the server's limits, what to change."""
        s = self.settings
        lines: list[str] = []
        if self.ok:
            lines.append(
                _("The connection test to {where} ({security}) succeeded; no mail was sent.")
                .format(where=self.where, security=s.security.value)
            )  # fmt: skip
        else:
            lines.append(
                _("The connection test to {where} ({security}) failed.").format(
                    where=self.where, security=s.security.value
                )
            )
        lines.extend(self._worked_lines())
        if self.extensions is not None:
            lines.extend(self._extension_lines(self.extensions))
        if not self.ok and self.error is not None:
            lines.extend(self._failure_lines(self.error))
        elif self.ok:
            lines.append(_("Verdict: you can send with these settings."))
        return lines

    def _worked_lines(self) -> list[str]:
        s, passed = self.settings, set(self.stages)
        lines = []
        if Stage.GREETING in passed:
            lines.append(_("✓ The server answered and greeted us."))
        if self.tls_version:
            lines.append(
                _("✓ The connection is encrypted ({version}, {cipher}).").format(
                    version=self.tls_version, cipher=self.tls_cipher or "?"
                )
            )
            if self.certificate is not None:
                lines.append(
                    _("✓ Certificate: {subject}, issued by {issuer}, SHA-256 {fingerprint}.")
                    .format(
                        subject=self.certificate.subject or "-",
                        issuer=self.certificate.issuer or "-",
                        fingerprint=self.certificate.sha256,
                    )
                )  # fmt: skip
        elif Stage.EHLO in passed and s.security is Security.NONE and s.is_loopback:
            lines.append(_("✓ Not encrypted, which is fine: the server is on this computer."))
        elif Stage.EHLO in passed and s.security is Security.NONE:
            lines.append(
                _(
                    "! The connection is not encrypted (security “none”): anyone on the "
                    "network can read the password and the mail. Use it only for a server "
                    "on this computer or in a lab."
                )
            )
        if self.mechanism:
            lines.append(
                _("✓ Logged in as {user} with AUTH {mechanism}.").format(
                    user=s.username, mechanism=self.mechanism
                )
            )
        elif self.ok and s.username:
            lines.append(
                _("✓ No login is needed: the server offers none, so {user} did not log in.")
                .format(user=s.username)
            )  # fmt: skip
        elif self.ok and not s.username:
            if self.extensions is not None and self.extensions.auth:
                lines.append(
                    _(
                        "! No login was tried (no user name set), but the server offers "
                        "one; most servers only relay mail for logged-in users."
                    )
                )
            else:
                lines.append(_("✓ No login is needed (no user name set)."))
        return lines

    def _extension_lines(self, ext: Capabilities) -> list[str]:
        lines = []
        if ext.size_limit:
            # base64 makes attachments about 37% larger on the wire.
            lines.append(
                _(
                    "Size limit: {limit} per message (attachments grow by about a "
                    "third when encoded, so about {files} of files)."
                ).format(
                    limit=format_size(ext.size_limit), files=format_size(int(ext.size_limit / 1.37))
                )
            )
        elif ext.size_limit == 0:
            lines.append(_("Size limit: the server announces SIZE without a fixed limit."))
        else:
            lines.append(_("Size limit: the server does not announce one."))
        if ext.auth:
            lines.append(
                _("Login methods offered: {mechanisms}.").format(mechanisms=", ".join(ext.auth))
            )
        features = [
            ("8BITMIME", ext.eightbitmime, _("8-bit text without re-encoding")),
            ("SMTPUTF8", ext.smtputf8, _("non-ASCII addresses such as 张三@例子.中国")),
            ("PIPELINING", ext.pipelining, _("several commands at once")),
            ("DSN", ext.dsn, _("delivery status notifications")),
            ("CHUNKING", ext.chunking, _("BDAT chunked upload")),
        ]
        # Inside TLS a server no longer announces STARTTLS (RFC 3207 forbids a second
        # one): after STARTTLS it worked, after implicit TLS it does not apply.
        if self.settings.security is Security.STARTTLS and self.tls_version:
            features.append(("STARTTLS", True, _("upgrade to encryption")))
        elif not self.tls_version:
            features.append(("STARTTLS", ext.starttls, _("upgrade to encryption")))
        have = [f"{name} ({what})" for name, on, what in features if on]
        missing = [name for name, on, _what in features if not on]
        if have:
            lines.append(_("Supported: {list}.").format(list="; ".join(have)))
        if missing:
            lines.append(_("Not supported: {list}.").format(list=", ".join(missing)))
        return lines

    def mismatch_hint(self) -> str:
        """Return the advice when the security setting does not match the port, else ''."""
        error, s = self.error, self.settings
        if error is None:
            return ""
        detail = (error.detail or "").upper()
        # After a STARTTLS the same error means the server said yes and then did not
        # speak TLS: the security is already right (see advice()).
        wrong_version = "WRONG_VERSION_NUMBER" in detail or "RECORD_LAYER" in detail
        if wrong_version and s.security is Security.TLS:
            return _(
                "WRONG_VERSION_NUMBER: this port expects STARTTLS (or plain text), not "
                "TLS from the first byte. Change the security to STARTTLS (usually port "
                "587) instead of TLS."
            )
        # Only silence is what a port waiting for TLS gives; a reply (a 421, or text
        # that is no SMTP) came in plain text, so TLS is not the answer to it.
        silent = error.code is None and not error.server_text
        if error.stage is Stage.GREETING and s.security is not Security.TLS and silent:
            return _(
                "Port {port} did not greet in plain text: it probably expects TLS from "
                "the first byte. Change the security to TLS (usually port 465)."
            ).format(port=s.effective_port)
        return ""

    def _failure_lines(self, error: SendError) -> list[str]:
        lines = [
            _("✗ Failed {where}: {message}").format(
                where=stage_phrase(error.stage), message=error.user_message
            )
        ]
        if error.code:
            lines.append(
                _("The server said: {code} {text}").format(code=error.code, text=error.server_text)
            )
        lines.extend(self.advice())
        return lines

    def advice(self) -> list[str]:
        """Return what to change after a failure, in translated sentences (none if it worked)."""
        error, s = self.error, self.settings
        if self.ok or error is None:
            return []
        port = s.effective_port
        hint = self.mismatch_hint()
        if hint:
            return [hint]
        if error.stage is Stage.GREETING and error.code is not None:
            return [
                _(
                    "What to change: nothing in these settings: the server turned the "
                    "connection away at once ({code}). A 4xx code means it is busy or "
                    "limiting connections: try again later; a 5xx code means it takes no "
                    "mail from this address or network: ask its administrator."
                ).format(code=error.code)
            ]
        if error.exit_code is ExitCode.CONNECTION and error.stage is Stage.CONNECT:
            return [
                _(
                    "What to change: check the server name and port {port}; a firewall or "
                    "your network may block it (many networks block port 25). Auto-detect "
                    "tries the usual ports."
                ).format(port=port)
            ]
        if self.untrusted_certificate is not None:
            return [_certificate_advice(self.untrusted_certificate, s.host)]
        if error.exit_code is ExitCode.TLS and error.stage is Stage.STARTTLS:
            if self.extensions is not None and self.extensions.starttls:
                return [self._starttls_failed_advice(error)]
            return [
                _(
                    "What to change: this port does not offer STARTTLS; try TLS on port 465, "
                    "or ask the administrator which port offers encryption."
                )
            ]
        if error.exit_code is ExitCode.AUTH:
            lines = [
                _(
                    "What to change: check the user name (often the full e-mail address) "
                    "and the password."
                )
            ]
            if self.provider_note:
                lines.append(self.provider_note)
            return lines
        return []

    @staticmethod
    def _starttls_failed_advice(error: SendError) -> str:
        """What to change when STARTTLS was offered but no encryption came of it."""
        if error.code is not None:
            return _(
                "What to change: nothing in these settings: the server offers STARTTLS "
                "but refused to start it ({code}), a problem on the server's side. Try "
                "again later or TLS on port 465, or tell its administrator."
            ).format(code=error.code)
        return _(
            "What to change: the server offers STARTTLS, but no encrypted connection came "
            "of it. The server's TLS setup, or a firewall or antivirus that inspects mail "
            "on the way, is at fault: try TLS on port 465, or tell the administrator."
        )


def _certificate_advice(info: tls.CertificateInfo, host: str) -> str:
    """What to change for an untrusted certificate: what fixes its actual fault.

    A CA file cannot help a certificate that has expired, is not valid yet or names
    another server, yet that was the first thing said to do for each of them.
    """
    now = dt.datetime.now(dt.UTC)
    fingerprint = info.sha256
    if info.not_after is not None and info.not_after < now:
        return _(
            "What to change: the certificate expired on {date}; no CA file fixes that, "
            "only its renewal on the server (tell its administrator). If you know this "
            "server, you can trust this very certificate meanwhile (check the "
            "fingerprint {fingerprint} with its administrator)."
        ).format(date=f"{info.not_after:%Y-%m-%d}", fingerprint=fingerprint)
    if info.not_before is not None and info.not_before > now:
        return _(
            "What to change: the certificate is valid only from {date}: check the date, "
            "time and time zone of this computer."
        ).format(date=f"{info.not_before:%Y-%m-%d %H:%M} UTC")
    if info.names and not any(_name_matches(name, host) for name in info.names):
        return _(
            "What to change: the certificate is for {names}, not {host}: connect with one "
            "of those names. If you know this server, you can trust this very certificate "
            "instead (check the fingerprint {fingerprint} with its administrator)."
        ).format(names=", ".join(info.names), host=host, fingerprint=fingerprint)
    return _(
        "What to change: if the server uses a company or lab CA, give its CA "
        "file; if you know this server, trust its certificate (check the "
        "fingerprint {fingerprint} with its administrator)."
    ).format(fingerprint=fingerprint)


def _name_matches(name: str, host: str) -> bool:
    """``name`` from a certificate covers ``host`` (one ``*.`` label, as TLS allows)."""
    name, host = name.lower().rstrip("."), host.lower().rstrip(".").strip("[]")
    try:  # an address may be written more than one way (::1, 0:0:0:0:0:0:0:1)
        return ipaddress.ip_address(name) == ipaddress.ip_address(host)
    except ValueError:
        pass
    if name.startswith("*."):
        first, _dot, rest = host.partition(".")
        return bool(first) and rest == name[2:]
    return name == host


def _passed_before(stage: Stage, settings: ServerSettings) -> tuple[Stage, ...]:
    passed = []
    for step in STAGE_ORDER:
        if step == stage:
            break
        if step is Stage.STARTTLS and settings.security is not Security.STARTTLS:
            continue
        if step is Stage.AUTH and not settings.username:
            continue
        passed.append(step)
    return tuple(passed)


def test_connection(
    settings: ServerSettings,
    secret: Secret | None,
    *,
    on_event: EventCallback,
    cancel: CancelToken | None = None,
    provider_note: str = "",
) -> ConnectionReport:
    """Connect, EHLO, secure, log in and QUIT; no mail is sent. Blocking.

    Args:
        settings: the server to test (``pinned_sha256`` honoured as in a send).
        secret: the password or token; None tests without login.
        on_event: receives each redacted transcript event (calling thread).
        cancel: a token another thread may trigger.
        provider_note: the provider's login advice, shown after a login failure.

    Returns:
        the report; it never raises for a protocol, network or TLS failure.
    """
    error: SendError | None = None
    login_secret = secret if settings.username else None
    with open_session(settings, login_secret, on_event=on_event, cancel=cancel) as connection:
        try:
            connection.connect()
            connection.ehlo()
            connection.secure()
            connection.login()
            connection.quit()
        except SendError as exc:
            error = exc
    if error is None:
        stages = (*_passed_before(Stage.QUIT, settings), Stage.QUIT)
    else:
        stages = _passed_before(error.stage, settings)
    return ConnectionReport(
        settings=settings,
        ok=error is None,
        stages=stages,
        capabilities=connection.capabilities,
        mechanism=connection.mechanism,
        error=error,
        provider_note=provider_note,
    )


# Its name starts with "test_": keep pytest from collecting it where tests import it.
test_connection.__test__ = False  # type: ignore[attr-defined]


@dataclass(frozen=True)
class AutodetectReport:
    """What auto-detection found.

    Attributes:
        host: the server tried.
        reports: one connection report per candidate tried, in order.
        cancelled: the user stopped it.
    """

    host: str
    reports: tuple[ConnectionReport, ...]
    cancelled: bool = False

    @property
    def best(self) -> ConnectionReport | None:
        """The first candidate that worked (the preferred one), or None."""
        return next((r for r in self.reports if r.ok), None)

    @property
    def ok(self) -> bool:
        return self.best is not None

    def lines(self) -> list[str]:
        """Return one translated line per candidate and a conclusion."""
        lines = []
        for report in self.reports:
            label = f"{report.settings.effective_port} ({report.settings.security.value})"
            if report.ok:
                lines.append(_("✓ Port {label}: works.").format(label=label))
            else:
                why = report.error.user_message if report.error else "?"
                lines.append(_("✗ Port {label}: {why}").format(label=label, why=why))
                hint = report.mismatch_hint()
                if hint:
                    lines.append("    " + hint)
        best = self.best
        if self.cancelled:
            lines.append(_("Auto-detection was cancelled."))
        elif best is not None:
            lines.append(
                _("Use port {port} with security {security}.").format(
                    port=best.settings.effective_port, security=best.settings.security.value
                )
            )
        else:
            lines.append(
                _("No candidate worked with {host}; check the server name and your network.")
                .format(host=self.host)
            )  # fmt: skip
        return lines


def autodetect(
    host: str,
    secret: Secret | None,
    username: str,
    *,
    on_event: EventCallback,
    cancel: CancelToken | None = None,
    ports: Iterable[tuple[int, Security]] = DEFAULT_CANDIDATES,
    base: ServerSettings | None = None,
    timeouts: Timeouts = AUTODETECT_TIMEOUTS,
    provider_note: str = "",
) -> AutodetectReport:
    """Try each (port, security) candidate on ``host`` and report which worked and why.

    Args:
        host: server name.
        secret: password, or None to test without login.
        username: login name ('' for none).
        on_event: transcript events of every attempt (a note separates them).
        cancel: stops between and during attempts.
        ports: candidates in order of preference (tests pass loopback ones).
        base: other settings to keep (CA file, pin, AUTH choice).
        timeouts: per-attempt timeouts (short: a silent port must not stall long).
        provider_note: the provider's login advice, shown after a login failure.

    Returns:
        the per-candidate reports; ``best`` is the first that worked. A candidate that
        failed only on login still proves the port and security: detection stops there.
    """
    token = cancel if cancel is not None else CancelToken()
    template = base or ServerSettings(host=host)
    reports: list[ConnectionReport] = []
    candidates: Sequence[tuple[int, Security]] = list(ports)
    for port, security in candidates:
        if token.cancelled:
            return AutodetectReport(host, tuple(reports), cancelled=True)
        on_event(
            TranscriptEvent(
                time.monotonic(),
                Direction.NOTE,
                _("Trying port {port} with {security}").format(port=port, security=security.value),
            )
        )
        settings = dataclasses.replace(
            template, host=host, port=port, security=security, username=username,
            timeouts=timeouts,
        )  # fmt: skip
        report = test_connection(
            settings, secret, on_event=on_event, cancel=token, provider_note=provider_note
        )
        reports.append(report)
        if report.exit_code is ExitCode.CANCELLED or token.cancelled:
            return AutodetectReport(host, tuple(reports), cancelled=True)
        if report.ok or report.exit_code is ExitCode.AUTH:
            # The port and the security work; a wrong password is not fixed by another port.
            break
    return AutodetectReport(host, tuple(reports))


def _capabilities_dict(ext: Capabilities) -> dict[str, Any]:
    return {
        f.name: getattr(ext, f.name) for f in dataclasses.fields(ext) if f.name not in _TLS_FIELDS
    }


def _certificate_dict(info: tls.CertificateInfo) -> dict[str, Any]:
    return {
        "subject": info.subject,
        "issuer": info.issuer,
        "not_before": info.not_before.isoformat() if info.not_before else None,
        "not_after": info.not_after.isoformat() if info.not_after else None,
        "sha256": info.sha256,
        "names": list(info.names),
        "self_signed": info.self_signed,
        "reason": info.reason,
    }


def report_to_dict(report: ConnectionReport) -> dict[str, Any]:
    """Return the facts of ``report`` as JSON-ready values (``account test --json``).

    The ``error`` object has the keys of ``send --json``'s (stage, code, enhanced,
    server_text, message, field) plus ``hint``: what to change, or None. Nothing here
    can hold the password: the report never sees it.
    """
    s, ext, error = report.settings, report.extensions, report.error
    tls_facts = None
    if report.tls_version:
        tls_facts = {
            "version": report.tls_version,
            "cipher": report.tls_cipher,
            "certificate": _certificate_dict(report.certificate) if report.certificate else None,
        }
    login = None
    if s.username:
        login = {
            "user": s.username,
            "ok": Stage.AUTH in report.stages,
            "mechanism": report.mechanism or None,
        }
    untrusted = report.untrusted_certificate
    return {
        "ok": report.ok,
        "exit_code": int(report.exit_code),
        "host": s.host,
        "port": s.effective_port,
        "security": s.security.value,
        "stages": [stage.value for stage in report.stages],
        "tls": tls_facts,
        "capabilities": _capabilities_dict(ext) if ext else None,
        "login": login,
        "untrusted_certificate": _certificate_dict(untrusted) if untrusted else None,
        "error": None
        if error is None
        else {
            "stage": error.stage.value,
            "code": error.code,
            "enhanced": error.enhanced,
            "server_text": error.server_text,
            "message": error.user_message,
            "field": error.field,
            "hint": " ".join(report.advice()) or None,
        },
        "verdict": report.verdict_lines(),
    }
