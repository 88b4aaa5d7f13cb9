"""Which lesson questions a student has answered right, kept as JSON in the home folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mailcomposer.message.files import atomic_write

FILE_NAME = "lessons.json"


class Progress:
    """The questions answered right, per lesson, and the lesson last open.

    Attributes:
        path: the JSON file.
        current: the key of the lesson last open ("" for none).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.current = ""
        self._solved: dict[str, set[str]] = {}

    @classmethod
    def load(cls, home: Any) -> Progress:
        """Read ``MAILCOMPOSER_HOME/lessons.json``; a missing or broken file is a fresh start."""
        progress = cls(Path(home.root) / FILE_NAME)
        try:
            data = json.loads(progress.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeError, ValueError):
            return progress
        if not isinstance(data, dict):
            return progress
        current = data.get("current", "")
        progress.current = current if isinstance(current, str) else ""
        solved = data.get("solved", {})
        if isinstance(solved, dict):
            for lesson, keys in solved.items():
                if isinstance(keys, list):
                    progress._solved[str(lesson)] = {str(k) for k in keys}
        return progress

    def save(self) -> None:
        """Write the file atomically."""
        data = {
            "current": self.current,
            "solved": {lesson: sorted(keys) for lesson, keys in sorted(self._solved.items())},
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, (json.dumps(data, indent=2) + "\n").encode("utf-8"))

    def solved(self, lesson: str) -> frozenset[str]:
        """The keys of the questions of ``lesson`` answered right."""
        return frozenset(self._solved.get(lesson, ()))

    def mark(self, lesson: str, question: str, right: bool) -> None:
        """Record an answer: a right one is kept, a wrong one takes the mark away."""
        keys = self._solved.setdefault(lesson, set())
        if right:
            keys.add(question)
        else:
            keys.discard(question)
