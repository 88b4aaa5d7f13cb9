"""Plain-words meanings of SMTP lines (replies, enhanced codes, commands), with their RFCs."""

from __future__ import annotations

import re

from mailcomposer.i18n import N_, _, ngettext, sentences
from mailcomposer.smtp.keywords import Explanation, explain_mechanism
from mailcomposer.smtp.rfc import Ref, ref

_ENHANCED = re.compile(r"^\s*([245])\.(\d{1,3})\.(\d{1,3})\b")

# What a 250 means depends on the command it answers.
_OK_BY_COMMAND = {
    "EHLO": N_("The server greets us back and lists the extensions it supports."),
    "HELO": N_("The server greets us back (old-style, no extensions)."),
    "MAIL": N_("The server accepts this sender."),
    "RCPT": N_("The server accepts this recipient."),
    ".": N_("The server accepted the message for delivery; it is now responsible for it."),
    "RSET": N_("The server forgot the half-finished message."),
    "NOOP": N_("The server is still there."),
}

_BY_CODE = {
    211: N_("System status."),
    214: N_("Help text from the server."),
    220: N_("The server is ready."),
    221: N_("The server says goodbye and closes the connection."),
    235: N_("Logged in: the server accepted the user name and password."),
    250: N_("Done: the server accepted the command."),
    251: N_("The recipient is not local; the server will forward the message."),
    252: N_("The server cannot check this recipient but will try to deliver."),
    334: N_("The server waits for the next piece of the login."),
    354: N_("The server is ready for the message; it ends with a line holding only a dot."),
    421: N_("The server is closing the connection (busy or shutting down); try again later."),
    450: N_("The mailbox is not available right now (busy or greylisted); try again later."),
    451: N_("The server had a local problem; try again later."),
    452: N_("The server is short of storage or you sent too many recipients; try later."),
    454: N_("TLS or login is temporarily unavailable on the server; try again later."),
    500: N_("The server did not understand the command (or the line was too long)."),
    501: N_("The server understood the command but not its arguments."),
    502: N_("The server does not implement this command."),
    503: N_("Wrong order of commands (for example DATA before RCPT, or not logged in)."),
    504: N_("The server does not support this parameter or login method."),
    530: N_("The server requires you to log in (or to start TLS) first."),
    534: N_("The server wants a stronger login method (often: use an app password)."),
    535: N_("The user name or password was not accepted."),
    538: N_("The server only accepts this login method inside an encrypted connection."),
    550: N_("Refused: the mailbox does not exist, or the server does not allow this."),
    551: N_("The recipient is not local to this server, and it will not forward."),
    552: N_("Refused: the message is too big, or the mailbox is full."),
    553: N_("Refused: the address is not allowed (often: sender not owned by this account)."),
    554: N_("The server refused the transaction (often judged as spam or policy)."),
    555: N_("The server does not recognise a MAIL or RCPT parameter."),
}

_BY_CLASS = {
    2: N_("Success."),
    3: N_("The server waits for more input."),
    4: N_("Temporary failure: trying again later may work."),
    5: N_("Permanent failure: sending the same thing again will not help."),
}

_BY_ENHANCED = {
    "5.7.1": N_("Not allowed by the server's policy (relaying denied, sender not permitted)."),
    "5.7.8": N_("The login was refused: check the user name and password."),
    "5.7.0": N_("A security rule refused this (often: log in or use TLS first)."),
    "5.7.9": N_("This login method is not allowed for your account."),
    "5.1.1": N_("This mailbox does not exist: check the address for typos."),
    "5.1.0": N_("There is a problem with this address."),
    "5.1.2": N_("The recipient's domain does not exist or accepts no mail."),
    "5.2.2": N_("The recipient's mailbox is full."),
    "5.3.4": N_("The message is bigger than the server accepts."),
    "5.2.3": N_("The message is bigger than the recipient's server accepts."),
    "4.7.0": N_("Temporarily refused for security reasons (greylisting or too many attempts)."),
    "4.2.2": N_("The recipient's mailbox is full for now."),
    "4.4.2": N_("The connection broke; try again."),
}


