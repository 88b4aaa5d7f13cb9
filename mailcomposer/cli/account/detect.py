"""``account add --detect``: find the settings of the sender's domain, step by step."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from mailcomposer.cli.parser import UsageError
from mailcomposer.i18n import _


def make_opener() -> Any:
    """The HTTP opener (tests replace it with one reaching their local servers)."""
    from mailcomposer.store.autoconfig import UrlOpener

    return UrlOpener()


def make_resolver() -> Any:
    """The DNS resolver (tests replace it with a stub)."""
    from mailcomposer.store.dnslookup import default_resolver

    return default_resolver()


def detected_settings(args: argparse.Namespace) -> Any:
    """Print each look-up, then return the settings found (``autoconfig.Found``).

    Unverified settings (plain HTTP, DNS) are used only when the user confirms at a
    terminal, or with ``--yes``.

    Raises:
        UsageError: no ``--from``, nothing found, or unverified settings refused.
    """
    from mailcomposer.message.addresses import parse_address
    from mailcomposer.store.autoconfig import detect

    if not args.from_:
        raise UsageError("--detect", _("--detect needs the sender address: --from ADDR"))
    address = parse_address(args.from_, "from").addr_spec
    print(_("Looking up the settings for {address}:").format(address=address), flush=True)

    def show(step: Any) -> None:
        print(f"* {step.line()}", flush=True)

    detection = detect(address, opener=make_opener(), resolver=make_resolver(), on_step=show)
    found = detection.found
    if found is None:
        raise UsageError(
            "--detect",
            _("no settings were found for {domain}; give --server HOST or --preset").format(
                domain=address.rpartition("@")[2]
            ),
        )
    if found.trusted or args.yes:
        return found
    question = _("These settings are unverified ({source}). Use them? [y/N] ").format(
        source=found.source
    )
    if sys.stdin.isatty():
        answer = input(question).strip().lower()
        if answer in (_("y"), "y", _("yes"), "yes"):
            return found
        raise UsageError("--detect", _("nothing was saved"))
    raise UsageError(
        "--yes",
        _("the settings found are unverified ({source}); check them and add --yes, or "
          "give --server HOST").format(source=found.source),
    )  # fmt: skip
