"""The parser: every command's options, the constants it repeats, one error line format."""

from __future__ import annotations

import pytest

from mailcomposer.cli import parser, send
from mailcomposer.cli.output import error_line
from mailcomposer.cli.parser import UsageError, build_parser
from mailcomposer.smtp.settings import Security, Timeouts


def test_security_choices_are_the_security_values() -> None:
    assert tuple(s.value for s in Security) == parser.SECURITY_CHOICES


def test_timeout_defaults_in_the_help_are_the_real_ones() -> None:
    defaults = Timeouts()
    assert (defaults.connect, defaults.command, defaults.final_dot) == send.DEFAULT_TIMEOUTS


def test_timeout_help_names_what_it_bounds_and_the_final_dot_wait(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        build_parser("send").parse_args(["send", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    start = help_text.index("--timeout SECONDS")
    text = help_text[start : help_text.index("message:", start)]
    final_dot = f"{int(Timeouts().final_dot)} seconds"
    for part in ("connecting", "TLS handshake", "each read or write", "one whole server reply",
                 "2 times as long", "final dot", final_dot, "10 times SECONDS"):  # fmt: skip
        assert part in text, part


def test_every_command_builds() -> None:
    full = build_parser("*")
    for argv in (["send", "--to", "a@example.org"], ["sandbox"], ["inspect", "x.eml"],
                 ["account", "list"], ["selftest"]):  # fmt: skip
        assert full.parse_args(argv).command == argv[0]


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["send", "--priority", "urgent"], "--priority"),
        (["send", "--to"], "--to"),
        (["send", "--text", "a", "--text-file", "b"], "--text-file"),
        (["send", "--nonsense"], ""),
        (["account", "add", "--server", "x"], ""),
    ],
)
def test_argparse_errors_become_usage_errors_naming_the_option(
    argv: list[str], option: str
) -> None:
    with pytest.raises(UsageError) as info:
        build_parser(argv[0]).parse_args(argv)
    assert info.value.option == option and info.value.message


def test_the_error_line() -> None:
    assert error_line("--server", "bad") == "mailcomposer: error: --server: bad"
    assert error_line("", "bad") == "mailcomposer: error: bad"
