"""TLS contexts for SMTP and plain-words descriptions of server certificates."""

from __future__ import annotations

import datetime as dt
import ssl
import sys
from dataclasses import dataclass
from pathlib import Path

from mailcomposer.i18n import _


@dataclass(frozen=True)
class CertificateInfo:
    """A server certificate as the user needs to judge it ("trust this certificate?").

    Attributes:
        subject: the subject as ``CN=mail.example.com, O=...`` (RFC 4514 order reversed).
        issuer: the issuer, same form.
        not_before: start of validity (UTC).
        not_after: end of validity (UTC).
        sha256: SHA-256 of the DER certificate, upper-case hex pairs joined by colons.
        reason: why it was not trusted, in plain words (empty when it was trusted).
        host: the host the connection was made to.
        port: the port.
        names: the DNS names and addresses the certificate is valid for.
    """

    subject: str
    issuer: str
    not_before: dt.datetime | None
    not_after: dt.datetime | None
    sha256: str
    reason: str = ""
    host: str = ""
    port: int = 0
    names: tuple[str, ...] = ()

    @property
    def self_signed(self) -> bool:
        return self.subject == self.issuer

    def describe(self) -> list[str]:
        """Return translated lines describing the certificate, for notes and dialogs."""
        lines = [
            _("Certificate subject: {subject}").format(subject=self.subject or "-"),
            _("Issued by: {issuer}").format(issuer=self.issuer or "-"),
            _("Valid from {start} until {end}").format(
                start=_format_time(self.not_before), end=_format_time(self.not_after)
            ),
            _("SHA-256 fingerprint: {fingerprint}").format(fingerprint=self.sha256),
        ]
        if self.names:
            lines.insert(1, _("Valid for: {names}").format(names=", ".join(self.names)))
        return lines


