"""``mailcomposer history`` and ``stats`` as text: why it failed, in Chinese too, bars that fit."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from mailcomposer import cli, i18n
from mailcomposer.store.history import History
from mailcomposer.store.paths import Home
from tests.unit.store.test_send_log import _week


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Home:
    monkeypatch.setenv("MAILCOMPOSER_HOME", str(tmp_path))
    return Home(tmp_path)


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MAILCOMPOSER_LANG", "zh_CN")  # each command sets its language
    yield
    i18n.set_language("en")


def refused_connection(home: Home) -> None:
    history = History(home)
    history.record(
        "<1@x>", "2026-12-06T10:00:00+08:00", "me@x.org", ["a@x.org"], "s", 0, "127.0.0.1:2699",
        "failed", stage="connect", reply_code=None, exit_code=3,
        reply_text="Nothing accepts connections at 127.0.0.1 port 2699.",
    )  # fmt: skip
    history.close()


def test_a_failure_without_a_reply_code_says_why(home, capsys):
    refused_connection(home)
    assert cli.main(["history"]) == 0
    out = capsys.readouterr().out
    assert "stopped at connect: Nothing accepts connections at 127.0.0.1 port 2699." in out


def test_outcomes_and_stages_are_in_chinese(home, capsys, chinese):
    history = History(home)
    _week(history)
    history.close()
    assert cli.main(["history", "--limit", "0"]) == 0
    out = capsys.readouterr().out
    assert "  失败" in out and "  已发送" in out and "停在 AUTH：535" in out
    assert " failed " not in out and " sent " not in out
    assert cli.main(["stats"]) == 0
    out = capsys.readouterr().out
    assert "  部分发送" in out and "  RCPT" in out and "无回复" in out
    assert "\n  none" not in out and "\n  partial" not in out


def test_a_bad_day_names_the_option_once_in_chinese(home, capsys, chinese):
    assert cli.main(["history", "--since", "2026-13-01"]) == 2
    err = capsys.readouterr().err
    assert err.count("--since") == 1 and "不是日期" in err


def test_busy_days_are_scaled_bars_and_a_long_log_goes_by_month(home, capsys):
    history = History(home)
    start = datetime.datetime(2025, 1, 1, 9, tzinfo=datetime.UTC)
    for n in range(400):
        when = start + datetime.timedelta(days=n // 100 * 300, minutes=n)
        history.record(f"<{n}@x>", when, "me@x.org", ["b@x.org"], "s", 1, "h:25", "sent")
    history.close()
    assert cli.main(["stats"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("Per month") for line in lines)
    assert "(scaled: the longest bar is 100 attempts)" in lines
    bars = [line for line in lines if line.startswith("  2025-")]
    assert bars[0] == "  2025-01     " + "█" * 40 + " 100"
    assert max(len(line) for line in lines) < 80
