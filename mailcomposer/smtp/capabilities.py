"""What a server offers on one connection: its EHLO extensions and the TLS in use."""

from __future__ import annotations

import dataclasses

from mailcomposer.smtp import tls

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Capabilities"]


@dataclasses.dataclass(frozen=True)
class Capabilities:
    """What the server offers on this connection: its last EHLO reply and the TLS in use.

    Attributes:
        size_limit: SIZE in bytes (0: no fixed limit announced), None if SIZE is absent.
        auth: AUTH mechanisms offered (upper case).
        eightbitmime, smtputf8, pipelining, dsn, chunking, starttls: announced or not.
        names: every extension keyword, upper case, as announced (empty before a successful
            EHLO, or when the server only understood HELO).
        tls_version: e.g. ``TLSv1.3`` (empty without TLS).
        tls_cipher: the cipher suite name.
        certificate: the server certificate once TLS was established.
    """

    size_limit: int | None = None
    auth: tuple[str, ...] = ()
    eightbitmime: bool = False
    smtputf8: bool = False
    pipelining: bool = False
    dsn: bool = False
    chunking: bool = False
    starttls: bool = False
    names: tuple[str, ...] = ()
    tls_version: str = ""
    tls_cipher: str = ""
    certificate: tls.CertificateInfo | None = None

    @classmethod
    def from_features(cls, features: dict[str, str], **tls_info: Any) -> Capabilities:
        """Build from smtplib's ``esmtp_features`` (lower-case keys) plus the TLS fields."""
        size: int | None = None
        if "size" in features:
            value = features["size"].strip()
            size = int(value) if value.isdigit() else 0
        return cls(
            size_limit=size,
            auth=tuple(features.get("auth", "").upper().split()),
            eightbitmime="8bitmime" in features,
            smtputf8="smtputf8" in features,
            pipelining="pipelining" in features,
            dsn="dsn" in features,
            chunking="chunking" in features,
            starttls="starttls" in features,
            names=tuple(name.upper() for name in features),
            **tls_info,
        )

    @property
    def size_mb(self) -> float | None:
        """The SIZE limit in megabytes (10^6 bytes), None if no limit is announced."""
        return self.size_limit / 1_000_000 if self.size_limit else None