def _format_time(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"


def make_ssl_context(cafile: Path | str | None = None) -> ssl.SSLContext:
    """Return a verifying client context: system roots (plus ``cafile``), TLS 1.2 or newer.

    On Windows and macOS the OS trust store is used through ``truststore`` when it is
    installed, because Windows fetches root certificates on demand and a fresh machine
    may not have the one a mail server needs in the file-based store Python sees.

    Args:
        cafile: an extra PEM bundle to trust (a company CA, a test CA).
    """
    context: ssl.SSLContext | None = None
    if sys.platform in ("win32", "darwin"):
        try:
            import truststore
        except ImportError:
            truststore = None  # type: ignore[assignment]
        if truststore is not None:
            context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            if cafile:
                context.load_verify_locations(cafile=str(cafile))
    if context is None:
        context = ssl.create_default_context(cafile=str(cafile) if cafile else None)
        if cafile:
            # create_default_context(cafile=) trusts ONLY that file; add the system roots.
            context.load_default_certs()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def make_unverified_context() -> ssl.SSLContext:
    """Return a context that accepts any certificate (for fetching it, or pin checks)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def fingerprint(der: bytes) -> str:
    """Return the SHA-256 of ``der`` as ``AB:CD:...`` (how browsers and the GUI show it)."""
    import hashlib  # here: hashlib loads OpenSSL, which a plain-text send never needs

    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def normalise_fingerprint(text: str) -> str:
    """Return ``text`` as bare lower-case hex, so ``AB:CD`` and ``abcd`` compare equal."""
    return "".join(ch for ch in text.lower() if ch in "0123456789abcdef")


def matches_pin(der: bytes, pinned_sha256: str | None) -> bool:
    """Return True when ``der`` is the certificate the user explicitly trusted."""
    if not pinned_sha256:
        return False
    return normalise_fingerprint(fingerprint(der)) == normalise_fingerprint(pinned_sha256)


def describe_certificate(
    der: bytes, *, reason: str = "", host: str = "", port: int = 0
) -> CertificateInfo:
    """Return a ``CertificateInfo`` for a DER certificate (fields left empty if unparsable)."""
    sha = fingerprint(der)
    try:
        from cryptography import x509

        cert = x509.load_der_x509_certificate(der)
    except Exception:  # an unparsable certificate is still worth showing
        return CertificateInfo("", "", None, None, sha, reason, host, port)
    names: list[str] = []
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names.extend(san.get_values_for_type(x509.DNSName))
        names.extend(str(ip) for ip in san.get_values_for_type(x509.IPAddress))
    except x509.ExtensionNotFound:
        pass
    return CertificateInfo(
        subject=_name(cert.subject),
        issuer=_name(cert.issuer),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        sha256=sha,
        reason=reason,
        host=host,
        port=port,
        names=tuple(names),
    )


def _name(name: object) -> str:
    # RFC 4514 strings list the most specific part last; people read CN first.
    rdns = getattr(name, "rdns", [])
    parts = [rdn.rfc4514_string() for rdn in reversed(list(rdns))]
    return ", ".join(parts)


# OpenSSL X509_V_ERR_* codes that have a plain-words reason.
_DEPTH_ZERO_SELF_SIGNED = 18
_SELF_SIGNED_IN_CHAIN = 19
_UNABLE_TO_GET_ISSUER_LOCALLY = 20
_UNABLE_TO_VERIFY_LEAF = 21
_NOT_YET_VALID = 9
_EXPIRED = 10
_HOSTNAME_MISMATCH = 62
_IP_MISMATCH = 64


def verification_reason(exc: BaseException, host: str = "") -> str:
    """Return why a certificate failed verification, in one translated phrase."""
    code = getattr(exc, "verify_code", None)
    message = str(getattr(exc, "verify_message", "") or exc)
    if code in (_DEPTH_ZERO_SELF_SIGNED, _SELF_SIGNED_IN_CHAIN) or "self-signed" in message:
        return _("the certificate is self-signed, so nothing vouches for it")
    if code == _EXPIRED or "expired" in message:
        return _("the certificate has expired")
    if code == _NOT_YET_VALID or "not yet valid" in message:
        return _("the certificate is not valid yet (check this computer's clock)")
    if code in (_HOSTNAME_MISMATCH, _IP_MISMATCH) or "mismatch" in message:
        return _("the certificate is for a different server name than {host}").format(
            host=host or "?"
        )
    if code in (_UNABLE_TO_GET_ISSUER_LOCALLY, _UNABLE_TO_VERIFY_LEAF) or "issuer" in message:
        return _("the certificate was issued by an authority this computer does not trust")
    return _("the certificate could not be verified ({detail})").format(detail=message)


def tls_error_reason(exc: BaseException, after_starttls: bool = False) -> str:
    """Return what a TLS handshake error means for the user, in one translated phrase.

    ``after_starttls``: the handshake followed the server's 220 to STARTTLS (then a
    reply that is not TLS means the server, or something between, broke its word).
    """
    if isinstance(exc, ssl.SSLCertVerificationError):
        return verification_reason(exc)
    reason = str(getattr(exc, "reason", "") or "")
    text = f"{reason} {exc}".upper()
    if "WRONG_VERSION_NUMBER" in text or "HTTP_REQUEST" in text or "RECORD_LAYER" in text:
        if after_starttls:
            return _(
                "the server agreed to STARTTLS but then did not speak TLS (a broken server, "
                "or a firewall or antivirus rewriting the connection)"
            )
        return _("this port expects STARTTLS or a plain connection, not TLS from the first byte")
    if "UNSUPPORTED_PROTOCOL" in text or "NO_PROTOCOLS" in text or "VERSION" in text:
        return _("the server only offers old TLS versions (TLS 1.2 or newer is required)")
    if "HANDSHAKE_FAILURE" in text or "NO_SHARED_CIPHER" in text:
        return _("the server and this program share no encryption method")
    if "EOF" in text:
        return _("the server closed the connection during the TLS handshake")
    return _("the TLS handshake failed ({detail})").format(detail=reason or str(exc))


def session_notes(sock: ssl.SSLSocket) -> list[str]:
    """Return translated notes about an established TLS session (version, cipher, peer)."""
    notes = []
    cipher = sock.cipher()
    notes.append(
        _("TLS established: {version}, cipher {cipher}").format(
            version=sock.version() or "?", cipher=cipher[0] if cipher else "?"
        )
    )
    der = sock.getpeercert(binary_form=True)
    if der:
        info = describe_certificate(der)
        notes.append(_("Certificate subject: {subject}").format(subject=info.subject or "-"))
        notes.append(_("Issued by: {issuer}").format(issuer=info.issuer or "-"))
        notes.append(_("Valid until {end}").format(end=_format_time(info.not_after)))
    return notes
