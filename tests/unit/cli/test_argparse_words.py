"""argparse's own words (usage, headings, its errors) follow the language, as ours do."""

from __future__ import annotations

import pytest

from mailcomposer import i18n
from mailcomposer.cli import main


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch, tmp_path):
    monkeypatch.setenv("MAILCOMPOSER_LANG", "zh_CN")
    monkeypatch.setenv("MAILCOMPOSER_HOME", str(tmp_path))
    yield
    i18n.set_language("en")


def test_a_chinese_help_has_no_english_headings(chinese, capsys) -> None:
    assert main(["account", "test", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：mailcomposer account test")
    assert "选项" in out and "显示此帮助并退出" in out
    assert "usage:" not in out and "options:" not in out


def test_argparse_errors_are_translated_and_keep_our_one_line_form(chinese, capsys) -> None:
    assert main(["send", "--to"]) == 2
    assert "--to: 需要一个参数" in capsys.readouterr().err


def test_english_stays_as_argparse_writes_it(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setenv("MAILCOMPOSER_LANG", "en")
    monkeypatch.setenv("MAILCOMPOSER_HOME", str(tmp_path))
    assert main(["send", "--to"]) == 2
    assert "--to: expected one argument" in capsys.readouterr().err
