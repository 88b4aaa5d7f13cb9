"""Detectors for data that must not leave by mistake, and for mistyped mail domains."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

# -- payment cards (ISO/IEC 7812: 12 to 19 digits, Luhn check digit) --------------
_CARD = re.compile(r"(?<![\d-])(\d(?:[ -]?\d){11,18})(?![\d-])")


def luhn_valid(digits: str) -> bool:
    """True when ``digits`` (only digits) passes the Luhn check (ISO/IEC 7812-1)."""
    if not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def find_cards(text: str) -> Iterator[str]:
    """Payment card numbers in ``text`` (spaces or dashes between digits allowed)."""
    for match in _CARD.finditer(text):
        digits = re.sub(r"[ -]", "", match[1])
        if 13 <= len(digits) <= 19 and luhn_valid(digits) and len(set(digits)) > 1:
            yield match[1]


# -- Chinese resident identity numbers (GB 11643-1999) ------------------------
_CN_ID = re.compile(r"(?<![0-9A-Za-z])(\d{17}[0-9Xx])(?![0-9A-Za-z])")
_CN_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CN_ID_CHECK = "10X98765432"


def cn_id_valid(number: str) -> bool:
    """True when an 18-character resident ID has a real birth date and check digit."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if birth.year < 1900 or birth > datetime.date.today():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _CN_ID_WEIGHTS, strict=True))
    return _CN_ID_CHECK[total % 11] == number[17].upper()


def find_cn_ids(text: str) -> Iterator[str]:
    """Chinese resident identity numbers in ``text`` whose check digit is right."""
    for match in _CN_ID.finditer(text):
        if cn_id_valid(match[1]):
            yield match[1]


# -- mobile phone numbers -----------------------------------------------------
# Mainland China mobiles (1[3-9]x, 11 digits, optional +86) and international
# numbers written with a leading + and a country code.
_CN_MOBILE = re.compile(r"(?<![\d+])((?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2})(?!\d)")
_INTERNATIONAL = re.compile(r"(?<![\w+])(\+[1-9]\d{0,2}(?:[ -]?\(?\d{1,4}\)?){2,5})(?!\d)")


def find_phones(text: str) -> Iterator[str]:
    """Mobile phone numbers in ``text``: Chinese mobiles and +country numbers."""
    seen: set[str] = set()
    for pattern in (_CN_MOBILE, _INTERNATIONAL):
        for match in pattern.finditer(text):
            digits = re.sub(r"\D", "", match[1])
            if 8 <= len(digits) <= 15 and digits not in seen:
                seen.add(digits)
                yield match[1].strip()


DETECTORS = {"card": find_cards, "cn-id": find_cn_ids, "phone": find_phones}

# -- mistyped domains ---------------------------------------------------------
# Providers people send to most; a domain one typo away from one of them (and
# not itself a real provider) is most likely a typo.
POPULAR_DOMAINS = (
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
    "yahoo.com", "icloud.com", "me.com", "aol.com", "proton.me", "protonmail.com",
    "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "sina.com", "sohu.com",
    "aliyun.com", "139.com", "gmx.de", "gmx.net", "web.de", "yandex.ru", "mail.ru",
)  # fmt: skip
# Real domains close to a popular one, never reported as typos.
REAL_NEIGHBOURS = frozenset(
    {"mail.com", "gmx.com", "live.cn", "yahoo.co.jp", "sina.cn", "gmail.co.uk", "me.org"}
)
# Known typos whose edit distance is larger than one.
KNOWN_TYPOS = {
    "gmial.com": "gmail.com", "gamil.com": "gmail.com", "gmaill.com": "gmail.com",
    "hotmial.com": "hotmail.com", "hotamil.com": "hotmail.com", "outlook.con": "outlook.com",
    "yahooo.com": "yahoo.com", "qq.con": "qq.com", "163.con": "163.com", "126.con": "126.com",
}  # fmt: skip


def _distance(a: str, b: str) -> int:
    """Optimal string alignment distance (a swap of two neighbours counts once)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _bare_names() -> dict[str, str]:
    """``qq`` -> ``qq.com``: popular domains by their name alone, when only one has it."""
    names: dict[str, list[str]] = {}
    for known in (*POPULAR_DOMAINS, *REAL_NEIGHBOURS):
        names.setdefault(known.rpartition(".")[0], []).append(known)
    return {
        name: found[0]
        for name, found in names.items()
        if len(found) == 1 and found[0] in POPULAR_DOMAINS
    }


# ``li@163`` for li@163.com: the ending left off a popular domain (sina and mail have two).
BARE_NAMES = _bare_names()


def suggest_domain(domain: str) -> str | None:
    """The popular domain ``domain`` is probably a typo of, or None."""
    domain = domain.lower().rstrip(".")
    if domain in POPULAR_DOMAINS or domain in REAL_NEIGHBOURS:
        return None
    if domain in KNOWN_TYPOS:
        return KNOWN_TYPOS[domain]
    if domain in BARE_NAMES:
        return BARE_NAMES[domain]
    name, _dot, tld = domain.rpartition(".")
    for popular in POPULAR_DOMAINS:
        popular_name = popular.rpartition(".")[0]
        if name == popular_name and tld in ("con", "cm", "cim", "co", "comm", "om", "vom"):
            return popular
        if _distance(domain, popular) == 1:
            return popular
    return None
