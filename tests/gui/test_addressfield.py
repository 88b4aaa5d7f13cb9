"""AddressField: several addresses, live marking of bad ones, completion of the current piece."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mailcomposer.ui.addressfield import INVALID_PROPERTY, AddressField, current_piece_start

# The offscreen platform cannot raise, grab or resize windows natively; harmless here.


@pytest.fixture
def field(qtbot) -> AddressField:
    widget = AddressField("to")
    widget.setObjectName("toField")
    qtbot.add_widget(widget)
    widget.show()
    qtbot.wait_exposed(widget)
    return widget


def is_marked(field: AddressField) -> bool:
    return bool(field.property(INVALID_PROPERTY))


def test_typing_several_addresses_is_valid(qtbot, field: AddressField) -> None:
    qtbot.keyClicks(field, 'Ann <a@x.org>, b@y.org; "Lee, K" <k@z.org>')
    assert field.text() == 'Ann <a@x.org>, b@y.org; "Lee, K" <k@z.org>'
    assert field.is_valid()
    assert not is_marked(field)
    assert field.problems() == []


def test_invalid_address_is_marked_with_a_tooltip_naming_it(qtbot, field: AddressField) -> None:
    with qtbot.wait_signal(field.validity_changed) as blocker:
        qtbot.keyClicks(field, "good@example.org, bad@@example")
    assert blocker.args == [False]
    assert is_marked(field)
    assert "bad@@example" in field.toolTip()
    # Fixing it clears the mark and the problem tooltip.
    field.setText("good@example.org, fine@example.org")
    assert field.is_valid()
    assert not is_marked(field)
    assert "bad" not in field.toolTip()


def test_pasting_a_list_validates_it(qtbot, field: AddressField) -> None:
    QApplication.clipboard().setText('"Lee, K" <k@z.org>; nobody-at-all')
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert field.text() == '"Lee, K" <k@z.org>; nobody-at-all'
    assert is_marked(field)
    assert "nobody-at-all" in field.toolTip()


def test_an_empty_field_is_valid(field: AddressField) -> None:
    field.setText("x")
    field.setText("")
    assert field.is_valid()


def test_mark_error_from_outside(field: AddressField) -> None:
    field.mark_error("The server refused this address.")
    assert is_marked(field)
    assert field.toolTip() == "The server refused this address."


@pytest.mark.parametrize(
    ("text", "cursor", "expected"),
    [
        ("ann", 3, 0),
        ("a@x.org, bo", 11, 9),
        ("a@x.org;b", 9, 8),
        ('"Lee, K" <k', 11, 0),
        ('"Lee, K" <k@z.org>,  ch', 23, 21),
    ],
)
def test_current_piece_start(text: str, cursor: int, expected: int) -> None:
    assert current_piece_start(text, cursor) == expected


def test_completion_offers_known_addresses_for_the_piece_typed(qtbot, field: AddressField) -> None:
    field.set_known_addresses(["Ann Lee <ann@example.org>", "Bo <bo@example.org>"])
    qtbot.keyClicks(field, "x@y.org, ann")
    qtbot.wait_until(field.completer_popup_visible)
    popup = field._completer.popup()
    # Keyboard only: Down selects the first match, Return takes it.
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.wait_until(lambda: "Ann Lee <ann@example.org>" in field.text())
    assert field.text().startswith("x@y.org, Ann Lee <ann@example.org>,")
    assert field.is_valid()


def test_known_addresses_are_deduplicated(field: AddressField) -> None:
    field.set_known_addresses(["a@x.org", "", "a@x.org", "b@x.org"])
    assert field.known_addresses() == ["a@x.org", "b@x.org"]
