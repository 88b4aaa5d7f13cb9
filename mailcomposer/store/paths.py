"""The home folder layout under ``MAILCOMPOSER_HOME`` (or the platform data folder)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from mailcomposer import APP_NAME
from mailcomposer.message.files import atomic_write
from mailcomposer.records import record

__all__ = ["Home", "atomic_write"]


@record(frozen=True)
class Home:
    """Every path the app writes, derived from one root folder.

    Attributes:
        root: the home folder itself.
    """

    root: Path

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Home:
        """Use ``MAILCOMPOSER_HOME`` if set, else the platform's per-user data folder."""
        env = os.environ if env is None else env
        value = env.get("MAILCOMPOSER_HOME")
        if value:
            return cls(Path(value).expanduser())
        import platformdirs

        return cls(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=True)))

    def problem(self) -> str:
        """Why this folder cannot hold the app's files, in words ("" when it can).

        Makes the folder when it is missing and checks that a file can be written in
        it, so a bad ``MAILCOMPOSER_HOME`` is said at the start, not as a traceback
        from the first file written.
        """
        from mailcomposer.i18n import _

        probe = self.root / f".write-test-{os.getpid()}"
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            return _(
                "mailcomposer cannot keep its files in {path} ({error}). Set "
                "MAILCOMPOSER_HOME to a folder you can write to, or fix that folder's "
                "permissions."
            ).format(path=self.root, error=exc.strerror or exc)
        return ""

    def ensure(self) -> Home:
        """Create the folders that must exist; return self."""
        for folder in (self.root, self.drafts, self.outbox):
            folder.mkdir(parents=True, exist_ok=True)
        return self

    @property
    def cache(self) -> Path:
        """Copies the app can always rebuild (the parsed translation catalog, colour icons)."""
        return self.root / "cache"

    @property
    def settings_file(self) -> Path:
        return self.root / "settings.json"

    @property
    def accounts_file(self) -> Path:
        return self.root / "accounts.json"

    @property
    def screening_file(self) -> Path:
        return self.root / "screening.toml"

    @property
    def pins_file(self) -> Path:
        return self.root / "trusted-certificates.json"

    @property
    def drafts(self) -> Path:
        return self.root / "drafts"

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    @property
    def history_db(self) -> Path:
        return self.root / "history.sqlite3"

    @property
    def sandbox(self) -> Path:
        return self.root / "sandbox"

    @property
    def sandbox_maildir(self) -> Path:
        return self.sandbox / "Maildir"
