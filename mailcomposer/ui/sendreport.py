"""What the composer tells the user about a send's outcome (Qt-free texts)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailcomposer.i18n import _

if TYPE_CHECKING:
    from mailcomposer.smtp.errors import SendError, SendResult


def describe_failure(error: SendError) -> tuple[str, str]:
    """Return the headline and the details (stage, server reply, what to check) of ``error``."""
    from mailcomposer.smtp.errors import ExitCode, stage_phrase

    where = stage_phrase(error.stage)
    lines = [_("The message was not sent ({stage}).").format(stage=where)]
    if error.exit_code == ExitCode.UNKNOWN:
        lines = [
            _(
                "The connection ended after the whole message was sent: it may have been "
                "delivered. Check the recipient's mailbox before sending again; a resend "
                "keeps the same Message-ID."
            )
        ]
    if error.code is not None:
        # The enhanced code is usually the start of the server's text: not said twice.
        enhanced = error.enhanced or ""
        if enhanced and error.server_text.startswith(enhanced):
            enhanced = ""
        reply = " ".join(str(p) for p in (error.code, enhanced, error.server_text) if p)
        lines.append(_("The server replied: {reply}").format(reply=reply))
    elif error.server_text:
        lines.append(_("The server replied: {reply}").format(reply=error.server_text))
    if error.exit_code == ExitCode.AUTH and error.code == 535:
        lines.append(
            _(
                "The next Send asks for the password again, and what you type replaces "
                "the stored one; the user name is in Tools → Accounts…."
            )
        )
    lines.append(_("Your message is kept; nothing in the composer was changed."))
    return error.user_message, "\n".join(lines)


def describe_partial_refusal(result: SendResult) -> str:
    """Who got the message and who did not (with the server's reply), one per line."""
    lines = [_("Delivered to:")]
    lines += [f"  • {address}" for address in result.accepted]
    lines.append(_("Not delivered to:"))
    lines += [f"  • {r.address}: {r.code} {r.text}" for r in result.refused]
    return "\n".join(lines)


def describe_success(result: SendResult) -> str:
    """The details shown with "Message sent": its Message-ID and any warnings."""
    details = [_("Message-ID: {message_id}").format(message_id=result.message_id)]
    details += list(result.warnings)
    return "\n".join(details)
