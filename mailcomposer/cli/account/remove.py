"""``mailcomposer account remove NAME``: the account and its stored password (or token) go."""

from __future__ import annotations

import argparse

from mailcomposer.i18n import _
from mailcomposer.store.accounts import AccountStore
from mailcomposer.store.credentials import Credentials
from mailcomposer.store.paths import Home


def run(args: argparse.Namespace, home: Home) -> int:
    """Remove the account and its stored password; return 0."""
    store = AccountStore(home)
    account = store.get(args.name)
    store.remove(args.name)  # raises InputError for the sandbox or an unknown name
    if account is not None:
        Credentials().forget_account(account.name, account.server.username)
        if account.oauth is not None:
            from mailcomposer.store.oauth import RefreshTokens

            RefreshTokens().delete(account.name, account.server.username)
    print(_("Account “{name}” removed.").format(name=args.name))
    return 0
