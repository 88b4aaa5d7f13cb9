"""OAuth2 sign-in for SMTP: provider settings, the browser and device-code flows, tokens."""
