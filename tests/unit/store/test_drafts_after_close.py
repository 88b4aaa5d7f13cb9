"""After the draft writer is closed, a failed save is still reported, never dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailcomposer.message.draft import Draft
from mailcomposer.store.drafts import DraftStore
from mailcomposer.store.paths import Home


def closed_store_that_cannot_write(tmp_path: Path) -> DraftStore:
    store = DraftStore(Home(tmp_path))
    store.close()
    store.path.parent.parent.mkdir(parents=True, exist_ok=True)
    store.path.parent.write_text("a file where the drafts folder should be")
    return store


def test_a_failed_save_after_close_goes_to_on_error(tmp_path: Path) -> None:
    store = closed_store_that_cannot_write(tmp_path)
    errors: list[OSError] = []
    done: list[bool] = []

    store.save_later(
        Draft(subject="lost?"), on_error=errors.append, on_done=lambda: done.append(True)
    )

    assert len(errors) == 1 and isinstance(errors[0], OSError)
    assert done == []


def test_a_failed_save_after_close_without_on_error_raises(tmp_path: Path) -> None:
    store = closed_store_that_cannot_write(tmp_path)

    with pytest.raises(OSError):
        store.save_later(Draft(subject="lost?"))
