"""SMTP AUTH: choosing a mechanism and running its exchange with the secrets masked."""

from __future__ import annotations

import base64
from collections.abc import Iterable

from mailcomposer.i18n import _
from mailcomposer.smtp import bearer
from mailcomposer.smtp.capabilities import Capabilities
from mailcomposer.smtp.errors import ExitCode, SendError, Stage, error_from_reply
from mailcomposer.smtp.recorder import MASK, Recorder
from mailcomposer.smtp.settings import AuthMethod, Secret, ServerSettings
from mailcomposer.smtp.transport import Transport

__all__ = ["authenticate", "choose_mechanism", "log_in"]


def log_in(
    client: Transport,
    rec: Recorder,
    settings: ServerSettings,
    secret: Secret | None,
    offered: Capabilities,
) -> str:
    """Log in on the open connection; return the mechanism used.

    Raises:
        SendError: no password while the server asks for a login (exit code 2,
            field ``password``), no usable mechanism (both before anything secret is
            sent), no AUTH offered although a password was given, or the server
            refused the login. No AUTH offered and no password is not an error: the
            transcript says so and '' is returned.
    """
    if "AUTH" not in offered.names and secret is None:
        # A relay on port 25 or a lab server (Mailpit) needs no login: the user name
        # may only be the sender address filled in by default, with no password kept.
        rec.note(
            _(
                "The server offers no login (AUTH), so none is tried for {user}; "
                "going on without logging in."
            ).format(user=settings.username)
        )
        return ""
    if not rec.secure:
        rec.note(
            _(
                "Warning: the connection is not encrypted; your user name and password "
                'travel in plain text (you chose security "none").'
            )
        )
    if secret is None:
        raise SendError(
            Stage.AUTH,
            ExitCode.INPUT,
            _("The server asks for a login, but no password was given for {user}.").format(
                user=settings.username
            ),
            field="password",
        )
    if "AUTH" not in offered.names:
        raise SendError(
            Stage.AUTH,
            ExitCode.AUTH,
            _(
                "The server offers no login (AUTH) here. Clear the user name, or use "
                "STARTTLS/TLS: many servers only offer login inside encryption."
            ),
        )
    mechanism = choose_mechanism(settings.auth, offered.auth, secret.is_token)
    if mechanism is None:
        raise SendError(
            Stage.AUTH,
            ExitCode.AUTH,
            _(
                "No usable login method: the server offers {offered}; the account is "
                "set to {wanted}."
            ).format(offered=" ".join(offered.auth) or "-", wanted=settings.auth.value),
        )
    where = (settings.host, settings.effective_port)
    try:
        if mechanism in bearer.TOKEN_MECHANISMS:
            code, text = _token_login(client, rec, mechanism, settings, secret, where)
        else:
            code, text = authenticate(client, rec, mechanism, settings.username, secret.value)
    finally:
        rec.in_auth = False
    if code not in (235, 503):
        raise error_from_reply(Stage.AUTH, code, text)
    return mechanism


def _token_login(
    client: Transport,
    rec: Recorder,
    mechanism: str,
    settings: ServerSettings,
    secret: Secret,
    where: tuple[str, int],
) -> tuple[int, bytes]:
    """Log in with the token; renew it once if the server says it expired."""
    current = getattr(secret, "current", None)
    token = current() if current is not None else secret.value
    code, text, expired = _bearer(client, rec, mechanism, settings.username, token, where)
    renew = getattr(secret, "renew", None)
    if code in (235, 503) or not expired or renew is None:
        return code, text
    rec.in_auth = False
    rec.note(_("The server refused the access token; getting a new one and trying once more."))
    token = renew()  # only once: a second refusal is the answer
    code, text, _expired = _bearer(client, rec, mechanism, settings.username, token, where)
    return code, text


def choose_mechanism(choice: AuthMethod, offered: Iterable[str], is_token: bool) -> str | None:
    """Return the AUTH mechanism to use, or None when nothing usable is offered.

    ``auto`` prefers OAUTHBEARER > XOAUTH2 for tokens, else CRAM-MD5 > PLAIN > LOGIN
    (CRAM-MD5 never sends the password itself); an explicit choice is honoured only if
    offered.
    """
    offered_set = {m.upper() for m in offered}
    if choice is AuthMethod.AUTO:
        preference = list(bearer.TOKEN_MECHANISMS) if is_token else ["CRAM-MD5", "PLAIN", "LOGIN"]
    else:
        preference = [choice.value.upper()]
    for mechanism in preference:
        if mechanism in offered_set:
            return mechanism
    return None


def authenticate(
    client: Transport,
    rec: Recorder,
    mechanism: str,
    user: str,
    secret: str,
    *,
    where: tuple[str, int] = ("", 0),
) -> tuple[int, bytes]:
    """Run the AUTH exchange for ``mechanism``; return the server's last reply.

    The transcript shows no secret: the recorder is told what to show instead of each
    client line, and stays in AUTH mode (every line masked) until the caller resets
    ``rec.in_auth``. ``where`` is the server's host and port, which OAUTHBEARER names.
    """
    rec.last_command = "AUTH"
    if mechanism == "PLAIN":
        blob = _b64(f"\0{user}\0{secret}")
        rec.mask_next(f"AUTH PLAIN {MASK}")
        rec.in_auth = True
        return client.docmd("AUTH", f"PLAIN {blob}")
    if mechanism == "LOGIN":
        rec.in_auth = True
        rec.mask_next("AUTH LOGIN")
        code, text = client.docmd("AUTH", "LOGIN")
        if code != 334:
            return code, text
        rec.mask_next(_b64(user) + _("  (user name {user}, base64)").format(user=user))
        code, text = client.docmd(_b64(user))
        if code != 334:
            return code, text
        rec.mask_next(MASK)
        return client.docmd(_b64(secret))
    if mechanism == "CRAM-MD5":
        rec.in_auth = True
        rec.mask_next("AUTH CRAM-MD5")
        code, challenge = client.docmd("AUTH", "CRAM-MD5")
        if code != 334:
            return code, challenge
        decoded = base64.b64decode(challenge)
        import hmac  # here: hmac loads OpenSSL, which only CRAM-MD5 needs

        digest = hmac.new(secret.encode("utf-8"), decoded, "md5").hexdigest()
        rec.mask_next(MASK)
        return client.docmd(_b64(f"{user} {digest}"))
    code, text, _expired = _bearer(client, rec, mechanism, user, secret, where)
    return code, text


def _bearer(
    client: Transport, rec: Recorder, mechanism: str, user: str, token: str, where: tuple[str, int]
) -> tuple[int, bytes, bool]:
    """Run XOAUTH2 or OAUTHBEARER; return the last reply and whether the token expired."""
    # The bearer token is as good as a password.
    rec.last_command = "AUTH"
    if mechanism == "OAUTHBEARER":
        blob = bearer.oauthbearer(user, token, where[0], where[1])
    else:
        blob = bearer.xoauth2(user, token)
    rec.mask_next(f"AUTH {mechanism} {MASK}")
    rec.in_auth = True
    code, text = client.docmd("AUTH", f"{mechanism} {blob}")
    report: dict[str, object] = {}
    if code == 334:  # an error report in JSON; the client's answer makes the server end
        report = bearer.error_report(text)
        # XOAUTH2 wants an empty line, OAUTHBEARER a ^A (RFC 7628 §3.2.3).
        answer = "" if mechanism == "XOAUTH2" else "AQ=="
        rec.mask_next(answer)
        code, text = client.docmd(answer)
    return code, text, bearer.token_expired(code, report)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")
