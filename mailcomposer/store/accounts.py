"""Sending accounts: server settings and identities, kept in a readable JSON file."""

from __future__ import annotations

import functools
import re
from dataclasses import field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mailcomposer.i18n import _
from mailcomposer.message import files
from mailcomposer.message.errors import InputError
from mailcomposer.records import record
from mailcomposer.smtp.settings import AuthMethod, Security, ServerSettings, Timeouts
from mailcomposer.store.paths import Home, atomic_write

# Loaded only by an account that has them (and the address parser by a check): the
# window's start reads the accounts and pays for no more (benchmarks/gui_launch.py).
if TYPE_CHECKING:
    from mailcomposer.store.imapsettings import ImapSettings
    from mailcomposer.store.oauth import OAuthSettings

FORMAT_VERSION = 1
SANDBOX_NAME = "Local test server"
SANDBOX_ADDRESS = "me@localhost"


# Characters that must never reach a file name, a keyring key or a header.
@functools.cache
def _control() -> re.Pattern[str]:
    """Return the compiled pattern of control and line-breaking characters (first use)."""
    return re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")


@functools.cache
def _host() -> re.Pattern[str]:
    """Return the compiled pattern of a host name or bracketed/bare IP address."""
    return re.compile(r"^[^\s/\\@:]+$|^\[[0-9A-Fa-f:.]+\]$|^[0-9A-Fa-f:]+:[0-9A-Fa-f:.]*$")


@record(frozen=True)
class Identity:
    """A From identity of an account.

    Attributes:
        name: display name (may be empty).
        address: the e-mail address (addr-spec).
        reply_to: optional Reply-To address.
        signature: text (or HTML) appended to new messages.
        signature_is_html: whether ``signature`` is HTML.
    """

    name: str
    address: str
    reply_to: str = ""
    signature: str = ""
    signature_is_html: bool = False

    def formatted(self) -> str:
        """Return ``Name <address>`` (quoted when needed) or the bare address."""
        if not self.name:
            return self.address
        name = self.name
        if any(c in name for c in '()<>[]:;@\\,."'):
            name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return f"{name} <{self.address}>"


@record(frozen=True)
class Account:
    """A named way to send: one server and one or more identities; no secret inside.

    Attributes:
        name: unique display name; also the keyring key.
        server: how to reach the server.
        identities: From identities; the first is the default.
        remember_password: keep the password in the system keyring.
        builtin_sandbox: the built-in local test server (cannot be removed).
        preset: the provider preset id it was made from, if any.
        oauth: set when the account signs in with OAuth2 (the refresh token is in
            the keyring); None for a password.
        imap: the IMAP server that keeps a copy of each sent message, if set.
    """

    name: str
    server: ServerSettings
    identities: list[Identity] = field(default_factory=list)
    remember_password: bool = True
    builtin_sandbox: bool = False
    preset: str = ""
    oauth: OAuthSettings | None = None
    imap: ImapSettings | None = None

    @property
    def identity(self) -> Identity | None:
        """The default identity, if the account has any."""
        return self.identities[0] if self.identities else None


def sandbox_account() -> Account:
    """Return the built-in account for the local test server (started on demand)."""
    return Account(
        name=SANDBOX_NAME,
        server=ServerSettings(host="127.0.0.1", port=0, security=Security.NONE),
        identities=[Identity(name=_("Me"), address=SANDBOX_ADDRESS)],
        remember_password=False,
        builtin_sandbox=True,
    )


def check_address(address: str, field_name: str) -> None:
    """Raise ``InputError`` naming ``field_name`` unless ``address`` is a usable addr-spec."""
    if not address.strip():
        raise InputError(field_name, _("An e-mail address is required."), address)
    if _control().search(address):
        raise InputError(field_name, _("The address contains a line break."), address)
    from mailcomposer.message.addresses import parse_address

    parsed = parse_address(address, field_name)  # raises AddressError naming the problem
    if parsed.addr_spec != address.strip():
        raise InputError(
            field_name,
            _("Enter only the address here (name@example.com); the name has its own field."),
            address,
        )


