"""``mailcomposer account list``: one line per account, the default marked with ``*``."""

from __future__ import annotations

import argparse

from mailcomposer.cli.output import print_warning
from mailcomposer.i18n import _
from mailcomposer.store.accounts import AccountStore
from mailcomposer.store.paths import Home


def run(_args: argparse.Namespace, home: Home) -> int:
    """Print one line per account, the default marked ``*``; return 0."""
    store = AccountStore(home)
    default = store.default().name
    if store.load_error:
        print_warning(store.load_error)
    for account in store.accounts():
        server = account.server
        if account.builtin_sandbox:
            where = _("built-in server on this computer, started on demand")
        else:
            where = f"{server.host}:{server.effective_port} {server.security.value}"
        sender = account.identity.formatted() if account.identity else "-"
        mark = "*" if account.name == default else " "
        print(f"{mark} {account.name}\t{where}\t{sender}")
    return 0
