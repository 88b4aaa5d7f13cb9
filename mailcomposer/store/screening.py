"""The screening rules file, ``MAILCOMPOSER_HOME/screening.toml``: read, check and write it."""

from __future__ import annotations

import json
from pathlib import Path

from mailcomposer.i18n import _
from mailcomposer.message.files import atomic_write
from mailcomposer.message.screening import Action, Rule, Settings

EXAMPLE = """\
# Checks mailcomposer runs before each send (see the README, "Screening").
# own_domains = ["example.org"]    # recipients elsewhere are pointed out
# max_visible_recipients = 15      # more To + Cc addresses suggest Bcc
#
# [[rule]]
# name = "Confidential"
# match = "word:CONFIDENTIAL"      # word:, regex:, or detector: card | cn-id | phone
# action = "block"                 # or "warn"
"""


class ScreeningFileError(ValueError):
    """The rules file cannot be used; the message names the file and what to fix."""


def _fail(path: Path, problem: str) -> ScreeningFileError:
    return ScreeningFileError(_("{path}: {problem}").format(path=path, problem=problem))


def parse(text: str, path: Path) -> Settings:
    """Read the rules from ``text`` (the content of ``path``, named in errors)."""
    import tomllib  # here: only when a screening.toml exists

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(path, _("not valid TOML ({error}).").format(error=exc)) from exc
    known = {"rule", "own_domains", "max_visible_recipients"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise _fail(path, _("unknown setting {name}.").format(name=unknown[0]))
    domains = data.get("own_domains", [])
    if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
        raise _fail(path, _('own_domains must be a list of domains, like ["example.org"].'))
    limit = data.get("max_visible_recipients", Settings.max_visible_recipients)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise _fail(path, _("max_visible_recipients must be a whole number of at least 1."))
    rules = []
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list):
        raise _fail(path, _("write each rule as a [[rule]] table."))
    for number, raw in enumerate(raw_rules, 1):
        where = _("rule {n}").format(n=number)
        if not isinstance(raw, dict):
            raise _fail(path, _("{where}: write it as a [[rule]] table.").format(where=where))
        extra = sorted(set(raw) - {"name", "match", "action"})
        if extra:
            raise _fail(path, _("{where}: unknown key {key}.").format(where=where, key=extra[0]))
        name, match = raw.get("name"), raw.get("match")
        if not isinstance(name, str) or not name.strip():
            raise _fail(path, _("{where}: give it a name.").format(where=where))
        if not isinstance(match, str):
            raise _fail(
                path, _("{where} ({name}): give it a match.").format(where=where, name=name)
            )
        try:
            action = Action(str(raw.get("action", "warn")).lower())
        except ValueError:
            raise _fail(
                path,
                _("{where} ({name}): action must be warn or block.").format(where=where, name=name),
            ) from None
        rule = Rule(name.strip(), match.strip(), action)
        try:
            rule.matcher()
        except ValueError as exc:
            raise _fail(path, f"{where} ({name}): {exc}") from exc
        rules.append(rule)
    return Settings(tuple(rules), tuple(d.strip() for d in domains if d.strip()), limit)


def load(path: Path) -> Settings:
    """Read ``path``; a missing file means the built-in checks only."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(path, _("cannot be read ({error}).").format(error=exc)) from exc
    return parse(text, path)


def _toml_string(value: str) -> str:
    # A JSON string is a valid TOML basic string (same escapes; \\uXXXX allowed).
    return json.dumps(value, ensure_ascii=False)


def dumps(settings: Settings) -> str:
    """The settings as TOML text that :func:`parse` reads back identically."""
    lines = ["# Checks mailcomposer runs before each send (see the README, “Screening”)."]
    domains = ", ".join(_toml_string(d) for d in settings.own_domains)
    lines.append(f"own_domains = [{domains}]")
    lines.append(f"max_visible_recipients = {settings.max_visible_recipients}")
    for rule in settings.rules:
        lines += [
            "",
            "[[rule]]",
            f"name = {_toml_string(rule.name)}",
            f"match = {_toml_string(rule.match)}",
            f"action = {_toml_string(rule.action.value)}",
        ]
    return "\n".join(lines) + "\n"


def save(path: Path, settings: Settings) -> None:
    """Write ``settings`` to ``path`` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, dumps(settings).encode("utf-8"))
