"""Tests for the trusted-certificate pins."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from mailcomposer.smtp.settings import Security, ServerSettings
from mailcomposer.store.paths import Home
from mailcomposer.store.pins import PinStore, normalize_fingerprint, settings_with_pin


@dataclass(frozen=True)
class Info:
    """Stands in for smtp.tls.CertificateInfo: only the fields PinStore reads."""

    host: str
    port: int
    sha256: str
    subject: str = "CN=mail.example.com"


FIRST = "AB:" * 31 + "AB"
SECOND = "cd" * 32


@pytest.fixture
def pins(mailcomposer_home: Path) -> PinStore:
    return PinStore(Home(mailcomposer_home))


def test_trust_then_lookup(pins: PinStore) -> None:
    assert pins.pin_for("mail.example.com", 465) is None
    pin = pins.trust(Info("Mail.Example.com", 465, FIRST))
    assert pin.sha256 == "ab" * 32
    assert pins.pin_for("mail.example.com", 465) == pin
    assert pins.pin_for("mail.example.com", 587) is None
    assert pin.added and pin.subject == "CN=mail.example.com"
    data = json.loads(pins.home.pins_file.read_text(encoding="utf-8"))
    assert data["version"] == 1


def test_changed_certificate_replaces_pin(pins: PinStore) -> None:
    pins.trust(Info("mail.example.com", 465, FIRST))
    pins.trust(Info("mail.example.com", 465, SECOND))
    assert [p.sha256 for p in pins.pins()] == [SECOND]


def test_forget(pins: PinStore) -> None:
    pins.trust(Info("mail.example.com", 465, FIRST))
    assert pins.forget("mail.example.com", 465) is True
    assert pins.forget("mail.example.com", 465) is False
    assert pins.pin_for("mail.example.com", 465) is None


def test_settings_with_pin(pins: PinStore) -> None:
    settings = ServerSettings("mail.example.com", 0, Security.TLS)
    assert settings_with_pin(settings, pins).pinned_sha256 is None
    pins.trust(Info("mail.example.com", 465, FIRST))  # port 0 means the default, 465
    assert settings_with_pin(settings, pins).pinned_sha256 == "ab" * 32


def test_corrupt_file_trusts_nothing(pins: PinStore) -> None:
    pins.home.pins_file.parent.mkdir(parents=True, exist_ok=True)
    pins.home.pins_file.write_text("[broken", encoding="utf-8")
    assert pins.pins() == []


def test_normalize_fingerprint() -> None:
    assert normalize_fingerprint("AB:cd ef") == "abcdef"
