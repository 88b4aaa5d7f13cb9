"""What ``register`` and ``unregister`` print: one ``* `` line per step, ``! `` per failure."""

from __future__ import annotations

from typing import Any


def print_outcome(outcome: Any) -> int:
    """Print ``outcome`` (``store.registration.Outcome``); 0 if it all worked, else 1."""
    for line in outcome.done:
        print(f"* {line}")
    for line in outcome.problems:
        print(f"! {line}")
    return 0 if outcome.ok else 1
