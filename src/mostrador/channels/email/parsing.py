"""One received email (raw RFC 5322 bytes) → one ``Inbound``: who wrote, to which mailbox,
what it answers (Message-ID threading, box+<token>@ reply addresses), the new text and files.

Pure: the caller gives the time the mail was received, used when the Date header is unusable.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from email.message import EmailMessage, Message, MIMEPart
from email.parser import BytesParser
from email.policy import default
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from typing import Final, Literal

from mostrador.channels.base import Attachment, Inbound, MalformedPayload, MessageKind, Sender
from mostrador.channels.email.text import html_to_text, trim_quoted

_MESSAGE_ID: Final = re.compile(r"<([^<>\s]+)>")
# reply+<token>@d, or <mailbox>+<token>@d as conversations' replies use: plus-addressing.
_REPLY_ADDRESS: Final = re.compile(
    r"^(?P<box>[^+@\s]+)\+(?P<token>[A-Za-z0-9_-]+)@(?P<domain>[^@\s]+)$"
)
_DOCUMENT_TYPES: Final = frozenset(
    {"application/pdf", "application/msword", "application/rtf", "text/csv", "text/plain"}
)

AttachmentKind = Literal["image", "audio", "video", "document", "file"]
_MEDIA: Final[dict[str, AttachmentKind]] = {"image": "image", "audio": "audio", "video": "video"}


def message_ids(value: str | None) -> list[str]:
    """Message-IDs in a header, brackets removed; a bare id without brackets is kept too."""
    if not value:
        return []
    found = _MESSAGE_ID.findall(value)
    return found or value.split()[:1]


def _header(message: Message, name: str) -> str | None:
    value = message.get(name)
    return str(value).strip() if value is not None else None


def _thread_refs(message: Message) -> tuple[str, ...]:
    """In-Reply-To first, then References newest first, each once."""
    refs = message_ids(_header(message, "In-Reply-To"))
    refs += reversed(message_ids(_header(message, "References")))
    return tuple(dict.fromkeys(refs))


def _date(message: Message) -> datetime | None:
    try:
        sent = parsedate_to_datetime(_header(message, "Date") or "")
    except (TypeError, ValueError, IndexError):
        return None
    # "-0000" means "zone unknown" and parses naive: the instant is still UTC.
    return sent.replace(tzinfo=UTC) if sent.tzinfo is None else sent.astimezone(UTC)


def _recipients(message: Message, envelope: Sequence[str]) -> list[str]:
    if envelope:
        return [a.strip().strip("<>").lower() for a in envelope if a.strip().strip("<>")]
    headers = [str(v) for name in ("Delivered-To", "To", "Cc") for v in message.get_all(name, [])]
    return [address.lower() for _, address in getaddresses(headers) if "@" in address]


def _account(recipients: list[str]) -> tuple[str, str | None]:
    """The mailbox reached and the reply token; box+tok@d belongs to the mailbox box@d."""
    for address in recipients:
        match = _REPLY_ADDRESS.match(address)
        if match:
            return f"{match['box']}@{match['domain']}", match["token"]
    return (recipients[0] if recipients else ""), None


def _sender(message: Message) -> Sender:
    name, address = parseaddr(_header(message, "From") or "")
    if "@" not in address:
        raise MalformedPayload("email: no sender address in From")
    return Sender(address=address.lower(), name=name or None, email=address.lower())


def _leaves(part: MIMEPart) -> Iterator[MIMEPart]:
    """Every non-multipart part; an attached message/rfc822 counts as one leaf."""
    if part.get_content_maintype() == "multipart":
        for child in part.iter_parts():
            yield from _leaves(child)
    else:
        yield part


def _decoded_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    raw = payload if isinstance(payload, bytes) else b""
    charset = part.get_content_charset() or "utf-8"
    try:
        return raw.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know: keep what UTF-8 can read
        return raw.decode("utf-8", errors="replace")


def _body(message: EmailMessage) -> tuple[str, Message | None]:
    """The text the customer wrote (plain preferred, HTML converted) and the part it came from."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return "", None
    text = _decoded_text(part)
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return trim_quoted(text), part


def _attachment_kind(mime_type: str) -> AttachmentKind:
    media = _MEDIA.get(mime_type.split("/", 1)[0])
    if media is not None:
        return media
    if mime_type in _DOCUMENT_TYPES or "officedocument" in mime_type or "opendocument" in mime_type:
        return "document"
    return "file"


def _attachment(part: Message) -> Attachment:
    mime_type = part.get_content_type()
    if part.get_content_maintype() == "message":
        inner = part.get_payload(0)
        content = inner.as_bytes() if isinstance(inner, Message) else b""
    else:
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
    return Attachment(
        kind=_attachment_kind(mime_type),
        mime_type=mime_type,
        filename=part.get_filename(),
        size=len(content),
        content=content,
    )


def _attachments(message: EmailMessage, body: Message | None) -> tuple[Attachment, ...]:
    """Every part that is not the body and has a file name or says it is an attachment."""
    return tuple(
        _attachment(part)
        for part in _leaves(message)
        if part is not body
        and (part.get_filename() or part.get_content_disposition() == "attachment")
    )


def _kind(text: str, attachments: tuple[Attachment, ...]) -> MessageKind:
    if text or not attachments:
        return "text"
    first = attachments[0].kind
    return "document" if first == "file" else first


def parse_email(raw: bytes, *, received_at: datetime, recipients: Sequence[str] = ()) -> Inbound:
    """Read one email. ``recipients`` are the SMTP envelope's (they name the mailbox even
    for Bcc); without them the To / Delivered-To / Cc headers are used. A missing Message-ID
    is replaced by a hash of the raw bytes so a redelivery is still recognised."""
    if not raw.strip():
        raise MalformedPayload("email: empty message")
    message = BytesParser(policy=default).parsebytes(raw)
    ids = message_ids(_header(message, "Message-ID"))
    account, reply_token = _account(_recipients(message, recipients))
    text, body = _body(message)
    attachments = _attachments(message, body)
    return Inbound(
        account=account,
        provider_message_id=ids[0] if ids else "sha256:" + hashlib.sha256(raw).hexdigest(),
        direction="inbound",
        sender=_sender(message),
        sent_at=_date(message) or received_at.astimezone(UTC),
        kind=_kind(text, attachments),
        text=text,
        attachments=attachments,
        thread_refs=_thread_refs(message),
        reply_token=reply_token,
        subject=_header(message, "Subject"),
    )


def header_date(raw: bytes) -> datetime | None:
    """The Date header as an aware UTC instant, or None when it is missing or unreadable."""
    return _date(BytesParser(policy=default).parsebytes(raw, headersonly=True))
