"""A damaged outbox sidecar: the window still starts, lists the message, says what to do."""

from __future__ import annotations

from mailcomposer.store.outbox import Outbox
from mailcomposer.store.paths import Home
from tests.gui.test_outbox import outbox_dialog
from tests.smtp_fixtures import make_built


def damaged_entry(home: Home, sidecar: str):
    built = make_built(subject="合同 final", to="Bo <bo@example.test>")
    entry = Outbox(home).add(built, account="Work", server="smtp.example.test:587")
    entry.path.with_suffix(".json").write_text(sidecar, encoding="utf-8")
    return built, entry


def test_the_window_starts_and_offers_a_message_whose_sidecar_is_damaged(
    make_window, home: Home
) -> None:
    built, entry = damaged_entry(home, '{"id": "x", "size": "big"}')  # crashed the start

    window = make_window()

    assert "1 in the outbox" in window.banner.text()
    window.show_outbox()
    dialog = outbox_dialog(window)
    [listed] = dialog.entries()
    assert listed.id == entry.id
    assert dialog.table.item(0, 1).text() == "合同 final"
    assert str(entry.path.with_suffix(".json")) in dialog.table.item(0, 7).text()

    dialog.open_button.click()  # Edit: the message comes back, with its Message-ID
    assert window.subject_field.text() == "合同 final"
    assert window.to_field.text() == "Bo <bo@example.test>"
    assert window.current_draft().message_id == built.message_id


def test_retry_now_of_a_damaged_entry_says_what_to_do(make_window, home: Home) -> None:
    _built, entry = damaged_entry(home, "{cut short")
    window = make_window()
    runner = window.tool_windows.send_later.runner

    runner.retry_now(entry.id)

    assert not runner.is_sending()
    assert window.banner.kind == "error"
    assert "合同 final" in window.banner.text() and "Edit" in window.banner.text()
    assert entry.path.is_file()
