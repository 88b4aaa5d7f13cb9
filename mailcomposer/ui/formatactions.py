"""The formatting actions: each one's object name, words, icon and shortcut, and how it is made."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QWidget

from mailcomposer.i18n import N_, _
from mailcomposer.ui.icons import icons_dir

_Key = QKeySequence.StandardKey


class ActionSpec(NamedTuple):
    """What a formatting action is, apart from what it does (a record of constants).

    Attributes:
        name: its object name (tests and the Format menu find it by it).
        text: its menu text, marked for translation (translated when made).
        theme: the desktop theme's icon name.
        file_stem: our own icon, ``resources/icons/<file_stem>.svg``, when the theme has none.
        shortcut: its key, a standard key or a key sequence text.
        checkable: it is on or off (bold, a list, an alignment).
    """

    name: str
    text: str
    theme: str
    file_stem: str
    shortcut: QKeySequence.StandardKey | str | None = None
    checkable: bool = False


BOLD = ActionSpec("boldAction", N_("&Bold"), "format-text-bold", "format-text-bold",
                  _Key.Bold, checkable=True)  # fmt: skip
ITALIC = ActionSpec("italicAction", N_("&Italic"), "format-text-italic", "format-text-italic",
                    _Key.Italic, checkable=True)  # fmt: skip
UNDERLINE = ActionSpec("underlineAction", N_("&Underline"), "format-text-underline",
                       "format-text-underline", _Key.Underline, checkable=True)  # fmt: skip
STRIKE = ActionSpec("strikeAction", N_("S&trikethrough"), "format-text-strikethrough",
                    "format-text-strikethrough", "Ctrl+Shift+X", checkable=True)  # fmt: skip
TEXT_COLOR = ActionSpec("textColorAction", N_("Text &Colour…"), "format-text-color",
                        "format-text-color")  # fmt: skip
HIGHLIGHT = ActionSpec("highlightAction", N_("&Highlight…"), "format-fill-color",
                       "format-text-highlight")  # fmt: skip
ALIGN_LEFT = ActionSpec("alignLeftAction", N_("Align &Left"), "format-justify-left",
                        "format-justify-left", "Ctrl+Shift+L", checkable=True)  # fmt: skip
ALIGN_CENTER = ActionSpec("alignCenterAction", N_("C&entre"), "format-justify-center",
                          "format-justify-center", "Ctrl+Shift+E", checkable=True)  # fmt: skip
ALIGN_RIGHT = ActionSpec("alignRightAction", N_("Align &Right"), "format-justify-right",
                         "format-justify-right", "Ctrl+Shift+R", checkable=True)  # fmt: skip
ALIGN_JUSTIFY = ActionSpec("alignJustifyAction", N_("&Justify"), "format-justify-fill",
                           "format-justify-fill", "Ctrl+Shift+J", checkable=True)  # fmt: skip
BULLET_LIST = ActionSpec("bulletListAction", N_("Bullete&d List"), "format-list-unordered",
                         "format-list-unordered", "Ctrl+Shift+8", checkable=True)  # fmt: skip
NUMBER_LIST = ActionSpec("numberListAction", N_("&Numbered List"), "format-list-ordered",
                         "format-list-ordered", "Ctrl+Shift+7", checkable=True)  # fmt: skip
INDENT = ActionSpec("indentAction", N_("Indent &More"), "format-indent-more",
                    "format-indent-more", "Ctrl+]")  # fmt: skip
OUTDENT = ActionSpec("outdentAction", N_("Indent Le&ss"), "format-indent-less",
                     "format-indent-less", "Ctrl+[")  # fmt: skip
LINK = ActionSpec("linkAction", N_("Lin&k…"), "insert-link", "insert-link", "Ctrl+K")
HORIZONTAL_RULE = ActionSpec("horizontalRuleAction", N_("Hori&zontal Rule"),
                             "insert-horizontal-rule", "insert-horizontal-rule")  # fmt: skip
INSERT_IMAGE = ActionSpec("insertImageAction", N_("Ima&ge…"), "insert-image", "insert-image")
CLEAR_FORMAT = ActionSpec("clearFormatAction", N_("Clear &Formatting"), "format-text-clear",
                          "format-text-clear", "Ctrl+\\")  # fmt: skip
PLAIN_TEXT = ActionSpec("plainTextAction", N_("&Plain Text Only"), "format-text-plain",
                        "format-text-plain", checkable=True)  # fmt: skip


def icon(theme_name: str, file_stem: str) -> QIcon:
    """The desktop theme's icon ``theme_name``, else our own ``resources/icons/<file_stem>.svg``."""
    fallback = QIcon(str(icons_dir() / f"{file_stem}.svg"))
    return QIcon.fromTheme(theme_name, fallback)


def make_action(spec: ActionSpec, slot: Callable[..., object], parent: QWidget) -> QAction:
    """Make the action ``spec`` describes, its tooltip naming its shortcut, calling ``slot``."""
    text = _(spec.text)
    action = QAction(icon(spec.theme, spec.file_stem), text, parent)
    action.setObjectName(spec.name)
    action.setCheckable(spec.checkable)
    if spec.shortcut is not None:
        action.setShortcut(QKeySequence(spec.shortcut))
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        tip = f"{text.replace('&', '')} ({keys})"
    else:
        tip = text.replace("&", "")
    action.setToolTip(tip)
    action.setStatusTip(tip)
    action.triggered.connect(slot)
    return action
