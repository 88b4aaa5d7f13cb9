"""The lessons window: guided exercises with the local server, questions checked on the spot."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mailcomposer.i18n import _
from mailcomposer.lessons.catalog import all_lessons
from mailcomposer.lessons.model import Feedback, Lesson, Question, check, is_answered
from mailcomposer.lessons.progress import Progress
from mailcomposer.sandbox.labfile import save_lab_config
from mailcomposer.sandbox.options import summary_lines
from mailcomposer.ui.tints import accent_text

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


class QuestionBox(QGroupBox):
    """One question: its answer widgets, a Check button and the feedback.

    Attributes:
        question: the question shown.
        choices: the radio buttons of a multiple-choice question, by choice index (they
            are laid out in the question's ``display_order``; empty otherwise).
        answer_edit: the line edit of a typed question (None otherwise).
        check_button: ``checkButton``.
        feedback_label: ``feedbackLabel``: right or wrong, and why.

    Signals:
        answered: an answer was checked (carries the question key and whether it was right);
            Check with nothing chosen or typed shows the answer but is not an answer, so
            it does not take away a question answered right before.
    """

    answered = Signal(str, bool)

    def __init__(self, number: int, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"question_{question.key}")
        self.question = question
        self._shown: tuple[bool, str, str] | None = None
        layout = QVBoxLayout(self)
        prompt = QLabel(f"{number}. {question.prompt}", self)
        prompt.setWordWrap(True)
        prompt.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(prompt)
        self.choices: list[QRadioButton] = []
        self.answer_edit: QLineEdit | None = None
        self._group = QButtonGroup(self)
        if question.is_choice:
            buttons: dict[int, QRadioButton] = {}
            for index in question.display_order:  # created in the order shown: Tab follows it
                button = QRadioButton(question.choices[index], self)
                self._group.addButton(button, index)
                buttons[index] = button
                layout.addWidget(button)
            self.choices = [buttons[index] for index in range(len(question.choices))]
        else:
            self.answer_edit = QLineEdit(self)
            self.answer_edit.setObjectName("answerEdit")
            self.answer_edit.setPlaceholderText(_("Type your answer"))
            prompt.setBuddy(self.answer_edit)
            self.answer_edit.setMaximumWidth(360)
            self.answer_edit.returnPressed.connect(self.check_answer)
            layout.addWidget(self.answer_edit)
        self.check_button = QPushButton(_("Check"), self)
        self.check_button.setObjectName("checkButton")
        self.check_button.setAutoDefault(False)
        self.check_button.clicked.connect(self.check_answer)
        row = QHBoxLayout()
        row.addWidget(self.check_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.feedback_label = QLabel(self)
        self.feedback_label.setObjectName("feedbackLabel")
        self.feedback_label.setWordWrap(True)
        self.feedback_label.setTextFormat(Qt.TextFormat.RichText)
        self.feedback_label.setOpenExternalLinks(True)
        self.feedback_label.hide()
        layout.addWidget(self.feedback_label)

    def answer(self) -> int | str | None:
        """The chosen option's index, the typed text, or None when nothing is chosen."""
        if self.answer_edit is not None:
            return self.answer_edit.text()
        index = self._group.checkedId()
        return index if index >= 0 else None

    def set_answer(self, answer: int | str) -> None:
        """Choose option ``answer`` or type it (for tests and for replaying)."""
        if self.answer_edit is not None:
            self.answer_edit.setText(str(answer))
        else:
            self.choices[int(answer)].setChecked(True)

    @Slot()
    def check_answer(self) -> Feedback:
        """Check the answer, show the feedback and emit ``answered``."""
        answer = self.answer()
        feedback = check(self.question, answer)
        self.show_feedback(feedback)
        if is_answered(answer):
            self.answered.emit(self.question.key, feedback.correct)
        return feedback

    def show_feedback(self, feedback: Feedback) -> None:
        """Show whether ``feedback`` is right, why, and where to read more."""
        links = ", ".join(
            f'<a href="{html.escape(r.url)}">{html.escape(r.label)}</a>' for r in feedback.refs
        )
        more = "<br>" + html.escape(_("Read more:")) + " " + links if links else ""
        self._shown = (feedback.correct, feedback.text, more)
        self._render_feedback()
        self.feedback_label.show()

    def show_solved_before(self) -> None:
        """Say the question was answered right in an earlier session."""
        self._shown = (True, _("Answered right before."), "")
        self._render_feedback()
        self.feedback_label.show()

    def _render_feedback(self) -> None:
        # Right in green, wrong in red, both readable on the palette (light or dark).
        if self._shown is None:
            return
        correct, text, more = self._shown
        colour = accent_text(self.palette(), "info" if correct else "error").name()
        mark = "✓" if correct else "✗"
        span = f'<span style="color:{colour}">{mark} {html.escape(text)}</span>'
        self.feedback_label.setText(span + more)

    def changeEvent(self, event: QEvent) -> None:
        """Re-colour the feedback when the palette changes."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._render_feedback()


class LessonsDialog(QDialog):
    """Lists the lessons (``lessonsDialog``); shows one with its setup and questions.

    Attributes:
        home: the home folder (the local server's config and the progress are kept there).
        progress: which questions were answered right.
        lesson_list: ``lessonList``, one row per lesson.
        setup_button: ``setupLessonButton``: apply the lesson's server config.
        question_boxes: the current lesson's :class:`QuestionBox` widgets, by key.

    Signals:
        config_changed: a lesson's server config was saved (carries the ``SandboxConfig``);
            the same signal as the local server panel's.
    """

    config_changed = Signal(object)

    def __init__(self, home, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lessonsDialog")
        self.setWindowTitle(_("Lessons"))
        self.resize(940, 640)
        self.home = home
        self.progress = Progress.load(home)
        self.lessons = {lesson.key: lesson for lesson in all_lessons()}
        self.current: Lesson | None = None
        self.question_boxes: dict[str, QuestionBox] = {}

        self.lesson_list = QListWidget(self)
        self.lesson_list.setObjectName("lessonList")
        self.lesson_list.setAccessibleName(_("Lessons"))
        self.lesson_list.setWordWrap(True)
        self.lesson_list.setSpacing(3)
        self.lesson_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for lesson in self.lessons.values():
            item = QListWidgetItem()
            item.setData(KEY_ROLE, lesson.key)
            self.lesson_list.addItem(item)
            self._label_item(item)
        self.lesson_list.currentItemChanged.connect(self._on_lesson_list_current_item_changed)

        self.title_label = QLabel(self)
        self.title_label.setObjectName("lessonTitle")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title_label.setFont(font)
        self.text_label = QLabel(self)
        self.text_label.setObjectName("lessonText")
        self.text_label.setWordWrap(True)
        self.text_label.setTextFormat(Qt.TextFormat.RichText)
        self.steps_label = QLabel(self)
        self.steps_label.setObjectName("lessonSteps")
        self.steps_label.setWordWrap(True)
        self.steps_label.setTextFormat(Qt.TextFormat.RichText)
        self.setup_button = QPushButton(_("Set up the local server for this lesson"), self)
        self.setup_button.setObjectName("setupLessonButton")
        self.setup_button.setAutoDefault(False)
        self.setup_button.clicked.connect(self.set_up_server)
        self.setup_status = QLabel(self)
        self.setup_status.setObjectName("setupStatus")
        self.setup_status.setWordWrap(True)
        setup_row = QHBoxLayout()
        setup_row.addWidget(self.setup_button)
        setup_row.addWidget(self.setup_status, 1)
        self.questions_area = QWidget(self)
        self.questions_layout = QVBoxLayout(self.questions_area)
        self.questions_layout.setContentsMargins(0, 0, 0, 0)

        page = QWidget(self)
        page_layout = QVBoxLayout(page)
        page_layout.addWidget(self.title_label)
        page_layout.addWidget(self.text_label)
        page_layout.addLayout(setup_row)
        page_layout.addWidget(self.steps_label)
        page_layout.addWidget(self.questions_area)
        page_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setAccessibleName(_("Lesson"))  # it takes the focus to scroll
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.lesson_list)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([240, 700])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        layout.addWidget(buttons)

        start = self.progress.current if self.progress.current in self.lessons else None
        self.select_lesson(start or next(iter(self.lessons)))

    def select_lesson(self, key: str) -> None:
        """Show the lesson ``key``."""
        for row in range(self.lesson_list.count()):
            if self.lesson_list.item(row).data(KEY_ROLE) == key:
                self.lesson_list.setCurrentRow(row)
                return
        raise KeyError(key)

    @Slot()
    def set_up_server(self) -> None:
        """Save the current lesson's server config and emit ``config_changed``."""
        if self.current is None:
            return
        config = self.current.config
        save_lab_config(self.home, config)
        self.config_changed.emit(config)
        self.setup_status.setText(
            _("Done: the local server uses this setup from its next connection.")
        )

    def _show(self, lesson: Lesson) -> None:
        self.current = lesson
        self.title_label.setText(lesson.title)
        steps = "".join(f"<li>{html.escape(step)}</li>" for step in lesson.steps)
        server = summary_lines(lesson.config) or [_("A plain server: no switches.")]
        self.text_label.setText(
            f"<p>{html.escape(lesson.intro)}</p>"
            f"<p><b>{html.escape(_('The local server for this lesson'))}</b><br>"
            + "<br>".join(html.escape(line) for line in server)
            + "</p>"
        )
        self.steps_label.setText(
            f"<p><b>{html.escape(_('What to do'))}</b></p><ol>{steps}</ol>"
            f"<p><b>{html.escape(_('Then answer from what the screen shows'))}</b> "
            f"({html.escape(lesson.count_text)})</p>"
        )
        self.setup_status.clear()
        for box in self.question_boxes.values():
            # Out of the page at once: deleteLater waits for the event loop, and until
            # then the last lesson's questions stood above this one's.
            self.questions_layout.removeWidget(box)
            box.hide()
            box.deleteLater()
        self.question_boxes = {}
        solved = self.progress.solved(lesson.key)
        for number, question in enumerate(lesson.questions, start=1):
            box = QuestionBox(number, question, self.questions_area)
            box.answered.connect(self._on_question_box_answered)
            if question.key in solved:
                box.show_solved_before()
            self.questions_layout.addWidget(box)
            self.question_boxes[question.key] = box

    def _label_item(self, item: QListWidgetItem) -> None:
        lesson = self.lessons[item.data(KEY_ROLE)]
        done = len(self.progress.solved(lesson.key) & {q.key for q in lesson.questions})
        mark = "✓ " if done == len(lesson.questions) else ""
        item.setText(f"{mark}{lesson.title}\n{lesson.count_text}")
        item.setToolTip(
            _("{done} of {total} answered right").format(done=done, total=len(lesson.questions))
        )

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_lesson_list_current_item_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        if current is None:
            return
        lesson = self.lessons[current.data(KEY_ROLE)]
        self._show(lesson)
        self.progress.current = lesson.key
        self._save_progress()

    @Slot(str, bool)
    def _on_question_box_answered(self, key: str, right: bool) -> None:
        if self.current is None:
            return
        self.progress.mark(self.current.key, key, right)
        self._save_progress()
        self._label_item(self.lesson_list.currentItem())

    def _save_progress(self) -> None:
        try:
            self.progress.save()
        except OSError:
            pass  # progress is a convenience: a read-only home must not break the lesson
