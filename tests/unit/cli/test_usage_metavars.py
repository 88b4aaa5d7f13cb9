"""A usage line shows an option's value the way it is typed, spaces included."""

from __future__ import annotations

import pytest

from mailcomposer import i18n
from mailcomposer.cli import main


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch, tmp_path):
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("MAILCOMPOSER_HOME", str(tmp_path))
    yield
    i18n.set_language("en")


def _usage(capsys: pytest.CaptureFixture[str]) -> str:
    out = capsys.readouterr().out
    return out.split("\n\n", 1)[0]


def test_the_chinese_sandbox_usage_keeps_the_space_of_the_fault_syntax(
    wide, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("MAILCOMPOSER_LANG", "zh_CN")
    assert main(["sandbox", "--help"]) == 0
    usage = _usage(capsys)
    assert "[--fault 阶段=代码[ 文本]]" in usage
    assert "阶段=代码[文本]" not in usage
    assert "[--reject-rcpt 地址[=代码 文本]]" in usage


def test_the_english_sandbox_usage_keeps_it_too(wide, monkeypatch, capsys) -> None:
    monkeypatch.setenv("MAILCOMPOSER_LANG", "en")
    assert main(["sandbox", "--help"]) == 0
    usage = _usage(capsys)
    assert "[--fault STAGE=CODE[ TEXT]]" in usage
    assert "STAGE=CODE[TEXT]" not in usage


def test_a_narrow_terminal_wraps_between_options_not_inside_a_value(
    monkeypatch, tmp_path, capsys
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("MAILCOMPOSER_HOME", str(tmp_path))
    monkeypatch.setenv("MAILCOMPOSER_LANG", "en")
    assert main(["sandbox", "--help"]) == 0
    lines = [line.strip() for line in _usage(capsys).splitlines()]
    assert "[--fault STAGE=CODE[ TEXT]]" in lines
    assert "\x00" not in "".join(lines)
