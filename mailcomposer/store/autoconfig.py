"""Settings for any address: Thunderbird's autoconfig, SRV records, then the MX's provider.

The look-ups go in Thunderbird's order, each reported as a :class:`Step`:

1. ``https://autoconfig.<domain>/mail/config-v1.1.xml?emailaddress=<address>``
2. ``https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml``
3. the ISP database, ``https://autoconfig.thunderbird.net/v1.1/<domain>``
4. ``http://autoconfig.<domain>/...`` (plain HTTP: the answer is unverified)
5. ``_submissions._tcp`` then ``_submission._tcp`` SRV records (RFC 8314, RFC 6186),
   and ``_imaps._tcp`` for the Sent copy
6. the MX host's provider (``aspmx.l.google.com`` -> Gmail's preset)

Only answers fetched over verified HTTPS are trusted as they are; plain HTTP and
DNS (no DNSSEC validation here) give settings the user must confirm.
"""

from __future__ import annotations

import ssl
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mailcomposer.i18n import _
from mailcomposer.smtp.settings import Security
from mailcomposer.smtp.tls import make_ssl_context
from mailcomposer.store import presets
from mailcomposer.store.dnslookup import DnsError, Resolver, by_priority, default_resolver
from mailcomposer.store.imapsettings import ImapSettings, default_port

MAX_XML_BYTES = 64 * 1024
ISPDB = "https://autoconfig.thunderbird.net/v1.1/{domain}"
# MX host domains of the providers we have presets for (their MX is not their mail domain).
MX_PROVIDERS = {
    "google.com": "gmail",
    "googlemail.com": "gmail",
    "outlook.com": "outlook",
    "yahoodns.net": "yahoo",
    "icloud.com": "icloud",
    "qq.com": "qq",
    "163.com": "163",
    "126.com": "126",
    "yeah.net": "yeah",
    "sina.com": "sina",
    "zoho.com": "zoho",
    "zoho.eu": "zoho",
    "messagingengine.com": "fastmail",
    "gmx.net": "gmx",
    "yandex.net": "yandex",
    "yandex.ru": "yandex",
    "aol.com": "aol",
}
_SOCKET_TYPES = {"SSL": Security.TLS, "STARTTLS": Security.STARTTLS}


@dataclass(frozen=True)
class Fetched:
    """An HTTP answer: the body and whether it came over verified HTTPS all the way."""

    url: str
    body: bytes
    secure: bool


Opener = Callable[[str], Fetched]


@dataclass(frozen=True)
class Found:
    """Settings a step found.

    Attributes:
        host: the submission server.
        port: its port.
        security: ``tls`` or ``starttls``.
        username: the login name ('' = the address).
        imap: the IMAP server for the Sent copy, if the source gave one.
        trusted: fetched over verified HTTPS (else the user must confirm).
        source: where it came from, for the user.
        preset: the preset id when the MX pointed at a known provider.
    """

    host: str
    port: int
    security: Security
    username: str = ""
    imap: ImapSettings | None = None
    trusted: bool = False
    source: str = ""
    preset: str = ""


@dataclass(frozen=True)
class Step:
    """One look-up and what it gave, for the user.

    Attributes:
        what: the URL or DNS name asked.
        text: a translated sentence saying what it found.
        found: the settings, when this step found some.
    """

    what: str
    text: str
    found: Found | None = None

    def line(self) -> str:
        return f"{self.what}: {self.text}"


@dataclass
class Detection:
    """Every step tried, and the settings of the first that found some.

    Attributes:
        address: the address the settings are for.
        steps: the steps in order.
        found: the settings, or None.
    """

    address: str
    steps: list[Step] = field(default_factory=list)
    found: Found | None = None

    @property
    def ok(self) -> bool:
        return self.found is not None


