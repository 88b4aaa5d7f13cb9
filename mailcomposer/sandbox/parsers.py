"""Turn the sandbox's option strings (``RCPT=450 4.2.0 Mailbox busy``) into config values."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from mailcomposer.i18n import _
from mailcomposer.sandbox.config import (
    DEFAULT_REJECT_TEXT,
    EXTENSIONS,
    STAGES,
    Reply,
    SandboxConfig,
)

# Long enough for any real server's reply text, short enough to stay one line.
MAX_TEXT = 200
# A lab delay longer than this is a typo (and would outlast every client timeout).
MAX_DELAY = 3600.0
_SIZE = re.compile(r"^(\d+)\s*([kKmMgG]?)(?:i?[bB])?$")
_MULTIPLIER = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}
TEMPORARY_REJECT_TEXT = "4.2.1 Mailbox temporarily unavailable"
_ADDRESS = re.compile(r"^[^\s@<>]+@[^\s@<>]+$")


class SandboxOptionError(ValueError):
    """A sandbox option could not be read: names the option and says how to fix it.

    Attributes:
        option: the option as typed on the command line (``--fault``).
        message: what is wrong and what to write instead (translated).
    """

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"{option}: {message}")
        self.option = option
        self.message = message


def _stage_list() -> str:
    return ", ".join(STAGES)


def parse_stage(text: str, option: str) -> str:
    """Return the stage named by ``text`` (any case), e.g. ``rcpt`` → ``RCPT``."""
    stage = text.strip().upper()
    if stage not in STAGES:
        raise SandboxOptionError(
            option,
            _("unknown stage “{stage}”; use one of {stages}").format(
                stage=text.strip(), stages=_stage_list()
            ),
        )
    return stage


def parse_reply(text: str, option: str, default_text: str = "") -> Reply:
    """Read ``CODE[ TEXT]``: a refusal code from 400 to 599 and the text the client sees.

    Without a text, ``default_text`` is used, or ``<class>.0.0 Refused by the sandbox``.
    """
    code_text, _sep, reply_text = text.strip().partition(" ")
    if not (len(code_text) == 3 and code_text.isascii() and code_text.isdigit()):
        raise SandboxOptionError(
            option,
            _(
                "“{code}” is not a reply code; write a three-digit code from 400 to 599 and "
                "an optional text, e.g. 450 4.2.0 Mailbox busy"
            ).format(code=code_text),
        )
    code = int(code_text)
    if not 400 <= code <= 599:
        raise SandboxOptionError(
            option,
            _(
                "{code} is not a refusal; use a 4xx code (try again later) or a 5xx code "
                "(permanent), e.g. 450 or 550"
            ).format(code=code),
        )
    reply_text = reply_text.strip()
    if not reply_text.isascii() or not reply_text.isprintable():
        raise SandboxOptionError(
            option,
            _("the reply text must be plain ASCII on one line: “{text}”").format(text=reply_text),
        )
    if len(reply_text) > MAX_TEXT:
        raise SandboxOptionError(
            option,
            _("the reply text is longer than {n} characters; shorten it").format(n=MAX_TEXT),
        )
    if not reply_text:
        reply_text = default_text or f"{code // 100}.0.0 Refused by the sandbox"
    return Reply(code, reply_text)


def parse_fault(text: str) -> tuple[str, Reply]:
    """Read ``--fault STAGE=CODE[ TEXT]``, e.g. ``RCPT=450 4.2.0 Mailbox busy``."""
    stage_text, sep, reply_text = text.partition("=")
    if not sep or not stage_text.strip() or not reply_text.strip():
        raise SandboxOptionError(
            "--fault",
            _(
                'write STAGE=CODE TEXT, e.g. --fault "RCPT=450 4.2.0 Mailbox busy" '
                "(STAGE: {stages})"
            ).format(stages=_stage_list()),
        )
    stage = parse_stage(stage_text, "--fault")
    return stage, parse_reply(reply_text, "--fault")


def parse_reject(text: str) -> tuple[str, Reply]:
    """Read ``--reject-rcpt ADDR[=CODE TEXT]``; the default refusal is ``550 5.1.1``."""
    address, sep, reply_text = text.partition("=")
    address = address.strip().strip("<>")
    if not _ADDRESS.match(address):
        raise SandboxOptionError(
            "--reject-rcpt",
            _(
                "“{address}” is not an e-mail address; write ADDR or ADDR=CODE TEXT, e.g. "
                "--reject-rcpt x@example.org"
            ).format(address=address),
        )
    if not sep:
        return address, Reply(550, DEFAULT_REJECT_TEXT)
    if not reply_text.strip():
        raise SandboxOptionError(
            "--reject-rcpt",
            _(
                'write a reply after “=”, e.g. --reject-rcpt "{address}=550 5.1.1 No such user"'
            ).format(address=address),
        )
    default = DEFAULT_REJECT_TEXT if reply_text.strip().startswith("5") else TEMPORARY_REJECT_TEXT
    return address, parse_reply(reply_text, "--reject-rcpt", default)


def parse_seconds(text: str, option: str) -> float:
    """Read a number of seconds from 0 to an hour (``2``, ``0.5``)."""
    try:
        seconds = float(text.strip())
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds <= MAX_DELAY:  # also catches nan
        raise SandboxOptionError(
            option,
            _("“{value}” is not a number of seconds from 0 to {most:g}, e.g. 2 or 0.5").format(
                value=text.strip(), most=MAX_DELAY
            ),
        )
    return seconds


def parse_delay(text: str) -> tuple[str, float]:
    """Read ``--delay STAGE=SECONDS``, e.g. ``DATA=5``."""
    stage_text, sep, seconds = text.partition("=")
    if not sep or not stage_text.strip():
        raise SandboxOptionError(
            "--delay",
            _("write STAGE=SECONDS, e.g. --delay DATA=5 (STAGE: {stages})").format(
                stages=_stage_list()
            ),
        )
    return parse_stage(stage_text, "--delay"), parse_seconds(seconds, "--delay")


def parse_extension(text: str) -> str:
    """Read ``--hide EXT``: an EHLO keyword the sandbox advertises."""
    name = text.strip().upper()
    if name not in EXTENSIONS:
        raise SandboxOptionError(
            "--hide",
            _("“{name}” is not an extension the sandbox offers; use one of {names}").format(
                name=text.strip(), names=", ".join(EXTENSIONS)
            ),
        )
    return name


def parse_auth(text: str) -> tuple[str, str]:
    """Read ``--auth USER:PASS``."""
    user, sep, password = text.partition(":")
    if not sep or not user or not password:
        raise SandboxOptionError("--auth", _("write USER:PASS, e.g. --auth ann:secret"))
    return user, password


def parse_size(text: str) -> int:
    """Read ``--size BYTES``: a whole number of bytes, or with K, M or G (1024-based)."""
    found = _SIZE.match(str(text).strip())
    size = int(found.group(1)) * _MULTIPLIER[found.group(2).upper()] if found else 0
    if size < 1:
        raise SandboxOptionError(
            "--size",
            _("“{value}” is not a size; write a whole number of bytes, e.g. 500 or 10M").format(
                value=str(text).strip()
            ),
        )
    return size


def unique(option: str, pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """``dict(pairs)``, refusing a key given twice (``--fault RCPT=… --fault RCPT=…``)."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise SandboxOptionError(option, _("{key} is given twice; keep one").format(key=key))
        found[key] = value
    return found


