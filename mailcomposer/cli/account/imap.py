"""``account add``'s IMAP options: where the copy of each sent message is filed."""

from __future__ import annotations

import argparse
from typing import Any

from mailcomposer.i18n import _

IMAP_SECURITY_CHOICES = ["tls", "starttls"]


def add_arguments(add: argparse.ArgumentParser) -> None:
    """Add the ``--imap`` group to ``account add``'s parser."""
    group = add.add_argument_group(
        _("copy in Sent (IMAP)"),
        _("After each send a copy (Bcc kept) goes to the folder marked Sent on this "
          "IMAP server, with the same login. Presets fill these in."),
    )  # fmt: skip
    group.add_argument(
        "--imap", metavar="HOST[:PORT]", help=_("the IMAP server (port: 993, 143 with starttls)")
    )
    group.add_argument(
        "--imap-security",
        choices=IMAP_SECURITY_CHOICES,
        help=_("tls (the default) or starttls"),
    )
    group.add_argument(
        "--sent-folder", metavar=_("NAME"), help=_("the folder to use (default: found)")
    )
    group.add_argument(
        "--no-save-sent",
        action="store_true",
        help=_("do not put a copy in Sent (e.g. the provider does that itself)"),
    )


def imap_from_args(args: argparse.Namespace, preset: Any = None) -> Any:
    """Return the ``ImapSettings`` the options give (or the preset's), or None.

    Raises:
        UsageError: an option that needs ``--imap`` came without it, or a bad address.
    """
    from dataclasses import replace

    from mailcomposer.cli.address import parse_server
    from mailcomposer.cli.parser import UsageError
    from mailcomposer.smtp.settings import Security
    from mailcomposer.store.imapsettings import ImapSettings, default_port

    imap = preset.imap if preset is not None else None
    if args.imap:
        host, port = parse_server(args.imap, "--imap")
        security = Security(args.imap_security or "tls")
        imap = ImapSettings(host, port or default_port(security), security)
    elif args.imap_security:
        if imap is None:
            raise UsageError("--imap-security", _("--imap-security goes with --imap HOST"))
        security = Security(args.imap_security)
        imap = replace(imap, security=security, port=default_port(security))
    if args.sent_folder is not None:
        if imap is None:
            raise UsageError("--sent-folder", _("--sent-folder goes with --imap HOST"))
        imap = replace(imap, sent_folder=args.sent_folder.strip())
    if args.no_save_sent:
        if imap is None:
            return None
        imap = replace(imap, save_sent=False)
    return imap


def describe(imap: Any) -> str:
    """One line saying where sent mail goes (for ``account add``'s confirmation)."""
    if imap is None:
        return _("Copies of sent mail: not kept (no IMAP server; add one with --imap HOST).")
    if not imap.save_sent:
        return _("Copies of sent mail: not put in Sent by this program ({host}).").format(
            host=imap.host
        )
    folder = imap.sent_folder or _("the folder marked Sent")
    return _("Copies of sent mail go to {folder} on {host}:{port} ({security}).").format(
        folder=folder, host=imap.host, port=imap.port, security=imap.security.value
    )
