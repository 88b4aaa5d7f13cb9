"""Ending a worker thread the house way: quit, wait, then let Qt delete both objects."""

from __future__ import annotations

from typing import Any


def end_worker_thread(thread: Any, worker: Any) -> None:
    """Stop ``thread`` (a ``QThread``) and schedule it and ``worker`` for deletion.

    Either may be None. Never ``terminate()``: the worker has already finished its
    job (this runs from its ``finished`` signal) or was told to cancel.
    """
    if thread is not None:
        thread.quit()
        thread.wait()
        thread.deleteLater()
    if worker is not None:
        worker.deleteLater()