_BY_ENHANCED_SUCCESS = {
    "2.0.0": N_("2.0.0: done, nothing more to report."),
    "2.1.0": N_("2.1.0: the sender address is fine."),
    "2.1.5": N_("2.1.5: the recipient address is valid and accepted."),
    "2.5.0": N_("2.5.0: the protocol step is done."),
    "2.6.0": N_("2.6.0: the message content was accepted and queued for delivery."),
    "2.7.0": N_("2.7.0: the security step succeeded (for example, logged in)."),
}
_MORE_ENHANCED = {
    "4.7.1": N_(
        "Refused for now by the server's policy; greylisting servers say this to a "
        "first attempt and accept a retry."
    ),
    "4.2.0": N_("The mailbox is busy for now."),
    "4.3.0": N_("The receiving mail system has a temporary problem."),
    "4.4.1": N_("No answer from the next server; it will be tried again."),
    "4.5.3": N_("Too many recipients in one message for now."),
    "5.1.3": N_("The recipient address is not written correctly."),
    "5.1.7": N_("The sender address is not written correctly."),
    "5.1.8": N_("The sender's domain is not accepted (it may not exist)."),
    "5.1.10": N_("The recipient's domain says it accepts no mail (null MX)."),
    "5.2.1": N_("The recipient's mailbox is disabled."),
    "5.3.0": N_("The receiving mail system refused the message."),
    # RFC 3463 §3.6: "out of sequence or unsupported"; servers send it for both.
    "5.5.1": N_("The command is not valid here: out of order, or not supported."),
    "5.5.2": N_("The command's syntax is wrong."),
    "5.5.3": N_("Too many recipients in one message."),
    "5.5.4": N_("The command's arguments are not valid."),
    "5.6.7": N_("A non-ASCII address needs SMTPUTF8, which is not available here."),
    "5.7.11": N_("This login method needs an encrypted connection."),
    "5.7.23": N_("The sender's SPF record does not allow this server to send for it."),
    "5.7.26": N_("The message failed the sender checks (SPF, DKIM, DMARC)."),
}
_BY_ENHANCED.update(_MORE_ENHANCED)

# The subject digit of an enhanced code: the RFC 3463 section that describes it.
_ENHANCED_SUBJECT_SECTION = {
    "0": "3.1", "1": "3.2", "2": "3.3", "3": "3.4", "4": "3.5", "5": "3.6", "6": "3.7", "7": "3.8",
}  # fmt: skip

# The RFC sections behind a reply, by the command it answers.
_COMMAND_SECTIONS = {
    "EHLO": "4.1.1.1", "HELO": "4.1.1.1", "MAIL": "4.1.1.2", "RCPT": "4.1.1.3",
    "DATA": "4.1.1.4", ".": "4.1.1.4", "RSET": "4.1.1.5", "VRFY": "4.1.1.6",
    "EXPN": "4.1.1.7", "HELP": "4.1.1.8", "NOOP": "4.1.1.9", "QUIT": "4.1.1.10",
}  # fmt: skip
_AUTH_CODES = {235, 334, 454, 530, 534, 535, 538}
# Reply codes whose plain words name a cause, and the enhanced-code subjects that agree
# with it. 451 is "local error in processing" (RFC 5321 §4.2.3), but greylisting and
# policy checks send 451 4.7.1: there the code's words would blame the server.
_CAUSE_SUBJECTS = {451: ("0", "3", "4")}


SUMMARY_BY_SUBJECT = {
    "3.1": N_("other or undefined status."),
    "3.2": N_("about an address (sender or recipient)."),
    "3.3": N_("about the recipient's mailbox."),
    "3.4": N_("about the receiving mail system."),
    "3.5": N_("about the network or routing."),
    "3.6": N_("about the mail delivery protocol."),
    "3.7": N_("about the message content."),
    "3.8": N_("about security or policy."),
}


def enhanced_code(text: str) -> str | None:
    """Return the enhanced status code at the start of a reply text (``5.7.8``), if any."""
    match = _ENHANCED.match(text or "")
    return ".".join(match.groups()) if match else None


