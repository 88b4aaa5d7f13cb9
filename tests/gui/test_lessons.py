"""The lessons window: pick a lesson, set up its server, answer and get told why."""

from __future__ import annotations

import pytest

from mailcomposer import i18n
from mailcomposer.lessons.catalog import lesson
from mailcomposer.lessons.progress import Progress
from mailcomposer.sandbox.config import SandboxConfig
from mailcomposer.sandbox.labfile import load_lab_config
from mailcomposer.ui.lessons import LessonsDialog


@pytest.fixture
def dialog(qtbot, home):
    dialog = LessonsDialog(home)
    qtbot.add_widget(dialog)
    return dialog


def test_lists_every_lesson_with_its_question_count(dialog) -> None:
    assert dialog.objectName() == "lessonsDialog"
    texts = [dialog.lesson_list.item(i).text() for i in range(dialog.lesson_list.count())]
    assert len(texts) >= 5
    assert texts[0] == "Envelope and headers\n3 questions"
    assert "Where Bcc goes\n2 questions" in texts
    assert dialog.current.key == "envelope"


def test_setting_up_a_lesson_saves_and_emits_its_config(qtbot, dialog, home) -> None:
    dialog.select_lesson("refusals")
    assert "Greylisting" in dialog.text_label.text()
    with qtbot.wait_signal(dialog.config_changed) as blocker:
        dialog.setup_button.click()
    assert blocker.args == [lesson("refusals").config]
    assert load_lab_config(home) == lesson("refusals").config
    assert load_lab_config(home).greylist
    assert "next connection" in dialog.setup_status.text()


def test_a_right_choice_is_confirmed_with_the_rfc(qtbot, dialog, home) -> None:
    dialog.select_lesson("bcc")
    box = dialog.question_boxes["where"]
    box.set_answer(0)
    with qtbot.wait_signal(box.answered) as blocker:
        box.check_button.click()
    assert blocker.args == ["where", True]
    assert not box.feedback_label.isHidden()
    assert "✓ Right." in box.feedback_label.text()
    assert "RFC 5321 §3.3" in box.feedback_label.text()
    assert Progress.load(home).solved("bcc") == {"where"}


def test_a_wrong_typed_answer_gets_the_answer_and_why(qtbot, dialog) -> None:
    dialog.select_lesson("starttls")
    box = dialog.question_boxes["rfc"]
    box.set_answer("RFC 4954")
    box.check_button.click()
    text = box.feedback_label.text()
    assert "✗ Not quite: the answer is “3207”." in text
    assert "RFC 3207 §4" in text
    box.answer_edit.setText("rfc 3207")
    box.answer_edit.returnPressed.emit()
    assert "✓ Right." in box.feedback_label.text()


def test_no_choice_is_not_right(dialog) -> None:
    box = dialog.question_boxes["354"]
    assert box.answer() is None
    assert not box.check_answer().correct


def test_progress_is_remembered_when_reopened(qtbot, dialog, home) -> None:
    dialog.select_lesson("bcc")
    dialog.question_boxes["where"].set_answer(0)
    dialog.question_boxes["where"].check_answer()
    dialog.question_boxes["count"].set_answer("two")
    dialog.question_boxes["count"].check_answer()
    assert dialog.lesson_list.currentItem().text().startswith("✓ Where Bcc goes")
    again = LessonsDialog(home)
    qtbot.add_widget(again)
    assert again.current.key == "bcc"
    assert "Answered right before" in again.question_boxes["count"].feedback_label.text()
    assert again.lesson_list.currentItem().text().startswith("✓ ")


def test_the_dialog_speaks_chinese(qtbot, home) -> None:
    i18n.set_language("zh_CN")
    try:
        dialog = LessonsDialog(home)
        qtbot.add_widget(dialog)
        assert dialog.lesson_list.item(1).text() == "密送去了哪里\n2 个问题"
        assert dialog.setup_button.text() == "为本课设置本地服务器"
    finally:
        i18n.set_language("en")


def test_a_plain_lesson_says_so(dialog) -> None:
    assert lesson("envelope").config == SandboxConfig()
    assert "A plain server" in dialog.text_label.text()
