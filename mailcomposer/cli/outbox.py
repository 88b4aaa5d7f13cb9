"""``mailcomposer outbox``: list, run, retry and delete outbox entries; ``send --later`` queues.

``MAILCOMPOSER_NOW`` (test-only, ``YYYY-MM-DD HH:MM`` local time or ISO 8601)
stands in for the current time, so tests can run a queue "later" without waiting.
"""

from __future__ import annotations

import argparse

from mailcomposer.i18n import _

TYPE_CHECKING = False  # typing stays unimported on the way to --help
if TYPE_CHECKING:
    import datetime
    from typing import Any

ACTIONS = ("list", "run", "retry", "delete")


def add_arguments(outbox: argparse.ArgumentParser) -> None:
    """Add the options of ``outbox`` to its parser."""
    outbox.description = _(
        "The outbox: messages waiting to be sent (Send Later, temporary failures), and "
        "those that failed or whose outcome is unknown. “run” sends what is due and exits "
        "(for cron or Task Scheduler); “retry ID” sends one entry now, with the same "
        "Message-ID; “delete ID” removes one."
    )
    outbox.epilog = _(
        "Exit codes of run and retry: 0 everything due was sent (or nothing was due), else "
        "the highest exit code of send among the tries (3 connection, 6 refused, 8 outcome "
        "unknown...)."
    )
    outbox.add_argument(
        "action", nargs="?", default="list", choices=ACTIONS, help=_("what to do (default: list)")
    )
    outbox.add_argument("id", nargs="?", metavar="ID", help=_("the entry, for retry and delete"))
    outbox.add_argument("--json", action="store_true", help=_("print one JSON object"))


def now() -> datetime.datetime:
    """The current time (aware); ``MAILCOMPOSER_NOW`` replaces it in tests."""
    import datetime
    import os

    fake = os.environ.get("MAILCOMPOSER_NOW", "").strip()
    if fake:
        return datetime.datetime.fromisoformat(fake).astimezone()
    return datetime.datetime.now().astimezone()


def parse_later(text: str) -> datetime.datetime:
    """``--later "YYYY-MM-DD HH:MM"`` (local time) as an aware time in the future.

    Raises:
        UsageError: unreadable, or not in the future.
    """
    import datetime

    from mailcomposer.cli.parser import UsageError

    try:
        moment = datetime.datetime.strptime(text.strip(), "%Y-%m-%d %H:%M").astimezone()
    except ValueError:
        raise UsageError(
            "--later",
            _("“{value}” is not a time; write it as “YYYY-MM-DD HH:MM” (local time)").format(
                value=text
            ),
        ) from None
    if moment <= now():
        raise UsageError(
            "--later",
            _("{value} is in the past; give a time to come, or send now without --later").format(
                value=text
            ),
        )
    return moment


def queue_later(home: Any, built: Any, server: Any, out: Any, due: datetime.datetime) -> int:
    """``send --later``: keep the built message in the outbox until ``due``; send nothing."""
    from mailcomposer.cli.report import print_result_json
    from mailcomposer.smtp.errors import ExitCode
    from mailcomposer.store.outboxqueue import OutboxQueue, settings_fields

    settings = server.settings
    fields = {} if server.account_name else settings_fields(settings, sandbox=server.start_sandbox)
    label = "" if server.start_sandbox else f"{settings.host}:{settings.effective_port}"
    entry = OutboxQueue(home, clock=now).schedule(
        built, due, account=server.account_name, server=label, settings=fields
    )
    if out.json:
        extra = {
            "message_id": entry.message_id,
            "queued": {"id": entry.id, "due": due.isoformat(timespec="minutes")},
        }
        print_result_json(out, ExitCode.OK, extra=extra)
        return 0
    print(
        _("Queued as {id}, to be sent at {time} by “mailcomposer outbox run”.").format(
            id=entry.id, time=due.strftime("%Y-%m-%d %H:%M")
        )
    )
    if settings.username and not server.account_name:
        out.note(_("The password is not kept: “outbox run” reads MAILCOMPOSER_PASSWORD."))
    return 0


def note_unknown(home: Any, out: Any) -> None:
    """A ``* `` note for each outbox entry whose outcome is unknown (before any send)."""
    if not any(home.outbox.glob("*.json")):
        return
    from mailcomposer.store.outboxqueue import OutboxQueue

    for entry in OutboxQueue(home).unknown():
        out.note(
            _(
                "An earlier message ({subject}, {id}) may or may not have been delivered; "
                "check, then “mailcomposer outbox retry {id}” or “delete {id}”"
            ).format(subject=entry.subject() or _("(no subject)"), id=entry.id)
        )


