"""Test-wide setup: headless Qt, a private MAILCOMPOSER_HOME, an in-memory keyring."""

from __future__ import annotations

import os
import threading

import pytest
from hypothesis import HealthCheck, settings

pytest_plugins = ["tests.smtp_fixtures"]

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Property tests run the same examples on every run (CI must not turn red by
# chance) and keep no example database; exploring more is a local, deliberate act:
# `pytest --hypothesis-profile=explore`.
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", max_examples=2000, deadline=None)
settings.load_profile("ci")
os.environ["MAILCOMPOSER_LANG"] = "en"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that uses a Qt application as ``gui``."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "qapp" in names or "qtbot" in names:
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def mailcomposer_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Give every test its own empty MAILCOMPOSER_HOME."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("MAILCOMPOSER_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def memory_keyring():
    """Install an in-memory keyring backend; the real one is never touched."""
    import keyring

    from tests.memory_keyring import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def fresh_access_tokens():
    """Each test starts with no OAuth2 access token cached in memory (the keyring is new too).

    The window's token cache lives for the process; a token issued by one test's
    authorization server must not be offered to the next test's.
    """
    yield
    import sys

    tokens = sys.modules.get("mailcomposer.oauth.tokens")
    if tokens is not None:
        tokens._shared = None


@pytest.fixture(autouse=True)
def no_leaked_threads():
    """Fail a test that leaves a Python thread running (servers, workers)."""
    before = set(threading.enumerate())
    yield
    leaked = []
    for thread in set(threading.enumerate()) - before:
        # A _DummyThread stands for a thread Python did not start (a QThread that
        # ran Python code); it cannot be joined and Qt tracks it instead.
        if thread.daemon or isinstance(thread, threading._DummyThread):
            continue
        thread.join(timeout=5)
        if thread.is_alive():
            leaked.append(thread.name)
    assert not leaked, f"threads left running: {leaked}"


@pytest.fixture(autouse=True)
def english():
    """Run with the English catalog unless a test switches language itself."""
    from mailcomposer import i18n

    i18n.set_language("en")
    yield
    i18n.set_language("en")
