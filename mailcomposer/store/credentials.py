"""Account passwords in the system keyring, or in memory for this session when there is none."""

from __future__ import annotations

import threading

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from mailcomposer.i18n import _
from mailcomposer.smtp.settings import Secret

SERVICE = "mailcomposer"

# keyring's own errors, plus what some backends let escape unwrapped (D-Bus errors of
# the Secret Service, a Windows credential API error): any of them means "no keyring now".
_BACKEND_ERRORS = (KeyringError, OSError, RuntimeError)


def _key(account: str, user: str = "") -> str:
    # One entry per account and login: renaming the user name must not reuse a stale secret.
    return f"{account}\n{user}" if user else account


class Credentials:
    """Get, set and delete the secret of an account.

    Secrets go to the system keyring. When it has no backend or refuses (headless
    Linux, a locked vault), they are kept in memory until the process exits:
    never in a file.

    Attributes:
        service: the keyring service name.
        backend_available: False once the keyring failed; secrets are then session-only.
        why_unavailable: a translated sentence saying why, empty while it works.
        error: the keyring's own error text, empty while it works.
    """

    def __init__(self, service: str = SERVICE) -> None:
        self.service = service
        self.backend_available = True
        self.why_unavailable = ""
        self.error = ""
        self._memory: dict[str, Secret] = {}
        self._lock = threading.Lock()

    @property
    def session_only(self) -> bool:
        """True when secrets live only in memory for this session."""
        return not self.backend_available

    def _fail(self, exc: Exception) -> None:
        self.backend_available = False
        self.error = str(exc)
        self.why_unavailable = _(
            "No system keyring was found; the password is kept in memory until you quit."
        )
        # The technical reason helps support; it never contains the secret.
        if str(exc):
            self.why_unavailable += " (" + str(exc) + ")"

    def get(self, account: str, user: str = "") -> Secret | None:
        """Return the stored secret for ``account`` (and ``user``), or None."""
        key = _key(account, user)
        with self._lock:
            if key in self._memory:
                return self._memory[key]
        if self.backend_available:
            try:
                value = keyring.get_password(self.service, key)
            except _BACKEND_ERRORS as exc:
                self._fail(exc)
            else:
                return Secret(value) if value is not None else None
        return None

    def set(
        self, account: str, secret: Secret | str, user: str = "", *, remember: bool = True
    ) -> bool:
        """Store ``secret``; return True if it went to the keyring, False if only to memory.

        Args:
            account: account name.
            secret: the password (or token).
            user: the login name, if any.
            remember: False keeps it for this session only (and removes a stored copy).
        """
        if isinstance(secret, str):
            secret = Secret(secret)
        key = _key(account, user)
        if remember and self.backend_available:
            try:
                keyring.set_password(self.service, key, secret.value)
            except _BACKEND_ERRORS as exc:
                self._fail(exc)
            else:
                with self._lock:
                    self._memory.pop(key, None)
                return True
        if not remember:
            self._delete_stored(key)
        with self._lock:
            self._memory[key] = secret
        return False

    def _delete_stored(self, key: str) -> None:
        if not self.backend_available:
            return
        try:
            keyring.delete_password(self.service, key)
        except PasswordDeleteError:
            pass  # nothing stored: fine
        except _BACKEND_ERRORS as exc:
            self._fail(exc)

    def delete(self, account: str, user: str = "") -> None:
        """Forget the secret of ``account`` everywhere (keyring and memory)."""
        key = _key(account, user)
        with self._lock:
            self._memory.pop(key, None)
        self._delete_stored(key)

    def forget_account(self, account: str, user: str = "") -> None:
        """Forget every secret of a removed account: its login's and the name-only one.

        The name-only key is where a password given without a user name was kept, and
        what sending falls back to; a removed account must leave neither behind.
        """
        self.delete(account, user)
        if user:
            self.delete(account)

    def rename(self, old: str, new: str, user: str = "") -> None:
        """Move a secret from account ``old`` to ``new`` (after an account rename)."""
        self.move(old, user, new, user)

    def move(self, account: str, user: str, new_account: str, new_user: str) -> None:
        """Move the secret of ``account``/``user`` to ``new_account``/``new_user``.

        A secret kept only for this session stays session-only; nothing is left under
        the old key.
        """
        if _key(account, user) == _key(new_account, new_user):
            return
        secret = self.get(account, user)
        if secret is None:
            return
        stored = self.backend_available and not self._in_memory(account, user)
        self.set(new_account, secret, new_user, remember=stored)
        self.delete(account, user)

    def account_edited(
        self, account: str, user: str, new_account: str, new_user: str, *, new_secret: bool
    ) -> None:
        """Keep the secret with an account whose name or login name was changed.

        The secret is keyed by both, so either change would strand it under the old key.

        Args:
            account: the account's name before the edit.
            user: its login name before the edit.
            new_account: the name after the edit.
            new_user: the login name after the edit ('' when it no longer logs in).
            new_secret: the user typed a new password, which the caller stores under
                the new key: the old secret is deleted instead of moved.
        """
        if user and account != new_account:
            # The name-only secret (kept when a password was given without a user name,
            # and what sending falls back to) goes with the name, or a later account of
            # the old name would inherit it.
            self.move(account, "", new_account, "")
        if _key(account, user) == _key(new_account, new_user):
            return
        if new_secret or not new_user:
            # Replaced, or no longer needed (no login): a secret left behind is an orphan.
            self.delete(account, user)
        else:
            self.move(account, user, new_account, new_user)

    def _in_memory(self, account: str, user: str) -> bool:
        with self._lock:
            return _key(account, user) in self._memory
