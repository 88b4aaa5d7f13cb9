"""Window-only settings (geometry, dock layout, folded rows) in an ini file under the home folder.

The core never reads this file: it holds how the window looks, nothing about mail.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from mailcomposer.store.paths import Home

FILE_NAME = "ui.ini"


class UiSettings:
    """A thin typed wrapper around a ``QSettings`` ini file in ``home``.

    Attributes:
        settings: the underlying QSettings.
    """

    def __init__(self, home: Home) -> None:
        home.root.mkdir(parents=True, exist_ok=True)
        self.settings = QSettings(str(home.root / FILE_NAME), QSettings.Format.IniFormat)

    def bytes_value(self, key: str) -> QByteArray | None:
        """Return a stored byte array (geometry, state), or None."""
        value = self.settings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def bool_value(self, key: str, default: bool = False) -> bool:
        value = self.settings.value(key, default)
        if isinstance(value, str):
            return value.lower() in ("true", "1", "yes")
        return bool(value)

    def int_value(self, key: str, default: int | None = None) -> int | None:
        value = self.settings.value(key)
        try:
            return int(value) if value is not None else default
        except (TypeError, ValueError):
            return default

    def set_value(self, key: str, value: Any) -> None:
        self.settings.setValue(key, value)

    def server_size_limit(self, account: str) -> int | None:
        """The SIZE a server advertised for ``account`` in an earlier session, if known."""
        return self.int_value(f"server-size/{account}")

    def set_server_size_limit(self, account: str, size: int | None) -> None:
        """Remember the SIZE of ``account``'s server; None forgets it (it announced none)."""
        if size is None:
            self.settings.remove(f"server-size/{account}")
        else:
            self.settings.setValue(f"server-size/{account}", int(size))

    def sync(self) -> None:
        self.settings.sync()
