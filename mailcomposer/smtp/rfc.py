"""References into the RFCs behind SMTP, each with a short offline summary of its section."""

from __future__ import annotations

import dataclasses

from mailcomposer.i18n import N_, _


@dataclasses.dataclass(frozen=True, order=True)
class Ref:
    """One section of one RFC, such as RFC 5321 §4.1.1.1.

    Attributes:
        rfc: the RFC number.
        section: the section number as printed in the RFC (``"4.1.1.1"``).
    """

    rfc: int
    section: str

    @property
    def label(self) -> str:
        """How the reference is shown: ``RFC 5321 §4.1.1.1``."""
        return f"RFC {self.rfc} §{self.section}"

    @property
    def url(self) -> str:
        """The section on the RFC Editor's site, for readers who are online."""
        return f"https://www.rfc-editor.org/rfc/rfc{self.rfc}#section-{self.section}"

    @property
    def title(self) -> str:
        """The RFC's title, translated (``SMTP Service Extension for Message Size``)."""
        return _(RFC_TITLES.get(self.rfc, N_("Internet standard")))

    @property
    def summary(self) -> str:
        """A short summary of what the section says, translated; empty if we have none."""
        text = SUMMARIES.get((self.rfc, self.section))
        return _(text) if text else ""

    def to_json(self) -> dict[str, object]:
        """The reference as plain JSON values (for ``send --json``)."""
        return {"rfc": self.rfc, "section": self.section, "label": self.label, "url": self.url}


def ref(rfc: int, section: str) -> Ref:
    """Shorthand for :class:`Ref`."""
    return Ref(rfc, section)


RFC_TITLES: dict[int, str] = {
    1870: N_("SMTP Service Extension for Message Size Declaration"),
    1985: N_("SMTP Service Extension for Remote Message Queue Starting"),
    2034: N_("SMTP Service Extension for Returning Enhanced Error Codes"),
    2195: N_("IMAP/POP AUTHorize Extension for Simple Challenge/Response"),
    2852: N_("Deliver By SMTP Service Extension"),
    2920: N_("SMTP Service Extension for Command Pipelining"),
    3030: N_("SMTP Service Extensions for Transmission of Large and Binary MIME Messages"),
    3207: N_("SMTP Service Extension for Secure SMTP over Transport Layer Security"),
    3461: N_("SMTP Service Extension for Delivery Status Notifications (DSNs)"),
    3463: N_("Enhanced Mail System Status Codes"),
    4422: N_("Simple Authentication and Security Layer (SASL)"),
    4616: N_("The PLAIN SASL Mechanism"),
    4865: N_("SMTP Submission Service Extension for Future Message Release"),
    4954: N_("SMTP Service Extension for Authentication"),
    5248: N_("A Registry for SMTP Enhanced Mail System Status Codes"),
    5321: N_("Simple Mail Transfer Protocol"),
    5322: N_("Internet Message Format"),
    5802: N_("Salted Challenge Response Authentication Mechanism (SCRAM)"),
    6152: N_("SMTP Service Extension for 8-bit MIME Transport"),
    6531: N_("SMTP Extension for Internationalized Email"),
    6647: N_("Email Greylisting: An Applicability Statement for SMTP"),
    6710: N_("Simple Mail Transfer Protocol Extension for Message Transfer Priorities"),
    7628: N_("A Set of SASL Mechanisms for OAuth"),
    7677: N_("SCRAM-SHA-256 and SCRAM-SHA-256-PLUS SASL Mechanisms"),
    8314: N_("Cleartext Considered Obsolete: Use of TLS for Email Submission and Access"),
    8689: N_("SMTP Require TLS Option"),
}