def build_config(
    *,
    tls: bool = False,
    require_starttls: bool = False,
    implicit_tls: bool = False,
    auth: str | None = None,
    size: str | int | None = None,
    hide: Iterable[str] = (),
    faults: Iterable[str] = (),
    rejects: Iterable[str] = (),
    greylist: bool = False,
    greylist_delay: str | float = 0,
    delays: Iterable[str] = (),
    drops: Iterable[str] = (),
) -> SandboxConfig:
    """Build a :class:`SandboxConfig` from option strings as typed on the command line.

    Raises:
        SandboxOptionError: the first option that cannot be read, or two that conflict.
    """
    if implicit_tls and (tls or require_starttls):
        raise SandboxOptionError(
            "--implicit-tls",
            _("TLS from the first byte leaves nothing to STARTTLS; drop --tls/--require-starttls"),
        )
    fault_map = unique("--fault", (parse_fault(f) for f in faults))
    drop_set = {parse_stage(d, "--drop") for d in drops}
    for stage in sorted(drop_set & set(fault_map)):
        raise SandboxOptionError(
            "--drop",
            _("{stage} has both a --fault and a --drop; choose one").format(stage=stage),
        )
    return SandboxConfig(
        tls=tls,
        require_starttls=require_starttls,
        implicit_tls=implicit_tls,
        auth=parse_auth(auth) if auth else None,
        size_limit=parse_size(str(size)) if size not in (None, "") else None,
        hidden=frozenset(parse_extension(h) for h in hide),
        faults=tuple(fault_map.items()),
        rejects=tuple(unique("--reject-rcpt", (parse_reject(r) for r in rejects)).items()),
        greylist=greylist,
        greylist_delay=parse_seconds(str(greylist_delay), "--greylist-delay"),
        delays=tuple(unique("--delay", (parse_delay(d) for d in delays)).items()),
        drops=frozenset(drop_set),
    )


def config_from_dict(data: Mapping[str, Any]) -> SandboxConfig:
    """Build a config from :meth:`SandboxConfig.to_dict` data, checking every value."""
    auth = data.get("auth")
    if auth is not None and not isinstance(auth, str):
        auth = ":".join(auth)
    size = data.get("size_limit")
    return build_config(
        tls=bool(data.get("tls", False)),
        require_starttls=bool(data.get("require_starttls", False)),
        implicit_tls=bool(data.get("implicit_tls", False)),
        auth=auth,
        size=None if size is None else str(size),
        hide=data.get("hidden", ()),
        faults=[f"{stage}={reply}" for stage, reply in dict(data.get("faults", {})).items()],
        rejects=[f"{addr}={reply}" for addr, reply in dict(data.get("rejects", {})).items()],
        greylist=bool(data.get("greylist", False)),
        greylist_delay=data.get("greylist_delay", 0),
        delays=[f"{stage}={sec}" for stage, sec in dict(data.get("delays", {})).items()],
        drops=data.get("drops", ()),
    )
