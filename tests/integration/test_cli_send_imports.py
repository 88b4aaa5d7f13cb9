"""What a send loads: no OpenSSL (nor other unused modules) for a plain one; TLS still works.

``send`` defers ssl, hmac and inspect (``mailcomposer.cli.lazyimports``) and imports
the rest of what it may need where it is used, to stay within its memory budget
(docs/design.md). Each send here runs ``mailcomposer.cli.main`` in a fresh
interpreter, as the command does, against a real aiosmtpd server in this process.
Not timed and not measuring memory (benchmarks/send.py does): these check imports.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.servers import SmtpTestServer
from tests.smtp_fixtures import AUTH_PASSWORD, AUTH_USER

# Loaded by none of the steps of a plain-text send with an attachment: OpenSSL (TLS,
# hashes), the Sent-folder copy over IMAP, the HTML tools, the screening.toml
# parser, what tempfile, uuid and inspect would bring, and the idna codec (the
# server is an ASCII name); typing is for type checkers only.
UNUSED_BY_A_PLAIN_SEND = (
    "ssl", "_ssl", "hmac", "hashlib", "_hashlib", "secrets", "imaplib", "uuid", "platform",
    "tempfile", "shutil", "bz2", "lzma", "html", "html.entities", "html.parser", "tomllib",
    "inspect", "ast", "dis", "encodings.idna", "stringprep", "typing",
)  # fmt: skip


def send(server: SmtpTestServer, home: Path, *extra: str, password: str = "") -> tuple[int, set]:
    """Run one send in a fresh interpreter; return its exit code and the modules it loaded.

    A module still waiting behind its stand-in (never used) does not count as loaded.
    """
    argv = [
        "send", "--server", f"127.0.0.1:{server.port}", "--timeout", "30",
        "--from", "ann@example.org", "--to", "bob@example.org", "--subject", "Imports",
        "--text", "Hello.", "--quiet", *extra,
    ]  # fmt: skip
    code = (
        "import sys\n"
        "import mailcomposer.cli\n"
        f"code = mailcomposer.cli.main({argv!r})\n"
        "loaded = [name for name, module in list(sys.modules.items())\n"
        "          if type(module).__name__ != '_Deferred']\n"
        "print('MODULES', ' '.join(sorted(loaded)))\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "MAILCOMPOSER_HOME": str(home)}
    if password:
        env["MAILCOMPOSER_PASSWORD"] = password
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    lines = [line for line in run.stdout.splitlines() if line.startswith("MODULES ")]
    assert lines, run.stdout + run.stderr
    return run.returncode, set(lines[-1].split()[1:])


def test_a_plain_send_loads_no_openssl_and_nothing_it_does_not_use(tmp_path: Path) -> None:
    attachment = tmp_path / "report.pdf"
    attachment.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 400)
    with SmtpTestServer() as server:
        code, loaded = send(server, tmp_path / "home", "--security", "none", "--attach",
                            str(attachment))  # fmt: skip
        received = server.handler.received
    assert code == 0
    assert len(received) == 1 and b"report.pdf" in received[0].data
    assert sorted(set(UNUSED_BY_A_PLAIN_SEND) & loaded) == []
    assert {"smtplib", "sqlite3", "mailcomposer.smtp.session"} <= loaded  # it did send


def test_starttls_and_a_login_work_through_the_deferred_ssl(
    starttls_server: SmtpTestServer, tmp_path: Path
) -> None:
    code, loaded = send(
        starttls_server, tmp_path / "home", "--security", "starttls",
        "--cafile", str(starttls_server.cafile), "--user", AUTH_USER, password=AUTH_PASSWORD,
    )  # fmt: skip
    assert code == 0
    assert len(starttls_server.handler.received) == 1
    assert {"ssl", "_ssl"} <= loaded  # loaded by its first use, the handshake


def test_implicit_tls_works_through_the_deferred_ssl(
    tls_server: SmtpTestServer, tmp_path: Path
) -> None:
    code, loaded = send(
        tls_server, tmp_path / "home", "--security", "tls",
        "--cafile", str(tls_server.cafile), "--user", AUTH_USER, password=AUTH_PASSWORD,
    )  # fmt: skip
    assert code == 0
    assert len(tls_server.handler.received) == 1
    assert "_ssl" in loaded


def test_cram_md5_works_through_the_deferred_hmac(tmp_path: Path) -> None:
    with SmtpTestServer(
        auth={AUTH_USER: AUTH_PASSWORD}, auth_require_tls=False, auth_mechanisms=["CRAM-MD5"]
    ) as server:
        code, loaded = send(server, tmp_path / "home", "--security", "none", "--user",
                            AUTH_USER, password=AUTH_PASSWORD)  # fmt: skip
        received = server.handler.received
    assert code == 0
    assert len(received) == 1
    assert {"hmac", "_hashlib"} <= loaded and "_ssl" not in loaded
