"""Benchmark: time to a shown composer window against the same widgets built with no app code.

Run: ``.venv/bin/python benchmarks/gui_launch.py [--repeat N]``.

Budget (docs/design.md): ``mailcomposer.ui.app.create_window()`` shown within 1.2x the
"same widgets, no app code" floor, best and median alike. That floor builds the
composer's visible widget set straight-line (the header fields, a format bar with our
icons and two combo boxes, the editor, a dock with a find bar and a table view in a
fixed-width font, a toolbar, the eight menus with their submenus, 145 actions, 44 with
icons and 43 with shortcuts, a status bar), at the size the window opens at (960x760):
what any implementation of this window pays. The counts and the size are constants
below, and a test fails when the real window's differ. A bare
``QMainWindow`` with a ``QTextEdit`` is shown for context. Each run is a fresh
interpreter with ``QT_QPA_PLATFORM=offscreen``, timed from process start until the
window is shown and the first events are processed; the child then leaves with
``os._exit`` so teardown is not counted. Best and median of N for each, the three
alternating run by run so load changes hit all alike; a warm-up run of each first writes
the bytecode an installed copy has (PYTHONDONTWRITEBYTECODE is lifted for the children).
Wall time on a shared machine is noisy: for a repeatable count, ``--callgrind`` runs the
floor and the composer once each under ``valgrind --tool=callgrind``
(``PYTHONHASHSEED=0``, threads counted apart) and compares the instructions of the main
thread, the one the user waits for; the composer's preload timers are pushed out there,
since the slowed child would otherwise reach them before it is shown (at full speed they
fire well after). Exit status 0 on PASS, 1 on FAIL, 2 when a child failed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import Measurement, format_bytes, fresh_env, measure, print_table

TARGET_RATIO = 1.2  # composer / same-widgets floor, best and median

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

# What the composer window holds at start, which the floor builds too. A test
# (tests/gui/test_launch_floor.py) counts the real window and fails when these drift,
# so the floor grows with the window instead of flattering it.
MENU_TITLES = ("&File", "&Edit", "F&ormat", "&View", "&Message", "O&ptions", "Too&ls", "&Help")
MENU_ENTRIES = 69  # entries in the menus, submenus counted, separators not
SUBMENUS = 7  # every other QMenu the window owns (submenus, toolbar button menus)
ACTIONS = 145  # every QAction the window owns, those Qt makes itself included
ICON_ACTIONS = 44  # of them with an icon
SHORTCUTS = 43  # with a key sequence
MAIN_TOOLBAR_ACTIONS = 7
FORMAT_BAR_BUTTONS = 18  # beside a font combo box and a size combo box
LOG_TOOLBAR_ACTIONS = 8  # beside a find field and its status label
WINDOW_SIZE = (960, 760)  # the size the window opens at on a first start: painted alike

# The composer's visible widget set built straight-line, with no application code: the
# floor any implementation of this window pays on top of the bare one (Qt's enum
# namespace, the widget and item-view types, icons, menus with shortcuts, a dock).
SAME_WIDGETS = textwrap.dedent(
    """
    import os, sys
    from PySide6.QtCore import QAbstractTableModel, Qt
    from PySide6.QtGui import QAction, QFontDatabase, QIcon, QKeySequence
    from PySide6.QtWidgets import (
        QApplication, QComboBox, QDockWidget, QFontComboBox, QGridLayout, QLabel,
        QLineEdit, QMainWindow, QProgressBar, QPushButton, QTableView, QTextEdit,
        QToolBar, QVBoxLayout, QWidget,
    )
    ICONS = sys.argv[1]
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    central = QWidget()
    outer = QVBoxLayout(central)
    grid = QGridLayout()
    outer.addLayout(grid)
    grid.addWidget(QLabel("From:"), 0, 0)
    grid.addWidget(QComboBox(), 0, 1)
    for row, name in enumerate(["To:", "Cc:", "Bcc:", "Subject:"], start=1):
        label = QLabel(name)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(label, row, 0)
        field = QLineEdit()
        field.setClearButtonEnabled(True)
        grid.addWidget(field, row, 1)
    grid.addWidget(QPushButton("Cc"), 1, 2)
    grid.addWidget(QPushButton("Bcc"), 1, 3)
    names = sorted(f[:-4] for f in os.listdir(ICONS) if f.endswith(".svg"))
    icons = [QIcon(os.path.join(ICONS, name + ".svg")) for name in names]
    format_bar = QToolBar()
    format_bar.addWidget(QFontComboBox())
    format_bar.addWidget(QComboBox())
    outer.addWidget(format_bar)
    outer.addWidget(QTextEdit(), 1)
    window.setCentralWidget(central)

    class Model(QAbstractTableModel):
        def rowCount(self, parent=None):
            return 0

        def columnCount(self, parent=None):
            return 4

        def data(self, index, role=0):
            return None

    dock = QDockWidget("Protocol log")
    panel = QWidget()
    column = QVBoxLayout(panel)
    log_bar = QToolBar()
    log_bar.addWidget(QLineEdit())
    log_bar.addWidget(QLabel(""))
    column.addWidget(log_bar)
    view = QTableView()
    view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    view.setModel(Model(view))
    column.addWidget(view)
    column.addWidget(QLabel("Press Send to see the conversation."))
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    toolbar = window.addToolBar("Main")
    menus = [window.menuBar().addMenu(title) for title in MENU_TITLES]
    for i in range(SUBMENUS):
        menus.append(menus[i % len(MENU_TITLES)].addMenu(f"Submenu {i}"))
    # Up to the window's totals: Qt made 29 actions already (each menu's, the bars'
    # and the dock's toggles, the clear buttons with their icon). Counted by a test,
    # not here: findChildren() would build a Python type for each object it returns.
    present, with_icon = 29, ICON_ACTIONS - 4
    bars = [(format_bar, FORMAT_BAR_BUTTONS), (toolbar, MAIN_TOOLBAR_ACTIONS),
            (log_bar, LOG_TOOLBAR_ACTIONS)]
    on_bars = [bar for bar, count in bars for _ in range(count)]
    for i in range(ACTIONS - present):
        action = QAction(icons[i % len(icons)] if i < with_icon else QIcon(), f"Action {i}", window)
        if i < SHORTCUTS:
            action.setShortcut(QKeySequence(f"Ctrl+Shift+F{i % 12 + 1}"))
        window.addAction(action)
        if i < len(on_bars):
            action.setCheckable(on_bars[i] is format_bar)
            on_bars[i].addAction(action)
        if i < MENU_ENTRIES - SUBMENUS:
            menus[i % len(menus)].addAction(action)
    window.statusBar().addPermanentWidget(QProgressBar())
    window.resize(*WINDOW_SIZE)
    window.show()
    app.processEvents()
    print("shown", window.isVisible(), flush=True)
    os._exit(0)
    """
)
_COUNTS = (
    "MENU_TITLES", "MENU_ENTRIES", "SUBMENUS", "ACTIONS", "ICON_ACTIONS", "SHORTCUTS",
    "MAIN_TOOLBAR_ACTIONS", "FORMAT_BAR_BUTTONS", "LOG_TOOLBAR_ACTIONS", "WINDOW_SIZE",
)  # fmt: skip
SAME_WIDGETS = SAME_WIDGETS.replace(
    "ICONS = sys.argv[1]\n",
    "ICONS = sys.argv[1]\n" + "".join(f"{name} = {globals()[name]!r}\n" for name in _COUNTS),
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


# The real start (``mailcomposer``): main()'s checks (the Linux platform check, the home
# folder's lock) and then the same create_window(), stopped once it has been shown.
# Printed for context; the budget is the composer's.
MAIN = textwrap.dedent(
    """
    import os
    import mailcomposer.ui.app as app
    create_window = app.create_window

    def shown_then_exit(argv):
        window = create_window(argv)
        from PySide6.QtWidgets import QApplication
        QApplication.processEvents()
        print("shown", window.isVisible(), window.objectName(), flush=True)
        os._exit(0)

    app.create_window = shown_then_exit
    app.main(["mailcomposer"])
    """
)


# The composer for the instruction count: the preloader's timers (50/70 ms after the
# show) must not fire inside a child slowed ~50x by valgrind.
COMPOSER_CALLGRIND = COMPOSER.replace(
    "from mailcomposer.ui.app import create_window\n",
    "from mailcomposer.ui.app import create_window\n"
    "import mailcomposer.ui.preload as preload\n"
    "preload.PRELOAD_DELAY_MS = preload.WARM_UP_DELAY_MS = 10**7\n",
)


def main_thread_instructions(script: str, env: dict[str, str], out: Path) -> int | None:
    """Instructions the main thread of ``script`` runs until shown (callgrind), or None."""
    subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=300)
    command = [
        "valgrind",
        "--tool=callgrind",
        "--dump-instr=no",
        "--separate-threads=yes",
        f"--callgrind-out-file={out}",
        sys.executable,
        "-c",
        script,
    ]
    run = subprocess.run(
        command, env={**env, "PYTHONHASHSEED": "0"}, capture_output=True, text=True, timeout=1800
    )
    main = Path(f"{out}-01")
    if "shown True" not in run.stdout or not main.is_file():
        print(run.stderr[-3000:], file=sys.stderr)
        return None
    for line in main.read_text().splitlines():
        if line.startswith("totals:"):
            return int(line.split()[1])
    return None


def callgrind_main(same_widgets: str, env: dict[str, str], tmp: str) -> int:
    """Compare the main thread's instructions of the composer and the floor (one run each)."""
    if shutil.which("valgrind") is None:
        print("valgrind is not installed", file=sys.stderr)
        return 2
    floor = main_thread_instructions(same_widgets, env, Path(tmp) / "floor.cg")
    composer = main_thread_instructions(COMPOSER_CALLGRIND, env, Path(tmp) / "composer.cg")
    if floor is None or composer is None:
        return 2
    ratio = composer / floor
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    print("main-thread instructions until shown (valgrind --tool=callgrind, PYTHONHASHSEED=0)")
    print_table(
        ["window", "instructions", "x floor"],
        [
            ["same widgets, no app code", f"{floor / 1e6:.0f} M", "1.00"],
            ["create_window() composer", f"{composer / 1e6:.0f} M", f"{ratio:.2f}"],
        ],
    )
    print(f"composer / same widgets: {ratio:.2f}x (target <= {TARGET_RATIO}x): {verdict}")
    return 0 if verdict == "PASS" else 1


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
    parser.add_argument(
        "--callgrind", action="store_true", help="count main-thread instructions instead"
    )
    args = parser.parse_args(argv)
    icons = Path(__file__).resolve().parent.parent / "resources" / "icons"
    same_widgets = SAME_WIDGETS.replace("ICONS = sys.argv[1]", f"ICONS = {str(icons)!r}")
    rows = [
        ("bare QMainWindow + QTextEdit", BARE),
        ("same widgets, no app code", same_widgets),
        ("create_window() composer", COMPOSER),
        ("mailcomposer main() (context)", MAIN),
    ]
    with tempfile.TemporaryDirectory(prefix="mc-launch-") as tmp:
        env = fresh_env(
            QT_QPA_PLATFORM="offscreen",
            MAILCOMPOSER_HOME=str(Path(tmp) / "home"),
            MAILCOMPOSER_LANG="en",
        )
        # Let the warm-up runs write bytecode, as an installed app has it.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if args.callgrind:
            return callgrind_main(same_widgets, env, tmp)
        results = best_of([script for _name, script in rows], args.repeat, env)
    for (name, _script), (run, walls) in zip(rows, results, strict=True):
        if not walls:
            print(f"{name} did not come up (exit {run.returncode}):", file=sys.stderr)
            print(run.stderr[-3000:], file=sys.stderr)
            return 2
    bare, bare_walls = results[0]
    floor = results[1][0]
    composer = results[2][0]

    def median(walls: list[float]) -> float:
        return sorted(walls)[len(walls) // 2]

    print(f"best of {args.repeat} alternating fresh interpreters, QT_QPA_PLATFORM=offscreen")
    print_table(
        ["window", "best s", "median s", "x bare (best)", "x bare (median)", "peak RSS"],
        [
            [
                name,
                f"{run.wall:.3f}",
                f"{median(walls):.3f}",
                f"{run.wall / bare.wall:.2f}",
                f"{median(walls) / median(bare_walls):.2f}",
                format_bytes(run.peak_rss),
            ]
            for (name, _script), (run, walls) in zip(rows, results, strict=True)
        ],
    )
    floor_walls, composer_walls = results[1][1], results[2][1]
    best_ratio = composer.wall / floor.wall
    median_ratio = median(composer_walls) / median(floor_walls)
    verdict = "PASS" if max(best_ratio, median_ratio) <= TARGET_RATIO else "FAIL"
    print(
        f"composer / same widgets: {best_ratio:.2f}x best, {median_ratio:.2f}x median "
        f"(target <= {TARGET_RATIO}x): {verdict}"
    )
    print(f"the same widgets alone take {floor.wall / bare.wall:.2f}x the bare window")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
