"""``mailcomposer account sent-retry``: file the copies for Sent that are still waiting."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from mailcomposer.cli.account.common import read_password
from mailcomposer.i18n import _, ngettext
from mailcomposer.smtp.errors import ExitCode
from mailcomposer.smtp.settings import Secret
from mailcomposer.store import sentcopies
from mailcomposer.store.accounts import AccountStore
from mailcomposer.store.paths import Home


def run(args: argparse.Namespace, home: Home) -> int:
    """Try every waiting copy once; 0 when none is left waiting, else 3."""
    given: Secret | None = None
    if args.password_stdin:
        given = read_password(sys.stdin)
    elif os.environ.get("MAILCOMPOSER_PASSWORD"):
        given = Secret(os.environ["MAILCOMPOSER_PASSWORD"])

    def secret_for(account: Any) -> Secret | None:
        if given is not None or not account.server.username:
            return given
        from mailcomposer.store.credentials import Credentials  # keyring: only now

        return Credentials().get(account.name, account.server.username)

    outcomes = sentcopies.retry(home, AccountStore(home).get, secret_for)
    if not outcomes:
        print(_("No copy for Sent is waiting."))
        return 0
    for outcome in outcomes:
        print(f"* {outcome.line()}")
    left = sum(1 for o in outcomes if o.waiting is not None)
    if left:
        print(ngettext("{n} copy is still waiting.", "{n} copies are still waiting.", left)
              .format(n=left))  # fmt: skip
        return int(ExitCode.CONNECTION)
    return 0