class UrlOpener:
    """Fetches a URL (small answers only), with the app's verified TLS.

    Attributes:
        cafile: an extra CA bundle to trust (tests pass their own CA).
        rewrite: maps each URL before it is fetched (tests send every host to
            127.0.0.1); None fetches it as it is.
        timeout: seconds for each request.
    """

    def __init__(
        self,
        *,
        cafile: Path | None = None,
        rewrite: Callable[[str], str] | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.context = make_ssl_context(cafile)
        self.rewrite = rewrite
        self.timeout = timeout

    def __call__(self, url: str) -> Fetched:
        target = self.rewrite(url) if self.rewrite else url
        opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=self.context))
        request = urllib.request.Request(target, headers={"User-Agent": "mailcomposer"})
        with opener.open(request, timeout=self.timeout) as response:
            body = response.read(MAX_XML_BYTES + 1)
            final = response.geturl()
        if len(body) > MAX_XML_BYTES:
            raise ValueError(_("the answer is larger than {size} KiB").format(size=64))
        # A redirect from https to http makes the answer as weak as plain HTTP.
        secure = urllib.parse.urlsplit(target).scheme == "https" and final.startswith("https:")
        return Fetched(final, body, secure)


def parse_config(data: bytes, address: str) -> tuple[Found | None, ImapSettings | None]:
    """Read a Thunderbird ``clientConfig`` (v1.1); return the SMTP server and IMAP.

    Plain-text servers are skipped. A document with a DTD is refused before parsing,
    so no entity (external or recursive) is ever expanded.

    Raises:
        ValueError: not a well-formed, DTD-free config document.
    """
    if len(data) > MAX_XML_BYTES:
        raise ValueError(_("the answer is larger than {size} KiB").format(size=64))
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise ValueError(_("the answer declares a DTD, which is not accepted"))
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ValueError(_("the answer is not valid XML ({error})").format(error=exc)) from exc
    provider = root.find("emailProvider")
    if root.tag != "clientConfig" or provider is None:
        raise ValueError(_("the answer is not a mail client configuration"))
    smtp = imap = None
    for server in provider.findall("outgoingServer"):
        entry = _server_entry(server, address)
        if server.get("type") == "smtp" and entry is not None:
            host, port, security, user = entry
            smtp = Found(host, port or (465 if security is Security.TLS else 587), security, user)
            break
    for server in provider.findall("incomingServer"):
        entry = _server_entry(server, address)
        if server.get("type") == "imap" and entry is not None:
            host, port, security, _user = entry
            imap = ImapSettings(host, port or default_port(security), security)
            break
    return smtp, imap


def _server_entry(server: ET.Element, address: str) -> tuple[str, int, Security, str] | None:
    host = (server.findtext("hostname") or "").strip()
    security = _SOCKET_TYPES.get((server.findtext("socketType") or "").strip().upper())
    if not host or security is None or any(c.isspace() or c in "/\\@" for c in host):
        return None
    try:
        port = int((server.findtext("port") or "0").strip())
    except ValueError:
        port = 0
    if not 0 <= port <= 65535:
        return None
    local, _at, domain = address.rpartition("@")
    user = (server.findtext("username") or "").strip()
    user = (
        user.replace("%EMAILADDRESS%", address)
        .replace("%EMAILLOCALPART%", local)
        .replace("%EMAILDOMAIN%", domain)
    )
    return host, port, security, user


def detect(
    address: str,
    *,
    opener: Opener | None = None,
    resolver: Resolver | None = None,
    on_step: Callable[[Step], None] | None = None,
) -> Detection:
    """Find sending (and IMAP) settings for ``address`` the way Thunderbird does.

    Never raises for network or DNS trouble: each failure is a step saying so.

    Args:
        address: the bare e-mail address.
        opener: fetches a URL (default :class:`UrlOpener`).
        resolver: looks up SRV and MX (default ``dnslookup.default_resolver()``).
        on_step: called with each step as it ends (from the calling thread).
    """
    domain = address.rpartition("@")[2].strip().rstrip(".").lower()
    detection = Detection(address)
    opener = opener or UrlOpener()

    def report(step: Step) -> None:
        detection.steps.append(step)
        if on_step is not None:
            on_step(step)

    if not domain:
        report(Step(address, _("this is not an e-mail address")))
        return detection
    quoted = urllib.parse.quote(address, safe="@")
    urls = [
        f"https://autoconfig.{domain}/mail/config-v1.1.xml?emailaddress={quoted}",
        f"https://{domain}/.well-known/autoconfig/mail/config-v1.1.xml",
        ISPDB.format(domain=domain),
        f"http://autoconfig.{domain}/mail/config-v1.1.xml?emailaddress={quoted}",
    ]
    for url in urls:
        step = _fetch_step(url, address, opener)
        report(step)
        if step.found is not None:
            detection.found = step.found
            return detection
    try:
        resolver = resolver or default_resolver()
    except Exception as exc:  # no DNS support at all: say so and stop
        report(Step("DNS", _("look-up not possible ({error})").format(error=exc)))
        return detection
    for step in _srv_steps(domain, resolver):
        report(step)
        if step.found is not None:
            detection.found = step.found
            return detection
    step = _mx_step(domain, resolver)
    report(step)
    detection.found = step.found
    return detection


