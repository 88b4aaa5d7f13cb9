"""Reading and writing contacts as vCard 3.0 and 4.0 files (through vobject)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mailcomposer.store.contactcsv import decode_text
from mailcomposer.store.contacts import Contact

VERSIONS = ("3.0", "4.0")


def _is_preferred(line: Any) -> bool:
    params = {k.upper(): [str(v).lower() for v in vs] for k, vs in line.params.items()}
    return "PREF" in params or "pref" in params.get("TYPE", [])


def _name_of(card: Any) -> str:
    if "fn" in card.contents and card.fn.value.strip():
        return str(card.fn.value).strip()
    if "n" in card.contents:
        n = card.n.value
        # Chinese names read family name first, without a space; others given first.
        family, given = str(n.family or ""), str(n.given or "")
        if any("\u4e00" <= ch <= "\u9fff" for ch in family + given):
            return family + given
        return " ".join(part for part in (given, family) if part)
    return ""


def read_vcards(data: bytes) -> list[Contact]:
    """The people in a .vcf file (one or many cards, vCard 3.0 or 4.0, any supported encoding).

    Raises:
        ValueError: the text is not vCard.
    """
    import vobject

    text = decode_text(data)
    people = []
    try:
        cards = list(vobject.readComponents(text, ignoreUnreadable=True))
    except Exception as exc:  # vobject raises its own ParseError and plain ones
        raise ValueError(str(exc)) from exc
    for card in cards:
        if card.name.upper() != "VCARD":
            continue
        lines = card.contents.get("email", [])
        lines = sorted(lines, key=lambda line: not _is_preferred(line))
        emails = list(dict.fromkeys(str(line.value).strip() for line in lines if line.value))
        groups: list[str] = []
        for line in card.contents.get("categories", []):
            value = line.value if isinstance(line.value, list) else [line.value]
            groups += [str(g).strip() for g in value if str(g).strip()]
        person = Contact(name=_name_of(card), emails=emails, groups=groups)
        if "uid" in card.contents and card.uid.value:
            person.uid = str(card.uid.value)
        people.append(person)
    return people


def write_vcards(people: Iterable[Contact], version: str = "3.0") -> bytes:
    """``people`` as one UTF-8 .vcf file of the given vCard ``version``."""
    import vobject

    if version not in VERSIONS:
        raise ValueError(f"unsupported vCard version {version!r}")
    out = []
    for person in people:
        card = vobject.vCard()
        card.add("version").value = version
        card.add("fn").value = person.name or person.email
        card.add("n").value = vobject.vcard.Name(given=person.name)
        for index, email in enumerate(person.emails):
            line = card.add("email")
            line.value = email
            if version == "3.0":
                line.type_param = ["INTERNET", "pref"] if index == 0 else ["INTERNET"]
            elif index == 0:
                line.params["PREF"] = ["1"]
        if person.groups:
            card.add("categories").value = list(person.groups)
        card.add("uid").value = person.uid
        out.append(card.serialize())
    return "".join(out).encode("utf-8")
