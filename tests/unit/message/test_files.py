"""Atomic file writes: all or nothing, and patient with a target Windows reports busy."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from mailcomposer.message import files
from mailcomposer.message.files import atomic_file, atomic_write


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_write_then_replace(tmp_path: Path) -> None:
    target = tmp_path / "new folder" / "a.eml"
    atomic_write(target, b"first")
    atomic_write(target, b"second")
    assert target.read_bytes() == b"second"
    assert leftovers(target.parent) == []


def test_a_failure_inside_the_block_leaves_the_old_file_and_no_temporary(tmp_path) -> None:
    target = tmp_path / "a.eml"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_file(target) as fh:
        fh.write(b"half of the new")
        raise RuntimeError("disk full, say")
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


class BusyTarget:
    """os.replace refusing ``busy_times`` times, as Windows does while a scanner has the file."""

    def __init__(self, busy_times: int) -> None:
        self.busy_times = busy_times
        self.calls = 0
        self.real = os.replace

    def __call__(self, source: str, target: str) -> None:
        self.calls += 1
        if self.calls <= self.busy_times:
            raise PermissionError(13, "The process cannot access the file", target)
        self.real(source, target)


def test_windows_busy_target_is_retried_until_free(tmp_path, monkeypatch) -> None:
    busy = BusyTarget(busy_times=3)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "replace", busy)
    monkeypatch.setattr(files, "BUSY_RETRY_STEP_S", 0.001)
    atomic_write(tmp_path / "a.eml", b"data")
    assert busy.calls == 4
    assert (tmp_path / "a.eml").read_bytes() == b"data"


def test_a_target_that_stays_busy_fails_after_the_retry_time(tmp_path, monkeypatch) -> None:
    busy = BusyTarget(busy_times=10**6)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "replace", busy)
    monkeypatch.setattr(files, "BUSY_RETRY_S", 0.05)
    monkeypatch.setattr(files, "BUSY_RETRY_STEP_S", 0.001)
    with pytest.raises(PermissionError):
        atomic_write(tmp_path / "a.eml", b"data")
    assert busy.calls > 1
    assert leftovers(tmp_path) == []


def test_elsewhere_a_permission_error_is_real_and_raised_at_once(tmp_path, monkeypatch) -> None:
    busy = BusyTarget(busy_times=1)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(os, "replace", busy)
    with pytest.raises(PermissionError):
        atomic_write(tmp_path / "a.eml", b"data")
    assert busy.calls == 1


def test_a_temporary_file_is_new_private_and_named_as_asked(tmp_path: Path) -> None:
    fd, name = files.make_temp_file(tmp_path, ".a.eml.", ".tmp")
    os.close(fd)
    path = Path(name)
    assert path.is_absolute() and path.parent == tmp_path
    assert path.name.startswith(".a.eml.") and path.name.endswith(".tmp")
    if sys.platform != "win32":
        assert path.stat().st_mode & 0o777 == 0o600
    fd2, name2 = files.make_temp_file(tmp_path, ".a.eml.", ".tmp")
    os.close(fd2)
    assert name2 != name


def test_a_taken_temporary_name_is_never_reused(tmp_path: Path, monkeypatch) -> None:
    taken = tmp_path / ".x.000000000000.tmp"
    taken.write_bytes(b"someone else's")
    draws = iter([bytes(6), bytes(6), b"\x01" * 6])
    monkeypatch.setattr(os, "urandom", lambda n: next(draws))
    fd, name = files.make_temp_file(tmp_path, ".x.", ".tmp")
    os.close(fd)
    assert Path(name).name == ".x.010101010101.tmp"
    assert taken.read_bytes() == b"someone else's"