def explain_enhanced(code: str) -> Explanation:
    """What an enhanced status code (``2.1.5``, ``5.7.8`` ...) means (RFC 3463)."""
    parts = code.split(".")
    if len(parts) != 3 or parts[0] not in ("2", "4", "5"):
        return Explanation("")
    refs = [ref(3463, _ENHANCED_SUBJECT_SECTION.get(parts[1], "2"))]
    if code in _BY_ENHANCED_SUCCESS:
        return Explanation(_(_BY_ENHANCED_SUCCESS[code]), (*refs, ref(3463, "2")))
    if code in _BY_ENHANCED:
        text = _(_BY_ENHANCED[code])
    else:
        text = _(SUMMARY_BY_SUBJECT.get(refs[0].section, SUMMARY_BY_SUBJECT["3.1"]))
    if code in ("5.7.8", "5.7.9", "5.7.11", "4.7.0", "5.7.0"):
        refs.append(ref(4954, "6"))
    if code == "4.7.1":
        refs.append(ref(6647, "2"))
    return Explanation(f"{code}: {text}", (*refs, ref(3463, "2")))


def _reply_refs(code: int, verb: str) -> list[Ref]:
    refs: list[Ref] = []
    if code == 220 and verb == "STARTTLS":
        refs.append(ref(3207, "4"))
    elif code == 220 or (code == 554 and not verb):
        refs.append(ref(5321, "3.1"))
    if code in _AUTH_CODES or verb == "AUTH":
        refs.extend([ref(4954, "6"), ref(4954, "4")] if code == 334 else [ref(4954, "6")])
    if code == 552 and verb in ("MAIL", ".", "DATA", "RCPT"):
        refs.append(ref(1870, "6"))
    if code == 421:
        refs.append(ref(5321, "3.8"))
    if code in (251, 551):
        refs.append(ref(5321, "3.4"))
    if code == 252:
        refs.append(ref(5321, "7.3"))
    if code == 500:
        refs.append(ref(5321, "4.5.3.1"))
    if verb in _COMMAND_SECTIONS and code < 400:
        refs.append(ref(5321, _COMMAND_SECTIONS[verb]))
    if code >= 400:
        refs.append(ref(5321, "4.2.1"))
    if 400 <= code < 500:
        refs.append(ref(5321, "4.5.4.1"))
    refs.append(ref(5321, "4.2.2"))
    return refs


