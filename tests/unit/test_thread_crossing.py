"""What crosses between the send worker and the window cannot change, and is received by slots.

docs/pitfalls.md, Qt threads: ``Signal(object)`` hands the *same* Python object to the
other thread, so what a worker emits must be immutable; and a lambda connected to a
worker's signal runs in whichever thread Qt picks and may outlive its receiver, so
the modules that move workers to threads connect them to ``@Slot`` methods only.
"""

from __future__ import annotations

import ast
import dataclasses
import typing
from pathlib import Path

import pytest

from mailcomposer.smtp import rfc
from mailcomposer.smtp.errors import ExitCode, Refusal, SendError, SendResult, Stage
from mailcomposer.smtp.transcript import Direction, TranscriptEvent

UI = Path(__file__).resolve().parents[2] / "mailcomposer" / "ui"
CROSSING = (TranscriptEvent, SendResult, Refusal)
MUTABLE_ORIGINS = (list, dict, set, bytearray)


@pytest.mark.parametrize("cls", CROSSING, ids=lambda c: c.__name__)
def test_what_a_worker_emits_is_frozen_with_immutable_fields(cls) -> None:
    assert dataclasses.is_dataclass(cls)
    assert cls.__dataclass_params__.frozen, f"{cls.__name__} must be frozen"
    hints = typing.get_type_hints(cls, localns={"Ref": rfc.Ref})
    for field in dataclasses.fields(cls):
        hint = hints[field.name]
        for part in (hint, *typing.get_args(hint)):
            origin = typing.get_origin(part) or part
            assert origin not in MUTABLE_ORIGINS, f"{cls.__name__}.{field.name}: {hint}"


def test_a_frozen_event_refuses_changes() -> None:
    event = TranscriptEvent(0.0, Direction.CLIENT, "EHLO x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.text = "changed"  # type: ignore[misc]
    result = SendResult("<id@x>", ("a@x",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.accepted = ()  # type: ignore[misc]


def test_a_send_error_carries_only_immutable_values() -> None:
    error = SendError(Stage.CONNECT, ExitCode.CONNECTION, "cannot connect", code=421)
    for name, value in vars(error).items():
        assert not isinstance(value, MUTABLE_ORIGINS), f"SendError.{name}: {type(value)}"


def _modules_moving_workers_to_threads() -> list[Path]:
    return sorted(p for p in UI.rglob("*.py") if "moveToThread" in p.read_text(encoding="utf-8"))


def test_worker_modules_connect_no_lambdas() -> None:
    modules = _modules_moving_workers_to_threads()
    assert modules, "no module moves a worker to a thread any more: update this test"
    offenders = []
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "connect"
                and any(isinstance(arg, ast.Lambda) for arg in node.args)
            ):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == [], f"lambdas connected in worker modules: {offenders}"
