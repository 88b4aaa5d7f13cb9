"""``mailcomposer outbox`` with a damaged sidecar: listed, explained, deletable; no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mailcomposer import cli
from mailcomposer.store.outbox import Outbox
from mailcomposer.store.paths import Home
from tests.smtp_fixtures import make_built


def test_list_retry_and_delete_a_damaged_entry(
    mailcomposer_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entry = Outbox(Home(mailcomposer_home)).add(make_built(subject="Damaged 损坏"))
    entry.path.with_suffix(".json").write_text("[1, 2]", encoding="utf-8")

    assert cli.main(["outbox", "list", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)["entries"]
    assert (listed["id"], listed["state"], listed["subject"]) == (
        entry.id,
        "unknown",
        "Damaged 损坏",
    )

    assert cli.main(["outbox", "retry", entry.id]) == 2  # whom to send it to is not known
    err = capsys.readouterr().err
    assert str(entry.path) in err and "composer" in err

    assert cli.main(["outbox", "delete", entry.id]) == 0
    assert not entry.path.exists()
