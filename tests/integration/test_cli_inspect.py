"""``mailcomposer inspect`` and the GUI hand-off decision of the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailcomposer import cli
from mailcomposer.cli.address import parse_server
from mailcomposer.cli.parser import UsageError
from mailcomposer.smtp.errors import ExitCode

NESTED = (
    b"From: ann@example.org\r\nTo: bob@example.org\r\nSubject: nested\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=outer\r\n\r\n"
    b"--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n"
    b"--inner\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello\r\n"
    b"--inner\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>hello</p>\r\n"
    b"--inner--\r\n"
    b"--outer\r\nContent-Type: application/pdf\r\n"
    b'Content-Disposition: attachment; filename="r.pdf"\r\n'
    b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n"
    b"--outer--\r\n"
)


def test_inspect_prints_indented_tree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(NESTED)
    assert cli.main(["inspect", str(path)]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "Subject: nested" in out
    lines = out.splitlines()
    start = lines.index("MIME tree:")
    tree = lines[start + 1 : start + 6]
    assert tree == [
        "  multipart/mixed",
        "    multipart/alternative",
        "      text/plain, 5 bytes",
        "      text/html, 12 bytes",
        "    application/pdf, attachment, “r.pdf”, 9 bytes",
    ]


def test_inspect_reports_lint_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bare-lf.eml"
    path.write_bytes(b"From: ann@example.org\nSubject: " + b"x" * 1200 + b"\n\nbody\n")
    assert cli.main(["inspect", str(path)]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "Findings:" in out


def test_inspect_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["inspect", str(tmp_path)]) == ExitCode.INPUT
    assert capsys.readouterr().err.startswith("mailcomposer: error: ")


@pytest.mark.parametrize(
    ("argv", "gui"),
    [
        ([], True),
        (["message.eml"], True),
        (["mailto:bob@example.org?subject=hi"], True),
        (["send", "--to", "x"], False),
        (["inspect", "a.eml"], False),
        (["-h"], False),
        (["nonsense"], False),
    ],
)
def test_which_arguments_open_the_window(argv: list[str], gui: bool) -> None:
    assert cli.wants_gui(argv) is gui


def test_unknown_command_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["nonsense"]) == ExitCode.INPUT
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("smtp.example.org", ("smtp.example.org", 0)),
        ("smtp.example.org:587", ("smtp.example.org", 587)),
        ("[::1]:2525", ("::1", 2525)),
        ("[2001:db8::5]", ("2001:db8::5", 0)),
        ("2001:db8::5", ("2001:db8::5", 0)),
        ("127.0.0.1", ("127.0.0.1", 0)),
        ("smtp.example.org:65535", ("smtp.example.org", 65535)),
    ],
)
def test_server_option_parsing(text: str, expected: tuple[str, int]) -> None:
    assert parse_server(text) == expected


@pytest.mark.parametrize(
    "text", ["host:0", "host:99999", "host:65536", "host:abc", "host:", ":25", "[::1", "[::1]x",
             "[::1]:0", "bad host"]
)  # fmt: skip
def test_bad_server_option(text: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_server(text)
    assert info.value.option == "--server"


@pytest.mark.parametrize(
    "content,words",
    [
        (b"", "empty"),
        (
            b"".join(
                b"Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n" % (i, i)
                for i in range(10_000)
            ),
            "too deep",
        ),
    ],
)
def test_inspect_refuses_hostile_files_in_one_line(tmp_path, capsys, content, words):
    path = tmp_path / "hostile.eml"
    path.write_bytes(content)
    assert cli.main(["inspect", str(path)]) == ExitCode.INPUT
    err = capsys.readouterr().err
    assert err.startswith("mailcomposer: error: ") and words in err
    assert "Traceback" not in err


def test_an_attachment_from_a_pipe_keeps_its_bytes(tmp_path, capsys):
    import os
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(b"from a pipe\n" * 100))
    writer.start()
    eml = tmp_path / "out.eml"
    code = cli.main(
        ["send", "--from", "a@example.org", "--to", "b@example.org", "--subject", "s",
         "--text", "x", "--attach", str(fifo), "--save-eml", str(eml), "--dry-run"]
    )  # fmt: skip
    writer.join(5)
    assert code == ExitCode.OK, capsys.readouterr().err
    from email import policy
    from email.parser import BytesParser

    (attachment,) = (
        BytesParser(policy=policy.default).parsebytes(eml.read_bytes()).iter_attachments()
    )
    assert attachment.get_content() == b"from a pipe\n" * 100
