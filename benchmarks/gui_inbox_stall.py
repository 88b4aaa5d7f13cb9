"""Benchmark: the longest event-loop gap while the local inbox opens a big message or refreshes.

Run: ``.venv/bin/python benchmarks/gui_inbox_stall.py [--size-mib 25] [--messages 300]
[--body-mib 2] [--runs 3] [--only CASE]``.

Four cases, each on the inbox dialog (offscreen) over a Maildir in a temporary folder:

- *Open…*: one message with a ``--size-mib`` attachment, selected, then the Open…
  button clicked; measured until the MIME view shows the parsed message, plus 300 ms
  for its first paints.
- *Whole*: the same message selected (over ``Limits.auto_bytes``, so its parts wait),
  then "Show the whole message" clicked; measured until the preview shows its parts
  and body, plus 300 ms.
- *Whole, big body*: the same with an HTML body of ``--body-mib`` MiB of paragraphs
  beside the attachment: the body is laid out in the preview's text view.
- *Whole, big text*: the same with a plain-text body of ``--body-mib`` MiB of lines.

The *Whole* cases also give the median time from the click to the whole body shown.
- *Refresh*: ``--messages`` small messages written after the dialog opened, then the
  Refresh button clicked; measured until the list shows them all, plus 300 ms.

A 10 ms precise QTimer on the GUI thread records the gap between its ticks; the
longest gap (interval included) is what a user feels as a freeze. Each case runs
``--runs`` times (a fresh dialog for each); the table gives the best and the worst.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TICK_MS = 10
SETTLE_S = 0.3
TIMEOUT_S = 120
CASES = ("open", "whole", "whole_body", "whole_text", "refresh")


class GapMeter:
    """The longest gap between ticks of a 10 ms timer on the GUI thread."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.longest = 0.0
        self._last = 0.0

    def start(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        self._tick()
        self.timer.stop()
        return self.longest

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now


def spin_until(done: Callable[[], bool], then_s: float = SETTLE_S) -> None:
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    deadline = time.perf_counter() + TIMEOUT_S
    while not done():
        if time.perf_counter() > deadline:
            raise SystemExit("timed out")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    end = time.perf_counter() + then_s
    while time.perf_counter() < end:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def stored(subject: str, attachment: bytes = b"", html: str = "", text: str = "") -> bytes:
    msg = EmailMessage()
    msg["From"] = "alice@example.org"
    msg["To"] = "bob@example.net"
    msg["Subject"] = subject
    msg["Date"] = "Sun, 06 Dec 2026 04:30:00 +0000"
    msg.set_content(text or "hello\n" * 20)
    if html:
        msg.add_alternative(html, subtype="html")
    if attachment:
        msg.add_attachment(
            attachment, maintype="application", subtype="octet-stream", filename="big.bin"
        )
    head = b"X-Peer: ('127.0.0.1', 5000)\r\nX-MailFrom: alice@example.org\r\n"
    head += b"X-RcptTo: bob@example.net, hidden@example.com\r\n"
    return head + msg.as_bytes()


def viewer_filled(viewer) -> bool:
    return bool(viewer.raw) and not getattr(viewer, "loading", False)


def open_case(maildir: Path, size_mib: int) -> float:
    from mailcomposer.ui.inbox import SandboxInboxDialog

    dialog = SandboxInboxDialog(maildir)
    dialog.show()
    dialog.table.selectRow(0)
    spin_until(lambda: not dialog.loader.loading)
    meter = GapMeter()
    meter.start()
    dialog.open_button.click()
    viewer = dialog._viewers[-1]
    spin_until(lambda: viewer_filled(viewer))
    gap = meter.stop()
    assert viewer.part_paths()[-1].strip() == "application/octet-stream", viewer.part_paths()
    viewer.close()
    dialog.close()
    dialog.deleteLater()
    spin_until(lambda: True, 0.2)
    return gap


def big_body(mib: int) -> str:
    """HTML paragraphs of ordinary text, about ``mib`` MiB."""
    line = "<p>Paragraph {n}: the quick brown fox jumps over the lazy dog, again and again.</p>\n"
    count = mib * 1024 * 1024 // len(line.format(n=100000))
    return "<html><body>" + "".join(line.format(n=n) for n in range(count)) + "</body></html>"


def big_text(mib: int) -> str:
    """Lines of ordinary text, about ``mib`` MiB."""
    line = "Line {n}: the quick brown fox jumps over the lazy dog, again and again.\n"
    count = mib * 1024 * 1024 // len(line.format(n=100000))
    return "".join(line.format(n=n) for n in range(count))


def body_done(dialog) -> bool:
    preview = dialog.preview
    shown = preview.preview is not None and not preview.preview.deferred
    return shown and not getattr(preview.message_tab, "filling", False)


def whole_case(maildir: Path) -> tuple[float, float]:
    """The longest gap and the total time from the click to the whole message shown."""
    from mailcomposer.ui.inbox import SandboxInboxDialog

    dialog = SandboxInboxDialog(maildir)
    dialog.show()
    dialog.table.selectRow(0)
    spin_until(lambda: not dialog.loader.loading and dialog.preview.preview is not None)
    assert dialog.preview.preview.deferred
    meter = GapMeter()
    meter.start()
    start = time.perf_counter()
    dialog.preview.message_tab.whole_button.click()
    total = [0.0]

    def done() -> bool:
        if body_done(dialog):
            total[0] = total[0] or time.perf_counter() - start
            return True
        return False

    spin_until(done)
    gap = meter.stop()
    assert dialog.preview.attachments_tab.table.rowCount() == 1
    dialog.close()
    dialog.deleteLater()
    spin_until(lambda: True, 0.2)
    return gap, total[0]


def refresh_case(maildir: Path, count: int) -> float:
    from mailcomposer.sandbox.server import write_maildir_message
    from mailcomposer.ui.inbox import SandboxInboxDialog

    dialog = SandboxInboxDialog(maildir)
    dialog.watcher.blockSignals(True)  # only the button refreshes
    dialog.show()
    spin_until(lambda: True, 0.2)
    for i in range(count):
        write_maildir_message(maildir, stored(f"message {i}"))
    meter = GapMeter()
    meter.start()
    dialog.refresh_button.click()
    spin_until(lambda: len(dialog.messages()) == count)
    gap = meter.stop()
    dialog.close()
    dialog.deleteLater()
    spin_until(lambda: True, 0.2)
    return gap


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=25)
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--body-mib", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=CASES, action="append")
    args = parser.parse_args(argv)
    cases = args.only or list(CASES)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("MAILCOMPOSER_LANG", "en")
    from PySide6.QtWidgets import QApplication

    from mailcomposer.sandbox.server import write_maildir_message

    app = QApplication.instance() or QApplication([])
    gaps: dict[str, list[float]] = {case: [] for case in cases}
    totals: dict[str, list[float]] = {case: [] for case in cases}
    attachment = os.urandom(args.size_mib * 1024 * 1024)
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big"
        write_maildir_message(big, stored("big", attachment))
        bodied = Path(tmp) / "bodied"
        if "whole_body" in cases:
            write_maildir_message(bodied, stored("big body", attachment, big_body(args.body_mib)))
        texted = Path(tmp) / "texted"
        if "whole_text" in cases:
            write_maildir_message(
                texted, stored("big text", attachment, "", big_text(args.body_mib))
            )
        for run in range(args.runs):
            for case in cases:
                if case == "open":
                    gaps[case].append(open_case(big, args.size_mib))
                elif case in ("whole", "whole_body", "whole_text"):
                    folder = {"whole": big, "whole_body": bodied, "whole_text": texted}[case]
                    gap, total = whole_case(folder)
                    gaps[case].append(gap)
                    totals[case].append(total)
                else:
                    many = Path(tmp) / f"many{run}"
                    (many / "new").mkdir(parents=True)
                    gaps[case].append(refresh_case(many, args.messages))
    del app
    names = {
        "open": f"Open… a {args.size_mib} MiB message",
        "whole": f"Show the whole message, {args.size_mib} MiB",
        "whole_body": f"Show the whole, + {args.body_mib} MiB HTML body",
        "whole_text": f"Show the whole, + {args.body_mib} MiB text body",
        "refresh": f"Refresh with {args.messages} new messages",
    }
    print(f"{'case':<42} {'best':>8} {'median':>8} {'worst':>8} {'total (median)':>15}")
    for case in cases:
        values = sorted(gaps[case])
        total = f"{statistics.median(totals[case]) * 1000:13.0f}ms" if totals[case] else ""
        print(
            f"{names[case]:<42} {values[0] * 1000:7.0f}ms"
            f" {statistics.median(values) * 1000:7.0f}ms {values[-1] * 1000:7.0f}ms {total:>15}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
