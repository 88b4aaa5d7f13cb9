"""Stand-in modules for ``send``: loaded at the first use of a name, not at ``import``."""

from __future__ import annotations

import importlib
import sys
import threading
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailcomposer.cli.lazyimports import defer_until_used

PROBE = "mc_lazy_probe"


@pytest.fixture
def probe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A module of our own on sys.path (never the real ssl of this test process)."""
    (tmp_path / f"{PROBE}.py").write_text("VALUE = 42\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, PROBE, raising=False)
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # as in a fresh `send`
    yield PROBE
    sys.modules.pop(PROBE, None)


def test_an_import_statement_does_not_run_the_module_but_a_name_does(probe: str) -> None:
    assert defer_until_used({probe: ""}) == [probe]
    module = importlib.import_module(probe)  # what smtplib's `import ssl` does
    assert module is sys.modules[probe]
    assert "VALUE" not in vars(module)  # importing read __spec__ only
    assert module.__name__ == probe and module.__spec__ is not None
    assert module.VALUE == 42
    assert type(module) is types.ModuleType
    with pytest.raises(AttributeError):
        module.missing  # noqa: B018


def test_nothing_is_deferred_once_a_second_thread_runs(
    probe: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert defer_until_used({probe: ""}) == []
    assert probe not in sys.modules


def test_a_module_already_imported_is_left_as_it_is(probe: str) -> None:
    real = sys.modules["json"] if "json" in sys.modules else importlib.import_module("json")
    assert defer_until_used({"json": ""}) == []
    assert sys.modules["json"] is real


def test_a_module_whose_compiled_part_is_missing_is_imported_normally_later(probe: str) -> None:
    # Like ssl on a Python built without OpenSSL: its import must fail where smtplib
    # expects it, so no stand-in hides that.
    assert defer_until_used({probe: "mc_no_such_extension"}) == []
    assert probe not in sys.modules
