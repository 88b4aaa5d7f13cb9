"""Errors raised for bad user input, each naming the field and the fix."""

from __future__ import annotations


class InputError(ValueError):
    """A value the user supplied cannot be used; nothing was sent.

    Attributes:
        field: the field at fault (``to``, ``subject``, ``attachment`` ...).
        message: one sentence for the user, saying what is wrong and how to fix it.
        value: the offending piece of input, if any (an address, a path).
    """

    def __init__(self, field: str, message: str, value: str | None = None) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.value = value


class AddressError(InputError):
    """An address in an address field is malformed or unusable."""
