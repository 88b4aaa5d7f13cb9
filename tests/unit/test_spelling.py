"""Tests for the Qt-free spelling core: which words are checked, the user's words, the checker."""

from __future__ import annotations

import threading

from mailcomposer.spelling import (
    BackgroundChecker,
    Speller,
    UserDictionary,
    choose_languages,
    words_to_check,
)


def texts(text: str) -> list[str]:
    return [w.text for w in words_to_check(text)]


def test_words_keep_their_positions() -> None:
    text = "I recieve mail"
    words = list(words_to_check(text))
    assert [(w.start, w.length) for w in words] == [(2, 7), (10, 4)]
    assert all(text[w.start : w.start + w.length] == w.text for w in words)


def test_cjk_runs_are_not_checked() -> None:
    assert texts("我们明天见面吧。今日は 안녕하세요") == []
    assert texts("see 中文 here") == ["see", "here"]


def test_addresses_and_links_are_not_checked() -> None:
    text = "mail ann@exmaple.org or https://exmaple.org/pth www.exmaple.com (www.qwzx.org) mailto:x"
    assert texts(text) == ["mail", "or"]


def test_acronyms_digits_and_apostrophes() -> None:
    assert texts("IMAP iCloud abc123 123abc x_y don't l’été a") == ["don't", "l’été"]


def test_user_dictionary_persists(tmp_path) -> None:
    path = tmp_path / "sub" / "dictionary.txt"
    words = UserDictionary(path)
    assert "Mailcomposer" not in words
    words.add("Mailcomposer")
    words.add("mailcomposer")  # already there, any case
    assert path.read_text(encoding="utf-8") == "Mailcomposer\n"
    assert "MAILCOMPOSER" in UserDictionary(path)


def test_system_languages_map_to_dictionaries() -> None:
    assert choose_languages(["zh_CN", "de-DE", "en-US"], ["en", "de"]) == ("de", "en")
    assert choose_languages([], ["en"]) == ("en",)


def test_speller_suggests_in_the_typed_case() -> None:
    speller = Speller(("en",))
    assert not speller.is_known("recieve")
    assert speller.is_known("Receive")
    assert speller.suggestions("recieve")[0] == "receive"
    assert speller.suggestions("Recieve")[0] == "Receive"


def test_background_checker_runs_off_the_calling_thread() -> None:
    done = threading.Event()
    seen: dict = {}

    def on_checked(results) -> None:
        seen["results"] = results
        seen["thread"] = threading.current_thread()
        done.set()

    BackgroundChecker(Speller(("en",)), on_checked).submit(["recieve", "receive"])
    assert done.wait(30)
    assert seen["results"] == (("recieve", False), ("receive", True))
    assert seen["thread"] is not threading.current_thread()
