"""Template names that Windows would open as a device are refused before any file is written."""

from __future__ import annotations

import pytest

from mailcomposer.message.errors import InputError
from mailcomposer.store.templates import check_name


@pytest.mark.parametrize("name", ["con .weekly", "COM¹", "conin$", "Nul. x"])
def test_device_names_windows_knows_are_refused(name):
    with pytest.raises(InputError) as caught:
        check_name(name)
    assert caught.value.field == "template"


def test_names_that_only_start_like_a_device_are_fine():
    assert check_name("Console notes") == "Console notes"
    assert check_name("com10") == "com10"