def validate(account: Account) -> None:
    """Raise ``InputError`` naming the first field that cannot be used."""
    name = account.name.strip()
    if not name:
        raise InputError("name", _("The account needs a name."))
    if _control().search(account.name) or name != account.name:
        raise InputError(
            "name",
            _("The account name cannot start or end with spaces or contain line breaks."),
            account.name,
        )
    if account.builtin_sandbox:
        return
    validate_server(account.server)
    if not account.identities:
        raise InputError("from", _("The account needs at least one sender address."))
    for identity in account.identities:
        if _control().search(identity.name):
            raise InputError("from", _("The display name contains a line break."), identity.name)
        check_address(identity.address, "from")
        if identity.reply_to.strip():
            check_address(identity.reply_to, "reply-to")


def validate_server(server: ServerSettings) -> None:
    """Raise ``InputError`` naming the first server field that cannot be used."""
    if not server.host.strip() or not _host().match(server.host.strip()):
        raise InputError(
            "host",
            _("“{host}” is not a server name (expected e.g. smtp.example.com).").format(
                host=server.host
            ),
            server.host,
        )
    if not 1 <= server.port <= 65535:
        raise InputError("port", _("The port must be a number from 1 to 65535."), str(server.port))
    if _control().search(server.username):
        raise InputError("user", _("The user name contains a line break."), server.username)
    if server.cafile is not None and not Path(server.cafile).is_file():
        raise InputError(
            "cafile",
            _("The CA file “{path}” does not exist.").format(path=server.cafile),
            str(server.cafile),
        )


def _server_to_dict(server: ServerSettings) -> dict[str, Any]:
    # pinned_sha256 is deliberately absent: pins live in their own file (PinStore).
    return {
        "host": server.host,
        "port": server.port,
        "security": server.security.value,
        "username": server.username,
        "auth": server.auth.value,
        "cafile": str(server.cafile) if server.cafile else None,
        "timeouts": {
            "connect": server.timeouts.connect,
            "command": server.timeouts.command,
            "final_dot": server.timeouts.final_dot,
        },
        "local_hostname": server.local_hostname,
    }


def _choice(data: dict[str, Any], key: str, kind: type[Any], default: str) -> Any:
    """Read an enum field as written by hand too ("STARTTLS"); name the choices otherwise."""
    value = data.get(key, default)
    try:
        return kind(str(value).strip().lower())
    except ValueError:
        raise ValueError(
            _("“{field}” must be one of {choices}, not “{value}”").format(
                field=key, choices=", ".join(member.value for member in kind), value=value
            )
        ) from None


def _number(data: dict[str, Any], key: str, default: float, kind: type[Any] = float) -> Any:
    """Read a number field ("587" too); say which field holds something else."""
    value = data.get(key, default)
    try:
        if isinstance(value, bool):
            raise ValueError
        return kind(value)
    except (TypeError, ValueError):
        raise ValueError(
            _("“{field}” must be a number, not “{value}”").format(field=key, value=value)
        ) from None


def _server_from_dict(data: dict[str, Any]) -> ServerSettings:
    t = data.get("timeouts") or {}
    defaults = Timeouts()
    return ServerSettings(
        host=str(data["host"]),
        port=_number(data, "port", 0, int),
        security=_choice(data, "security", Security, "starttls"),
        username=str(data.get("username", "")),
        auth=_choice(data, "auth", AuthMethod, "auto"),
        cafile=Path(data["cafile"]) if data.get("cafile") else None,
        timeouts=Timeouts(
            connect=_number(t, "connect", defaults.connect),
            command=_number(t, "command", defaults.command),
            final_dot=_number(t, "final_dot", defaults.final_dot),
        ),
        local_hostname=data.get("local_hostname") or None,
    )


