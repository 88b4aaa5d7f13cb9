"""A question answered right in an earlier session stays answered when Check is pressed empty."""

from __future__ import annotations

from mailcomposer.lessons.progress import Progress
from mailcomposer.ui.lessons import LessonsDialog


def test_an_empty_check_does_not_take_away_an_earlier_right_answer(qtbot, home) -> None:
    first = LessonsDialog(home)
    qtbot.add_widget(first)
    first.select_lesson("bcc")
    first.question_boxes["where"].set_answer(0)
    first.question_boxes["where"].check_answer()
    first.question_boxes["count"].set_answer("2")
    first.question_boxes["count"].check_answer()
    first.close()

    again = LessonsDialog(home)  # the next day: the boxes are empty, marked "answered before"
    qtbot.add_widget(again)
    typed, chosen = again.question_boxes["count"], again.question_boxes["where"]
    with qtbot.assert_not_emitted(typed.answered):
        typed.answer_edit.returnPressed.emit()  # Enter in the empty field
    with qtbot.assert_not_emitted(chosen.answered):
        chosen.check_button.click()  # Check with no option chosen
    assert "No answer yet" in typed.feedback_label.text()
    assert Progress.load(home).solved("bcc") == {"where", "count"}
    assert again.lesson_list.currentItem().text().startswith("✓ ")


def test_a_wrong_answer_still_takes_the_mark_away(qtbot, home) -> None:
    dialog = LessonsDialog(home)
    qtbot.add_widget(dialog)
    dialog.select_lesson("bcc")
    box = dialog.question_boxes["count"]
    box.set_answer("2")
    box.check_answer()
    box.set_answer("3")
    with qtbot.wait_signal(box.answered) as blocker:
        box.check_button.click()
    assert blocker.args == ["count", False]
    assert Progress.load(home).solved("bcc") == frozenset()
