"""TLS helpers: contexts, fingerprints, certificate descriptions, plain-words reasons."""

from __future__ import annotations

import ssl

import pytest

from mailcomposer.smtp import tls


def _der(cert) -> bytes:
    return ssl.PEM_cert_to_DER_cert(cert.cert_chain_pems[0].bytes().decode())


def test_context_verifies_and_requires_tls_1_2(client_cafile):
    context = tls.make_ssl_context(client_cafile)
    assert context.verify_mode is ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2
    assert context.cert_store_stats()["x509_ca"] >= 1


def test_context_without_cafile_still_verifies():
    context = tls.make_ssl_context()
    assert context.verify_mode is ssl.CERT_REQUIRED
    assert context.check_hostname


def test_fingerprint_and_pins(server_cert):
    der = _der(server_cert)
    text = tls.fingerprint(der)
    assert len(text.split(":")) == 32
    assert text == text.upper()
    assert tls.matches_pin(der, text)
    assert tls.matches_pin(der, text.replace(":", "").lower())
    assert not tls.matches_pin(der, "00" * 32)
    assert not tls.matches_pin(der, None)
    assert not tls.matches_pin(der, "")


def test_describe_certificate(server_cert):
    info = tls.describe_certificate(_der(server_cert), reason="why", host="h", port=465)
    assert "trustme" in info.subject
    assert "Testing CA" in info.issuer
    assert info.not_before < info.not_after
    assert set(info.names) == {"localhost", "127.0.0.1"}
    assert (info.reason, info.host, info.port) == ("why", "h", 465)
    assert not info.self_signed
    lines = info.describe()
    assert any(info.sha256 in line for line in lines)


def test_garbage_certificate_is_still_described():
    info = tls.describe_certificate(b"not a certificate")
    assert info.sha256
    assert info.subject == ""


class _VerifyError(ssl.SSLCertVerificationError):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(1, message)
        self.verify_code = code
        self.verify_message = message


@pytest.mark.parametrize(
    ("code", "message", "words"),
    [
        (18, "self-signed certificate", "self-signed"),
        (19, "self-signed certificate in certificate chain", "self-signed"),
        (10, "certificate has expired", "expired"),
        (9, "certificate is not yet valid", "clock"),
        (62, "Hostname mismatch, certificate is not valid for 'x'.", "different server name"),
        (20, "unable to get local issuer certificate", "does not trust"),
        (99, "something odd", "something odd"),
    ],
)
def test_verification_reasons(code, message, words):
    assert words in tls.verification_reason(_VerifyError(code, message), "mail.example.test")


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("WRONG_VERSION_NUMBER", "not TLS from the first byte"),
        ("UNSUPPORTED_PROTOCOL", "old TLS"),
        ("SSLV3_ALERT_HANDSHAKE_FAILURE", "no encryption method"),
        ("UNEXPECTED_EOF_WHILE_READING", "closed the connection"),
    ],
)
def test_handshake_error_reasons(reason, words):
    exc = ssl.SSLError(1, f"[SSL: {reason}] {reason.lower()}")
    exc.reason = reason
    assert words in tls.tls_error_reason(exc)


def _handshake(context: ssl.SSLContext, server) -> str:
    """Connect to the implicit-TLS test server with ``context``; return the TLS version."""
    import socket

    with (
        socket.create_connection((server.host, server.port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname="localhost") as tls_socket,
    ):
        return tls_socket.version() or ""


def test_the_os_trust_store_path_verifies_and_takes_the_extra_ca(monkeypatch, tls_server):
    # Windows and macOS verify through truststore (the OS store). It also runs on Linux
    # (against OpenSSL's roots), so its path is driven here: the extra CA file must be
    # honoured, TLS 1.2 kept as the floor, and a certificate from elsewhere refused.
    truststore = pytest.importorskip("truststore")
    monkeypatch.setattr(tls.sys, "platform", "win32")
    context = tls.make_ssl_context(tls_server.cafile)
    assert isinstance(context, truststore.SSLContext)
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname
    assert context.minimum_version == ssl.TLSVersion.TLSv1_2
    assert _handshake(context, tls_server) in ("TLSv1.2", "TLSv1.3")
    with pytest.raises(ssl.SSLCertVerificationError):
        _handshake(tls.make_ssl_context(), tls_server)  # the test CA is in no OS store
