"""Benchmark: ``mailcomposer send`` of a 25 MiB attachment against s-nail, msmtp, swaks and smtplib.

Run: ``.venv/bin/python benchmarks/send.py [--repeat N] [--size-mib 25] [--sink auto]``.

Budget (docs/design.md): less wall time than s-nail (a C mailer that builds the MIME
message and sends it in one process) against the same local sink, at 20 MiB peak
memory (max RSS) or less. Also measured, for scale: a plain ``EmailMessage`` +
``smtplib`` script, swaks (builds and sends, in Perl) and msmtp (a C client that
only sends: it gets the message mailcomposer built, from ``--save-eml``). A last
row gives what a Python sender costs that simply imports the standard modules a
send uses, and does nothing else: smtplib brings ssl and hmac, and with them
OpenSSL, which ``mailcomposer send`` loads only when TLS or CRAM-MD5 is used
(``mailcomposer.cli.lazyimports``), so it can stay below that row.

The other tools come from the distribution; on Debian or Ubuntu:
``apt-get install s-nail msmtp swaks postfix`` (postfix brings ``smtp-sink``, the
sink server; ``DEBIAN_FRONTEND=noninteractive`` skips its questions, and it need
not run). A tool that is not installed is reported as skipped, not as a failure.

Every tool runs in a fresh process, the sink in its own process; runs go round
robin (one run of each tool, then the next round) so that a busy machine slows
them alike. mailcomposer's modules are compiled first, as an installed copy's
are. Wall time and peak RSS come from ``os.wait4`` of each child. The
table gives the best and the median of the runs (and the median CPU time, user
+ system, which a busy machine disturbs less than wall time); the verdict
compares median wall times and takes the highest peak RSS seen. Exit status: 0 when every
installed tool sent its message (the verdict is printed, not turned into a
failure), 1 when a tool failed to send.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    MIB,
    ROOT,
    Measurement,
    PostfixSink,
    SinkServer,
    format_bytes,
    fresh_env,
    measure,
    print_table,
    write_random_file,
)

RSS_BUDGET = 20 * MIB
BASELINE = "s-nail"
OURS = "mailcomposer send"
# Not a sender: the interpreter and the standard modules a send uses (SMTP with the
# OpenSSL smtplib imports, the email package, argparse, JSON, SQLite for the
# history), imported plainly and nothing done. Shown for scale.
FLOOR = "(Python + stdlib imports)"
FLOOR_IMPORTS = "smtplib, email.policy, email.generator, argparse, json, sqlite3, threading"
SENDER = "ann@example.org"
RECIPIENT = "bob@example.org"
SUBJECT = "benchmark"
BODY = "A large attachment."

PLAIN_SCRIPT = textwrap.dedent(
    """
    import smtplib, sys
    from email.message import EmailMessage

    path, port = sys.argv[1], int(sys.argv[2])
    msg = EmailMessage()
    msg["From"] = "ann@example.org"
    msg["To"] = "bob@example.org"
    msg["Subject"] = "benchmark"
    msg.set_content("A large attachment.")
    with open(path, "rb") as fh:
        data = fh.read()
    msg.add_attachment(data, maintype="application", subtype="octet-stream",
                       filename="random.bin")
    with smtplib.SMTP("127.0.0.1", port, local_hostname="bench.localhost") as smtp:
        smtp.send_message(msg)
    """
)


@dataclass
class Tool:
    """One command to measure.

    Attributes:
        label: its name in the table.
        argv: the command.
        env: its environment.
        stdin: a file fed on standard input, if any.
        cwd: its working folder (None: this one).
        runs: the measurements so far.
    """

    label: str
    argv: list[str]
    env: dict[str, str]
    stdin: Path | None = None
    cwd: Path | None = None
    runs: list[Measurement] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.ok for r in self.runs)

    def walls(self) -> list[float]:
        return [r.wall for r in self.runs if r.ok]

    def rss(self) -> list[int]:
        return [r.peak_rss for r in self.runs if r.ok]

    def cpu(self) -> list[float]:
        return [r.cpu for r in self.runs if r.ok]


def mailcomposer_argv(port: int, attachment: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "mailcomposer",
        "send",
        "--server",
        f"127.0.0.1:{port}",
        "--security",
        "none",
        "--from",
        SENDER,
        "--to",
        RECIPIENT,
        "--subject",
        SUBJECT,
        "--text",
        BODY,
        "--attach",
        str(attachment),
        "--quiet",
        *extra,
    ]


def tools(attachment: Path, port: int, workdir: Path) -> tuple[list[Tool], list[str]]:
    """Return the tools to measure and the names of those skipped (not installed)."""
    home = workdir / "home"
    plain = workdir / "plain_send.py"
    plain.write_text(PLAIN_SCRIPT, encoding="utf-8")
    body = workdir / "body.txt"
    body.write_text(BODY + "\n", encoding="ascii")
    found = [
        Tool(
            OURS,
            mailcomposer_argv(port, attachment),
            fresh_env(MAILCOMPOSER_HOME=str(home)),
        ),
        Tool(
            "EmailMessage + smtplib",
            [sys.executable, str(plain), str(attachment), str(port)],
            fresh_env(),
        ),
    ]
    skipped = []
    # HOME points into the work folder: s-nail leaves dead.letter there on failure.
    tool_env = fresh_env(HOME=str(workdir))
    if swaks := shutil.which("swaks"):
        found.append(
            Tool(
                "swaks",
                [
                    swaks,
                    "--server",
                    f"127.0.0.1:{port}",
                    "--helo",
                    "bench.localhost",
                    "--from",
                    SENDER,
                    "--to",
                    RECIPIENT,
                    "--h-Subject",
                    SUBJECT,
                    "--body",
                    BODY,
                    "--attach",
                    f"@{attachment}",
                    "--suppress-data",
                    "--silent",
                    "2",
                ],
                tool_env,
            )
        )
    else:
        skipped.append("swaks")
    if s_nail := shutil.which("s-nail"):
        found.append(
            Tool(
                BASELINE,
                [
                    s_nail,
                    "-:/",  # no resource files
                    "-S",
                    "v15-compat",
                    "-S",
                    "smtp-auth=none",
                    "-S",
                    "sendwait",  # wait for its sending child and report its status
                    "-S",
                    "hostname=bench.localhost",
                    "-S",
                    f"mta=smtp://127.0.0.1:{port}",
                    "-S",
                    f"from={SENDER}",
                    "-s",
                    SUBJECT,
                    "-a",
                    str(attachment),
                    RECIPIENT,
                ],
                tool_env,
                stdin=body,
            )
        )
    else:
        skipped.append(BASELINE)
    if msmtp := shutil.which("msmtp"):
        prebuilt = workdir / "prebuilt.eml"
        found.append(
            Tool(
                "msmtp (prebuilt .eml)",
                [
                    msmtp,
                    "--host=127.0.0.1",
                    f"--port={port}",
                    "--auth=off",
                    "--tls=off",
                    "--domain=bench.localhost",
                    f"--from={SENDER}",
                    RECIPIENT,
                ],
                tool_env,
                stdin=prebuilt,
            )
        )
    else:
        skipped.append("msmtp")
    found.append(
        Tool(
            FLOOR,
            [sys.executable, "-c", f"import {FLOOR_IMPORTS}"],
            fresh_env(),
        )
    )
    return found, skipped


def prebuild_eml(attachment: Path, port: int, workdir: Path) -> None:
    """Write the message msmtp sends: mailcomposer's own, built without sending."""
    path = workdir / "prebuilt.eml"
    argv = mailcomposer_argv(port, attachment, "--dry-run", "--save-eml", str(path))
    run = measure(argv, env=fresh_env(MAILCOMPOSER_HOME=str(workdir / "home")))
    if not run.ok or not path.is_file():
        raise RuntimeError(f"could not build the .eml for msmtp: {run.stderr[-2000:]}")


