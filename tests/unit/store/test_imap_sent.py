"""Sent-folder pieces without a server: mailbox names, LIST parsing, settings, the waiting queue."""

from __future__ import annotations

import pytest

from mailcomposer.smtp.settings import Secret, Security, ServerSettings
from mailcomposer.store import imaputf7, presets
from mailcomposer.store.accounts import Account, Identity, account_from_dict, account_to_dict
from mailcomposer.store.imapsent import ImapError, Mailbox, choose_sent, parse_list, quote
from mailcomposer.store.imapsettings import ImapSettings
from mailcomposer.store.paths import Home
from mailcomposer.store.sentcopies import SentCopies, imap_for, retry, save_sent


@pytest.mark.parametrize(
    ("name", "wire"),
    [
        ("Sent", "Sent"),
        ("已发送", "&XfJT0ZAB-"),
        ("A&B", "A&-B"),
        ("Entwürfe", "Entw&APw-rfe"),
        ("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"),  # RFC 3501's example
    ],
)
def test_modified_utf7_both_ways(name: str, wire: str) -> None:
    assert imaputf7.encode(name) == wire
    assert imaputf7.decode(wire) == name


def test_malformed_modified_utf7_is_kept() -> None:
    assert imaputf7.decode("&Jjo!") == "&Jjo!"


def test_parse_list_reads_flags_quotes_and_literals() -> None:
    lines = [
        b'(\\HasNoChildren) "." INBOX',
        b'(\\HasNoChildren \\Sent) "." "Sent Items"',
        b'(\\Noselect) "/" "[Gmail]"',
        (b'(\\HasNoChildren) "." {10}', b"&XfJT0ZAB-"),
        None,
    ]
    boxes = parse_list(lines)
    assert [b.name for b in boxes] == ["INBOX", "Sent Items", "[Gmail]", "已发送"]
    assert "\\sent" in boxes[1].flags and boxes[3].raw == "&XfJT0ZAB-"


def test_choose_sent_prefers_the_special_use_flag_then_names() -> None:
    marked = Mailbox("Gesendet", "Gesendet", frozenset({"\\sent"}), ".")
    named = Mailbox("INBOX.Sent Messages", "INBOX.Sent Messages", frozenset(), ".")
    chinese = Mailbox("已发送", "&XfJT0ZAB-", frozenset(), "/")
    assert choose_sent([named, marked]) is marked
    assert choose_sent([chinese, named]) is named  # "Sent Messages" comes before 已发送
    assert choose_sent([chinese]) is chinese
    assert choose_sent([Mailbox("Sent", "Sent", frozenset({"\\noselect"}))]) is None


def test_quote_escapes_and_encodes() -> None:
    assert quote('a"b\\已') == '"a\\"b\\\\&XfI-"'


def _account(**kw: object) -> Account:
    return Account(
        name="Work",
        server=ServerSettings(host="smtp.example.org", port=587, username="ann"),
        identities=[Identity("", "ann@example.org")],
        **kw,  # type: ignore[arg-type]
    )


def test_imap_settings_round_trip_and_old_files_read() -> None:
    imap = ImapSettings("imap.example.org", 143, Security.STARTTLS, "已发送", False)
    account = _account(imap=imap)
    assert account_from_dict(account_to_dict(account)) == account
    data = account_to_dict(_account())
    assert data["imap"] is None
    del data["imap"]  # accounts.json written before the field existed
    assert account_from_dict(data).imap is None


def test_presets_carry_imap_and_gmail_files_sent_mail_itself() -> None:
    assert all(p.imap is not None and p.imap.port == 993 for p in presets.presets())
    gmail = presets.get("gmail")
    assert gmail is not None and gmail.imap is not None and not gmail.imap.save_sent
    qq = presets.get("qq")
    assert qq is not None and qq.imap == ImapSettings("imap.qq.com", 993, Security.TLS)


def test_imap_for_falls_back_to_the_preset() -> None:
    account = Account(
        name="QQ",
        server=ServerSettings(host="smtp.qq.com", port=465, username="1@qq.com"),
        identities=[Identity("", "1@qq.com")],
    )
    assert imap_for(account) == presets.get("qq").imap  # type: ignore[union-attr]
    assert imap_for(_account()) is None


class Appender:
    def __init__(self, fail: str = "") -> None:
        self.fail = fail
        self.calls: list[tuple[str, bytes]] = []

    def __call__(self, imap, username, secret, data, **kw) -> str:
        if self.fail:
            raise ImapError(self.fail)
        self.calls.append((username, data.read_bytes()))  # the kept file
        return "Sent"


def test_save_sent_keeps_a_failed_copy_and_a_retry_files_it(tmp_path) -> None:
    home = Home(tmp_path)
    account = _account(imap=ImapSettings("imap.example.org"))
    down = SentCopies(home, appender=Appender("could not connect"))
    [outcome] = save_sent(home, account, Secret("pw"), b"Bcc: x\r\n\r\nhi\r\n", copies=down)
    assert not outcome.saved and outcome.waiting is not None
    assert outcome.line().startswith("The copy for Sent is waiting: could not connect.")
    [kept] = down.waiting("Work")
    assert kept.last_error == "could not connect"

    up = Appender()
    outcomes = retry(home, {"Work": account}.get, lambda a: Secret("pw"),
                     copies=SentCopies(home, appender=up))  # fmt: skip
    assert [o.saved for o in outcomes] == [True]
    assert up.calls == [("ann", b"Bcc: x\r\n\r\nhi\r\n")]
    assert SentCopies(home).waiting() == []


def test_without_a_password_the_copy_waits(tmp_path) -> None:
    home = Home(tmp_path)
    account = _account(imap=ImapSettings("imap.example.org"))
    [outcome] = save_sent(home, account, None, b"x", copies=SentCopies(home, appender=Appender()))
    assert outcome.waiting is not None and "no password" in outcome.reason


def test_retry_of_a_removed_account_keeps_the_copy(tmp_path) -> None:
    home = Home(tmp_path)
    SentCopies(home).keep("Gone", b"x")
    [outcome] = retry(home, lambda name: None, lambda a: None)
    assert outcome.waiting is not None and "Gone" in outcome.reason


def test_no_imap_or_save_sent_off_says_why(tmp_path) -> None:
    home = Home(tmp_path)
    [none] = save_sent(home, _account(), Secret("pw"), b"x")
    assert none.line() == (
        "Not saved to Sent: no IMAP server is set for this account (account add … --imap HOST)"
    )
    off = _account(imap=ImapSettings("imap.example.org", save_sent=False))
    [outcome] = save_sent(home, off, Secret("pw"), b"x")
    assert outcome.reason == "saving to Sent is off for this account"
    assert SentCopies(home).waiting() == []
