"""Turn the editor's QTextDocument into small, inline-styled e-mail HTML and plain text."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QBrush,
    QFont,
    QGuiApplication,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
    QTextFormat,
    QTextFrame,
    QTextList,
    QTextListFormat,
    QTextTable,
)

from mailcomposer.ui.textblocks import (
    LINE_SEPARATOR,
    LINK_COLOR,
    font_families,
    fragments,
    is_ordered,
    link_of,
    list_of,
)

OBJECT_REPLACEMENT = "\ufffc"
PARAGRAPH_SEPARATOR = "\u2029"
NBSP = "\u00a0"
HR_TEXT = "-" * 40
_PLAIN_SPACES = frozenset((" ", "\t", "\n", LINE_SEPARATOR, PARAGRAPH_SEPARATOR, NBSP))


_BULLET_STYLES = {
    QTextListFormat.Style.ListDisc: "disc",
    QTextListFormat.Style.ListCircle: "circle",
    QTextListFormat.Style.ListSquare: "square",
}
_ORDERED_TYPES = {
    QTextListFormat.Style.ListDecimal: None,
    QTextListFormat.Style.ListLowerAlpha: "a",
    QTextListFormat.Style.ListUpperAlpha: "A",
    QTextListFormat.Style.ListLowerRoman: "i",
    QTextListFormat.Style.ListUpperRoman: "I",
}
# What Qt's HTML import reads back as the same size adjustment (<font size>, <big>, CSS).
_SIZE_KEYWORDS = {-1: "small", 1: "large", 2: "x-large", 3: "xx-large"}
# The scale Qt gives each adjustment from -2 to 4 (QTextFormat::font()).
_SIZE_SCALES = {-2: 0.7, -1: 0.8, 0: 1.0, 1: 1.2, 2: 1.5, 3: 2.0, 4: 2.4}
# The adjustment Qt gives the text of each heading level (the <hN> tag says it again).
_HEADING_ADJUSTMENTS = {1: 3, 2: 2, 3: 1, 4: 0, 5: -1, 6: -2}
_ALIGN = {
    Qt.AlignmentFlag.AlignRight: "right",
    Qt.AlignmentFlag.AlignHCenter: "center",
    Qt.AlignmentFlag.AlignJustify: "justify",
}


def current_frame(it: QTextFrame.iterator) -> QTextFrame | None:
    """The child frame at ``it``, or None when it is at a block."""
    if it.currentBlock().isValid():
        return None
    return it.currentFrame()


def is_horizontal_rule(block: QTextBlock) -> bool:
    """True when ``block`` is the empty block Qt uses to draw an ``<hr>``."""
    return block.blockFormat().hasProperty(QTextFormat.Property.BlockTrailingHorizontalRulerWidth)


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _brush_color(brush: QBrush) -> str | None:
    if brush.style() == Qt.BrushStyle.NoBrush:
        return None
    return brush.color().name()


def _font_family_css(family: str) -> str:
    if family.replace("-", "").replace("_", "").isalnum() and not family[0].isdigit():
        return family
    return "'" + family.replace("\\", "").replace("'", "") + "'"


def _weight(fmt: QTextCharFormat) -> int:
    weight = fmt.fontWeight()
    return int(getattr(weight, "value", weight))


def _is_bold(fmt: QTextCharFormat) -> bool:
    return _weight(fmt) >= int(QFont.Weight.DemiBold.value)


def _link_colors() -> set[str]:
    colors = {LINK_COLOR}
    if QGuiApplication.instance() is not None:
        colors.add(QGuiApplication.palette().link().color().name())
    return colors


@dataclass
class _Open:
    """A list being written: its QTextList, indent, tag and whether an ``<li>`` is open."""

    text_list: QTextList
    indent: int
    tag: str
    li_open: bool = False


@dataclass
class _HtmlWriter:
    doc: QTextDocument
    out: list[str] = field(default_factory=list)
    lists: list[_Open] = field(default_factory=list)

    def __post_init__(self) -> None:
        font = self.doc.defaultFont()
        self.default_family = font.family()
        self.default_size = font.pointSizeF()
        self.default_bold = font.bold()
        self.default_italic = font.italic()
        self.link_colors = _link_colors()
        # Text in the editor's default colour is written without a colour, so it reads well
        # in the recipient's theme too (dark mode included).
        self.default_color = (
            QGuiApplication.palette().text().color().name()
            if QGuiApplication.instance() is not None
            else "#000000"
        )

    # -- structure ---------------------------------------------------------------------------

    def frame(self, frame: QTextFrame) -> None:
        it = frame.begin()
        after_frame = False
        while not it.atEnd():
            child = current_frame(it)
            block = it.currentBlock()
            if child is not None:
                self.close_lists(0)
                if isinstance(child, QTextTable):
                    self.table(child)
                else:
                    self.frame(child)
                after_frame = True
            elif block.isValid():
                # Qt always puts an empty block after a table; it is not the user's line.
                if not (after_frame and block.length() <= 1 and list_of(block) is None):
                    self.block(block)
                after_frame = False
            it += 1
        self.close_lists(0)

    def table(self, table: QTextTable) -> None:
        fmt = table.format()
        border = fmt.border()
        style = "border-collapse:collapse"
        self.out.append(f'<table cellpadding="4" style="{style}">')
        # Inline borders and padding: mail clients drop cellpadding and <style> blocks.
        edge = f"border:{border:g}px solid #888;" if border > 0 else ""
        cell_style = f' style="{edge}padding:4px;vertical-align:top"'
        for row in range(table.rows()):
            tag = "th" if row < fmt.headerRowCount() else "td"
            self.out.append("<tr>")
            for col in range(table.columns()):
                cell = table.cellAt(row, col)
                if cell.row() != row or cell.column() != col:
                    continue  # covered by a span
                spans = ""
                if cell.rowSpan() > 1:
                    spans += f' rowspan="{cell.rowSpan()}"'
                if cell.columnSpan() > 1:
                    spans += f' colspan="{cell.columnSpan()}"'
                self.out.append(f"<{tag}{spans}{cell_style}>")
                it = cell.begin()
                while not it.atEnd():
                    block = it.currentBlock()
                    if block.isValid():
                        self.block(block)
                    it += 1
                self.close_lists(0)
                self.out.append(f"</{tag}>")
            self.out.append("</tr>")
        self.out.append("</table>")

    def close_lists(self, keep: int) -> None:
        while len(self.lists) > keep:
            top = self.lists.pop()
            if top.li_open:
                # On the same line: Qt's importer turns the newline into a trailing space.
                self.out[-1] += "</li>"
            self.out.append(f"</{top.tag}>")

    def open_list(self, text_list: QTextList) -> None:
        fmt = text_list.format()
        style = fmt.style()
        indent = fmt.indent()
        if is_ordered(style):
            tag = "ol"
            attrs = ""
            kind = _ORDERED_TYPES.get(style)
            if kind:
                attrs += f' type="{kind}"'
            start = fmt.start() if hasattr(fmt, "start") else 1
            if start != 1:
                attrs += f' start="{start}"'
        else:
            tag = "ul"
            bullet = _BULLET_STYLES.get(style, "disc")
            attrs = f' style="list-style-type:{bullet}"' if bullet != "disc" else ""
        if self.lists and self.lists[-1].li_open:
            self.out[-1] += f"<{tag}{attrs}>"  # nested inside the open item
        else:
            self.out.append(f"<{tag}{attrs}>")
        self.lists.append(_Open(text_list, indent, tag))

    def block(self, block: QTextBlock) -> None:
        text_list = list_of(block)
        if text_list is None:
            self.close_lists(0)
            self.plain_block(block)
            return
        indent = text_list.format().indent()
        # Close deeper lists and other lists at the same depth.
        while self.lists and (
            self.lists[-1].indent > indent
            or (self.lists[-1].indent == indent and self.lists[-1].text_list != text_list)
        ):
            self.close_lists(len(self.lists) - 1)
        if self.lists and self.lists[-1].text_list == text_list:
            if self.lists[-1].li_open:
                self.out[-1] += "</li>"
        else:
            self.open_list(text_list)
        style = self.block_style(block, with_indent=False)
        self.out.append(f"<li{style}>{self.inline(block) or '<br>'}")
        self.lists[-1].li_open = True

    def block_style(self, block: QTextBlock, *, with_indent: bool = True) -> str:
        fmt = block.blockFormat()
        parts = []
        align = fmt.alignment() & Qt.AlignmentFlag.AlignHorizontal_Mask
        for flag, name in _ALIGN.items():
            if align & flag:
                parts.append(f"text-align:{name}")
                break
        margin = round(fmt.indent() * self.doc.indentWidth() + fmt.leftMargin())
        if with_indent and margin > 0:
            parts.append(f"margin-left:{margin}px")
        background = _brush_color(fmt.background())
        if background:
            parts.append(f"background-color:{background}")
        return f' style="{";".join(parts)}"' if parts else ""

    def plain_block(self, block: QTextBlock) -> None:
        if is_horizontal_rule(block) and block.length() <= 1:
            self.out.append("<hr>")
            return
        fmt = block.blockFormat()
        level = fmt.headingLevel()
        if 1 <= level <= 6:
            tag = f"h{level}"
        elif fmt.topMargin() > 0 or fmt.bottomMargin() > 0:
            tag = "p"
        else:
            tag = "div"
        content = self.inline(block) or "<br>"
        self.out.append(f"<{tag}{self.block_style(block)}>{content}</{tag}>")
        if is_horizontal_rule(block):
            self.out.append("<hr>")

    # -- inline ------------------------------------------------------------------------------

    def inline(self, block: QTextBlock) -> str:
        heading = _HEADING_ADJUSTMENTS.get(block.blockFormat().headingLevel())
        parts: list[str] = []
        href: str | None = None
        prev_space = True  # a leading space must survive HTML whitespace collapsing
        # Neighbouring fragments that differ only in properties we do not write share
        # one set of tags (smaller HTML, and the same HTML again after a re-import).
        wrapper: tuple[str, str] | None = None
        pending: list[str] = []

        def flush() -> None:
            if wrapper is not None and pending:
                parts.append(wrapper[0] + "".join(pending) + wrapper[1])
            pending.clear()

        for fragment in fragments(block):
            fmt = fragment.charFormat()
            link = link_of(fmt)
            if link != href:
                flush()
                wrapper = None
                if href is not None:
                    parts.append("</a>")
                if link is not None:
                    parts.append(f'<a href="{_attr(link)}">')
                href = link
            if fmt.isImageFormat():
                flush()
                wrapper = None
                parts.append(self.image(fragment.text(), fmt))
                prev_space = False
                continue
            text, prev_space = _escape_text(fragment.text(), prev_space)
            if not text:
                continue
            tags = self.tags(fmt, in_link=link is not None, heading=heading)
            if tags != wrapper:
                flush()
                wrapper = tags
            pending.append(text)
        flush()
        if href is not None:
            parts.append("</a>")
        result = "".join(parts)
        # Browsers ignore a <br> that ends a block, so a line break typed at the end of a
        # paragraph needs a second one to show (the editor drops the extra one on import).
        if result.endswith("<br>"):
            result += "<br>"
        return result

    def image(self, text: str, fmt: QTextCharFormat) -> str:
        image = fmt.toImageFormat()
        attrs = f'src="{_attr(image.name())}"'
        if image.width() > 0:
            attrs += f' width="{round(image.width())}"'
        if image.height() > 0:
            attrs += f' height="{round(image.height())}"'
        tag = f'<img {attrs} alt="">'
        return tag * max(1, text.count(OBJECT_REPLACEMENT))

    def tags(
        self, fmt: QTextCharFormat, *, in_link: bool, heading: int | None = None
    ) -> tuple[str, str]:
        """The opening and closing tags that give text the look of ``fmt``.

        ``heading`` is the size adjustment the block's ``<hN>`` already gives (None
        outside a heading).
        """
        wraps: list[tuple[str, str]] = []  # innermost first
        css = []
        color = _brush_color(fmt.foreground())
        if color == self.default_color and not in_link:
            color = None
        if color and not (in_link and color in self.link_colors):
            css.append(f"color:{color}")
        background = _brush_color(fmt.background())
        if background:
            css.append(f"background-color:{background}")
        families = font_families(fmt)
        if families and families[0] != self.default_family:
            css.append("font-family:" + ",".join(_font_family_css(f) for f in families))
        size = self.font_size(fmt, heading)
        if size:
            css.append(f"font-size:{size}")
        if css:
            wraps.append((f'<span style="{";".join(css)}">', "</span>"))
        if fmt.fontStrikeOut():
            wraps.append(("<s>", "</s>"))
        underline = fmt.fontUnderline() or (
            fmt.underlineStyle() != QTextCharFormat.UnderlineStyle.NoUnderline
        )
        if underline and not in_link:
            wraps.append(("<u>", "</u>"))
        if fmt.fontItalic() and not self.default_italic:
            wraps.append(("<i>", "</i>"))
        if fmt.hasProperty(QTextFormat.Property.FontWeight):
            if _is_bold(fmt) and not self.default_bold:
                wraps.append(("<b>", "</b>"))
            elif not _is_bold(fmt) and self.default_bold:
                wraps.append(('<span style="font-weight:normal">', "</span>"))
        valign = fmt.verticalAlignment()
        if valign == QTextCharFormat.VerticalAlignment.AlignSuperScript:
            wraps.append(("<sup>", "</sup>"))
        elif valign == QTextCharFormat.VerticalAlignment.AlignSubScript:
            wraps.append(("<sub>", "</sub>"))
        opening = "".join(o for o, _c in reversed(wraps))
        closing = "".join(c for _o, c in wraps)
        return opening, closing

    def font_size(self, fmt: QTextCharFormat, heading: int | None) -> str | None:
        """The CSS size of ``fmt`` when it differs from the body's, or None.

        Pasted text carries sizes in pixels (browsers) or as an adjustment (``<font
        size>``, ``<big>``, ``x-large``); the editor shows them, so the message keeps them.
        """
        points = fmt.fontPointSize()
        if points > 0:
            return f"{points:g}pt" if abs(points - self.default_size) > 0.01 else None
        pixels = fmt.property(QTextFormat.Property.FontPixelSize)
        if isinstance(pixels, int) and pixels > 0:
            return f"{pixels}px"
        adjustment = fmt.property(QTextFormat.Property.FontSizeAdjustment)
        if not isinstance(adjustment, int) or adjustment == (heading or 0):
            return None
        if adjustment in _SIZE_KEYWORDS:
            return _SIZE_KEYWORDS[adjustment]
        scale = _SIZE_SCALES[max(-2, min(4, adjustment))]
        return f"{self.default_size * scale:g}pt"


def _escape_text(text: str, prev_space: bool) -> tuple[str, bool]:
    """Escape ``text`` for HTML, keeping runs of spaces, tabs and line breaks visible."""
    out: list[str] = []
    other_spaces: list[str] = []

    def flush() -> None:
        # Qt's importer collapses every Unicode space (U+3000 indents of Chinese text
        # included) unless told otherwise; browsers keep them either way.
        if other_spaces:
            out.append(f'<span style="white-space:pre-wrap">{"".join(other_spaces)}</span>')
            other_spaces.clear()

    for char in text:
        if char.isspace() and char not in _PLAIN_SPACES:
            other_spaces.append(char)
            prev_space = False
            continue
        flush()
        if char == " ":
            out.append("&nbsp;" if prev_space else " ")
            prev_space = True
            continue
        if char == "\t":
            # As Gmail writes it; Qt reads it back as a tab too.
            out.append('<span style="white-space:pre">\t</span>')
        elif char in (LINE_SEPARATOR, "\n", PARAGRAPH_SEPARATOR):
            out.append("<br>")
            prev_space = True
            continue
        elif char == NBSP:
            out.append("&nbsp;")
        elif char == OBJECT_REPLACEMENT:
            continue
        else:
            out.append(html.escape(char, quote=False))
        prev_space = False
    flush()
    return "".join(out), prev_space


def document_to_email_html(doc: QTextDocument) -> str:
    """Return ``doc`` as a small, self-contained HTML e-mail body.

    Styles are inline (mail clients drop ``<style>`` blocks), there are no Qt-only
    ``-qt-`` properties, and fonts, sizes and colours are written only where they differ
    from the document's default, so the recipient's own default font is used otherwise.
    Images are ``<img src="NAME">`` with the document resource name; the message
    builder maps each name to a ``cid:``.

    Args:
        doc: the editor's document.

    Returns:
        A complete HTML document (``<html>…</html>``) as a string.
    """
    writer = _HtmlWriter(doc)
    writer.frame(doc.rootFrame())
    # No whitespace before </body>: Qt's importer would append it to the last line.
    body = "\n".join(writer.out)
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head>\n<body>\n{body}</body></html>'
    )


def _plain_inline(block: QTextBlock) -> str:
    parts: list[str] = []
    link_text: list[str] = []
    href: str | None = None

    def flush_link() -> None:
        text = "".join(link_text)
        parts.append(text)
        target = href or ""
        bare = target.removeprefix("mailto:")
        if target and text.strip() not in (target, bare):
            parts.append(f" <{target}>")
        link_text.clear()

    for fragment in fragments(block):
        fmt = fragment.charFormat()
        text = "" if fmt.isImageFormat() else fragment.text()
        link = link_of(fmt)
        if link != href:
            if href is not None:
                flush_link()
            href = link
        (link_text if href is not None else parts).append(text)
    if href is not None:
        flush_link()
    text = "".join(parts).replace(OBJECT_REPLACEMENT, "")
    return text.replace(LINE_SEPARATOR, "\n").replace(PARAGRAPH_SEPARATOR, "\n").replace(NBSP, " ")


def _plain_blocks(frame: QTextFrame, lines: list[str]) -> None:
    it = frame.begin()
    after_frame = False
    while not it.atEnd():
        child = current_frame(it)
        block = it.currentBlock()
        if isinstance(child, QTextTable):
            for row in range(child.rows()):
                cells = []
                for col in range(child.columns()):
                    cell = child.cellAt(row, col)
                    if cell.row() != row or cell.column() != col:
                        continue
                    texts = []
                    cit = cell.begin()
                    while not cit.atEnd():
                        if cit.currentBlock().isValid():
                            texts.append(_plain_inline(cit.currentBlock()))
                        cit += 1
                    cells.append(" ".join(t for t in texts if t))
                lines.append(" | ".join(cells).rstrip())
            after_frame = True
        elif child is not None:
            _plain_blocks(child, lines)
            after_frame = True
        elif block.isValid():
            if not (after_frame and block.length() <= 1 and list_of(block) is None):
                lines.append(_plain_block(block))
            after_frame = False
        it += 1


def _plain_block(block: QTextBlock) -> str:
    text = _plain_inline(block)
    text_list = list_of(block)
    if text_list is not None:
        fmt = text_list.format()
        pad = "  " * max(0, fmt.indent() - 1)
        if is_ordered(fmt.style()):
            marker = text_list.itemText(block) or f"{text_list.itemNumber(block) + 1}."
        else:
            marker = "-"
        return f"{pad}{marker} {text}".replace("\n", "\n" + pad + " " * (len(marker) + 1))
    if is_horizontal_rule(block) and not text:
        return HR_TEXT
    indent = block.blockFormat().indent()
    if indent > 0:
        pad = "    " * indent
        text = pad + text.replace("\n", "\n" + pad)
    if is_horizontal_rule(block):
        text += "\n" + HR_TEXT
    return text


def document_to_plain_text(doc: QTextDocument) -> str:
    """Return the text/plain alternative of ``doc``.

    Unlike ``toPlainText()`` there is no U+FFFC where images were; list items get
    ``- `` or ``1. `` markers, links read ``text <url>``, a horizontal rule is a line of
    dashes and table cells are separated by " | ".
    """
    lines: list[str] = []
    _plain_blocks(doc.rootFrame(), lines)
    return "\n".join(lines)
