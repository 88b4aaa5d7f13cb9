"""``mailcomposer history``: the send log, every attempt, newest first; as text or JSON."""

from __future__ import annotations

import argparse

from mailcomposer.i18n import _

TYPE_CHECKING = False  # typing stays unloaded on the way to --help
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


def add_arguments(history: argparse.ArgumentParser) -> None:
    """Add the options of ``history`` to its parser."""
    history.description = _(
        "List send attempts from the send log (sent, partly sent, failed, cancelled and "
        "outcome unknown), newest first."
    )
    history.add_argument("--json", action="store_true", help=_("print one JSON object"))
    history.add_argument(
        "--failed", action="store_true", help=_("only attempts that did not go out")
    )
    history.add_argument(
        "--since", metavar="YYYY-MM-DD", help=_("only attempts on or after this day")
    )
    history.add_argument(
        "--search", metavar=_("TEXT"), default="", help=_("only attempts mentioning TEXT")
    )
    history.add_argument(
        "--limit", metavar="N", default="50", help=_("at most N attempts (0: all; default 50)")
    )


def _limit(text: str) -> int:
    from mailcomposer.cli.parser import UsageError

    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise UsageError("--limit", _("“{value}” is not a whole number ≥ 0").format(value=text))
    return value


def query_from_args(args: argparse.Namespace):
    """The ``Query`` the options ask for (raises ``UsageError`` naming the option)."""
    from mailcomposer.cli.parser import UsageError
    from mailcomposer.store.historyquery import (
        FAILED_OUTCOMES,
        DayError,
        Query,
        parse_day,
    )

    try:
        since = parse_day(args.since) if args.since else None
    except DayError as exc:
        raise UsageError("--since", exc.problem) from None
    return Query(
        text=args.search,
        since=since,
        outcomes=FAILED_OUTCOMES if getattr(args, "failed", False) else (),
        limit=_limit(getattr(args, "limit", "0")),
    )


def read_log(read: Callable[[Any], Any]) -> Any:
    """``read(history)`` on the home's send log; None when it cannot be read (said why).

    A log found damaged on opening is set aside by the store; this says where it went.
    """
    from mailcomposer.cli.output import print_error, print_warning
    from mailcomposer.store.history import History, read_with_notice
    from mailcomposer.store.paths import Home

    history = History(Home.from_env())
    try:
        found, problem = read_with_notice(lambda: read(history), history, None)
    finally:
        history.close()
    if found is None:
        print_error("", problem)
    elif problem:
        print_warning(problem)
    return found


def run(args: argparse.Namespace) -> int:
    """Print the matching attempts; 0, or 2 for a bad option."""
    import json

    from mailcomposer.cli.output import EXIT_INPUT, usage_error
    from mailcomposer.cli.parser import UsageError
    from mailcomposer.store.historyquery import search

    try:
        query = query_from_args(args)
    except UsageError as exc:
        return usage_error(exc.option, exc.message)
    records = read_log(lambda history: search(history, query))
    if records is None:
        return EXIT_INPUT
    if args.json:
        print(json.dumps({"attempts": [r.to_json() for r in records]}, ensure_ascii=False))
        return 0
    if not records:
        print(_("No send attempts match."))
        return 0
    for record in records:
        print(_format(record))
    return 0


def outcome_word(outcome: str) -> str:
    """An outcome id as the commands print it: the id itself in English, translated else."""
    words = {
        "sent": _("sent"),
        "partial": _("partial"),
        "failed": _("failed"),
        "cancelled": _("cancelled"),
        "unknown": _("unknown"),
    }
    return words.get(outcome, outcome)


def stage_word(stage: str) -> str:
    """A protocol stage id as the commands print it (``auth``; ``AUTH`` in Chinese)."""
    words = {
        "build": _("build"),
        "connect": _("connect"),
        "greeting": _("greeting"),
        "ehlo": _("ehlo"),
        "starttls": _("starttls"),
        "auth": _("auth"),
        "mail": _("mail"),
        "rcpt": _("rcpt"),
        "data": _("data"),
        "upload": _("upload"),
        "final-dot": _("final-dot"),
        "quit": _("quit"),
    }
    if not stage or stage == "unknown":
        return _("not recorded")
    return words.get(stage, stage)


def pad(text: str, width: int) -> str:
    """``text`` and spaces up to ``width`` terminal columns (a Chinese character takes two)."""
    from mailcomposer.terminal import display_width

    return text + " " * max(0, width - display_width(text))


def _format(record) -> str:
    from mailcomposer.message.sizes import format_size
    from mailcomposer.store.accounts import SANDBOX_NAME

    when = record.date[:16].replace("T", " ")
    recipients = ", ".join(record.recipients)
    outcome = pad(outcome_word(record.result), 9)
    line = f"{when}  {outcome} {record.subject or _('(no subject)')} → {recipients}"
    details = [format_size(record.size)] if record.size else []
    if record.account:
        local = record.account == SANDBOX_NAME
        details.append(_("Local test server") if local else record.account)
    if record.stage and not record.succeeded:
        # The server's reply, or (no reply: refused connection, timeout) the error itself.
        code = str(record.reply_code) if record.reply_code else ""
        reply = " ".join(part for part in (code, record.reply_text.strip()) if part)
        details.append(
            _("stopped at {stage}: {reply}").format(
                stage=stage_word(record.stage), reply=reply or "-"
            )
        )
    if record.refused:
        details.append(_("refused: {who}").format(who="; ".join(record.refused)))
    details.append(record.message_id)
    return line + "\n    " + " · ".join(details)
