"""Plain-words meanings of SMTP lines: reply codes (and enhanced codes), client commands."""

from __future__ import annotations

import re

from mailcomposer.i18n import N_, _

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


def enhanced_code(text: str) -> str | None:
    """Return the enhanced status code at the start of a reply text (``5.7.8``), if any."""
    match = _ENHANCED.match(text or "")
    return ".".join(match.groups()) if match else None


def explain_reply(code: int, text: str, command: str | None = None) -> str:
    """Return what a server reply means, in plain translated words.

    Args:
        code: the three-digit reply code.
        text: the reply text (its enhanced code, if any, refines the meaning).
        command: the command it answers (``EHLO``, ``MAIL``, ``RCPT``, ``DATA``, ``.``
            for the final dot, ``AUTH`` ...), which matters for 250 and 354.
    """
    verb = (command or "").strip().split(" ", 1)[0].upper()
    if code == 250 and verb in _OK_BY_COMMAND:
        base = _(_OK_BY_COMMAND[verb])
    elif code == 220 and verb == "STARTTLS":
        base = _("The server is ready to start encryption (TLS).")
    elif code in _BY_CODE:
        base = _(_BY_CODE[code])
    else:
        base = _(_BY_CLASS.get(code // 100, N_("An unusual reply.")))
    enhanced = enhanced_code(text)
    if code >= 400 and enhanced in _BY_ENHANCED:
        extra = _(_BY_ENHANCED[enhanced])
        if extra != base:
            return f"{base} {extra}"
    return base


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
}
# Parameters of MAIL FROM, explained after the command.
_BY_MAIL_PARAMETER = {
    "SIZE": N_("SIZE gives the message's size first, so a server can refuse it at once."),
    "BODY=8BITMIME": N_("BODY=8BITMIME: the text is sent as 8-bit, not re-encoded."),
    "SMTPUTF8": N_("SMTPUTF8: an address contains non-ASCII characters."),
}


def explain_command(line: str, *, login_data: bool = False, mask: str = "****") -> str:
    """Return what a client command line asks the server, in plain translated words.

    Args:
        line: the line as shown in the transcript (secrets already masked).
        login_data: the line answers the server inside an AUTH exchange.
        mask: what a hidden secret is shown as.
    """
    if login_data:
        if line.strip() == mask:
            return _("Login data (base64); hidden here.")
        if not line.strip():
            return _("An empty answer: it ends the login after the server's objection.")
        return _("Our user name (base64), as this login method asks; the password follows.")
    words = line.strip().split()
    verb = "." if line.strip() == "." else (words[0].upper() if words else "")
    if verb not in _BY_COMMAND:
        return ""
    if verb == "AUTH":
        mechanism = words[1].upper() if len(words) > 1 else "?"
        return _(_BY_COMMAND[verb]).format(mechanism=mechanism)
    meaning = _(_BY_COMMAND[verb])
    if verb == "MAIL":
        parameters = [word.upper() for word in words[2:]]
        extra = [
            _(text)
            for key, text in _BY_MAIL_PARAMETER.items()
            if any(p == key or p.startswith(key + "=") for p in parameters)
        ]
        meaning = " ".join([meaning, *extra])
    return meaning
