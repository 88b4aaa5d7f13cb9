"""Mail settings detection against local HTTP(S) servers on 127.0.0.1 and a stub resolver."""

from __future__ import annotations

import contextlib
import io
import ssl
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import trustme

from mailcomposer.smtp.settings import Security
from mailcomposer.store.autoconfig import MAX_XML_BYTES, UrlOpener, detect, parse_config
from mailcomposer.store.dnslookup import DnsError, Mx, Srv
from mailcomposer.store.imapsettings import ImapSettings

ADDRESS = "ann@example.test"
CONFIG = b"""<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example.test">
    <domain>example.test</domain>
    <incomingServer type="pop3">
      <hostname>pop.example.test</hostname><port>995</port><socketType>SSL</socketType>
    </incomingServer>
    <incomingServer type="imap">
      <hostname>imap.example.test</hostname><port>993</port><socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>plain.example.test</hostname><port>25</port><socketType>plain</socketType>
    </outgoingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.example.test</hostname><port>587</port><socketType>STARTTLS</socketType>
      <username>%EMAILLOCALPART%</username>
    </outgoingServer>
  </emailProvider>
</clientConfig>
"""


@dataclass
class Site:
    """What the local web servers answer: ``host + path`` -> body (others: 404)."""

    pages: dict[str, bytes] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            key = urllib.parse.urlsplit(self.path).path.lstrip("/")
            site.asked.append(key)
            body = site.pages.get(key)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@dataclass
class Web:
    site: Site
    opener: UrlOpener


@pytest.fixture
def web(ca: trustme.CA, client_cafile: Path) -> Iterator[Web]:
    """An HTTPS and an HTTP server on 127.0.0.1; every URL is rewritten to reach them."""
    with serve_web(ca, client_cafile) as served:
        yield served


@contextlib.contextmanager
def serve_web(ca: trustme.CA, client_cafile: Path) -> Iterator[Web]:
    """Run the two local servers (also used by the GUI test)."""
    site = Site()
    https = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    https.socket = context.wrap_socket(https.socket, server_side=True)
    http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    threads = [
        threading.Thread(target=s.serve_forever, args=(0.05,), daemon=True) for s in (https, http)
    ]
    for thread in threads:
        thread.start()

    def rewrite(url: str) -> str:
        parts = urllib.parse.urlsplit(url)
        port = (https if parts.scheme == "https" else http).server_address[1]
        return f"{parts.scheme}://127.0.0.1:{port}/{parts.hostname}{parts.path}?{parts.query}"

    try:
        yield Web(site, UrlOpener(cafile=client_cafile, rewrite=rewrite, timeout=10))
    finally:
        for server in (https, http):
            server.shutdown()
            server.server_close()
        for thread in threads:
            thread.join()


class StubResolver:
    def __init__(self, srv: dict[str, list[Srv]] | None = None,
                 mx: dict[str, list[Mx]] | None = None, broken: bool = False) -> None:  # fmt: skip
        self._srv, self._mx, self.broken = srv or {}, mx or {}, broken
        self.asked: list[str] = []

    def srv(self, name: str) -> list[Srv]:
        self.asked.append(name)
        if self.broken:
            raise DnsError("timed out")
        return self._srv.get(name, [])

    def mx(self, domain: str) -> list[Mx]:
        self.asked.append(f"MX {domain}")
        if self.broken:
            raise DnsError("timed out")
        return self._mx.get(domain, [])


def test_autoconfig_host_over_https_is_trusted(web: Web) -> None:
    web.site.pages["autoconfig.example.test/mail/config-v1.1.xml"] = CONFIG
    steps: list[str] = []
    result = detect(ADDRESS, opener=web.opener, resolver=StubResolver(),
                    on_step=lambda s: steps.append(s.line()))  # fmt: skip
    found = result.found
    assert found is not None and found.trusted
    assert (found.host, found.port, found.security) == ("smtp.example.test", 587, Security.STARTTLS)
    assert found.username == "ann"
    assert found.imap == ImapSettings("imap.example.test", 993, Security.TLS)
    assert len(steps) == 1 and "found smtp.example.test:587 (starttls)" in steps[0]


def test_thunderbird_order_then_the_ispdb(web: Web) -> None:
    web.site.pages["autoconfig.thunderbird.net/v1.1/example.test"] = CONFIG
    result = detect(ADDRESS, opener=web.opener, resolver=StubResolver())
    assert web.site.asked == [
        "autoconfig.example.test/mail/config-v1.1.xml",
        "example.test/.well-known/autoconfig/mail/config-v1.1.xml",
        "autoconfig.thunderbird.net/v1.1/example.test",
    ]
    assert result.found is not None and result.found.trusted
    assert [s.text for s in result.steps[:2]] == ["nothing there (HTTP 404)"] * 2


def test_plain_http_answer_is_unverified(web: Web) -> None:
    web.site.pages["autoconfig.example.test/mail/config-v1.1.xml"] = CONFIG
    https_only = UrlOpener(cafile=None, rewrite=web.opener.rewrite, timeout=10)
    # The HTTPS steps fail (the test CA is not trusted by this opener); HTTP answers.
    result = detect(ADDRESS, opener=https_only, resolver=StubResolver())
    assert "certificate is not trusted" in result.steps[0].text
    assert result.found is not None and not result.found.trusted
    assert result.steps[-1].what.startswith("http://")
    assert result.steps[-1].text.endswith("unverified, confirm")


