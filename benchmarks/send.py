"""Benchmark: ``mailcomposer send`` of a 25 MiB attachment against a plain smtplib script.

Run: ``.venv/bin/python benchmarks/send.py [--repeat N] [--size-mib 25]``.

Budget (DESIGN.md): wall time at most 0.5x and peak memory at most 0.5x those of a
plain ``EmailMessage`` + ``add_attachment`` + ``smtplib.send_message`` script sent
to the same local sink, and ahead of swaks on both. Each tool runs in a fresh
interpreter (or process); the sink runs in its own process. Exit status: 0 when
every tool sent its message (the verdict is printed, not turned into a failure),
1 when a tool failed to send.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import textwrap
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    MIB,
    Measurement,
    SinkServer,
    best_of,
    format_bytes,
    fresh_env,
    print_table,
    write_random_file,
)

TARGET_RATIO = 0.5
SENDER = "ann@example.org"
RECIPIENT = "bob@example.org"

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


def commands(attachment: Path, port: int, workdir: Path) -> list[tuple[str, list[str], dict]]:
    """Return ``(label, argv, env)`` for each tool that is available."""
    plain = workdir / "plain_send.py"
    plain.write_text(PLAIN_SCRIPT, encoding="utf-8")
    home = workdir / "home"
    tools = [
        (
            "mailcomposer send",
            [
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
                "benchmark",
                "--text",
                "A large attachment.",
                "--attach",
                str(attachment),
                "--quiet",
            ],
            fresh_env(MAILCOMPOSER_HOME=str(home)),
        ),
        (
            "EmailMessage + smtplib",
            [sys.executable, str(plain), str(attachment), str(port)],
            fresh_env(),
        ),
    ]
    swaks = shutil.which("swaks")
    if swaks:
        tools.append(
            (
                "swaks",
                [
                    swaks,
                    "--server",
                    f"127.0.0.1:{port}",
                    "--from",
                    SENDER,
                    "--to",
                    RECIPIENT,
                    "--h-Subject",
                    "benchmark",
                    "--body",
                    "A large attachment.",
                    "--attach",
                    f"@{attachment}",
                    "--suppress-data",
                    "--silent",
                    "2",
                ],
                fresh_env(),
            )
        )
    return tools


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}x" if base else "n/a"


def verdict(value: float, base: float) -> str:
    if not base:
        return "n/a"
    return "PASS" if value / base <= TARGET_RATIO else "FAIL"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs per tool")
    parser.add_argument("--size-mib", type=float, default=25.0, help="attachment size in MiB")
    parser.add_argument(
        "--stock-sink",
        action="store_true",
        help="use aiosmtpd's own line-by-line DATA reading in the sink (slower than any client)",
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="mc-bench-send-") as tmp:
        workdir = Path(tmp)
        size = int(args.size_mib * MIB)
        attachment = write_random_file(workdir / "random.bin", size)
        print(f"Attachment: {format_bytes(size)} of random bytes; best of {args.repeat} run(s).")
        results: list[tuple[str, Measurement]] = []
        failed = False
        with SinkServer(workdir, stock=args.stock_sink) as sink:
            how = "stock DATA reading" if args.stock_sink else "DATA read in blocks"
            print(f"Sink: aiosmtpd ({how}) on 127.0.0.1:{sink.port} in a separate process.\n")
            for label, argv_, env in commands(attachment, sink.port, workdir):
                before = len(sink.sizes())
                run = best_of(argv_, args.repeat, env=env)
                delivered = sink.sizes()[before:]
                if not run.ok or not delivered or min(delivered) < size:
                    failed = True
                    print(f"{label}: FAILED (exit {run.returncode})", file=sys.stderr)
                    print(run.stderr[-2000:] or run.stdout[-2000:], file=sys.stderr)
                results.append((label, run))

    base = results[1][1]
    rows = []
    for label, run in results:
        rows.append(
            [
                label,
                f"{run.wall:.2f} s",
                format_bytes(run.peak_rss),
                ratio(run.wall, base.wall),
                ratio(run.peak_rss, base.peak_rss),
            ]
        )
    print_table(["tool", "wall", "peak RSS", "wall vs plain", "RSS vs plain"], rows)
    ours = results[0][1]
    print()
    print(
        f"Target wall <= {TARGET_RATIO}x plain: {ratio(ours.wall, base.wall)} "
        f"-> {verdict(ours.wall, base.wall)}"
    )
    print(
        f"Target RSS  <= {TARGET_RATIO}x plain: {ratio(ours.peak_rss, base.peak_rss)} "
        f"-> {verdict(ours.peak_rss, base.peak_rss)}"
    )
    swaks = next((run for label, run in results if label == "swaks"), None)
    if swaks is not None and swaks.ok:
        ahead = ours.wall < swaks.wall and ours.peak_rss < swaks.peak_rss
        print(f"Ahead of swaks on both: {'PASS' if ahead else 'FAIL'}")
    else:
        print("swaks: not on PATH (skipped)" if swaks is None else "swaks: failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
