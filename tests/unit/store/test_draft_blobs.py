"""The draft's images and attachments are files of their own, written once, not base64 in JSON."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from mailcomposer.message.draft import Attachment, Draft, InlineImage
from mailcomposer.store import drafts as drafts_module
from mailcomposer.store.drafts import DraftStore, blob_name
from mailcomposer.store.paths import Home

PHOTO = bytes(range(256)) * 4096  # 1 MiB
REPORT = b"%PDF-1.7 " + b"x" * 300_000


@pytest.fixture
def store(tmp_path: Path):
    store = DraftStore(Home(tmp_path).ensure())
    yield store
    store.close()


def with_bytes(subject: str = "photo") -> Draft:
    return Draft(
        subject=subject,
        html='<p><img src="mc-image-1.png"></p>',
        inline_images=[InlineImage("mc-image-1.png", PHOTO, "image/png", "photo.png")],
        attachments=[
            Attachment("report.pdf", data=REPORT, content_type="application/pdf"),
            Attachment("notes.txt", path=Path("/tmp/notes.txt")),
        ],
    )


def test_the_bytes_go_to_blobs_and_come_back(store: DraftStore) -> None:
    draft = with_bytes()
    store.save(draft)
    assert store.path.stat().st_size < 5000  # no base64 of 1.3 MiB in the JSON
    assert sorted(p.name for p in store.blobs.iterdir()) == sorted(
        [blob_name(PHOTO), blob_name(REPORT)]
    )
    assert (store.blobs / blob_name(PHOTO)).read_bytes() == PHOTO
    assert store.load() == draft


def test_unchanged_bytes_are_neither_hashed_nor_written_again(store, monkeypatch) -> None:
    draft = with_bytes()
    store.save(draft)
    inode = (store.blobs / blob_name(PHOTO)).stat().st_ino
    hashed: list[int] = []
    real = drafts_module.blob_name
    monkeypatch.setattr(drafts_module, "blob_name", lambda data: hashed.append(1) or real(data))
    draft.subject = "edited"
    for _ in range(3):  # the autosave of someone typing
        store.save_later(draft)
        store.flush()
    assert hashed == []
    assert (store.blobs / blob_name(PHOTO)).stat().st_ino == inode
    assert store.load().subject == "edited"


def test_a_removed_image_leaves_no_blob_but_a_kept_draft_keeps_its_own(store) -> None:
    store.save(with_bytes("kept aside"))
    kept = store.keep_aside()
    assert kept is not None
    store.save(Draft(subject="new one", attachments=[Attachment("b.bin", data=b"other bytes")]))
    names = {p.name for p in store.blobs.iterdir()}
    assert names == {blob_name(PHOTO), blob_name(REPORT), blob_name(b"other bytes")}
    store.save(Draft(subject="no bytes any more"))
    assert {p.name for p in store.blobs.iterdir()} == {blob_name(PHOTO), blob_name(REPORT)}
    assert store.load(kept).inline_images[0].data == PHOTO
    kept.unlink()
    store.clear()
    assert list(store.blobs.iterdir()) == []


def test_a_draft_of_the_first_format_still_opens(store: DraftStore) -> None:
    draft = with_bytes()
    old = draft.to_dict()  # base64 in the JSON, as version 1 wrote it
    assert old["inline_images"][0]["data"] == base64.b64encode(PHOTO).decode("ascii")
    store.path.write_text(json.dumps({"version": 1, "draft": old}), encoding="utf-8")
    assert store.load() == draft


def test_a_missing_or_foreign_blob_is_a_damaged_draft_not_a_crash(store: DraftStore) -> None:
    store.save(with_bytes())
    (store.blobs / blob_name(PHOTO)).unlink()
    assert store.load() is None and store.load_error
    payload = json.loads(store.path.with_suffix(".damaged").read_text(encoding="utf-8"))
    payload["draft"]["inline_images"][0]["blob"] = "../../accounts.json"
    store.path.write_text(json.dumps(payload), encoding="utf-8")
    assert store.load() is None and store.load_error