def run(args: argparse.Namespace) -> int:
    """Run ``mailcomposer outbox``; return its exit code."""
    from mailcomposer.cli import signals
    from mailcomposer.cli.output import print_error, usage_error
    from mailcomposer.cli.parser import UsageError
    from mailcomposer.store.outboxqueue import EntryBusy, OutboxQueue
    from mailcomposer.store.paths import Home

    home = Home.from_env()
    queue = OutboxQueue(home, clock=now)
    if args.action in ("retry", "delete") and not args.id:
        return usage_error("ID", _("{action} needs the entry's ID").format(action=args.action))
    if args.action == "list":
        return _list(queue, args.json)
    try:
        if args.action == "delete":
            queue.delete(args.id)
            if args.json:
                from mailcomposer.terminal import print_json

                print_json({"deleted": args.id})
            else:
                print(_("Deleted {id}.").format(id=args.id))
            return 0
        with signals.cancel_on_signals() as cancel:
            if args.action == "retry":
                return _retry(queue, args, cancel)
            return _run_due(queue, args, cancel)
    except KeyError:
        return usage_error("ID", _("no outbox entry {id}").format(id=args.id))
    except EntryBusy:
        print_error("", _("{id} is being sent right now.").format(id=args.id))
        return 3
    except UsageError as exc:
        return usage_error(exc.option, exc.message)
    except signals.Cancelled:
        return 7


def _list(queue: Any, as_json: bool) -> int:
    from mailcomposer.terminal import print_json

    entries = queue.entries()
    if as_json:
        print_json({"entries": [_entry_json(e) for e in entries]})
        return 0
    if not entries:
        print(_("The outbox is empty."))
        return 0
    for entry in entries:
        recipients = ", ".join(entry.recipients)
        print(f"{entry.id}  {entry.state:<9} {entry.subject() or _('(no subject)')} → {recipients}")
        details = [_("next try: {time}").format(time=_local(entry.next_try) or "-")]
        details.append(_("attempts: {n}").format(n=entry.attempts))
        if entry.last_error:
            details.append(_("last error: {error}").format(error=entry.last_error))
        print("    " + " · ".join(details))
    return 0


def _entry_json(entry: Any) -> dict[str, Any]:
    return {
        "id": entry.id,
        "state": str(entry.state),
        "subject": entry.subject(),
        "message_id": entry.message_id,
        "sender": entry.sender,
        "recipients": list(entry.recipients),
        "account": entry.account,
        "server": entry.server,
        "created": entry.created,
        "next_try": entry.next_try,
        "attempts": entry.attempts,
        "last_error": entry.last_error,
        "size": entry.size,
    }


def _local(iso: str) -> str:
    from mailcomposer.store.outboxqueue import parse_time

    moment = parse_time(iso)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


def _retry(queue: Any, args: argparse.Namespace, cancel: Any) -> int:
    """``retry ID``: send one entry now, transcript shown as ``send`` shows it."""
    from mailcomposer.cli.report import SendOutput, report_error, report_result

    out = SendOutput(json=args.json, quiet=False, explain=False)
    entry = queue.get(args.id)
    attempt = _attempt(queue, entry, args, cancel, out, explicit=True)
    cancel.disarm()
    if attempt.result is not None:
        return report_result(out, attempt.result)
    code = report_error(out, attempt.error)
    if not args.json:
        _say_what_next(attempt)
    return code


def _run_due(queue: Any, args: argparse.Namespace, cancel: Any) -> int:
    """``run``: send every due entry once; the worst exit code, 0 if all went or none was due."""
    from mailcomposer.cli.output import print_error
    from mailcomposer.cli.parser import UsageError
    from mailcomposer.cli.report import SendOutput
    from mailcomposer.store.outboxqueue import EntryBusy, NotDue
    from mailcomposer.terminal import print_json

    worst = 0
    report = []
    for entry in queue.due():
        if cancel.signum is not None:
            worst = max(worst, 7)
            break
        out = SendOutput(json=True, quiet=True, explain=False)  # the log keeps the transcript
        subject = entry.subject() or _("(no subject)")  # read now: a sent entry is gone
        notes: list[str] = []  # what became of the copy for Sent
        try:
            attempt = _attempt(queue, entry, args, cancel, out, explicit=False, notes=notes)
        except (EntryBusy, NotDue, KeyError):
            continue  # another run took it, or it changed meanwhile
        except UsageError as exc:  # no password, the account is gone...
            print_error(exc.option, f"{entry.id}: {exc.message}")
            worst = max(worst, 2)
            report.append({"id": entry.id, "exit_code": 2, "error": exc.message})
            continue
        code = int(attempt.exit_code)
        worst = max(worst, code)
        report.append({**_attempt_json(attempt), **({"notes": notes} if notes else {})})
        if not args.json:
            _print_attempt(entry.id, subject, attempt)
            for note in notes:
                print(f"* {note}")
    if args.json:
        print_json({"exit_code": worst, "attempts": report})
    elif not report:
        print(_("Nothing is due."))
    return worst


