"""The lessons shipped with the app, built in the current language each time they are asked for."""

from __future__ import annotations

import re

from mailcomposer.i18n import N_, _
from mailcomposer.lessons.model import Lesson, Question
from mailcomposer.sandbox.config import DEFAULT_REJECT_TEXT, Reply, SandboxConfig
from mailcomposer.smtp.rfc import ref

# The test login of the AUTH lesson: shown on screen, it guards nothing.
LESSON_USER = "student"
LESSON_PASSWORD = "lab-password"
# The address the refusal lesson's server refuses for good.
REFUSED = "x@example.org"
# Small enough for any attached photo to exceed it.
SIZE_LIMIT = 50 * 1024

# The names of the window's menus, menu items and buttons the steps send the student
# to: the very texts the window shows (the same msgids), so both languages match it.
VIEW_MENU = N_("&View")
OPTIONS_MENU = N_("O&ptions")
MIME_ITEM = N_("Show &MIME structure…")
INBOX_ITEM = N_("Local server &inbox…")
DECODED_LOGIN_ITEM = N_("Local test server: s&how the login decoded")
FROM_LABEL = N_("F&rom:")
TO_LABEL = N_("&To:")
BCC_BUTTON = N_("&Bcc")
LOCAL_ACCOUNT = N_("Local test server")
SEND_ANYWAY = N_("Send anyway")
MENU_PATHS = ((VIEW_MENU, MIME_ITEM), (VIEW_MENU, INBOX_ITEM), (OPTIONS_MENU, DECODED_LOGIN_ITEM))
_MNEMONIC = re.compile(r"\(&[^)]\)|&(?=[^&])")


def shown(name: str) -> str:
    """``name`` translated as the window shows it, without its Alt+letter or colon."""
    return _MNEMONIC.sub("", _(name)).strip().rstrip(":：").strip()


def menu_path(*names: str) -> str:
    """``View → Show MIME structure…``, each name as the window shows it."""
    return " → ".join(shown(name) for name in names)


def _plain_setup_steps() -> tuple[str, ...]:
    # The plain lessons set the server up too: one left with greylisting or a size
    # limit by a later lesson would otherwise refuse what these ask to send.
    return (
        _("Press “Set up the local server for this lesson”: a plain server, no switches."),
        _(
            "In the “{field}” box, choose “{account}” (while you have no account of "
            "your own it is already chosen)."
        ).format(field=shown(FROM_LABEL), account=shown(LOCAL_ACCOUNT)),
    )


def _envelope() -> Lesson:
    return Lesson(
        key="envelope",
        title=_("Envelope and headers"),
        intro=_(
            "A message travels in an envelope. The server reads MAIL FROM and RCPT TO to "
            "know who sends and who receives; the From, To and Subject lines are part of "
            "the letter inside, written for people."
        ),
        config=SandboxConfig(),
        steps=(
            *_plain_setup_steps(),
            _("Send a short message to bob@example.org with the subject “Lesson 1”."),
            _("Read the protocol log from the greeting to the 221 goodbye."),
        ),
        questions=(
            Question(
                key="sender",
                prompt=_("Which command set the envelope sender?"),
                accepted=("MAIL FROM", "MAIL"),
                explanation=_(
                    "MAIL FROM starts the transaction and gives the return address for "
                    "bounces; it need not match the From header."
                ),
                refs=(ref(5321, "4.1.1.2"),),
            ),
            Question(
                key="354",
                prompt=_("What does the server's 354 reply ask for?"),
                choices=(
                    _("The message itself, ended by a line holding only a dot"),
                    _("The password"),
                    _("The next recipient"),
                    _("A retry later"),
                ),
                correct=0,
                explanation=_(
                    "354 answers DATA: the client now sends the headers and body, and a "
                    "line with a single “.” marks the end."
                ),
                refs=(ref(5321, "4.1.1.4"),),
            ),
            Question(
                key="reader",
                prompt=_("Which line does the recipient's mail program show as the sender?"),
                choices=(
                    _("The From header"),
                    _("The MAIL FROM command"),
                    _("The EHLO greeting"),
                ),
                correct=0,
                explanation=_(
                    "Mail programs show the headers of the message; the envelope is used "
                    "by servers and is gone once the message is delivered."
                ),
                refs=(ref(5322, "3.6.2"), ref(5321, "3.3")),
            ),
        ),
    )


