"""An agent's or the bot's reply as an email through the account's SMTP server, threaded
with In-Reply-To / References so the customer's mail client keeps the conversation together.

Account options: ``smtp_host``, ``smtp_port`` (587), ``smtp_user``, ``smtp_password``,
``smtp_starttls`` ("true" unless "false": credentials never travel in clear by default),
``from_address``, ``from_name``, ``message_id_domain`` (default: the from address's domain).
"""

from __future__ import annotations

import re
import smtplib
import ssl
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from typing import Final, Protocol

from mostrador.channels.base import AccountSettings, Outgoing, SendFailed, Sent

TIMEOUT_SECONDS: Final = 30.0
# CRLF line ends and 7-bit bodies (quoted-printable): any server takes them, 8BITMIME or not.
WIRE: Final = SMTP.clone(cte_type="7bit")
_REPLY_PREFIX: Final = re.compile(r"^\s*(re|res|rv)\s*:", re.IGNORECASE)


class SmtpFactory(Protocol):
    """How a connection is opened; ``smtplib.SMTP`` itself, or a stand-in in tests."""

    def __call__(self, host: str, port: int, *, timeout: float) -> smtplib.SMTP: ...


def _refused(reason: str) -> SendFailed:
    return SendFailed(f"email: {reason}", retryable=False, code="invalid_message")


def _subject(message: Outgoing) -> str:
    """ "Re: " once when replying; "RE:", "Res:" (pt) and "RV:" (es) already say it."""
    subject = message.subject or ""
    if message.thread_refs and subject and not _REPLY_PREFIX.match(subject):
        return f"Re: {subject}"
    return subject


def build_email(
    settings: AccountSettings, message: Outgoing, *, message_id_domain: str, now: datetime
) -> EmailMessage:
    """The email to send (headers, text body, attachments from their bytes)."""
    if message.template is not None:
        raise _refused("email has no message templates")
    options = settings.options
    email = EmailMessage(policy=WIRE)
    try:
        email["From"] = Address(options.get("from_name", ""), addr_spec=options["from_address"])
        email["To"] = message.recipient
        email["Subject"] = _subject(message)
        email["Date"] = format_datetime(now.astimezone(UTC))
        email["Message-ID"] = make_msgid(domain=message_id_domain)
        if message.thread_refs:
            email["In-Reply-To"] = f"<{message.thread_refs[-1]}>"
            email["References"] = " ".join(f"<{ref}>" for ref in message.thread_refs)
        if message.reply_address:
            email["Reply-To"] = message.reply_address
    except (KeyError, ValueError, IndexError) as exc:  # missing option, CR/LF or bad address
        raise _refused(f"cannot build the message ({exc})") from exc
    email.set_content(message.text)
    for attachment in message.attachments:
        if attachment.content is None:
            raise _refused("an email attachment needs its bytes")
        maintype, _, subtype = (attachment.mime_type or "application/octet-stream").partition("/")
        email.add_attachment(
            attachment.content,
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=attachment.filename or "adjunto",
        )
    return email


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def _failure(exc: Exception) -> SendFailed:
    """5xx replies and a refused recipient are final; 4xx replies (a greylisted recipient
    too), disconnections and timeouts are worth retrying."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        refusals = "; ".join(f"{to}: {c} {_text(e)}" for to, (c, e) in exc.recipients.items())
        transient = bool(codes) and all(400 <= code < 500 for code in codes)
        code = str(codes[0]) if codes else None
        return SendFailed(f"recipient refused: {refusals}", retryable=transient, code=code)
    if isinstance(exc, smtplib.SMTPResponseException):
        final = 500 <= exc.smtp_code < 600
        reply = f"{exc.smtp_code} {_text(exc.smtp_error)}"
        return SendFailed(reply, retryable=not final, code=str(exc.smtp_code))
    if isinstance(exc, smtplib.SMTPNotSupportedError | ssl.SSLCertVerificationError):
        return SendFailed(f"SMTP server setup: {exc}", retryable=False, code="smtp_setup")
    return SendFailed(f"SMTP server unreachable: {exc}", retryable=True, code="transport")


def _quit(smtp: smtplib.SMTP) -> None:
    """Once the server took the message a failing QUIT must not turn into a retry."""
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def send_email(
    settings: AccountSettings,
    message: Outgoing,
    *,
    message_id_domain: str,
    smtp_factory: SmtpFactory = smtplib.SMTP,
    now: datetime | None = None,
) -> Sent:
    """Send one email; the id returned is its Message-ID without brackets."""
    options = settings.options
    email = build_email(
        settings, message, message_id_domain=message_id_domain, now=now or datetime.now(UTC)
    )
    try:
        host, port = options["smtp_host"], int(options.get("smtp_port", "587"))
    except (KeyError, ValueError) as exc:
        raise SendFailed(
            f"email: bad SMTP settings ({exc})", retryable=False, code="smtp_setup"
        ) from exc
    try:
        smtp = smtp_factory(host, port, timeout=TIMEOUT_SECONDS)
    except (smtplib.SMTPException, OSError) as exc:
        raise _failure(exc) from exc
    try:
        if options.get("smtp_starttls", "true").lower() != "false":
            smtp.starttls(context=ssl.create_default_context())
        if options.get("smtp_user"):
            smtp.login(options["smtp_user"], options.get("smtp_password", ""))
        smtp.sendmail(options["from_address"], [message.recipient], email.as_bytes())
    except (smtplib.SMTPException, OSError) as exc:
        raise _failure(exc) from exc
    finally:
        _quit(smtp)
    return Sent(str(email["Message-ID"]).strip().strip("<>"))
