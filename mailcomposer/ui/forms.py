"""Small widget factories shared by the dialogs' forms."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLineEdit, QPushButton


def push_button(text: str, name: str, slot: Callable[[], None]) -> QPushButton:
    """A named button that never becomes the dialog's default (Enter stays in the form)."""
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAutoDefault(False)
    button.clicked.connect(slot)
    return button


def line_edit(name: str, placeholder: str = "") -> QLineEdit:
    """A named line edit with an optional placeholder."""
    edit = QLineEdit()
    edit.setObjectName(name)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit
