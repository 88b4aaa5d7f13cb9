"""Benchmark: time to a shown composer window against a bare PySide6 window with a QTextEdit.

Run: ``.venv/bin/python benchmarks/gui_launch.py [--repeat N]``.

Budget (DESIGN.md): ``mailcomposer.ui.app.create_window()`` shown within 1.3x the
time of a bare ``QMainWindow`` with a ``QTextEdit`` (about 0.16 s on the
development machines). Each run is a fresh interpreter with
``QT_QPA_PLATFORM=offscreen``, timed from process start until the window is shown
and the first events are processed; the child then leaves with ``os._exit`` so
teardown is not counted. Best of N for each, the two alternating run by run so
load changes hit both; a warm-up run of each first writes the bytecode an
installed copy has (PYTHONDONTWRITEBYTECODE is lifted for the children).
Exit status 0 on PASS, 1 on FAIL, 2 when a child failed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import textwrap
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import Measurement, format_bytes, fresh_env, measure, print_table

TARGET_RATIO = 1.3

BARE = textwrap.dedent(
    """
    import os, sys
    from PySide6.QtWidgets import QApplication, QMainWindow, QTextEdit
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QTextEdit())
    window.show()
    app.processEvents()
    print("shown", window.isVisible(), flush=True)
    os._exit(0)
    """
)

COMPOSER = textwrap.dedent(
    """
    import os
    from mailcomposer.ui.app import create_window
    window = create_window(["mailcomposer"])
    from PySide6.QtWidgets import QApplication
    QApplication.processEvents()
    print("shown", window.isVisible(), window.objectName(), flush=True)
    os._exit(0)
    """
)


def best_of(
    scripts: Sequence[str], repeat: int, env: dict[str, str]
) -> list[tuple[Measurement, list[float]]]:
    """Run each script once to warm caches, then ``repeat`` rounds of all of them in turn.

    Interleaving the scripts round by round lets a change in machine load hit every
    script alike instead of whichever happened to run during it. Returns, per script,
    the fastest run and all wall times (no times when a run failed).
    """
    results: list[tuple[Measurement, list[Measurement]]] = []
    for script in scripts:
        warm = measure([sys.executable, "-c", script], env=env)
        ok = warm.ok and "shown True" in warm.stdout
        results.append((warm, [] if ok else [warm]))
    runs: list[list[Measurement]] = [[] for _ in scripts]
    for _ in range(max(1, repeat)):
        for index, script in enumerate(scripts):
            if results[index][1]:  # the warm-up failed: nothing to time
                continue
            runs[index].append(measure([sys.executable, "-c", script], env=env))
    answer = []
    for (_warm, failed), timed in zip(results, runs, strict=True):
        bad = failed or [run for run in timed if not run.ok]
        if bad:
            answer.append((bad[0], []))
        else:
            answer.append((min(timed, key=lambda r: r.wall), [r.wall for r in timed]))
    return answer


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mc-launch-") as tmp:
        env = fresh_env(
            QT_QPA_PLATFORM="offscreen",
            MAILCOMPOSER_HOME=str(Path(tmp) / "home"),
            MAILCOMPOSER_LANG="en",
        )
        # Let the warm-up runs write bytecode, as an installed app has it.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        (bare, bare_walls), (composer, composer_walls) = best_of([BARE, COMPOSER], args.repeat, env)
    for name, run, walls in (("bare", bare, bare_walls), ("composer", composer, composer_walls)):
        if not walls:
            print(f"{name} window did not come up (exit {run.returncode}):", file=sys.stderr)
            print(run.stderr[-3000:], file=sys.stderr)
            return 2
    ratio = composer.wall / bare.wall
    print(f"best of {args.repeat} alternating fresh interpreters, QT_QPA_PLATFORM=offscreen")
    print_table(
        ["window", "best s", "median s", "peak RSS"],
        [
            [
                "bare QMainWindow + QTextEdit",
                f"{bare.wall:.3f}",
                f"{sorted(bare_walls)[len(bare_walls) // 2]:.3f}",
                format_bytes(bare.peak_rss),
            ],
            [
                "create_window() composer",
                f"{composer.wall:.3f}",
                f"{sorted(composer_walls)[len(composer_walls) // 2]:.3f}",
                format_bytes(composer.peak_rss),
            ],
        ],
    )
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    print(f"ratio composer/bare: {ratio:.2f}x (target <= {TARGET_RATIO}x): {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
