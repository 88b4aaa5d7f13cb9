"""The names the composer proposes in its Save dialogs are names Windows accepts."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from mailcomposer.message.filenames import is_reserved

WINDOWS_FORBIDDEN = set('<>:"/\\|?*')


def proposed_name(window, monkeypatch, action_name: str) -> str:
    """Trigger ``action_name`` and return the file name its Save dialog proposed."""
    asked: list[str] = []

    def ask(parent, caption, directory="", *args, **kwargs):
        asked.append(directory)
        return "", ""  # the user cancels

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(ask))
    found = window.findChild(QAction, action_name)
    assert found is not None, action_name
    found.trigger()
    assert len(asked) == 1
    return Path(asked[0].replace("\\", "/")).name


@pytest.mark.parametrize(
    ("subject", "eml", "pdf"),
    [
        ("Re: 周报: 第3周?", "Re 周报 第3周.eml", "Re_周报_第3周.pdf"),
        ('"Q3" <final> *draft* a\\b|c.', "Q3 final draft a b c.eml", "Q3_final_draft_a_b_c.pdf"),
        ("CON", "_CON.eml", "_CON.pdf"),
    ],
)
def test_the_save_dialogs_propose_a_name_windows_accepts(window, monkeypatch, subject, eml, pdf):
    window.subject_field.setText(subject)
    for action_name, expected in (("saveEmlAction", eml), ("exportPdfAction", pdf)):
        name = proposed_name(window, monkeypatch, action_name)
        assert name == expected
        assert not set(name) & WINDOWS_FORBIDDEN
        assert not is_reserved(name)
