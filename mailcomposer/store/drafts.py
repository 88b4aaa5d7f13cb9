"""The autosaved draft: one JSON file under ``MAILCOMPOSER_HOME/drafts``, written atomically."""

from __future__ import annotations

import json
from pathlib import Path

from mailcomposer.message.draft import Draft
from mailcomposer.store.paths import Home, atomic_write

AUTOSAVE_NAME = "autosave.json"
FORMAT_VERSION = 1


class DraftStore:
    """Keeps the one draft being composed so a crash, cancel or failure loses nothing.

    Attributes:
        path: the autosave file.
    """

    def __init__(self, home: Home) -> None:
        self.path: Path = home.drafts / AUTOSAVE_NAME

    def save(self, draft: Draft) -> None:
        """Write ``draft`` atomically (the old file stays intact if this fails).

        Raises:
            OSError: the folder is not writable or the disk is full.
        """
        payload = {"version": FORMAT_VERSION, "draft": draft.to_dict()}
        data = json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
        atomic_write(self.path, data)

    def load(self) -> Draft | None:
        """Return the saved draft, or ``None`` when there is none or it cannot be read."""
        try:
            payload = json.loads(self.path.read_bytes())
            return Draft.from_dict(payload["draft"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            # A damaged file must not stop the app from starting; keep it for inspection.
            try:
                self.path.replace(self.path.with_suffix(".damaged"))
            except OSError:
                pass
            return None

    def exists(self) -> bool:
        """True when an autosaved draft is on disk."""
        return self.path.is_file()

    def clear(self) -> None:
        """Remove the autosaved draft (after a successful send or an explicit discard)."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
