"""The sandbox's self-signed certificate for localhost, made on first use and kept."""

from __future__ import annotations

import datetime
import ipaddress
import os
import ssl
from dataclasses import dataclass
from pathlib import Path

from mailcomposer.message.files import atomic_write

CERT_NAME = "sandbox-cert.pem"
KEY_NAME = "sandbox-key.pem"
# Long enough that a student's lab setup never expires mid-course.
VALIDITY_DAYS = 3650


@dataclass(frozen=True)
class CertificateFiles:
    """Where the sandbox certificate lives.

    Attributes:
        cert: the PEM certificate; clients pass it as ``--cafile`` to trust it.
        key: the PEM private key (readable by the owner only).
    """

    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        """Return an SSL context a server can use for STARTTLS with this certificate."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(str(self.cert), str(self.key))
        return context


def ensure_certificate(folder: Path) -> CertificateFiles:
    """Return the certificate in ``folder``, creating a fresh self-signed one if missing.

    The certificate names ``localhost``, ``127.0.0.1`` and ``::1`` so a verifying
    client that trusts it (``cafile``) passes the hostname check.

    Args:
        folder: where to keep it (``MAILCOMPOSER_HOME/sandbox``).
    """
    files = CertificateFiles(folder / CERT_NAME, folder / KEY_NAME)
    if files.cert.is_file() and files.key.is_file() and _still_valid(files.cert):
        return files
    cert_pem, key_pem = _make_self_signed()
    folder.mkdir(parents=True, exist_ok=True)
    # Key first: a certificate without its key would be useless after a crash.
    atomic_write(files.key, key_pem)
    try:
        os.chmod(files.key, 0o600)
    except OSError:
        pass
    atomic_write(files.cert, cert_pem)
    return files


def _still_valid(cert_path: Path) -> bool:
    from cryptography import x509

    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    except (OSError, ValueError):
        return False
    remaining = cert.not_valid_after_utc - datetime.datetime.now(datetime.UTC)
    return remaining > datetime.timedelta(days=1)


def _make_self_signed() -> tuple[bytes, bytes]:
    """Create an EC P-256 key and a self-signed server certificate for loopback names."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "mailcomposer sandbox"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=VALIDITY_DAYS))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                    x509.IPAddress(ipaddress.ip_address("::1")),
                ]
            ),
            critical=False,
        )
        # A self-signed certificate that is its own trust anchor: marking it a CA
        # keeps strict verifiers (Python 3.13's VERIFY_X509_STRICT) happy.
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert_pem, key_pem
