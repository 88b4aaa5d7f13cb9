"""DraftStore: atomic autosave, restore, clear, damaged files, the background writer."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailcomposer.message.draft import Attachment, Draft, InlineImage, Priority
from mailcomposer.store.drafts import WRITER_THREAD_NAME, DraftStore
from mailcomposer.store.paths import Home


@pytest.fixture
def store(tmp_path: Path) -> Iterator[DraftStore]:
    drafts = DraftStore(Home(tmp_path))
    yield drafts
    drafts.close()


def writer_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(WRITER_THREAD_NAME)]


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
    assert str(store.path.with_suffix(".damaged")) in store.load_error


@pytest.mark.parametrize(
    "draft",
    [
        {"to": 5},
        {"subject": ["a list"]},
        {"html": 3},
        {"attachments": "report.pdf"},
        {"extra_headers": [["X-Only-Name"]]},
        {"inline_images": [{"name": "a.png", "data": "!!not base64!!", "content_type": "x"}]},
        {"priority": "urgent"},
        [],
    ],
    ids=repr,
)
def test_a_file_of_the_wrong_shape_is_set_aside_too(store: DraftStore, draft: object) -> None:
    """JSON that parses but is not a draft (hand-edited, another version) never loads."""
    store.path.parent.mkdir(parents=True)
    store.path.write_text(json.dumps({"version": 1, "draft": draft}), encoding="utf-8")
    assert store.load() is None
    assert store.path.with_suffix(".damaged").exists()
    assert "damaged or from another version" in store.load_error  # translated, no internals


def test_a_good_load_clears_the_previous_error(store: DraftStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_text("{not json", encoding="utf-8")
    store.load()
    store.save(Draft(to="bo@example.org"))
    assert store.load() == Draft(to="bo@example.org")
    assert store.load_error == ""


# --------------------------------------------------------------------------- background writer


def test_save_later_then_flush_then_load(store: DraftStore, tmp_path: Path) -> None:
    draft = full_draft(tmp_path)
    store.save_later(draft)
    store.flush()
    assert store.path.is_file()
    assert store.load() == draft


def test_the_write_happens_off_the_calling_thread(store: DraftStore) -> None:
    writers: list[str] = []
    store.save_later(
        Draft(subject="x"), on_done=lambda: writers.append(threading.current_thread().name)
    )
    store.flush()
    assert writers and writers[0].startswith(WRITER_THREAD_NAME)
    assert writers[0] != threading.current_thread().name


def test_many_quick_saves_the_last_one_wins(store: DraftStore) -> None:
    for n in range(200):
        store.save_later(Draft(subject=f"version {n}", text="x" * n))
    assert store.load().subject == "version 199"  # load waits for the pending writes
    assert [p.name for p in store.path.parent.iterdir()] == [store.path.name]


def test_clear_after_a_pending_save_leaves_no_file(store: DraftStore) -> None:
    for n in range(20):
        store.save_later(Draft(subject=f"v{n}", text="y" * 100_000))
    store.clear()
    assert not store.path.exists()
    store.flush()
    assert not store.path.exists()


def test_a_failed_background_write_is_reported(store: DraftStore) -> None:
    store.path.parent.parent.mkdir(parents=True, exist_ok=True)
    store.path.parent.write_text("a file where the drafts folder should be")
    errors: list[OSError] = []
    store.save_later(Draft(subject="lost?"), on_error=errors.append)
    store.flush()
    assert len(errors) == 1 and isinstance(errors[0], OSError)


def test_close_ends_the_writer_thread_and_later_saves_are_synchronous(store: DraftStore) -> None:
    store.save_later(Draft(subject="one"))
    assert writer_threads()
    store.close()
    assert not writer_threads()
    store.save_later(Draft(subject="two"))  # after close: written at once, no new thread
    assert not writer_threads()
    assert store.load().subject == "two"
    store.close()  # twice is fine


def test_save_later_serialises_on_the_writer_thread(store: DraftStore, monkeypatch) -> None:
    # Serialising a 25 MiB attachment takes about 0.2 s: not on the caller's (GUI) thread.
    ran_on: list[str] = []
    real = DraftStore.serialize

    def recording(draft: Draft, names=None) -> bytes:
        ran_on.append(threading.current_thread().name)
        return real(draft, names)

    monkeypatch.setattr(DraftStore, "serialize", staticmethod(recording))
    store.save_later(Draft(subject="off the GUI thread"))
    store.flush()
    assert ran_on and all(name.startswith(WRITER_THREAD_NAME) for name in ran_on)
    assert store.load().subject == "off the GUI thread"


def test_edits_after_save_later_do_not_reach_the_written_snapshot(store: DraftStore) -> None:
    draft = Draft(subject="as it was", attachments=[Attachment(filename="a.bin", data=b"one")])
    store.save_later(draft)
    draft.subject = "edited later"
    draft.attachments[0].filename = "renamed.bin"
    draft.attachments.append(Attachment(filename="b.bin", data=b"two"))
    store.flush()
    loaded = store.load()
    assert loaded.subject == "as it was"
    assert [(a.filename, a.data) for a in loaded.attachments] == [("a.bin", b"one")]
