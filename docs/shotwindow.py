"""The composer for a README screenshot: a throwaway home folder, a language, the window.

Shared by the ``make_*screenshot*.py`` scripts here; run them from the checkout's root.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def shot_arguments(
    doc: str, out: Path, width: int, height: int, argv: list[str] | None = None
) -> argparse.Namespace:
    """Parse ``[OUT] [--lang L] [--width W] [--height H]`` for a script documented by ``doc``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("out", nargs="?", default=str(out))
    parser.add_argument("--lang", default=os.environ.get("MAILCOMPOSER_LANG", "en"))
    parser.add_argument("--width", type=int, default=width)
    parser.add_argument("--height", type=int, default=height)
    return parser.parse_args(argv)


def screenshot_window(lang: str, prefix: str) -> tuple[Path, Any, Any]:
    """Open the composer in ``lang`` on a new throwaway home; return (work folder, window, app).

    The work folder holds the home and whatever the script writes for its shot.
    """
    work = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["MAILCOMPOSER_HOME"] = str(work / "home")
    os.environ["MAILCOMPOSER_LANG"] = lang
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from mailcomposer.ui.app import create_window

    window = create_window(["mailcomposer"])
    app = QApplication.instance()
    assert app is not None
    return work, window, app