def other_tree(tree: Path, port: int, attachment: Path, workdir: Path) -> Tool:
    """``mailcomposer send`` from another source tree, compiled like this one."""
    import compileall

    if not (tree / "mailcomposer" / "__init__.py").is_file():
        raise SystemExit(f"--also {tree}: no mailcomposer package there")
    compileall.compile_dir(str(tree / "mailcomposer"), quiet=1)
    env = fresh_env(MAILCOMPOSER_HOME=str(workdir / f"home-{tree.name}"))
    env["PYTHONPATH"] = str(tree)
    # Run from that tree: "python -m" puts the working folder first on sys.path, so
    # from this checkout's root its own package would be measured instead.
    return Tool(f"{OURS} ({tree.name})", mailcomposer_argv(port, attachment), env, cwd=tree)


def precompile() -> None:
    """Compile mailcomposer's modules once, as installing a wheel does.

    Otherwise, where ``PYTHONDONTWRITEBYTECODE`` is set (as the benchmarks' child
    environment does), every run would compile the sources again: about 50 ms
    and 2 MiB that an installed copy never spends.
    """
    import compileall

    compileall.compile_dir(str(ROOT / "mailcomposer"), quiet=1)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}x" if base and value else "n/a"


def open_sink(kind: str, workdir: Path) -> SinkServer | PostfixSink:
    if kind == "auto":
        kind = "smtp-sink" if PostfixSink.available() else "aiosmtpd"
    if kind == "smtp-sink":
        return PostfixSink(workdir)
    return SinkServer(workdir, stock=kind == "aiosmtpd-stock")


