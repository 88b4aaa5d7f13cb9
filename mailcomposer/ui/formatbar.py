"""The formatting toolbar of the body editor (and the actions of the Format menu)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QColor,
    QFont,
    QIcon,
    QIntValidator,
    QKeySequence,
    QPainter,
    QPixmap,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
    QTextLength,
    QTextListFormat,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFontComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import N_, _
from mailcomposer.ui.editor import BodyEditor, normalize_url
from mailcomposer.ui.htmlexport import font_families, is_ordered, list_of
from mailcomposer.ui.icons import icons_dir

FONT_SIZES = (8, 9, 10, 11, 12, 14, 16, 18, 20, 24, 28, 36, 48, 72)
TEXT_COLORS = (
    (N_("Red"), "#c5221f"),
    (N_("Orange"), "#e8710a"),
    (N_("Green"), "#188038"),
    (N_("Blue"), "#1a73e8"),
    (N_("Purple"), "#9334e6"),
    (N_("Grey"), "#5f6368"),
)
HIGHLIGHT_COLORS = (
    (N_("Yellow"), "#fff475"),
    (N_("Green"), "#ccff90"),
    (N_("Blue"), "#cbf0f8"),
    (N_("Pink"), "#fdcfe8"),
    (N_("Orange"), "#fbbc04"),
)
_BULLETS = (
    QTextListFormat.Style.ListDisc,
    QTextListFormat.Style.ListCircle,
    QTextListFormat.Style.ListSquare,
)
_NUMBERS = (
    QTextListFormat.Style.ListDecimal,
    QTextListFormat.Style.ListLowerAlpha,
    QTextListFormat.Style.ListLowerRoman,
)


def icon(theme_name: str, file_stem: str) -> QIcon:
    """The desktop theme's icon ``theme_name``, else our own ``resources/icons/<file_stem>.svg``."""
    fallback = QIcon(str(icons_dir() / f"{file_stem}.svg"))
    return QIcon.fromTheme(theme_name, fallback)


def list_style(ordered: bool, level: int) -> QTextListFormat.Style:
    """The bullet or numbering style for nesting ``level`` (1 = outermost)."""
    styles = _NUMBERS if ordered else _BULLETS
    return styles[(max(1, level) - 1) % len(styles)]


