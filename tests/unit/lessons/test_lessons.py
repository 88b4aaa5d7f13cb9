"""The lessons and their checker: every question's right and wrong answers, progress kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailcomposer import i18n
from mailcomposer.lessons.catalog import all_lessons, lesson
from mailcomposer.lessons.model import Question, check, normalise
from mailcomposer.lessons.progress import Progress
from mailcomposer.store.paths import Home

QUESTIONS = [(ls.key, q.key) for ls in all_lessons() for q in ls.questions]

# What a student who read the screen answers, as typed or as the chosen option's text.
EXPECTED = {
    ("envelope", "sender"): "MAIL FROM:",
    ("envelope", "354"): "ended by a line holding only a dot",
    ("envelope", "reader"): "From header",
    ("bcc", "where"): "Only in a RCPT TO command",
    ("bcc", "count"): "2",
    ("starttls", "start"): "After the 220 reply to STARTTLS",
    ("starttls", "gone"): "starttls",
    ("starttls", "rfc"): "RFC 3207",
    ("auth", "plain"): "separated by NUL bytes",
    ("auth", "after_tls"): "only once the connection is encrypted",
    ("auth", "235"): "235",
    ("refusals", "refused"): "550 5.1.1",
    ("refusals", "first"): "451: greylisted",
    ("size", "announced"): "51200",
    ("size", "552"): "552",
}


def test_there_are_at_least_five_lessons_each_with_a_setup_and_questions() -> None:
    lessons = all_lessons()
    assert len(lessons) >= 5
    assert len({ls.key for ls in lessons}) == len(lessons)
    for found in lessons:
        assert found.title and found.intro and found.steps and found.questions
        assert len({q.key for q in found.questions}) == len(found.questions)
        assert all(q.refs for q in found.questions), found.key
    assert sorted(EXPECTED) == sorted(QUESTIONS)


def answer_for(question: Question, text: str) -> int | str:
    """The choice whose text contains ``text``, or ``text`` itself for a typed question."""
    if not question.is_choice:
        return text
    [index] = [i for i, choice in enumerate(question.choices) if text in choice]
    return index


@pytest.mark.parametrize(("lesson_key", "question_key"), QUESTIONS)
def test_the_right_answer_is_right_and_says_why(lesson_key: str, question_key: str) -> None:
    question = lesson(lesson_key).question(question_key)
    feedback = check(question, answer_for(question, EXPECTED[lesson_key, question_key]))
    assert feedback.correct
    assert feedback.text.startswith("Right. ")
    assert question.explanation in feedback.text
    assert feedback.reference_text.startswith("See RFC ")


@pytest.mark.parametrize(("lesson_key", "question_key"), QUESTIONS)
def test_a_wrong_answer_is_wrong_and_gives_the_answer(lesson_key: str, question_key: str) -> None:
    question = lesson(lesson_key).question(question_key)
    wrong: int | str = (
        (question.correct + 1) % len(question.choices) if question.is_choice else "QUIT"
    )
    feedback = check(question, wrong)
    assert not feedback.correct
    assert feedback.text.startswith(f"Not quite: the answer is “{question.answer_text}”.")
    assert question.explanation in feedback.text
    assert not check(question, None).correct
    assert not check(question, "" if not question.is_choice else -1).correct


def test_typed_answers_are_normalised() -> None:
    sender = lesson("envelope").question("sender")
    for typed in (
        "MAIL FROM",
        "mail from:",
        "  Mail   From:  ",
        "ＭＡＩＬ ＦＲＯＭ：",
        "<MAIL FROM>",
    ):
        assert check(sender, typed).correct, typed
    for typed in ("RCPT TO", "From", "MAIL FROM TO"):
        assert not check(sender, typed).correct, typed
    rfc = lesson("starttls").question("rfc")
    for typed in ("3207", "RFC 3207", "rfc3207", "RFC3207.", "３２０７"):
        assert check(rfc, typed).correct, typed
    assert not check(rfc, "RFC 4954").correct
    assert normalise(" RFC 5321 ") == "5321"


def test_a_choice_is_not_answered_by_typing() -> None:
    question = lesson("bcc").question("where")
    assert not check(question, question.choices[0]).correct


def test_question_counts_use_plural_forms() -> None:
    assert lesson("bcc").count_text == "2 questions"
    i18n.set_language("zh_CN")
    try:
        assert lesson("bcc").count_text == "2 个问题"
        assert lesson("bcc").title != "Where Bcc goes"
    finally:
        i18n.set_language("en")


def test_progress_is_kept_between_runs(tmp_path: Path) -> None:
    home = Home(tmp_path)
    progress = Progress.load(home)
    assert progress.current == "" and progress.solved("bcc") == frozenset()
    progress.current = "bcc"
    progress.mark("bcc", "where", True)
    progress.mark("bcc", "count", True)
    progress.mark("bcc", "count", False)
    progress.save()
    again = Progress.load(home)
    assert again.current == "bcc"
    assert again.solved("bcc") == {"where"}
    (tmp_path / "lessons.json").write_text("{broken", encoding="utf-8")
    assert Progress.load(home).solved("bcc") == frozenset()