# Our own short summaries (not quotations) of the sections the explanations cite.
SUMMARIES: dict[tuple[int, str], str] = {
    (5321, "2.3.8"): N_(
        "Lines end with CR LF. A bare CR or LF on its own is not a line ending, and "
        "servers may refuse text that contains one."
    ),
    (5321, "2.4"): N_(
        "Commands and reply codes are not case-sensitive, but the local part of a "
        "mailbox (before the @) may be: it must be kept exactly as written."
    ),
    (5321, "3.1"): N_(
        "A session starts when the client connects; the server answers with a 220 "
        "greeting (or 554 if it will not serve this client)."
    ),
    (5321, "3.3"): N_(
        "A mail transaction has three steps: MAIL FROM gives the envelope sender, one "
        "RCPT TO per recipient, then DATA carries the message. The envelope, not the "
        "headers, decides where the message goes."
    ),
    (5321, "3.5"): N_(
        "VRFY asks whether a user or mailbox exists; EXPN asks for the members of a "
        "mailing list. Many servers refuse or answer 252 to protect their users."
    ),
    (5321, "3.8"): N_(
        "A server that must close the connection says 421 first; the client treats "
        "the transaction as not done and may try again later."
    ),
    (5321, "4.1.1.1"): N_(
        "EHLO (or the older HELO) names the client and starts the session. The reply "
        "to EHLO lists, one per line, the extensions the server supports."
    ),
    (5321, "4.1.1.2"): N_(
        "MAIL FROM starts a new message and gives the reverse path: the address to "
        "which delivery problems are reported. It may differ from the From header."
    ),
    (5321, "4.1.1.3"): N_(
        "RCPT TO names one recipient of the envelope; it is repeated for each "
        "recipient. Bcc recipients appear here and in no header."
    ),
    (5321, "4.1.1.4"): N_(
        "DATA asks to send the message. The server answers 354; the client sends the "
        "headers and body, then a line with only a dot. The reply to that dot says "
        "whether the server took responsibility for the message."
    ),
    (5321, "4.1.1.5"): N_(
        "RSET abandons the current transaction: sender, recipients and data are "
        "forgotten, the connection stays open."
    ),
    (5321, "4.1.1.6"): N_("VRFY asks the server to confirm that an argument names a user."),
    (5321, "4.1.1.7"): N_("EXPN asks the server to list the members of a mailing list."),
    (5321, "4.1.1.8"): N_("HELP asks the server for helpful text about its commands."),
    (5321, "4.1.1.9"): N_(
        "NOOP does nothing but get a 250 reply: a way to check the connection is alive."
    ),
    (5321, "4.1.1.10"): N_(
        "QUIT asks the server to answer 221 and close the connection. A message "
        "already accepted with 250 is not affected by what happens afterwards."
    ),
    (5321, "4.2"): N_(
        "Every reply is a three-digit code and text; a reply of several lines uses a "
        "hyphen after the code on every line but the last."
    ),
    (5321, "4.2.1"): N_(
        "The first digit says how it went: 2 done, 3 go on, 4 failed for now (try "
        "again later), 5 failed for good. The second digit gives the area: 0 "
        "syntax, 1 information, 2 connection, 5 mail system."
    ),
    (5321, "4.2.2"): N_("The list of reply codes and what each one means."),
    (5321, "4.5.2"): N_(
        "Transparency (dot-stuffing): a line of the message that starts with a dot "
        "gets one more dot in front, so it cannot end the message early; the server "
        "removes it again."
    ),
    (5321, "4.5.3.1"): N_(
        "Size limits: a command line may be 512 octets, a text line 1,000 octets with "
        "CR LF, and a server must accept at least 100 recipients."
    ),
    (5321, "4.5.3.2"): N_(
        "Timeouts: clients wait minutes for most replies and up to 10 minutes for the "
        "reply to the final dot, because the server may be checking the message."
    ),
    (5321, "4.5.4.1"): N_(
        "Retrying: a temporary failure (4xx) is retried later, typically after 30 "
        "minutes or more, for up to several days."
    ),
    (5321, "7.3"): N_(
        "VRFY and EXPN reveal which users exist, so servers may turn them off; 252 "
        "means the server will not say but will try to deliver."
    ),
    (3207, "4"): N_(
        "STARTTLS switches an open plain connection to TLS. After the server's 220 "
        "the client starts the TLS handshake at once."
    ),
    (3207, "4.2"): N_(
        "After TLS starts, both sides forget everything learned before it: the client "
        "must send EHLO again, and the list of extensions may differ (AUTH often "
        "appears only now)."
    ),
    (8314, "3"): N_(
        "Submission should use implicit TLS (port 465, encrypted from the first byte) "
        "in preference to STARTTLS on port 587."
    ),
    (4954, "3"): N_(
        "The AUTH keyword in the EHLO reply lists the login methods (SASL mechanisms) "
        "the server accepts."
    ),
    (4954, "4"): N_(
        "AUTH names a mechanism and may carry the first answer in base64. The server "
        "sends 334 challenges until it answers 235 (logged in) or an error."
    ),
    (4954, "6"): N_(
        "Status codes of AUTH: 235 success, 334 continue, 454 temporary failure, 530 "
        "login required, 534 mechanism too weak, 535 credentials invalid, 538 "
        "encryption required."
    ),
    (4616, "2"): N_(
        "PLAIN sends the user name and password together in one base64 string, "
        "separated by NUL bytes: readable by anyone who sees it, so only inside TLS."
    ),
    (7628, "3.1"): N_(
        "OAUTHBEARER sends an OAuth 2.0 access token instead of a password, in one "
        "initial client response."
    ),
    (7628, "3.2.2"): N_(
        "When the token is refused, the server sends a base64 JSON error as a 334 "
        "challenge; the client answers with an empty line and gets the final error."
    ),
    (5802, "3"): N_(
        "SCRAM proves that the client knows the password without sending it, and lets "
        "the client check the server too."
    ),
    (7677, "3"): N_("SCRAM-SHA-256 is SCRAM with the SHA-256 hash, the variant to prefer today."),
    (4422, "3"): N_(
        "SASL is the framework behind AUTH: a mechanism is a named exchange of "
        "challenges and responses that ends in success or failure."
    ),
    (5321, "3.4"): N_(
        "Forwarding: 251 means the server will pass the message on to another "
        "address; 551 means it will not, and the client should use the other address."
    ),
    (2195, "2"): N_(
        "CRAM-MD5 answers a challenge with a keyed hash of the password; the password "
        "itself is never sent."
    ),
    (1870, "3"): N_(
        "The SIZE keyword in the EHLO reply gives the largest message the server takes, "
        "in bytes (0 or none: no fixed limit)."
    ),
    (1870, "6"): N_(
        "The client declares the message size with SIZE= on MAIL FROM; a server that "
        "cannot take it answers 552 at once, before the message is sent."
    ),
    (6152, "2"): N_(
        "8BITMIME lets the client send text with bytes above 127 unencoded; it says so "
        "with BODY=8BITMIME on MAIL FROM."
    ),
    (6531, "3.2"): N_(
        "SMTPUTF8 allows non-ASCII characters in addresses and headers; the client "
        "asks for it with the SMTPUTF8 parameter on MAIL FROM."
    ),
    (2920, "3.1"): N_(
        "PIPELINING lets the client send several commands (MAIL, RCPT ...) without "
        "waiting for each reply, then read the replies in order."
    ),
    (3030, "2"): N_(
        "CHUNKING adds BDAT, which sends the message in chunks of a stated size "
        "instead of DATA with a final dot: no dot-stuffing needed."
    ),
    (3030, "3"): N_("BINARYMIME allows binary MIME parts, which must then be sent with BDAT."),
    (3461, "4"): N_(
        "DSN lets the client ask for delivery status notifications: NOTIFY on RCPT "
        "(success, failure, delay), RET and ENVID on MAIL FROM."
    ),
    (2034, "3"): N_(
        "ENHANCEDSTATUSCODES means each reply text starts with a code such as 2.1.5 or "
        "5.7.8 that says more precisely what happened."
    ),
    (3463, "2"): N_(
        "An enhanced status code is class.subject.detail: class 2 success, 4 "
        "temporary failure, 5 permanent failure; the subject says which part of the "
        "system (address, mailbox, mail system, network, protocol, content, security)."
    ),
    (3463, "3.1"): N_("X.0.X: other or undefined status."),
    (3463, "3.2"): N_("X.1.X: about an address (sender or recipient)."),
    (3463, "3.3"): N_("X.2.X: about the recipient's mailbox (full, disabled ...)."),
    (3463, "3.4"): N_("X.3.X: about the receiving mail system (full, too big ...)."),
    (3463, "3.5"): N_("X.4.X: about the network or routing (no answer, loop ...)."),
    (3463, "3.6"): N_("X.5.X: about the mail delivery protocol (bad command, syntax)."),
    (3463, "3.7"): N_("X.6.X: about the message content or media (conversion ...)."),
    (3463, "3.8"): N_("X.7.X: about security or policy (not authorised, login refused)."),
    (2852, "4"): N_(
        "DELIVERBY lets the client ask that the message be delivered within a given "
        "time, or returned."
    ),
    (1985, "5"): N_("ETRN asks a server to start sending the mail it queued for a domain."),
    (4865, "3"): N_(
        "FUTURERELEASE lets the client ask the server to hold the message and release "
        "it at a later time."
    ),
    (6710, "3"): N_(
        "MT-PRIORITY lets the client give the message a transfer priority from -9 to 9."
    ),
    (8689, "4"): N_(
        "REQUIRETLS on MAIL FROM asks every server on the way to forward the message "
        "only over verified TLS, or bounce it."
    ),
    (6647, "2"): N_(
        "Greylisting: a server answers 4xx to the first attempt from an unknown "
        "sender, recipient and host; a real mail server retries and is accepted."
    ),
    (5322, "3.6.3"): N_(
        "To, Cc and Bcc are header fields; the Bcc field must not reach the other "
        "recipients, so senders leave it out of the transmitted message."
    ),
}
