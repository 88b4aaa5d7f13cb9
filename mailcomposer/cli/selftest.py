"""``mailcomposer selftest``: the wiring of the installation self-test (mailcomposer.selftest)."""

from __future__ import annotations

import argparse

from mailcomposer.i18n import _


def add_arguments(selftest: argparse.ArgumentParser) -> None:
    """Add the options of ``selftest`` to its parser."""
    selftest.add_argument("--json", action="store_true", help=_("print one JSON object"))


def run(args: argparse.Namespace) -> int:
    """Run the checks; 0 when all pass, 1 otherwise."""
    from mailcomposer import selftest

    return selftest.run(as_json=args.json)
