"""Which adapter speaks for each channel kind (built on demand, never at import time)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

import httpx

from mostrador.channels.base import AccountSettings, Adapter, ChannelKind, Outgoing, Parsed, Sent


class WebchatAdapter:
    """The web chat widget reads its messages from us (live stream or polling), so sending
    is accepting: the message gets an id the widget acknowledges by."""

    kind: ChannelKind = "webchat"

    def verify(self, body: bytes, headers: Mapping[str, str], secret: str) -> bool:
        return False  # the widget posts through the API, not a signed webhook

    def parse(self, body: bytes) -> Parsed:
        return Parsed()

    def send(self, client: httpx.Client, settings: AccountSettings, message: Outgoing) -> Sent:
        return Sent(f"webchat:{uuid.uuid4()}")


def adapters() -> dict[str, Adapter]:
    """Every sending adapter by kind."""
    from mostrador.channels import email, meta, telegram, whatsapp

    return {
        "whatsapp": whatsapp.ADAPTER,
        "instagram": meta.INSTAGRAM,
        "messenger": meta.MESSENGER,
        "telegram": telegram.ADAPTER,
        "email": email.ADAPTER,
        "webchat": WebchatAdapter(),
    }
