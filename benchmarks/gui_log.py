"""Benchmark: the protocol log dock taking 100,000 lines in batches, against a QPlainTextEdit.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/gui_log.py [--lines N] [--plain]
[--repeat N]``.
Budget (docs/design.md): the log takes 100,000 lines without the window stalling, memory
bounded. We call it a PASS when no single batch (append + the repaint it causes)
blocks the event loop for more than 30 ms, the same figure as the send budget, and
when the dock's memory per line stays under 1 KiB. The design's 16 ms counts after the
first paint: the longest stall is also given without the first batch, which pays for
the first painted line (types built, fonts measured).

On a shared machine one run is noisy: ``--repeat N`` runs both sinks N times, taking
turns, and gives the best and the median of each figure.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit, QTextEdit

from mailcomposer.smtp.rfc import ref
from mailcomposer.smtp.transcript import Direction, TranscriptEvent
from mailcomposer.ui.protocollog import ProtocolLogDock, warm_up_painting

STALL_BUDGET_S = 0.030
BYTES_PER_LINE_BUDGET = 1024
BATCH = 50


def rss_bytes() -> int:
    """Current resident set size (Linux /proc; 0 where unavailable)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


_RCPT = (ref(5321, "4.1.1.3"), ref(5321, "3.3"))
_OK = (ref(5321, "4.1.1.3"), ref(3463, "3.2"), ref(3463, "2"))
_GREY = (ref(5321, "4.2.1"), ref(3463, "3.8"), ref(6647, "2"), ref(5321, "4.5.4.1"))
_UNKNOWN = (ref(5321, "4.2.1"), ref(3463, "3.2"), ref(3463, "2"), ref(5321, "4.2.2"))
_NOOP = (ref(5321, "4.1.1.9"),)
# direction, text, code, explanation, references, is the last line of a reply (timed)
_PATTERN = [
    (Direction.CLIENT, "RCPT TO:<student{i}@example.org>", None, "", _RCPT, False),
    (Direction.SERVER, "250 2.1.5 Ok", 250, "This recipient is accepted.", _OK, True),
    (Direction.NOTE, "sent {i} of 26,214,400 bytes", None, "", (), False),
    (Direction.SERVER, "451 4.7.1 Greylisted, try later", 451, "Temporary refusal.", _GREY, True),
    (Direction.CLIENT, "NOOP", None, "", _NOOP, False),
    (
        Direction.SERVER,
        "550 5.1.1 <x{i}@example.org>: User unknown",
        550,
        "No such user.",
        _UNKNOWN,
        True,
    ),
]


def make_batch(first: int, count: int, start: float, plain: bool = False) -> list[TranscriptEvent]:
    """Fresh events, made per batch as the send worker makes them (a realistic mix).

    Each line carries its RFC references and each reply its step time, as the core
    makes them; with ``plain`` neither (the lines before they had them).
    """
    batch = []
    for i in range(first, first + count):
        direction, text, code, explanation, refs, timed = _PATTERN[i % len(_PATTERN)]
        batch.append(
            TranscriptEvent(
                start + i * 0.001,
                direction,
                text.format(i=i),
                code,
                explanation,
                secure=i > 10,
                refs=() if plain else tuple(refs),  # a fresh tuple, as each event has
                elapsed=0.0001 * (i % 97) + 0.0003 if timed and not plain else None,
            )
        )
    return batch


def run(
    name: str,
    build: Callable[[QMainWindow], Callable[[Sequence[TranscriptEvent]], None]],
    lines: int,
    app: QApplication,
    trace_memory: bool = False,
    plain: bool = False,
) -> dict[str, float | str]:
    """Append ``lines`` events in batches through the sink ``build`` makes; measure.

    With ``trace_memory`` the Python heap peak is recorded too (tracemalloc slows
    Python down, so timing figures come from a run without it).
    """
    window = QMainWindow()
    window.setCentralWidget(QTextEdit())
    window.resize(1000, 700)
    append = build(window)
    window.show()
    app.processEvents()
    gc.collect()
    rss_before = rss_bytes()
    if trace_memory:
        tracemalloc.start()
    longest = 0.0
    worst_line = 0
    batches: list[float] = []
    start = time.monotonic()
    started = time.perf_counter()
    for first in range(0, lines, BATCH):
        batch = make_batch(first, min(BATCH, lines - first), start, plain)
        tick = time.perf_counter()
        append(batch)
        # The repaint the batch causes runs here, as it would between two worker signals.
        app.processEvents()
        spent = time.perf_counter() - tick
        batches.append(spent)
        if spent > longest:
            longest, worst_line = spent, first
    later = max(batches[1:], default=0.0)
    total = time.perf_counter() - started
    peak = 0
    if trace_memory:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    rss_after = rss_bytes()
    window.close()
    window.deleteLater()
    app.processEvents()
    return {
        "name": name,
        "total_s": total,
        "longest_stall_s": longest,
        "longest_later_s": later,
        "worst_at_line": worst_line,
        "first_batch_s": batches[0] if batches else 0.0,
        "median_batch_s": statistics.median(batches) if batches else 0.0,
        "py_peak_bytes": peak,
        "rss_delta_bytes": max(0, rss_after - rss_before),
    }


