"""The one seam every channel adapter sits behind: verify and parse what a provider sends us,
send what an agent or the bot writes, and report delivery statuses.

Adapters contain no business rules: they turn a provider's payload into ``Inbound`` items
and an ``Outgoing`` message into the provider's request. Threading, identity and the inbox
live in ``conversations``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

import httpx

ChannelKind = Literal[
    "whatsapp", "instagram", "messenger", "telegram", "email", "webchat", "voice", "store"
]
CHANNEL_KINDS: tuple[ChannelKind, ...] = (
    "whatsapp",
    "instagram",
    "messenger",
    "telegram",
    "email",
    "webchat",
    "voice",
    "store",
)

MessageKind = Literal[
    "text",
    "image",
    "audio",
    "video",
    "document",
    "sticker",
    "location",
    "contacts",
    "interactive",
    "button",
    "reaction",
    "call",
    "note",
    "unsupported",
]
Direction = Literal["inbound", "outbound"]
DeliveryStatus = Literal["queued", "sent", "delivered", "read", "failed", "received"]


class MalformedPayload(ValueError):
    """The body is not what the provider documents (answered 400, nothing stored)."""


@dataclass(frozen=True)
class Attachment:
    """A file that came with a message; providers give an id or a URL, email gives bytes."""

    kind: Literal["image", "audio", "video", "document", "sticker", "file"]
    media_id: str | None = None
    url: str | None = None
    mime_type: str | None = None
    filename: str | None = None
    caption: str | None = None
    size: int | None = None
    content: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Sender:
    """Who wrote (for an echo: the customer it was written to), as the channel knows them.

    ``address`` is the channel's own id used to reply (WhatsApp ``wa_id``, Instagram IGSID,
    Messenger PSID, Telegram chat id, an email address). The other fields feed the identity
    engine when the channel gives them."""

    address: str
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    username: str | None = None
    bsuid: str | None = None


@dataclass(frozen=True)
class Inbound:
    """One message a provider reported, inbound or an echo of one we (or the business app)
    sent. ``account`` is the provider's id of the business account it reached
    (WhatsApp ``phone_number_id``, the Page or Instagram account id, the bot id, the mailbox)."""

    account: str
    provider_message_id: str
    direction: Direction
    sender: Sender
    sent_at: datetime
    kind: MessageKind
    text: str = ""
    attachments: tuple[Attachment, ...] = ()
    reply_to: str | None = None  # provider id of the message this answers or reacts to
    # Email threading: Message-ID of the parents (In-Reply-To first, then References, newest
    # first) and the token of a reply+<token>@ address.
    thread_refs: tuple[str, ...] = ()
    reply_token: str | None = None
    subject: str | None = None
    # Small typed extras a kind needs (location latitude/longitude/name, interactive id...).
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StatusReport:
    """A delivery status of a message we sent; may arrive late, twice or out of order."""

    account: str
    provider_message_id: str
    status: Literal["sent", "delivered", "read", "failed"]
    at: datetime
    recipient: str | None = None
    error_code: str | None = None
    error_reason: str | None = None


@dataclass(frozen=True)
class Parsed:
    """Everything one webhook delivery carried (Meta batches many of each)."""

    messages: tuple[Inbound, ...] = ()
    statuses: tuple[StatusReport, ...] = ()


@dataclass(frozen=True)
class Template:
    """An approved message template (the only thing WhatsApp lets us send outside the
    customer-service window); ``variables`` fill the body's {{1}}, {{2}}..."""

    name: str
    language: str
    variables: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outgoing:
    """A message to send: text, a template, or attachments by URL."""

    recipient: str
    text: str = ""
    template: Template | None = None
    attachments: tuple[Attachment, ...] = ()
    tag: str | None = None  # Meta's message tag outside the 24 h window (HUMAN_AGENT)
    subject: str | None = None  # email
    thread_refs: tuple[str, ...] = ()  # email: the Message-IDs this replies to, oldest first
    reply_address: str | None = None  # email: reply+<token>@ address for the Reply-To header


@dataclass(frozen=True)
class Sent:
    """The provider accepted the message under this id."""

    provider_message_id: str


class SendFailed(Exception):
    """The provider refused or could not be reached; ``retryable`` says whether to try again."""

    def __init__(self, reason: str, *, retryable: bool, code: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.code = code


@dataclass(frozen=True)
class AccountSettings:
    """What an adapter needs to talk to one configured account (stored per channel account)."""

    account: str  # the provider's id of the business account
    access_token: str = ""
    app_secret: str = ""
    verify_token: str = ""
    api_url: str = ""  # base URL for sends; empty: the provider's public API
    options: Mapping[str, str] = field(default_factory=dict)


class Adapter(Protocol):
    """One provider behind the seam. Webhook channels verify then parse; every channel sends.

    ``verify`` gets the raw body and the request headers (lower-cased names) and the
    account's secret; it must run before the body is parsed. ``parse`` raises
    ``MalformedPayload`` for anything the provider would not send."""

    kind: ChannelKind

    def verify(self, body: bytes, headers: Mapping[str, str], secret: str) -> bool: ...

    def parse(self, body: bytes) -> Parsed: ...

    def send(self, client: httpx.Client, settings: AccountSettings, message: Outgoing) -> Sent: ...