def account_to_dict(account: Account) -> dict[str, Any]:
    """Serialise ``account`` (never a password: an ``Account`` holds none)."""
    return {
        "name": account.name,
        "server": _server_to_dict(account.server),
        "identities": [
            {
                "name": i.name,
                "address": i.address,
                "reply_to": i.reply_to,
                "signature": i.signature,
                "signature_is_html": i.signature_is_html,
            }
            for i in account.identities
        ],
        "remember_password": account.remember_password,
        "preset": account.preset,
        "oauth": _oauth_to_dict(account.oauth),
        "imap": _imap_to_dict(account.imap),
    }


def _oauth_to_dict(settings: OAuthSettings | None) -> dict[str, Any] | None:
    from mailcomposer.store.oauth import oauth_to_dict

    return None if settings is None else oauth_to_dict(settings)


def _imap_to_dict(settings: ImapSettings | None) -> dict[str, Any] | None:
    from mailcomposer.store.imapsettings import imap_to_dict

    return None if settings is None else imap_to_dict(settings)


def _oauth_from_dict(data: Any) -> OAuthSettings | None:
    if data is None:
        return None
    from mailcomposer.store.oauth import oauth_from_dict

    return oauth_from_dict(data)


def _imap_from_dict(data: Any) -> ImapSettings | None:
    if data is None:
        return None
    from mailcomposer.store.imapsettings import imap_from_dict

    return imap_from_dict(data)


def account_from_dict(data: dict[str, Any]) -> Account:
    """Read one account written by ``account_to_dict`` (unknown keys are ignored)."""
    return Account(
        name=str(data["name"]),
        server=_server_from_dict(data["server"]),
        identities=[
            Identity(
                name=str(i.get("name", "")),
                address=str(i["address"]),
                reply_to=str(i.get("reply_to", "")),
                signature=str(i.get("signature", "")),
                signature_is_html=bool(i.get("signature_is_html", False)),
            )
            for i in data.get("identities", [])
        ],
        remember_password=bool(data.get("remember_password", True)),
        preset=str(data.get("preset", "")),
        oauth=_oauth_from_dict(data.get("oauth")),
        imap=_imap_from_dict(data.get("imap")),
    )


def _entry_from_dict(index: int, item: Any) -> Account:
    """Read the accounts list's entry ``index``; an error names the entry and the field."""
    name = item.get("name") if isinstance(item, dict) else None
    where = (
        _("account {number} (“{name}”)").format(number=index + 1, name=name)
        if isinstance(name, str) and name
        else _("account {number}").format(number=index + 1)
    )
    try:
        if not isinstance(item, dict):
            raise ValueError(_("this entry is not an account"))
        return account_from_dict(item)
    except KeyError as exc:
        raise ValueError(
            _("{where}: the field “{field}” is missing").format(where=where, field=exc.args[0])
        ) from None
    except (ValueError, TypeError, AttributeError) as exc:
        raise ValueError(_("{where}: {error}").format(where=where, error=exc)) from None


