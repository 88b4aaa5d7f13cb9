"""screening.toml: read, checked with clear errors, written back identically."""

from __future__ import annotations

import pytest

from mailcomposer.message.screening import Action, Rule, Settings
from mailcomposer.store import screening
from mailcomposer.store.paths import Home

ISSUE_EXAMPLE = """
[[rule]]
name = "Confidential"
match = "word:CONFIDENTIAL"   # word:, regex:, or detector: card | cn-id | phone
action = "block"              # or "warn"
"""


def test_the_documented_example_loads(tmp_path):
    path = Home(tmp_path).screening_file
    path.write_text(ISSUE_EXAMPLE, encoding="utf-8")
    settings = screening.load(path)
    assert settings.rules == (Rule("Confidential", "word:CONFIDENTIAL", Action.BLOCK),)
    assert path.name == "screening.toml"


def test_a_missing_file_means_built_in_checks_only(tmp_path):
    assert screening.load(tmp_path / "screening.toml") == Settings()


def test_round_trip_with_chinese_and_quotes(tmp_path):
    settings = Settings(
        rules=(
            Rule("机密", "word:机密", Action.BLOCK),
            Rule('Quote "x"', r"regex:\bX\d+\\", Action.WARN),
            Rule("Phones", "detector:phone", Action.WARN),
        ),
        own_domains=("example.org", "例子.中国"),
        max_visible_recipients=7,
    )
    path = tmp_path / "screening.toml"
    screening.save(path, settings)
    assert screening.load(path) == settings


@pytest.mark.parametrize(
    "text,words",
    [
        ("[[rule]\nname='x'", "not valid TOML"),
        ("colour = 1", "unknown setting colour"),
        ("own_domains = 'example.org'", "own_domains must be a list"),
        ("max_visible_recipients = 0", "at least 1"),
        ("[[rule]]\nmatch='word:x'", "rule 1: give it a name"),
        ("[[rule]]\nname='A'\nmatch='word:x'\naction='stop'", "(A): action must be warn or block"),
        ("[[rule]]\nname='A'\nmatch='regex:('", "(A): 'regex:(': not a valid regular expression"),
        ("[[rule]]\nname='A'\nmatch='word:x'\ncolour='red'", "rule 1: unknown key colour"),
    ],
)  # fmt: skip
def test_errors_name_the_file_and_what_to_fix(tmp_path, text, words):
    path = tmp_path / "screening.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(screening.ScreeningFileError) as info:
        screening.load(path)
    assert str(path) in str(info.value)
    assert words in str(info.value)
