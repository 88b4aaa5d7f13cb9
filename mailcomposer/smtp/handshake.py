"""The TLS handshake of a connection: verification, certificate pins, the session notes.

A step of ``session.Connection`` (a mixin: the state it uses is the connection's, listed
on ``TlsSteps``). A certificate that does not verify is fetched once more over an
unverified handshake, only to show the user what they are asked to trust; a pinned
certificate is compared on a fresh connection (``RetryPinned``).
"""

from __future__ import annotations

import smtplib
import ssl

from mailcomposer.i18n import _
from mailcomposer.smtp import tls
from mailcomposer.smtp.cancel import Cancelled, CancelToken
from mailcomposer.smtp.errors import ExitCode, SendError, Stage
from mailcomposer.smtp.recorder import Recorder
from mailcomposer.smtp.settings import Security, ServerSettings
from mailcomposer.smtp.transport import Transport, local_name

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["RetryPinned", "TlsSteps", "fetch_peer_certificate"]


class RetryPinned(Exception):
    """Verification failed but the user pinned a certificate: reconnect and compare."""


class TlsSteps:
    """The TLS steps of ``session.Connection``.

    Attributes (the connection's):
        settings: host, port, CA file and pinned fingerprint.
        stage: where the send is (the error's stage).
        cancel: the send's cancel switch.
        _pinned: True on the reconnection that compares the pin instead of the chain.
        _addresses: the addresses the connection was opened to.
        _tls: (version, cipher, certificate DER) once TLS is up.
    """

    settings: ServerSettings
    stage: Stage
    cancel: CancelToken
    _client: Transport
    _recorder: Recorder
    _pinned: bool
    _addresses: list[Any]
    _tls: tuple[str, str, bytes]
    _capabilities: Any

    def _handshake(self) -> None:
        context = (
            tls.make_unverified_context()
            if self._pinned
            else tls.make_ssl_context(self.settings.cafile)
        )
        try:
            sock = self._client.wrap(context, self.settings.timeouts.connect)
        except ssl.SSLCertVerificationError as exc:
            if self.cancel.cancelled:
                raise Cancelled from exc
            self._verification_failed(exc)
        except TimeoutError:
            raise  # a silent server is a connection problem, not a TLS one
        except (ssl.SSLError, OSError) as exc:
            if self.cancel.cancelled:
                raise Cancelled from exc
            raise SendError(
                self.stage,
                ExitCode.TLS,
                _("Secure connection to {host} failed: {reason}.").format(
                    host=self.settings.host,
                    reason=tls.tls_error_reason(exc, self.stage is Stage.STARTTLS),
                ),
                detail=f"{type(exc).__name__}: {exc}",
            ) from exc
        else:
            if self._pinned:
                self._check_pin(sock)
            self._recorder.secure = True
            cipher = sock.cipher()
            der = sock.getpeercert(binary_form=True) or b""
            self._tls = (sock.version() or "", cipher[0] if cipher else "", der)
            self._capabilities = None
            for line in tls.session_notes(sock):
                self._recorder.note(line)

    def _verification_failed(self, exc: ssl.SSLCertVerificationError) -> None:
        reason = tls.verification_reason(exc, self.settings.host)
        if self.settings.pinned_sha256:
            self._recorder.note(
                _(
                    "The certificate was not verified ({reason}); reconnecting to compare "
                    "it with the certificate you chose to trust."
                ).format(reason=reason)
            )
            raise RetryPinned from exc
        der = fetch_peer_certificate(self.settings, self._addresses)
        info = (
            tls.describe_certificate(
                der, reason=reason, host=self.settings.host, port=self.settings.effective_port
            )
            if der
            else None
        )
        error = SendError(
            self.stage,
            ExitCode.TLS,
            _(
                "The server's certificate is not trusted: {reason}. Nothing was sent. If "
                "you know this server, you can trust this certificate explicitly."
            ).format(reason=reason),
            detail=f"{type(exc).__name__}: {exc}",
        )
        error.certificate = info
        raise error from exc

    def _check_pin(self, sock: ssl.SSLSocket) -> None:
        der = sock.getpeercert(binary_form=True) or b""
        if tls.matches_pin(der, self.settings.pinned_sha256):
            self._recorder.note(
                _(
                    "Certificate {fingerprint} is not verified, but trusted by your explicit "
                    "exception."
                ).format(fingerprint=tls.fingerprint(der))
            )
            return
        info = tls.describe_certificate(
            der,
            reason=_("it is not the certificate you chose to trust"),
            host=self.settings.host,
            port=self.settings.effective_port,
        )
        error = SendError(
            self.stage,
            ExitCode.TLS,
            _(
                "The server presented a different certificate from the one you chose to "
                "trust, and it does not verify. Nothing was sent. Someone may be "
                "intercepting the connection, or the server changed its certificate."
            ),
            detail=f"SHA-256 {info.sha256}",
        )
        error.certificate = info
        raise error


def fetch_peer_certificate(settings: ServerSettings, addresses: list[Any]) -> bytes | None:
    """Fetch the server's certificate over a second, unverified handshake (no transcript).

    Used only to show the user what they are asked to trust; nothing is sent on it.
    ``addresses`` are those the failed connection used (no second name lookup).
    """
    recorder = Recorder(lambda _event: None)
    client = Transport(
        recorder,
        CancelToken(),
        local_name(settings),
        settings.timeouts.command,
        settings.timeouts.reply_limit,
    )
    timeout = settings.timeouts.connect
    try:
        client.open(settings.host, addresses, timeout, timeout)
        if settings.security is Security.STARTTLS:
            if client.getreply()[0] != 220:
                return None
            client.ehlo(client.local_hostname)
            if client.docmd("STARTTLS")[0] != 220:
                return None
        sock = client.wrap(tls.make_unverified_context(), timeout)
        return sock.getpeercert(binary_form=True)
    except (OSError, smtplib.SMTPException, Cancelled):
        return None
    finally:
        try:
            client.close()
        except OSError:
            pass