def _attempt(
    queue: Any,
    entry: Any,
    args: argparse.Namespace,
    cancel: Any,
    out: Any,
    *,
    explicit: bool,
    notes: list[str] | None = None,
) -> Any:
    """Send ``entry`` with its account's server and password; return the ``Attempt``.

    Once accepted, its copy (Bcc put back) is filed in the account's Sent folder as
    ``send`` files it; each outcome is a note of ``out`` and is added to ``notes``.
    """
    from dataclasses import replace

    from mailcomposer.cli import serverargs
    from mailcomposer.store.sentcopies import after_send_hook
    from mailcomposer.submission import Submission

    server = _server_for(entry, queue.home, args)
    settings, secret = server.settings, server.secret
    if settings.username and secret is None:
        secret = serverargs.ask_password(_password_args(args), settings)
    sandbox = None
    if server.start_sandbox:
        from mailcomposer.sandbox.server import SandboxServer

        home = queue.home
        sandbox = SandboxServer(home.sandbox_maildir, cert_dir=home.sandbox).start()
        settings = replace(settings, port=sandbox.port)
    try:

        def note(text: str) -> None:
            out.note(text)
            if notes is not None:
                notes.append(text)

        def send(stored: Any) -> Any:
            submission = Submission(
                queue.home, settings, secret, None, stored.account, entry=stored
            )
            submission.after_sent = after_send_hook(
                queue.home, stored.account, secret, submission.built, note
            )
            return cancel.run(submission, out)

        return queue.send_entry(entry.id, send, explicit=explicit)
    finally:
        if sandbox is not None:
            sandbox.stop()


def _server_for(entry: Any, home: Any, args: argparse.Namespace) -> Any:
    """Where ``entry`` goes: its account as it is now, else the server it keeps."""
    from mailcomposer.cli import serverargs
    from mailcomposer.cli.parser import UsageError
    from mailcomposer.smtp.settings import Security, ServerSettings

    fields = entry.settings
    if not entry.recipients:  # its sidecar was damaged: the envelope is lost
        raise UsageError(
            "",
            _(
                "this entry does not say whom to send it to; open {path} in the composer "
                "(“mailcomposer {path}”), check the recipients and send it, or delete it"
            ).format(path=entry.path),
        )
    if entry.account:
        return serverargs.server_from_args(_server_args(account=entry.account), home)
    if fields.get("sandbox"):
        settings = ServerSettings(host="127.0.0.1", port=0, security=Security.NONE)
        return serverargs.Server(settings, start_sandbox=True)
    host = str(fields.get("host", ""))
    if not host:
        raise UsageError("", _("this entry does not say which server to use; delete it"))
    shown = f"[{host}]" if ":" in host else host
    return serverargs.server_from_args(
        _server_args(
            server=f"{shown}:{fields.get('port') or 25}",
            security=fields.get("security") or None,
            user=fields.get("username") or None,
            cafile=fields.get("cafile") or None,
        ),
        home,
    )


def _server_args(**given: Any) -> argparse.Namespace:
    values = {
        "account": None,
        "server": None,
        "security": None,
        "user": None,
        "cafile": None,
        "timeout": None,
        "password_stdin": False,
        "json": True,
    }
    values.update(given)
    return argparse.Namespace(**values)


def _password_args(args: argparse.Namespace) -> argparse.Namespace:
    return _server_args(json=args.json)


def _attempt_json(attempt: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": attempt.entry_id, "exit_code": int(attempt.exit_code)}
    if attempt.result is not None:
        data["message_id"] = attempt.result.message_id
        data["accepted"] = list(attempt.result.accepted)
    else:
        data["state"] = str(attempt.state)
        data["error"] = attempt.error.to_dict()
        data["next_try"] = attempt.next_try.isoformat() if attempt.next_try else None
    return data


def _print_attempt(entry_id: str, subject: str, attempt: Any) -> None:
    if attempt.result is not None:
        print(
            _("Sent {id} ({subject}); Message-ID {message_id}").format(
                id=entry_id, subject=subject, message_id=attempt.result.message_id
            )
        )
        return
    print(
        _("Not sent {id} ({subject}): {error}").format(
            id=entry_id, subject=subject, error=attempt.error.user_message
        )
    )
    _say_what_next(attempt)


def _say_what_next(attempt: Any) -> None:
    from mailcomposer.store.outbox import OutboxState

    if attempt.state is OutboxState.RETRY and attempt.next_try is not None:
        text = _("* It stays in the outbox; next try at {time}.").format(
            time=attempt.next_try.astimezone().strftime("%Y-%m-%d %H:%M")
        )
    elif attempt.state is OutboxState.FAILED:
        text = _("* It stays in the outbox as failed: edit or delete it.")
    elif attempt.state is OutboxState.UNKNOWN:
        text = _(
            "* It stays in the outbox: it may have been delivered; check before "
            "“mailcomposer outbox retry {id}”."
        ).format(id=attempt.entry_id)
    else:
        return
    print(text)
