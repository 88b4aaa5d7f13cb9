"""DraftStore: atomic autosave, restore, clear, damaged files."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailcomposer.message.draft import Attachment, Draft, InlineImage, Priority
from mailcomposer.store.drafts import DraftStore
from mailcomposer.store.paths import Home


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(Home(tmp_path))


def full_draft(tmp_path: Path) -> Draft:
    doc = tmp_path / "报告.pdf"
    doc.write_bytes(b"%PDF-1.4 test")
    return Draft(
        from_addr="Ann <ann@example.org>",
        to="Bo <bo@example.org>, c@example.org",
        bcc="secret@example.org",
        subject="周报 — week 47",
        text="Hello\nworld",
        html="<p>Hello <b>world</b><img src='img1'></p>",
        inline_images=[InlineImage("img1", b"\x89PNG\r\n\x1a\n\x00", "image/png")],
        attachments=[Attachment("报告.pdf", path=doc), Attachment("n.txt", data=b"\x00\xff")],
        priority=Priority.HIGH,
        message_id="<abc@example.org>",
    )


def test_load_without_file_is_none(store: DraftStore) -> None:
    assert store.load() is None
    assert not store.exists()


def test_round_trip_keeps_everything(store: DraftStore, tmp_path: Path) -> None:
    draft = full_draft(tmp_path)
    store.save(draft)
    assert store.exists()
    assert store.load() == draft


def test_save_replaces_and_leaves_no_temp_files(store: DraftStore, tmp_path: Path) -> None:
    store.save(Draft(subject="one"))
    store.save(Draft(subject="two"))
    assert store.load().subject == "two"
    assert [p.name for p in store.path.parent.iterdir()] == [store.path.name]


def test_failed_save_keeps_previous_draft(store: DraftStore) -> None:
    store.save(Draft(subject="kept"))
    bad = Draft(subject="new")
    bad.inline_images = [InlineImage("x", "not bytes", "image/png")]  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        store.save(bad)
    assert store.load().subject == "kept"


def test_clear(store: DraftStore) -> None:
    store.save(Draft(subject="x"))
    store.clear()
    store.clear()  # twice is fine
    assert store.load() is None


def test_damaged_file_is_set_aside(store: DraftStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_text("{not json", encoding="utf-8")
    assert store.load() is None
    assert store.path.with_suffix(".damaged").exists()
    assert not store.exists()
