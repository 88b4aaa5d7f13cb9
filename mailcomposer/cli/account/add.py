"""``mailcomposer account add``: save an account from a preset or a server, its password aside."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from mailcomposer.cli.account import imap as imap_args
from mailcomposer.cli.account import oauth
from mailcomposer.cli.account.common import fail, read_password
from mailcomposer.cli.address import default_security, parse_server
from mailcomposer.i18n import _
from mailcomposer.message.addresses import parse_address
from mailcomposer.smtp.settings import Security, ServerSettings
from mailcomposer.store import presets
from mailcomposer.store.accounts import Account, AccountStore, Identity, validate
from mailcomposer.store.paths import Home


def run(args: argparse.Namespace, home: Home) -> int:
    """Save the account (and its password in the keyring); return 0 or 2."""
    store = AccountStore(home)
    preset = detected = None
    if args.preset:
        preset = presets.get(args.preset)
        if preset is None:
            return fail(
                "preset",
                _("unknown preset “{preset}”; choose one of: {ids}").format(
                    preset=args.preset, ids=", ".join(p.id for p in presets.presets())
                ),
            )
        host, port, security = preset.host, preset.port, preset.security
        if args.security and Security(args.security) is not preset.security:
            return fail("security", _("--security cannot be combined with --preset"))
    elif getattr(args, "detect", False):
        from mailcomposer.cli.account.detect import detected_settings

        detected = detected_settings(args)
        host, port, security = detected.host, detected.port, detected.security
        preset = presets.get(detected.preset) if detected.preset else None
        if args.user is None and detected.username:
            args.user = detected.username
    else:
        host, port = parse_server(args.server)
        security = Security(args.security or default_security(host, port))
        port = port or security.default_port

    sender = args.from_ or (args.user if args.user and "@" in args.user else "")
    if not sender:
        return fail("from", _("give the sender address with --from"))
    parsed = parse_address(sender, "from")
    display_name, address = parsed.display_name, parsed.addr_spec
    if preset is None:
        preset = presets.preset_for_address(address)
        if preset is not None and preset.host != host:
            preset = None
    username = "" if args.no_login else (args.user if args.user is not None else address)
    account = Account(
        name=args.name,
        server=ServerSettings(
            host=host,
            port=port,
            security=security,
            username=username,
            cafile=Path(args.cafile).expanduser() if args.cafile else None,
        ),
        identities=[Identity(display_name, address)],
        preset=preset.id if preset else "",
        imap=imap_args.imap_from_args(args, preset or detected),
    )
    oauth_settings = oauth.settings_from_args(args, preset.id if preset else "")
    if oauth_settings is not None:
        if args.no_login or args.password_stdin:
            return fail("oauth", _("--oauth signs in instead of a password or --no-login"))
        account = replace(account, oauth=oauth_settings)
    validate(account)  # a bad field is reported before stdin is read
    secret = read_password(sys.stdin) if args.password_stdin else None
    before = store.get(account.name)
    store.save(account)
    if before is not None or secret is not None:
        # keyring is imported only when a password is stored or may have to move.
        from mailcomposer.store.credentials import Credentials
    if before is not None:
        # Replacing an account with another login name: the secret follows it (or is
        # replaced by the one just given) instead of staying under the old key.
        Credentials().account_edited(
            before.name, before.server.username, account.name, username,
            new_secret=secret is not None,
        )  # fmt: skip
    print(_("Account “{name}” saved: {host}:{port} {security}.").format(
        name=account.name, host=host, port=port, security=security.value))  # fmt: skip
    print(imap_args.describe(account.imap))
    if preset is not None and oauth_settings is None:  # the note is about passwords
        print(_("Note for {provider}: {note}").format(provider=preset.name, note=preset.note))
    if before is not None:
        oauth.forget_replaced(before, account)
    if oauth_settings is not None:
        return oauth.sign_in(account, args, home)
    if secret is not None:
        credentials = Credentials()
        if credentials.set(account.name, secret, username):
            print(_("The password is stored in the system keyring."))
        else:
            # This process ends now: a session-only password would be gone at once.
            print(
                _(
                    "No system keyring was found, so the password was not saved. When "
                    "sending, give it with --password-stdin or the MAILCOMPOSER_PASSWORD "
                    "environment variable."
                ),
                f"({credentials.error})" if credentials.error else "",
                file=sys.stderr,
            )
    return 0
