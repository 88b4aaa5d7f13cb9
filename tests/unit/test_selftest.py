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