def _bcc() -> Lesson:
    return Lesson(
        key="bcc",
        title=_("Where Bcc goes"),
        intro=_(
            "Blind copies are hidden from the other recipients. The client tells the server "
            "about them in the envelope only, and leaves the Bcc line out of the message."
        ),
        config=SandboxConfig(),
        steps=(
            *_plain_setup_steps(),
            _(
                "Write a message to bob@example.org with carol@example.org in Bcc (the "
                "“{button}” button beside the “{field}” box shows it); do not send it yet."
            ).format(button=shown(BCC_BUTTON), field=shown(TO_LABEL)),
            _("Open “{menu}”: is there a Bcc line in the message as it will be sent?").format(
                menu=menu_path(VIEW_MENU, MIME_ITEM)
            ),
            _(
                "Send it, then open “{menu}” and look at the stored message and its envelope."
            ).format(menu=menu_path(VIEW_MENU, INBOX_ITEM)),
        ),
        questions=(
            Question(
                key="where",
                prompt=_("Where does carol@example.org appear?"),
                choices=(
                    _("Only in a RCPT TO command: nowhere in the headers"),
                    _("In the To header"),
                    _("In the Cc header"),
                    _("In a Bcc header the server receives"),
                ),
                correct=0,
                explanation=_(
                    "A Bcc recipient gets a RCPT TO like everyone else, but no header names "
                    "them, so the other recipients cannot see the blind copy."
                ),
                refs=(ref(5321, "3.3"), ref(5322, "3.6.3")),
            ),
            Question(
                key="count",
                prompt=_("How many RCPT TO commands did the client send?"),
                accepted=("2", "two", "两", "两个", "二"),
                explanation=_(
                    "One per recipient: bob@example.org from the To field and "
                    "carol@example.org from the Bcc field."
                ),
                refs=(ref(5321, "4.1.1.3"),),
            ),
        ),
    )


def _starttls() -> Lesson:
    return Lesson(
        key="starttls",
        title=_("STARTTLS: encryption on the same connection"),
        intro=_(
            "Port 25 and 587 start in plain text. STARTTLS turns the open connection into "
            "an encrypted one; everything said before is forgotten, so the client says "
            "EHLO again."
        ),
        config=SandboxConfig(tls=True, require_starttls=True),
        steps=(
            _("Press “Set up the local server for this lesson”: it now requires STARTTLS."),
            _("Send any message through the local test server."),
            _("In the log, compare the two EHLO replies and find where the lock appears."),
        ),
        questions=(
            Question(
                key="start",
                prompt=_("Where did encryption start?"),
                choices=(
                    _("After the 220 reply to STARTTLS"),
                    _("Right after connecting"),
                    _("After the login"),
                    _("After the final dot"),
                ),
                correct=0,
                explanation=_(
                    "The server answers STARTTLS with 220 “ready to start TLS”; the TLS "
                    "handshake follows at once and every later line is encrypted."
                ),
                refs=(ref(3207, "4"),),
            ),
            Question(
                key="gone",
                prompt=_("Which keyword is in the first EHLO reply but not in the second?"),
                accepted=("STARTTLS",),
                explanation=_(
                    "Once TLS is on there is nothing left to start, so the server stops "
                    "offering STARTTLS; the client must forget the first list and use the new one."
                ),
                refs=(ref(3207, "4.2"),),
            ),
            Question(
                key="rfc",
                prompt=_("Which RFC defines STARTTLS? (a number)"),
                accepted=("3207",),
                explanation=_("RFC 3207, “SMTP Service Extension for Secure SMTP over TLS”."),
                refs=(ref(3207, "4"),),
            ),
        ),
    )


def _auth() -> Lesson:
    return Lesson(
        key="auth",
        title=_("AUTH: logging in"),
        intro=_(
            "Submission servers want to know who you are. With AUTH PLAIN the client sends "
            "its user name and password in base64, which is an encoding, not encryption: "
            "that is why servers offer AUTH only inside TLS. The log hides the secret; "
            "against the built-in server it may decode it, because the password is a "
            "test one."
        ),
        config=SandboxConfig(tls=True, require_starttls=True, auth=(LESSON_USER, LESSON_PASSWORD)),
        steps=(
            _(
                "Press “Set up the local server for this lesson”: user {user}, password {password}."
            ).format(user=LESSON_USER, password=LESSON_PASSWORD),
            _("Turn on “{menu}”; the log then shows what the AUTH line carries.").format(
                menu=menu_path(OPTIONS_MENU, DECODED_LOGIN_ITEM)
            ),
            _("Send any message through the local test server."),
            _("Find the AUTH command and the reply to it."),
        ),
        questions=(
            Question(
                key="plain",
                prompt=_("What is inside the base64 text of AUTH PLAIN?"),
                choices=(
                    _("The user name and the password, separated by NUL bytes"),
                    _("A hash of the password"),
                    _("A one-time code from the server"),
                    _("The user name only"),
                ),
                correct=0,
                explanation=_(
                    "PLAIN sends “authorization-id NUL user NUL password” in base64; anyone "
                    "who reads it can decode it, hence TLS first."
                ),
                refs=(ref(4616, "2"), ref(4954, "4")),
            ),
            Question(
                key="after_tls",
                prompt=_("Why was AUTH missing from the first EHLO reply?"),
                choices=(
                    _("The server offers AUTH only once the connection is encrypted"),
                    _("The server does not support AUTH"),
                    _("The client asked it to hide AUTH"),
                    _("The password was wrong"),
                ),
                correct=0,
                explanation=_(
                    "Offering a password login over plain text would invite clients to "
                    "send passwords anyone can read; AUTH appears in the EHLO after STARTTLS."
                ),
                refs=(ref(4954, "4"), ref(3207, "4.2")),
            ),
            Question(
                key="235",
                prompt=_("Which reply code says the login worked?"),
                accepted=("235",),
                explanation=_("235 “Authentication successful”; a wrong password gets 535."),
                refs=(ref(4954, "6"),),
            ),
        ),
    )


