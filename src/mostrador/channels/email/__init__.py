"""Email: mail arrives through our SMTP receiver (``receiver``) or by polling IMAP (``imap``),
both hand raw bytes to ``parse_email``; replies leave through the account's SMTP server.

``ADAPTER`` puts email behind the same seam as the webhook channels. There is no webhook to
verify (``verify`` is always False); ``parse`` has no receive time, so it reads the Date
header and refuses a mail without one; receivers that know the time call ``parse_email``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Final
from urllib.parse import unquote, urlsplit

import httpx

from mostrador.channels.base import (
    AccountSettings,
    Attachment,
    ChannelKind,
    MalformedPayload,
    Outgoing,
    Parsed,
    SendFailed,
    Sent,
)
from mostrador.channels.email.imap import poll_mailbox
from mostrador.channels.email.parsing import header_date, parse_email
from mostrador.channels.email.receiver import MailReceiver
from mostrador.channels.email.sending import build_email, send_email
from mostrador.channels.email.text import html_to_text, trim_quoted

__all__ = [
    "ADAPTER",
    "EmailAdapter",
    "MailReceiver",
    "build_email",
    "download",
    "html_to_text",
    "message_id_domain",
    "parse_email",
    "poll_mailbox",
    "send_email",
    "trim_quoted",
]


def message_id_domain(settings: AccountSettings) -> str:
    """The right-hand side of our Message-IDs: set explicitly, else the sender's domain."""
    domain = settings.options.get("message_id_domain") or ""
    if not domain:
        domain = settings.options.get("from_address", "").rpartition("@")[2]
    if not domain:
        raise SendFailed("email: from_address is not set", retryable=False, code="smtp_setup")
    return domain


MAX_ATTACHMENT_BYTES: Final = 25 * 1024 * 1024  # what common mail servers accept in total


def download(client: httpx.Client, attachment: Attachment) -> Attachment:
    """An email carries the file itself: fetch an attachment that only has a URL."""
    if attachment.content is not None or not attachment.url:
        return attachment
    if urlsplit(attachment.url).scheme not in {"http", "https"}:
        raise SendFailed(
            "email: attachment URL must be http(s)", retryable=False, code="attachment"
        )
    try:
        response = client.get(attachment.url, follow_redirects=True)
    except httpx.HTTPError as exc:
        raise SendFailed(
            f"attachment unreachable: {exc}", retryable=True, code="attachment"
        ) from exc
    status = response.status_code
    if status >= 400:
        retry = status == 429 or status >= 500
        raise SendFailed(f"attachment: HTTP {status}", retryable=retry, code="attachment")
    if len(response.content) > MAX_ATTACHMENT_BYTES:
        raise SendFailed("email: attachment too large", retryable=False, code="attachment")
    mime_type = response.headers.get("content-type", "").partition(";")[0].strip()
    name = unquote(urlsplit(attachment.url).path.rpartition("/")[2])
    return dataclasses.replace(
        attachment,
        content=response.content,
        mime_type=attachment.mime_type or mime_type or None,
        filename=attachment.filename or name or None,
    )


class EmailAdapter:
    """Email behind ``base.Adapter``; the HTTP client only fetches attachments given by URL
    (SMTP is its own wire)."""

    kind: ChannelKind = "email"

    def verify(self, body: bytes, headers: Mapping[str, str], secret: str) -> bool:
        return False

    def parse(self, body: bytes) -> Parsed:
        sent_at = header_date(body)
        if sent_at is None:
            raise MalformedPayload("email: no readable Date header (and no receive time)")
        return Parsed(messages=(parse_email(body, received_at=sent_at),))

    def send(self, client: httpx.Client, settings: AccountSettings, message: Outgoing) -> Sent:
        files = tuple(download(client, attachment) for attachment in message.attachments)
        message = dataclasses.replace(message, attachments=files)
        return send_email(settings, message, message_id_domain=message_id_domain(settings))


ADAPTER: Final = EmailAdapter()
