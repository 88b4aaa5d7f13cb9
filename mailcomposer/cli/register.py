"""``mailcomposer register``: make the composer this user's mailto: and .eml handler."""

from __future__ import annotations

import argparse
import sys

from mailcomposer.i18n import _


def add_arguments(register: argparse.ArgumentParser) -> None:
    """``register`` takes no options: everything is per user."""
    register.description = _(
        "Open mailto: links and .eml files with mailcomposer, for the current user only "
        "(Linux: a .desktop file and xdg-mime; Windows: the user's registry)."
    )


def run(args: argparse.Namespace) -> int:
    """Register; 0 when every step worked, 1 otherwise (what failed is printed)."""
    from mailcomposer.cli.desktop import print_outcome
    from mailcomposer.store import registration

    command = registration.launch_command()
    if sys.platform == "win32":
        outcome = registration.register_windows(command, registration.WindowsRegistry())
    else:
        outcome = registration.register_linux(command)
    return print_outcome(outcome)
