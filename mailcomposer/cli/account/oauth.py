"""OAuth2 for ``account add --oauth`` and ``account login``: the options and the sign-in."""

from __future__ import annotations

import argparse
import sys
import threading

from mailcomposer.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mailcomposer.oauth.flows import DeviceCode
    from mailcomposer.store.accounts import Account
    from mailcomposer.store.oauth import OAuthSettings
    from mailcomposer.store.paths import Home

# Exit codes of docs/design.md's table used here (smtp.errors.ExitCode).
EXIT_AUTH = 5
EXIT_CANCELLED = 7


def add_sign_in_options(parser: argparse.ArgumentParser) -> None:
    """``--device-code`` and ``--no-browser``: how to sign in (``add`` and ``login``)."""
    parser.add_argument(
        "--device-code",
        action="store_true",
        help=_("sign in by typing a code on another device (not for Gmail)"),
    )
    parser.add_argument(
        "--no-browser",
        action="store_true",
        help=_("do not open a browser: print the sign-in address and wait for the answer"),
    )


def add_arguments(add: argparse.ArgumentParser) -> None:
    """Add the OAuth2 options of ``account add``, in their own group."""
    group = add.add_argument_group(_("OAuth2 sign-in (instead of a password)"))
    group.add_argument(
        "--oauth",
        action="store_true",
        help=_("sign in with the provider (Microsoft, Google...) instead of a password"),
    )
    group.add_argument("--oauth-client-id", metavar="ID", help=_("the registered client ID"))
    group.add_argument(
        "--oauth-client-secret", metavar="S", help=_("the client secret, if the provider gave one")
    )
    group.add_argument("--oauth-authorize-url", metavar="URL", help=_("authorization endpoint"))
    group.add_argument("--oauth-token-url", metavar="URL", help=_("token endpoint"))
    group.add_argument("--oauth-device-url", metavar="URL", help=_("device authorization endpoint"))
    group.add_argument("--oauth-scope", metavar="SCOPE", help=_("scopes, separated by spaces"))
    add_sign_in_options(group)  # type: ignore[arg-type]


def add_login_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``account login NAME``."""
    login = commands.add_parser(
        "login",
        help=_("sign in again to an OAuth2 account"),
        epilog=_("Exit codes: 0 signed in, 2 invalid input, 5 sign-in failed, 7 cancelled."),
    )
    login.add_argument("name", help=_("account name"))
    add_sign_in_options(login)


def settings_from_args(args: argparse.Namespace, preset_id: str) -> OAuthSettings | None:
    """The account's OAuth2 settings: the preset's, with the options over them.

    Returns None without ``--oauth``.

    Raises:
        InputError: an OAuth2 option without ``--oauth``, or nothing to sign in with.
    """
    from mailcomposer.message.errors import InputError
    from mailcomposer.oauth import providers

    given = {
        "client_id": args.oauth_client_id,
        "client_secret": args.oauth_client_secret,
        "authorize_url": args.oauth_authorize_url,
        "token_url": args.oauth_token_url,
        "device_url": args.oauth_device_url,
        "scope": args.oauth_scope,
    }
    if not args.oauth:
        if any(v is not None for v in given.values()) or args.device_code or args.no_browser:
            raise InputError("oauth", _("the OAuth2 options need --oauth"))
        return None
    base = providers.for_preset(preset_id) if preset_id else None
    settings = providers.with_overrides(base, **given, device_code=args.device_code or None)
    problem = providers.missing(settings, device=settings.device_code)
    if problem:
        raise InputError("oauth", problem)
    return settings


def sign_in(account: Account, args: argparse.Namespace, home: Home) -> int:
    """Run the sign-in for ``account`` and keep its refresh token; return the exit code."""
    from dataclasses import replace

    from mailcomposer.oauth import flows, providers
    from mailcomposer.oauth.errors import OAuthError, SignInCancelled
    from mailcomposer.oauth.tokens import AccessTokens

    settings = account.oauth
    assert settings is not None
    device = bool(args.device_code) or settings.device_code
    if args.device_code and not settings.device_code:
        settings = replace(settings, device_code=True)
    problem = providers.missing(settings, device=device)
    if problem:
        from mailcomposer.cli.account.common import fail

        return fail("oauth", problem)
    cancel = threading.Event()
    try:
        if device:
            tokens = flows.device_sign_in(settings, _show_device_code, cancel)
        else:
            tokens = flows.browser_sign_in(
                settings,
                lambda url: _show_url(url, open_browser=not args.no_browser),
                cancel,
                login_hint=account.server.username,
            )
        stored = AccessTokens().signed_in(account.name, account.server.username, tokens)
    except KeyboardInterrupt:
        cancel.set()
        print(_("Sign-in cancelled."), file=sys.stderr)
        return EXIT_CANCELLED
    except SignInCancelled as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_CANCELLED
    except OAuthError as exc:
        print(_("Sign-in failed: {error}").format(error=exc.message), file=sys.stderr)
        return EXIT_AUTH
    print(_("Signed in as {user}.").format(user=account.server.username))
    if not stored:
        print(
            _(
                "No system keyring was found, so the sign-in is not kept: sending later "
                "will need another sign-in."
            ),
            file=sys.stderr,
        )
    return 0


def forget_replaced(before: Account, account: Account) -> None:
    """Drop the refresh token of a replaced OAuth account that no longer fits it."""
    same = account.oauth is not None and before.server.username == account.server.username
    if before.oauth is not None and not same:
        from mailcomposer.store.oauth import RefreshTokens

        RefreshTokens().delete(before.name, before.server.username)


def _show_url(url: str, *, open_browser: bool) -> None:
    print(_("Sign in with your browser at this address:"), file=sys.stderr)
    print(url, file=sys.stderr, flush=True)  # on a line of its own: scripts read it
    if open_browser:
        import webbrowser

        try:
            webbrowser.open(url)
        except webbrowser.Error:
            pass  # the address is printed above
    print(_("Waiting for you to sign in in the browser…"), file=sys.stderr, flush=True)


def _show_device_code(code: DeviceCode) -> None:
    print(
        _("To sign in, open {url} and enter the code {code}").format(
            url=code.verification_uri, code=code.user_code
        ),
        file=sys.stderr,
        flush=True,
    )


def run_login(args: argparse.Namespace, home: Home) -> int:
    """``account login NAME``: sign in again; return the exit code."""
    from mailcomposer.message.errors import InputError
    from mailcomposer.store.accounts import AccountStore

    account = AccountStore(home).get(args.name)
    if account is None:
        raise InputError("name", _("There is no account called “{name}”.").format(name=args.name))
    if account.oauth is None:
        raise InputError(
            "name",
            _("“{name}” signs in with a password; add it again with --oauth.").format(
                name=args.name
            ),
        )
    return sign_in(account, args, home)
