"""mailcomposer: a desktop e-mail composer that shows its SMTP conversation."""

__version__ = "0.1.0"
APP_NAME = "mailcomposer"
USER_AGENT = f"mailcomposer/{__version__}"
