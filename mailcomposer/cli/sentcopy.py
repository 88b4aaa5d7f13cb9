"""After ``send``: the copy for the account's Sent folder, and the line saying what became of it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def after_send_hook(
    home: Any, account_name: str, secret: Any, built: Any, out: Any
) -> Callable[[Any], None] | None:
    """Return the ``Submission.after_sent`` hook for ``account_name``, or None.

    No hook for ``--server`` and the built-in test server: there is no IMAP account.
    The hook files earlier waiting copies of the account and this message's copy
    (Bcc kept) and notes each outcome as a ``* `` line; it never fails the send.
    """
    if not account_name:
        return None
    from mailcomposer.store.accounts import AccountStore

    account = AccountStore(home).get(account_name)
    if account is None or account.builtin_sandbox:
        return None

    def hook(_result: Any) -> None:
        from mailcomposer.store import sentcopies

        data = built.sent_copy_bytes()
        for outcome in sentcopies.save_sent(home, account, secret, data):
            out.note(outcome.line())

    return hook
