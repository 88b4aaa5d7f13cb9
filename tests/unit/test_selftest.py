"""The self-test a frozen build runs: it must name a real keyring backend."""

from __future__ import annotations

import json

import pytest

from mailcomposer import cli
from tests.memory_keyring import NoKeyring


def test_selftest_passes_with_a_backend(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["selftest", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    checks = {c["name"]: c for c in report["checks"]}
    assert checks["keyring"]["ok"] and "MemoryKeyring" in checks["keyring"]["detail"]
    assert checks["resources"]["ok"]
    assert checks["tls"]["ok"]


def test_selftest_fails_without_a_keyring_backend(capsys: pytest.CaptureFixture[str]) -> None:
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    assert cli.main(["selftest"]) == 1
    out = capsys.readouterr().out
    assert "keyring" in out and "FAILED" in out
    keyring.set_keyring(NoKeyring())


def test_selftest_reports_a_broken_keyring_setting_without_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring.core

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "")
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    assert cli.main(["selftest"]) == 1
    assert "ValueError" in capsys.readouterr().out


def test_selftest_loads_every_module_of_the_app(capsys: pytest.CaptureFixture[str]) -> None:
    import pkgutil

    import mailcomposer

    assert cli.main(["selftest", "--json"]) == 0
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    count = 1 + sum(1 for _ in pkgutil.walk_packages(mailcomposer.__path__, "mailcomposer."))
    assert checks["modules"] == {
        "name": "modules", "ok": True, "detail": f"all {count - 1} load", "hint": "",
    }  # fmt: skip


def test_selftest_names_each_module_that_cannot_load_and_why(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    # What a frozen build that lost a lazily imported module (or one of its
    # dependencies) looks like: the module is there by name and does not load.
    import sys

    import mailcomposer

    (tmp_path / "lostdep.py").write_text("import a_dependency_the_build_lost\n")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "__init__.py").write_text("raise RuntimeError('half copied')\n")
    monkeypatch.setattr(mailcomposer, "__path__", [*mailcomposer.__path__, str(tmp_path)])
    try:
        assert cli.main(["selftest"]) == 1
    finally:
        for name in ("mailcomposer.lostdep", "mailcomposer.broken"):
            sys.modules.pop(name, None)
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("modules"))
    assert "FAILED" in line and "2 of " in line and " do not load: " in line
    assert "mailcomposer.lostdep (ModuleNotFoundError: No module named" in line
    assert "a_dependency_the_build_lost" in line
    assert "mailcomposer.broken (RuntimeError: half copied)" in line


def test_without_a_keyring_selftest_says_what_to_do_and_lines_up_in_chinese(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import keyring
    from keyring.backends import fail

    from mailcomposer import i18n
    from mailcomposer.terminal import display_width

    keyring.set_keyring(fail.Keyring())
    i18n.set_language("zh_CN")
    try:
        assert cli.main(["selftest"]) == 1
    finally:
        i18n.set_language("en")
        keyring.set_keyring(NoKeyring())
    lines = capsys.readouterr().out.splitlines()[1:]

    def detail_column(line: str) -> int:
        if line.startswith(" "):  # a hint, under the details
            return len(line) - len(line.lstrip(" "))
        verdict, after = line[11:].split(" ", 1)
        return 11 + display_width(verdict) + 1 + len(after) - len(after.lstrip(" "))

    # The details start in one column, though 正常 and 失败 take two columns a character.
    assert len({detail_column(line) for line in lines}) == 1, lines
    assert any("gnome-keyring" in line and "MAILCOMPOSER_PASSWORD" in line for line in lines)
