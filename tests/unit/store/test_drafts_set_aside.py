"""A draft set aside as damaged keeps what it still has: its blobs and any earlier one set aside."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mailcomposer.message.draft import Attachment, Draft
from mailcomposer.store.drafts import DraftStore, blob_name
from mailcomposer.store.paths import Home

REPORT = b"%PDF-1.7 " + "季度报告".encode() * 50_000
PHOTO = bytes(range(256)) * 512


@pytest.fixture
def store(tmp_path: Path):
    store = DraftStore(Home(tmp_path).ensure())
    yield store
    store.close()


def two_attachments() -> Draft:
    return Draft(
        subject="two files",
        attachments=[
            Attachment("report.pdf", data=REPORT, content_type="application/pdf"),
            Attachment("photo.bin", data=PHOTO, content_type="application/octet-stream"),
        ],
    )


def test_the_next_autosave_keeps_the_blobs_of_a_draft_set_aside(store: DraftStore) -> None:
    store.save(two_attachments())
    (store.blobs / blob_name(PHOTO)).unlink()  # one file lost: the draft is damaged
    assert store.load() is None and store.load_error

    store.save(Draft(subject="a new message"))  # the user goes on writing
    store.save(Draft(subject="a new message, edited"))
    store.clear()

    assert (store.blobs / blob_name(REPORT)).read_bytes() == REPORT  # still there to recover


def test_a_second_damaged_draft_does_not_replace_the_first_set_aside(store: DraftStore) -> None:
    store.path.write_text("{first damaged draft", encoding="utf-8")
    store.load()
    first_error = store.load_error
    store.path.write_text("{second damaged draft", encoding="utf-8")
    store.load()

    kept = sorted(p.read_text(encoding="utf-8") for p in store.path.parent.glob("*damaged*"))
    assert kept == ["{first damaged draft", "{second damaged draft"]
    assert first_error != store.load_error  # each says where it went


def test_a_kept_draft_that_is_damaged_is_set_aside_beside_it(store: DraftStore) -> None:
    store.save(two_attachments())
    kept = store.keep_aside()
    assert kept is not None
    payload = json.loads(kept.read_text(encoding="utf-8"))
    payload["draft"]["subject"] = ["not a subject"]
    kept.write_text(json.dumps(payload), encoding="utf-8")

    assert store.load(kept) is None
    store.save(Draft(subject="new"))
    store.clear()

    assert (store.blobs / blob_name(PHOTO)).read_bytes() == PHOTO
