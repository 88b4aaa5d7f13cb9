"""Passwords of the accounts being edited: kept, moved or forgotten with them, found for a test."""

from __future__ import annotations

from mailcomposer.i18n import _
from mailcomposer.smtp.settings import Secret
from mailcomposer.store.accounts import Account
from mailcomposer.store.credentials import Credentials


class AccountPasswords:
    """What the accounts dialog does with passwords, on top of :class:`Credentials`.

    Qt-free: the dialog says what happened to an account, this decides what happens
    to its password.

    Attributes:
        credentials: where passwords live (the keyring, or memory for this session).
    """

    def __init__(self, credentials: Credentials) -> None:
        self.credentials = credentials

    def unavailable_note(self) -> str:
        """Say why passwords are kept for this session only; "" while the keyring works."""
        if self.credentials.backend_available:
            return ""
        return _("The password is kept for this session only: {why}").format(
            why=self.credentials.why_unavailable
        )

    def is_stored(self, account: Account) -> bool:
        """True when a password is kept for ``account``'s login."""
        user = account.server.username
        return bool(user) and self.credentials.get(account.name, user) is not None

    def for_test(self, name: str, user: str, typed: Secret | None) -> Secret | None:
        """Return the password to test with: the one typed, else the one kept for ``name``."""
        if typed is None and user:
            return self.credentials.get(name, user)
        return typed

    def saved(self, before: Account | None, account: Account, typed: Secret | None) -> None:
        """Follow a saved account: keep a typed password, follow renames, honour "Remember".

        Args:
            before: the account as it was stored before the edit (None for a new one).
            account: the account as saved.
            typed: the password typed in the form, or None (keep the stored one).
        """
        user = account.server.username
        if before is not None:
            # The secret is keyed by name and user name: it follows either change.
            self.credentials.account_edited(
                before.name, before.server.username, account.name, user,
                new_secret=typed is not None,
            )  # fmt: skip
        if typed is not None and user:
            self.credentials.set(account.name, typed, user, remember=account.remember_password)
        elif not account.remember_password and user:
            # Unticked "Remember": drop the stored copy, keep it for this session.
            stored = self.credentials.get(account.name, user)
            if stored is not None:
                self.credentials.set(account.name, stored, user, remember=False)

    def removed(self, account: Account) -> None:
        """Forget every password kept for a removed account."""
        self.credentials.forget_account(account.name, account.server.username)
