"""A sandbox config rendered as ``mailcomposer sandbox`` switches, and read back."""

from __future__ import annotations

import shlex

import pytest

from mailcomposer.cli.parser import build_parser
from mailcomposer.sandbox.commandline import command_args, command_text, size_text
from mailcomposer.sandbox.config import Reply, SandboxConfig
from mailcomposer.sandbox.options import config_from_args
from mailcomposer.sandbox.parsers import build_config


def read_back(args: tuple[str, ...] | list[str]) -> SandboxConfig:
    """Parse the switches with the real ``mailcomposer sandbox`` parser."""
    return config_from_args(build_parser("sandbox").parse_args(["sandbox", *args]))


CONFIGS = {
    "plain": SandboxConfig(),
    "starttls required, auth, size": SandboxConfig(
        require_starttls=True, auth=("student", "lab:pass word"), size_limit=10 * 1024**2
    ),
    "implicit tls, odd size": SandboxConfig(implicit_tls=True, size_limit=1500),
    "everything": build_config(
        auth="ann:pw",
        size="512K",
        hide=["PIPELINING", "HELP"],
        faults=["RCPT=450 4.2.0 Mailbox busy", "CONNECT=421 4.3.2 Going down"],
        rejects=["x@example.org", "y@example.org=551 5.1.6 Gone away"],
        greylist=True,
        greylist_delay="2.5",
        delays=["DATA=0.25", "EHLO=3"],
        drops=["DOT"],
    ),
}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_config_to_args_and_back_is_the_same_config(name: str) -> None:
    config = CONFIGS[name]
    line = command_args(config)
    assert line.exact
    assert read_back(line.args) == config
    # What a student copies reads back the same too.
    words = shlex.split(line.text())
    assert words[:2] == ["mailcomposer", "sandbox"]
    assert read_back(words[2:]) == config


def test_switches_are_short_and_in_session_order() -> None:
    text = command_text(CONFIGS["everything"], port=2525)
    assert text == (
        "mailcomposer sandbox --port 2525 --auth ann:pw --size 512K --hide HELP "
        "--hide PIPELINING --fault 'CONNECT=421 4.3.2 Going down' "
        "--fault 'RCPT=450 4.2.0 Mailbox busy' --reject-rcpt x@example.org "
        "--reject-rcpt 'y@example.org=551 5.1.6 Gone away' --greylist --greylist-delay 2.5 "
        "--delay EHLO=3 --delay DATA=0.25 --drop DOT"
    )


def test_optional_starttls_has_no_switch_and_says_so() -> None:
    config = SandboxConfig(tls=True)
    line = command_args(config)
    assert not line.exact
    assert "--require-starttls" in line.args
    assert "closest" in line.notes[0]
    assert read_back(line.args) == SandboxConfig(tls=True, require_starttls=True)


@pytest.mark.parametrize(
    ("size", "text"),
    [(1, "1"), (1024, "1K"), (3 * 1024**2, "3M"), (2 * 1024**3, "2G"), (1025, "1025")],
)
def test_sizes_use_the_largest_exact_unit(size: int, text: str) -> None:
    assert size_text(size) == text


def test_a_reply_text_with_quotes_survives_the_shell() -> None:
    config = SandboxConfig(faults={"MAIL": Reply(553, '5.7.1 Don\'t "send" here')})
    assert read_back(shlex.split(command_text(config))[2:]) == config
