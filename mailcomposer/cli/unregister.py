"""``mailcomposer unregister``: undo ``register`` (the .desktop file, the defaults, the keys)."""

from __future__ import annotations

import argparse
import sys

from mailcomposer.i18n import _


def add_arguments(unregister: argparse.ArgumentParser) -> None:
    """``unregister`` takes no options."""
    unregister.description = _(
        "Stop opening mailto: links and .eml files with mailcomposer for the current user."
    )


def run(args: argparse.Namespace) -> int:
    """Unregister; 0 when every step worked, 1 otherwise."""
    from mailcomposer.cli.desktop import print_outcome
    from mailcomposer.store import registration

    if sys.platform == "win32":
        outcome = registration.unregister_windows(registration.WindowsRegistry())
    else:
        outcome = registration.unregister_linux()
    return print_outcome(outcome)