def test_srv_records_after_the_web(web: Web) -> None:
    resolver = StubResolver(srv={
        "_submission._tcp.example.test": [Srv(10, 0, 587, "mail.example.test")],
        "_imaps._tcp.example.test": [Srv(0, 1, 993, "imap.example.test")],
    })  # fmt: skip
    result = detect(ADDRESS, opener=web.opener, resolver=resolver)
    found = result.found
    assert found is not None and not found.trusted
    assert (found.host, found.port, found.security) == ("mail.example.test", 587, Security.STARTTLS)
    assert found.imap == ImapSettings("imap.example.test", 993, Security.TLS)
    assert [s.what for s in result.steps[-2:]] == [
        "_submissions._tcp.example.test", "_submission._tcp.example.test"]  # fmt: skip
    assert result.steps[-2].text == "no record"


def test_mx_of_a_known_provider_gives_its_preset(web: Web) -> None:
    resolver = StubResolver(mx={"example.test": [Mx(5, "ALT1.ASPMX.L.GOOGLE.COM"),
                                                 Mx(1, "aspmx.l.google.com")]})  # fmt: skip
    result = detect(ADDRESS, opener=web.opener, resolver=resolver)
    found = result.found
    assert found is not None and found.preset == "gmail" and not found.trusted
    assert found.host == "smtp.gmail.com" and found.imap is not None
    assert "aspmx.l.google.com is Gmail's" in result.steps[-1].text


def test_nothing_found_and_dns_down_are_reported(web: Web) -> None:
    result = detect(ADDRESS, opener=web.opener, resolver=StubResolver(broken=True))
    assert result.found is None
    assert "look-up failed (timed out)" in result.steps[-1].text
    assert len(result.steps) == 7  # four URLs, two SRV names, the MX


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><clientConfig/>',
        b'<!DOCTYPE x SYSTEM "file:///etc/passwd"><clientConfig/>',
        b"<clientConfig><emailProvider>" + b" " * MAX_XML_BYTES,
        b"<html>not xml",
        b"<other/>",
    ],
)
def test_hostile_or_wrong_documents_are_refused(body: bytes) -> None:
    with pytest.raises(ValueError):
        parse_config(body, ADDRESS)


def test_oversized_answer_is_not_read_whole(web: Web) -> None:
    web.site.pages["autoconfig.example.test/mail/config-v1.1.xml"] = b"x" * (MAX_XML_BYTES * 4)
    result = detect(ADDRESS, opener=web.opener, resolver=StubResolver())
    assert "larger than 64 KiB" in result.steps[0].text


def _cli_add(monkeypatch: pytest.MonkeyPatch, web: Web, resolver: StubResolver, *extra: str):
    from mailcomposer.cli import main

    monkeypatch.setattr("mailcomposer.cli.account.detect.make_opener", lambda: web.opener)
    monkeypatch.setattr("mailcomposer.cli.account.detect.make_resolver", lambda: resolver)
    return main(["account", "add", "--name", "Found", "--detect", "--from", ADDRESS, *extra])


def _saved():
    from mailcomposer.store.accounts import AccountStore
    from mailcomposer.store.paths import Home

    return AccountStore(Home.from_env()).get("Found")


def test_cli_detect_saves_what_https_found(web: Web, monkeypatch, capsys) -> None:
    web.site.pages["example.test/.well-known/autoconfig/mail/config-v1.1.xml"] = CONFIG
    assert _cli_add(monkeypatch, web, StubResolver()) == 0
    out = capsys.readouterr().out
    assert "* https://autoconfig.example.test/mail/config-v1.1.xml?emailaddress=" in out
    assert "nothing there (HTTP 404)" in out and "found smtp.example.test:587" in out
    account = _saved()
    assert account is not None
    assert (account.server.host, account.server.port) == ("smtp.example.test", 587)
    assert account.server.security is Security.STARTTLS and account.server.username == "ann"
    assert account.imap == ImapSettings("imap.example.test", 993, Security.TLS)


def test_cli_detect_refuses_unverified_without_yes(web: Web, monkeypatch, capsys) -> None:
    resolver = StubResolver(
        srv={"_submissions._tcp.example.test": [Srv(0, 0, 465, "m.example.test")]}
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal
    assert _cli_add(monkeypatch, web, resolver) == 2
    err = capsys.readouterr().err
    assert err.startswith("mailcomposer: error: --yes: the settings found are unverified")
    assert _saved() is None
    assert _cli_add(monkeypatch, web, resolver, "--yes", "--no-login") == 0
    account = _saved()
    assert account is not None and account.server.security is Security.TLS
    assert (account.server.host, account.server.port) == ("m.example.test", 465)


def test_cli_detect_asks_at_a_terminal(web: Web, monkeypatch, capsys) -> None:
    resolver = StubResolver(mx={"example.test": [Mx(10, "mx1.qq.com")]})
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    assert _cli_add(monkeypatch, web, resolver, "--no-login") == 0
    account = _saved()
    assert account is not None and account.preset == "qq" and account.server.host == "smtp.qq.com"


def test_cli_detect_nothing_found(web: Web, monkeypatch, capsys) -> None:
    assert _cli_add(monkeypatch, web, StubResolver()) == 2
    assert "no settings were found for example.test" in capsys.readouterr().err
