"""How the send log's outcomes and stages are named and marked in the windows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap

from mailcomposer.i18n import _
from mailcomposer.ui.charts import outcome_color


def outcome_label(outcome: str) -> str:
    """The outcome id (``sent``...) in words."""
    labels = {
        "sent": _("Sent"),
        "partial": _("Partly sent"),
        "failed": _("Failed"),
        "cancelled": _("Cancelled"),
        "unknown": _("Unknown"),
    }
    return labels.get(outcome, outcome)


def stage_label(stage: str) -> str:
    """A protocol stage id (``rcpt``, ``final-dot``...) as shown: the SMTP word."""
    if not stage or stage == "unknown":
        return _("not recorded")
    if stage == "final-dot":
        return _("after the final dot")
    if stage in ("connect", "build", "upload"):
        return {"connect": _("connecting"), "build": _("building"), "upload": _("upload")}[stage]
    return stage.upper()


def code_label(code: str) -> str:
    """A reply code key from the statistics (``"none"``: no reply decided)."""
    return _("no reply") if code == "none" else code


def outcome_icon(outcome: str, palette: QPalette) -> QIcon:
    """A filled dot in the outcome's colour."""
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(Qt.GlobalColor.transparent))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(outcome_color(outcome, palette))
    painter.drawEllipse(2, 2, 10, 10)
    painter.end()
    return QIcon(pixmap)
