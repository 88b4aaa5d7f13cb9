"""The built-in local SMTP server (aiosmtpd) and its Maildir inbox."""
