"""The protocol log: the dock that shows the SMTP conversation line by line, each explained."""

# One job per module: lines (a line's class, marker and kept row), explanation (what a
# line means in words), model (the bounded ring of lines), colours, delegate (painting
# a line), reference (the window saying what an RFC section is about), view (the
# list) and dock (the toolbar around it). Names re-exported here
# are the ones the rest of the application and the tests use.

from __future__ import annotations

from typing import TYPE_CHECKING

from mailcomposer.ui.protocollog.delegate import ProtocolLogDelegate, draw_lock, warm_up_painting
from mailcomposer.ui.protocollog.dock import ProtocolLogDock
from mailcomposer.ui.protocollog.lines import MARKERS, Kind, is_tls_note, kind_of, transcript_text
from mailcomposer.ui.protocollog.model import DEFAULT_MAX_LINES, ProtocolLogModel
from mailcomposer.ui.protocollog.view import ProtocolLogView

if TYPE_CHECKING:
    from mailcomposer.ui.protocollog.reference import ReferencePopup


def __getattr__(name: str) -> object:
    """``ReferencePopup`` loads at first use (a dialog the log opens on a click)."""
    if name == "ReferencePopup":
        from mailcomposer.ui.protocollog.reference import ReferencePopup

        return ReferencePopup
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_MAX_LINES",
    "MARKERS",
    "Kind",
    "ProtocolLogDelegate",
    "ProtocolLogDock",
    "ProtocolLogModel",
    "ProtocolLogView",
    "ReferencePopup",
    "draw_lock",
    "is_tls_note",
    "kind_of",
    "transcript_text",
    "warm_up_painting",
]
