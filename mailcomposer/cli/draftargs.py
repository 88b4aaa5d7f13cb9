"""The message half of ``send``'s options: addresses, body, files and headers become a Draft."""

from __future__ import annotations

import argparse
from pathlib import Path

from mailcomposer.cli.files import cannot_read, read_stdin_text, read_text, readable_file
from mailcomposer.cli.parser import UsageError
from mailcomposer.i18n import _

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from typing import Any

# Draft/model field names (as InputError.field carries them) -> the option to name.
OPTION_OF_FIELD = {
    "from": "--from",
    "from_addr": "--from",
    "sender": "--from",
    "to": "--to",
    "cc": "--cc",
    "bcc": "--bcc",
    "recipients": "--to",
    "reply_to": "--reply-to",
    "reply-to": "--reply-to",
    "subject": "--subject",
    "text": "--text",
    "html": "--html-file",
    "attachment": "--attach",
    "attachments": "--attach",
    "header": "--header",
    "headers": "--header",
    "extra_headers": "--header",
    "priority": "--priority",
    "inline_images": "--html-file",
}

# Headers that options set; a --header for them would be ambiguous or dangerous.
RESERVED_HEADERS = {
    "from": "--from",
    "to": "--to",
    "cc": "--cc",
    "bcc": "--bcc",
    "reply-to": "--reply-to",
    "subject": "--subject",
    "date": None,
    "message-id": None,
    "mime-version": None,
    "content-type": None,
    "content-transfer-encoding": None,
    "content-disposition": None,
    "x-priority": "--priority",
    "importance": "--priority",
}


def split_values(values: list[str]) -> str:
    """The values of a repeatable address option as one comma-separated list."""
    # Each --to may itself hold a comma-separated list; the model splits quote-aware.
    return ", ".join(v.strip() for v in values if v.strip())


def draft_from_args(args: argparse.Namespace) -> Any:
    """The ``Draft`` the options describe; ``UsageError`` naming the first bad option."""
    from mailcomposer.message.draft import Attachment, Draft, Priority

    draft = Draft(
        from_addr=(args.from_addr or "").strip(),
        to=split_values(args.to),
        cc=split_values(args.cc),
        bcc=split_values(args.bcc),
        reply_to=(args.reply_to or "").strip(),
        subject=args.subject,
        priority=Priority(args.priority),
    )
    for option, value in (
        ("--from", draft.from_addr),
        ("--to", draft.to),
        ("--cc", draft.cc),
        ("--bcc", draft.bcc),
        ("--reply-to", draft.reply_to),
    ):
        if value:
            _check_addresses(option, value)
    _check_line("--subject", args.subject)
    if args.text is not None:
        draft.text = args.text
    elif args.text_file == "-":
        if getattr(args, "password_stdin", False):
            raise UsageError(
                "--text-file",
                _("standard input cannot hold both the body and the password: "
                  "give the body as a file, or the password in MAILCOMPOSER_PASSWORD"),
            )  # fmt: skip
        draft.text = read_stdin_text("--text-file")
    elif args.text_file:
        draft.text = read_text("--text-file", args.text_file)
    if args.html_file:
        path = readable_file("--html-file", args.html_file)
        from mailcomposer.message.htmlfile import load_html_file

        try:
            html, images = load_html_file(path)
        except OSError as exc:
            raise UsageError("--html-file", cannot_read(path, exc)) from None
        except ValueError as exc:  # InputError included
            raise UsageError("--html-file", getattr(exc, "message", str(exc))) from None
        draft.html = html
        draft.inline_images = list(images)
        if not draft.text:
            from mailcomposer.message.htmltext import html_to_text

            draft.text = html_to_text(html)
    for name in args.attach:
        path = readable_file("--attach", name)
        # File-backed: the bytes are streamed at send time, never read whole here.
        draft.attachments.append(Attachment(filename=path.name, path=path))
    for header in args.header:
        draft.extra_headers.append(_parse_header(header))
    draft.read_receipt = bool(getattr(args, "read_receipt", False))
    draft.dsn = _dsn_choice(getattr(args, "dsn", "") or "")
    return draft


def _dsn_choice(text: str) -> list[str]:
    from mailcomposer.message.errors import InputError
    from mailcomposer.message.receipts import parse_notify

    try:
        return list(parse_notify(text))
    except InputError as exc:
        raise UsageError("--dsn", exc.message) from None


def _check_addresses(option: str, value: str) -> None:
    from mailcomposer.message.addresses import parse_address_list
    from mailcomposer.message.errors import InputError

    try:
        parse_address_list(value, option.lstrip("-"))
    except InputError as exc:
        raise UsageError(option, exc.message) from None


_LINE_BREAKS = frozenset("\r\n\x00\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _check_line(option: str, value: str) -> None:
    if any(ch in _LINE_BREAKS for ch in value):
        raise UsageError(option, _("contains a line break; a header must be one line, remove it"))


def _parse_header(text: str) -> tuple[str, str]:
    name, sep, value = text.partition(":")
    name = name.strip()
    if not sep or not name:
        raise UsageError("--header", _("“{text}” is not “Name: value”").format(text=text))
    if any(ord(ch) < 33 or ord(ch) > 126 for ch in name):
        raise UsageError(
            "--header",
            _("“{name}” is not a valid header name (ASCII letters, digits and dashes)").format(
                name=name
            ),
        )
    reserved = name.lower()
    if reserved in RESERVED_HEADERS:
        option = RESERVED_HEADERS[reserved]
        if option:
            message = _("use {option} instead of --header for {name}").format(
                option=option, name=name
            )
        else:
            message = _("{name} is set by mailcomposer itself").format(name=name)
        raise UsageError("--header", message)
    value = value.strip()
    _check_line("--header", value)
    return name, value


def build(draft: Any) -> Any:
    """Build the message; an ``InputError`` becomes a ``UsageError`` naming the option."""
    from mailcomposer.message.errors import InputError
    from mailcomposer.message.mime import build_message

    try:
        return build_message(draft)
    except InputError as exc:
        option = OPTION_OF_FIELD.get(exc.field, exc.field)
        if option and not option.startswith("-"):
            option = f"--{option.replace('_', '-')}"
        raise UsageError(option, exc.message) from None


def save_eml(built: Any, name: str) -> None:
    """Write the built message to ``name`` as an .eml file (``--save-eml``)."""
    from mailcomposer.message.eml import write_eml

    path = Path(name)

    try:
        write_eml(built, path)
    except OSError as exc:
        raise UsageError(
            "--save-eml",
            _("cannot write “{path}”: {reason}").format(path=path, reason=exc.strerror or exc),
        ) from None