def dock_sink(window: QMainWindow) -> Callable[[Sequence[TranscriptEvent]], None]:
    # The composer builds the painting types 70 ms after it starts, long before a send
    # (ui/preload.py): so here, before the clock runs.
    warm_up_painting()
    dock = ProtocolLogDock(window)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    window.resizeDocks([dock], [450], Qt.Orientation.Vertical)
    return dock.append_events


def plaintext_sink(window: QMainWindow) -> Callable[[Sequence[TranscriptEvent]], None]:
    edit = QPlainTextEdit()
    edit.setReadOnly(True)
    window.setCentralWidget(edit)

    def append(batch: Sequence[TranscriptEvent]) -> None:
        for event in batch:
            edit.appendPlainText(event.format())

    return append


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument(
        "--plain", action="store_true", help="lines without RFC references and step times"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="run both sinks this many times, taking turns"
    )
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    runs: list[tuple[dict, dict]] = []
    for _ in range(max(1, args.repeat)):
        ours = run("ProtocolLogDock (ours)", dock_sink, args.lines, app, plain=args.plain)
        base = run("QPlainTextEdit baseline", plaintext_sink, args.lines, app, plain=args.plain)
        runs.append((ours, base))
    memory = run(
        "ProtocolLogDock (ours)", dock_sink, args.lines, app, trace_memory=True, plain=args.plain
    )
    platform = os.environ.get("QT_QPA_PLATFORM")
    kind = "plain lines" if args.plain else "lines with RFC references and step times"
    print(f"{args.lines:,} {kind} in batches of {BATCH} (QT_QPA_PLATFORM={platform})")
    print(
        f"{'sink':26} {'total s':>9} {'longest stall ms':>17} {'at line':>8} "
        f"{'after 1st ms':>13} {'py peak MiB':>12} {'RSS +MiB':>9}"
    )
    for ours, base in runs:
        ours["py_peak_bytes"] = memory["py_peak_bytes"]
        for r in (ours, base):
            py_peak = f"{r['py_peak_bytes'] / 2**20:12.1f}" if r["py_peak_bytes"] else f"{'-':>12}"
            print(
                f"{r['name']:26} {r['total_s']:9.2f} {r['longest_stall_s'] * 1000:17.1f} "
                f"{r['worst_at_line']:8,} {r['longest_later_s'] * 1000:13.1f} "
                f"{py_peak} {r['rss_delta_bytes'] / 2**20:9.1f}"
            )
        for r in (ours, base):
            print(
                f"{r['name']:26} batch: first {r['first_batch_s'] * 1000:.1f} ms, "
                f"median {r['median_batch_s'] * 1000:.2f} ms"
            )
    ratios = [ours["total_s"] / base["total_s"] for ours, base in runs]
    stalls = [ours["longest_stall_s"] for ours, _base in runs]
    later = [ours["longest_later_s"] for ours, _base in runs]
    # The first run's RSS: later runs reuse memory the earlier ones freed.
    per_line = max(memory["py_peak_bytes"], runs[0][0]["rss_delta_bytes"]) / args.lines
    stall_ok = max(stalls) <= STALL_BUDGET_S
    memory_ok = per_line <= BYTES_PER_LINE_BUDGET

    def best_median(values: list[float], scale: float, unit: str) -> str:
        best, median = min(values) * scale, statistics.median(values) * scale
        return f"best {best:.2f}{unit}, median {median:.2f}{unit}"

    print(f"ratio ours/baseline time: {best_median(ratios, 1, 'x')} ({len(runs)} runs)")
    print(f"longest stall: {best_median(stalls, 1000, ' ms')}")
    print(f"longest stall after the first batch: {best_median(later, 1000, ' ms')}")
    print(
        f"longest stall {max(stalls) * 1000:.1f} ms (budget "
        f"{STALL_BUDGET_S * 1000:.0f} ms): {'PASS' if stall_ok else 'FAIL'}"
    )
    print(
        f"memory {per_line:.0f} bytes/line (budget {BYTES_PER_LINE_BUDGET}): "
        f"{'PASS' if memory_ok else 'FAIL'}"
    )
    return 0 if stall_ok and memory_ok else 1


if __name__ == "__main__":
    sys.exit(main())
