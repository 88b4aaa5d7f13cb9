"""The draft autosave is atomic: temp file beside it, fsync, then one os.replace."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from mailcomposer.message.draft import Draft
from mailcomposer.store.drafts import DraftStore
from mailcomposer.store.paths import Home


@dataclass(frozen=True)
class Synced:
    inode: int
    size: int


@dataclass(frozen=True)
class Replaced:
    source: Path
    source_inode: int
    target: Path
    target_before: bytes | None  # what a reader of the target saw just before the replace


class DiskSpy:
    """Records every os.fsync and os.replace, in order, from any thread."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.events: list[Synced | Replaced] = []
        self._lock = threading.Lock()
        real_fsync, real_replace = os.fsync, os.replace

        def fsync(fd: int) -> None:
            info = os.fstat(fd)
            self._add(Synced(info.st_ino, info.st_size))
            real_fsync(fd)

        def replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
            target_path = Path(target)
            before = target_path.read_bytes() if target_path.is_file() else None
            self._add(Replaced(Path(source), os.stat(source).st_ino, target_path, before))
            real_replace(source, target)

        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "replace", replace)

    def _add(self, event: Synced | Replaced) -> None:
        with self._lock:
            self.events.append(event)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[DraftStore]:
    drafts = DraftStore(Home(tmp_path))
    yield drafts
    drafts.close()


def save_now(store: DraftStore, draft: Draft) -> None:
    store.save(draft)


def save_in_background(store: DraftStore, draft: Draft) -> None:
    errors: list[OSError] = []
    store.save_later(draft, on_error=errors.append)
    store.flush()
    assert errors == []


@pytest.mark.parametrize("save", [save_now, save_in_background], ids=["save", "save_later"])
def test_each_save_syncs_a_temp_file_then_replaces_the_draft_in_one_step(
    store: DraftStore, monkeypatch: pytest.MonkeyPatch, save: Callable[[DraftStore, Draft]]
) -> None:
    old, new = Draft(subject="old", text="a" * 5000), Draft(subject="new", text="b" * 9000)
    store.save(old)
    old_bytes = store.path.read_bytes()
    spy = DiskSpy(monkeypatch)

    save(store, new)

    new_bytes = DraftStore.serialize(new)
    assert store.path.read_bytes() == new_bytes
    # Exactly: the whole new content synced to disk in a temporary file, then that
    # file (not a copy) renamed over the draft, which until then still held the old one.
    [synced, replaced] = spy.events
    assert synced == Synced(replaced.source_inode, len(new_bytes))
    assert replaced.target == store.path
    assert replaced.source.parent == store.path.parent  # same folder: a rename, not a copy
    assert replaced.source != store.path
    assert replaced.target_before == old_bytes
    assert [p.name for p in store.path.parent.iterdir()] == [store.path.name]
