"""Reading the sandbox's option strings: values, and error messages that say what to fix."""

from __future__ import annotations

import pytest

from mailcomposer.sandbox.config import Reply, SandboxConfig
from mailcomposer.sandbox.parsers import (
    SandboxOptionError,
    build_config,
    parse_delay,
    parse_extension,
    parse_fault,
    parse_reject,
    parse_size,
)


def test_fault_with_code_and_text() -> None:
    stage, reply = parse_fault("rcpt=450 4.2.0 Mailbox busy")
    assert stage == "RCPT"
    assert reply == Reply(450, "4.2.0 Mailbox busy")
    assert reply.enhanced == "4.2.0"
    assert reply.line == "450 4.2.0 Mailbox busy"


def test_fault_without_enhanced_code_keeps_the_text() -> None:
    assert parse_fault("CONNECT=554 No service") == ("CONNECT", Reply(554, "No service"))
    assert Reply(554, "No service").enhanced is None


def test_fault_without_text_gets_a_default() -> None:
    assert parse_fault("DOT=552") == ("DOT", Reply(552, "5.0.0 Refused by the sandbox"))


def test_reject_default_and_own_reply() -> None:
    assert parse_reject("x@example.org") == ("x@example.org", Reply(550, "5.1.1 No such user here"))
    assert parse_reject("<x@example.org>=551 5.1.6 Moved") == (
        "x@example.org",
        Reply(551, "5.1.6 Moved"),
    )
    assert parse_reject("x@example.org=450")[1].text.startswith("4.")


def test_delay_size_and_extension() -> None:
    assert parse_delay("data=2.5") == ("DATA", 2.5)
    assert parse_size("500") == 500
    assert parse_size("10M") == 10 * 1024 * 1024
    assert parse_size("64KiB") == 64 * 1024
    assert parse_extension("smtputf8") == "SMTPUTF8"


@pytest.mark.parametrize(
    ("parse", "text", "option", "hint"),
    [
        (parse_fault, "RCPT=abc", "--fault", "“abc” is not a reply code"),
        (parse_fault, "RCPT=250 OK", "--fault", "250 is not a refusal"),
        (parse_fault, "RCPT", "--fault", "write STAGE=CODE TEXT"),
        (parse_fault, "BODY=550 x", "--fault", "unknown stage “BODY”; use one of CONNECT"),
        (parse_fault, "RCPT=450 Mailbox\tbusy", "--fault", "plain ASCII on one line"),
        (parse_fault, "RCPT=450 " + "x" * 300, "--fault", "longer than 200"),
        (parse_reject, "nobody", "--reject-rcpt", "“nobody” is not an e-mail address"),
        (parse_reject, "x@example.org=", "--reject-rcpt", "write a reply after “=”"),
        (parse_delay, "DATA=soon", "--delay", "“soon” is not a number of seconds"),
        (parse_delay, "DATA=-1", "--delay", "from 0 to 3600"),
        (parse_delay, "5", "--delay", "write STAGE=SECONDS"),
        (parse_size, "-1", "--size", "“-1” is not a size"),
        (parse_size, "0", "--size", "whole number of bytes"),
        (parse_extension, "CHUNKING", "--hide", "use one of STARTTLS, AUTH"),
    ],
)
def test_errors_name_the_option_and_the_fix(parse, text: str, option: str, hint: str) -> None:
    with pytest.raises(SandboxOptionError) as info:
        parse(text)
    assert info.value.option == option
    assert str(info.value).startswith(f"{option}: ")
    assert hint in info.value.message
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("options", "option", "hint"),
    [
        ({"faults": ["RCPT=450", "rcpt=550"]}, "--fault", "RCPT is given twice"),
        (
            {"faults": ["DOT=552"], "drops": ["dot"]},
            "--drop",
            "DOT has both a --fault and a --drop",
        ),
        ({"implicit_tls": True, "tls": True}, "--implicit-tls", "drop --tls"),
        ({"auth": "annonly"}, "--auth", "write USER:PASS"),
        ({"drops": ["LATER"]}, "--drop", "unknown stage"),
        ({"greylist_delay": "x"}, "--greylist-delay", "not a number of seconds"),
    ],
)
def test_build_config_errors(options: dict, option: str, hint: str) -> None:
    with pytest.raises(SandboxOptionError) as info:
        build_config(**options)
    assert info.value.option == option
    assert hint in info.value.message


def test_build_config_reads_every_switch() -> None:
    config = build_config(
        require_starttls=True,
        auth="ann:pw:with:colons",
        size="500",
        hide=["pipelining", "HELP"],
        faults=["RCPT=450 4.2.0 Mailbox busy"],
        rejects=["X@Example.org"],
        greylist=True,
        greylist_delay="2",
        delays=["DATA=1"],
        drops=["DOT"],
    )
    assert config.tls and config.require_starttls and not config.implicit_tls
    assert config.auth == ("ann", "pw:with:colons")
    assert config.size_limit == 500
    assert config.hidden == {"PIPELINING", "HELP"}
    assert config.fault("RCPT") == Reply(450, "4.2.0 Mailbox busy")
    assert config.fault("MAIL") is None
    assert config.reject_for("x@example.ORG") == Reply(550, "5.1.1 No such user here")
    assert config.greylist and config.greylist_delay == 2
    assert config.delay("DATA") == 1 and config.delay("RCPT") == 0
    assert config.drops == {"DOT"}


def test_config_is_immutable_and_round_trips_through_a_dict() -> None:
    config = build_config(
        implicit_tls=True,
        auth="ann:pw",
        size="1K",
        hide=["SIZE"],
        faults=["CONNECT=554 No service", "DOT=552 5.3.4 Too big"],
        rejects=["x@example.org=450 4.2.0 Busy"],
        greylist=True,
        delays=["RCPT=0.5"],
        drops=["DATA"],
    )
    data = config.to_dict()
    assert data["faults"] == {"CONNECT": "554 No service", "DOT": "552 5.3.4 Too big"}
    assert data["rejects"] == {"x@example.org": "450 4.2.0 Busy"}
    assert SandboxConfig.from_dict(data) == config
    assert hash(config) == hash(SandboxConfig.from_dict(data))
    assert SandboxConfig.from_dict({}) == SandboxConfig()
    with pytest.raises(AttributeError):
        config.greylist = False  # type: ignore[misc]


def test_config_from_dict_checks_values() -> None:
    with pytest.raises(SandboxOptionError, match="--fault: “oops” is not a reply code"):
        SandboxConfig.from_dict({"faults": {"RCPT": "oops"}})


def test_config_built_by_hand_is_checked() -> None:
    with pytest.raises(ValueError, match="stage"):
        SandboxConfig(drops=frozenset({"LATER"}))
    with pytest.raises(ValueError, match="extension"):
        SandboxConfig(hidden=frozenset({"CHUNKING"}))
    assert SandboxConfig(require_starttls=True).tls
    assert SandboxConfig(faults={"rcpt": Reply(450, "x")}).fault("RCPT") == Reply(450, "x")


def test_configs_that_differ_only_in_case_are_equal() -> None:
    """Keys are normalised before sorting: the window compares configs to restart."""
    from mailcomposer.sandbox.config import Reply, SandboxConfig

    refusal = Reply(550, "5.1.1 No such user here")
    first = SandboxConfig(rejects={"Y@example.org": refusal, "x@example.org": refusal})
    second = SandboxConfig(rejects={"y@example.org": refusal, "x@example.org": refusal})
    assert first == second
    assert SandboxConfig(faults={"rcpt": refusal}) == SandboxConfig(faults={"RCPT": refusal})
