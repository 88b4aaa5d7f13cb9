"""Contacts as CSV in the column layouts of Outlook, Thunderbird and Foxmail."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from mailcomposer.store.contacts import Contact

# Tried in this order: a BOM says UTF-8; strict UTF-8 almost never accepts GBK bytes
# (its multi-byte rules are strict), so what fails it is read as GB18030 (a superset of GBK).
ENCODINGS = ("utf-8", "gb18030")


def decode_text(data: bytes) -> str:
    """Decode a file written as UTF-8, UTF-8 with a BOM, or GBK (GB18030)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class Layout:
    """The columns one client writes.

    Attributes:
        name: ``outlook``, ``thunderbird`` or ``foxmail``.
        header: every column, in the client's order.
        name_columns: the columns joined into the display name (the first filled
            ``display`` column wins over them).
        display: a column holding the whole display name, if the client has one.
        emails: the address columns, preferred first.
        groups: the column holding the group names, if any.
        encoding: what we write (Foxmail reads GBK; the others UTF-8 with a BOM).
    """

    name: str
    header: tuple[str, ...]
    name_columns: tuple[str, ...]
    display: str
    emails: tuple[str, ...]
    groups: str
    encoding: str


OUTLOOK = Layout(
    "outlook",
    ("First Name", "Middle Name", "Last Name", "Title", "Suffix", "Nickname",
     "E-mail Address", "E-mail 2 Address", "E-mail 3 Address", "Business Phone",
     "Home Phone", "Mobile Phone", "Company", "Job Title", "Categories", "Notes"),
    ("First Name", "Middle Name", "Last Name"),
    "",
    ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address"),
    "Categories",
    "utf-8-sig",
)  # fmt: skip
THUNDERBIRD = Layout(
    "thunderbird",
    ("First Name", "Last Name", "Display Name", "Nickname", "Primary Email",
     "Secondary Email", "Screen Name", "Work Phone", "Home Phone", "Fax Number",
     "Pager Number", "Mobile Number", "Home Address", "Home Address 2", "Home City",
     "Home State", "Home ZipCode", "Home Country", "Work Address", "Work Address 2",
     "Work City", "Work State", "Work ZipCode", "Work Country", "Job Title", "Department",
     "Organization", "Web Page 1", "Web Page 2", "Birth Year", "Birth Month", "Birth Day",
     "Custom 1", "Custom 2", "Custom 3", "Custom 4", "Notes"),
    ("First Name", "Last Name"),
    "Display Name",
    ("Primary Email", "Secondary Email"),
    "",
    "utf-8-sig",
)  # fmt: skip
FOXMAIL = Layout(
    "foxmail",
    ("姓名", "电子邮件地址", "昵称", "手机", "家庭电话", "办公电话", "公司", "部门", "职位",
     "生日", "附注", "分组"),
    (),
    "姓名",
    ("电子邮件地址",),
    "分组",
    "gbk",
)  # fmt: skip
LAYOUTS = {layout.name: layout for layout in (OUTLOOK, THUNDERBIRD, FOXMAIL)}
# The column that tells each layout apart (checked in this order).
_MARKERS = (("Primary Email", THUNDERBIRD), ("E-mail Address", OUTLOOK), ("电子邮件地址", FOXMAIL))


def detect_layout(header: Iterable[str]) -> Layout | None:
    """The layout whose marker column is in ``header`` (None when none is)."""
    names = {h.strip() for h in header}
    return next((layout for marker, layout in _MARKERS if marker in names), None)


def _split_groups(text: str) -> list[str]:
    for separator in (";", "；", ",", "，"):
        text = text.replace(separator, "\n")
    return [g.strip() for g in text.splitlines() if g.strip()]


def read_csv(data: bytes) -> tuple[Layout, list[Contact]]:
    """The layout and the people of a CSV file exported by one of the clients.

    Raises:
        ValueError: the header is not one of the known layouts.
    """
    text = decode_text(data)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    layout = detect_layout(rows[0]) if rows else None
    if layout is None:
        raise ValueError("unknown CSV layout")
    header = [h.strip() for h in rows[0]]
    people = []
    for row in rows[1:]:
        cells = dict(zip(header, (cell.strip() for cell in row), strict=False))
        emails = list(dict.fromkeys(cells[c] for c in layout.emails if cells.get(c)))
        name = cells.get(layout.display, "") if layout.display else ""
        if not name:
            parts = [cells.get(c, "") for c in layout.name_columns]
            name = " ".join(p for p in parts if p)
        groups = _split_groups(cells.get(layout.groups, "")) if layout.groups else []
        if name or emails:
            people.append(Contact(name=name, emails=emails, groups=groups))
    return layout, people


def write_csv(people: Iterable[Contact], layout: Layout) -> bytes:
    """``people`` in ``layout``'s columns and encoding (UTF-8 with a BOM if GBK cannot)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(layout.header)
    for person in people:
        cells = dict.fromkeys(layout.header, "")
        if layout.display:
            cells[layout.display] = person.name
        else:
            cells[layout.name_columns[0]] = person.name
        for column, email in zip(layout.emails, person.emails, strict=False):
            cells[column] = email
        if layout.groups:
            cells[layout.groups] = ";".join(person.groups)
        writer.writerow(cells.values())
    text = out.getvalue()
    try:
        return text.encode(layout.encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8-sig")
