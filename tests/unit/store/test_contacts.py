"""The address book: storage, groups, search, merging and ranked completion."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from mailcomposer.store.contacts import AddressBook, Contact, format_address, usage_scores
from mailcomposer.store.history import History
from mailcomposer.store.paths import Home

NOW = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)


@dataclass
class Record:
    date: str
    recipients: tuple[str, ...]
    result: str = "sent"


def days_ago(days: float) -> str:
    return (NOW - datetime.timedelta(days=days)).isoformat(timespec="seconds")


def test_book_saves_and_loads_chinese_names_and_groups(tmp_path: Path) -> None:
    book = AddressBook.open(tmp_path)
    assert book.contacts == [] and book.load_error == ""
    book.contacts.append(Contact("张伟", ["zhang.wei@example.cn", "zw@work.cn"], ["同事"]))
    book.groups_to_bcc = True
    book.save()
    saved = json.loads((tmp_path / "contacts.json").read_text(encoding="utf-8"))
    assert saved["contacts"][0]["name"] == "张伟"
    again = AddressBook.open(tmp_path)
    assert [c.to_json() for c in again.contacts] == [c.to_json() for c in book.contacts]
    assert again.groups_to_bcc is True
    assert not list(tmp_path.glob(".contacts.json.*"))  # no temporary file left behind


def test_a_damaged_file_is_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "contacts.json").write_text("{not json", encoding="utf-8")
    book = AddressBook.open(tmp_path)
    assert book.contacts == []
    assert book.load_error


def test_search_matches_name_address_and_group() -> None:
    book = AddressBook(Path("unused.json"))
    book.contacts = [
        Contact("Ann Lee", ["ann@example.org"], ["Team"]),
        Contact("张伟", ["zhang.wei@example.cn"]),
    ]
    assert [c.name for c in book.search("ANN")] == ["Ann Lee"]
    assert [c.name for c in book.search("张")] == ["张伟"]
    assert [c.name for c in book.search("example.cn")] == ["张伟"]
    assert [c.name for c in book.search("team")] == ["Ann Lee"]
    assert len(book.search("")) == 2


def test_group_expands_to_members_with_their_preferred_address() -> None:
    book = AddressBook(Path("unused.json"))
    book.contacts = [
        Contact("Bo", ["bo@example.org", "bo@home.example"], ["Team"]),
        Contact("Lee, K", ["k@example.org"], ["team", "Friends"]),
        Contact("Outsider", ["out@example.org"]),
        Contact("No address", [], ["Team"]),
    ]
    assert book.groups() == ["Friends", "Team"]
    assert book.group_named("TEAM") == "Team"
    assert book.group_named("nobody") is None
    assert book.members("Team") == ["Bo <bo@example.org>", '"Lee, K" <k@example.org>']


def test_format_address_quotes_specials_only() -> None:
    assert format_address("张伟", "z@x.cn") == "张伟 <z@x.cn>"
    assert format_address("", "z@x.cn") == "z@x.cn"
    assert format_address('Lee, "K"', "k@x.org") == '"Lee, \\"K\\"" <k@x.org>'


def test_merge_completes_a_known_person_instead_of_duplicating() -> None:
    book = AddressBook(Path("unused.json"))
    book.contacts = [Contact("张伟", ["zhang.wei@example.cn"])]
    changed = book.merge(
        [
            Contact("Zhang Wei", ["ZHANG.WEI@example.cn", "zw@work.cn"], ["同事"]),
            Contact("李娜", ["li.na@example.cn"]),
            Contact("", []),
        ]
    )
    assert changed == 2
    assert [(c.name, c.emails, c.groups) for c in book.contacts] == [
        ("张伟", ["zhang.wei@example.cn", "zw@work.cn"], ["同事"]),
        ("李娜", ["li.na@example.cn"], []),
    ]
    assert book.merge([Contact("李娜", ["li.na@example.cn"])]) == 0


def test_usage_scores_weigh_frequency_and_recency() -> None:
    records = [
        *(Record(days_ago(300), ("old-often@example.org",)) for _ in range(5)),
        Record(days_ago(1), ("recent@example.org",)),
        Record(days_ago(2), ("Recent Two <recent2@example.org>",)),
        Record(days_ago(2), ("recent2@example.org",)),
        Record(days_ago(0), ("failed@example.org",), result="failed"),
    ]
    scores = usage_scores(records, NOW)
    assert "failed@example.org" not in scores
    order = sorted(scores, key=lambda k: -scores[k][0])
    assert order == ["recent2@example.org", "recent@example.org", "old-often@example.org"]
    assert scores["recent2@example.org"][1] == "Recent Two <recent2@example.org>"


def test_completions_rank_history_use_name_contacts_and_end_with_groups(tmp_path: Path) -> None:
    history = History(Home(tmp_path))
    try:
        for days, to in [(40, "alma@example.org"), (3, "alex@example.org"),
                         (2, "alex@example.org"), (1, "al@example.org")]:  # fmt: skip
            history.record("<m@x>", NOW - datetime.timedelta(days=days), "me@example.org",
                           [to], "s", 1, "smtp.example.org", "sent")  # fmt: skip
        records = history.query()
    finally:
        history.close()
    book = AddressBook(tmp_path / "contacts.json")
    book.contacts = [
        Contact("Alex Kim", ["alex@example.org"], ["Alpine club"]),
        Contact("Albert 张", ["albert@example.cn"]),
    ]
    assert book.completions(records, NOW) == [
        "Alex Kim <alex@example.org>",  # used twice lately
        "al@example.org",
        "alma@example.org",
        "Albert 张 <albert@example.cn>",  # never used: after the used ones
        "Alpine club",
    ]
