"""The autosaved draft: one JSON file under ``MAILCOMPOSER_HOME/drafts``, written atomically."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from mailcomposer.i18n import _
from mailcomposer.message.draft import Draft
from mailcomposer.message.files import replace
from mailcomposer.store.paths import Home, atomic_write

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

AUTOSAVE_NAME = "autosave.json"
# 2: the bytes of images and attachments are files of their own (``blobs/<sha256>``),
# written once; 1 (still read) had them in the JSON as base64, so every autosave
# re-encoded them: ~0.1 s of held interpreter per 15 MiB, every two seconds of typing.
FORMAT_VERSION = 2
BLOBS = "blobs"
WRITER_THREAD_NAME = "mailcomposer-draft-writer"


class DraftStore:
    """Keeps the one draft being composed so a crash, cancel or failure loses nothing.

    ``save`` writes at once; ``save_later`` takes the snapshot on the calling thread and
    leaves the write + fsync to one background writer thread (writes run strictly in
    order, so the last snapshot wins). ``flush`` waits for pending writes; ``close``
    also ends the writer thread (later saves are then written synchronously).

    Attributes:
        path: the autosave file.
        load_error: after a :meth:`load` that found a damaged file, a translated note
            saying where it was kept ('' otherwise).
    """

    def __init__(self, home: Home) -> None:
        self.path: Path = home.drafts / AUTOSAVE_NAME
        self.blobs: Path = home.drafts / BLOBS
        self._executor: ThreadPoolExecutor | None = None
        self._pending: list[Future[None]] = []
        self._lock = threading.Lock()
        self._closed = False
        self._digests: dict[int, tuple[bytes, str]] = {}  # bytes seen last save: their names
        self.load_error = ""

    @staticmethod
    def serialize(draft: Draft, names: Callable[[bytes], str] | None = None) -> bytes:
        """Return the autosave file's content for ``draft``: JSON, bytes kept by name.

        Each image's and attachment's bytes appear as the name of their blob
        (``names(data)``, by default the SHA-256 of the bytes), not as base64.
        """
        import json

        payload = {"version": FORMAT_VERSION, "draft": draft.to_dict(names or blob_name)}
        return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")

    def _write(self, draft: Draft) -> None:
        """Write the blobs ``draft`` needs that are not on disk yet, then its JSON (fsynced).

        The blobs land before the JSON that names them; a blob no draft file names
        any more is removed afterwards.
        """
        seen: dict[int, tuple[bytes, str]] = {}

        def name(data: bytes) -> str:
            known = self._digests.get(id(data))
            digest = known[1] if known is not None and known[0] is data else blob_name(data)
            seen[id(data)] = (data, digest)
            return digest

        content = self.serialize(draft, name)
        for data, digest in seen.values():
            blob = self.blobs / digest
            if not blob.exists():
                atomic_write(blob, data)
        atomic_write(self.path, content)
        changed = {d for _b, d in seen.values()} != {d for _b, d in self._digests.values()}
        self._digests = seen
        if changed:
            self._remove_unused_blobs()

    def _remove_unused_blobs(self) -> None:
        """Remove the blobs that neither the autosave nor a kept draft names."""
        if not self.blobs.is_dir():
            return
        used = {digest for _data, digest in self._digests.values()}
        # A draft set aside as damaged may be repaired by hand: what it names stays.
        damaged = self.path.parent.glob("*.damaged*")
        for draft_file in (self.path, *self.kept(), *damaged):
            used |= _blob_names(draft_file)
        for blob in self.blobs.iterdir():
            if blob.name not in used and not blob.name.endswith(".tmp"):
                blob.unlink(missing_ok=True)

    def _read_blob(self, name: str) -> bytes:
        if len(name) != 64 or not all(c in "0123456789abcdef" for c in name):
            raise ValueError(f"not a blob name: {name[:80]!r}")
        try:
            return (self.blobs / name).read_bytes()
        except FileNotFoundError:  # the draft is there but incomplete: damaged, not absent
            raise ValueError(f"the draft's file {name} is missing") from None

    def save(self, draft: Draft) -> None:
        """Write ``draft`` atomically now, after any pending background write.

        Raises:
            OSError: the folder is not writable or the disk is full.
        """
        self.flush()
        self._write(draft)

    def save_later(
        self,
        draft: Draft,
        on_error: Callable[[OSError], None] | None = None,
        on_done: Callable[[], None] | None = None,
    ) -> None:
        """Snapshot ``draft`` now; serialise and write it on the background writer thread.

        Args:
            draft: the message to keep.
            on_error: called ON THE WRITER THREAD with the ``OSError`` of a failed write
                (a GUI must hand it over to its own thread, e.g. through a signal).
            on_done: called on the writer thread after a successful write.
        """
        if self._closed:
            # Shut down already (the window is closing): no new thread may start.
            try:
                self._write(draft)
            except OSError as exc:
                if on_error is None:
                    raise
                on_error(exc)
                return
            if on_done is not None:
                on_done()
            return

        # Only the snapshot is taken here: serialising a big attachment (base64 and
        # JSON of 25 MiB, about 0.2 s) runs on the writer thread. deepcopy shares the
        # immutable bytes, so this is cheap, and later edits cannot reach the copy.
        from copy import deepcopy

        snapshot = deepcopy(draft)

        def write() -> None:
            try:
                self._write(snapshot)
            except (TypeError, ValueError) as exc:  # reported like a failed write
                if on_error is not None:
                    on_error(OSError(0, str(exc)))
                return
            except OSError as exc:
                if on_error is not None:
                    on_error(exc)
                return
            if on_done is not None:
                on_done()

        with self._lock:
            if self._executor is None:
                # Imported here: the window starts without it (no draft is written yet).
                from concurrent.futures import ThreadPoolExecutor

                self._executor = ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix=WRITER_THREAD_NAME
                )
            self._pending = [f for f in self._pending if not f.done()]
            self._pending.append(self._executor.submit(write))

    def flush(self) -> None:
        """Wait until every write handed to ``save_later`` has finished."""
        with self._lock:
            pending = list(self._pending)
            self._pending.clear()
        for future in pending:
            future.result()  # write() reports its own errors; this only waits

    def close(self) -> None:
        """Finish pending writes and end the writer thread (idempotent)."""
        self.flush()
        with self._lock:
            executor, self._executor = self._executor, None
            self._closed = True
        if executor is not None:
            executor.shutdown(wait=True)

    def load(self, path: Path | None = None) -> Draft | None:
        """Return the saved draft, or ``None`` when there is none or it cannot be read.

        Args:
            path: a draft file kept aside by :meth:`keep_aside` (default: the autosave).

        A damaged file must not stop the app from starting: it is moved aside (kept
        for inspection, out of the next save's way) and ``load_error`` says where.
        """
        self.flush()
        self.load_error = ""
        source = self.path if path is None else path
        try:
            raw = source.read_bytes()
            import json  # not before there is a draft to read: a first start needs none

            payload = json.loads(raw)
            return Draft.from_dict(payload["draft"], self._read_blob)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            kept = _set_aside_path(source)
            try:
                replace(source, kept)
            except OSError:
                kept = source
            reason = (
                (exc.strerror or str(exc))
                if isinstance(exc, OSError)
                else _("its content is damaged or from another version")
            )
            self.load_error = _(
                "The draft saved last time could not be read ({error}); it was kept as {path}."
            ).format(error=reason, path=kept)
            return None

    def keep_aside(self) -> Path | None:
        """Move the autosaved draft out of the autosave slot; return where it went.

        Starting with a message given from outside (a ``mailto:`` link, an .eml file)
        fills the one autosave slot: the draft already in it is moved to
        ``drafts/kept-<time>.json`` first, to be reopened with ``load(path)``.
        None when there is no draft.
        """
        self.flush()
        if not self.path.is_file():
            return None
        import datetime  # only here: the window starts without it

        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        kept = self.path.with_name(f"kept-{stamp}{self.path.suffix}")
        replace(self.path, kept)
        return kept

    def kept(self) -> list[Path]:
        """Drafts :meth:`keep_aside` moved out of the slot and nobody reopened, newest first."""
        return sorted(self.path.parent.glob(f"kept-*{self.path.suffix}"), reverse=True)

    def put_back(self, kept: Path) -> None:
        """Return a draft :meth:`keep_aside` moved (when the outside message failed)."""
        self.flush()
        replace(kept, self.path)

    def exists(self) -> bool:
        """True when an autosaved draft is on disk (after pending writes)."""
        self.flush()
        return self.path.is_file()

    def clear(self) -> None:
        """Remove the autosaved draft (after a successful send or an explicit discard).

        Pending background writes finish first, so none of them can bring the file back.
        """
        self.flush()
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
        self._digests = {}
        self._remove_unused_blobs()


def blob_name(data: bytes) -> str:
    """The name a draft's bytes are kept under: their SHA-256 (hashed without the GIL)."""
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _set_aside_path(source: Path) -> Path:
    """Where a damaged draft file goes: ``<name>.damaged``, never over an earlier one."""
    kept = source.with_suffix(".damaged")
    number = 1
    while kept.exists():
        number += 1
        kept = source.with_suffix(f".damaged-{number}")
    return kept


def _blob_names(path: Path) -> set[str]:
    """The blobs the draft file ``path`` names (none when it cannot be read)."""
    import json

    try:
        draft = json.loads(path.read_bytes()).get("draft", {})
        entries = [*draft.get("inline_images", []), *draft.get("attachments", [])]
        return {
            e["blob"] for e in entries if isinstance(e, dict) and isinstance(e.get("blob"), str)
        }
    except (OSError, ValueError, AttributeError, TypeError):
        return set()
