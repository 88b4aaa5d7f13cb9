"""Message templates: drafts kept by name under ``MAILCOMPOSER_HOME/templates``."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

from mailcomposer.i18n import _
from mailcomposer.message.draft import Draft
from mailcomposer.message.errors import InputError
from mailcomposer.message.filenames import is_reserved
from mailcomposer.store.paths import Home, atomic_write

__all__ = ["FORMAT_VERSION", "TemplateStore", "check_name", "suggested_name"]

FORMAT_VERSION = 1
SUFFIX = ".json"
# Characters no file system takes in a name (Windows is the strictest), and controls.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
# How long a name made from a subject may be (a typed name may reach 100 characters).
SUGGESTED_LENGTH = 60


def check_name(name: str) -> str:
    """Return ``name`` stripped if it can be a template's file name.

    Raises:
        InputError: (field ``template``) empty, too long, a path, or a name Windows refuses.
    """
    clean = name.strip()
    if not clean:
        raise InputError("template", _("Give the template a name"), name)
    found = _FORBIDDEN.findall(clean)
    if found and all(c.isprintable() for c in found):  # say which ones; controls are unseen
        raise InputError(
            "template",
            _("“{name}” cannot be a template name: leave out {characters}").format(
                name=clean, characters=" ".join(f"“{c}”" for c in dict.fromkeys(found))
            ),
            name,
        )
    if (
        _FORBIDDEN.search(clean)
        or clean.startswith(".")
        or clean.endswith(".")
        or len(clean) > 100
        or is_reserved(clean)
    ):
        raise InputError(
            "template",
            _("“{name}” cannot be a template name: use letters, digits, spaces and “-”").format(
                name=clean
            ),
            name,
        )
    return clean


def suggested_name(subject: str) -> str:
    """A template name made from ``subject`` that ``check_name`` takes, or "" when none.

    The characters a file name cannot hold become spaces: ``Re: 周报: 第3周?`` is
    offered as ``Re 周报 第3周``, not refused once the user has pressed OK.
    """
    name = " ".join(_FORBIDDEN.sub(" ", subject).split())[:SUGGESTED_LENGTH].strip(" .")
    try:
        return check_name(name)
    except InputError:
        return ""


class TemplateStore:
    """Saves, lists, loads and deletes templates (one JSON file each, written atomically).

    Attributes:
        folder: where the templates are (created on the first save).
    """

    def __init__(self, home: Home) -> None:
        self.folder: Path = home.root / "templates"

    def path(self, name: str) -> Path:
        """The file of template ``name``.

        Raises:
            InputError: ``name`` cannot be a template name.
        """
        return self.folder / f"{check_name(name)}{SUFFIX}"

    def names(self) -> list[str]:
        """Every template's name, sorted without regard to case."""
        if not self.folder.is_dir():
            return []
        found = (p.name[: -len(SUFFIX)] for p in self.folder.iterdir() if p.name.endswith(SUFFIX))
        return sorted((n for n in found if not n.startswith(".")), key=str.casefold)

    def existing(self, name: str) -> str | None:
        """The template that ``name`` would replace (its name), ignoring case, or None.

        Case is ignored because Windows and macOS ignore it in file names: "Weekly"
        and "weekly" are one file there.
        """
        key = name.strip().casefold()
        return next((found for found in self.names() if found.casefold() == key), None)

    def save(self, name: str, draft: Draft, replacing: str | None = None) -> Path:
        """Keep ``draft`` as template ``name`` (replacing one of that name); no Message-ID.

        ``replacing`` names the template this one replaces when it differs in case
        ("Weekly" saved as "weekly"): its file goes, unless the file system ignores
        case and it is the very file just written.

        Raises:
            InputError: a bad name.
            OSError: the folder cannot be written.
        """
        path = self.path(name)
        data = dataclasses.replace(draft, message_id=None).to_dict()
        payload = {"version": FORMAT_VERSION, "template": data}
        self.folder.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8"))
        if replacing is not None and replacing != name.strip():
            old = self.path(replacing)
            if old.exists() and not old.samefile(path):
                old.unlink()
        return path

    def load(self, name: str) -> Draft:
        """A new draft from template ``name`` (it never carries a Message-ID).

        Raises:
            InputError: a bad name, no such template, or a damaged file (field ``template``).
        """
        path = self.path(name)
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            draft = Draft.from_dict(payload["template"])
        except FileNotFoundError:
            raise InputError(
                "template", _("There is no template named “{name}”").format(name=name), name
            ) from None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(
                "template",
                _("The template “{name}” cannot be read: {problem}").format(name=name, problem=exc),
                name,
            ) from None
        draft.message_id = None
        return draft

    def delete(self, name: str) -> bool:
        """Remove template ``name``; False if there was none."""
        try:
            self.path(name).unlink()
        except FileNotFoundError:
            return False
        return True