def _refusals() -> Lesson:
    return Lesson(
        key="refusals",
        title=_("Refused recipients and greylisting"),
        intro=_(
            "A server can refuse a recipient for good (5xx) or ask to try again later "
            "(4xx). Greylisting defers every new sender and recipient pair once: real "
            "mail servers retry, many spam programs do not."
        ),
        config=SandboxConfig(rejects={REFUSED: Reply(550, DEFAULT_REJECT_TEXT)}, greylist=True),
        steps=(
            _("Press “Set up the local server for this lesson”."),
            _("Send a message to bob@example.org and {refused}.").format(refused=REFUSED),
            _("Read the replies to each RCPT TO, then press Send again."),
        ),
        questions=(
            Question(
                key="refused",
                prompt=_("With which code was {refused} refused?").format(refused=REFUSED),
                accepted=("550", "550 5.1.1"),
                explanation=_(
                    "550 is a permanent refusal: this mailbox does not exist, retrying will "
                    "not help. 5.1.1 is the enhanced code for “bad destination mailbox”."
                ),
                refs=(ref(5321, "4.2.1"), ref(3463, "3.2")),
            ),
            Question(
                key="first",
                prompt=_("What happened to the first attempt to bob@example.org?"),
                choices=(
                    _("451: greylisted; the second attempt was accepted"),
                    _("550: refused for good"),
                    _("It was accepted at once"),
                    _("421: the server closed the connection"),
                ),
                correct=0,
                explanation=_(
                    "451 4.7.1 is temporary: the server remembered the pair, and accepted "
                    "the retry. A 4xx reply always means “try again later”."
                ),
                refs=(ref(6647, "2"), ref(5321, "4.2.1")),
            ),
        ),
    )


def _size() -> Lesson:
    return Lesson(
        key="size",
        title=_("SIZE: a message too big"),
        intro=_(
            "Servers announce the largest message they take with the SIZE keyword. A client "
            "can compare before uploading; a server refuses a bigger one with 552."
        ),
        config=SandboxConfig(size_limit=SIZE_LIMIT),
        steps=(
            _("Press “Set up the local server for this lesson”: it takes 50 KiB at most."),
            _(
                "Attach a photo or any file over 50 KiB and send it to bob@example.org; the "
                "checks warn that it is too big: choose “{button}” to see what the server says."
            ).format(button=shown(SEND_ANYWAY)),
            _("Find SIZE in the EHLO reply and read how the message was refused."),
        ),
        questions=(
            Question(
                key="announced",
                prompt=_("Which number follows SIZE in the EHLO reply?"),
                accepted=(str(SIZE_LIMIT), f"SIZE {SIZE_LIMIT}"),
                explanation=_("The limit in bytes: 50 KiB is 51200 bytes."),
                refs=(ref(1870, "3"),),
            ),
            Question(
                key="552",
                prompt=_("Which reply code means the message is too big?"),
                accepted=("552", "552 5.3.4"),
                explanation=_(
                    "552: the declared size is over the server's fixed limit, with 5.3.4 "
                    "“message too big for system”. It came at MAIL FROM, whose SIZE= "
                    "declared the size, before any of the message was sent. Attachments "
                    "grow by about a third in base64."
                ),
                refs=(ref(1870, "6"), ref(3463, "3.4")),
            ),
        ),
    )


def all_lessons() -> tuple[Lesson, ...]:
    """Every lesson, in teaching order, in the current language."""
    return (_envelope(), _bcc(), _starttls(), _auth(), _refusals(), _size())


def lesson(key: str) -> Lesson:
    """The lesson with ``key``."""
    for found in all_lessons():
        if found.key == key:
            return found
    raise KeyError(key)