def describe_sink(sink: SinkServer | PostfixSink) -> str:
    if isinstance(sink, PostfixSink):
        return "Postfix smtp-sink (C, discards)"
    how = "stock DATA reading" if sink.stock else "DATA read in blocks"
    return f"aiosmtpd ({how})"


def report(measured: list[Tool], skipped: list[str]) -> None:
    base = next((t for t in measured if t.label == BASELINE and t.ok), None)
    base_wall = median(base.walls()) if base else 0.0
    base_rss = median(base.rss()) if base else 0.0
    rows = []
    for tool in measured:
        walls, rss = tool.walls(), tool.rss()
        if not walls:
            rows.append([tool.label, "failed", "", "", "", "", "", ""])
            continue
        rows.append(
            [
                tool.label,
                f"{min(walls):.2f} s",
                f"{median(walls):.2f} s",
                format_bytes(min(rss)),
                format_bytes(int(median(rss))),
                f"{median(tool.cpu()):.2f} s",
                ratio(median(walls), base_wall),
                ratio(median(rss), base_rss),
            ]
        )
    for label in skipped:
        rows.append([label, "skipped (not installed)", "", "", "", "", "", ""])
    print_table(
        [
            "tool",
            "wall best",
            "wall median",
            "RSS best",
            "RSS median",
            "CPU median",
            f"wall vs {BASELINE}",
            f"RSS vs {BASELINE}",
        ],
        rows,
    )
    print()
    ours = next(t for t in measured if t.label == OURS)
    if not ours.ok:
        print(f"{OURS}: failed, no verdict")
        return
    if base is None:
        print(f"Faster than {BASELINE}: n/a ({BASELINE} not installed or failed)")
    else:
        ours_wall = median(ours.walls())
        verdict = "PASS" if ours_wall < base_wall else "FAIL"
        print(
            f"Faster than {BASELINE} (median wall): {ours_wall:.2f} s vs {base_wall:.2f} s "
            f"({ratio(ours_wall, base_wall)}) -> {verdict}"
        )
    worst = max(ours.rss())
    verdict = "PASS" if worst <= RSS_BUDGET else "FAIL"
    print(
        f"Peak RSS <= {format_bytes(RSS_BUDGET)} (highest of the runs): "
        f"{format_bytes(worst)} -> {verdict}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per tool (default 5)")
    parser.add_argument("--size-mib", type=float, default=25.0, help="attachment size in MiB")
    parser.add_argument(
        "--sink",
        choices=["auto", "smtp-sink", "aiosmtpd", "aiosmtpd-stock"],
        default="auto",
        help=(
            "the local server: Postfix's smtp-sink when installed (auto), aiosmtpd reading "
            "DATA in blocks, or stock aiosmtpd (line by line: slower than any client)"
        ),
    )
    parser.add_argument("--only", action="append", help="measure only tools whose name has this")
    parser.add_argument(
        "--also",
        metavar="DIR",
        type=Path,
        action="append",
        default=[],
        help=(
            "also measure the mailcomposer package found in DIR (a checkout of another "
            "commit, e.g. made with 'git worktree add' or 'git archive'): before/after"
        ),
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="mc-bench-send-") as tmp:
        workdir = Path(tmp)
        size = int(args.size_mib * MIB)
        attachment = write_random_file(workdir / "random.bin", size)
        failed = False
        with open_sink(args.sink, workdir) as sink:
            measured, skipped = tools(attachment, sink.port, workdir)
            for index, tree in enumerate(args.also, start=1):
                measured.insert(index, other_tree(tree.resolve(), sink.port, attachment, workdir))
            if args.only:
                measured = [t for t in measured if any(o in t.label for o in args.only)]
            print(
                f"Attachment: {format_bytes(size)} of random bytes; {args.repeat} run(s) "
                f"per tool, round robin."
            )
            print(f"Sink: {describe_sink(sink)} on 127.0.0.1:{sink.port}, its own process.\n")
            precompile()
            if any(t.stdin == workdir / "prebuilt.eml" for t in measured):
                prebuild_eml(attachment, sink.port, workdir)
            for _round in range(max(1, args.repeat)):
                for tool in measured:
                    if tool.runs and not tool.ok:
                        continue  # failed once: no point in more
                    before = len(sink.sizes())
                    run = measure(tool.argv, env=tool.env, stdin=tool.stdin, cwd=tool.cwd)
                    delivered = sink.sizes()[before:]
                    short = (
                        tool.label != FLOOR
                        and isinstance(sink, SinkServer)
                        and (not delivered or min(delivered) < size)
                    )
                    if not run.ok or short:
                        failed = True
                        print(f"{tool.label}: FAILED (exit {run.returncode})", file=sys.stderr)
                        print(run.stderr[-2000:] or run.stdout[-2000:], file=sys.stderr)
                        run = Measurement(run.wall, run.peak_rss, run.returncode or 1, "", "")
                    tool.runs.append(run)
    report(measured, skipped)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
