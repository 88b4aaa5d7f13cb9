"""Form labels: one label column across nested forms, and the words a message names a field by."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLayout, QWidget


def labels(form: QFormLayout) -> list[QLabel]:
    """The label widgets of ``form``'s rows (hidden rows included), top to bottom."""
    found = []
    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        if item is not None and isinstance(item.widget(), QLabel):
            found.append(item.widget())
    return found


def share_label_column(*forms: QFormLayout) -> None:
    """Give ``forms`` one label column, so a form nested in another lines up with it.

    Each label gets the widest label's width as its minimum (the text keeps the
    style's label alignment within it). A nested form must have no margins of its
    own and the same spacing as the outer one.
    """
    every = [label for form in forms for label in labels(form)]
    width = max((label.sizeHint().width() for label in every), default=0)
    for label in every:
        label.setMinimumWidth(width)


def label_words(form: QFormLayout, field: QWidget | QLayout) -> str:
    """The words of ``field``'s visible label ("E-mail address" for "&E-mail address:")."""
    label = form.labelForField(field)
    if not isinstance(label, QLabel):
        return ""
    text = label.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text.strip().rstrip(":：").strip()
