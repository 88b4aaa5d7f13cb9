"""Benchmark: the longest event-loop gap while big files are linted, decoded, opened or listed.

Run: ``.venv/bin/python benchmarks/gui_file_stall.py [--size-mib 25] [--image-mib 18]
[--attempts 2000] [--runs 3] [--only CASE]``.

The sibling of ``gui_inbox_stall.py`` (same 10 ms timer, same settling), for the
places outside the inbox list that read a big message or a long log:

- *lint*: the MIME view of a ``--size-mib`` attachment message, loaded, then
  "Check the message" clicked; measured until the findings are shown.
- *image*: the MIME view of a message with a ``--image-mib`` PNG, then its image
  part selected; measured until the picture is shown.
- *from_file*: ``MimeViewDialog.from_file`` on the ``--size-mib`` message (what the
  History window's "Open sent message…" does), measured until the tree is shown.
- *open_eml*: File → Open of the ``--size-mib`` message in the composer, measured
  until its attachment is listed.
- *history*: the History window opened over a send log of ``--attempts`` attempts,
  measured until its first page is listed.

Each measure adds 300 ms after the end for the first paints.

What is left of *from_file* and *open_eml* (35-45 ms at best) is the parser's, on the
worker thread, holding the GIL over whole strings of the attachment: for 25 MiB (a
36 MB base64 part of 460,000 lines) ``email.feedparser`` joins the part's lines in one
``str.join`` (~10-35 ms) and then copies the part once more to cut the line end
before the boundary (``payload[:-len(eol)]``, ~18 ms). Both are one copy of 36 MB into
fresh memory, mostly page faults: joining in smaller groups first leaves a final join
of the same size and cost.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.gui_inbox_stall import GapMeter, spin_until, stored, viewer_filled

CASES = ("lint", "image", "from_file", "open_eml", "history")


def noise_png(mib: int) -> bytes:
    """A PNG of random pixels, about ``mib`` MiB (noise does not compress)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage

    side = int((mib * 1024 * 1024 / 3) ** 0.5)
    pixels = os.urandom(side * side * 3)
    image = QImage(pixels, side, side, side * 3, QImage.Format.Format_RGB888).copy()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG", 100)  # 100: no compression, quick to write
    return bytes(data)


def image_message(png: bytes) -> bytes:
    msg = EmailMessage()
    msg["From"] = "alice@example.org"
    msg["To"] = "bob@example.net"
    msg["Subject"] = "photo"
    msg.set_content("a photo\n")
    msg.add_attachment(png, maintype="image", subtype="png", filename="noise.png")
    return msg.as_bytes()


def loaded_view(path: Path):
    from mailcomposer.ui.mimeview import MimeViewDialog

    view = MimeViewDialog()
    view.show()
    if hasattr(view, "load_file"):
        view.load_file(path)
    else:
        view.set_raw(path.read_bytes())
    spin_until(lambda: viewer_filled(view))
    return view


def close(widget) -> None:
    widget.close()
    widget.deleteLater()
    spin_until(lambda: True, 0.2)


def lint_case(path: Path) -> float:
    view = loaded_view(path)
    assert not view.lint_button.isHidden(), "the message was linted when opened"
    meter = GapMeter()
    meter.start()
    view.lint_button.click()
    spin_until(lambda: view.lint_button.isHidden() and not getattr(view, "checking", False))
    gap = meter.stop()
    assert view.findings.count() > 0
    close(view)
    return gap


def image_case(path: Path) -> float:
    view = loaded_view(path)
    index = view.model.index(1, 0, view.model.index(0, 0))
    assert index.data() == "image/png", index.data()
    meter = GapMeter()
    meter.start()
    view.tree.setCurrentIndex(index)
    spin_until(lambda: view.content_stack.currentIndex() == 1)
    gap = meter.stop()
    assert not view.image_view.pixmap().isNull()
    close(view)
    return gap


