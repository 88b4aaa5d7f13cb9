"""Provider OAuth2 settings: the presets' endpoints, per-account overrides, labels."""

from __future__ import annotations

import functools
import json
from dataclasses import fields, replace

from mailcomposer.i18n import _, resources_dir
from mailcomposer.store.oauth import OAuthSettings, oauth_from_dict

# A preset's client ID that starts with this is not a registered one (see the README).
PLACEHOLDER = "PLACEHOLDER"


@functools.cache
def _preset_oauth() -> dict[str, OAuthSettings]:
    data = json.loads((resources_dir() / "presets.json").read_text(encoding="utf-8"))
    found = {}
    for item in data["presets"]:
        settings = oauth_from_dict(item.get("oauth"))
        if settings is not None:
            found[item["id"]] = settings
    return found


def for_preset(preset_id: str) -> OAuthSettings | None:
    """The OAuth2 settings of preset ``preset_id``, or None if it has none."""
    return _preset_oauth().get(preset_id.strip().lower())


def with_overrides(base: OAuthSettings | None, **overrides: object) -> OAuthSettings:
    """``base`` (or empty settings) with every override that is not None or ''."""
    known = {f.name for f in fields(OAuthSettings)}
    changes = {k: v for k, v in overrides.items() if k in known and v not in (None, "")}
    return replace(base or OAuthSettings(), **changes)


def is_placeholder(client_id: str) -> bool:
    """Whether ``client_id`` is missing or the presets' marked placeholder."""
    return not client_id.strip() or client_id.startswith(PLACEHOLDER)


def provider_name(settings: OAuthSettings | None) -> str:
    """``Microsoft``, ``Google`` or '' (custom endpoints)."""
    if settings is None:
        return ""
    return {"microsoft": "Microsoft", "google": "Google"}.get(settings.provider, "")


def missing(settings: OAuthSettings, *, device: bool) -> str:
    """A translated sentence naming what the settings lack for a sign-in, or ''."""
    if is_placeholder(settings.client_id):
        return _(
            "No client ID is registered for this provider in this build: register one "
            "(see the README) and give it with --oauth-client-id."
        )
    if device and not settings.device_url:
        return _("This provider has no device-code endpoint: sign in with the browser.")
    if not device and not settings.authorize_url:
        return _("The authorization URL is missing (--oauth-authorize-url).")
    if not settings.token_url:
        return _("The token URL is missing (--oauth-token-url).")
    return ""
