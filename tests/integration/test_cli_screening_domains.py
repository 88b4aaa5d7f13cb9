"""Checks before sending on the command line: an address whose domain has no dot."""

from __future__ import annotations

from mailcomposer import cli


def test_the_command_line_warns_and_still_sends(smtp_server, capsys) -> None:
    code = cli.main(
        ["send", "--server", f"127.0.0.1:{smtp_server.port}", "--security", "none",
         "--from", "me@localhost", "--to", "zhangsan@example", "--subject", "s", "--text", "b"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert "! warning: zhangsan@example: the domain “example” is incomplete" in out
    assert code == 0 and len(smtp_server.received) == 1