def from_file_case(path: Path) -> float:
    from mailcomposer.ui.mimeview import MimeViewDialog

    meter = GapMeter()
    meter.start()
    view = MimeViewDialog.from_file(path)
    view.show()
    spin_until(lambda: viewer_filled(view))
    gap = meter.stop()
    assert view.part_paths()[-1].strip() == "application/octet-stream"
    close(view)
    return gap


def open_eml_case(path: Path, home: Path) -> float:
    os.environ["MAILCOMPOSER_HOME"] = str(home)
    from mailcomposer.ui.app import create_window

    window = create_window([])
    spin_until(lambda: True, 0.5)
    files = window.files
    meter = GapMeter()
    meter.start()
    if hasattr(files, "open_eml_in_background"):
        files.open_eml_in_background(path)
    else:  # what File → Open did before
        files.replace_message(lambda: files.open_eml(path))
    spin_until(lambda: window.current_draft().attachments)
    gap = meter.stop()
    window.draft_keeper.set_modified(False)
    window.close()
    window.deleteLater()
    spin_until(lambda: True, 0.3)
    return gap


def history_home(home: Path, attempts: int) -> None:
    from mailcomposer.store.history import History
    from mailcomposer.store.paths import Home

    history = History(Home(home))
    transcript = "\n".join(f"S: 250-line {n} of the server's reply" for n in range(60))
    for number in range(attempts):
        history.record(
            f"<{number}@example.org>",
            f"2026-12-{1 + number % 28:02d}T10:{number % 60:02d}:00+00:00",
            "alice@example.org",
            [f"bob{number}@example.net", "carol@example.net"],
            f"Report number {number}",
            12_000 + number,
            "smtp.example.org:587",
            ("sent", "failed", "partial")[number % 3],
            account=("work", "home")[number % 2],
            reply_code=250,
            reply_text="2.0.0 OK queued",
            transcript=transcript,
        )
    history.close()


def history_case(home: Path, attempts: int) -> float:
    from mailcomposer.store.paths import Home
    from mailcomposer.ui.historywindow import PAGE, HistoryWindow

    meter = GapMeter()
    meter.start()
    window = HistoryWindow(Home(home))
    window.show()
    spin_until(lambda: window.model.rowCount() == min(PAGE, attempts))
    gap = meter.stop()
    close(window)
    return gap


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=25)
    parser.add_argument("--image-mib", type=int, default=18)
    parser.add_argument("--attempts", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=CASES, action="append")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("MAILCOMPOSER_LANG", "en")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    cases = args.only or list(CASES)
    gaps: dict[str, list[float]] = {case: [] for case in cases}
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.eml"
        big.write_bytes(stored("big", os.urandom(args.size_mib * 1024 * 1024)))
        photo = Path(tmp) / "photo.eml"
        if "image" in cases:
            photo.write_bytes(image_message(noise_png(args.image_mib)))
        log_home = Path(tmp) / "log-home"
        if "history" in cases:
            history_home(log_home, args.attempts)
        for run in range(args.runs):
            for case in cases:
                if case == "lint":
                    gaps[case].append(lint_case(big))
                elif case == "image":
                    gaps[case].append(image_case(photo))
                elif case == "from_file":
                    gaps[case].append(from_file_case(big))
                elif case == "open_eml":
                    gaps[case].append(open_eml_case(big, Path(tmp) / f"home{run}"))
                elif case == "history":
                    gaps[case].append(history_case(log_home, args.attempts))
    del app
    names = {
        "lint": f"Check the message, {args.size_mib} MiB",
        "image": f"Select a {args.image_mib} MiB image part",
        "from_file": f"MimeViewDialog.from_file, {args.size_mib} MiB",
        "open_eml": f"File → Open .eml, {args.size_mib} MiB",
        "history": f"History window, {args.attempts} attempts",
    }
    print(f"{'case':<42} {'best':>8} {'median':>8} {'worst':>8}")
    for case in cases:
        values = sorted(gaps[case])
        print(
            f"{names[case]:<42} {values[0] * 1000:7.0f}ms"
            f" {statistics.median(values) * 1000:7.0f}ms {values[-1] * 1000:7.0f}ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
