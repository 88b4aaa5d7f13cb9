"""A real Dovecot IMAP server on 127.0.0.1 for the Sent-copy tests (skipped where absent).

Dovecot runs as root in the sandbox (CI installs ``dovecot-imapd``); its mail
processes run as the ``dovecot`` user, so its folder is made in /tmp with modes that
user can traverse (pytest's own temporary folders are private to root). The config
is written per test: passwd-file login, Maildir storage, a ``\\Sent`` folder named
by ``sent_name``, and TLS with a trustme certificate on the implicit-TLS port.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme

from tests.smtp_fixtures import AUTH_PASSWORD, AUTH_USER

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
# The SMTP test servers' login: an account logs in to IMAP as it does to SMTP.
USER = AUTH_USER
PASSWORD = AUTH_PASSWORD


@dataclass
class Dovecot:
    """A running Dovecot.

    Attributes:
        root: its folder (config, mail, logs).
        plain_port: IMAP with STARTTLS offered.
        tls_port: IMAP over TLS from the first byte.
        cafile: the test CA, to trust its certificate.
        process: the master process (foreground).
    """

    root: Path
    plain_port: int
    tls_port: int
    cafile: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def maildir(self) -> Path:
        return self.root / "mail" / USER / "Maildir"

    def folder_messages(self, folder: str) -> list[bytes]:
        """The messages stored in ``folder`` (Maildir++: ``.Name``; raw IMAP name)."""
        base = self.maildir / f".{folder}"
        return [p.read_bytes() for sub in ("new", "cur") for p in sorted((base / sub).glob("*"))]

    def start(self) -> None:
        """Start (or start again, on the same ports) the master in the foreground."""
        conf, log = self.root / "dovecot.conf", self.root / "dovecot.log"
        # A daemon keeps the test's pipes open: its streams go to a file, not a pipe
        # (what it says before its log is open, such as a port in use, is kept there).
        with open(self.root / "dovecot.stderr", "ab") as stderr:
            self.process = subprocess.Popen(
                [DOVECOT, "-F", "-c", str(conf)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,  # its own group, so stop() ends its children too
            )
        try:
            _wait_until_listening(self.tls_port, self.process, log)
            _wait_until_listening(self.plain_port, self.process, log)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop at once: Dovecot's own shutdown waits seconds for its children."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)  # the group this fixture started
            self.process.wait()
        self.process = None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _config(root: Path, plain: int, tls: int, sent_name: str) -> str:
    user = pwd.getpwnam("dovecot")
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_failure_delay = 0
auth_mechanisms = plain login
first_valid_uid = {user.pw_uid}
last_valid_uid = {user.pw_uid}
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={user.pw_uid} gid={user.pw_gid} home={root}/mail/%u
}}
namespace inbox {{
  inbox = yes
  separator = .
  mailbox "{sent_name}" {{
    auto = create
    special_use = \\Sent
  }}
  mailbox Drafts {{
    auto = create
    special_use = \\Drafts
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {plain}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls}
    ssl = yes
  }}
}}
"""


class DovecotExited(Exception):
    """Dovecot stopped before it listened (its log and standard error in the message)."""


def _wait_until_listening(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            said = [f.read_text(errors="replace") for f in (log, log.with_suffix(".stderr"))
                    if f.exists()]  # fmt: skip
            raise DovecotExited(f"dovecot exited ({process.returncode}): {' '.join(said)}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.05)
    pytest.fail("dovecot did not start listening within 30 s")


def start_dovecot(root: Path, cert: trustme.LeafCert, ca: trustme.CA, sent_name: str) -> Dovecot:
    """Write the config into ``root`` and start Dovecot in the foreground."""
    user = pwd.getpwnam("dovecot")
    for sub in ("run", "state", "mail"):
        (root / sub).mkdir()
    os.chown(root / "mail", user.pw_uid, user.pw_gid)
    cert.cert_chain_pems[0].write_to_path(str(root / "cert.pem"))
    cert.private_key_pem.write_to_path(str(root / "key.pem"))
    ca.cert_pem.write_to_path(str(root / "ca.pem"))
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
    (root / "passwd").chmod(0o644)
    for attempt in range(3):
        # A free port may be taken by another program before Dovecot binds it: then it
        # exits at once, and new ports are tried.
        plain, tls = _free_port(), _free_port()
        (root / "dovecot.conf").write_text(_config(root, plain, tls, sent_name))
        server = Dovecot(root, plain, tls, root / "ca.pem")
        try:
            server.start()
        except DovecotExited as exc:
            if attempt == 2:
                pytest.fail(str(exc))
            continue
        return server
    raise AssertionError("not reached")


@pytest.fixture(scope="session")
def imap_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def sent_name() -> str:
    """The name of the folder Dovecot marks ``\\Sent`` (tests override it)."""
    return "Sent"


@pytest.fixture
def dovecot(imap_ca: trustme.CA, sent_name: str) -> Iterator[Dovecot]:
    """A Dovecot for ``USER`` on two free loopback ports; skipped where not installed."""
    if not Path(DOVECOT).exists():
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd)")
    if os.geteuid() != 0:
        pytest.skip("the Dovecot fixture runs Dovecot as root (as CI does)")
    try:
        pwd.getpwnam("dovecot")
    except KeyError:
        pytest.skip("Dovecot's system user is missing (reinstall dovecot-core)")
    root = Path(tempfile.mkdtemp(prefix="mc-dovecot-"))
    root.chmod(0o755)
    cert = imap_ca.issue_cert("localhost", "127.0.0.1")
    server = start_dovecot(root, cert, imap_ca, sent_name)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def imap_context(imap_ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    imap_ca.configure_trust(context)
    return context
