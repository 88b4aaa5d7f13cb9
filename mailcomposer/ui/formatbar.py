"""The formatting toolbar of the body editor (and the actions of the Format menu)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtGui import QAction, QActionGroup, QColor, QFont, QIntValidator
from PySide6.QtWidgets import QApplication, QComboBox, QFontComboBox, QToolBar, QToolButton, QWidget

from mailcomposer.i18n import _
from mailcomposer.ui import formatactions as spec
from mailcomposer.ui.bodydoc import normalize_url
from mailcomposer.ui.editor import BodyEditor
from mailcomposer.ui.formatactions import ActionSpec, icon, make_action
from mailcomposer.ui.swatches import HIGHLIGHT_COLORS, TEXT_COLORS, colour_icon, swatch_menu
from mailcomposer.ui.textblocks import font_families, is_ordered, list_of, new_char_format

# The text types (QTextFormat builds a 116-member enum) load at the first formatting, not
# at start: the bar is built beside a new, empty body (see _show_new_body).
if TYPE_CHECKING:
    from PySide6.QtGui import QTextCharFormat

    from mailcomposer.ui.linkdialog import LinkDialog
    from mailcomposer.ui.paragraphs import list_style

FONT_SIZES = (8, 9, 10, 11, 12, 14, 16, 18, 20, 24, 28, 36, 48, 72)

# Lists, indents, rules and the link dialog are first used after the window has painted.
_LATER = {"LinkDialog": "mailcomposer.ui.linkdialog", "list_style": "mailcomposer.ui.paragraphs"}


def __getattr__(name: str) -> object:
    """Load ``LinkDialog`` and ``list_style`` (re-exported here) on first use."""
    if name in _LATER:
        import importlib

        return getattr(importlib.import_module(_LATER[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "FONT_SIZES",
    "HIGHLIGHT_COLORS",
    "TEXT_COLORS",
    "FormatToolBar",
    "LinkDialog",
    "icon",
    "list_style",
]


class FormatToolBar(QToolBar):
    """Formatting actions for a :class:`BodyEditor`, kept in step with its cursor.

    Attributes:
        editor: the editor the actions act on.
        confirm_plain_text: optional callable asked before switching to plain text;
            returning False keeps rich text (the window sets it to show a question).
    """

    def __init__(self, editor: BodyEditor, parent: QWidget | None = None) -> None:
        super().__init__(_("Format"), parent)
        self.setObjectName("formatToolBar")
        self.setIconSize(QSize(20, 20))
        self.editor = editor
        self.confirm_plain_text: Callable[[], bool] | None = None
        self._text_color = QColor("#c5221f")
        self._highlight_color = QColor("#fff475")
        self._build_actions()
        self._build_widgets()
        self._lay_out()
        editor.set_reserved_shortcuts([a.shortcut() for a in self._all_actions if a.shortcut()])
        editor.currentCharFormatChanged.connect(self._on_editor_current_char_format_changed)
        editor.cursorPositionChanged.connect(self._on_editor_cursor_position_changed)
        editor.plain_text_mode_changed.connect(self._on_editor_plain_text_mode_changed)
        editor.image_rejected.connect(self._show_error)
        self._show_new_body()
        self._on_editor_plain_text_mode_changed(editor.plain_text_mode)

    # -- construction ------------------------------------------------------------------------

    def _action(self, what: ActionSpec, slot: Callable[..., object]) -> QAction:
        action = make_action(what, slot, self)
        self._all_actions.append(action)
        return action

    def _build_actions(self) -> None:
        self._all_actions: list[QAction] = []
        align = Qt.AlignmentFlag
        self.bold_action = self._action(spec.BOLD, self._on_bold_action_triggered)
        self.italic_action = self._action(spec.ITALIC, self._on_italic_action_triggered)
        self.underline_action = self._action(spec.UNDERLINE, self._on_underline_action_triggered)
        self.strike_action = self._action(spec.STRIKE, self._on_strike_action_triggered)
        self.text_color_action = self._action(spec.TEXT_COLOR, self._on_text_color_action_triggered)
        self.highlight_action = self._action(spec.HIGHLIGHT, self._on_highlight_action_triggered)
        self.align_group = QActionGroup(self)
        self.align_group.setExclusive(True)
        self.align_left_action = self._action(
            spec.ALIGN_LEFT, lambda: self._align(align.AlignLeft | align.AlignAbsolute)
        )
        self.align_center_action = self._action(
            spec.ALIGN_CENTER, lambda: self._align(align.AlignHCenter)
        )
        self.align_right_action = self._action(
            spec.ALIGN_RIGHT, lambda: self._align(align.AlignRight | align.AlignAbsolute)
        )
        self.align_justify_action = self._action(
            spec.ALIGN_JUSTIFY, lambda: self._align(align.AlignJustify)
        )
        for action in (
            self.align_left_action,
            self.align_center_action,
            self.align_right_action,
            self.align_justify_action,
        ):
            self.align_group.addAction(action)
        self.bullet_list_action = self._action(
            spec.BULLET_LIST, lambda: self.toggle_list(ordered=False)
        )
        self.number_list_action = self._action(
            spec.NUMBER_LIST, lambda: self.toggle_list(ordered=True)
        )
        self.indent_action = self._action(spec.INDENT, lambda: self.change_indent(1))
        self.outdent_action = self._action(spec.OUTDENT, lambda: self.change_indent(-1))
        self.link_action = self._action(spec.LINK, self._on_link_action_triggered)
        self.horizontal_rule_action = self._action(
            spec.HORIZONTAL_RULE, self.insert_horizontal_rule
        )
        self.insert_image_action = self._action(
            spec.INSERT_IMAGE, self._on_insert_image_action_triggered
        )
        self.clear_format_action = self._action(spec.CLEAR_FORMAT, self.editor.clear_formatting)
        self.plain_text_action = self._action(spec.PLAIN_TEXT, self._on_plain_text_action_triggered)
        self.plain_text_action.setToolTip(
            _("Send the message as plain text only (formatting and images are removed)")
        )

    def _build_widgets(self) -> None:
        self.font_combo = QFontComboBox(self)
        self.font_combo.setObjectName("fontFamilyCombo")
        self.font_combo.setToolTip(_("Font"))
        self.font_combo.setAccessibleName(_("Font"))
        self.font_combo.setMaximumWidth(160)
        self.font_combo.textActivated.connect(self._on_font_combo_text_activated)
        self.size_combo = QComboBox(self)
        self.size_combo.setObjectName("fontSizeCombo")
        self.size_combo.setEditable(True)
        self.size_combo.setToolTip(_("Font size"))
        self.size_combo.setAccessibleName(_("Font size"))
        self.size_combo.setValidator(QIntValidator(4, 400, self.size_combo))
        self.size_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.size_combo.addItems([str(size) for size in FONT_SIZES])
        self.size_combo.setMinimumContentsLength(3)
        self.size_combo.textActivated.connect(self._on_size_combo_text_activated)

    def _lay_out(self) -> None:
        self.addWidget(self.font_combo)
        self.addWidget(self.size_combo)
        self.addSeparator()
        for action in self.menu_actions():
            if action is None:
                self.addSeparator()
            elif action is not self.align_justify_action:  # rare in mail: menu only
                self.addAction(action)
        # ... but its shortcut still works in the editor.
        self.editor.addAction(self.align_justify_action)
        # Quick colour choices on the buttons' arrows; the actions themselves (also in the
        # Format menu) open the full colour dialog.
        self.text_color_menu = swatch_menu(
            self, "textColorMenu", _("Automatic"), TEXT_COLORS, self._apply_text_color
        )
        self.highlight_menu = swatch_menu(
            self, "highlightMenu", _("No Highlight"), HIGHLIGHT_COLORS, self._apply_highlight
        )
        for action, menu in (
            (self.text_color_action, self.text_color_menu),
            (self.highlight_action, self.highlight_menu),
        ):
            button = self.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setMenu(menu)
                button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
                button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        # A page icon alone does not say "plain text"; the words do.
        self.plain_text_action.setIconText(_("Plain text"))
        button = self.widgetForAction(self.plain_text_action)
        if isinstance(button, QToolButton):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)

    def _apply_text_color(self, color: QColor | None) -> None:
        if color is None:
            from PySide6.QtGui import QTextFormat

            self.editor.clear_char_property(QTextFormat.Property.ForegroundBrush)
            self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.set_text_color(color)

    def _apply_highlight(self, color: QColor | None) -> None:
        if color is None:
            from PySide6.QtGui import QTextFormat

            self.editor.clear_char_property(QTextFormat.Property.BackgroundBrush)
            self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.set_highlight_color(color)

    def menu_actions(self) -> list[QAction | None]:
        """The actions for the window's Format menu, ``None`` marking a separator."""
        return [
            self.bold_action,
            self.italic_action,
            self.underline_action,
            self.strike_action,
            self.text_color_action,
            self.highlight_action,
            None,
            self.align_left_action,
            self.align_center_action,
            self.align_right_action,
            self.align_justify_action,
            None,
            self.bullet_list_action,
            self.number_list_action,
            self.outdent_action,
            self.indent_action,
            None,
            self.link_action,
            self.insert_image_action,
            self.horizontal_rule_action,
            None,
            self.clear_format_action,
            self.plain_text_action,
        ]

    def formatting_actions(self) -> list[QAction]:
        """Every action that is disabled in plain-text mode."""
        return [a for a in self._all_actions if a is not self.plain_text_action]

    # -- character formatting ----------------------------------------------------------------

    def _merge(self, fmt: QTextCharFormat, combo: QComboBox | None = None) -> None:
        # No selection: the format applies to what is typed next, like other mail editors.
        self.editor.mergeCurrentCharFormat(fmt)
        if combo is None or _holds_focus(combo):
            self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(bool)
    def _on_bold_action_triggered(self, checked: bool) -> None:
        fmt = new_char_format()
        fmt.setFontWeight(QFont.Weight.Bold if checked else QFont.Weight.Normal)
        self._merge(fmt)

    @Slot(bool)
    def _on_italic_action_triggered(self, checked: bool) -> None:
        fmt = new_char_format()
        fmt.setFontItalic(checked)
        self._merge(fmt)

    @Slot(bool)
    def _on_underline_action_triggered(self, checked: bool) -> None:
        fmt = new_char_format()
        fmt.setFontUnderline(checked)
        self._merge(fmt)

    @Slot(bool)
    def _on_strike_action_triggered(self, checked: bool) -> None:
        fmt = new_char_format()
        fmt.setFontStrikeOut(checked)
        self._merge(fmt)

    def ask_color(self, initial: QColor, title: str) -> QColor | None:
        """Ask the user for a colour; None when cancelled (tests replace this)."""
        from PySide6.QtWidgets import QColorDialog

        color = QColorDialog.getColor(initial, self, title)
        return color if color.isValid() else None

    @Slot()
    def _on_text_color_action_triggered(self) -> None:
        color = self.ask_color(self._text_color, _("Text Colour"))
        if color is not None:
            self.set_text_color(color)

    @Slot()
    def _on_highlight_action_triggered(self) -> None:
        color = self.ask_color(self._highlight_color, _("Highlight Colour"))
        if color is not None:
            self.set_highlight_color(color)

    def set_text_color(self, color: QColor) -> None:
        """Colour the selection (or what is typed next)."""
        self._text_color = QColor(color)
        fmt = new_char_format()
        fmt.setForeground(color)
        self._merge(fmt)
        self._paint_color_icons()

    def set_highlight_color(self, color: QColor) -> None:
        """Give the selection (or what is typed next) a background colour."""
        self._highlight_color = QColor(color)
        fmt = new_char_format()
        fmt.setBackground(color)
        self._merge(fmt)
        self._paint_color_icons()

    @Slot(str)
    def _on_font_combo_text_activated(self, family: str) -> None:
        fmt = new_char_format()
        fmt.setFontFamilies([family])
        self._merge(fmt, self.font_combo)

    @Slot(str)
    def _on_size_combo_text_activated(self, text: str) -> None:
        try:
            size = float(text)
        except ValueError:
            return
        if size > 0:
            fmt = new_char_format()
            fmt.setFontPointSize(size)
            self._merge(fmt, self.size_combo)

    # -- paragraphs --------------------------------------------------------------------------

    def _align(self, alignment: Qt.AlignmentFlag) -> None:
        self.editor.setAlignment(alignment)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        self._on_editor_cursor_position_changed()

    def toggle_list(self, *, ordered: bool) -> None:
        """Make the selected paragraphs a bulleted/numbered list, or back to paragraphs."""
        from mailcomposer.ui import paragraphs

        paragraphs.toggle_list(self.editor, ordered=ordered)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        self._on_editor_cursor_position_changed()

    def change_indent(self, delta: int) -> None:
        """Nest list items one level deeper/shallower, or indent paragraphs."""
        from mailcomposer.ui import paragraphs

        paragraphs.change_indent(self.editor, delta)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        self._on_editor_cursor_position_changed()

    def insert_horizontal_rule(self) -> None:
        """Insert a horizontal line as its own paragraph and continue below it."""
        from mailcomposer.ui import paragraphs

        paragraphs.insert_horizontal_rule(self.editor)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- links, images, plain text -----------------------------------------------------------

    def ask_link(self, text: str, url: str) -> tuple[str, str] | None:
        """Show the link dialog; ``(text, url)`` or None when cancelled (tests replace this)."""
        from PySide6.QtWidgets import QDialog

        from mailcomposer.ui.linkdialog import LinkDialog

        dialog = LinkDialog(text, url, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.values()

    @Slot()
    def _on_link_action_triggered(self) -> None:
        existing = self.editor.link_at_cursor()
        if existing is not None:
            text, url = existing[2], existing[3]
        else:
            text, url = self.editor.textCursor().selectedText(), ""
            if normalize_url(text) is not None:
                url = text
        answer = self.ask_link(text, url)
        if answer is not None:
            self.editor.set_link(*answer)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def ask_image_files(self) -> list[str]:
        """Ask for image files to insert (tests replace this)."""
        from PySide6.QtWidgets import QFileDialog

        paths, _filter = QFileDialog.getOpenFileNames(
            self,
            _("Insert Image"),
            "",
            _("Images") + " (*.png *.jpg *.jpeg *.gif *.webp *.bmp);;" + _("All files") + " (*)",
        )
        return paths

    @Slot()
    def _on_insert_image_action_triggered(self) -> None:
        problems = []
        for path in self.ask_image_files():
            try:
                self.editor.insert_image_file(path)
            except ValueError as exc:
                problems.append(f"{Path(path).name}: {exc}")
        if problems:
            self._show_error("\n".join(problems))
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(str)
    def _show_error(self, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self, _("Insert Image"), message)

    @Slot(bool)
    def _on_plain_text_action_triggered(self, checked: bool) -> None:
        if checked and self.confirm_plain_text is not None and not self.confirm_plain_text():
            self.plain_text_action.setChecked(False)
            return
        self.editor.set_plain_text_mode(checked)

    # -- following the cursor ----------------------------------------------------------------

    def _show_new_body(self) -> None:
        """What the two slots below show for a new, empty body, without its text types.

        The bar is built beside a new editor: plain characters in the body's font, a
        left-aligned paragraph, no list. Asking the editor's cursor and format would
        load QTextCursor, QTextBlock and the QTextFormat family (~2 ms of the launch).
        """
        unchecked = (self.bold_action, self.italic_action, self.underline_action,
                     self.strike_action, self.bullet_list_action,
                     self.number_list_action)  # fmt: skip
        for action in unchecked:
            action.setChecked(False)
        default = self.editor.document().defaultFont()
        self._show_font(default.family(), default.pointSizeF())
        self._show_alignment(self.editor.alignment())

    @Slot("QTextCharFormat")
    def _on_editor_current_char_format_changed(self, fmt: QTextCharFormat) -> None:
        weight = fmt.fontWeight()
        weight = int(getattr(weight, "value", weight))
        self.bold_action.setChecked(weight >= int(QFont.Weight.DemiBold.value))
        self.italic_action.setChecked(fmt.fontItalic())
        self.underline_action.setChecked(fmt.fontUnderline() and not fmt.isAnchor())
        self.strike_action.setChecked(fmt.fontStrikeOut())
        default = self.editor.document().defaultFont()
        families = font_families(fmt)
        self._show_font(
            families[0] if families else default.family(),
            fmt.fontPointSize() or default.pointSizeF(),
        )

    def _show_font(self, family: str, size: float) -> None:
        # textActivated (user choice only) drives formatting, so setting these is silent.
        self.font_combo.setCurrentFont(QFont(family))
        # The item itself, not only its text: an editable combo box whose text is not its
        # current item "activates" the text when Tab leaves it, which set the size and
        # threw the focus back into the body (Tab could not get past the size box).
        text = f"{size:g}"
        index = self.size_combo.findText(text)
        if index >= 0:
            self.size_combo.setCurrentIndex(index)
        else:
            self.size_combo.setEditText(text)

    @Slot()
    def _on_editor_cursor_position_changed(self) -> None:
        self._show_alignment(self.editor.alignment())
        text_list = list_of(self.editor.textCursor().block())
        ordered = text_list is not None and is_ordered(text_list.format().style())
        self.bullet_list_action.setChecked(text_list is not None and not ordered)
        self.number_list_action.setChecked(ordered)

    def _show_alignment(self, alignment: Qt.AlignmentFlag) -> None:
        if alignment & Qt.AlignmentFlag.AlignHCenter:
            self.align_center_action.setChecked(True)
        elif alignment & Qt.AlignmentFlag.AlignRight:
            self.align_right_action.setChecked(True)
        elif alignment & Qt.AlignmentFlag.AlignJustify:
            self.align_justify_action.setChecked(True)
        else:
            self.align_left_action.setChecked(True)

    @Slot(bool)
    def _on_editor_plain_text_mode_changed(self, plain: bool) -> None:
        self.plain_text_action.setChecked(plain)
        for action in self.formatting_actions():
            action.setEnabled(not plain)
        self.font_combo.setEnabled(not plain)
        self.size_combo.setEnabled(not plain)
        self._paint_color_icons()

    def _paint_color_icons(self) -> None:
        """Show the colour the text-colour and highlight buttons will apply."""
        self.text_color_action.setIcon(colour_icon("format-text-color", self._text_color))
        self.highlight_action.setIcon(colour_icon("format-text-highlight", self._highlight_color))


def _holds_focus(combo: QComboBox) -> bool:
    """True while the focus is in ``combo`` or its list (Enter, a pick), not gone on (Tab)."""
    focused = QApplication.focusWidget()
    if focused is None:
        return True
    view = combo.view()
    return (
        focused is combo
        or focused is view
        or combo.isAncestorOf(focused)
        or view.isAncestorOf(focused)
    )
