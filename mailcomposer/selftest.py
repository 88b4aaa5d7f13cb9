"""Self-test of an installed or frozen copy: resources, catalogs, modules, keyring, TLS roots."""

from __future__ import annotations

import ssl
import sys
from dataclasses import dataclass

from mailcomposer import __version__, i18n
from mailcomposer.i18n import _, ngettext
from mailcomposer.terminal import display_width, print_json


@dataclass(frozen=True)
class Check:
    """One self-test finding."""

    name: str
    ok: bool
    detail: str
    hint: str = ""


def keyring_check() -> Check:
    """A real keyring backend must be found (a frozen app loses them without metadata).

    keyring registers even its own backends as ``keyring.backends`` entry points, so
    their count is reported too: zero means the build dropped the metadata.
    """
    from importlib.metadata import entry_points

    plugins = len(entry_points(group="keyring.backends"))
    try:
        import keyring
        from keyring.backends import chainer, fail

        backend = keyring.get_keyring()
    except Exception as exc:  # a broken install or environment must report, not crash
        return Check("keyring", False, f"{type(exc).__name__}: {exc}", _keyring_hint())
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    usable = not isinstance(backend, fail.Keyring)
    if isinstance(backend, chainer.ChainerBackend):
        usable = bool(backend.backends)
        name += " [" + ", ".join(type(b).__name__ for b in backend.backends) + "]"
    found = ngettext("{n} backend entry point", "{n} backend entry points", plugins).format(
        n=plugins
    )
    ok = usable and plugins > 0
    return Check("keyring", ok, f"{name}; {found}", "" if ok else _keyring_hint())


def _keyring_hint() -> str:
    """What a user without a keyring service can do (no secret is ever written to a file)."""
    return _(
        "Passwords cannot be remembered here: no keyring service answers. On a Linux "
        "desktop, install and start one (gnome-keyring or KWallet); meanwhile the "
        "command line takes a password from --password-stdin or MAILCOMPOSER_PASSWORD, "
        "and the window keeps it in memory until you quit."
    )


def resources_check() -> Check:
    """Icons, presets and the Chinese catalog must ship with the app."""
    root = i18n.resources_dir()
    catalogs = list((root / "i18n" / "zh_CN").glob("*.po"))
    presets = root / "presets.json"
    ok = root.is_dir() and presets.is_file() and bool(catalogs)
    counted = ngettext("{n} zh_CN catalog", "{n} zh_CN catalogs", len(catalogs)).format(
        n=len(catalogs)
    )
    return Check("resources", ok, f"{root} ({counted})")


def modules_check() -> Check:
    """Every module of the app must load where it is installed.

    Many load only when first needed (a dialog at its first click, the send machinery
    after the first paint), some by name, which a freezer's analysis may not follow:
    a build that lost one, or a dependency one needs, fails here and not at that
    click. ``__main__`` is not loaded (it would run the command line).
    """
    import pkgutil

    import mailcomposer

    names = ["mailcomposer"]
    # A package that fails to load is listed (its modules are not) and reported below.
    walk = pkgutil.walk_packages(mailcomposer.__path__, "mailcomposer.", onerror=lambda _: None)
    names += [info.name for info in walk if info.name.rpartition(".")[2] != "__main__"]
    failed: list[str] = []
    for name in names:
        try:
            # __import__, not importlib.import_module: PySide's import hook wraps it.
            __import__(name, fromlist=["__name__"])
        except Exception as exc:  # report every module that cannot load, not the first
            failed.append(f"{name} ({type(exc).__name__}: {exc})")
    if failed:
        detail = ngettext(
            "{n} of {total} does not load: {names}", "{n} of {total} do not load: {names}",
            len(failed),
        )  # fmt: skip
        return Check("modules", False, detail.format(
            n=len(failed), total=len(names), names="; ".join(failed)))  # fmt: skip
    return Check(
        "modules",
        len(names) > 1,
        ngettext("{n} loads", "all {n} load", len(names)).format(n=len(names)),
    )


def tls_check() -> Check:
    """TLS verification needs trusted roots: the OS store (truststore) or OpenSSL's."""
    from mailcomposer.smtp.tls import make_ssl_context

    try:
        context = make_ssl_context()
    except (OSError, ssl.SSLError) as exc:
        return Check("tls", False, str(exc))
    kind = type(context).__module__ + "." + type(context).__name__
    roots = len(context.get_ca_certs()) if isinstance(context, ssl.SSLContext) else 0
    ok = context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    detail = ngettext(
        "{kind}, verified, {n} root loaded now ({openssl})",
        "{kind}, verified, {n} roots loaded now ({openssl})",
        roots,
    ).format(kind=kind, n=roots, openssl=ssl.OPENSSL_VERSION)
    return Check("tls", ok, detail)


def run(as_json: bool = False) -> int:
    """Print the checks; return 0 when all pass, 1 otherwise."""
    checks = [resources_check(), modules_check(), keyring_check(), tls_check()]
    if as_json:
        print_json(
            {
                "version": __version__,
                "python": sys.version.split()[0],
                "frozen": bool(getattr(sys, "frozen", False)),
                "checks": [c.__dict__ for c in checks],
            }
        )
    else:
        print(
            f"mailcomposer {__version__}, Python {sys.version.split()[0]}"
            + (" (frozen)" if getattr(sys, "frozen", False) else "")
        )
        verdicts = [_("ok") if check.ok else _("FAILED") for check in checks]
        width = max(display_width(v) for v in verdicts)
        for check, verdict in zip(checks, verdicts, strict=True):
            padding = " " * (width - display_width(verdict))
            print(f"{check.name:10} {verdict}{padding} {check.detail}")
            if check.hint:
                print(f"{'':10} {' ' * width} {check.hint}")
    return 0 if all(c.ok for c in checks) else 1
