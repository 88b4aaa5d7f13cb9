"""The address book: people with several addresses, groups, search, and ranked completion."""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import getaddresses
from pathlib import Path
from typing import Any

from mailcomposer.message.files import atomic_write
from mailcomposer.store.paths import Home

CONTACTS_FILE = "contacts.json"
FORMAT_VERSION = 1
# A use this many days old counts half as much as one today (frequency and recency in one).
HALF_LIFE_DAYS = 30.0


def format_address(name: str, email: str) -> str:
    """``Name <email>`` (the name quoted when it holds specials), or the bare address."""
    name = " ".join(name.split())
    if not name:
        return email
    if any(c in name for c in ',;<>"@()[]:\\'):
        name = '"{}"'.format(name.replace("\\", "\\\\").replace('"', '\\"'))
    return f"{name} <{email}>"


@dataclass
class Contact:
    """One person.

    Attributes:
        name: the display name (``张伟``, ``Ann Lee``).
        emails: the addresses, the preferred one first.
        groups: the names of the groups the person belongs to.
        uid: a stable identifier (kept through vCard round trips).
    """

    name: str = ""
    emails: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    uid: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def email(self) -> str:
        """The preferred address ("" when none)."""
        return self.emails[0] if self.emails else ""

    def formatted(self, email: str | None = None) -> str:
        """``Name <address>`` for ``email`` (the preferred address by default)."""
        return format_address(self.name, self.email if email is None else email)

    def matches(self, text: str) -> bool:
        """True when ``text`` is found in the name, an address or a group (any case)."""
        needle = text.strip().casefold()
        haystack = [self.name, *self.emails, *self.groups]
        return not needle or any(needle in item.casefold() for item in haystack)

    def to_json(self) -> dict[str, Any]:
        return {"uid": self.uid, "name": self.name, "emails": self.emails, "groups": self.groups}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Contact:
        return cls(
            name=str(data.get("name", "")),
            emails=[str(e) for e in data.get("emails", []) if e],
            groups=[str(g) for g in data.get("groups", []) if g],
            uid=str(data.get("uid") or uuid.uuid4()),
        )


