"""Tests for the outbox: exact bytes and envelope kept until the 250, no secrets."""

from __future__ import annotations

import base64
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

from mailcomposer.smtp.errors import ExitCode
from mailcomposer.smtp.settings import Secret, Security, ServerSettings
from mailcomposer.store.accounts import Account, AccountStore, Identity
from mailcomposer.store.credentials import Credentials
from mailcomposer.store.outbox import Outbox, OutboxState
from mailcomposer.store.paths import Home
from mailcomposer.submission import Submission
from tests.servers import SmtpTestServer
from tests.smtp_fixtures import make_built

PASSWORD = "pa55-Secret-word"
WIRE = b"From: ann@example.org\r\nTo: bob@example.org\r\nSubject: hi\r\n\r\n.dot line\r\n"


@dataclass(frozen=True)
class StubEnvelope:
    sender: str
    recipients: tuple[str, ...]
    smtputf8: bool


class StubWire:
    """Streams its bytes in small pieces, as ``WireMessage.write_to`` does."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.size = len(data)

    def write_to(self, fh: io.BufferedIOBase) -> None:
        for start in range(0, len(self.data), 7):
            fh.write(self.data[start : start + 7])


@dataclass
class StubBuilt:
    """The parts of a BuiltMessage the outbox uses (the outbox is tested on its own)."""

    data: bytes = WIRE
    message_id: str = "<abc@example.org>"
    envelope: StubEnvelope = StubEnvelope(
        "ann@example.org", ("bob@example.org", "carol@example.org"), False
    )

    def wire(self, eight_bit: bool = False) -> StubWire:
        return StubWire(self.data)


def test_add_writes_exact_bytes_and_envelope(tmp_path: Path) -> None:
    outbox = Outbox(Home(tmp_path))
    entry = outbox.add(StubBuilt(), account="Work", server="smtp.example.org:587")
    assert entry.path.read_bytes() == WIRE
    assert entry.size == len(WIRE)
    assert entry.state is OutboxState.QUEUED
    assert entry.recipients == ("bob@example.org", "carol@example.org")
    meta = json.loads(entry.path.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["envelope"]["sender"] == "ann@example.org"
    assert meta["message_id"] == "<abc@example.org>"
    assert meta["server"] == "smtp.example.org:587"
    assert [e.id for e in outbox.pending()] == [entry.id]
    # No temporary files are left behind.
    assert sorted(p.suffix for p in (tmp_path / "outbox").iterdir()) == [".eml", ".json"]


def test_remove_after_acceptance(tmp_path: Path) -> None:
    outbox = Outbox(Home(tmp_path))
    entry = outbox.add(StubBuilt())
    outbox.remove(entry.id)
    assert outbox.pending() == []
    assert list((tmp_path / "outbox").iterdir()) == []
    outbox.remove(entry.id)  # already gone: fine


def test_unknown_outcome_is_kept_and_marked(tmp_path: Path) -> None:
    outbox = Outbox(Home(tmp_path))
    entry = outbox.add(StubBuilt())
    outbox.mark(entry.id, OutboxState.UNKNOWN)
    [left] = Outbox(Home(tmp_path)).pending()
    assert left.state is OutboxState.UNKNOWN
    assert left.message_id == "<abc@example.org>"
    assert left.read_bytes() == WIRE


def secret_forms(user: str, password: str) -> list[bytes]:
    """The password as it could leak: plain, UTF-16, and as AUTH PLAIN/LOGIN send it."""
    plain = f"\0{user}\0{password}".encode()
    return [
        password.encode(),
        password.encode("utf-16-le"),
        base64.b64encode(password.encode()),
        base64.b64encode(plain),
    ]


def files_under(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_no_secret_is_written(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    user = "ann@example.org"
    with SmtpTestServer(auth={user: PASSWORD}, auth_require_tls=False) as server:
        # The password goes every way the app takes it: with a saved account (to the
        # keyring), back out as the Secret a Submission logs in with.
        account = Account(
            name="Work",
            server=ServerSettings(server.host, server.port, Security.NONE, username=user),
            identities=[Identity("Ann", user)],
        )
        AccountStore(home).save(account)
        assert Credentials().set("Work", PASSWORD, user=user) is True
        secret = Credentials().get("Work", user)
        assert secret == Secret(PASSWORD)
        built = make_built(from_addr=f"Ann <{user}>", bcc="carol@example.org")

        # Every file of the home folder, at every step of the send (each state change
        # and each transcript line), so the outbox is searched while it holds the copy.
        seen: dict[str, dict[Path, bytes]] = {}

        def look(moment: str) -> None:
            seen[f"{len(seen)} {moment}"] = files_under(home.root)

        submission = Submission(
            home,
            account.server,
            secret,
            built,
            account.name,
            on_state=lambda state: look(state.value),
        )
        result = submission.run(lambda event: look(event.format()[:40]))

    assert result.exit_code is ExitCode.OK  # logged in with the secret and sent
    look("finished")
    outbox_files = {
        path for files in seen.values() for path in files if home.outbox in path.parents
    }
    assert {".eml", ".json"} <= {p.suffix for p in outbox_files}  # the outbox was searched
    assert any(p.name == "history.sqlite3" for p in seen[next(reversed(seen))])
    for moment, files in seen.items():
        for path, data in files.items():
            for form in secret_forms(user, PASSWORD):
                assert form not in data, f"{form!r} in {path} ({moment})"
            if path in outbox_files:
                assert b"password" not in data.lower()


def test_failed_write_leaves_nothing(tmp_path: Path) -> None:
    class Broken(StubBuilt):
        def wire(self, eight_bit: bool = False) -> StubWire:
            raise OSError("attachment vanished")

    outbox = Outbox(Home(tmp_path))
    try:
        outbox.add(Broken())
    except OSError:
        pass
    assert list((tmp_path / "outbox").iterdir()) == []


def test_a_copy_being_written_is_not_listed_until_committed(tmp_path: Path) -> None:
    outbox = Outbox(Home(tmp_path))
    copy = outbox.begin(account="Work", server="smtp.example.org:587")
    copy.file.write(WIRE[:20])
    copy.file.flush()
    # A crash now leaves one hidden temporary file: nothing listed, no sidecar to count.
    assert outbox.pending() == []
    [hidden] = (tmp_path / "outbox").iterdir()
    assert hidden.name.startswith(".") and hidden.suffix == ".tmp"
    copy.restart().write(WIRE)  # a second pass starts from empty
    entry = copy.commit(StubBuilt())
    assert copy.committed and entry.id == copy.id
    assert [e.id for e in outbox.pending()] == [entry.id]
    assert entry.read_bytes() == WIRE and entry.size == len(WIRE)
    assert sorted(p.name for p in (tmp_path / "outbox").iterdir()) == [
        f"{entry.id}.eml",
        f"{entry.id}.json",
    ]
    copy.discard()  # after a commit: keeps the entry
    assert [e.id for e in outbox.pending()] == [entry.id]


def test_discarded_copy_leaves_nothing(tmp_path: Path) -> None:
    outbox = Outbox(Home(tmp_path))
    copy = outbox.begin()
    copy.file.write(WIRE)
    copy.discard()
    copy.discard()  # idempotent
    assert list((tmp_path / "outbox").iterdir()) == []


def test_stale_half_copies_are_removed_by_a_later_send(tmp_path: Path) -> None:
    outbox = Outbox(Home(tmp_path))
    crashed = outbox.begin()
    crashed.file.write(b"half")
    crashed.file.close()
    [stale] = (tmp_path / "outbox").iterdir()
    recent = outbox.begin()  # another send still writing: must survive
    day_and_more = 25 * 3600
    kept = outbox.add(StubBuilt())  # a listed entry, however old, is the user's
    orphan = tmp_path / "outbox" / "20200101T000000-0123456789ab.eml"  # its sidecar never came
    orphan.write_bytes(WIRE)
    for path in (stale, orphan, kept.path, kept.path.with_suffix(".json")):
        old = path.stat().st_mtime - day_and_more
        os.utime(path, (old, old))
    later = outbox.begin()
    left = {p.name for p in (tmp_path / "outbox").iterdir()}
    assert stale.name not in left and orphan.name not in left
    assert [e.id for e in outbox.pending()] == [kept.id]
    assert len(left) == 4  # the recent copy, the new one, the kept entry's two files
    recent.discard()
    later.discard()
