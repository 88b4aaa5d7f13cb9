"""Where an account files its sent mail: the IMAP server and Sent folder, and (de)serialising."""

from __future__ import annotations

from dataclasses import dataclass

from mailcomposer.smtp.settings import Security

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from typing import Any

IMAP_PORTS = {Security.TLS: 993, Security.STARTTLS: 143}


@dataclass(frozen=True)
class ImapSettings:
    """An account's IMAP server, used to put a copy of each sent message in Sent.

    Attributes:
        host: the IMAP server.
        port: its port (993 for TLS, 143 for STARTTLS).
        security: ``Security.TLS`` or ``Security.STARTTLS`` (never plain text: the
            login is the SMTP one).
        sent_folder: the folder to use ('' finds it: ``\\Sent``, then the usual names).
        save_sent: put a copy in Sent after each send (off where the provider files
            SMTP mail itself, as Gmail does).
    """

    host: str
    port: int = 993
    security: Security = Security.TLS
    sent_folder: str = ""
    save_sent: bool = True


def default_port(security: Security) -> int:
    """Return the usual IMAP port for ``security``."""
    return IMAP_PORTS.get(security, 993)


def imap_to_dict(imap: ImapSettings | None) -> dict[str, Any] | None:
    """Serialise ``imap`` for accounts.json (None stays None)."""
    if imap is None:
        return None
    return {
        "host": imap.host,
        "port": imap.port,
        "security": imap.security.value,
        "sent_folder": imap.sent_folder,
        "save_sent": imap.save_sent,
    }


def imap_from_dict(data: Any) -> ImapSettings | None:
    """Read what ``imap_to_dict`` wrote (None, or an unreadable value, gives None)."""
    if not isinstance(data, dict) or not data.get("host"):
        return None
    security = Security(data.get("security", "tls"))
    return ImapSettings(
        host=str(data["host"]),
        port=int(data.get("port") or default_port(security)),
        security=security,
        sent_folder=str(data.get("sent_folder", "")),
        save_sent=bool(data.get("save_sent", True)),
    )
