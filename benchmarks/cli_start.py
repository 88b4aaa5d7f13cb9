"""Benchmark: ``mailcomposer --version`` and ``send --help`` against a bare interpreter start.

Run: ``.venv/bin/python benchmarks/cli_start.py [--repeat N]``.

Budget (DESIGN.md): both within 2x ``python -c pass`` run by the same interpreter
(so the same site-packages and ``.pth`` start-up work), measured in the same run.
Each command runs N times in a fresh process, the three alternating round by round
so load changes hit all of them; best and median wall times are reported, and the
ratios are best against best (the least disturbed runs). One warm-up round first
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
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, measure, print_table

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
        run = measure(command, env=env, cwd=cwd)
        if not run.ok:
            print(f"{' '.join(command)} failed:\n{run.stderr}", file=sys.stderr)
            return 2
    walls: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(max(1, args.repeat)):
        for name, command in commands.items():
            run = measure(command, env=env, cwd=cwd)
            if not run.ok:
                print(f"{name} failed:\n{run.stderr}", file=sys.stderr)
                return 2
            walls[name].append(run.wall)

    bare = min(walls["python -c pass"])
    rows = []
    verdict = True
    for name, times in walls.items():
        best, median = min(times), statistics.median(times)
        ratio = best / bare
        if name != "python -c pass":
            verdict = verdict and ratio <= TARGET_RATIO
        rows.append(
            [name, f"{best * 1000:.1f} ms", f"{median * 1000:.1f} ms", f"{ratio:.2f}x",
             f"{median / statistics.median(walls['python -c pass']):.2f}x"]
        )  # fmt: skip
    source = f" (PYTHONPATH={args.source})" if args.source else ""
    print(f"{args.repeat} runs each, {' '.join(program)}{source}")
    print_table(["command", "best", "median", "best/bare", "median/bare"], rows)
    print(f"budget: within {TARGET_RATIO:.1f}x the bare start: {'PASS' if verdict else 'FAIL'}")
    return 0 if verdict else 1


if __name__ == "__main__":
    raise SystemExit(main())
