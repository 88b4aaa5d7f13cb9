"""The advice after an untrusted certificate names what fixes its actual fault.

"Give its CA file" was the advice for every untrusted certificate, including one
whose CA the administrator had just given with --cafile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from mailcomposer.smtp.errors import ExitCode
from mailcomposer.smtp.probe import test_connection
from mailcomposer.smtp.settings import Security
from tests.servers import SmtpTestServer
from tests.smtp_fixtures import EventLog, server_context, settings_for

CA_ADVICE = "give its CA file"


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> Path:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


def _tls_server(cert: trustme.LeafCert) -> SmtpTestServer:
    return SmtpTestServer(tls_context=server_context(cert))


def _advice(server: SmtpTestServer, ca_file: Path) -> str:
    settings = settings_for(server, Security.TLS, cafile=ca_file)
    report = test_connection(settings, None, on_event=EventLog())
    assert report.exit_code is ExitCode.TLS
    assert report.untrusted_certificate is not None
    return "\n".join(report.advice())


@pytest.fixture
def expired_server(ca: trustme.CA) -> Iterator[SmtpTestServer]:
    cert = ca.issue_cert(
        "localhost",
        "127.0.0.1",
        not_before=dt.datetime(2020, 1, 1),
        not_after=dt.datetime(2021, 1, 1),
    )
    with _tls_server(cert) as server:
        yield server


def test_an_expired_certificate_says_renew_not_give_a_ca_file(
    expired_server: SmtpTestServer, ca_file: Path
) -> None:
    advice = _advice(expired_server, ca_file)
    assert CA_ADVICE not in advice
    assert "expired on 2021-01-01" in advice and "renewal" in advice


def test_a_certificate_for_another_name_says_which_names(ca: trustme.CA, ca_file: Path) -> None:
    with _tls_server(ca.issue_cert("mail.test.example", "*.mx.test.example")) as server:
        advice = _advice(server, ca_file)
    assert CA_ADVICE not in advice
    assert "for mail.test.example, *.mx.test.example, not 127.0.0.1" in advice


def test_an_unknown_ca_still_says_give_its_ca_file(tmp_path: Path) -> None:
    other_ca = trustme.CA()
    unrelated = tmp_path / "unrelated-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(unrelated))
    with _tls_server(other_ca.issue_cert("localhost", "127.0.0.1")) as server:
        advice = _advice(server, unrelated)
    assert CA_ADVICE in advice
