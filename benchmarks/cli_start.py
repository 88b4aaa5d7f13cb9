"""Benchmark: ``mailcomposer --version`` and ``send --help`` against a bare interpreter start.

Run: ``.venv/bin/python benchmarks/cli_start.py [--repeat N]``.

Budget (docs/design.md): both within 2x ``python -c pass`` run by the same interpreter
(so the same site-packages and ``.pth`` start-up work), measured in the same run.
Each command runs N times in a fresh process, the three alternating round by round
so load changes hit all of them; best and median wall times are reported, and the
ratios are best against best (the least disturbed runs). The child's CPU time
(user + system, from ``os.wait4``) is shown too: on a busy machine it moves far
less than the wall time. One warm-up round first
writes the bytecode an installed copy has (PYTHONDONTWRITEBYTECODE is lifted).
The ``mailcomposer`` console script beside the interpreter is used when installed,
else (or with ``--module``) ``python -m mailcomposer``; ``--source DIR`` measures the
copy in DIR instead (e.g. an older checkout, for a before/after). Exit status 0 on
PASS, 1 on FAIL, 2 when a run failed.
To see where the time goes: ``python -X importtime -m mailcomposer send --help``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, print_table

TARGET_RATIO = 2.0


def _mailcomposer(module: bool) -> list[str]:
    script = Path(sys.executable).with_name("mailcomposer")
    if script.is_file() and not module:
        return [str(script)]
    return [sys.executable, "-m", "mailcomposer"]


def _env(source: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if source:
        env["PYTHONPATH"] = source
    # English help, and a fixed width so help wrapping does the same work each time.
    env.update(MAILCOMPOSER_LANG="en", COLUMNS="100")
    return env


def run_once(argv: Sequence[str], env: Mapping[str, str], cwd: Path) -> tuple[float, float, str]:
    """Run ``argv``; return wall seconds, CPU seconds (NaN if unknown), and stderr on failure.

    Output goes to /dev/null: printing the help is part of the work, but not a pipe's
    reader. A failed run returns its stderr (empty string when it succeeded).
    """
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(argv), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
        env=dict(env), cwd=cwd,
    )  # fmt: skip
    if hasattr(os, "wait4"):
        assert proc.stderr is not None
        err = proc.stderr.read()  # to the end: stdout goes nowhere, so nothing can block
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        cpu = usage.ru_utime + usage.ru_stime
    else:
        _out, err = proc.communicate()
        wall, cpu = time.perf_counter() - start, float("nan")
    proc.stderr.close()  # type: ignore[union-attr]
    return wall, cpu, "" if proc.returncode == 0 else err.decode("utf-8", "replace") or "failed"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="runs of each command")
    parser.add_argument("--module", action="store_true", help="run python -m mailcomposer")
    parser.add_argument("--source", metavar="DIR", help="measure the mailcomposer in DIR")
    args = parser.parse_args(argv)

    program = _mailcomposer(args.module or bool(args.source))
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "mailcomposer --version": [*program, "--version"],
        "mailcomposer send --help": [*program, "send", "--help"],
    }
    env = _env(args.source)
    # python -m puts the working folder first on sys.path: run where the measured copy is.
    cwd = Path(args.source) if args.source else ROOT
    for command in commands.values():  # warm-up: bytecode written, caches filled
        _wall, _cpu, failure = run_once(command, env, cwd)
        if failure:
            print(f"{' '.join(command)} failed:\n{failure}", file=sys.stderr)
            return 2
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(max(1, args.repeat)):
        for name, command in commands.items():
            wall, cpu, failure = run_once(command, env, cwd)
            if failure:
                print(f"{name} failed:\n{failure}", file=sys.stderr)
                return 2
            walls[name].append(wall)
            cpus[name].append(cpu)

    bare = min(walls["python -c pass"])
    bare_median = statistics.median(walls["python -c pass"])
    bare_cpu = min(cpus["python -c pass"])
    rows = []
    verdict = True
    for name, times in walls.items():
        best, median, cpu = min(times), statistics.median(times), min(cpus[name])
        ratio = best / bare
        if name != "python -c pass":
            verdict = verdict and ratio <= TARGET_RATIO
        rows.append(
            [name, f"{best * 1000:.1f} ms", f"{median * 1000:.1f} ms", f"{ratio:.2f}x",
             f"{median / bare_median:.2f}x", f"{cpu * 1000:.1f} ms", f"{cpu / bare_cpu:.2f}x"]
        )  # fmt: skip
    source = f" (PYTHONPATH={args.source})" if args.source else ""
    print(f"{args.repeat} runs each, {' '.join(program)}{source}")
    print_table(
        ["command", "best", "median", "best/bare", "median/bare", "cpu best", "cpu/bare"], rows
    )
    print(f"budget: within {TARGET_RATIO:.1f}x the bare start: {'PASS' if verdict else 'FAIL'}")
    return 0 if verdict else 1


if __name__ == "__main__":
    raise SystemExit(main())
