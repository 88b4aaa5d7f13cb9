"""``mailcomposer history`` and ``stats``: the send log from the command line, text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mailcomposer import cli
from mailcomposer.store.history import History
from mailcomposer.store.paths import Home
from mailcomposer.store.stats import compute
from tests.unit.store.test_send_log import _week


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Home:
    monkeypatch.setenv("MAILCOMPOSER_HOME", str(tmp_path))
    home = Home(tmp_path)
    history = History(home)
    _week(history)
    history.close()
    return home


def test_history_lists_newest_first_with_why_it_failed(home, capsys):
    assert cli.main(["history", "--limit", "3"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("2026-12-06 09:00  sent")
    assert any("stopped at auth: 535" in line for line in out)
    assert sum(line.startswith("2026-") for line in out) == 3


def test_history_json_failed_since_and_search(home, capsys):
    assert cli.main(["history", "--json", "--failed", "--since", "2026-12-04"]) == 0
    attempts = json.loads(capsys.readouterr().out)["attempts"]
    assert [a["result"] for a in attempts] == ["failed", "cancelled"]
    assert all("transcript" not in a for a in attempts)
    assert cli.main(["history", "--json", "--search", "163.com"]) == 0
    (only,) = json.loads(capsys.readouterr().out)["attempts"]
    assert only["result"] == "partial"


@pytest.mark.parametrize(
    "argv,words",
    [
        (["history", "--since", "yesterday"], "--since: 'yesterday' is not a date"),
        (["history", "--limit", "-1"], "--limit:"),
        (["stats", "--since", "2026-02-30"], "YYYY-MM-DD"),
    ],
)
def test_bad_options_exit_2_and_say_what_to_fix(home, capsys, argv, words):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("mailcomposer: error: ") and words in err


def test_stats_json_agrees_with_the_log(home, capsys):
    assert cli.main(["stats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    history = History(home)
    expected = compute(history.query()).to_json()
    history.close()
    assert data == json.loads(json.dumps(expected))
    assert data["attempts"] == 8 and data["by_outcome"]["unknown"] == 1


def test_stats_text_has_bars_and_plural_counts(home, capsys):
    assert cli.main(["stats", "--since", "2026-12-06"]) == 0
    out = capsys.readouterr().out
    assert "1 attempt\n" in out
    assert "2026-12-06  █ 1" in out
    assert cli.main(["stats"]) == 0
    assert "8 attempts" in capsys.readouterr().out


def test_an_empty_log(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MAILCOMPOSER_HOME", str(tmp_path))
    assert cli.main(["history"]) == 0
    assert "No send attempts match." in capsys.readouterr().out
    assert cli.main(["stats"]) == 0
    assert "0 attempts" in capsys.readouterr().out
