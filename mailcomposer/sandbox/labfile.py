"""The window's local-server settings: one ``SandboxConfig`` kept as JSON in the home folder."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from mailcomposer.message.files import atomic_write
from mailcomposer.sandbox.config import SandboxConfig
from mailcomposer.sandbox.parsers import SandboxOptionError

FILE_NAME = "lab.json"
_log = logging.getLogger(__name__)


def lab_config_path(home: Any) -> Path:
    """Where the config is kept: ``MAILCOMPOSER_HOME/sandbox/lab.json``.

    Args:
        home: a ``store.paths.Home`` (only its ``sandbox`` folder is used).
    """
    return Path(home.sandbox) / FILE_NAME


def load_lab_config(home: Any) -> SandboxConfig:
    """The saved config, or a plain server's when none is saved or the file is unreadable.

    The file holds the sandbox's test user and password in clear: they are lab
    credentials shown on screen, never a real account's.
    """
    path = lab_config_path(home)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return SandboxConfig()
    except (OSError, UnicodeError, ValueError) as exc:
        _log.warning("ignoring unreadable %s: %s", path, exc)
        return SandboxConfig()
    if not isinstance(data, dict):
        return SandboxConfig()
    try:
        return SandboxConfig.from_dict(data)
    except (SandboxOptionError, TypeError, ValueError, AttributeError) as exc:
        _log.warning("ignoring invalid %s: %s", path, exc)
        return SandboxConfig()


def save_lab_config(home: Any, config: SandboxConfig) -> Path:
    """Write ``config`` atomically; return the file's path."""
    path = lab_config_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(config.to_dict(), indent=2, sort_keys=True, ensure_ascii=False)
    atomic_write(path, (text + "\n").encode("utf-8"))
    return path