def explain_reply_full(code: int, text: str, command: str | None = None) -> Explanation:
    """What a server reply means, with the RFC sections behind it.

    Args:
        code: the three-digit reply code (``-1`` for a line that is not a reply).
        text: the reply text (its enhanced code, if any, refines the meaning).
        command: the command it answers (``EHLO``, ``MAIL``, ``RCPT``, ``DATA``, ``.``
            for the final dot, ``AUTH`` ...), which matters for 250 and 354.
    """
    if not 200 <= code <= 599:
        return Explanation(
            _("Not a valid SMTP reply: a reply starts with a three-digit code."),
            (ref(5321, "4.2"),),
        )
    verb = (command or "").strip().split(" ", 1)[0].upper()
    if code == 250 and verb in _OK_BY_COMMAND:
        base = _(_OK_BY_COMMAND[verb])
    elif code == 220 and verb == "STARTTLS":
        base = _("The server is ready to start encryption (TLS).")
    elif code == 530 and _asks_for_starttls(text):
        base = _(
            "The server wants encryption first: send STARTTLS, then EHLO again; a login "
            "is offered only after that."
        )
    elif code in _BY_CODE:
        base = _(_BY_CODE[code])
    else:
        base = _(_BY_CLASS.get(code // 100, N_("An unusual reply.")))
    enhanced = enhanced_code(text)
    if enhanced in _BY_ENHANCED and enhanced.split(".")[1] not in _CAUSE_SUBJECTS.get(
        code, "0123456789"
    ):
        base = _(_BY_CLASS[code // 100])  # the enhanced code says the cause
    parts = [base]
    refs = _reply_refs(code, verb)
    if code == 530 and _asks_for_starttls(text):
        refs.insert(0, ref(3207, "4"))  # where "530 Must issue a STARTTLS command first" is
    if enhanced:
        detail = explain_enhanced(enhanced)
        if code >= 400 and enhanced in _BY_ENHANCED:
            extra = _(_BY_ENHANCED[enhanced])
            if extra != base:
                parts.append(extra)
        elif detail and code < 400:
            parts.append(detail.text)
        refs = [*refs[:1], *detail.refs, *refs[1:]] if detail else refs
    unique = tuple(dict.fromkeys(refs))
    return Explanation(sentences(*parts), unique)


def _asks_for_starttls(text: str) -> bool:
    """A 530 that says TLS must come first (RFC 3207 §4), not a login."""
    return "STARTTLS" in (text or "").upper()


def explain_reply(code: int, text: str, command: str | None = None) -> str:
    """Return what a server reply means, in plain translated words.

    Args:
        code: the three-digit reply code.
        text: the reply text (its enhanced code, if any, refines the meaning).
        command: the command it answers (``EHLO``, ``MAIL``, ``RCPT``, ``DATA``, ``.``
            for the final dot, ``AUTH`` ...), which matters for 250 and 354.
    """
    return explain_reply_full(code, text, command).text


# What each client command asks for: a student reading the log sees both sides explained.
_BY_COMMAND = {
    "EHLO": N_("We introduce ourselves and ask which extensions the server supports."),
    "HELO": N_("We introduce ourselves (old-style greeting: no extensions)."),
    "STARTTLS": N_("We ask to switch this connection to encryption (TLS) before going on."),
    "AUTH": N_("We log in with the {mechanism} method; the login data is hidden here."),
    "MAIL": N_(
        "The envelope sender: where bounces go. It is not read from the From header "
        "and need not match it."
    ),
    "RCPT": N_(
        "One envelope recipient: To, Cc and Bcc addresses each get a RCPT. A Bcc "
        "address appears here only, in no header."
    ),
    "DATA": N_("We ask to send the message itself: headers, then body."),
    ".": N_("A line with only a dot ends the message; the server now accepts or refuses it."),
    "QUIT": N_("We say goodbye; the server closes the connection."),
    "RSET": N_("We abandon the message in progress; the connection stays open."),
    "NOOP": N_("Nothing to do: checks that the server is still there."),
    "VRFY": N_("We ask whether this mailbox exists (servers often will not say)."),
    "EXPN": N_("We ask for the members of this mailing list (often turned off)."),
    "HELP": N_("We ask the server for help about its commands."),
    "BDAT": N_("We send a chunk of the message of the stated size (CHUNKING)."),
    "ETRN": N_("We ask the server to send the mail it queued for a domain."),
}
_COMMAND_REFS: dict[str, tuple[Ref, ...]] = {
    "STARTTLS": (ref(3207, "4"),),
    "AUTH": (ref(4954, "4"),),
    "BDAT": (ref(3030, "2"),),
    "ETRN": (ref(1985, "5"),),
    "MAIL": (ref(5321, "4.1.1.2"), ref(5321, "3.3")),
    "RCPT": (ref(5321, "4.1.1.3"), ref(5321, "3.3")),
    "VRFY": (ref(5321, "4.1.1.6"), ref(5321, "7.3")),
    "EXPN": (ref(5321, "4.1.1.7"), ref(5321, "7.3")),
}
# Parameters of MAIL FROM and RCPT TO, explained after the command.
_BY_MAIL_PARAMETER = {
    "SIZE": N_("SIZE gives the message's size first, so a server can refuse it at once."),
    "BODY=8BITMIME": N_("BODY=8BITMIME: the text is sent as 8-bit, not re-encoded."),
    "SMTPUTF8": N_("SMTPUTF8: an address contains non-ASCII characters."),
    "RET": N_("RET says how much of the message a delivery report should return."),
    "ENVID": N_("ENVID names this message in delivery reports."),
    "REQUIRETLS": N_("REQUIRETLS: every server on the way must use verified TLS."),
    "MT-PRIORITY": N_("MT-PRIORITY gives the message a transfer priority."),
    "NOTIFY": N_("NOTIFY says when to send a delivery report (success, failure, delay)."),
}
_PARAMETER_REFS = {
    "SIZE": ref(1870, "6"),
    "BODY=8BITMIME": ref(6152, "2"),
    "SMTPUTF8": ref(6531, "3.2"),
    "RET": ref(3461, "4"),
    "ENVID": ref(3461, "4"),
    "NOTIFY": ref(3461, "4"),
    "REQUIRETLS": ref(8689, "4"),
    "MT-PRIORITY": ref(6710, "3"),
}
_ORIGINS = {
    "to": N_("This address is from the To field: it also appears in the To header."),
    "cc": N_("This address is from the Cc field: it also appears in the Cc header."),
    "bcc": N_(
        "This address is from the Bcc field: it gets the message, but appears in no "
        "header, so the other recipients cannot see it."
    ),
}


def explain_command_full(
    line: str,
    *,
    login_data: bool = False,
    mask: str = "****",
    after_tls: bool = False,
    origin: str | None = None,
) -> Explanation:
    """What a client command line asks the server, with the RFC sections behind it.

    Args:
        line: the line as shown in the transcript (secrets already masked).
        login_data: the line answers the server inside an AUTH exchange.
        mask: what a hidden secret is shown as.
        after_tls: the command is sent after STARTTLS succeeded (a second EHLO).
        origin: for RCPT, the field the address came from: ``to``, ``cc`` or ``bcc``.
    """
    if login_data:
        refs = (ref(4954, "4"),)
        if line.strip() == mask:
            return Explanation(_("Login data (base64); hidden here."), refs)
        if not line.strip():
            return Explanation(
                _("An empty answer: it ends the login after the server's objection."),
                (ref(7628, "3.2.2"), *refs),
            )
        return Explanation(
            _("Our user name (base64), as this login method asks; the password follows."), refs
        )
    words = line.strip().split()
    verb = "." if line.strip() == "." else (words[0].upper() if words else "")
    if verb not in _BY_COMMAND:
        return Explanation("")
    refs = list(_COMMAND_REFS.get(verb, ()))
    if verb in _COMMAND_SECTIONS and not refs:
        refs.append(ref(5321, _COMMAND_SECTIONS[verb]))
    if verb == "AUTH":
        mechanism = words[1].upper() if len(words) > 1 else "?"
        mechanism_refs = explain_mechanism(mechanism).refs
        unique = tuple(dict.fromkeys((*refs, *mechanism_refs)))  # LOGIN's is RFC 4954 §4 too
        return Explanation(_(_BY_COMMAND[verb]).format(mechanism=mechanism), unique)
    parts = [_(_BY_COMMAND[verb])]
    if verb in ("EHLO", "HELO") and after_tls:
        parts = [
            _(
                "We introduce ourselves again: after STARTTLS the server forgets what was "
                "said before, so its list of extensions must be read anew."
            )
        ]
        refs.insert(0, ref(3207, "4.2"))
    if verb == ".":
        refs.append(ref(5321, "4.5.3.2"))
    if verb in ("MAIL", "RCPT"):
        for word in words[2:]:
            upper = word.upper()
            key = upper if upper in _BY_MAIL_PARAMETER else upper.split("=", 1)[0]
            if key in _BY_MAIL_PARAMETER:
                parts.append(_(_BY_MAIL_PARAMETER[key]))
                refs.append(_PARAMETER_REFS[key])
    if verb == "RCPT" and origin and origin.lower() in _ORIGINS:
        # First: what is particular to this RCPT, before what every RCPT means.
        parts.insert(0, _(_ORIGINS[origin.lower()]))
        if origin.lower() == "bcc":
            refs.append(ref(5322, "3.6.3"))
    return Explanation(sentences(*parts), tuple(dict.fromkeys(refs)))


def explain_command(line: str, *, login_data: bool = False, mask: str = "****") -> str:
    """Return what a client command line asks the server, in plain translated words.

    Args:
        line: the line as shown in the transcript (secrets already masked).
        login_data: the line answers the server inside an AUTH exchange.
        mask: what a hidden secret is shown as.
    """
    return explain_command_full(line, login_data=login_data, mask=mask).text


def explain_dot_stuffing(lines: int) -> Explanation:
    """Say that ``lines`` lines of the message started with a dot and were doubled."""
    return Explanation(
        ngettext(
            "{n} line of the message started with a dot; a second dot was put in front "
            "of it so that it cannot end the message early (the server removes it).",
            "{n} lines of the message started with a dot; a second dot was put in front "
            "of each so that none can end the message early (the server removes them).",
            lines,
        ).format(n=lines),
        (ref(5321, "4.5.2"),),
    )
