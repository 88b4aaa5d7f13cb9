"""A date box whose "any day" (its special value) does not hold Tab."""

from __future__ import annotations

from PySide6.QtWidgets import QDateEdit, QWidget


class DayEdit(QDateEdit):
    """A ``QDateEdit`` that Tab leaves while it shows its special value text.

    Tab steps through a date's year, month and day before it moves on; on the special
    value ("any day") Qt finds no section to step to and kept the focus in the box for
    ever, so a keyboard user never got past the History window's first date.
    """

    def focusNextPrevChild(self, forward: bool) -> bool:
        """Move the focus on, through the sections of a real date only."""
        if self.specialValueText() and self.date() == self.minimumDate():
            return QWidget.focusNextPrevChild(self, forward)
        return super().focusNextPrevChild(forward)
