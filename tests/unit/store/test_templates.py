"""store.templates: save, list, load and delete named templates; names that cannot be files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mailcomposer.message.draft import Attachment, Draft, Priority
from mailcomposer.message.errors import InputError
from mailcomposer.store.paths import Home
from mailcomposer.store.templates import TemplateStore, check_name


@pytest.fixture
def store(tmp_path: Path) -> TemplateStore:
    return TemplateStore(Home(tmp_path))


def _draft() -> Draft:
    return Draft(
        from_addr="Ann <ann@example.org>",
        to="team@example.org",
        subject="Weekly report",
        text="Done:\n",
        priority=Priority.HIGH,
        attachments=[Attachment(filename="a.txt", data=b"x")],
        message_id="<kept@example.org>",
        read_receipt=True,
        dsn=["FAILURE"],
    )


def test_save_writes_json_under_templates_without_the_message_id(store, tmp_path):
    path = store.save("weekly", _draft())
    assert path == tmp_path / "templates" / "weekly.json"
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert payload["version"] == 1
    assert payload["template"]["message_id"] is None
    assert payload["template"]["subject"] == "Weekly report"


def test_load_gives_the_draft_back_as_a_new_message(store):
    store.save("weekly", _draft())
    draft = store.load("weekly")
    expected = _draft()
    expected.message_id = None
    assert draft == expected


def test_names_are_sorted_and_unicode_names_work(store):
    for name in ("b", "周报", "A"):
        store.save(name, Draft(subject=name))
    assert store.names() == ["A", "b", "周报"]
    assert store.load("周报").subject == "周报"


def test_no_folder_means_no_templates(store):
    assert store.names() == []


def test_saving_again_replaces(store):
    store.save("t", Draft(subject="one"))
    store.save(" t ", Draft(subject="two"))
    assert store.names() == ["t"]
    assert store.load("t").subject == "two"


def test_delete(store):
    store.save("t", Draft())
    assert store.delete("t") is True
    assert store.delete("t") is False
    assert store.names() == []


def test_missing_and_damaged_templates_are_input_errors(store):
    with pytest.raises(InputError) as info:
        store.load("nothing")
    assert info.value.field == "template" and "nothing" in info.value.message
    store.folder.mkdir(parents=True)
    (store.folder / "bad.json").write_text('{"template": {"to": 5}}', encoding="utf-8")
    with pytest.raises(InputError) as info:
        store.load("bad")
    assert "cannot be read" in info.value.message


@pytest.mark.parametrize("name", ["", "  ", "../x", "a/b", "a\\b", ".hidden", "con", "x:y", "a."])
def test_names_that_cannot_be_files_are_refused(name):
    with pytest.raises(InputError):
        check_name(name)


def test_a_refused_name_writes_nothing(store):
    with pytest.raises(InputError):
        store.save("../escape", Draft())
    assert not store.folder.exists()


def test_a_template_replaced_in_another_case_leaves_one_file(store):
    store.save("Weekly", Draft(subject="old"))
    assert store.existing("WEEKLY ") == "Weekly"
    assert store.existing("monthly") is None
    store.save("weekly", Draft(subject="new"), replacing="Weekly")
    assert store.names() == ["weekly"]
    assert store.load("weekly").subject == "new"


def test_on_a_file_system_that_ignores_case_the_one_file_stays(store):
    # Windows and macOS: "Weekly.json" and "weekly.json" are one file (a link here).
    store.save("weekly", Draft(subject="new"))
    store.path("Weekly").symlink_to(store.path("weekly").name)
    store.save("weekly", Draft(subject="newer"), replacing="Weekly")
    # Not unlinked: on such a system that would delete the template just saved.
    assert store.path("Weekly").is_symlink()
    assert store.load("weekly").subject == "newer"
