"""A lesson, its questions, and the checker that says whether an answer is right and why."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from mailcomposer.i18n import _, ngettext, sentences
from mailcomposer.sandbox.config import SandboxConfig
from mailcomposer.smtp.rfc import Ref

# Punctuation a student may type around an answer ("MAIL FROM:", "<x@y>", "RFC 3207.");
# the Chinese marks are those NFKC keeps as they are ("3207。", "《RFC 3207》").
_NOISE = re.compile(r"""[:<>,.;!?"'`()\[\]{}“”‘’。、《》〈〉「」『』【】〔〕…·]+""")
_SPACES = re.compile(r"\s+")
# A thousands separator between digits: "51,200" is 51200.
_DIGIT_GROUP = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# Chinese is written without spaces: "2 条" is typed as often as "2条".
_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff]) (?=\S)|(?<=\S) (?=[\u3400-\u9fff])")

# What a student copies from the log around the answer itself, tried after the answer
# as typed: "S: 250-STARTTLS", "235 2.7.0 Authentication successful",
# "MAIL FROM:<me@localhost> BODY=8BITMIME", "the MAIL FROM command", "2 条", "51200 bytes".
_LOG_PREFIX = re.compile(r"^(?:[sc] )?(?:250[- ](?=\D))?")
_REPLY_LINE = re.compile(r"^([2-5])(\d\d)(?: ([2-5]) \d{1,3} \d{1,3})?(?: (\D.*))?$")
_OTHER_CODE = re.compile(r"\b[2-5]\d\d\b")
_COMMAND_LINE = re.compile(r"^(\D+?) \S*@\S*(?: .*)?$")
_THE = re.compile(r"^the ")
_NOUN = re.compile(
    r" ?(?:commands?|keyword|reply|code|bytes|命令|指令|关键字|关键词|代码|字节|条|个|次)$"
)


def normalise(text: str) -> str:
    """Reduce a typed answer to its words: ``" Mail  From:"`` → ``mail from``.

    Full-width characters (typed with a Chinese input method) count as their ASCII
    forms, case and surrounding punctuation (Chinese marks too) are ignored, a
    thousands separator is dropped, spaces next to Chinese characters are dropped,
    and a leading ``RFC`` is dropped so ``RFC 3207``, ``rfc3207`` and ``3207`` are the
    same answer.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _DIGIT_GROUP.sub("", text)
    text = _SPACES.sub(" ", _NOISE.sub(" ", text)).strip()
    text = _CJK_SPACE.sub("", text)
    return re.sub(r"^rfc ?(?=\d)", "", text)


def _readings(given: str) -> set[str]:
    """``given`` (normalised) and what it says once the log's context around it is dropped.

    A reply copied with its enhanced code or text counts as its code when the
    enhanced code has the same class and no other code is named ("550 or 451" stays
    as it is); a command copied with its address counts as the command.
    """
    readings = {given}
    text = _LOG_PREFIX.sub("", given)
    text = _NOUN.sub("", _THE.sub("", text)).strip()
    readings.add(text)
    reply = _REPLY_LINE.match(text)
    same_class = reply is not None and reply[3] in (None, reply[1])
    if reply and same_class and not _OTHER_CODE.search(reply[4] or ""):
        readings.add(reply[1] + reply[2])
    command = _COMMAND_LINE.match(text)
    if command:
        readings.add(command[1])
    readings.discard("")
    return readings


@dataclass(frozen=True)
class Question:
    """One question answered from what the screen shows.

    A question with ``choices`` is multiple choice (one right choice); without,
    the student types a short answer compared after :func:`normalise`.

    Attributes:
        key: a stable id within its lesson (progress is kept by it).
        prompt: the question, translated.
        choices: the options of a multiple-choice question, translated.
        correct: the index of the right choice.
        accepted: the typed answers counted as right (first one is shown as the answer).
        explanation: why the right answer is right, translated.
        refs: the RFC sections behind the explanation.
    """

    key: str
    prompt: str
    explanation: str
    choices: tuple[str, ...] = ()
    correct: int = 0
    accepted: tuple[str, ...] = ()
    refs: tuple[Ref, ...] = ()

    def __post_init__(self) -> None:
        if self.choices and not 0 <= self.correct < len(self.choices):
            raise ValueError(f"question {self.key}: no choice {self.correct}")
        if not self.choices and not self.accepted:
            raise ValueError(f"question {self.key}: neither choices nor accepted answers")

    @property
    def is_choice(self) -> bool:
        return bool(self.choices)

    @property
    def display_order(self) -> tuple[int, ...]:
        """The choices' indices in the order they are shown.

        The catalog writes the right choice first; shown so, a student would soon
        answer by position. The order is shuffled by the question's key, so it is the
        same on every run and in every language.
        """
        return tuple(
            sorted(
                range(len(self.choices)),
                key=lambda index: hashlib.sha256(f"{self.key}:{index}".encode()).digest(),
            )
        )

    @property
    def answer_text(self) -> str:
        """The right answer as shown to the student."""
        return self.choices[self.correct] if self.choices else self.accepted[0]


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer.

    Attributes:
        correct: whether the answer is right.
        text: "Right." or "Not quite: the answer is …", then the explanation.
        refs: the RFC sections to read.
    """

    correct: bool
    text: str
    refs: tuple[Ref, ...] = ()

    @property
    def reference_text(self) -> str:
        """``See RFC 5321 §3.3, RFC 5322 §3.6.3.`` (empty without references)."""
        if not self.refs:
            return ""
        return _("See {refs}.").format(refs=", ".join(r.label for r in self.refs))


def is_right(question: Question, answer: int | str | None) -> bool:
    """True when ``answer`` (a choice index, or typed text) answers ``question``."""
    if answer is None:
        return False
    if question.is_choice:
        return isinstance(answer, int) and answer == question.correct
    if not isinstance(answer, str):
        return False
    given = normalise(answer)
    if not given:
        return False
    return bool(_readings(given) & {normalise(a) for a in question.accepted})


def is_answered(answer: int | str | None) -> bool:
    """False for no choice or an empty field: nothing to mark right or wrong."""
    return answer is not None and not (isinstance(answer, str) and not normalise(answer))


def check(question: Question, answer: int | str | None) -> Feedback:
    """Say whether ``answer`` is right, and why (with the RFC reference)."""
    right = is_right(question, answer)
    if right:
        verdict = _("Right.")
    elif not is_answered(answer):
        verdict = _("No answer yet: the answer is “{answer}”.").format(answer=question.answer_text)
    else:
        verdict = _("Not quite: the answer is “{answer}”.").format(answer=question.answer_text)
    return Feedback(right, sentences(verdict, question.explanation), question.refs)


@dataclass(frozen=True)
class Lesson:
    """One guided exercise.

    Attributes:
        key: a stable id (progress and the chosen lesson are kept by it).
        title: short title, translated.
        intro: what the lesson is about, a few sentences, translated.
        config: the local server's switches the lesson sets up.
        steps: what to do, in order, translated.
        questions: what to answer from the screen afterwards.
    """

    key: str
    title: str
    intro: str
    config: SandboxConfig
    steps: tuple[str, ...]
    questions: tuple[Question, ...]

    def question(self, key: str) -> Question:
        """The question with ``key``."""
        for question in self.questions:
            if question.key == key:
                return question
        raise KeyError(key)

    @property
    def count_text(self) -> str:
        """``1 question`` / ``3 questions``, translated."""
        n = len(self.questions)
        return ngettext("{n} question", "{n} questions", n).format(n=n)