def _fetch_step(url: str, address: str, opener: Opener) -> Step:
    try:
        fetched = opener(url)
    except urllib.error.HTTPError as exc:
        return Step(url, _("nothing there (HTTP {code})").format(code=exc.code))
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc  # urllib wraps it in a URLError
        if isinstance(reason, ssl.SSLCertVerificationError):
            text = _("the certificate is not trusted ({error})").format(
                error=reason.verify_message or reason
            )
            return Step(url, text)
        return Step(url, _("no answer ({error})").format(error=reason))
    try:
        smtp, imap = parse_config(fetched.body, address)
    except ValueError as exc:
        return Step(url, str(exc))
    if smtp is None:
        return Step(url, _("the configuration names no SMTP server with TLS or STARTTLS"))
    found = Found(smtp.host, smtp.port, smtp.security, smtp.username, imap, fetched.secure, url)
    return Step(url, _found_text(found), found)


def _found_text(found: Found) -> str:
    text = _("found {host}:{port} ({security})").format(
        host=found.host, port=found.port, security=found.security.value
    )
    if found.imap is not None:
        text += _(", IMAP {host}:{port}").format(host=found.imap.host, port=found.imap.port)
    if not found.trusted:
        text += " — " + _("unverified, confirm")
    return text


def _srv_steps(domain: str, resolver: Resolver) -> list[Step]:
    steps = []
    imap = None
    try:
        imaps = by_priority(resolver.srv(f"_imaps._tcp.{domain}"))
        if imaps:
            imap = ImapSettings(imaps[0].target, imaps[0].port, Security.TLS)
    except DnsError:
        imap = None
    for service, security in (("_submissions", Security.TLS), ("_submission", Security.STARTTLS)):
        name = f"{service}._tcp.{domain}"
        try:
            records = by_priority(resolver.srv(name))
        except DnsError as exc:
            steps.append(Step(name, _("look-up failed ({error})").format(error=exc)))
            continue
        if not records:
            steps.append(Step(name, _("no record")))
            continue
        best = records[0]
        found = Found(best.target, best.port, security, imap=imap, source=name)
        steps.append(Step(name, _found_text(found), found))
        break
    return steps


def _mx_step(domain: str, resolver: Resolver) -> Step:
    name = _("MX of {domain}").format(domain=domain)
    try:
        records = sorted(resolver.mx(domain), key=lambda r: r.preference)
    except DnsError as exc:
        return Step(name, _("look-up failed ({error})").format(error=exc))
    if not records:
        return Step(name, _("no record"))
    host = records[0].host.lower()
    labels = host.split(".")
    preset = None
    for start in range(len(labels) - 1):
        suffix = ".".join(labels[start:])
        preset_id = MX_PROVIDERS.get(suffix)
        if preset_id is None:
            preset_id = next((p.id for p in presets.presets() if suffix in p.domains), None)
        if preset_id is not None:
            preset = presets.get(preset_id)
            break
    if preset is None:
        return Step(name, _("{host}: not a provider this program knows").format(host=host))
    found = Found(preset.host, preset.port, preset.security, imap=preset.imap,
                  source=name, preset=preset.id)  # fmt: skip
    text = _("{host} is {provider}'s: ").format(host=host, provider=preset.name)
    return Step(name, text + _found_text(found), found)
