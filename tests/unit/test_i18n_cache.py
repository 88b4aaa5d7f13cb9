"""The parsed catalog kept in the home folder: used while the .po files are unchanged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from mailcomposer import i18n


def catalog_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "zh_CN"
    shutil.copytree(i18n.resources_dir() / "i18n" / "zh_CN", folder)
    return folder


def test_the_kept_copy_gives_what_parsing_gives(tmp_path: Path) -> None:
    folder = catalog_folder(tmp_path)
    parsed = i18n.load_catalog(folder)
    cache = tmp_path / "cache"
    assert i18n.load_catalog(folder, cache) == parsed  # parsed, then kept
    assert i18n.load_catalog(folder, cache) == parsed  # read back
    assert "Plural-Forms" in parsed[1] and len(parsed[0]) > 1000


def test_an_edited_or_added_catalog_is_parsed_again(tmp_path: Path) -> None:
    folder = catalog_folder(tmp_path)
    cache = tmp_path / "cache"
    i18n.load_catalog(folder, cache)
    (folder / "zz_new.po").write_text('msgid "A new line"\nmsgstr "新的一行"\n', encoding="utf-8")
    entries, _header = i18n.load_catalog(folder, cache)
    assert entries["A new line"] == "新的一行"
    (folder / "zz_new.po").write_text('msgid "A new line"\nmsgstr "另一行"\n', encoding="utf-8")
    assert i18n.load_catalog(folder, cache)[0]["A new line"] == "另一行"


def test_a_damaged_or_foreign_copy_is_not_used(tmp_path: Path) -> None:
    folder = catalog_folder(tmp_path)
    cache = tmp_path / "cache"
    parsed = i18n.load_catalog(folder)
    kept = cache / "catalog-zh_CN.json"
    for content in ("{not json", json.dumps({"key": "x", "header": "", "entries": {}}), "[]"):
        cache.mkdir(exist_ok=True)
        kept.write_text(content, encoding="utf-8")
        assert i18n.load_catalog(folder, cache) == parsed
    key = json.loads(kept.read_text(encoding="utf-8"))["key"]
    kept.write_text(json.dumps({"key": key, "header": "", "entries": {"a": 1}}), encoding="utf-8")
    assert i18n.load_catalog(folder, cache) == parsed


def test_a_cache_that_cannot_be_written_only_costs_the_parse(tmp_path: Path) -> None:
    folder = catalog_folder(tmp_path)
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x", encoding="utf-8")
    assert i18n.load_catalog(folder, blocked / "cache") == i18n.load_catalog(folder)


def test_set_language_with_a_cache_translates_and_keeps_the_plural_rule(tmp_path: Path) -> None:
    try:
        i18n.set_language("zh_CN", tmp_path / "cache")
        i18n.set_language("zh_CN", tmp_path / "cache")  # from the kept copy
        assert i18n._("Send") != "Send"
        one = i18n.ngettext("{n} contact imported", "{n} contacts imported", 1)
        assert one != "{n} contact imported"
        assert i18n.ngettext("{n} contact imported", "{n} contacts imported", 5) == one
    finally:
        i18n.set_language("en")
