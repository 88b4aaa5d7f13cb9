"""The status area: the banner above the body (typed notices) and the status bar's parts."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMainWindow, QProgressBar, QToolButton

from mailcomposer.i18n import _
from mailcomposer.message.draft import Priority
from mailcomposer.ui.attachments import human_size
from mailcomposer.ui.tints import NoticeTint

STATUS_TIMEOUT_MS = 8000

# The links a notice can carry (the window decides what each one opens).
LINK_LOG = "log"
LINK_OUTBOX = "outbox"
LINK_KEPT_DRAFT = "kept-draft"


def escape(text: str) -> str:
    """``text`` as rich text: markup characters escaped, line breaks kept."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")
    )


class Banner(QFrame):
    """A message strip above the body (errors, cancel notes) that never blocks anything.

    Attributes:
        kind: the kind of the notice shown last (``error``, ``warning`` or ``info``).
        label: the label showing the notice.

    Signals:
        link_activated: a link in the text was clicked (carries its href).
    """

    # Tinted from the palette (light or dark), re-applied when the palette changes.
    STYLE = (
        "#sendBanner { {css} border-radius: 4px; }"
        " #sendBanner QLabel { color: {text}; background: transparent; border: none; }"
    )

    link_activated = Signal(str)

    def __init__(self, parent: QFrame | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sendBanner")
        self.kind = ""
        self.label = QLabel(self)
        self.label.setObjectName("sendBannerText")
        self.label.setWordWrap(True)
        # Links by keyboard too: Tab reaches them (only while a notice is shown), Enter
        # follows one; the menus offer the same, but the banner is where one looks.
        self.label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.label.linkActivated.connect(self.link_activated)
        self.tint = NoticeTint(self, "info", self.STYLE, lazy=True)  # set when first shown
        close = QToolButton(self)
        close.setText("×")
        close.setAutoRaise(True)
        close.setToolTip(_("Hide this message"))
        close.setAccessibleName(_("Hide this message"))  # not "×"
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_message(self, kind: str, html: str) -> None:
        """Show rich text ``html`` as a notice of ``kind``."""
        self.kind = kind
        self.tint.set_kind(kind)
        self.label.setText(html)
        self.show()

    def show_text(self, kind: str, text: str) -> None:
        """Show plain ``text`` (escaped, line breaks kept)."""
        self.show_message(kind, escape(text))

    def show_notice(self, kind: str, text: str, link: str, link_text: str) -> None:
        """Show plain ``text`` followed by a link to ``link`` labelled ``link_text``."""
        self.show_message(kind, f'{escape(text)} <a href="{link}">{escape(link_text)}</a>')

    def text(self) -> str:
        return self.label.text()


class StatusArea(QObject):
    """The banner and the status bar of the composer: messages, send progress, markers.

    Attributes:
        banner: the ``Banner`` (placed above the body by the window).
        progress_bar: the send progress (``sendProgress``).
        priority_label: the priority marker (``priorityLabel``).
        server_label: where the selected identity sends to (``serverLabel``).
    """

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._bar = window.statusBar()
        self.banner = Banner()
        self._phase = ""  # what the send does, for the progress bar
        self._pause = ""  # the command a stepped send waits before, said instead
        self.progress_bar = QProgressBar(window)
        self.progress_bar.setObjectName("sendProgress")
        self.progress_bar.setMaximumWidth(260)
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(0)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.hide()
        self._bar.addPermanentWidget(self.progress_bar)
        self.priority_label = QLabel(window)
        self.priority_label.setObjectName("priorityLabel")
        self.priority_label.hide()
        self._priority_tint = NoticeTint(self.priority_label, "error", "", lazy=True)
        self._bar.addPermanentWidget(self.priority_label)
        self.server_label = QLabel(window)
        self.server_label.setObjectName("serverLabel")
        # A panel of its own: a long message is cut where it begins, and must not read
        # as running on into it ("… (550 5.1.本地测试服务器").
        self.server_label.setFrameShape(QLabel.Shape.StyledPanel)
        self.server_label.setContentsMargins(4, 0, 4, 0)
        self._bar.addPermanentWidget(self.server_label)

    def say(self, text: str, timeout_ms: int = STATUS_TIMEOUT_MS) -> None:
        """Show ``text`` in the status bar (``timeout_ms`` 0: until the next message)."""
        self._bar.showMessage(text, timeout_ms)

    def show_error(self, text: str) -> None:
        """Show plain ``text`` as an error notice in the banner."""
        self.banner.show_text("error", text)

    def set_sending(self, sending: bool) -> None:
        """Show the progress bar (at "Connecting…") while a send runs."""
        self.progress_bar.setVisible(sending)
        self._pause = ""
        if sending:
            self.progress_bar.setValue(0)
            self.show_phase(_("Connecting…"))

    def show_phase(self, text: str) -> None:
        """Say on the progress bar what the send is doing (unless it is paused)."""
        self._phase = text
        self.progress_bar.setFormat(self._pause or text)

    def show_pause(self, text: str) -> None:
        """While ``text`` is set, the progress bar says it (a stepped send waits); "": goes on.

        What the send reports meanwhile (progress that arrives late) is kept for after.
        """
        self._pause = text
        self.progress_bar.setFormat(text or self._phase)

    def show_progress(self, sent: int, total: int) -> None:
        """Show ``sent`` of ``total`` bytes uploaded."""
        if total <= 0:
            return
        self.progress_bar.setValue(min(1000, sent * 1000 // total))
        self.show_phase(
            _("{sent} of {total}").format(sent=human_size(sent), total=human_size(total))
        )

    def show_priority(self, priority: Priority) -> None:
        """Mark a high or low priority message (normal shows nothing)."""
        text = {
            Priority.HIGH: _("High priority"),
            Priority.LOW: _("Low priority"),
        }.get(priority, "")
        self.priority_label.setText(text)
        # Red and bold for high, as mail clients mark it; the words carry it without colour.
        self._priority_tint.set_kind(
            "error",
            "QLabel { color: {error}; font-weight: bold; margin-right: 12px; }"
            if priority == Priority.HIGH
            else "QLabel { margin-right: 12px; }",
        )
        self.priority_label.setVisible(bool(text))

    def show_server(self, text: str) -> None:
        """Say where the message will go."""
        self.server_label.setText(text)

    def server_text(self) -> str:
        return self.server_label.text()