class LinkDialog(QDialog):
    """Asks for a link's text and address; OK is enabled only for a usable address.

    Attributes:
        text_field: the shown text (``linkTextField``).
        url_field: the address (``linkUrlField``).
    """

    def __init__(self, text: str = "", url: str = "", parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QDialogButtonBox, QFormLayout

        super().__init__(parent)
        self.setObjectName("linkDialog")
        self.setWindowTitle(_("Link"))
        self.text_field = QLineEdit(text)
        self.text_field.setObjectName("linkTextField")
        self.text_field.setPlaceholderText(_("Text to show (optional)"))
        self.url_field = QLineEdit(url)
        self.url_field.setObjectName("linkUrlField")
        self.url_field.setPlaceholderText(_("https://example.org or name@example.org"))
        self._problem = QLabel()
        self._problem.setObjectName("linkProblemLabel")
        self._problem.setWordWrap(True)
        self._problem.setStyleSheet("color: #b3261e;")
        form = QFormLayout()
        form.addRow(_("&Text:"), self.text_field)
        form.addRow(_("&Address:"), self.url_field)
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._problem)
        layout.addWidget(self._buttons)
        self.url_field.textChanged.connect(self._on_url_field_text_changed)
        self._on_url_field_text_changed(url)
        (self.url_field if text or not url else self.text_field).setFocus()
        self.resize(420, self.sizeHint().height())

    @Slot(str)
    def _on_url_field_text_changed(self, text: str) -> None:
        from PySide6.QtWidgets import QDialogButtonBox

        ok = normalize_url(text) is not None
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        if ok or not text.strip():
            self._problem.setText("")
        else:
            self._problem.setText(_("Enter a web address (https://…) or an e-mail address."))

    def values(self) -> tuple[str, str] | None:
        """``(text, normalized_url)``, or None while the address is unusable."""
        url = normalize_url(self.url_field.text())
        if url is None:
            return None
        return self.text_field.text().strip() or self.url_field.text().strip(), url


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
        self._on_editor_current_char_format_changed(editor.currentCharFormat())
        self._on_editor_cursor_position_changed()
        self._on_editor_plain_text_mode_changed(editor.plain_text_mode)

    # -- construction ------------------------------------------------------------------------

    def _action(
        self,
        name: str,
        text: str,
        theme: str,
        file_stem: str,
        slot: Callable[..., object],
        shortcut: QKeySequence | str | None = None,
        checkable: bool = False,
    ) -> QAction:
        action = QAction(icon(theme, file_stem), text, self)
        action.setObjectName(name)
        action.setCheckable(checkable)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            tip = f"{text.replace('&', '')} ({keys})"
        else:
            tip = text.replace("&", "")
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        self._all_actions.append(action)
        return action

    def _build_actions(self) -> None:
        self._all_actions: list[QAction] = []
        key = QKeySequence.StandardKey
        self.bold_action = self._action(
            "boldAction",
            _("&Bold"),
            "format-text-bold",
            "format-text-bold",
            self._on_bold_action_triggered,
            QKeySequence(key.Bold),
            checkable=True,
        )
        self.italic_action = self._action(
            "italicAction",
            _("&Italic"),
            "format-text-italic",
            "format-text-italic",
            self._on_italic_action_triggered,
            QKeySequence(key.Italic),
            checkable=True,
        )
        self.underline_action = self._action(
            "underlineAction",
            _("&Underline"),
            "format-text-underline",
            "format-text-underline",
            self._on_underline_action_triggered,
            QKeySequence(key.Underline),
            checkable=True,
        )
        self.strike_action = self._action(
            "strikeAction",
            _("S&trikethrough"),
            "format-text-strikethrough",
            "format-text-strikethrough",
            self._on_strike_action_triggered,
            "Ctrl+Shift+X",
            checkable=True,
        )
        self.text_color_action = self._action(
            "textColorAction",
            _("Text &Colour…"),
            "format-text-color",
            "format-text-color",
            self._on_text_color_action_triggered,
        )
        self.highlight_action = self._action(
            "highlightAction",
            _("&Highlight…"),
            "format-fill-color",
            "format-text-highlight",
            self._on_highlight_action_triggered,
        )
        self.align_group = QActionGroup(self)
        self.align_group.setExclusive(True)
        self.align_left_action = self._action(
            "alignLeftAction",
            _("Align &Left"),
            "format-justify-left",
            "format-justify-left",
            lambda: self._align(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute),
            "Ctrl+Shift+L",
            checkable=True,
        )
        self.align_center_action = self._action(
            "alignCenterAction",
            _("C&entre"),
            "format-justify-center",
            "format-justify-center",
            lambda: self._align(Qt.AlignmentFlag.AlignHCenter),
            "Ctrl+Shift+E",
            checkable=True,
        )
        self.align_right_action = self._action(
            "alignRightAction",
            _("Align &Right"),
            "format-justify-right",
            "format-justify-right",
            lambda: self._align(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute),
            "Ctrl+Shift+R",
            checkable=True,
        )
        self.align_justify_action = self._action(
            "alignJustifyAction",
            _("&Justify"),
            "format-justify-fill",
            "format-justify-fill",
            lambda: self._align(Qt.AlignmentFlag.AlignJustify),
            "Ctrl+Shift+J",
            checkable=True,
        )
        for action in (
            self.align_left_action,
            self.align_center_action,
            self.align_right_action,
            self.align_justify_action,
        ):
            self.align_group.addAction(action)
        self.bullet_list_action = self._action(
            "bulletListAction",
            _("&Bulleted List"),
            "format-list-unordered",
            "format-list-unordered",
            lambda: self.toggle_list(ordered=False),
            "Ctrl+Shift+8",
            checkable=True,
        )
        self.number_list_action = self._action(
            "numberListAction",
            _("&Numbered List"),
            "format-list-ordered",
            "format-list-ordered",
            lambda: self.toggle_list(ordered=True),
            "Ctrl+Shift+7",
            checkable=True,
        )
        self.indent_action = self._action(
            "indentAction",
            _("&Indent More"),
            "format-indent-more",
            "format-indent-more",
            lambda: self.change_indent(1),
            "Ctrl+]",
        )
        self.outdent_action = self._action(
            "outdentAction",
            _("Indent &Less"),
            "format-indent-less",
            "format-indent-less",
            lambda: self.change_indent(-1),
            "Ctrl+[",
        )
        self.link_action = self._action(
            "linkAction",
            _("&Link…"),
            "insert-link",
            "insert-link",
            self._on_link_action_triggered,
            "Ctrl+K",
        )
        self.horizontal_rule_action = self._action(
            "horizontalRuleAction",
            _("Horizontal &Rule"),
            "insert-horizontal-rule",
            "insert-horizontal-rule",
            self.insert_horizontal_rule,
        )
        self.insert_image_action = self._action(
            "insertImageAction",
            _("&Image…"),
            "insert-image",
            "insert-image",
            self._on_insert_image_action_triggered,
        )
        self.clear_format_action = self._action(
            "clearFormatAction",
            _("&Clear Formatting"),
            "format-text-clear",
            "format-text-clear",
            self.editor.clear_formatting,
            "Ctrl+\\",
        )
        self.plain_text_action = self._action(
            "plainTextAction",
            _("&Plain Text Only"),
            "format-text-plain",
            "format-text-plain",
            self._on_plain_text_action_triggered,
            checkable=True,
        )
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
        self.text_color_menu = self._swatch_menu(
            "textColorMenu", _("Automatic"), TEXT_COLORS, self._apply_text_color
        )
        self.highlight_menu = self._swatch_menu(
            "highlightMenu", _("No Highlight"), HIGHLIGHT_COLORS, self._apply_highlight
        )
        for action, menu in (
            (self.text_color_action, self.text_color_menu),
            (self.highlight_action, self.highlight_menu),
        ):
            button = self.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setMenu(menu)
                button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        # A page icon alone does not say "plain text"; the words do.
        self.plain_text_action.setIconText(_("Plain text"))
        button = self.widgetForAction(self.plain_text_action)
        if isinstance(button, QToolButton):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)

    def _swatch_menu(
        self,
        name: str,
        none_text: str,
        colors: tuple[tuple[str, str], ...],
        apply: Callable[[QColor | None], None],
    ) -> QMenu:
        menu = QMenu(self)
        menu.setObjectName(name)
        menu.addAction(none_text).triggered.connect(lambda: apply(None))
        menu.addSeparator()
        for label, value in colors:
            pixmap = QPixmap(16, 16)
            pixmap.fill(QColor(value))
            action = menu.addAction(QIcon(pixmap), _(label))
            action.setData(value)
            action.triggered.connect(lambda _checked=False, v=value: apply(QColor(v)))
        return menu

    def _apply_text_color(self, color: QColor | None) -> None:
        if color is None:
            self.editor.clear_char_property(QTextFormat.Property.ForegroundBrush)
            self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.set_text_color(color)

    def _apply_highlight(self, color: QColor | None) -> None:
        if color is None:
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

    def _merge(self, fmt: QTextCharFormat) -> None:
        # No selection: the format applies to what is typed next, like other mail editors.
        self.editor.mergeCurrentCharFormat(fmt)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(bool)
    def _on_bold_action_triggered(self, checked: bool) -> None:
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Bold if checked else QFont.Weight.Normal)
        self._merge(fmt)

    @Slot(bool)
    def _on_italic_action_triggered(self, checked: bool) -> None:
        fmt = QTextCharFormat()
        fmt.setFontItalic(checked)
        self._merge(fmt)

    @Slot(bool)
    def _on_underline_action_triggered(self, checked: bool) -> None:
        fmt = QTextCharFormat()
        fmt.setFontUnderline(checked)
        self._merge(fmt)

    @Slot(bool)
    def _on_strike_action_triggered(self, checked: bool) -> None:
        fmt = QTextCharFormat()
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
        fmt = QTextCharFormat()
        fmt.setForeground(color)
        self._merge(fmt)
        self._paint_color_icons()

    def set_highlight_color(self, color: QColor) -> None:
        """Give the selection (or what is typed next) a background colour."""
        self._highlight_color = QColor(color)
        fmt = QTextCharFormat()
        fmt.setBackground(color)
        self._merge(fmt)
        self._paint_color_icons()

    @Slot(str)
    def _on_font_combo_text_activated(self, family: str) -> None:
        fmt = QTextCharFormat()
        fmt.setFontFamilies([family])
        self._merge(fmt)

    @Slot(str)
    def _on_size_combo_text_activated(self, text: str) -> None:
        try:
            size = float(text)
        except ValueError:
            return
        if size > 0:
            fmt = QTextCharFormat()
            fmt.setFontPointSize(size)
            self._merge(fmt)

    # -- paragraphs --------------------------------------------------------------------------

    def _align(self, alignment: Qt.AlignmentFlag) -> None:
        self.editor.setAlignment(alignment)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        self._on_editor_cursor_position_changed()

    def _selected_blocks(self) -> list[QTextBlock]:
        cursor = self.editor.textCursor()
        doc = self.editor.document()
        block = doc.findBlock(cursor.selectionStart())
        last = doc.findBlock(cursor.selectionEnd())
        blocks = []
        while block.isValid():
            blocks.append(block)
            if block == last:
                break
            block = block.next()
        return blocks

    def toggle_list(self, *, ordered: bool) -> None:
        """Make the selected paragraphs a bulleted/numbered list, or back to paragraphs."""
        cursor = self.editor.textCursor()
        current = list_of(cursor.block())
        cursor.beginEditBlock()
        if current is not None and is_ordered(current.format().style()) == ordered:
            for block in self._selected_blocks():
                text_list = list_of(block)
                if text_list is not None:
                    text_list.remove(block)
                    fmt = block.blockFormat()
                    fmt.setIndent(0)
                    QTextCursor(block).setBlockFormat(fmt)
        elif current is not None:
            for text_list in {
                id(list_of(b)): list_of(b)
                for b in self._selected_blocks()
                if list_of(b) is not None
            }.values():
                fmt = text_list.format()
                fmt.setStyle(list_style(ordered, fmt.indent()))
                text_list.setFormat(fmt)
        else:
            block_fmt = cursor.blockFormat()
            block_fmt.setIndent(0)
            cursor.mergeBlockFormat(block_fmt)
            fmt = QTextListFormat()
            fmt.setIndent(1)
            fmt.setStyle(list_style(ordered, 1))
            cursor.createList(fmt)
        cursor.endEditBlock()
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        self._on_editor_cursor_position_changed()

    def change_indent(self, delta: int) -> None:
        """Nest list items one level deeper/shallower, or indent paragraphs."""
        edit = QTextCursor(self.editor.document())
        edit.beginEditBlock()
        for block in self._selected_blocks():
            self._indent_block(block, delta, edit)
        edit.endEditBlock()
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        self._on_editor_cursor_position_changed()

    @staticmethod
    def _indent_block(block: QTextBlock, delta: int, edit: QTextCursor) -> None:
        edit.setPosition(block.position())
        text_list = list_of(block)
        if text_list is None:
            fmt = block.blockFormat()
            fmt.setIndent(max(0, fmt.indent() + delta))
            edit.setBlockFormat(fmt)
            return
        list_fmt = text_list.format()
        level = list_fmt.indent() + delta
        if level <= 0:
            text_list.remove(block)
            fmt = block.blockFormat()
            fmt.setIndent(0)
            edit.setBlockFormat(fmt)
            return
        # An item can only go one level below the item above it (HTML cannot say more).
        above = list_of(block.previous())
        if delta > 0 and (above is None or above.format().indent() < level - 1):
            return
        # Join the list at that level just above, so items stay one numbered list.
        previous = block.previous()
        while previous.isValid() and list_of(previous) is not None:
            other = list_of(previous)
            if other.format().indent() == level:
                other.add(block)
                return
            if other.format().indent() < level:
                break
            previous = previous.previous()
        new_fmt = QTextListFormat(list_fmt)
        new_fmt.setIndent(level)
        new_fmt.setStyle(list_style(is_ordered(list_fmt.style()), level))
        edit.createList(new_fmt)

    def insert_horizontal_rule(self) -> None:
        """Insert a horizontal line as its own paragraph and continue below it."""
        cursor = self.editor.textCursor()
        cursor.beginEditBlock()
        cursor.clearSelection()
        if cursor.block().length() > 1:
            cursor.insertBlock(QTextBlockFormat(), cursor.charFormat())
        rule = QTextBlockFormat()
        rule.setProperty(
            QTextFormat.Property.BlockTrailingHorizontalRulerWidth,
            QTextLength(QTextLength.Type.PercentageLength, 100),
        )
        cursor.setBlockFormat(rule)
        if cursor.block().next().isValid():
            cursor.movePosition(QTextCursor.MoveOperation.NextBlock)
        else:
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        cursor.endEditBlock()
        self.editor.setTextCursor(cursor)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- links, images, plain text -----------------------------------------------------------

    def ask_link(self, text: str, url: str) -> tuple[str, str] | None:
        """Show the link dialog; ``(text, url)`` or None when cancelled (tests replace this)."""
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

    @Slot(QTextCharFormat)
    def _on_editor_current_char_format_changed(self, fmt: QTextCharFormat) -> None:
        weight = fmt.fontWeight()
        weight = int(getattr(weight, "value", weight))
        self.bold_action.setChecked(weight >= int(QFont.Weight.DemiBold.value))
        self.italic_action.setChecked(fmt.fontItalic())
        self.underline_action.setChecked(fmt.fontUnderline() and not fmt.isAnchor())
        self.strike_action.setChecked(fmt.fontStrikeOut())
        default = self.editor.document().defaultFont()
        families = font_families(fmt)
        family = families[0] if families else default.family()
        size = fmt.fontPointSize() or default.pointSizeF()
        # textActivated (user choice only) drives formatting, so setting these is silent.
        self.font_combo.setCurrentFont(QFont(family))
        self.size_combo.setCurrentText(f"{size:g}")

    @Slot()
    def _on_editor_cursor_position_changed(self) -> None:
        alignment = self.editor.alignment()
        if alignment & Qt.AlignmentFlag.AlignHCenter:
            self.align_center_action.setChecked(True)
        elif alignment & Qt.AlignmentFlag.AlignRight:
            self.align_right_action.setChecked(True)
        elif alignment & Qt.AlignmentFlag.AlignJustify:
            self.align_justify_action.setChecked(True)
        else:
            self.align_left_action.setChecked(True)
        text_list = list_of(self.editor.textCursor().block())
        ordered = text_list is not None and is_ordered(text_list.format().style())
        self.bullet_list_action.setChecked(text_list is not None and not ordered)
        self.number_list_action.setChecked(ordered)

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
        for action, stem, color in (
            (self.text_color_action, "format-text-color", self._text_color),
            (self.highlight_action, "format-text-highlight", self._highlight_color),
        ):
            base = QIcon(str(icons_dir() / f"{stem}.svg"))
            result = QIcon()
            for extent in (16, 20, 24, 32):
                pixmap = base.pixmap(extent, extent)
                if pixmap.isNull():
                    pixmap = QPixmap(extent, extent)
                    pixmap.fill(Qt.GlobalColor.transparent)
                bar = max(3, extent // 6)
                # A filled pixmap drawn, not fillRect: fillRect's overloads make shiboken
                # build QGradient and its 169 presets (~4 ms of start-up).
                strip = QPixmap(extent - 2 * (extent // 12), bar)
                strip.fill(color)
                painter = QPainter(pixmap)
                painter.drawPixmap(extent // 12, extent - bar, strip)
                painter.end()
                result.addPixmap(pixmap)
            action.setIcon(result)
