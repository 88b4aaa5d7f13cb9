"""Benchmark: time to a shown composer window against a bare PySide6 window with a QTextEdit.

Run: ``.venv/bin/python benchmarks/gui_launch.py [--repeat N]``.

Budget (DESIGN.md): ``mailcomposer.ui.app.create_window()`` shown within 1.3x the
time of a bare ``QMainWindow`` with a ``QTextEdit`` (about 0.16 s on the
development machines). Each run is a fresh interpreter with
``QT_QPA_PLATFORM=offscreen``, timed from process start until the window is shown
and the first events are processed; the child then leaves with ``os._exit`` so
teardown is not counted. Best of N for each; a warm-up run of each first fills
the bytecode caches. Exit status 0 on PASS, 1 on FAIL, 2 when a child failed.
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


def best(script: str, repeat: int, env: dict[str, str]) -> tuple[Measurement, list[float]]:
    """Run ``script`` once to warm caches, then ``repeat`` times; return best and all walls."""
    warm = measure([sys.executable, "-c", script], env=env)
    if not warm.ok or "shown True" not in warm.stdout:
        return warm, []
    runs = []
    for _ in range(max(1, repeat)):
        run = measure([sys.executable, "-c", script], env=env)
        if not run.ok:
            return run, []
        runs.append(run)
    fastest = min(runs, key=lambda r: r.wall)
    return fastest, [r.wall for r in runs]


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
        bare, bare_walls = best(BARE, args.repeat, env)
        composer, composer_walls = best(COMPOSER, args.repeat, env)
    for name, run, walls in (("bare", bare, bare_walls), ("composer", composer, composer_walls)):
        if not walls:
            print(f"{name} window did not come up (exit {run.returncode}):", file=sys.stderr)
            print(run.stderr[-3000:], file=sys.stderr)
            return 2
    ratio = composer.wall / bare.wall
    print(f"best of {args.repeat} fresh interpreters, QT_QPA_PLATFORM=offscreen")
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
