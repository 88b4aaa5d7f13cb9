"""What can go wrong while signing in: one exception carrying a translated sentence."""

from __future__ import annotations


class OAuthError(Exception):
    """Signing in or refreshing failed.

    Attributes:
        message: what went wrong and what to do, in the user's language.
        code: the OAuth2 error code from the server (``invalid_grant``...), or ''.
    """

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class SignInCancelled(OAuthError):
    """The user cancelled the sign-in (or it timed out waiting for them)."""
