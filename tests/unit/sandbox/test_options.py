"""The ``sandbox`` command's lab switches: argparse wiring, the config, the summary it prints."""

from __future__ import annotations

import argparse
from pathlib import Path
from types import SimpleNamespace

import pytest

from mailcomposer.sandbox.config import Reply
from mailcomposer.sandbox.options import (
    SandboxOptionError,
    add_arguments,
    config_from_args,
    example_command,
    summary_lines,
)


def parse(argv: list[str]) -> argparse.Namespace:
    """The sandbox parser as the command line builds it: its own four options, then ours."""
    parser = argparse.ArgumentParser(prog="mailcomposer sandbox")
    parser.add_argument("--port", default="2525")
    parser.add_argument("--tls", action="store_true")
    parser.add_argument("--auth")
    parser.add_argument("--size")
    add_arguments(parser)
    return parser.parse_args(argv)


def test_no_switch_is_a_plain_server() -> None:
    config = config_from_args(parse([]))
    assert not (config.tls or config.implicit_tls or config.greylist)
    assert config.faults == () and config.rejects == () and config.drops == frozenset()
    assert summary_lines(config) == []


def test_every_switch_reaches_the_config() -> None:
    config = config_from_args(
        parse(
            [
                "--port", "2525", "--auth", "ann:pw", "--size", "500",
                "--require-starttls", "--hide", "PIPELINING", "--hide", "help",
                "--fault", "RCPT=450 4.2.0 Mailbox busy", "--fault", "CONNECT=554 No service",
                "--reject-rcpt", "x@example.org", "--reject-rcpt", "y@example.org=551 5.1.6 Gone",
                "--greylist", "--greylist-delay", "5",
                "--delay", "DATA=2", "--drop", "DOT",
            ]
        )
    )  # fmt: skip
    assert config.tls and config.require_starttls
    assert config.auth == ("ann", "pw") and config.size_limit == 500
    assert config.hidden == {"PIPELINING", "HELP"}
    assert config.fault("RCPT") == Reply(450, "4.2.0 Mailbox busy")
    assert config.fault("CONNECT") == Reply(554, "No service")
    assert config.reject_for("x@example.org") == Reply(550, "5.1.1 No such user here")
    assert config.reject_for("y@example.org") == Reply(551, "5.1.6 Gone")
    assert config.greylist and config.greylist_delay == 5
    assert config.delay("DATA") == 2 and config.drops == {"DOT"}


def test_tls_keeps_meaning_offer_and_require_starttls() -> None:
    config = config_from_args(parse(["--tls"]))
    assert config.tls and config.require_starttls
    assert config_from_args(parse(["--implicit-tls"])).implicit_tls


@pytest.mark.parametrize(
    ("argv", "start"),
    [
        (["--fault", "RCPT=abc"], "--fault: “abc” is not a reply code"),
        (["--size", "-1"], "--size: "),
        (["--auth", "nopassword"], "--auth: write USER:PASS"),
        (["--implicit-tls", "--tls"], "--implicit-tls: "),
        (["--drop", "LATER"], "--drop: unknown stage “LATER”"),
        (["--hide", "VRFY"], "--hide: “VRFY” is not an extension"),
    ],
)
def test_bad_switch_is_one_line_naming_the_option(argv: list[str], start: str) -> None:
    with pytest.raises(SandboxOptionError) as info:
        config_from_args(parse(argv))
    assert str(info.value).startswith(start)


@pytest.mark.parametrize(
    ("size", "shown"),
    [("500", "500 bytes"), ("1536", "1.5 KiB"), ("30000000", "28.6 MiB"), ("25M", "25 MiB")],
)
def test_summary_prints_sizes_in_sensible_units(size: str, shown: str) -> None:
    lines = summary_lines(config_from_args(parse(["--size", size])))
    assert lines == [f"Largest message accepted: {shown}"]


def test_summary_names_each_switch(tmp_path: Path) -> None:
    argv = ["--tls", "--auth", "ann:pw", "--greylist", "--reject-rcpt", "x@example.org",
            "--fault", "DOT=552 5.3.4 Too big", "--delay", "RCPT=1.5", "--drop", "DATA",
            "--hide", "SIZE"]  # fmt: skip
    lines = summary_lines(config_from_args(parse(argv)), tmp_path / "cert.pem")
    assert lines == [
        "STARTTLS required",
        f"Certificate (use as --cafile): {tmp_path / 'cert.pem'}",
        "AUTH required for user ann, offered after TLS",
        "Hidden: SIZE",
        "Fault at DOT: 552 5.3.4 Too big",
        "Refused recipient x@example.org: 550 5.1.1 No such user here",
        "Greylisting: first attempt 451 4.7.1, retry accepted after 0 s",
        "Delay at RCPT: 1.5 s",
        "Connection dropped at DATA",
    ]


def test_example_command_matches_the_security(tmp_path: Path) -> None:
    certificate = SimpleNamespace(cert=tmp_path / "cert.pem")
    implicit = SimpleNamespace(
        port=4650, certificate=certificate, config=config_from_args(parse(["--implicit-tls"]))
    )
    assert example_command(implicit) == (
        f"mailcomposer send --server 127.0.0.1:4650 --security tls --cafile {certificate.cert}"
    )
    plain = SimpleNamespace(port=2525, certificate=None, config=config_from_args(parse([])))
    assert example_command(plain).endswith("--security none")
