"""Provider presets: submission host, port and security for well-known mail services."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from mailcomposer.i18n import _, resources_dir
from mailcomposer.smtp.settings import Security, ServerSettings
from mailcomposer.store.imapsettings import ImapSettings, imap_from_dict


@dataclass(frozen=True)
class Preset:
    """One provider's documented submission settings.

    Attributes:
        id: short lowercase id used on the command line (``gmail``, ``qq``, ``163``).
        name: display name.
        host: submission server.
        port: submission port.
        security: ``tls`` (465) or ``starttls`` (587).
        domains: lowercase e-mail domains the provider serves.
        raw_note: the English authentication advice (the catalog key).
        imap: the provider's IMAP server, for the copy in Sent (``save_sent`` is off
            where the provider files mail sent over SMTP itself, as Gmail does).
    """

    id: str
    name: str
    host: str
    port: int
    security: Security
    domains: tuple[str, ...]
    raw_note: str
    imap: ImapSettings | None = None

    @property
    def note(self) -> str:
        """The authentication advice in the user's language."""
        return _(self.raw_note)

    def settings(self, username: str = "") -> ServerSettings:
        """Return server settings for this provider, logging in as ``username``."""
        return ServerSettings(
            host=self.host, port=self.port, security=self.security, username=username
        )


@functools.cache
def presets() -> tuple[Preset, ...]:
    """Return every shipped preset, in display order."""
    data = json.loads((resources_dir() / "presets.json").read_text(encoding="utf-8"))
    return tuple(
        Preset(
            id=item["id"],
            name=item["name"],
            host=item["host"],
            port=int(item["port"]),
            security=Security(item["security"]),
            domains=tuple(item["domains"]),
            raw_note=item["note"],
            imap=imap_from_dict(item.get("imap")),
        )
        for item in data["presets"]
    )


def get(preset_id: str) -> Preset | None:
    """Return the preset named ``preset_id`` (case-insensitive), or None."""
    wanted = preset_id.strip().lower()
    return next((p for p in presets() if p.id == wanted), None)


def login_note_for_host(host: str) -> str:
    """The provider's advice on logging in to ``host`` (e.g. use an app password), or ''."""
    wanted = host.strip().lower()
    return next((p.note for p in presets() if p.host == wanted), "")


def preset_for_address(address: str) -> Preset | None:
    """Return the preset whose provider serves ``address``'s domain, or None.

    Accepts a bare address or ``Name <addr>``; subdomains do not match (a company
    domain hosted elsewhere must not be guessed).
    """
    text = address.strip()
    if "<" in text and text.endswith(">"):
        text = text[text.rindex("<") + 1 : -1]
    _local, at, domain = text.rpartition("@")
    if not at:
        return None
    domain = domain.strip().rstrip(".").lower()
    if not domain:
        return None
    return next((p for p in presets() if domain in p.domains), None)
