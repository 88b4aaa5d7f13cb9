"""Certificates the user explicitly trusted, pinned by SHA-256 per host and port."""

from __future__ import annotations

import dataclasses
import datetime
import json
from dataclasses import dataclass
from typing import Any

from mailcomposer.smtp.settings import ServerSettings
from mailcomposer.store.paths import Home, atomic_write

FORMAT_VERSION = 1


def normalize_fingerprint(value: str) -> str:
    """Return a fingerprint as lowercase hex without separators (``AB:CD`` -> ``abcd``)."""
    return "".join(c for c in value.lower() if c in "0123456789abcdef")


@dataclass(frozen=True)
class Pin:
    """One trusted certificate.

    Attributes:
        host: server name as the account has it (lowercase).
        port: TCP port.
        sha256: lowercase hex SHA-256 of the DER certificate.
        subject: the certificate subject, for display.
        added: ISO date-time (UTC) when the user trusted it.
    """

    host: str
    port: int
    sha256: str
    subject: str = ""
    added: str = ""


def _key(host: str, port: int) -> str:
    return f"{host.strip().lower()}:{int(port)}"


class PinStore:
    """Pins in ``home.pins_file`` (readable JSON, atomic writes, re-read on every call).

    Attributes:
        home: the home folder.
    """

    def __init__(self, home: Home) -> None:
        self.home = home

    def _read(self) -> dict[str, Pin]:
        try:
            data = json.loads(self.home.pins_file.read_text(encoding="utf-8"))
            pins = {}
            for item in data.get("pins", []):
                pin = Pin(
                    host=str(item["host"]).lower(),
                    port=int(item["port"]),
                    sha256=normalize_fingerprint(str(item["sha256"])),
                    subject=str(item.get("subject", "")),
                    added=str(item.get("added", "")),
                )
                pins[_key(pin.host, pin.port)] = pin
            return pins
        except FileNotFoundError:
            return {}
        except (ValueError, KeyError, TypeError, AttributeError):
            # An unreadable pin file means "nothing trusted": the safe direction.
            return {}

    def _write(self, pins: dict[str, Pin]) -> None:
        data: dict[str, Any] = {
            "version": FORMAT_VERSION,
            "pins": [dataclasses.asdict(p) for p in pins.values()],
        }
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        atomic_write(self.home.pins_file, text.encode("utf-8"))

    def pins(self) -> list[Pin]:
        """Return every pin."""
        return list(self._read().values())

    def pin_for(self, host: str, port: int) -> Pin | None:
        """Return the pin for ``host:port``, or None."""
        return self._read().get(_key(host, port))

    def trust(self, info: Any, host: str | None = None, port: int | None = None) -> Pin:
        """Trust the certificate described by ``info`` for its host and port.

        Args:
            info: a ``smtp.tls.CertificateInfo`` (``sha256``, ``subject``, ``host``, ``port``).
            host: overrides ``info.host`` (the account's host as typed).
            port: overrides ``info.port``.

        Returns:
            the stored pin (replacing an older one for the same host and port).
        """
        host = host if host is not None else str(info.host)
        port = port if port is not None else int(info.port)
        subject = getattr(info, "subject", "")
        pin = Pin(
            host=host.strip().lower(),
            port=int(port),
            sha256=normalize_fingerprint(str(info.sha256)),
            subject=str(subject),
            added=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        )
        pins = self._read()
        pins[_key(host, port)] = pin
        self._write(pins)
        return pin

    def forget(self, host: str, port: int) -> bool:
        """Remove the pin for ``host:port``; return whether there was one."""
        pins = self._read()
        if pins.pop(_key(host, port), None) is None:
            return False
        self._write(pins)
        return True


def settings_with_pin(settings: ServerSettings, pins: PinStore) -> ServerSettings:
    """Return ``settings`` carrying the pinned fingerprint for its host and port, if any."""
    pin = pins.pin_for(settings.host, settings.effective_port)
    return dataclasses.replace(settings, pinned_sha256=pin.sha256 if pin else None)
