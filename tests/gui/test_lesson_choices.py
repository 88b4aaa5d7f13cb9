"""Multiple-choice questions: the right option is not always the first, and a lesson's
page shows its own questions only."""

from __future__ import annotations

from PySide6.QtWidgets import QRadioButton

from mailcomposer.lessons.catalog import all_lessons
from mailcomposer.ui.lessons import LessonsDialog, QuestionBox


def _shown_texts(box: QuestionBox) -> list[str]:
    """The options from top to bottom, as the student sees them."""
    buttons = [
        box.layout().itemAt(i).widget()
        for i in range(box.layout().count())
        if isinstance(box.layout().itemAt(i).widget(), QRadioButton)
    ]
    return [b.text() for b in buttons]


def test_the_right_option_is_not_always_shown_first(qtbot, home) -> None:
    dialog = LessonsDialog(home)
    qtbot.add_widget(dialog)
    positions = []
    for found in all_lessons():
        dialog.select_lesson(found.key)
        for question in found.questions:
            if question.is_choice:
                texts = _shown_texts(dialog.question_boxes[question.key])
                assert sorted(texts) == sorted(question.choices)
                positions.append(texts.index(question.answer_text))
    assert len(set(positions)) > 1, positions


def test_the_option_clicked_is_the_one_checked(qtbot, home) -> None:
    dialog = LessonsDialog(home)
    qtbot.add_widget(dialog)
    dialog.select_lesson("bcc")
    box = dialog.question_boxes["where"]
    [right] = [b for b in box.choices if b.text() == box.question.answer_text]
    right.click()
    assert box.check_answer().correct
    [wrong] = [b for b in box.choices if b.text() == box.question.choices[1]]
    wrong.click()
    assert not box.check_answer().correct


def test_a_lessons_page_shows_only_its_own_questions(qtbot, home) -> None:
    dialog = LessonsDialog(home)
    qtbot.add_widget(dialog)
    dialog.show()
    envelope = set(dialog.question_boxes)
    dialog.select_lesson("refusals")  # the old boxes leave at once, not at the next loop turn
    left = [
        box.question.key
        for box in dialog.questions_area.findChildren(QuestionBox)
        if not box.isHidden() and box.question.key in envelope
    ]
    assert left == []
    qtbot.wait_until(lambda: all(b.isVisible() for b in dialog.question_boxes.values()))
    assert list(dialog.question_boxes) == ["refused", "first"]
