"""File → Save as .eml, then File → Open: the message still asks for its read receipt."""

from __future__ import annotations

from pathlib import Path

from tests.gui.test_receipts import action


def test_a_saved_message_opened_again_still_asks_for_a_read_receipt(window, tmp_path: Path) -> None:
    window.to_field.setText("bo@example.org")
    window.subject_field.setText("Did you read it?")
    window.editor.setPlainText("Tell me.")
    action(window, "readReceiptAction").trigger()
    path = tmp_path / "asks.eml"
    assert window.save_eml(path)
    assert b"\r\nDisposition-Notification-To: " in path.read_bytes()
    window.clear_message()
    assert not action(window, "readReceiptAction").isChecked()

    assert window.open_eml(path)
    assert window.subject_field.text() == "Did you read it?"
    assert action(window, "readReceiptAction").isChecked()
    assert window.current_draft().read_receipt is True