class AddressBook:
    """The contacts kept in ``MAILCOMPOSER_HOME/contacts.json`` (written atomically).

    Attributes:
        path: the JSON file.
        contacts: every person, in the order added.
        groups_to_bcc: a group expanded in To or Cc puts its members in Bcc instead.
        load_error: why the file could not be read ("" when it could).
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.contacts: list[Contact] = []
        self.groups_to_bcc = False
        self.load_error = ""

    @classmethod
    def open(cls, home: Home | Path) -> AddressBook:
        """The book of ``home`` (a ``Home`` or a folder), loaded."""
        root = home.root if isinstance(home, Home) else Path(home)
        book = cls(root / CONTACTS_FILE)
        book.load()
        return book

    def load(self) -> None:
        """Read the file (a missing one is an empty book; a damaged one sets ``load_error``)."""
        self.contacts = []
        self.load_error = ""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            self.load_error = str(exc)
            return
        self.groups_to_bcc = bool(data.get("groups_to_bcc", False))
        self.contacts = [Contact.from_json(item) for item in data.get("contacts", [])]

    def save(self) -> None:
        """Write the whole book atomically."""
        data = {
            "version": FORMAT_VERSION,
            "groups_to_bcc": self.groups_to_bcc,
            "contacts": [c.to_json() for c in self.contacts],
        }
        text = json.dumps(data, ensure_ascii=False, indent=2)
        atomic_write(self.path, text.encode("utf-8"))

    # -- people and groups --

    def search(self, text: str = "") -> list[Contact]:
        """The people matching ``text``, sorted by name."""
        found = [c for c in self.contacts if c.matches(text)]
        return sorted(found, key=lambda c: (c.name or c.email).casefold())

    def find_by_email(self, email: str) -> Contact | None:
        key = email.strip().lower()
        for contact in self.contacts:
            if key in (e.lower() for e in contact.emails):
                return contact
        return None

    def find_uid(self, uid: str) -> Contact | None:
        return next((c for c in self.contacts if c.uid == uid), None)

    def remove(self, contact: Contact) -> None:
        self.contacts = [c for c in self.contacts if c.uid != contact.uid]

    def groups(self) -> list[str]:
        """Every group name (case does not make another group), sorted."""
        names: dict[str, str] = {}
        for contact in self.contacts:
            for group in contact.groups:
                names.setdefault(group.casefold(), group)
        return sorted(names.values(), key=str.casefold)

    def group_named(self, text: str) -> str | None:
        """The group called ``text`` (any case), or None."""
        wanted = text.strip().casefold()
        return next((g for g in self.groups() if g.casefold() == wanted), None) if wanted else None

    def members(self, group: str) -> list[str]:
        """The formatted preferred address of each member of ``group`` (those with one)."""
        wanted = group.casefold()
        return [
            c.formatted()
            for c in self.search()
            if c.email and any(g.casefold() == wanted for g in c.groups)
        ]

    def merge(self, people: Iterable[Contact]) -> int:
        """Add ``people``; one sharing an address with a known person completes that one.

        Returns:
            How many people were added or completed.
        """
        changed = 0
        for person in people:
            if not person.emails and not person.name:
                continue
            known = next((k for e in person.emails if (k := self.find_by_email(e))), None)
            if known is None:
                self.contacts.append(person)
                changed += 1
                continue
            before = (known.name, list(known.emails), list(known.groups))
            known.name = known.name or person.name
            known.emails += [e for e in person.emails if e.lower() not in _lower(known.emails)]
            known.groups += [g for g in person.groups if g not in known.groups]
            changed += before != (known.name, known.emails, known.groups)
        return changed

    # -- completion --

    def completions(
        self, records: Iterable[Any] = (), now: datetime.datetime | None = None
    ) -> list[str]:
        """What the address fields offer, best first.

        Addresses used before come first, ranked by :func:`usage_scores` (the contact's
        name used when it is known), then the other contacts' addresses by name, then
        the group names (which expand into their members when committed).
        """
        scores = usage_scores(records, now)
        shown: dict[str, str] = {}
        for key, (_score, written) in sorted(scores.items(), key=lambda kv: -kv[1][0]):
            contact = self.find_by_email(key)
            shown[key] = contact.formatted(_matching(contact.emails, key)) if contact else written
        for contact in self.search():
            for email in contact.emails:
                shown.setdefault(email.lower(), contact.formatted(email))
        return [*shown.values(), *self.groups()]


def _lower(items: Iterable[str]) -> set[str]:
    return {item.lower() for item in items}


def _matching(emails: list[str], key: str) -> str:
    return next(e for e in emails if e.lower() == key)


def _parse_date(text: str) -> datetime.datetime | None:
    try:
        value = datetime.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


def usage_scores(
    records: Iterable[Any], now: datetime.datetime | None = None
) -> dict[str, tuple[float, str]]:
    """Score each address sent to by how often and how lately it was used.

    Every successful send (``result`` ``sent`` or ``partial``) to an address adds
    ``0.5 ** (age_in_days / HALF_LIFE_DAYS)``: five sends last year weigh less than
    two this week, and of two addresses used as lately the more used one wins.

    Args:
        records: the send log's sends (``History.sends()``: ``date``, ``recipients``,
            ``result``).
        now: the moment ages are measured from (now by default).

    Returns:
        Lower-cased address -> (score, the address as last written).
    """
    now = now or datetime.datetime.now(datetime.UTC)
    scores: dict[str, tuple[float, str]] = {}
    for record in records:
        if record.result not in ("sent", "partial"):
            continue
        when = _parse_date(record.date)
        age = max((now - when).total_seconds() / 86400, 0.0) if when else 365.0
        weight = 0.5 ** (age / HALF_LIFE_DAYS)
        for name, addr in getaddresses(list(record.recipients)):
            if not addr or "@" not in addr:
                continue
            key = addr.lower()
            score, written = scores.get(key, (0.0, ""))
            scores[key] = (score + weight, written or format_address(name, addr))
    return scores