class AccountStore:
    """The user's accounts in ``home.accounts_file``, plus the built-in sandbox account.

    The file is re-read on every call so a CLI run and an open window see each
    other's changes; every change is written atomically.

    Attributes:
        home: the home folder.
        load_error: a translated note if the file could not be read (it is then
            kept as ``accounts.json.unreadable`` before being replaced).
    """

    def __init__(self, home: Home) -> None:
        self.home = home
        self.load_error = ""

    # -- reading --

    def _read(self) -> tuple[list[Account], str]:
        path = self.home.accounts_file
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return [], ""
        import json  # not before there is a file to read: a first start has none

        try:
            data = json.loads(files.decode_hand_edited(raw))  # Notepad: BOM, GBK
            if not isinstance(data, dict):
                raise ValueError(_("the file holds no “accounts” list"))
            accounts = [
                _entry_from_dict(n, item) for n, item in enumerate(data.get("accounts", []))
            ]
            default = str(data.get("default") or "")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            self.load_error = _(
                "Your accounts could not be read from {path} ({error}), so only the local "
                "test server is listed. Repair or restore that file and start again; if you "
                "save an account instead, the damaged file is kept as {backup}."
            ).format(path=path, error=exc, backup=self._backup_path())
            return [], ""
        self.load_error = ""
        accounts = [a for a in accounts if a.name != SANDBOX_NAME]
        return accounts, default

    def _backup_path(self) -> Path:
        """Where a damaged accounts file is kept: never over an earlier damaged one."""
        path = self.home.accounts_file
        backup = path.with_name(path.name + ".unreadable")
        number = 1
        while backup.exists():
            number += 1
            backup = path.with_name(f"{path.name}.unreadable-{number}")
        return backup

    def _write(self, accounts: list[Account], default: str) -> None:
        path = self.home.accounts_file
        if self.load_error and path.exists():
            files.replace(path, self._backup_path())
        data = {
            "version": FORMAT_VERSION,
            "default": default,
            "accounts": [account_to_dict(a) for a in accounts],
        }
        import json

        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        atomic_write(path, text.encode("utf-8"))

    def accounts(self) -> list[Account]:
        """Return the user's accounts, then the built-in sandbox account."""
        accounts, _default = self._read()
        return [*accounts, sandbox_account()]

    def names(self) -> list[str]:
        """Return every account name, the sandbox last."""
        return [a.name for a in self.accounts()]

    def get(self, name: str) -> Account | None:
        """Return the account called ``name``, or None."""
        return next((a for a in self.accounts() if a.name == name), None)

    def default(self) -> Account:
        """Return the default account (the sandbox while no other account exists)."""
        accounts, default = self._read()
        if default == SANDBOX_NAME:
            return sandbox_account()
        for account in accounts:
            if account.name == default:
                return account
        return accounts[0] if accounts else sandbox_account()

    # -- changing --

    def save(
        self, account: Account, *, previous_name: str | None = None, new: bool = False
    ) -> None:
        """Add or replace an account after validating it.

        Args:
            account: the account to store.
            previous_name: the name it had before (a rename), if different.
            new: refuse to replace an existing account of the same name.

        Raises:
            InputError: a field is invalid, the name is taken, or it is the sandbox.
        """
        validate(account)
        if account.builtin_sandbox or account.name == SANDBOX_NAME:
            raise InputError(
                "name",
                _("“{name}” is the built-in test server; choose another name.").format(
                    name=SANDBOX_NAME
                ),
                account.name,
            )
        accounts, default = self._read()
        old = previous_name if previous_name is not None else account.name
        taken = any(a.name == account.name for a in accounts)
        if taken and (new or old != account.name):
            raise InputError(
                "name",
                _("An account called “{name}” already exists.").format(name=account.name),
                account.name,
            )
        stored = replace(account, server=replace(account.server, pinned_sha256=None))
        for index, existing in enumerate(accounts):
            if existing.name == old:
                accounts[index] = stored
                break
        else:
            accounts.append(stored)
        if default == old:
            default = account.name
        self._write(accounts, default)

    def remove(self, name: str) -> None:
        """Remove the account called ``name``.

        Raises:
            InputError: it is the built-in sandbox account or does not exist.
        """
        if name == SANDBOX_NAME:
            raise InputError("name", _("The built-in local test server cannot be removed."), name)
        accounts, default = self._read()
        kept = [a for a in accounts if a.name != name]
        if len(kept) == len(accounts):
            raise InputError(
                "name", _("There is no account called “{name}”.").format(name=name), name
            )
        self._write(kept, "" if default == name else default)

    def set_default(self, name: str) -> None:
        """Make ``name`` the default account.

        Raises:
            InputError: there is no such account.
        """
        accounts, _default = self._read()
        if name != SANDBOX_NAME and not any(a.name == name for a in accounts):
            raise InputError(
                "name", _("There is no account called “{name}”.").format(name=name), name
            )
        self._write(accounts, name)
